/** Where each rule's documentation lives: `${RULE_DOCS_BASE}<ruleId>.md` (SARIF helpUri, Diagnostic.codeDescription). */
export const RULE_DOCS_BASE = 'https://github.com/oomscope/oomscope/blob/main/docs/rules/';

export function ruleDocsUri(ruleId: string): string {
  return `${RULE_DOCS_BASE}${ruleId}.md`;
}
