import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { harness } from './helpers';
import { analyzeText } from '../../src/core/manifest/analyze';
import { nodesRunningManifest, recentKillCounts } from '../../src/cluster/index';
import { saveHistory } from '../../src/cluster/analysis/killHistory';
import type { KillRecord } from '../../src/cluster/analysis/nodeAnalysisTypes';

// examples/demo-cluster-shop.yaml defines the workloads the demo node runs.
const shop = analyzeText(readFileSync(join(process.cwd(), 'examples', 'demo-cluster-shop.yaml'), 'utf8')).objects;

void test("node picker: the node running the open manifest's pods is found by label selector and owner", async (t) => {
  const h = await harness({ scenario: 'thrash-then-system-oom' });
  t.after(() => h.close());
  const nodes = await nodesRunningManifest(h.access, shop);
  assert.deepEqual([...nodes], ['demo-worker-1']);
  // A workload with the same labels in another namespace, or another owner, is not "this manifest".
  const foreign = analyzeText(
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: other}\nspec:\n  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}\n    spec:\n      containers: [{name: api, image: x}]\n',
  ).objects;
  assert.equal((await nodesRunningManifest(h.access, foreign)).size, 0);
  const renamed = analyzeText(
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api-v2, namespace: shop}\nspec:\n  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}\n    spec:\n      containers: [{name: api, image: x}]\n',
  ).objects;
  assert.equal(
    (await nodesRunningManifest(h.access, renamed)).size,
    0,
    'pods of another Deployment with the same labels do not count',
  );
});

void test('node picker: a forbidden or broken pod list means "unknown", never an error', async (t) => {
  const h = await harness({ scenario: 'quiet' });
  t.after(() => h.close());
  // Positive control: the same cluster without faults does run the manifest's pods.
  assert.deepEqual([...(await nodesRunningManifest(h.access, shop))], ['demo-worker-1']);
  h.server.setFaults([
    { path: '/api/v1/namespaces/shop/pods', kind: '403' },
    { path: '/api/v1/namespaces/batch/pods', kind: 'truncate' },
  ]);
  assert.equal((await nodesRunningManifest(h.access, shop)).size, 0);
});

void test('node picker: OOM kills per node in the last 24 h come from the local history store', (t) => {
  const dir = join(process.cwd(), '.test-out', `history-${process.pid}`);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const now = Date.parse('2026-11-27T18:00:00Z');
  const kill = (id: string, t: number, kind: 'oom' | 'eviction' = 'oom'): KillRecord =>
    ({
      id,
      kind,
      t,
      class: kind === 'oom' ? 'system' : 'eviction',
      qosClass: 'BestEffort',
      precededBy: null,
      precedingSeconds: null,
      precededJudged: false,
      namespace: 'batch',
      pod: 'p',
      container: 'c',
      evidence: [],
    }) as unknown as KillRecord;
  assert.ok(
    saveHistory(dir, 'ctx', 'node-a', [
      kill('1', now - 3600_000),
      kill('2', now - 2 * 86400_000),
      kill('3', now - 60_000, 'eviction'),
    ]),
  );
  assert.ok(saveHistory(dir, 'ctx', 'node-b', [kill('4', now - 60_000), kill('5', now - 120_000)]));
  assert.ok(saveHistory(dir, 'other', 'node-a', [kill('6', now - 60_000)]));
  const counts = recentKillCounts(dir, 'ctx', now - 86400_000);
  assert.deepEqual(Object.fromEntries(counts), { 'node-a': 1, 'node-b': 2 });
  assert.equal(recentKillCounts(undefined, 'ctx', 0).size, 0);
});
