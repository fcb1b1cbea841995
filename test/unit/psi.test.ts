import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parsePressureText, psiFromSummary, samplesFromCounters, stallPoints } from '../../src/core/oom/psi';
import type { PsiSample } from '../../src/core/oom/verdictTypes';

const fx = (name: string): string => readFileSync(`test/fixtures/psi/${name}`, 'utf8');
const s = (t: number, someTotal: number | undefined, fullTotal: number | undefined, avg10 = 0): PsiSample => ({
  t,
  scope: 'node',
  some: { avg10, avg60: 0, avg300: 0, ...(someTotal !== undefined ? { total: someTotal } : {}) },
  full: { avg10: avg10 / 2, avg60: 0, avg300: 0, ...(fullTotal !== undefined ? { total: fullTotal } : {}) },
});

void test('/proc/pressure text (node_exporter fixtures)', () => {
  assert.deepEqual(parsePressureText(fx('proc-pressure-memory.txt'), 1000, 'node'), {
    t: 1000,
    scope: 'node',
    some: { avg10: 0, avg60: 0, avg300: 0, total: 0 },
    full: { avg10: 0, avg60: 0, avg300: 0, total: 0 },
  });
  assert.deepEqual(parsePressureText(fx('proc-pressure-io.txt'), 5, '/kubepods.slice'), {
    t: 5,
    scope: '/kubepods.slice',
    some: { avg10: 0.18, avg60: 0.34, avg300: 0.1, total: 159886802 },
    full: { avg10: 0.18, avg60: 0.34, avg300: 0.1, total: 159229614 },
  });
  assert.equal(parsePressureText(fx('proc-pressure-irq.txt'), 0, 'node'), null, 'irq has only a full line');
  assert.equal(parsePressureText('', 0, 'node'), null);
  assert.equal(parsePressureText('some avg10=x avg60=0 avg300=0 total=1', 0, 'node'), null);
  const cpu = parsePressureText(fx('proc-pressure-cpu.txt'), 0, 'node')!;
  assert.equal(cpu.some.total, 14036781, 'total stays in µs');
});

void test('exact stall fractions from Δtotal/Δt (µs), the first point from avg10', () => {
  const series = stallPoints([s(0, 0, 0, 3), s(10000, 2_000_000, 1_000_000, 7), s(20000, 2_500_000, 1_000_000, 9)]);
  assert.deepEqual(series, [
    [
      { t: 0, somePercent: 3, fullPercent: 1.5, exact: false },
      { t: 10000, somePercent: 20, fullPercent: 10, exact: true },
      { t: 20000, somePercent: 5, fullPercent: 0, exact: true },
    ],
  ]);
});

void test('without totals every point falls back to avg10', () => {
  const [series] = stallPoints([s(0, undefined, undefined, 12), s(10000, undefined, undefined, 30)]);
  assert.deepEqual(
    series!.map((p) => [p.somePercent, p.fullPercent, p.exact]),
    [
      [12, 6, false],
      [30, 15, false],
    ],
  );
});

void test('a counter reset starts a new series; so does a gap longer than 3 poll intervals', () => {
  const reset = stallPoints([s(0, 5_000_000, 1), s(10000, 6_000_000, 2), s(20000, 100, 1), s(30000, 1_000_100, 1)]);
  assert.equal(reset.length, 2);
  assert.deepEqual(
    reset[1]!.map((p) => [p.t, p.exact]),
    [
      [20000, false],
      [30000, true],
    ],
  );
  assert.equal(reset[1]![1]!.somePercent, 10);
  const gap = stallPoints([s(0, 0, 0), s(10000, 0, 0), s(20000, 0, 0), s(51000, 0, 0), s(61000, 0, 0)], 10);
  assert.deepEqual(
    gap.map((g) => g.map((p) => p.t)),
    [
      [0, 10000, 20000],
      [51000, 61000],
    ],
  );
  const noGap = stallPoints([s(0, 0, 0), s(30000, 0, 0)], 10);
  assert.equal(noGap.length, 1, 'exactly 3 intervals is not a gap');
});

void test('the poll interval defaults to the median spacing', () => {
  const g = stallPoints([s(0, 0, 0), s(1000, 0, 0), s(2000, 0, 0), s(3000, 0, 0), s(7000, 0, 0)]);
  assert.equal(g.length, 2);
});

void test('Summary API psi objects and Prometheus counters become samples', () => {
  assert.deepEqual(
    psiFromSummary(
      {
        some: { total: 5814748, avg10: 0.12, avg60: 1.98, avg300: 1.22 },
        full: { total: 4786857, avg10: 0.1, avg60: 1.57, avg300: 0.97 },
      },
      7,
      'pod:a/b',
    ),
    {
      t: 7,
      scope: 'pod:a/b',
      some: { avg10: 0.12, avg60: 1.98, avg300: 1.22, total: 5814748 },
      full: { avg10: 0.1, avg60: 1.57, avg300: 0.97, total: 4786857 },
    },
  );
  assert.equal(psiFromSummary(undefined, 0, 'x'), null);
  const samples = samplesFromCounters(
    [
      { t: 10000, waitingSeconds: 3, stalledSeconds: 1 },
      { t: 0, waitingSeconds: 1, stalledSeconds: 0.5 },
    ],
    'node',
  );
  assert.deepEqual(
    samples.map((x) => [x.t, x.some.total, x.full?.total]),
    [
      [0, 1_000_000, 500_000],
      [10000, 3_000_000, 1_000_000],
    ],
  );
  assert.deepEqual(stallPoints(samples)[0]![1], { t: 10000, somePercent: 20, fullPercent: 5, exact: true });
});

void test('random PSI text never throws', () => {
  fc.assert(
    fc.property(
      fc.string({ maxLength: 300 }),
      fc.constantFrom('some ', 'full ', 'avg10=', 'total=', '\n'),
      (txt, tok) => {
        parsePressureText(txt, 0, 'node');
        parsePressureText(tok + txt + tok + txt, 0, 'node');
      },
    ),
    { numRuns: 500 },
  );
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          t: fc.integer({ min: 0, max: 1e9 }),
          tot: fc.option(fc.nat()),
          avg: fc.double({ min: 0, max: 100, noNaN: true }),
        }),
        { maxLength: 50 },
      ),
      (rows) => {
        const series = stallPoints(rows.map((r) => s(r.t, r.tot ?? undefined, r.tot ?? undefined, r.avg)));
        for (const p of series.flat()) assert.ok(p.somePercent >= 0 && p.somePercent <= 100);
      },
    ),
    { numRuns: 300 },
  );
});
