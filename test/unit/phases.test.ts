import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { detectPhases, judgePrecursor, phasesFromSamples, psiCoversKill } from '../../src/core/oom/phases';
import type { PhaseInterval } from '../../src/core/oom/verdictTypes';
import {
  DEFAULT_PHASE_SETTINGS,
  type PhaseSettings,
  type PsiSample,
  type StallPoint,
} from '../../src/core/oom/verdictTypes';

/** One point per second from 0; values [some, full] per second. */
function seconds(values: Array<[number, number]>): StallPoint[] {
  return values.map(([some, full], i) => ({ t: i * 1000, somePercent: some, fullPercent: full, exact: true }));
}
const run = (n: number, some: number, full: number): Array<[number, number]> =>
  Array.from({ length: n }, () => [some, full]);
const S: PhaseSettings = { ...DEFAULT_PHASE_SETTINGS, pollIntervalSeconds: 1 };
/** `judgePrecursor` with PSI recorded every second from 0 to the kill: what it says of the phases alone. */
function precededBy(
  t: number,
  phases: PhaseInterval[],
  settings: PhaseSettings,
): { precededBy: string | null; phase: PhaseInterval | null } {
  const times = Array.from({ length: Math.floor(t / 1000) + 1 }, (_, i) => i * 1000);
  const r = judgePrecursor(t, { times, toleranceMs: 3000, phases }, settings);
  assert.equal(r.judged, true, 'recorded up to the kill: judged');
  return { precededBy: r.precededBy, phase: r.phase };
}

void test('pressure starts as soon as some ≥ 10% and ends 10 s after it fell below', () => {
  const phases = detectPhases(seconds([...run(5, 0, 0), ...run(3, 15, 0), ...run(20, 0, 0)]), 'node', S);
  assert.deepEqual(phases, [
    {
      scope: 'node',
      phase: 'pressure',
      start: 4000,
      end: 7000,
      peakSomePercent: 15,
      peakFullPercent: 0,
      signals: 'some 15% for 3s',
      // The first second above shows 15 % stalled: the stall had begun by 5 s − 0.15 s.
      begunBy: 4850,
    },
  ]);
});

void test('thrashing needs full ≥ 10% (or some ≥ 40%) sustained for 10 s; shorter is only pressure', () => {
  const short = detectPhases(seconds([...run(2, 0, 0), ...run(6, 30, 20), ...run(15, 0, 0)]), 'node', S);
  assert.deepEqual(
    short.map((p) => p.phase),
    ['pressure'],
  );
  const long = detectPhases(seconds([...run(2, 0, 0), ...run(15, 30, 20), ...run(15, 0, 0)]), 'node', S);
  assert.deepEqual(
    long.map((p) => [p.phase, p.start, p.end]),
    [['thrashing', 1000, 16000]],
  );
  assert.equal(long[0]!.peakFullPercent, 20);
  const someOnly = detectPhases(seconds([...run(2, 0, 0), ...run(15, 45, 0), ...run(15, 0, 0)]), 'node', S);
  assert.deepEqual(
    someOnly.map((p) => p.phase),
    ['thrashing'],
  );
});

void test('hysteresis: a 5 s dip does not end thrashing, a 12 s one does', () => {
  const dip = detectPhases(
    seconds([...run(1, 0, 0), ...run(12, 50, 30), ...run(5, 5, 0), ...run(12, 50, 30), ...run(15, 0, 0)]),
    'node',
    S,
  );
  assert.deepEqual(
    dip.map((p) => [p.phase, p.start, p.end]),
    [['thrashing', 0, 29000]],
  );
  const gap = detectPhases(
    seconds([...run(1, 0, 0), ...run(12, 50, 30), ...run(12, 5, 0), ...run(12, 50, 30), ...run(15, 0, 0)]),
    'node',
    S,
  );
  assert.deepEqual(
    gap.map((p) => p.phase),
    ['thrashing', 'thrashing'],
  );
});

