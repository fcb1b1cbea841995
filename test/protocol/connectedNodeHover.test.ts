// `oomscope/connectedNode` over a real LSP connection: the node's facts change the hover (capacity, LimitedSwap
// swap limit) and null brings back the setting's text; an invalid params object is refused with one warning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HoverRequest, type MarkupContent } from 'vscode-languageserver/node';
import { CONNECTED_NODE_NOTIFICATION, type ConnectedNodeParams } from '../../src/shared/lspProtocol';
import { positionOf, startInProcess, withTimeout, type LspClient } from './lspHarness';

const TEXT = `apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  containers:
  - name: api
    resources:
      requests: {memory: 128Mi}
      limits: {memory: 256Mi}
`;
const URI = 'file:///ws/node.yaml';

async function hoverText(client: LspClient): Promise<string> {
  const hover = await withTimeout(
    client.conn.sendRequest(HoverRequest.type, { textDocument: { uri: URI }, position: positionOf(TEXT, '128Mi') }),
    10_000,
    'hover',
  );
  assert.ok(hover);
  return (hover.contents as MarkupContent).value;
}

async function connect(client: LspClient, params: ConnectedNodeParams | Record<string, unknown>): Promise<void> {
  // The settings key changes: the open document is analyzed and published again.
  const republished = client.nextDiagnostics(URI);
  await client.conn.sendNotification(CONNECTED_NODE_NOTIFICATION, params);
  await withTimeout(republished, 10_000, 'diagnostics after oomscope/connectedNode');
}

void test('connected node: hover uses its capacity and names the swap limit; null restores the setting', async (t) => {
  const client = startInProcess();
  client.settings = { severities: {}, maxLimitRequestRatio: 3, nodeMemoryCapacity: '16Gi', defaultMemory: '256Mi' };
  t.after(() => client.close());
  await client.initialize();
  const published = client.nextDiagnostics(URI);
  client.open(URI, TEXT);
  await published;

  const before = await hoverText(client);
  assert.match(before, /= 993` for a node with 16Gi \(17,179,869,184 bytes\) of memory/);
  assert.doesNotMatch(before, /[Ss]wap/);

  await connect(client, {
    context: 'kind-dev',
    node: 'worker-1',
    capacityBytes: 8_000_000_000,
    swapBehavior: 'LimitedSwap',
    swapCapacityBytes: 2 * 1024 ** 3,
  });
  const on = await hoverText(client);
  assert.match(on, /\/ 8000000000 = 984` on node `worker-1` \(7\.5 GiB, 8,000,000,000 bytes\)/);
  assert.match(on, /Swap of "api" on LimitedSwap node `worker-1`: `memory\.swap\.max` \*\*34\.4 MiB\*\*/);

  // Not node facts: ignored with one warning, the node stays.
  const logged = client.logs.length;
  await client.conn.sendNotification(CONNECTED_NODE_NOTIFICATION, { node: 'x', kubeconfig: '/root/.kube/config' });
  assert.equal(await hoverText(client), on);
  assert.ok(
    client.logs.slice(logged).some((l) => /oomscope\/connectedNode: .* is not \{context, node/.test(l)),
    client.logs.slice(logged).join('\n'),
  );

  await connect(client, null);
  assert.equal(await hoverText(client), before);
});
