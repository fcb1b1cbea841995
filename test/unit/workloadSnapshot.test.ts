// What the workload panel sends to its webview (src/panel/workloadSnapshot.ts), from the GENERATED sample of
// test/support/workloadSample.ts: the words, no credentials, bounded sizes. And the refs the host accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MI, SAMPLE, workloadSample } from '../support/workloadSample';
import { safeText, snapshotFromWorkload, WORKLOAD_LIMITS } from '../../src/panel/workloadSnapshot';
import { parseKindName, windowOf, workloadRefOf } from '../../src/panel/workloadRef';
import { offeredWorkload } from '../../src/panel/panelMessages';
import { demoSnapshot } from '../support/panelSnapshots';
import { MAX_SENT_POINTS } from '../../src/panel/downsample';

const NOW = Date.UTC(2026, 10, 27, 17, 30, 0);
const DAY = 24 * 3600_000;

void test('the snapshot: kills in words, one line per container with its own limit, the gone pod, the sources', () => {
  const s = snapshotFromWorkload(workloadSample(NOW), { sinceMs: DAY });
  assert.equal(s.title, 'Deployment/api · namespace shop · context kind-demo');
  assert.deepEqual(s.target, {
    kind: 'workload',
    context: 'kind-demo',
    workload: { kind: 'Deployment', name: 'api', namespace: 'shop' },
    sinceMs: DAY,
  });
  assert.equal(s.windowLabel, '24 h');
  assert.deepEqual(
    s.ooms.map((k) => [k.id, k.classText, k.precededText]),
    [
      ['k1', 'hit its own 512Mi limit', 'thrashing for 2m 10s before the kill'],
      ['k2', 'hit its own 128Mi limit', 'sudden: no memory pressure in the 5m before the kill (a burst allocation)'],
      [
        'k3',
        'the node ran out of memory; it was the victim, chosen by oom_score_adj',
        'under memory pressure (no thrashing) for 4m before the kill',
      ],
    ],
  );
  assert.match(s.evictions[0].precededText, /before the eviction$/);
  assert.deepEqual(
    s.series.map((l) => [l.label, l.limitBytes, l.requestBytes]),
    SAMPLE.containers.map((c) => [c.name, c.limitBytes, c.requestBytes]),
  );
  assert.deepEqual(
    s.pods.map((p) => [p.name, p.live]),
    [
      [SAMPLE.livePod, true],
      [SAMPLE.gonePod, false],
    ],
  );
  assert.equal(s.sources[SAMPLE.missingSource], `forbidden: ${SAMPLE.missingSentence}`);
  assert.equal(s.nodes.find((n) => n.name === SAMPLE.goneNode)?.present, false);
  assert.equal(s.containers[0].workingSet?.p95, 460 * MI);
});

void test('no credentials reach the webview: only the protocol fields are copied, URLs in text are redacted', () => {
  const a = workloadSample(NOW);
  const secret = 'https://admin:SECRET-PW@prom.local:9090/prometheus?token=SECRET-Q#SECRET-F';
  const leaky = a as unknown as Record<string, unknown>;
  leaky.kubeconfig = { token: 'SECRET-TOKEN' };
  (a.pods[0] as unknown as Record<string, unknown>).bearerToken = 'SECRET-POD';
  (a.series[0] as unknown as Record<string, unknown>).authorization = 'Bearer SECRET-SERIES';
  (a.series[0].memory[0] as unknown as Record<string, unknown>).auth = 'SECRET-POINT';
  (a.nodes[0] as unknown as Record<string, unknown>).clientKey = 'SECRET-NODE';
  (a.ooms[0].kernel as unknown) = { pid: 1, comm: 'x', oomScoreAdj: 0, oomMemcg: null, taskMemcg: null };
  (a.ooms[0] as unknown as Record<string, unknown>).message = `scraped ${secret}`;
  a.notes.push(`Prometheus at ${secret} answered 503.`);
  a.sources.prometheus = `error: ${secret} timed out`;
  a.ooms[0].evidence.push(`queried ${secret}`);
  a.disagreements[0].sentence += ` (${secret})`;
  const json = JSON.stringify(snapshotFromWorkload(a, { sinceMs: DAY }));
  assert.ok(!json.includes('SECRET'), json.match(/.{40}SECRET.{20}/)?.[0]);
  assert.ok(json.includes('https://prom.local:9090/prometheus timed out'), 'the redacted URL is still named');
  assert.equal(safeText('x'.repeat(5000)).length, WORKLOAD_LIMITS.text);
});

