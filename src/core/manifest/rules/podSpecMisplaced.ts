import { objectLabel, type RuleContext } from './ruleContext';
import { defineRule } from './defineRule';

const ID = 'pod-spec-misplaced';

/** A known kind whose pod spec is missing while `containers` (or `template`) sits higher up: lost indentation. */
export const podSpecMisplaced = defineRule({
  id: ID,
  defaultSeverity: 'warning',
  title: 'Pod spec at the wrong level (indentation lost?)',
  firesWhen:
    'a Pod or workload has no pod spec where its kind wants it, while `containers` (or `template`) sits at a shallower level — what a paste that lost its indentation leaves',
  quickFix: null,
  check(ctx: RuleContext): void {
    const m = ctx.object.misplaced;
    if (!m) return;
    const message = `${objectLabel(ctx.object)} has \`${m.key}:\` at \`${m.foundAt}\`, but a ${ctx.object.kind} keeps it at \`${m.expected}\`: the indentation was probably lost (a paste?). The API server rejects or ignores it there, and nothing in this ${ctx.object.kind} was checked for memory settings.`;
    ctx.report({ start: m.keyStart, end: m.keyEnd, message, container: null });
  },
});
