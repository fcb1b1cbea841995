// Swap-ins as thrashing evidence (issue 14 §7, docs/verdict.md "Phases"): on a swapping node pages come back from
// swap (/proc/vmstat pswpin) rather than as file refaults; at the limit, with a real stall, at the refault rate,
// that is thrashing by corroborating signals. Samples go through the real path: cumulative totals and counters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { phasesFromSamples } from '../../src/core/oom/phases';
import { DEFAULT_PHASE_SETTINGS, type PsiSample } from '../../src/core/oom/verdictTypes';

const S = { ...DEFAULT_PHASE_SETTINGS, pollIntervalSeconds: 1 };

/** Per second: [some %, swap-ins pages/s, limit hits/s]; no refaults, no major faults recorded beyond 0. */
function samples(quiet: number, busy: number, [some, swapIns, hits]: [number, number, number]): PsiSample[] {
  const out: PsiSample[] = [];
  let s = 0;
  let sw = 0;
  let h = 0;
  for (let i = 0; i <= quiet + busy; i++) {
    if (i > quiet) {
      s += some * 10_000;
      sw += swapIns;
      h += hits;
    }
    out.push({
      t: i * 1000,
      scope: '/job',
      some: { avg10: 0, avg60: 0, avg300: 0, total: s },
      full: { avg10: 0, avg60: 0, avg300: 0, total: s },
      counters: { stat: { workingset_refault_file: 0, pgmajfault: 0, pswpin: sw }, events: { high: h, max: 0 } },
    });
  }
  return out;
}

void test('swap-ins at the limit with a real stall are thrashing, named in the signals', () => {
  const ph = phasesFromSamples(samples(5, 40, [8, 2500, 4000]), S);
  assert.deepEqual(
    ph.map((p) => [p.phase, p.start, p.end]),
    [['thrashing', 5000, null]],
  );
  assert.equal(
    ph[0]!.signals,
    'some 8%, full 8% for 40s; refaults 0 pages/s, swap-ins 2,500 pages/s at the limit (4,000 limit hits/s)',
  );
});

void test('swap-ins below the refault rate, or not at the limit, are not thrashing', () => {
  assert.deepEqual(
    phasesFromSamples(samples(5, 40, [8, 300, 4000]), S).map((p) => p.phase),
    [],
  );
  assert.deepEqual(
    phasesFromSamples(samples(5, 40, [8, 2500, 0]), S).map((p) => p.phase),
    [],
  );
});
