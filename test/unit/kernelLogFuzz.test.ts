import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { parseKernelLog, parseKernelLine } from '../../src/core/oom/kernelLogParser';
import { classifyKernelOom } from '../../src/core/oom/classify';

const dir = 'test/fixtures/kernel-oom';
const realLines = readdirSync(dir)
  .filter((f) => f.endsWith('.log'))
  .flatMap((f) => readFileSync(`${dir}/${f}`, 'utf8').split('\n'));
const prefixes = [
  '',
  '[  12.345678] ',
  '<6>',
  '[Fri Nov 27 17:30:00 2026] ',
  'Nov 27 17:30:00 host kernel: ',
  '2026-11-27T17:30:00Z ',
  '[',
];

void test('random, truncated and interleaved kernel logs never throw, and every event is well-formed', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.oneof(
          fc.constantFrom(...realLines),
          fc.string({ maxLength: 120 }),
          fc.tuple(fc.constantFrom(...realLines), fc.nat()).map(([l, n]) => l.slice(0, n % (l.length + 1))),
          fc.tuple(fc.constantFrom(...prefixes), fc.constantFrom(...realLines)).map(([p, l]) => p + l),
        ),
        { maxLength: 80 },
      ),
      (lines) => {
        const evs = parseKernelLog(lines.join('\n'), { bootTimeMs: 0, year: 2026 });
        for (const e of evs) {
          assert.ok(e.lines[0] >= 1 && e.lines[1] >= e.lines[0] && e.lines[1] <= lines.length);
          classifyKernelOom(e);
        }
        for (const l of lines) parseKernelLine(l);
      },
    ),
    { numRuns: 400 },
  );
});

void test('any cut of a real report parses without throwing and flags it truncated', () => {
  const text = readFileSync(`${dir}/cadvisor-oomparser-docker-memcg-two-ooms-kernel-4.8.log`, 'utf8');
  fc.assert(
    fc.property(fc.nat({ max: text.length }), fc.nat({ max: text.length }), (a, b) => {
      const cut = text.slice(Math.min(a, b), Math.max(a, b));
      const evs = parseKernelLog(cut);
      assert.ok(evs.length <= 2);
      if (evs.length === 1 && !cut.includes('invoked oom-killer')) assert.equal(evs[0]!.truncated, true);
    }),
    { numRuns: 300 },
  );
});

void test('pathological long lines are read in linear time (no regex backtracking blow-up)', { timeout: 20000 }, () => {
  const n = 200_000;
  const lines = [
    `CPU: 1 PID: 2 Comm: x${' '.repeat(n)}`,
    `[ 1] ${'1 '.repeat(n)}`,
    `[ 1] 1 2 3 4 5${' '.repeat(n)}`,
    `${'a'.repeat(n)} invoked oom-killer: gfp_mask=0x1${'('.repeat(n)}`,
    `Killed process 1 (${'('.repeat(n)}`,
    `oom-kill:${',a'.repeat(n)}`,
    `x cpuset=${' cpuset='.repeat(n / 8)}`,
    `Nov 27 17:30:00 ${' '.repeat(n)}kernel:`,
    `[${' '.repeat(n)}`,
    `2026-11-27T17:30:00Z ${'['.repeat(n)}`,
  ];
  const evs = parseKernelLog(lines.join('\n'));
  assert.ok(evs.length <= lines.length);
});
