import { canonicalQuantity, formatBytes, parseQuantity } from '../../quantity';
import { replaceScalar } from '../edits';
import type { QuickFix } from '../findingTypes';
import { SETTING_DEFAULTS } from '../../../shared/settingsDefaults';
import { valueKeepsRules } from './memoryFixValues';
import { knownMemoryPairs, who, type RuleContext } from './ruleContext';
import { defineRule } from './defineRule';

const ID = 'memory-limit-request-ratio';

function bytesText(bytes: bigint): string {
  const r = parseQuantity(bytes.toString());
  return r.ok ? canonicalQuantity({ ...r.quantity, format: 'BinarySI' }) : bytes.toString();
}

function ratioText(num: bigint, den: bigint): string {
  const hundredths = (num * 100n) / den;
  const s = `${hundredths / 100n}.${(hundredths % 100n).toString().padStart(2, '0')}`.replace(/\.?0+$/, '');
  return s;
}

export const memoryLimitRequestRatio = defineRule({
  id: ID,
  defaultSeverity: 'warning',
  title: 'Memory limit far above the request (overcommit)',
  firesWhen: `limit / request above \`oomscope.rules.maxLimitRequestRatio\` (${SETTING_DEFAULTS['rules.maxLimitRequestRatio'].default})`,
  quickFix: 'limit = ratio × request / request = limit',
  check(ctx: RuleContext): void {
    const max = ctx.settings.maxLimitRequestRatio;
    if (!(max > 0) || !Number.isFinite(max)) return;
    // The ratio in thousandths. A limit is at most 2^63−1 bytes and the request at least 1Mi here,
    // so no ratio reaches 2^43 (< 10^13): larger settings are capped at 10^13 instead of overflowing.
    const scaled = BigInt(Math.round(Math.min(max, 1e13) * 1000));
    for (const { resources: res, container, request: req, limit: lim } of knownMemoryPairs(ctx.object)) {
      if (req.bytes < 1024n * 1024n || lim.bytes * 1000n <= scaled * req.bytes) continue;
      const fixes: QuickFix[] = [];
      const target = (req.bytes * scaled) / 1000n;
      const t = bytesText(target);
      const e1 = valueKeepsRules(ctx, container, res, 'limit', target) ? replaceScalar(ctx.edit, lim.node, t) : null;
      if (e1) fixes.push({ title: `Set the limit to ${max} × request (${t})`, edits: [e1], isPreferred: true });
      const e2 = replaceScalar(ctx.edit, req.node, lim.text);
      if (e2) fixes.push({ title: `Set the request equal to the limit (${lim.text})`, edits: [e2] });
      const message = `Memory limit ${formatBytes(lim.bytes)} of ${who(container)} is ${ratioText(lim.bytes, req.bytes)}× its request ${formatBytes(req.bytes)} (more than ${max}×): nodes are packed by requests, so usage above the request is what the kubelet evicts first and what drives node-level OOM kills (pod QoS: ${ctx.qos.qosClass}).`;
      ctx.report({ start: lim.valueStart, end: lim.valueEnd, message, container, fixes });
    }
  },
});
