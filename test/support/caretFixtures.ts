// Fixture helpers for the core's unit tests: expected findings marked with caret comment lines
// (`#   ^^^^ rule-id` under the line they point at), as in yaml-language-server's test helpers.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface ExpectedFinding {
  ruleId: string;
  line: number;
  start: number;
  end: number;
}

export const RULE_FIXTURES = join('test', 'fixtures', 'rules');

export function listRuleFixtures(): string[] {
  return readdirSync(RULE_FIXTURES)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
}

export function readFixture(name: string): string {
  return readFileSync(join(RULE_FIXTURES, name), 'utf8');
}

/** Expected findings: each caret line points at the nearest preceding line that is not a caret line. */
export function expectedFindings(text: string): ExpectedFinding[] {
  const lines = text.split(/\r?\n/);
  const out: ExpectedFinding[] = [];
  let target = -1;
  lines.forEach((l, i) => {
    const m = /^(\s*#\s*)(\^+)\s+([a-z-]+)\s*$/.exec(l);
    if (!m) {
      target = i;
      return;
    }
    const start = m[1]!.length;
    out.push({ ruleId: m[3]!, line: target, start, end: start + m[2]!.length });
  });
  return out;
}

export function key(f: ExpectedFinding): string {
  return `${f.line}:${f.start}-${f.end} ${f.ruleId}`;
}
