// The CodeLens title above a workload (src/panel/workloadLensText.ts), on GENERATED analyses (test/support/workloadSample.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { workloadLensTitle } from '../../src/panel/workloadLensText';
import { workloadSample } from '../support/workloadSample';

void test('the lens counts the kills, names the class of most and says whether thrashing came first', () => {
  const a = workloadSample(Date.parse('2026-12-01T12:00:00Z'));
  const n = a.ooms.length;
  assert.ok(n >= 2, 'the sample has kills');
  const same = {
    ...a,
    ooms: a.ooms.map((k) => ({
      ...k,
      class: 'container-limit' as const,
      precededJudged: true,
      precededBy: 'thrashing' as const,
    })),
    evictions: [],
  };
  assert.equal(workloadLensTitle(same), `${n} OOM kills in 24 h · own limit, after thrashing · Analyze`);
  const mixed = { ...same, ooms: same.ooms.map((k, i) => (i === 0 ? { ...k, precededBy: null } : k)) };
  assert.equal(
    workloadLensTitle(mixed),
    `${n} OOM kills in 24 h · own limit, ${n - 1} of ${n} after thrashing · Analyze`,
  );
  const unjudged = { ...same, ooms: same.ooms.map((k) => ({ ...k, precededJudged: false, precededBy: null })) };
  assert.equal(workloadLensTitle(unjudged), `${n} OOM kills in 24 h · own limit · Analyze`);
  assert.equal(workloadLensTitle({ ...a, ooms: [], evictions: [] }), 'No OOM kills or evictions in 24 h · Analyze');
  assert.match(workloadLensTitle({ ...a, ooms: [] }), /^\d+ evictions? in 24 h · Analyze$/);
});
