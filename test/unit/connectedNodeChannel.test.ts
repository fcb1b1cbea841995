// The extension's end of `oomscope/connectedNode` (extension/connectedNode.ts) and the facts a node analysis gives
// (panel/panelSources.ts): what is sent, when, and by which of several node panels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectedNodeChannel } from '../../src/extension/connectedNode';
import type { ConnectedNodeParams, WireConnectedNode } from '../../src/shared/lspProtocol';

const facts = (node: string, capacityBytes = 8e9): WireConnectedNode => ({
  context: 'kind-dev',
  node,
  capacityBytes,
  swapBehavior: 'LimitedSwap',
  swapCapacityBytes: 2 ** 31,
});

void test('changes are sent once; the newest panel owns the channel; only the owner clears it', () => {
  const sent: ConnectedNodeParams[] = [];
  const ch = new ConnectedNodeChannel((p) => sent.push(p));
  const a = ch.reporter();
  a(facts('a'));
  a(facts('a'));
  assert.deepEqual(sent, [facts('a')], 'a repeated poll sends nothing');
  a(facts('a', 9e9));
  assert.equal(sent.length, 2, 'a changed capacity is sent');
  const b = ch.reporter();
  b(facts('b'));
  a(facts('a', 9e9));
  assert.deepEqual(
    sent.map((p) => p?.node),
    ['a', 'a', 'b'],
    'the older panel polling again does not take the channel back',
  );
  a(null);
  assert.equal(sent.length, 3, "the older panel's close does not clear the newer one's node");
  b(null);
  assert.equal(sent.at(-1), null);
  a(facts('a', 9e9));
  assert.equal(sent.at(-1)?.node, 'a', 'with no owner, any panel with facts takes it');
  ch.resend();
  assert.deepEqual(sent.slice(-2), [facts('a', 9e9), facts('a', 9e9)]);
});
