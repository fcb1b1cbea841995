// The manifest hover with a connected node (`oomscope/connectedNode`): the node's capacity in the Burstable
// oom_score_adj, and on a LimitedSwap node each container's swap limit or why it has none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hoverAt } from '../../src/core/manifest/analyze';
import { DEFAULT_SETTINGS, type AnalysisSettings, type ConnectedNode } from '../../src/core/manifest/findingTypes';

const TEXT = `apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  containers:
  - name: api
    resources:
      requests: {memory: 128Mi}
      limits: {memory: 256Mi}
  - name: same
    resources:
      requests: {memory: 64Mi}
      limits: {memory: 64Mi}
`;
const GUARANTEED = `apiVersion: v1
kind: Pod
metadata: {name: g}
spec:
  containers:
  - name: g
    resources: {limits: {memory: 1Gi, cpu: 1}}
`;

const NODE: ConnectedNode = {
  context: 'kind-dev',
  node: 'worker-1',
  capacityBytes: 8_000_000_000n,
  swapBehavior: 'LimitedSwap',
  swapCapacityBytes: 2n * 1024n ** 3n,
};
const on = (node: ConnectedNode): AnalysisSettings => ({ ...DEFAULT_SETTINGS, connectedNode: node });
const API = { line: 5, character: 10 };

void test('without a connected node the hover uses oomscope.nodeMemoryCapacity and says nothing of swap', () => {
  const h = hoverAt(TEXT, API)!;
  assert.match(h.markdown, /\*\*993\*\* — `1000 − \(1000 × 134217728\) \/ 17179869184 = 993` for a node with 16Gi/);
  assert.doesNotMatch(h.markdown, /worker-1|[Ss]wap/);
});

void test("with a connected node the Burstable oom_score_adj is computed for that node's capacity and says so", () => {
  const h = hoverAt(TEXT, API, on({ ...NODE, swapBehavior: 'NoSwap' }))!;
  assert.match(
    h.markdown,
    /\*\*984\*\* — `1000 − \(1000 × 134217728\) \/ 8000000000 = 984` on node `worker-1` \(7\.5 GiB, 8,000,000,000 bytes\)/,
  );
  assert.doesNotMatch(h.markdown, /16Gi|17179869184/);
  // Not a LimitedSwap node: no swap line.
  assert.doesNotMatch(h.markdown, /[Ss]wap/);
  assert.doesNotMatch(hoverAt(TEXT, API, on({ ...NODE, swapBehavior: null }))!.markdown, /[Ss]wap/);
});

void test('on a LimitedSwap node a Burstable container names its swap limit; request == limit and Guaranteed get none', () => {
  const h = hoverAt(TEXT, API, on(NODE))!;
  assert.match(
    h.markdown,
    /Swap of "api" on LimitedSwap node `worker-1`: `memory\.swap\.max` \*\*34\.4 MiB\*\* \(36,028,797 bytes\) = request 128 MiB \/ node memory 7\.5 GiB × node swap 2\.0 GiB\./,
  );
  const same = hoverAt(TEXT, { line: 9, character: 10 }, on(NODE))!;
  assert.match(same.markdown, /Swap of "same" on LimitedSwap node `worker-1`: \*\*none\*\* \(request equals limit\)\./);
  const g = hoverAt(GUARANTEED, { line: 5, character: 10 }, on(NODE))!;
  assert.match(g.markdown, /\*\*-997\*\*/);
  assert.match(g.markdown, /Swap of "g" on LimitedSwap node `worker-1`: \*\*none\*\* \(Guaranteed pod\)\./);
  const unknown = hoverAt(TEXT, API, on({ ...NODE, swapCapacityBytes: null }))!;
  assert.match(unknown.markdown, /Swap of "api" .*the node's swap capacity is unknown/);
});
