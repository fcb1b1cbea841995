// The server's side of `oomscope/connectedNode`: which params are node facts, and the settings key that names
// them (so analyses cached under the old key are not reused for the new node).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection } from 'vscode-languageserver/node';
import { SettingsStore, resolveConnectedNode } from '../../src/server/serverSettings';

const FACTS = {
  context: 'kind-dev',
  node: 'worker-1',
  capacityBytes: 8_000_000_000,
  swapBehavior: 'LimitedSwap',
  swapCapacityBytes: 0,
};

void test('node facts are read; anything else is refused with one warning', () => {
  const warnings: string[] = [];
  const warn = (m: string): number => warnings.push(m);
  assert.deepEqual(resolveConnectedNode(FACTS, warn), {
    ...FACTS,
    capacityBytes: 8_000_000_000n,
    swapCapacityBytes: 0n,
  });
  assert.equal(resolveConnectedNode(null, warn), null);
  assert.deepEqual(
    resolveConnectedNode({ ...FACTS, swapBehavior: null, swapCapacityBytes: null }, warn)?.swapBehavior,
    null,
  );
  assert.equal(warnings.length, 0);
  for (const bad of [
    undefined,
    'worker-1',
    [],
    { ...FACTS, capacityBytes: 0 },
    { ...FACTS, capacityBytes: '8Gi' },
    { ...FACTS, capacityBytes: 1.5 },
    { ...FACTS, node: '' },
    { ...FACTS, node: 'n'.repeat(300) },
    { ...FACTS, swapCapacityBytes: -1 },
    { ...FACTS, swapBehavior: 3 },
  ])
    assert.equal(resolveConnectedNode(bad, warn), undefined, JSON.stringify(bad));
  assert.equal(warnings.length, 10);
});

void test('the settings key names the connected node, and null brings back the plain key', async () => {
  const store = new SettingsStore({} as Connection, { info() {}, warn() {}, error() {} });
  const plain = await store.get('file:///a.yaml');
  assert.equal(plain.value.connectedNode, undefined);
  store.setConnectedNode(resolveConnectedNode(FACTS, () => undefined)!);
  const a = await store.get('file:///a.yaml');
  assert.equal(a.value.connectedNode?.node, 'worker-1');
  assert.notEqual(a.key, plain.key);
  store.setConnectedNode(resolveConnectedNode({ ...FACTS, capacityBytes: 16_000_000_000 }, () => undefined)!);
  assert.notEqual((await store.get('file:///a.yaml')).key, a.key);
  store.setConnectedNode(null);
  assert.deepEqual(await store.get('file:///a.yaml'), plain);
});
