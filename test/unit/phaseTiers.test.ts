// Phase tiers (docs/verdict.md "Phases"): healthy, pressure, thrashing by the stall, thrashing by refaults at the
// limit, severe; and the kill's own reclaim. Samples go through the real path: cumulative totals and counters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judgePrecursor, phasesFromSamples } from '../../src/core/oom/phases';
import { psiCoverage } from '../../src/core/oom/psi';
import { DEFAULT_PHASE_SETTINGS, type PsiSample } from '../../src/core/oom/verdictTypes';

const S = { ...DEFAULT_PHASE_SETTINGS, pollIntervalSeconds: 1 };

/** Per second: [some %, full %, refaults pages/s, limit hits/s]; counters null = not recorded. */
type Second = [number, number, number, number];
function samples(seconds: Second[], withCounters = true, stepS = 1): PsiSample[] {
  let some = 0;
  let full = 0;
  let refault = 0;
  let hits = 0;
  const out: PsiSample[] = [];
  for (let i = 0; i <= seconds.length; i++) {
    if (i > 0) {
      const [s, f, r, h] = seconds[i - 1]!;
      some += s * 10_000 * stepS;
      full += f * 10_000 * stepS;
      refault += r * stepS;
      hits += h * stepS;
    }
    const x: PsiSample = {
      t: i * 1000 * stepS,
      scope: '/job',
      some: { avg10: 0, avg60: 0, avg300: 0, total: some },
      full: { avg10: 0, avg60: 0, avg300: 0, total: full },
    };
    if (withCounters)
      x.counters = { stat: { workingset_refault_file: refault, pgmajfault: 0 }, events: { failcnt: hits } };
    out.push(x);
  }
  return out;
}
const run = (n: number, s: Second): Second[] => Array.from({ length: n }, () => s);

void test('healthy: a quiet scope (some well under 0.2 %) has no phase, whatever its counters', () => {
  assert.deepEqual(phasesFromSamples(samples(run(60, [0.1, 0, 50, 0])), S), []);
});

void test('pressure: some 15 % for 20 s, full 2 %, no reclaim at a limit', () => {
  const ph = phasesFromSamples(
    samples([...run(5, [0, 0, 0, 0]), ...run(20, [15, 2, 0, 0]), ...run(15, [0, 0, 0, 0])]),
    S,
  );
  assert.deepEqual(
    ph.map((p) => [p.phase, p.start, p.end, p.signals]),
    [['pressure', 5000, 25000, 'some 15% for 20s; refaults 0 pages/s']],
  );
});

void test('thrashing by the stall: full 14 % for 22 s', () => {
  const ph = phasesFromSamples(
    samples([...run(5, [0, 0, 0, 0]), ...run(22, [20, 14, 0, 0]), ...run(15, [0, 0, 0, 0])], false),
    S,
  );
  assert.deepEqual(
    ph.map((p) => [p.phase, p.start, p.end, p.signals]),
    [['thrashing', 5000, 27000, 'full 14% for 22s']],
  );
});

void test('thrashing by refaults at the limit while PSI stays moderate (some 8 %): the issue case', () => {
  // 54 s of a collapsed workload before its kill: the limit hit 9,000 times a second, 3,100 pages read back a
  // second, some and full 8 % (one task: full = some) — under the 10 % bars of the stall-only rules.
  const seconds = [...run(5, [0, 0, 0, 0]), ...run(54, [8, 8, 3100, 9000])];
  const ph = phasesFromSamples(samples(seconds), S);
  assert.deepEqual(
    ph.map((p) => [p.phase, p.start, p.end]),
    [['thrashing', 5000, null]],
  );
  assert.equal(ph[0]!.signals, 'some 8%, full 8% for 54s; refaults 3,100 pages/s at the limit (9,000 limit hits/s)');
  const kill = 59_000;
  const r = judgePrecursor(kill, { times: samples(seconds).map((s) => s.t), toleranceMs: 3000, phases: ph }, S);
  assert.equal(r.precededBy, 'thrashing');
  assert.equal(r.seconds, 54);
  // Each corroborating signal is needed: without the limit hits, without the refaults, or without a real stall,
  // the same seconds are not thrashing.
  const tiers = (s: Second): string[] =>
    phasesFromSamples(samples([...run(5, [0, 0, 0, 0]), ...run(54, s)]), S).map((p) => p.phase);
  assert.deepEqual(tiers([8, 8, 3100, 0]), [], 'not at the limit');
  assert.deepEqual(tiers([8, 8, 300, 9000]), [], 'few refaults');
  assert.deepEqual(tiers([2, 2, 3100, 9000]), [], 'no real stall (2 % < 5 %)');
  assert.deepEqual(tiers([12, 8, 300, 9000]), ['pressure'], 'a stall at the limit without refaults is pressure');
  // Not recorded: the stall alone judges, and 8 % is not even pressure.
  assert.deepEqual(phasesFromSamples(samples(seconds, false), S), []);
});

void test('severe: full above 60 % for 30 s (systemd-oomd), shorter is thrashing', () => {
  const long = phasesFromSamples(
    samples([...run(5, [0, 0, 0, 0]), ...run(40, [80, 70, 0, 0]), ...run(15, [0, 0, 0, 0])], false),
    S,
  );
  assert.deepEqual(
    long.map((p) => [p.phase, p.start, p.end, p.signals]),
    [['severe', 5000, 45000, 'full 70% for 40s']],
  );
  const short = phasesFromSamples(
    samples([...run(5, [0, 0, 0, 0]), ...run(20, [80, 70, 0, 0]), ...run(15, [0, 0, 0, 0])], false),
    S,
  );
  assert.deepEqual(
    short.map((p) => p.phase),
    ['thrashing'],
  );
  const r = judgePrecursor(
    44_000,
    { times: samples(run(45, [0, 0, 0, 0])).map((s) => s.t), toleranceMs: 3000, phases: long },
    S,
  );
  assert.equal(r.precededBy, 'thrashing', 'a severe phase is thrashing in precededBy');
  assert.equal(r.phase!.phase, 'severe');
});

void test("the kill's own reclaim: a burst straight past its limit, a stall only in its last second, polled every 10 s", () => {
  // Quiet for 90 s; the next sample (100 s) shows 10 % of its 10 s stalled — 1 s, all of it around the kill at 95 s.
  const seconds: Second[] = [...run(9, [0, 0, 0, 0]), [10, 5, 0, 5]];
  const ps = samples(seconds, true, 10);
  const ph = phasesFromSamples(ps, { ...DEFAULT_PHASE_SETTINGS }, { inferPollInterval: true });
  assert.deepEqual(
    ph.map((p) => [p.phase, p.start, p.begunBy]),
    [['pressure', 90_000, 99_000]],
  );
  const cov = psiCoverage(ps).get('/job')!;
  const r = judgePrecursor(
    95_000,
    { times: cov.times, toleranceMs: cov.toleranceMs, phases: ph },
    DEFAULT_PHASE_SETTINGS,
  );
  assert.equal(r.judged, true);
  assert.equal(r.precededBy, null, 'not "preceded by pressure": the stall may all lie in the last 2 s');
  assert.equal(r.ownReclaim, ph[0], 'shown as part of the kill');
});
