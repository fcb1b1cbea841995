import { formatBytes, formatQuantity } from '../../quantity';
import { replaceScalar } from '../edits';
import type { QuickFix } from '../findingTypes';
import { valueKeepsRules } from './memoryFixValues';
import { observedContainer, observedRequest, windowWords } from './observedValues';
import { who, type KnownQuantity, type RuleContext } from './ruleContext';
import { defineRule } from './defineRule';

const ID = 'request-below-observed-usage';

export const requestBelowObservedUsage = defineRule({
  id: ID,
  defaultSeverity: 'information',
  title: 'Memory request below the observed p95',
  input: 'observed-usage',
  firesWhen:
    '*with cluster history (`lint --context`, or the editor with `oomscope.cluster.diagnostics`)*: `requests.memory` is below the p95 of the observed working set',
  quickFix: 'set the request to the p95 (rounded up to Mi)',
  check(ctx: RuleContext): void {
    if (!ctx.observed) return;
    for (const c of ctx.object.podSpec.containers) {
      const o = observedContainer(ctx, c);
      const q = c.resources?.requests?.memory;
      if (!o || o.p95Bytes === null || !q || q.templated || q.bytes === null || q.text === null || !q.whole) continue;
      const req = q as KnownQuantity;
      if (req.bytes >= BigInt(Math.ceil(o.p95Bytes))) continue;
      const fixes: QuickFix[] = [];
      const v = observedRequest(o, ctx.observed.windowHours);
      if (v && valueKeepsRules(ctx, c, c.resources, 'request', v.bytes)) {
        const e = replaceScalar(ctx.edit, req.node, v.text);
        if (e) fixes.push({ title: `Set the request to ${v.text} (${v.reason})`, edits: [e], isPreferred: true });
      }
      const message = `The ${formatBytes(req.bytes)} request of ${who(c)} is below what it used 95% of the time in the last ${windowWords(ctx.observed)} (p95 working set ${formatQuantity(o.p95Bytes)}): the scheduler reserves less than it uses, and under node memory pressure the kubelet evicts pods above their request first.`;
      ctx.report({ start: req.valueStart, end: req.valueEnd, message, container: c, fixes });
    }
  },
});
