import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { harness, value } from './helpers';
import {
  createNodePoller,
  matchManifestPods,
  type KillRecord,
  type NodeAnalysis,
  type Result,
} from '../../src/cluster/index';
import { NodeState, pollNode } from '../../src/cluster/analysis/nodePoll';
import { loadHistory, saveHistory } from '../../src/cluster/analysis/killHistory';
import { createLimiter } from '../../src/cluster/access/limiter';
import type { ObjectSummary } from '../../src/core/manifest/analyze';

function waitFor<T>(register: (resolve: (v: T) => void) => void, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
    register((v) => {
      clearTimeout(timer);
      resolve(v);
    });
  });
}

void test('poller: emits one analysis per poll, samples accumulate; pause keeps pollNow working; stop ends it', async (t) => {
  const h = await harness({ scenario: 'quiet', autoStep: true });
  t.after(() => h.close());
  const poller = createNodePoller(h.access, h.server.node, { intervalSeconds: 0.05 });
  t.after(() => poller.stop());
  const seen: Result<NodeAnalysis>[] = [];
  const third = waitFor<void>(
    (done) => {
      poller.onUpdate((r) => {
        seen.push(r);
        if (seen.length === 3) done();
      });
    },
    15000,
    'three polls',
  );
  poller.start();
  await third;
  poller.pause();
  assert.equal(poller.paused, true);
  const last = value(seen[2]!);
  assert.equal(last.series.find((s) => s.scope === 'node')!.stall.length, 3);
  const now = value(await poller.pollNow());
  assert.ok(now.series.find((s) => s.scope === 'node')!.stall.length >= 4, 'pollNow works while paused');
  poller.stop();
  const after = await poller.pollNow();
  assert.equal(after.ok, false);
  if (!after.ok) assert.match(after.error.message, /stopped/);
});

void test('history store: kills seen once survive a restart (events expire), bounded, corrupt file ignored', async (t) => {
  const h = await harness({ scenario: 'container-limit-crashloop' });
  t.after(() => h.close());
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-history-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (let i = 0; i < 12; i++) await h.poll({ historyDir: dir });
  const restarted = value(await pollNode(h.access, h.server.node, new NodeState(), { historyDir: dir }));
  assert.equal(restarted.ooms.length, 2, 'step 5 from history, step 10 from history and pod status');
  assert.equal(restarted.ooms.filter((k) => k.fromHistory).length, 1);
  assert.ok(!readFileSync(join(dir, 'oomscope-kill-history.json'), 'utf8').includes(h.server.token));

  const many: KillRecord[] = Array.from({ length: 600 }, (_, i) => ({ ...restarted.ooms[0]!, id: `k${i}`, t: i }));
  assert.equal(saveHistory(dir, 'ctx', 'n', many), true);
  const kept = loadHistory(dir, 'ctx', 'n');
  assert.equal(kept.length, 500);
  assert.equal(kept[0]!.id, 'k100', 'the oldest are dropped');
  writeFileSync(join(dir, 'oomscope-kill-history.json'), '{"version":1,"nodes":');
  assert.deepEqual(loadHistory(dir, 'ctx', 'n'), []);
  assert.equal(
    saveHistory(join(dir, 'oomscope-kill-history.json', 'sub'), 'ctx', 'n', many),
    false,
    'unwritable folder: false, no throw',
  );
});

const obj = (kind: string, name: string, namespace: string | null, extra: Partial<ObjectSummary> = {}): ObjectSummary =>
  ({
    kind,
    name,
    namespace,
    document: 0,
    qosClass: null,
    containers: [],
    labels: {},
    podLabels: {},
    selector: null,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 4 } },
    ...extra,
  }) as ObjectSummary;

void test('manifest matching: Pods by namespace+name, workloads by owner references and selectors', async (t) => {
  const h = await harness({ scenario: 'thrash-then-system-oom' });
  t.after(() => h.close());
  const pods = value(await h.poll()).pods;
  const objects = [
    obj('Deployment', 'api', 'shop', { selector: { app: 'api' }, podLabels: { app: 'api' } }),
    obj('Deployment', 'api', 'other-ns'),
    obj('Deployment', 'ap', null),
    obj('CronJob', 'report-generator', 'batch'),
    obj('DaemonSet', 'node-exporter', null),
    obj('Pod', 'coredns-6f6b679f8f-lm9cz', 'kube-system'),
    obj('Deployment', 'api', 'shop', { selector: { app: 'not-api' } }),
    obj('Rollout', 'checkout', 'shop', { selector: { app: 'checkout-worker' } }),
  ];
  const m = matchManifestPods(objects, pods);
  assert.deepEqual(
    m.map((x) => [x.objectIndex, x.workload, x.pods.map((p) => p.name)]),
    [
      [0, 'Deployment/api', ['api-7d9f8c6b5-x2k4p']],
      [3, 'CronJob/report-generator', ['report-generator-29150420-7xk2q']],
      [4, 'DaemonSet/node-exporter', ['node-exporter-8hz5w']],
      [5, 'Pod/coredns-6f6b679f8f-lm9cz', ['coredns-6f6b679f8f-lm9cz']],
      [7, 'Rollout/checkout', ['checkout-worker-5c8d7f9b4-q7m2n']],
    ],
  );
  assert.equal(
    matchManifestPods([obj('Deployment', 'api', null)], pods, 'default').length,
    0,
    'a manifest without namespace means the default namespace when given',
  );
});

void test('limiter: at most 8 in flight, every task completes', async () => {
  const lim = createLimiter(8);
  let active = 0;
  let peak = 0;
  const releases: (() => void)[] = [];
  const tasks = Array.from({ length: 20 }, (_, i) =>
    lim.run(async () => {
      active++;
      peak = Math.max(peak, active);
      await new Promise<void>((r) => releases.push(r));
      active--;
      return i;
    }),
  );
  for (let round = 0; round < 20 && releases.length + active > 0; round++) {
    await Promise.resolve();
    while (releases.length) releases.shift()!();
    await new Promise((r) => setImmediate(r));
  }
  assert.deepEqual(
    await Promise.all(tasks),
    Array.from({ length: 20 }, (_, i) => i),
  );
  assert.equal(peak, 8);
});
