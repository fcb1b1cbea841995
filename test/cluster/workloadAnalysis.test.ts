// The workload analysis and the triage (docs/workload.md) against the fleet cluster of the test API server and a real
// Prometheus holding the fleet's day of history (both GENERATED: src/demo/fleet*.ts; backfilled with promtool,
// test/support/fleetHistory.ts), found by Service discovery and read through the API server's service proxy, as on
// a real cluster. What a user reads in the report must be what happened in the fleet (its kills a–d, fleet.ts).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer, type ApiServer } from '../../src/demo/apiServer';
import { makeFleet } from '../../src/demo/fleet';
import {
  analyzeWorkload,
  loadKubeConfig,
  toObservedWorkload,
  triageWorkloads,
  type ClusterAccess,
  type WorkloadAnalysis,
  type WorkloadKill,
} from '../../src/cluster/index';
import { prometheusAvailable, startPrometheus, type Prometheus } from '../support/prometheus';
import { DAY_MS, fleetBackfill } from '../support/fleetHistory';
import { value } from './helpers';
import { missingSentence } from '../../scripts/prerequisites.mjs';

const MI = 1024 * 1024;
let prom: Prometheus | null = null;
let server: ApiServer;
let access: ClusterAccess;
let dir: string;
let now: number;

before(async () => {
  now = Date.now();
  dir = mkdtempSync(join(tmpdir(), 'oomscope-workload-'));
  // Without the prometheus package, the tests that need it skip with one line (fail under CI=true): prometheusAvailable.
  if (!missingSentence('test', process.env, ['prometheus']))
    prom = await startPrometheus({ openMetrics: fleetBackfill(makeFleet('fleet', now)) });
  server = await startApiServer({
    scenario: 'fleet',
    dir,
    startTime: now,
    ...(prom ? { prometheusUpstream: prom.url } : {}),
  });
  access = value(loadKubeConfig({ kubeconfigPath: server.kubeconfigPath, requestTimeoutMs: 10_000 }));
});

after(async () => {
  await server?.close();
  await prom?.close();
  rmSync(dir, { recursive: true, force: true });
});

const kill = (a: WorkloadAnalysis, pod: string): WorkloadKill => {
  const k = [...a.ooms, ...a.evictions].find((x) => x.pod === pod);
  assert.ok(k, `a kill of ${pod} in ${[...a.ooms, ...a.evictions].map((x) => x.pod).join(', ')}`);
  return k;
};
const hoursAgo = (k: WorkloadKill): number => Math.round(((now - k.t!) / 3_600_000) * 10) / 10;

