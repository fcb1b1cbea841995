import { formatBytes } from '../../quantity';
import { replaceScalar } from '../edits';
import type { QuickFix } from '../findingTypes';
import { knownMemoryPairs, objectLabel, who, type RuleContext } from './ruleContext';
import { defineRule } from './defineRule';

const ID = 'memory-limit-below-request';

export const memoryLimitBelowRequest = defineRule({
  id: ID,
  defaultSeverity: 'error',
  title: 'Memory limit below memory request',
  firesWhen: '`limits.memory` < `requests.memory`',
  quickFix: 'raise the limit / lower the request',
  check(ctx: RuleContext): void {
    for (const { container, request: req, limit: lim } of knownMemoryPairs(ctx.object)) {
      if (!(lim.bytes < req.bytes)) continue;
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
