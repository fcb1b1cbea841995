import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver/node';
import type { SkippedDocument } from '../core/manifest/analyze';
import type { Finding, Severity } from '../core/manifest/findingTypes';
import { DIAGNOSTIC_SOURCE } from '../shared/lspProtocol';
import { RULES, RULE_DOCS_BASE } from '../core/manifest/rules/ruleCatalog';
import type { AnalysisSnapshot } from './documentAnalysis';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
};

const DOCS = new Map(RULES.map((rule) => [rule.id, rule.docs]));

/** Findings (and skipped documents) as LSP diagnostics, in the findings' own coordinates. */
export function toDiagnostics(findings: readonly Finding[], skipped: readonly SkippedDocument[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const f of findings) {
    const href = DOCS.get(f.ruleId) ?? `${RULE_DOCS_BASE}/${f.ruleId}.md`;
    out.push({
      range: f.range,
      severity: SEVERITY[f.severity],
      code: f.ruleId,
      codeDescription: { href },
      source: DIAGNOSTIC_SOURCE,
      message: f.message,
    });
  }
  for (const s of skipped) {
    out.push({
      range: s.range,
      severity: DiagnosticSeverity.Information,
      source: DIAGNOSTIC_SOURCE,
      message: s.reason,
    });
  }
  return out;
}

/** Every diagnostic of a snapshot, moved from document-relative lines to file lines. */
export function snapshotDiagnostics(snapshot: AnalysisSnapshot): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (let i = 0; i < snapshot.results.length; i++) {
    const result = snapshot.results[i];
    if (result.diagnostics.length === 0) continue;
    const offset = snapshot.slices[i].startLine;
    if (result.placed?.line !== offset) {
      const diagnostics =
        offset === 0
          ? result.diagnostics
          : result.diagnostics.map((d) => ({ ...d, range: shiftRange(d.range, offset) }));
      result.placed = { line: offset, diagnostics };
    }
    for (const d of result.placed.diagnostics) out.push(d);
  }
  return out;
}

export function shiftRange(range: Range, lines: number): Range {
  return {
    start: { line: range.start.line + lines, character: range.start.character },
    end: { line: range.end.line + lines, character: range.end.character },
  };
}

export function sameRange(a: Range, b: Range): boolean {
  return (
    a.start.line === b.start.line &&
    a.start.character === b.start.character &&
    a.end.line === b.end.line &&
    a.end.character === b.end.character
  );
}
