import { formatBytes, type Quantity } from '../../quantity';
import { memoryFields, who, type RuleContext } from './ruleContext';
import { defineRule } from './defineRule';

const ID = 'memory-value-implausible';
const MI = 1024n * 1024n;

/** "about 9.2×10^18 bytes": the size of a huge value without printing hundreds of digits. */
function bytesWords(q: Quantity): string {
  const d = q.mantissa.toString();
  return `about ${d[0]}.${d[1] ?? '0'}×10^${d.length + q.exponent - 1} bytes`;
}

export const memoryValueImplausible = defineRule({
  id: ID,
  defaultSeverity: 'warning',
  title: 'Memory value below 1Mi (missing unit?)',
  firesWhen: 'a memory value below 1Mi (`512`), above 2^63−1 bytes (`1e308`), or with no value at all',
  quickFix: null,
  check(ctx: RuleContext): void {
    for (const { field, kind, container } of memoryFields(ctx.object)) {
      if (field.isNull && !field.templated) {
        const meaning = kind === 'limit' ? 'no limit' : 'no request';
        const message = `Memory ${kind} of ${who(container)} has no value, which the API server reads as 0 (${meaning}): write the amount, e.g. ${ctx.settings.defaultMemory}.`;
        ctx.report({ start: field.keyStart, end: field.keyEnd, message, container });
        continue;
      }
      if (field.outOfRange === 'overflow' && !field.templated && field.parse?.ok) {
        const message = `Memory ${kind} ${JSON.stringify(field.text)} of ${who(container)} is ${bytesWords(field.parse.quantity)}, more than the 2^63−1 bytes (just under 8Ei) Kubernetes can hold: the API server stores it, but the scheduler and the kubelet read it as a 64-bit integer, which overflows into a meaningless number; write the real amount, e.g. ${ctx.settings.defaultMemory}.`;
        ctx.report({ start: field.valueStart, end: field.valueEnd, message, container });
        continue;
      }
      if (field.templated || !field.parse?.ok || !field.whole || field.bytes === null || field.text === null) continue;
      const noDigits = !/[0-9]/.test(field.text);
      if (!(noDigits || (field.bytes > 0n && field.bytes < MI))) continue;
      const message = noDigits
        ? `Memory ${kind} "${field.text}" of ${who(container)} has no number, so it means 0 bytes: write the amount, e.g. 256${field.text.replace(/^[+-]/, '')}.`
        : `Memory ${kind} "${field.text}" of ${who(container)} is only ${formatBytes(field.bytes)}, below 1Mi: a unit is probably missing (e.g. ${field.text}Mi), and a container cannot run in so little memory.`;
      ctx.report({ start: field.valueStart, end: field.valueEnd, message, container });
    }
  },
});
