// The demo cluster of `npm start` (thrash-then-system-oom, its story past the kill at the wall clock): the workload
// analysis of CronJob/report-generator reads its synthetic Prometheus (src/demo/syntheticPrometheus.ts, GENERATED from
// the scenario's curves) as it reads a real one — the working set's peak, the node's PSI over the window, and the
// thrashing before the system OOM — so the manifest's finding in the demo tells the whole story.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeWorkload } from '../../src/cluster/analysis/workloadApi';
import { toObservedWorkload } from '../../src/cluster/analysis/observedWorkload';
import { harness, value } from './helpers';

const MI = 1024 * 1024;

void test('the demo: report-generator died in a system OOM after thrashing, at a 3000Mi peak, and the sources say so', async (t) => {
  const h = await harness({ scenario: 'thrash-then-system-oom', initialStep: 25, startTime: undefined });
  t.after(() => h.close());
  const a = value(await analyzeWorkload(h.access, { kind: 'CronJob', name: 'report-generator', namespace: 'batch' }));
  assert.equal(a.sources.prometheus, 'ok');
  assert.equal(a.sources.cadvisor, 'ok');
  assert.equal(a.sources['node-exporter'], 'ok');
  assert.equal(a.ooms.length, 1);
  const kill = a.ooms[0]!;
  assert.equal(kill.class, 'system');
  assert.equal(kill.precededJudged, true, 'node PSI covered the kill');
  assert.equal(kill.precededBy, 'thrashing');
  assert.ok(kill.precedingSeconds !== null && kill.precedingSeconds >= 30, `${kill.precedingSeconds} s of thrashing`);
  assert.equal(a.containers[0]?.workingSet?.max, 3000 * MI, 'the curve peaks at 400 + 2600 MiB');
  const node = a.nodes.find((n) => n.name === 'demo-worker-1');
  assert.ok(node && node.pressure.some((p) => p.some > 30), 'the node PSI of the thrashing phase');
  const o = toObservedWorkload(a);
  assert.equal(o.containers[0]?.kills[0]?.precededBy, 'thrashing');
});
