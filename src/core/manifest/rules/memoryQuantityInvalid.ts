import type { QuickFix } from '../findingTypes';
import { replaceScalar } from '../edits';
import { textBytes, valueKeepsRules } from './memoryFixValues';
import { memoryFields, objectLabel, who, type RuleContext } from './ruleContext';
import { defineRule } from './defineRule';

const ID = 'memory-quantity-invalid';

const UNIT_FIXES: Record<string, [string, string | null]> = {
  kb: ['Ki', 'k'],
  k: ['Ki', 'k'],
  kib: ['Ki', null],
  ki: ['Ki', null],
  mb: ['Mi', 'M'],
  mib: ['Mi', null],
  mi: ['Mi', null],
  gb: ['Gi', 'G'],
  g: ['Gi', 'G'],
  gib: ['Gi', null],
  gi: ['Gi', null],
  tb: ['Ti', 'T'],
  t: ['Ti', 'T'],
  tib: ['Ti', null],
  ti: ['Ti', null],
  pb: ['Pi', 'P'],
  pib: ['Pi', null],
  pi: ['Pi', null],
};

/** Replacement texts for a recognizable unit mistake, preferred first ([] when none). */
export function unitMistakeCandidates(text: string): string[] {
  const m = /^([+]?[0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]+)$/.exec(text.trim());
  if (!m) return [];
  const [, num, unit] = m as unknown as [string, string, string];
  if (/\s/.test(text.trim()) && /^(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)$/.test(unit)) return [num + unit];
  const fix = UNIT_FIXES[unit.toLowerCase()];
  if (!fix) return [];
  const out = [num + fix[0]];
  if (fix[1]) out.push(num + fix[1]);
  return out.filter((s) => s !== text);
}

export const memoryQuantityInvalid = defineRule({
  id: ID,
  defaultSeverity: 'error',
  title: 'Memory request or limit is not a valid quantity',
  firesWhen: 'a memory request/limit is not a valid Kubernetes quantity (`1Gb`, `512 Mi`, `""`), or is negative',
  quickFix: '`1Gb` → `1Gi` or `1G`; `512 Mi` → `512Mi`',
  check(ctx: RuleContext): void {
    for (const { field, kind, container } of memoryFields(ctx.object)) {
      if (field.templated || field.isNull) continue;
      if (field.outOfRange === 'negative') {
        const message = `Memory ${kind} ${JSON.stringify(field.text)} of ${who(container)} is negative: the API server rejects ${objectLabel(ctx.object)} (a memory request or limit must be greater than or equal to 0).`;
        ctx.report({ start: field.valueStart, end: field.valueEnd, message, container });
        continue;
      }
      if (field.parse?.ok) continue;
      const shown =
        field.text === null
          ? ctx.text.slice(field.valueStart, field.valueEnd).trim() || '(empty)'
          : JSON.stringify(field.text);
      const fixes: QuickFix[] = [];
      const res = container ? container.resources : ctx.object.podSpec.resources;
      const candidates = field.text === null ? [] : unitMistakeCandidates(field.text);
      // A candidate that would break the request/limit pair or the heap's room stays a hint, without a fix.
      for (const cand of candidates) {
        const bytes = textBytes(cand);
        if (bytes === null || !valueKeepsRules(ctx, container, res, kind, bytes)) continue;
        const edit = replaceScalar(ctx.edit, field.node, cand);
        if (edit) fixes.push({ title: `Change to ${cand}`, edits: [edit], isPreferred: fixes.length === 0 });
      }
      const numberNote = field.yamlNumber ? ' (a YAML number that is not a Kubernetes quantity)' : '';
      const message =
        `Memory ${kind} ${shown} of ${who(container)} is not a valid Kubernetes quantity${numberNote}: the API server rejects ${objectLabel(ctx.object)}.` +
        (candidates.length > 0 ? ` Did you mean ${candidates.join(' or ')}?` : '');
      const start = field.node ? field.valueStart : field.keyStart;
      const end = field.node ? field.valueEnd : field.keyEnd;
      ctx.report({ start, end, message, container, fixes });
    }
  },
});
