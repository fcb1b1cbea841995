import type { Severity } from '../core/manifest/findingTypes';
import type { LintedFile } from './lintReport';
import { countReport, sortedFindings } from './lintReport';

/** ANSI styling, or none. */
export interface Palette {
  red: (s: string) => string;
  yellow: (s: string) => string;
  cyan: (s: string) => string;
  dim: (s: string) => string;
  bold: (s: string) => string;
}

const plain = (s: string): string => s;
const sgr = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;

export const NO_COLOR: Palette = { red: plain, yellow: plain, cyan: plain, dim: plain, bold: plain };
export const ANSI: Palette = {
  red: sgr(31, 39),
  yellow: sgr(33, 39),
  cyan: sgr(36, 39),
  dim: sgr(2, 22),
  bold: sgr(1, 22),
};

/** Colour only on a terminal, and never when NO_COLOR is set to a non-empty value (no-color.org). */
export function paletteFor(isTty: boolean, env: NodeJS.ProcessEnv): Palette {
  return isTty && !env.NO_COLOR ? ANSI : NO_COLOR;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

const LABEL: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'info' };

/** Findings for people: grouped by file, one `file:line:col  severity  rule  message` line each (1-based), then a summary line. */
export function formatText(files: readonly LintedFile[], p: Palette): string {
  const out: string[] = [];
  const paint: Record<Severity, (s: string) => string> = { error: p.red, warning: p.yellow, information: p.cyan };
  for (const { file, analysis } of files) {
    const lines: string[] = [];
    for (const f of sortedFindings(analysis.findings)) {
      const where = `${file}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
      const owner = f.object
        ? `${f.object.kind}/${f.object.name ?? '(unnamed)'}${f.container ? `, container ${f.container}` : ''}`
        : '';
      const sev = LABEL[f.severity];
      lines.push(
        `${p.bold(where)}  ${paint[f.severity](sev)}${' '.repeat(7 - sev.length)}  ${p.dim(f.ruleId)}  ${f.message}${owner ? p.dim(`  (${owner})`) : ''}`,
      );
    }
    for (const s of analysis.skipped) {
      lines.push(
        p.dim(
          `${file}:${s.range.start.line + 1}:${s.range.start.character + 1}  skipped  document ${s.document + 1}: ${s.reason}`,
        ),
      );
    }
    if (lines.length > 0) out.push(lines.join('\n'), '');
  }
  const c = countReport(files);
  const parts = [plural(c.errors, 'error'), plural(c.warnings, 'warning')];
  if (c.information > 0) parts.push(`${c.information} info`);
  let summary = `${parts.join(', ')} in ${plural(c.files, 'file')} (${plural(c.objects, 'object')})`;
  if (c.skipped > 0) summary += `; ${plural(c.skipped, 'document')} skipped`;
  const colour = c.errors > 0 ? p.red : c.warnings > 0 ? p.yellow : plain;
  out.push(colour(summary));
  return out.join('\n') + '\n';
}