void test('Deployment/api: every kill on every node, the gone node from Prometheus, each judged as on the node panel', async (t) => {
  if (!prometheusAvailable(t) || !prom) return;
  const before = server.requests.total;
  const a = value(
    await analyzeWorkload(access, { kind: 'Deployment', name: 'api', namespace: 'shop' }, { sinceMs: DAY_MS }),
  );
  const requests = server.requests.total - before;

  assert.equal(a.sources.prometheus, 'ok');
  assert.equal(a.sources['kube-state-metrics'], 'ok');
  assert.equal(a.sources.cadvisor, 'ok');
  assert.equal(a.sources['node-exporter'], 'ok');
  assert.equal(a.selector, 'app=api');
  assert.deepEqual(
    a.ooms.map((k) => k.pod),
    ['api-7d9f8c6b5-z9y8x', 'api-7d9f8c6b5-d3e4f', 'api-7d9f8c6b5-a1b2c'],
    'three OOM kills, oldest first; the staging Deployment of the same name and labels is not among them',
  );
  assert.deepEqual(
    a.evictions.map((k) => k.pod),
    ['api-7d9f8c6b5-g5h6i'],
  );

  // a. On a node that no longer exists: only Prometheus knows it.
  const gone = kill(a, 'api-7d9f8c6b5-z9y8x');
  assert.deepEqual(gone.foundIn, ['prometheus']);
  assert.equal(gone.node, 'fleet-gone');
  assert.equal(hoursAgo(gone), 20);
  assert.equal(gone.class, 'container-limit');
  assert.equal(gone.limitBytes, 512 * MI);
  assert.equal(gone.precededJudged, true, 'PSI around it was judged');
  assert.equal(gone.precededBy, 'thrashing');
  assert.ok(gone.workingSetAtKillBytes! > 0.95 * 512 * MI, `at its limit: ${gone.workingSetAtKillBytes! / MI}Mi`);
  assert.equal(a.pods.find((p) => p.name === 'api-7d9f8c6b5-z9y8x')?.live, false);
  assert.equal(a.nodes.find((n) => n.name === 'fleet-gone')?.present, false);

  // b. Thirty minutes ago on fleet-a: the pod status and kube-state-metrics agree, one kill.
  const b = kill(a, 'api-7d9f8c6b5-a1b2c');
  assert.deepEqual(b.foundIn.sort(), ['api', 'prometheus']);
  assert.equal(b.class, 'container-limit');
  assert.equal(b.precededBy, 'thrashing');
  assert.equal(b.containerType, 'container');

  // c. Two hours ago on fleet-b, far below its limit while the node's oom_kill counter rose: a system OOM; the pod
  // status alone (its events expired) would have said its own limit.
  const c = kill(a, 'api-7d9f8c6b5-d3e4f');
  assert.equal(c.class, 'system');
  assert.ok(
    c.evidence.some((e) => /node_vmstat_oom_kill.*the kill came from the node or a parent cgroup/.test(e)),
    c.evidence.join('\n'),
  );
  assert.ok(
    c.nodePressure && c.nodePressure.someMaxPercent > 20,
    `node PSI before it: ${JSON.stringify(c.nodePressure)}`,
  );
  assert.ok(
    a.disagreements.some(
      (d) => d.pod === 'api-7d9f8c6b5-d3e4f' && /container_oom_events_total did not rise/.test(d.sentence),
    ),
    'cAdvisor missed it while the status says OOMKilled: both shown',
  );

  // d. The eviction, with the kubelet's message.
  assert.match(kill(a, 'api-7d9f8c6b5-g5h6i').message ?? '', /low on resource: memory/);

  // Containers: the main container and the native sidecar, each with its own limit and its working set over the day.
  const api = a.containers.find((x) => x.name === 'api')!;
  assert.equal(api.limitBytes, 512 * MI);
  assert.ok(api.workingSet && api.workingSet.max >= api.workingSet.p95 && api.workingSet.p95 >= api.workingSet.p50);
  assert.ok(api.workingSet.max > 0.95 * 512 * MI);
  assert.equal(api.atKills.length, 3);
  assert.equal(a.containers.find((x) => x.name === 'log-shipper')?.containerType, 'sidecar');
  const line = a.series.find((s) => s.label === 'api')!;
  assert.equal(line.limitBytes, 512 * MI);
  assert.ok(line.memory.length > 100, 'a day of working set in the chart line');

  assert.deepEqual(
    a.nodes.map((n) => n.name),
    ['fleet-a', 'fleet-b', 'fleet-c', 'fleet-gone'],
  );
  assert.ok(a.nodes.find((n) => n.name === 'fleet-b')!.pressure.length > 100, "the node's PSI over the day");
  // Each node's memory from its Node object (fleetObjects.ts: 16Gi each, 4Gi of LimitedSwap on fleet-c); the gone one
  // unknown. The hover's observation keeps the nodes with a known capacity.
  assert.deepEqual(
    a.nodes.map((n) => [n.name, n.capacityBytes, n.swapCapacityBytes, n.swapBehavior]),
    [
      ['fleet-a', 16 * 1024 * MI, null, null],
      ['fleet-b', 16 * 1024 * MI, null, null],
      ['fleet-c', 16 * 1024 * MI, 4096 * MI, 'LimitedSwap'],
      ['fleet-gone', null, null, null],
    ],
  );
  assert.deepEqual(
    toObservedWorkload(a).nodes.map((n) => n.name),
    ['fleet-a', 'fleet-b', 'fleet-c'],
  );
  // 13 before the node reads; + one GET per node with a live pod (3) and configz of the one swap node.
  assert.ok(requests <= 17, `${requests} requests`);
});

void test('CronJob/report-generator: the kill of a deleted Job is found in Prometheus, the live Job pod in the API', async (t) => {
  if (!prometheusAvailable(t) || !prom) return;
  const a = value(await analyzeWorkload(access, { kind: 'CronJob', name: 'report-generator', namespace: 'batch' }));
  assert.deepEqual(
    a.ooms.map((k) => [k.pod, k.foundIn.sort().join('+')]),
    [
      ['report-generator-29150420-k7x2m', 'prometheus'],
      ['report-generator-29150480-q4w8n', 'api+prometheus'],
    ],
  );
  assert.equal(a.pods.find((p) => p.name === 'report-generator-29150420-k7x2m')?.live, false);
});

void test('StatefulSet/cache: one pod per node, no kills, its working set well under its limit', async (t) => {
  if (!prometheusAvailable(t) || !prom) return;
  const a = value(await analyzeWorkload(access, { kind: 'StatefulSet', name: 'cache', namespace: 'shop' }));
  assert.equal(a.ooms.length + a.evictions.length, 0);
  assert.deepEqual(a.pods.map((p) => `${p.name}@${p.node}`).sort(), [
    'cache-0@fleet-a',
    'cache-1@fleet-b',
    'cache-2@fleet-c',
  ]);
  const c = a.containers.find((x) => x.name === 'cache')!;
  assert.ok(c.workingSet && c.workingSet.max < 0.5 * (c.limitBytes ?? 0));
});

