// `oomscope/observedWorkloads` over a real LSP connection (the server in this process, over streams): the cluster-aware
// diagnostics appear on the exact ranges once observations arrive, their quick fix carries the observed value, they
// go when the observations are cleared (what the extension sends when `oomscope.cluster.diagnostics` is turned off),
// and a keystroke typed right after a refresh gets its diagnostics with the observations already applied. The
// observations are GENERATED (hand-built numbers); the manifests are hand-written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CodeActionRequest,
  HoverRequest,
  type CodeAction,
  type Diagnostic,
  type MarkupContent,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver/node';
import type { ObservedWorkload } from '../../src/core/manifest/observed';
import { OBSERVED_WORKLOADS_NOTIFICATION, type ObservedWorkloadsParams } from '../../src/shared/lspProtocol';
import { applyEdits, manyDeployments, positionOf, startInProcess, withTimeout, type LspClient } from './lspHarness';

const MI = 1024 * 1024;
const API = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api # the shop's API
          resources:
            requests:
              memory: 256Mi
            limits:
              memory: 512Mi # keep in step with the heap
`;
const TEXT = `${manyDeployments(300)}---\n${API}`;
const URI = 'file:///ws/shop.yaml';

const observedApi: ObservedWorkload = {
  kind: 'Deployment',
  name: 'api',
  namespace: 'shop',
  context: 'kind-shop',
  generatedAt: Date.UTC(2025, 2, 12, 9, 30),
  windowHours: 24,
  nodes: [{ name: 'shop-node-1', capacityBytes: 8 * 1024 ** 3, swapBehavior: null, swapCapacityBytes: null }],
  containers: [
    {
      name: 'api',
      p95Bytes: 300 * MI,
      peakBytes: 611 * MI,
      kills: [20, 9].map((hoursAgo, i) => ({
        t: Date.UTC(2025, 2, 12, 9, 30) - hoursAgo * 3_600_000,
        class: 'container-limit' as const,
        precededBy: 'thrashing' as const,
        precedingSeconds: 40 + 30 * i,
        precededJudged: true,
        workingSetBytes: 510 * MI,
        limitBytes: 512 * MI,
        pod: `api-7f9c-x2k${i}`,
      })),
    },
  ],
};

const params = (workloads: ObservedWorkload[], defaultNamespace = 'shop'): ObservedWorkloadsParams => ({
  context: 'kind-shop',
  defaultNamespace,
  workloads,
});
const cluster = (p: PublishDiagnosticsParams): Diagnostic[] =>
  p.diagnostics.filter((d) => /observed|oom-killed/.test(String(d.code)));
/** The range of the quantity (5 characters) that starts `needle`, which occurs once in TEXT. */
const rangeOf = (needle: string) => {
  const start = positionOf(TEXT, needle);
  return { start, end: { line: start.line, character: start.character + 5 } };
};

async function opened(): Promise<LspClient> {
  const client = startInProcess();
  client.settings = { severities: {}, maxLimitRequestRatio: 3, nodeMemoryCapacity: '16Gi', defaultMemory: '256Mi' };
  await client.initialize();
  const first = client.nextDiagnostics(URI);
  client.open(URI, TEXT);
  assert.deepEqual(cluster(await first), [], 'static analysis: no cluster findings');
  return client;
}

void test('observed usage: cluster diagnostics on the exact ranges, a quick fix from the peak, gone when cleared', async (t) => {
  const client = await opened();
  t.after(() => client.close());

  const refreshed = client.nextDiagnostics(URI, (p) => cluster(p).length > 0);
  await client.conn.sendNotification(OBSERVED_WORKLOADS_NOTIFICATION, params([observedApi]));
  const got = cluster(await withTimeout(refreshed, 10_000, 'diagnostics after oomscope/observedWorkloads'));
  // In the order of the text: the request (line 11 of the API document) before the limit (line 13).
  assert.deepEqual(
    got.map((d) => [d.code, d.severity, d.range]),
    [
      ['request-below-observed-usage', 3, rangeOf('256Mi\n            limits')],
      ['oom-killed-recently', 2, rangeOf('512Mi # keep')],
      ['limit-below-observed-usage', 2, rangeOf('512Mi # keep')],
    ],
  );
  const killed = got[1]!;
  assert.equal(
    killed.message,
    'OOM-killed 2× in 24 h, twice at its own 512Mi limit after 40s–1m 10s of thrashing; peak working set 611Mi (last: api-7f9c-x2k1, today 00:30 UTC).',
  );

  const actions = await client.conn.sendRequest(CodeActionRequest.type, {
    textDocument: { uri: URI },
    range: killed.range,
    context: { diagnostics: [killed] },
  });
  const action = (actions ?? [])[0] as CodeAction | undefined;
  assert.equal(action?.title, 'Raise the limit to 703Mi (peak 611Mi + 15%)');
  const edits = action!.edit!.documentChanges![0]! as { edits: Parameters<typeof applyEdits>[1] };
  assert.equal(applyEdits(TEXT, edits.edits), TEXT.replace('512Mi # keep', '703Mi # keep'));

  // The hover's oom_score_adj is computed for the node that ran the workload, not the 16Gi setting.
  const hover = await client.conn.sendRequest(HoverRequest.type, {
    textDocument: { uri: URI },
    position: positionOf(TEXT, '512Mi # keep'),
  });
  const words = (hover?.contents as MarkupContent).value;
  assert.match(words, /`shop-node-1`/);
  assert.doesNotMatch(words, /for a node with 16Gi/);

  // The extension sends no workloads when oomscope.cluster.diagnostics is turned off (or the cluster is offline).
  const cleared = client.nextDiagnostics(URI, (p) => cluster(p).length === 0);
  await client.conn.sendNotification(OBSERVED_WORKLOADS_NOTIFICATION, params([]));
  const after = await withTimeout(cleared, 10_000, 'diagnostics after clearing the observations');
  assert.equal(after.diagnostics.length, 300, 'the static findings stay: one per generated Deployment');
});

void test('a keystroke right after a refresh: its diagnostics come, then the same version with the observations', async (t) => {
  const client = await opened();
  t.after(() => client.close());
  // The refresh and the keystroke arrive together. The keystroke's run analyzes the document it edited (far from the
  // API's); the API's document, whose observations changed, follows in a run of its own for the same version.
  await client.conn.sendNotification(OBSERVED_WORKLOADS_NOTIFICATION, params([observedApi]));
  const fixed = positionOf(TEXT, 'memory: 128m', 1, 'memory: 128'.length);
  const v2 = client.nextDiagnostics(URI, (p) => p.version === 2);
  const complete = client.nextDiagnostics(URI, (p) => p.version === 2 && cluster(p).length > 0);
  client.change(URI, 2, [{ range: { start: fixed, end: fixed }, text: 'Mi' }]);
  const first = await withTimeout(v2, 10_000, 'diagnostics of the keystroke');
  assert.equal(first.diagnostics.filter((d) => d.code === 'memory-quantity-fractional').length, 299);
  const p = await withTimeout(complete, 10_000, 'the observations applied to the keystroke version');
  assert.equal(p.diagnostics.filter((d) => d.code === 'memory-quantity-fractional').length, 299);
  assert.deepEqual(
    cluster(p).map((d) => d.code),
    ['request-below-observed-usage', 'oom-killed-recently', 'limit-below-observed-usage'],
  );
});

void test('a workload of another namespace than the context default is not matched by an unqualified manifest', async (t) => {
  const client = await opened();
  t.after(() => client.close());
  const republished = client.nextDiagnostics(URI);
  await client.conn.sendNotification(OBSERVED_WORKLOADS_NOTIFICATION, params([observedApi], 'default'));
  assert.deepEqual(cluster(await withTimeout(republished, 10_000, 'diagnostics')), []);
});
