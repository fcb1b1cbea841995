// "OOMScope: Memory Triage" in words (src/panel/triageItems.ts), from GENERATED Triage values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Triage } from '../../src/cluster/index';
import { emptyTriageMessage, triageItems, triageLine } from '../../src/panel/triageItems';

const NOW = Date.UTC(2026, 10, 27, 17, 30, 0);
const base: Triage = {
  version: 1,
  context: 'kind-demo',
  generatedAt: NOW,
  since: NOW - 24 * 3600_000,
  workloads: [],
  via: 'prometheus',
  sources: {},
  notes: [],
};

void test('one line per ranked workload: counts, dominant class, share after thrashing; the ref to open', () => {
  const t: Triage = {
    ...base,
    workloads: [
      {
        kind: 'Deployment',
        name: 'api',
        namespace: 'shop',
        ooms: 3,
        evictions: 1,
        dominantClass: 'container-limit',
        afterThrashingShare: 2 / 3,
      },
      {
        kind: 'CronJob',
        name: 'report',
        namespace: 'batch',
        ooms: 0,
        evictions: 2,
        dominantClass: 'eviction',
        afterThrashingShare: null,
      },
      {
        kind: 'StatefulSet',
        name: 'db',
        namespace: 'data',
        ooms: 1,
        evictions: 0,
        dominantClass: 'system',
        afterThrashingShare: 0,
      },
    ],
  };
  assert.deepEqual(
    triageItems(t).map((i) => i.label),
    [
      'shop/Deployment/api — 3 OOM kills, 1 eviction · own limit · 67% after thrashing',
      'batch/CronJob/report — 2 evictions · no PSI around the kills',
      'data/StatefulSet/db — 1 OOM kill · node OOM · 0% after thrashing',
    ],
  );
  assert.deepEqual(triageItems(t)[0].ref, { kind: 'Deployment', name: 'api', namespace: 'shop' });
  assert.equal(triageLine({ ...t.workloads[0], name: 'x'.repeat(600) }).length, 400);
});

void test('an empty triage says so, says where history came from, and shows the notes', () => {
  const api = emptyTriageMessage(
    { ...base, via: 'api', notes: ['No Prometheus found (no Service labelled app.kubernetes.io/name=prometheus).'] },
    '24 h',
  );
  assert.match(api, /^No workload of context kind-demo had an OOM kill or an eviction in the last 24 h; /);
  assert.match(api, /history limited to the API server's/);
  assert.match(api, /No Prometheus found/);
  assert.doesNotMatch(emptyTriageMessage(base, '1 h'), /history limited/);
});
