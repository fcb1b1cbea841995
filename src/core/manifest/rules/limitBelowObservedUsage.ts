import { formatBytes, formatQuantity } from '../../quantity';
import { oomKilledRecently, raiseLimitFix } from './oomKilledRecently';
import { LIMIT_HEADROOM_PERCENT, observedContainer, windowWords } from './observedValues';
import { who, type KnownQuantity, type RuleContext } from './ruleContext';
import { defineRule } from './defineRule';

const ID = 'limit-below-observed-usage';

export const limitBelowObservedUsage = defineRule({
  id: ID,
  defaultSeverity: 'warning',
  title: 'Memory limit below (or within 10% of) the observed peak',
  input: 'observed-usage',
  firesWhen: `*with cluster history (\`lint --context\`, or the editor with \`oomscope.cluster.diagnostics\`)*: \`limits.memory\` is below the observed peak working set, or within ${LIMIT_HEADROOM_PERCENT}% above it`,
  quickFix: oomKilledRecently.quickFix,
  check(ctx: RuleContext): void {
    if (!ctx.observed) return;
    for (const c of ctx.object.podSpec.containers) {
      const o = observedContainer(ctx, c);
      const q = c.resources?.limits?.memory;
      if (!o || o.peakBytes === null || !q || q.templated || q.bytes === null || q.text === null || !q.whole) continue;
      const lim = q as KnownQuantity;
      const peak = BigInt(Math.ceil(o.peakBytes));
      // Within 10 %: limit ≤ peak × 1.1, in whole bytes.
      if (lim.bytes * 100n > peak * BigInt(100 + LIMIT_HEADROOM_PERCENT)) continue;
      const w = windowWords(ctx.observed);
      const Who = `${who(c)[0]!.toUpperCase()}${who(c).slice(1)}`;
      const share = Math.round((o.peakBytes / Number(lim.bytes)) * 1000) / 10;
      const message =
        lim.bytes < peak
          ? `${Who} used more than its ${formatBytes(lim.bytes)} limit in the last ${w} (peak working set ${formatQuantity(o.peakBytes)}): at this limit that usage is OOM-killed, or reclaimed into thrashing.`
          : `The ${formatBytes(lim.bytes)} limit of ${who(c)} leaves less than ${LIMIT_HEADROOM_PERCENT}% above its peak working set of the last ${w} (${formatQuantity(o.peakBytes)}, ${share}% of the limit): the next spike is OOM-killed, and reclaim near the limit stalls it first.`;
      const fix = raiseLimitFix(ctx, c);
      ctx.report({ start: lim.valueStart, end: lim.valueEnd, message, container: c, fixes: fix ? [fix] : [] });
    }
  },
});
