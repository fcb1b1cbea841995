// A node panel's source against the test API server reports its node's facts for the manifest hover
// (`oomscope/connectedNode`): capacity and LimitedSwap swap from the analysis; null when the cluster stops
// answering and when the panel closes. Nothing else crosses: no server address, no token.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Cluster from '../../src/cluster/index';
import { nodeSource } from '../../src/panel/panelSources';
import type { WireConnectedNode } from '../../src/shared/lspProtocol';
import { harness } from './helpers';

const MI = 1024 * 1024;

void test('limited-swap node panel: facts after a poll, null when the cluster is unreachable and when the panel closes', async (t) => {
  const h = await harness({ scenario: 'limited-swap', requestTimeoutMs: 2000 });
  t.after(() => h.close());
  const reported: (WireConnectedNode | null)[] = [];
  const source = nodeSource(
    Cluster,
    h.access,
    h.server.node,
    { intervalSeconds: 3600 },
    () => null,
    (f) => reported.push(f),
  );
  source.setLive(false);
  source.start(() => undefined);
  await source.refresh();
  const facts = reported.find((f) => f !== null);
  assert.deepEqual(facts, {
    context: h.access.context,
    node: h.server.node,
    capacityBytes: 8148092 * 1024,
    swapBehavior: 'LimitedSwap',
    swapCapacityBytes: 4096 * MI,
  });
  assert.doesNotMatch(JSON.stringify(reported), /token|https:|127\.0\.0\.1|kubeconfig/i);

  await h.server.close();
  const before = reported.length;
  await source.refresh();
  assert.ok(reported.length > before, 'a poll was reported');
  assert.equal(reported.at(-1), null, 'unreachable cluster: null');

  reported.length = 0;
  source.dispose();
  assert.deepEqual(reported, [null], 'closed panel: null');
});
