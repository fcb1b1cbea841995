// The manifest hover with an observation of the workload (issue 16 §4): the Burstable oom_score_adj for the capacity
// of the nodes that ran it, one value per capacity, the nodes named; the swap limit on its LimitedSwap nodes; before
// the connected node, which stays the fallback, and the setting the last one. Observations GENERATED here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hoverAt } from '../../src/core/manifest/analyze';
import { DEFAULT_SETTINGS, type AnalysisSettings, type ConnectedNode } from '../../src/core/manifest/findingTypes';
import type { ObservedNode, ObservedWorkload } from '../../src/core/manifest/observed';

const GI = 1024 ** 3;
const TEXT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  template:
    spec:
      containers:
      - name: api
        resources:
          requests: {memory: 128Mi}
          limits: {memory: 256Mi}
`;
const API = { line: 7, character: 16 };

const node = (name: string, capacityBytes: number, over: Partial<ObservedNode> = {}): ObservedNode => ({
  name,
  capacityBytes,
  swapBehavior: null,
  swapCapacityBytes: null,
  ...over,
});
const observation = (nodes: ObservedNode[], over: Partial<ObservedWorkload> = {}): ObservedWorkload => ({
  kind: 'Deployment',
  name: 'api',
  namespace: 'shop',
  context: 'prod',
  generatedAt: 0,
  windowHours: 24,
  containers: [{ name: 'api', p95Bytes: null, peakBytes: null, kills: [] }],
  nodes,
  ...over,
});
const CONNECTED: ConnectedNode = {
  context: 'prod',
  node: 'panel-node',
  capacityBytes: 8_000_000_000n,
  swapBehavior: 'LimitedSwap',
  swapCapacityBytes: 2n * 1024n ** 3n,
};
const connected: AnalysisSettings = { ...DEFAULT_SETTINGS, connectedNode: CONNECTED };

void test('nodes of two capacities: one oom_score_adj each, naming its nodes; not the connected node nor the setting', () => {
  const observed = [observation([node('big-1', 64 * GI), node('small-2', 16 * GI), node('small-1', 16 * GI)])];
  const h = hoverAt(TEXT, API, connected, { observed })!;
  // 1000 − (1000 × 128Mi) / 16Gi: the share 7.8 in integer division is 7 → 993; on 64Gi 1.95 → 1 → 999.
  assert.match(
    h.markdown,
    /`oom_score_adj` of container "api": \*\*993\*\* — `1000 − \(1000 × 134217728\) \/ 17179869184 = 993` on nodes `small-1`, `small-2` \(16\.0 GiB, 17,179,869,184 bytes\)/,
  );
  assert.match(
    h.markdown,
    /`oom_score_adj` of container "api": \*\*999\*\* — `1000 − \(1000 × 134217728\) \/ 68719476736 = 999` on node `big-1` \(64\.0 GiB, 68,719,476,736 bytes\)/,
  );
  assert.doesNotMatch(h.markdown, /panel-node|8000000000|for a node with/);
  assert.doesNotMatch(h.markdown, /[Ss]wap/, 'no LimitedSwap node among them: no swap line');
});

void test('many nodes of one capacity: five named, the rest counted', () => {
  const names = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7'];
  const h = hoverAt(TEXT, API, DEFAULT_SETTINGS, { observed: [observation(names.map((n) => node(n, 32 * GI)))] })!;
  assert.match(h.markdown, /on nodes `n1`, `n2`, `n3`, `n4`, `n5` and 2 more \(32\.0 GiB/);
  assert.equal(h.markdown.match(/`oom_score_adj` of container/g)?.length, 1, 'one capacity, one line');
});

void test("a LimitedSwap node of the workload: the container's swap limit on that node, by name", () => {
  const observed = [
    observation([
      node('swap-1', 8 * GI, { swapBehavior: 'LimitedSwap', swapCapacityBytes: 4 * GI }),
      node('plain-1', 8 * GI, { swapBehavior: 'NoSwap', swapCapacityBytes: 4 * GI }),
    ]),
  ];
  const h = hoverAt(TEXT, API, DEFAULT_SETTINGS, { observed })!;
  // swapLimitBytes: request / node memory × node swap = 128Mi / 8Gi × 4Gi = 64Mi.
  assert.match(
    h.markdown,
    /Swap of "api" on LimitedSwap node `swap-1`: `memory\.swap\.max` \*\*64\.0 MiB\*\* \(67,108,864 bytes\) = request 128 MiB \/ node memory 8\.0 GiB × node swap 4\.0 GiB\./,
  );
  assert.doesNotMatch(h.markdown, /plain-1`:|LimitedSwap nodes/);
  assert.match(h.markdown, /on nodes `plain-1`, `swap-1` \(8\.0 GiB/, 'both in the oom_score_adj line');
});

void test('node names from the cluster are shown as code, never as markdown', () => {
  const h = hoverAt(TEXT, API, DEFAULT_SETTINGS, {
    observed: [observation([node('![x](https://e.test/a)', 16 * GI)])],
  })!;
  assert.doesNotMatch(h.markdown, /[^`]!\[x\]\(https/);
  assert.match(h.markdown, /on node `!\[x\]\(https:\/\/e\.test\/a\)`/);
});

void test('without a matching observation (other namespace, no nodes) the connected node, then the setting', () => {
  for (const observed of [[observation([node('a', 64 * GI)], { namespace: 'other' })], [observation([])], []]) {
    const h = hoverAt(TEXT, API, connected, { observed })!;
    assert.match(h.markdown, /\*\*984\*\* — .* on node `panel-node` \(7\.5 GiB, 8,000,000,000 bytes\)/);
    assert.match(h.markdown, /Swap of "api" on LimitedSwap node `panel-node`/);
    assert.doesNotMatch(h.markdown, /`a`/);
  }
  const h = hoverAt(TEXT, API, DEFAULT_SETTINGS, { observed: [observation([], { namespace: 'other' })] })!;
  assert.match(h.markdown, /\*\*993\*\* — .* for a node with 16Gi/);
});

void test('an object without a namespace matches the observation in defaultNamespace', () => {
  const bare = TEXT.replace('{name: api, namespace: shop}', '{name: api}');
  const observed = [observation([node('big-1', 64 * GI)])];
  assert.match(hoverAt(bare, API, DEFAULT_SETTINGS, { observed, defaultNamespace: 'shop' })!.markdown, /`big-1`/);
  assert.doesNotMatch(hoverAt(bare, API, DEFAULT_SETTINGS, { observed })!.markdown, /`big-1`/);
});