void test('the timeline is exclusive: pressure, then thrashing, then pressure', () => {
  const phases = detectPhases(
    seconds([...run(1, 0, 0), ...run(5, 20, 0), ...run(15, 60, 30), ...run(5, 20, 0), ...run(15, 0, 0)]),
    'pod',
    S,
  );
  assert.deepEqual(
    phases.map((p) => [p.phase, p.start, p.end]),
    [
      ['pressure', 0, 5000],
      ['thrashing', 5000, 20000],
      ['pressure', 20000, 25000],
    ],
  );
  assert.deepEqual(
    phases.map((p) => p.peakSomePercent),
    [20, 60, 20],
  );
});

void test('all thresholds come from the settings', () => {
  const strict: PhaseSettings = {
    ...S,
    pressureSomePercent: 50,
    thrashingFullPercent: 5,
    sustainSeconds: 2,
    hysteresisSeconds: 1,
  };
  const phases = detectPhases(seconds([...run(1, 0, 0), ...run(4, 20, 6), ...run(5, 0, 0)]), 'node', strict);
  assert.deepEqual(
    phases.map((p) => [p.phase, p.start, p.end]),
    [['thrashing', 0, 4000]],
  );
});

void test('phases never span a gap, and one still open at the last sample has no end', () => {
  const a = seconds(run(15, 50, 30));
  const b = seconds(run(15, 50, 30)).map((p) => ({ ...p, t: p.t + 100000 }));
  const phases = detectPhases([a, b], 'node', S);
  assert.deepEqual(
    phases.map((p) => [p.phase, p.start, p.end]),
    [
      ['thrashing', 0, 14000],
      ['thrashing', 100000, null],
    ],
  );
});

void test('judgePrecursor: thrashing in the precursor window wins; pressure else; nothing = sudden', () => {
  const phases = detectPhases(
    seconds([...run(1, 0, 0), ...run(5, 20, 0), ...run(15, 60, 30), ...run(40, 0, 0)]),
    'node',
    S,
  );
  assert.equal(precededBy(30000, phases, S).precededBy, 'thrashing');
  assert.equal(precededBy(30000 + 301000, phases, S).precededBy, null, 'outside the 300 s window');
  assert.equal(precededBy(30000 + 301000, phases, { ...S, precursorWindowSeconds: 600 }).precededBy, 'thrashing');
  assert.equal(precededBy(3000, phases, S).precededBy, 'pressure', 'thrashing had not started yet');
  const onlyPressure = detectPhases(seconds([...run(1, 0, 0), ...run(5, 20, 0), ...run(20, 0, 0)]), 'node', S);
  const r = precededBy(10000, onlyPressure, S);
  assert.equal(r.precededBy, 'pressure');
  assert.equal(r.phase!.start, 0);
  assert.deepEqual(precededBy(10000, [], S), { precededBy: null, phase: null });
});

void test("judgePrecursor: pressure that begins within 2 s of the kill is the kill's own reclaim, not its precursor", () => {
  // Quiet, then a stall from t = 10 s on (the kernel reclaiming at the limit), the kill at 11.5 s: sudden.
  const phases = detectPhases(seconds([...run(11, 0, 0), ...run(2, 35, 20)]), 'node', S);
  assert.equal(phases.length, 1);
  assert.equal(phases[0]!.start, 10000);
  assert.deepEqual(precededBy(11500, phases, S), { precededBy: null, phase: null });
  assert.equal(precededBy(11999, phases, S).precededBy, null, 'still within the 2 s PSI period');
  // The first second shows 35 % stalled: the stall had provably begun by 10.65 s. From 2 s after that it preceded.
  assert.equal(phases[0]!.begunBy, 10650);
  assert.equal(precededBy(12600, phases, S).precededBy, null);
  assert.equal(precededBy(12650, phases, S).precededBy, 'pressure');
  // A thrashing phase that began within the 2 s does not hide earlier pressure.
  const both = [
    {
      scope: 'node',
      phase: 'pressure' as const,
      start: 0,
      end: 9000,
      peakSomePercent: 15,
      peakFullPercent: 0,
      signals: '',
      begunBy: 0,
    },
    {
      scope: 'node',
      phase: 'thrashing' as const,
      start: 10500,
      end: null,
      peakSomePercent: 80,
      peakFullPercent: 60,
      signals: '',
      begunBy: 10500,
    },
  ];
  assert.equal(precededBy(11000, both, S).precededBy, 'pressure');
});

