// The panel's snapshot from a real analysis: the loopback API server plays thrash-then-system-oom,
// the cluster layer polls it, src/panel/snapshot.ts turns it into what the webview shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, value } from './helpers';
import { matchManifestPods, type NodeAnalysis } from '../../src/cluster/index';
import { analyzeText } from '../../src/core/manifest/analyze';
import { snapshotFromNode } from '../../src/panel/snapshot';
import { toCsv, toJson, pngBytes } from '../../src/panel/exportData';
import { capSeries } from '../../src/panel/downsample';

// Hand-written manifest for the scenario's workloads (Deployment shop/api, CronJob batch/report-generator).
const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
        - name: api
          image: example/api:1
          resources:
            requests:
              memory: 256Mi
            limits:
              memory: 512Mi
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: report-generator
  namespace: batch
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: report-gen
              image: example/report:1
`;

void test('thrash-then-system-oom: the snapshot names the system OOM, the thrashing before it, and the manifest lines', async (t) => {
  const h = await harness({ scenario: 'thrash-then-system-oom' });
  t.after(() => h.close());
  let a: NodeAnalysis | null = null;
  for (let i = 0; i < 40 && !(a?.ooms.some((k) => k.class === 'system') ?? false); i++) a = value(await h.poll());
  assert.ok(a, 'polled');
  const objects = analyzeText(MANIFEST).objects;
  const uri = 'file:///work/examples/demo.yaml';
  const snap = snapshotFromNode(a, {
    live: true,
    manifest: { uri, objects, matches: matchManifestPods(objects, a.pods) },
  });

  assert.equal(snap.target.kind, 'node');
  assert.match(snap.title, new RegExp(`Node ${h.server.node} · context ${h.server.context}`));
  const system = snap.kills.find((k) => k.class === 'system');
  assert.ok(system, `kills: ${snap.kills.map((k) => k.class).join(', ')}`);
  assert.equal(system.pod, 'report-generator-29150420-7xk2q');
  assert.equal(system.qosClass, 'BestEffort');
  assert.match(system.classText, /node ran out of memory/);
  assert.equal(system.precededBy, 'thrashing');
  assert.match(system.precededText, /^thrashing for \d/);
  assert.deepEqual(
    system.manifest,
    { uri, line: objects[1].range.start.line },
    'the CronJob in the manifest defines the victim',
  );
  assert.ok(snap.phases.some((p) => p.scope === 'node' && p.phase === 'thrashing'));
  assert.ok(snap.stall.find((s) => s.scope === 'node')!.points.length > 10);
  const rows = snap.manifestPods.map((p) => `${p.workload} ${p.pod}`);
  assert.ok(rows.includes('Deployment/api api-7d9f8c6b5-x2k4p'), rows.join('; '));
  assert.ok(rows.includes('CronJob/report-generator report-generator-29150420-7xk2q'));
  const victimRow = snap.manifestPods.find((p) => p.workload === 'CronJob/report-generator')!;
  assert.equal(victimRow.lastOom, system.t);
  assert.equal(snap.sources.summary, 'ok');
  assert.ok(!JSON.stringify(snap).includes(h.server.token), 'no credentials in what the webview gets');

  // Export: what is shown, nothing else.
  const csv = toCsv(snap, { scopes: ['node'] });
  assert.match(csv.split('\n')[0], /^time,scope,metric,value,detail$/);
  assert.ok(csv.includes(',node,memory_some_percent,'));
  assert.ok(!csv.includes('pod:shop/api'), 'unshown scopes are left out');
  assert.ok(csv.includes(',oom_kill,system,'));
  const json = JSON.parse(toJson(snap, { range: { min: system.t! - 1000, max: system.t! + 1000 } })) as {
    kills: unknown[];
    stall: { points: unknown[] }[];
  };
  assert.ok(json.kills.length >= 1);
  assert.ok(json.stall.every((s) => s.points.length <= 1));
});

void test('export: CSV cells are quoted and spreadsheet formulas from cluster text are defused; PNG data URLs are checked', () => {
  const snap = {
    title: 't',
    target: { kind: 'local' as const },
    generatedAt: 0,
    precursorWindowSeconds: 300,
    node: null,
    sources: {},
    stall: [],
    memory: [],
    phases: [],
    manifestPods: [],
    notes: [],
    live: false,
    kills: [
      {
        id: '1',
        t: 0,
        kind: 'oom' as const,
        class: 'unknown' as const,
        classText: '=HYPERLINK("x")',
        namespace: 'a,b',
        pod: 'p"q',
        container: null,
        qosClass: null,
        precededBy: null,
        precededText: 'x',
        evidence: [],
      },
    ],
  };
  const line = toCsv(snap).split('\n')[1];
  assert.equal(line, '1970-01-01T00:00:00.000Z,"a,b/p""q",oom_kill,unknown,"\'=HYPERLINK(""x""); x"');
  assert.equal(pngBytes('data:image/png;base64,AAAA'), null, 'not a PNG signature');
  assert.equal(pngBytes('data:text/html;base64,AAAA'), null);
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2]);
  assert.deepEqual(pngBytes(`data:image/png;base64,${png.toString('base64')}`), png);
});

void test('downsampling keeps at most the cap, sorted, with each bucket peak', () => {
  const pts = Array.from({ length: 8640 }, (_, i) => ({ t: i * 10_000, v: i === 4321 ? 99 : i % 7 }));
  const out = capSeries(pts, (p) => p.v, 2000);
  assert.ok(out.length <= 2000);
  assert.ok(
    out.some((p) => p.v === 99),
    'the peak survives',
  );
  for (let i = 1; i < out.length; i++) assert.ok(out[i].t > out[i - 1].t);
  assert.equal(capSeries(pts.slice(0, 10), (p) => p.v).length, 10);
});

void test('the panel says "cannot tell" first when pods and events cannot be read, and names a single missing kill source', async (t) => {
  const h = await harness({ scenario: 'quiet', faults: [{ path: '/*', kind: '403' }] });
  t.after(() => h.close());
  const none = snapshotFromNode(value(await h.poll()), { live: true });
  assert.equal(
    none.notes[0],
    'Cannot tell whether there were OOM kills or evictions: pods and events could not be read.',
  );
  h.server.setFaults([{ path: '/api/v1/pods', kind: '500' }]);
  const some = snapshotFromNode(value(await h.poll()), { live: true });
  assert.equal(
    some.notes[0],
    'The pods source could not be read, so container OOM kills (pod status OOMKilled) may be missing.',
  );
  h.server.setFaults([]);
  const all = snapshotFromNode(value(await h.poll()), { live: true });
  assert.ok(!all.notes.some((n) => /could not be read|Cannot tell/.test(n)), all.notes.join('\n'));
});
