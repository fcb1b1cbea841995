import { formatBytes } from '../../quantity';
import { replaceScalar } from '../edits';
import type { QuickFix } from '../findingTypes';
import type { ResourcesModel } from '../model';
import { objectLabel, who, type RuleContext } from './ruleContext';
import { defineRule } from './defineRule';

const ID = 'memory-limit-below-request';

export const memoryLimitBelowRequest = defineRule({
  id: ID,
  defaultSeverity: 'error',
  title: 'Memory limit below memory request',
  firesWhen: '`limits.memory` < `requests.memory`',
  quickFix: 'raise the limit / lower the request',
  check(ctx: RuleContext): void {
    const owners: Array<[ResourcesModel | null, Parameters<typeof who>[0]]> = [
      [ctx.object.podSpec.resources, null],
      ...ctx.object.podSpec.containers.map((c) => [c.resources, c] as [ResourcesModel | null, typeof c]),
    ];
    for (const [res, container] of owners) {
      const req = res?.requests?.memory;
      const lim = res?.limits?.memory;
      if (
        !req ||
        !lim ||
        req.templated ||
        lim.templated ||
        req.bytes === null ||
        lim.bytes === null ||
        req.text === null ||
        lim.text === null
      )
        continue;
      if (!req.whole || !lim.whole || !(lim.bytes < req.bytes)) continue;
      const fixes: QuickFix[] = [];
      const raise = replaceScalar(ctx.edit, lim.node, req.text);
      if (raise)
        fixes.push({ title: `Raise the limit to the request (${req.text})`, edits: [raise], isPreferred: true });
      const lower = replaceScalar(ctx.edit, req.node, lim.text);
      if (lower) fixes.push({ title: `Lower the request to the limit (${lim.text})`, edits: [lower] });
      const message = `Memory limit ${formatBytes(lim.bytes)} of ${who(container)} is below its request ${formatBytes(req.bytes)}: the API server rejects ${objectLabel(ctx.object)} (limit must be ≥ request).`;
      ctx.report({ start: lim.valueStart, end: lim.valueEnd, message, container, fixes });
    }
  },
});
