import type { FileAnalysis } from '../core/manifest/analyze';
import type { Finding } from '../core/manifest/findingTypes';

/** One linted input: its display path (relative to cwd) and the core's analysis of it. */
export interface LintedFile {
  file: string;
  analysis: FileAnalysis;
}

export interface LintCounts {
  errors: number;
  warnings: number;
  information: number;
  files: number;
  objects: number;
  skipped: number;
}

export function countReport(files: readonly LintedFile[]): LintCounts {
  const c: LintCounts = { errors: 0, warnings: 0, information: 0, files: files.length, objects: 0, skipped: 0 };
  for (const f of files) {
    c.objects += f.analysis.objects.length;
    c.skipped += f.analysis.skipped.length;
    for (const x of f.analysis.findings) {
      if (x.severity === 'error') c.errors++;
      else if (x.severity === 'warning') c.warnings++;
      else c.information++;
    }
  }
  return c;
}

/** Findings in reading order: by line, then character, then rule id. */
export function sortedFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character ||
      (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0),
  );
}