void test('recorded on this machine: the thrash-then-grow cgroup shows pressure before the kill', () => {
  const samples: PsiSample[] = readFileSync('test/fixtures/psi/recorded-thrash-then-grow.jsonl', 'utf8')
    .trim()
    .split('\n')
    .map((l) => {
      const o = JSON.parse(l) as { ts: number; scope: string; some: PsiSample['some']; full: PsiSample['full'] };
      return { t: o.ts, scope: o.scope, some: o.some, full: o.full };
    });
  const phases = phasesFromSamples(samples, { ...DEFAULT_PHASE_SETTINGS, pollIntervalSeconds: 0.5 });
  const cg = phases.filter((p) => p.scope !== 'node');
  assert.ok(cg.length >= 1, 'the cgroup scope has a phase');
  assert.ok(cg.some((p) => p.peakSomePercent >= 10));
});

void test('a PSI series at 60 s spacing is one series when the poll interval is inferred from it', () => {
  let total = 0;
  const samples: PsiSample[] = Array.from({ length: 10 }, (_, i) => {
    total += i >= 3 && i < 6 ? 30_000_000 : 0;
    return {
      t: i * 60000,
      scope: 'node',
      some: { avg10: 0, avg60: 0, avg300: 0, total },
      full: { avg10: 0, avg60: 0, avg300: 0, total: 0 },
    };
  });
  const fixed = phasesFromSamples(samples, DEFAULT_PHASE_SETTINGS);
  assert.deepEqual(fixed, [], 'with a 10 s poll setting every 60 s step is a gap: no exact fractions, no phase');
  const inferred = phasesFromSamples(samples, DEFAULT_PHASE_SETTINGS, { inferPollInterval: true });
  assert.deepEqual(
    inferred.map((p) => [p.phase, p.start, p.end, p.peakSomePercent]),
    [['thrashing', 120000, 300000, 50]],
  );
});

void test('judgePrecursor: PSI that does not record the window before the kill cannot tell, never "sudden"', () => {
  const kill = Date.UTC(2026, 0, 1, 12, 0, 0);
  const quiet: PhaseInterval[] = [];
  // The gap: samples from −400 s to −350 s, then one at +5 s (a recorder that stalled while the node thrashed).
  const gap = [...Array.from({ length: 6 }, (_, i) => kill - 400_000 + i * 10_000), kill + 5000];
  assert.deepEqual(judgePrecursor(kill, { times: gap, toleranceMs: 30_000, phases: quiet }, S), {
    judged: false,
    precededBy: null,
    phase: null,
    seconds: null,
    ownReclaim: null,
  });
  // A hole inside the window, with samples on both sides of it and right before the kill.
  const hole = [...Array.from({ length: 10 }, (_, i) => kill - 300_000 + i * 10_000), kill - 100_000, kill - 10_000];
  assert.equal(psiCoversKill(kill, hole, 30_000, S), false);
  // Recording that started after the kill, or stopped well before it.
  assert.equal(psiCoversKill(kill, [kill + 1000, kill + 11_000], 30_000, S), false);
  assert.equal(psiCoversKill(kill, [kill - 100_000, kill - 90_000], 30_000, S), false);
  // Recorded every 10 s through the window (or since recording began inside it): judged, and quiet is sudden.
  const full = Array.from({ length: 40 }, (_, i) => kill - 390_000 + i * 10_000);
  assert.deepEqual(judgePrecursor(kill, { times: full, toleranceMs: 30_000, phases: quiet }, S), {
    judged: true,
    precededBy: null,
    phase: null,
    seconds: null,
    ownReclaim: null,
  });
  assert.equal(psiCoversKill(kill, [kill - 60_000, kill - 40_000, kill - 20_000], 30_000, S), true);
  // The last sample up to three poll intervals before the kill still reaches it; more does not.
  assert.equal(psiCoversKill(kill, [kill - 60_000, kill - 30_000], 30_000, S), true);
  assert.equal(psiCoversKill(kill, [kill - 60_000, kill - 31_000], 30_000, S), false);
});