void test('sizes are bounded: long series downsampled (peaks kept), kills, pods and nodes cut with a note', () => {
  const a = workloadSample(NOW, { pointsPerLine: 50_000 });
  const template = a.ooms[0];
  a.ooms = Array.from({ length: 2000 }, (_, i) => ({ ...template, id: `k${i}`, t: a.since + i * 40_000 }));
  a.pods = Array.from({ length: 3000 }, (_, i) => ({ ...a.pods[0], name: `api-${i}` }));
  a.nodes = Array.from({ length: 100 }, (_, i) => ({ ...a.nodes[0], name: `node-${String(i).padStart(3, '0')}` }));
  a.nodes[99] = { ...a.nodes[99], name: 'node-with-kill' };
  a.ooms[0] = { ...a.ooms[0], node: 'node-with-kill' };
  const s = snapshotFromWorkload(a, { sinceMs: DAY });
  for (const [i, line] of s.series.entries()) {
    assert.ok(line.points.length <= MAX_SENT_POINTS, `${line.label}: ${line.points.length} points`);
    const peak = Math.max(...a.series[i].memory.map((p) => p.workingSetBytes));
    assert.equal(Math.max(...line.points.map((p) => p.workingSetBytes)), peak, 'the peak survives');
  }
  assert.equal(s.ooms.length, WORKLOAD_LIMITS.kills);
  assert.equal(s.ooms[0].id, 'k1999', 'newest first');
  assert.equal(s.pods.length, WORKLOAD_LIMITS.pods);
  assert.equal(s.nodes.filter((n) => n.pressure.length > 0).length, WORKLOAD_LIMITS.pressureNodes);
  assert.equal(s.nodes[0].name, 'node-with-kill', 'a node with a kill is drawn first');
  assert.ok(s.notes.includes('The panel shows 500 of 2000 OOM kills (the newest).'), s.notes.join('\n'));
  assert.ok(s.notes.includes('The panel shows 1000 of 3000 pods.'));
  assert.ok(s.notes.some((n) => n.startsWith('The pressure chart draws 40 of the 100 nodes')));
  const bytes = JSON.stringify(s).length;
  assert.ok(bytes < 3_000_000, `${bytes} bytes`);
});

void test('refs: KIND/NAME typed in, checked arguments, and only the workloads the node panel offered', () => {
  assert.deepEqual(parseKindName(' deployment/api '), { kind: 'Deployment', name: 'api' });
  assert.deepEqual(parseKindName('CronJob/report-generator'), { kind: 'CronJob', name: 'report-generator' });
  assert.match((parseKindName('Service/api') as { error: string }).error, /not a workload kind/);
  assert.match((parseKindName('api') as { error: string }).error, /KIND\/NAME/);
  assert.match((parseKindName('Deployment/API_1') as { error: string }).error, /not a Kubernetes object name/);
  assert.equal(workloadRefOf({ kind: 'Deployment', name: 'api', namespace: '../etc' }), null);
  assert.equal(workloadRefOf('Deployment/api'), null);
  assert.equal(windowOf(6 * 3600_000), 6 * 3600_000);
  assert.equal(windowOf(-1), DAY);
  assert.equal(windowOf('1h'), DAY);
  const snap = demoSnapshot(NOW);
  assert.deepEqual(offeredWorkload(snap, { type: 'analyzeWorkload', workload: 'Deployment/api', namespace: 'shop' }), {
    kind: 'Deployment',
    name: 'api',
    namespace: 'shop',
  });
  // Not in "Pods of this manifest": the webview cannot make the host analyze another workload.
  assert.equal(offeredWorkload(snap, { workload: 'Deployment/payments', namespace: 'shop' }), null);
  assert.equal(offeredWorkload(snap, { workload: 'Deployment/api', namespace: 'kube-system' }), null);
  assert.equal(offeredWorkload(null, { workload: 'Deployment/api', namespace: 'shop' }), null);
  const noNs = { ...snap, manifestPods: [{ ...snap.manifestPods[0], namespace: null }] };
  assert.deepEqual(offeredWorkload(noNs, { workload: 'Deployment/api', namespace: null }), {
    kind: 'Deployment',
    name: 'api',
    namespace: 'default',
  });
});