void test('without Prometheus: the API server history only, and the report says so', async () => {
  const a = value(
    await analyzeWorkload(access, { kind: 'Deployment', name: 'api', namespace: 'shop' }, { prometheus: false }),
  );
  assert.deepEqual(a.ooms.map((k) => k.pod).sort(), ['api-7d9f8c6b5-a1b2c', 'api-7d9f8c6b5-d3e4f']);
  assert.equal(
    kill(a, 'api-7d9f8c6b5-d3e4f').class,
    'container-limit',
    'no node evidence left: its own limit, as the status says',
  );
  assert.equal(kill(a, 'api-7d9f8c6b5-a1b2c').precededJudged, false, 'no PSI: cannot tell, never sudden');
  assert.match(a.sources.prometheus, /^unavailable/);
  assert.ok(a.notes.some((n) => /history is limited to the API server's/.test(n)));
  // The nodes' memory comes from the API server, not from Prometheus.
  assert.deepEqual(
    a.nodes.map((n) => [n.name, n.capacityBytes, n.swapBehavior]),
    [
      ['fleet-a', 16 * 1024 * MI, null],
      ['fleet-b', 16 * 1024 * MI, null],
      ['fleet-c', 16 * 1024 * MI, 'LimitedSwap'],
    ],
  );
});

void test("a node read that fails leaves that node's facts unknown, and the analysis goes on", async () => {
  // fleet-a's Node GET answers 500, fleet-c's kubelet configz 403 (no `get` on nodes/proxy).
  server.setFaults([
    { path: '/api/v1/nodes/fleet-a', kind: '500' },
    { path: '/api/v1/nodes/fleet-c/proxy/configz', kind: '403' },
  ]);
  try {
    const a = value(
      await analyzeWorkload(access, { kind: 'Deployment', name: 'api', namespace: 'shop' }, { prometheus: false }),
    );
    assert.deepEqual(
      a.nodes.map((n) => [n.name, n.present, n.capacityBytes, n.swapCapacityBytes, n.swapBehavior]),
      [
        ['fleet-a', true, null, null, null],
        ['fleet-b', true, 16 * 1024 * MI, null, null],
        ['fleet-c', true, 16 * 1024 * MI, 4096 * MI, null],
      ],
    );
    assert.equal(a.ooms.length, 2, 'the kills as without the faults');
  } finally {
    server.setFaults([]);
  }
});

void test('a workload that exists nowhere is one clear error', async () => {
  const r = await analyzeWorkload(
    access,
    { kind: 'Deployment', name: 'nope', namespace: 'shop' },
    { prometheus: false },
  );
  assert.equal(r.ok, false);
  if (!r.ok)
    assert.match(r.error.message, /Cannot analyze Deployment\/nope: Deployment\/nope does not exist in namespace shop/);
});

void test('triage: workloads ranked by kills through PromQL, and the same ranking from the pod list without Prometheus', async (t) => {
  const api = value(await triageWorkloads(access, { prometheus: false }));
  assert.equal(api.via, 'api');
  assert.deepEqual(
    api.workloads.map((w) => `${w.namespace}/${w.kind}/${w.name} ${w.ooms}+${w.evictions}`),
    ['shop/Deployment/api 2+1', 'batch/CronJob/report-generator 1+0', 'staging/Deployment/api 1+0'],
  );
  if (!prometheusAvailable(t) || !prom) return;
  const p = value(await triageWorkloads(access, { sinceMs: DAY_MS }));
  assert.equal(p.via, 'prometheus', JSON.stringify(p.sources));
  const rows = p.workloads.map((w) => `${w.namespace}/${w.kind}/${w.name} ${w.ooms}+${w.evictions}`);
  assert.deepEqual(rows, [
    'shop/Deployment/api 3+1',
    'batch/CronJob/report-generator 2+0',
    'staging/Deployment/api 1+0',
  ]);
  const shop = p.workloads[0]!;
  assert.equal(shop.dominantClass, 'container-limit');
  assert.ok(shop.afterThrashingShare !== null && shop.afterThrashingShare > 0, JSON.stringify(shop));
});

void test("triage without Prometheus: a container with no memory limit was the node's kill, never its own limit", async () => {
  const d = mkdtempSync(join(tmpdir(), 'oomscope-triage-demo-'));
  const demo = await startApiServer({ scenario: 'thrash-then-system-oom', dir: d, initialStep: 30 });
  try {
    const acc = value(loadKubeConfig({ kubeconfigPath: demo.kubeconfigPath, requestTimeoutMs: 10_000 }));
    const t = value(await triageWorkloads(acc, { prometheus: false }));
    const row = t.workloads.find((w) => w.kind === 'CronJob' && w.name === 'report-generator');
    assert.ok(row, JSON.stringify(t.workloads));
    assert.equal(row.dominantClass, 'system', 'BestEffort report-gen has no limit to hit');
  } finally {
    await demo.close();
    rmSync(d, { recursive: true, force: true });
  }
});
