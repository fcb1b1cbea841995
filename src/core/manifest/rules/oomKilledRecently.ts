import { formatQuantity } from '../../quantity';
import { replaceScalar } from '../edits';
import type { QuickFix } from '../findingTypes';
import type { ContainerModel } from '../model';
import { valueKeepsRules } from './memoryFixValues';
import { observedContainer, observedLimit, windowWords } from './observedValues';
import { killsClause, whenWords } from './observedWords';
import type { KnownQuantity, RuleContext } from './ruleContext';
import { defineRule } from './defineRule';

const ID = 'oom-killed-recently';

const known = (c: ContainerModel): KnownQuantity | null => {
  const q = c.resources?.limits?.memory;
  return q && !q.templated && q.bytes !== null && q.text !== null && q.whole ? (q as KnownQuantity) : null;
};

/** "Raise the limit to 704Mi (peak 611Mi + 15%)", replacing the `limits.memory` value; null when no safe edit. */
export function raiseLimitFix(ctx: RuleContext, c: ContainerModel): QuickFix | null {
  const o = observedContainer(ctx, c);
  const lim = known(c);
  const v = o ? observedLimit(o) : null;
  if (!o || !lim || !v || v.bytes <= lim.bytes) return null;
  if (!valueKeepsRules(ctx, c, c.resources, 'limit', v.bytes)) return null;
  const e = replaceScalar(ctx.edit, lim.node, v.text);
  return e ? { title: `Raise the limit to ${v.text} (${v.reason})`, edits: [e], isPreferred: true } : null;
}

export const oomKilledRecently = defineRule({
  id: ID,
  defaultSeverity: 'warning',
  title: 'Container OOM-killed in the observed window',
  input: 'observed-usage',
  firesWhen:
    '*with cluster history (`lint --context`, or the editor with `oomscope.cluster.diagnostics`)*: the container was OOM-killed in the window (`--since`, default 24 h)',
  quickFix: 'raise the limit to the observed peak + 15% (or the usage at the last kill + 20%, at least + 100Mi)',
  check(ctx: RuleContext): void {
    if (!ctx.observed) return;
    for (const c of ctx.object.podSpec.containers) {
      const o = observedContainer(ctx, c);
      if (!o || o.kills.length === 0) continue;
      const last = [...o.kills].reverse().find((k) => k.t !== null) ?? o.kills[o.kills.length - 1]!;
      const lastWords = [last.pod, last.t !== null ? whenWords(last.t, ctx.observed.generatedAt) : null]
        .filter((x) => x !== null)
        .join(', ');
      const peak = o.peakBytes !== null ? `; peak working set ${formatQuantity(o.peakBytes)}` : '';
      const message = `OOM-killed ${o.kills.length}× in ${windowWords(ctx.observed)}, ${killsClause(o.kills)}${peak}${lastWords ? ` (last: ${lastWords})` : ''}.`;
      const lim = c.resources?.limits?.memory;
      const [start, end] = lim && lim.node ? [lim.valueStart, lim.valueEnd] : [c.nameStart, c.nameEnd];
      const fix = raiseLimitFix(ctx, c);
      ctx.report({ start, end, message, container: c, fixes: fix ? [fix] : [] });
    }
  },
});
