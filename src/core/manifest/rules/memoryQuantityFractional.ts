import { quantityDecimalString } from '../../quantity';
import { replaceScalar } from '../edits';
import type { QuickFix } from '../findingTypes';
import { textBytes, valueKeepsRules } from './memoryFixValues';
import { memoryFields, who, type RuleContext } from './ruleContext';
import { defineRule } from './defineRule';

const ID = 'memory-quantity-fractional';

export const memoryQuantityFractional = defineRule({
  id: ID,
  defaultSeverity: 'error',
  title: 'Memory value is not a whole number of bytes',
  firesWhen: 'the value is not a whole number of bytes (`128m` is 0.128 bytes)',
  quickFix: '`128m` → `128Mi`',
  check(ctx: RuleContext): void {
    for (const { field, kind, container } of memoryFields(ctx.object)) {
      if (field.templated || !field.parse?.ok || field.whole || field.bytes === null || field.text === null) continue;
      const exact = quantityDecimalString(field.parse.quantity);
      const milli = /^([0-9]+(?:\.[0-9]+)?)m$/.exec(field.text);
      const fixes: QuickFix[] = [];
      const res = container ? container.resources : ctx.object.podSpec.resources;
      const meant = milli ? textBytes(`${milli[1]}Mi`) : null;
      if (milli && meant !== null && valueKeepsRules(ctx, container, res, kind, meant)) {
        const edit = replaceScalar(ctx.edit, field.node, `${milli[1]}Mi`);
        if (edit) fixes.push({ title: `Change to ${milli[1]}Mi`, edits: [edit], isPreferred: true });
      }
      const hint = milli ? ` ("m" is milli); did you mean ${milli[1]}Mi?` : '.';
      const message = `Memory ${kind} "${field.text}" of ${who(container)} is ${exact} bytes, not a whole number of bytes: the API server rounds it up to ${field.bytes} byte${field.bytes === 1n ? '' : 's'}${hint}`;
      ctx.report({ start: field.valueStart, end: field.valueEnd, message, container, fixes });
    }
  },
});
