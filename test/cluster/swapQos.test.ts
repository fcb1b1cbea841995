// Swap (LimitedSwap, KEP-2400) and Memory QoS (KEP-2570) on the live node (issue 14 §7): each container's swap
// limit, swap in use and memory.high, the node's swap, and memory.high throttling as self-inflicted pressure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, value } from './helpers';
import { formatAnalyzeNodeText, toAnalyzeNodeJson } from '../../src/cli/analyzeNodeOutput';
import { listNodes } from '../../src/cluster/index';
import { contentionWords } from '../../src/cluster/analysis/pressureScope';

const MI = 1024 * 1024;

void test('limited-swap: a Burstable container gets its share of swap; Guaranteed, BestEffort and critical pods none', async (t) => {
  const h = await harness({ scenario: 'limited-swap' });
  t.after(() => h.close());
  const a = value(await h.pollTimes(2));
  assert.deepEqual(a.swap, { behavior: 'LimitedSwap', capacityBytes: 4096 * MI, usageBytes: 96 * MI });
  const by = new Map(a.memoryControls.map((c) => [c.container, c]));
  // 256Mi / 8148092Ki × 4Gi, truncated.
  assert.equal(by.get('api')?.swapLimitBytes, 138179577);
  assert.equal(by.get('api')?.swapUsageBytes, 96 * MI);
  assert.equal(by.get('api')?.noSwapReason, null);
  assert.equal(by.get('worker')?.swapLimitBytes, 0);
  assert.equal(by.get('worker')?.noSwapReason, 'Guaranteed pod');
  assert.equal(by.get('report-gen')?.noSwapReason, 'BestEffort pod');
  assert.equal(by.get('coredns')?.noSwapReason, 'critical pod');
  assert.equal(by.get('node-exporter')?.swapLimitBytes, Math.trunc(((32 * MI) / (8148092 * 1024)) * 4096 * MI));
  assert.ok(
    a.memoryControls.every((c) => c.memoryHighBytes === null),
    'MemoryQoS off',
  );
  const api = a.series.find((s) => s.scope === 'container:shop/api-7d9f8c6b5-x2k4p/api')!;
  assert.equal(api.swapLimitBytes, 138179577);
  assert.equal(api.swapUsageBytes, 96 * MI);
  const j = toAnalyzeNodeJson(a);
  assert.equal(j.swap.behavior, 'LimitedSwap');
  assert.equal(j.containers.find((c) => c.container === 'api')?.swapLimitBytes, 138179577);
  const text = formatAnalyzeNodeText(a);
  assert.match(text, /Swap: LimitedSwap, capacity 4Gi, in use 96Mi/);
  assert.match(text, /shop\/api-7d9f8c6b5-x2k4p\/api: swap limit \d+(\.\d+)?Mi, swap in use 96Mi/);
});

void test('memory-qos: memory.high per container, and a working set at it is self-inflicted pressure', async (t) => {
  const h = await harness({ scenario: 'memory-qos' });
  t.after(() => h.close());
  const a = value(await h.pollTimes(3));
  assert.equal(a.kubelet.memoryQoS, true);
  const by = new Map(a.memoryControls.map((c) => [c.container, c]));
  assert.equal(by.get('api')?.memoryHighBytes, 510025728, '256Mi + 0.9 × (512Mi − 256Mi), page-aligned');
  assert.equal(by.get('worker')?.memoryHighBytes, null, 'Guaranteed: request == limit');
  assert.equal(by.get('report-gen')?.memoryHighBytes, null, 'BestEffort: not set');
  assert.equal(by.get('api')?.swapLimitBytes, 0, 'NoSwap node');
  const series = a.series.find((s) => s.scope === 'container:shop/api-7d9f8c6b5-x2k4p/api')!;
  assert.equal(series.memoryHighBytes, 510025728);
  assert.equal(series.swapLimitBytes, undefined);
  const words = a.pressure.scope.filter((w) => /working set at its memory\.high/.test(w));
  assert.equal(words.length, 1, JSON.stringify(a.pressure.scope));
  assert.match(words[0]!, /^shop\/api-7d9f8c6b5-x2k4p\/api: working set at its memory\.high .*self-inflicted/);
  assert.equal(toAnalyzeNodeJson(a).containers.find((c) => c.container === 'api')?.memoryHighBytes, 510025728);
});

void test('a node without swap or MemoryQoS: swap limits 0, no memory.high, no swap line', async (t) => {
  const h = await harness({ scenario: 'quiet' });
  t.after(() => h.close());
  const a = value(await h.pollTimes(2));
  assert.deepEqual(a.swap, { behavior: null, capacityBytes: null, usageBytes: null });
  assert.ok(a.memoryControls.length > 0);
  assert.ok(a.memoryControls.every((c) => c.swapLimitBytes === 0 && c.memoryHighBytes === null));
  assert.doesNotMatch(formatAnalyzeNodeText(a), /^Swap:/m);
});

void test('node picker: the PSI node conditions beside MemoryPressure, only when the node reports them', async (t) => {
  const h = await harness({ scenario: 'psi-conditions' });
  t.after(() => h.close());
  for (let i = 0; i < 4; i++) h.server.step();
  const nodes = value(await listNodes(h.access));
  const n = nodes.find((x) => x.name === 'demo-worker-1')!;
  assert.equal(n.kubepodsMemoryContentionPressure, 'True');
  assert.equal(
    contentionWords(n),
    ' · SystemMemoryContentionPressure False · $(warning) KubepodsMemoryContentionPressure',
  );
  const q = await harness({ scenario: 'quiet' });
  t.after(() => q.close());
  const plain = value(await listNodes(q.access)).find((x) => x.name === 'demo-worker-1')!;
  assert.equal(contentionWords(plain), '', 'a node without the conditions: nothing, not "False"');
});
