// The swap limit on a LimitedSwap node and memory.high with MemoryQoS, as the kubelet computes them
// (pkg/kubelet/kuberuntime/kuberuntime_container_linux.go: GetContainerSwapBehavior, calcSwapForBurstablePods,
// the MemoryQoS block of generateLinuxContainerResources).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryHighBytes, noSwapReason, swapLimitBytes, type SwapInput } from '../../src/core/kubeletMemory';

const MI = 1024 * 1024;
const GI = 1024 * MI;
const burstable: SwapInput = {
  swapBehavior: 'LimitedSwap',
  podQos: 'Burstable',
  requestBytes: 1 * GI,
  limitBytes: 2 * GI,
  priorityClassName: null,
  priority: null,
  nodeMemoryBytes: 8 * GI,
  nodeSwapBytes: 4 * GI,
};

void test('LimitedSwap: a Burstable container gets request / node memory × node swap (truncated)', () => {
  assert.equal(swapLimitBytes(burstable), 512 * MI);
  assert.equal(noSwapReason(burstable), null);
  // On odd numbers the product truncates, as int64(float64) does (the demo node: 256Mi of 8148092Ki, 4Gi swap).
  assert.equal(swapLimitBytes({ ...burstable, requestBytes: 268435456, nodeMemoryBytes: 8343646208 }), 138179577);
  assert.equal(swapLimitBytes({ ...burstable, limitBytes: null }), 512 * MI, 'no limit: still Burstable, swaps');
  assert.equal(swapLimitBytes({ ...burstable, nodeSwapBytes: null }), null, 'swap capacity unknown');
});

void test('no swap: Guaranteed, BestEffort, request == limit, critical pods, NoSwap', () => {
  const cases: [Partial<SwapInput>, RegExp][] = [
    [{ podQos: 'Guaranteed', limitBytes: 1 * GI }, /Guaranteed/],
    [{ podQos: 'BestEffort', requestBytes: null, limitBytes: null }, /BestEffort/],
    [{ limitBytes: 1 * GI }, /request equals limit/],
    [{ priorityClassName: 'system-node-critical' }, /critical/],
    [{ priorityClassName: 'system-cluster-critical' }, /critical/],
    [{ priorityClassName: 'custom', priority: 2_000_000_000 }, /critical/],
    [{ swapBehavior: 'NoSwap' }, /NoSwap/],
    [{ swapBehavior: null }, /NoSwap \(default\)/],
  ];
  for (const [change, why] of cases) {
    const i = { ...burstable, ...change };
    assert.equal(swapLimitBytes(i), 0, JSON.stringify(change));
    assert.match(noSwapReason(i) ?? '', why, JSON.stringify(change));
  }
});

void test('memory.high = floor((request + factor × (limit or allocatable − request)) / page) × page', () => {
  assert.equal(memoryHighBytes(256 * MI, 512 * MI, null, 0.9), 510025728);
  assert.equal(memoryHighBytes(256 * MI, 512 * MI, null, null), 510025728, 'default factor 0.9');
  assert.equal(memoryHighBytes(256 * MI, 512 * MI, null, 0.5), 384 * MI);
  assert.equal(memoryHighBytes(1 * GI, null, 7 * GI, 0.9), Math.floor((GI + 0.9 * 6 * GI) / 4096) * 4096);
  assert.equal(memoryHighBytes(1 * GI, 1 * GI, 7 * GI, 0.9), null, 'Guaranteed: request == limit, not set');
  assert.equal(memoryHighBytes(null, null, 7 * GI, 0.9), null, 'BestEffort: 0 == 0, not set');
  assert.equal(memoryHighBytes(1 * GI, null, null, 0.9), null, 'no limit and no allocatable');
  assert.equal(memoryHighBytes(512 * MI, 512 * MI + 100, null, 0.0), null, 'not above the request: not set');
});
