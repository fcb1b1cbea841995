// defineRule: the one way a rule is declared. It derives the documentation URL from the id and
// carries the catalogue texts that scripts/generateCatalog.mjs writes into package.json and the
// rule tables of README.md and docs/rules/README.md.
import type { Severity } from '../findingTypes';
import { RULE_DOCS_BASE, type Rule, type RuleContext, type RuleInput } from './ruleContext';

/** What a rule file writes; everything else about the rule is derived from it. */
export interface RuleDefinition {
  /** kebab-case id: the diagnostic code, the `oomscope.severity.<id>` setting and `docs/rules/<id>.md`. */
  id: string;
  defaultSeverity: Severity;
  /** Short title (SARIF rule name, `lint --list-rules`). */
  title: string;
  /** When the default severity is not the whole story, e.g. "error when the heap is at or above the limit". */
  severityNote?: string;
  /** Markdown: when the rule fires (the "fires when" column of the rule tables). */
  firesWhen: string;
  /** Markdown: what its quick fix does (README's "quick fix" column); null when it offers none. */
  quickFix: string | null;
  /**
   * What the rule reads: `manifest` (the default) or `observed-usage`, a cluster-aware rule that reports only when the
   * object's observed usage is given (`ctx.observed`, from `oomscope lint --context`); static analysis never runs it.
   */
  input?: RuleInput;
  check(ctx: RuleContext): void;
}

export function defineRule(def: RuleDefinition): Rule {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(def.id))
    throw new Error(`rule id ${JSON.stringify(def.id)} is not kebab-case`);
  return {
    ...def,
    severityNote: def.severityNote ?? null,
    input: def.input ?? 'manifest',
    docs: `${RULE_DOCS_BASE}/${def.id}.md`,
  };
}
