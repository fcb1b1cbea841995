// One YAML document larger than the analysis budget (core/manifest/documentBudget.ts), broken as a keystroke
// breaks it (the 43 MB case that made the server abort): one information diagnostic that says why,
// and the server keeps answering requests and analyzing other files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CodeActionRequest, DiagnosticSeverity, HoverRequest, type MarkupContent } from 'vscode-languageserver/node';
import { MAX_DOCUMENT_CHARS } from '../../src/core/manifest/documentBudget';
import { positionOf, startInProcess, withTimeout } from './lspHarness';

const DEFAULTS = { severities: {}, maxLimitRequestRatio: 3, nodeMemoryCapacity: '16Gi', defaultMemory: '256Mi' };

/** A Pod as pretty-printed JSON with `keys` more keys, with a `#` typed in front (yaml then reports an error per line). */
function brokenPrettyJsonPod(keys: number): string {
  const pod: Record<string, unknown> = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'x' },
    spec: { containers: [{ name: 'a', resources: { limits: { memory: '128m' } } }] },
  };
  for (let i = 0; i < keys; i++) pod[`k${i}`] = 'memory';
  return '#' + JSON.stringify(pod, null, 1);
}

void test('a large broken document gets one information diagnostic; hover, code actions, edits and other files still work', async (t) => {
  const client = startInProcess();
  client.settings = DEFAULTS;
  await client.initialize({ debounceMs: 0 });
  t.after(() => client.close());
  const big = brokenPrettyJsonPod(60_000);
  assert.ok(big.length > 4 * MAX_DOCUMENT_CHARS);
  const uri = 'file:///ws/big-broken.json.yaml';
  const opened = client.nextDiagnostics(uri, undefined, 60_000);
  client.open(uri, big);
  const { diagnostics } = await opened;
  assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics.map((d) => d.message)));
  const [info] = diagnostics;
  assert.equal(info!.severity, DiagnosticSeverity.Information);
  assert.equal(info!.source, 'oomscope');
  assert.match(
    info!.message as string,
    /^This YAML document is 1(\.\d)? MiB; OOMScope checks documents of up to 256 KiB .*it was not checked for memory settings\. .*oomscope lint --max-document-size 2Mi FILE/,
  );
  assert.deepEqual(info!.range.start, { line: 0, character: 0 });

  const hover = await withTimeout(
    client.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: positionOf(big, '"memory"') }),
    10_000,
    'hover',
  );
  assert.equal(hover, null);
  const actions = await withTimeout(
    client.conn.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: info!.range,
      context: { diagnostics: [info!] },
    }),
    10_000,
    'codeAction',
  );
  assert.deepEqual(actions, []);

  // A keystroke that repairs it: still too large, still one information.
  const edited = client.nextDiagnostics(uri, (p) => p.version === 2, 60_000);
  client.change(uri, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, text: '' }]);
  assert.deepEqual(
    (await edited).diagnostics.map((d) => d.severity),
    [DiagnosticSeverity.Information],
  );

  const small =
    'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    resources:\n      limits: {memory: 128m}\n';
  const smallUri = 'file:///ws/small.yaml';
  const smallOpened = client.nextDiagnostics(smallUri);
  client.open(smallUri, small);
  assert.ok((await smallOpened).diagnostics.some((d) => d.code === 'memory-quantity-fractional'));
  const smallHover = await withTimeout(
    client.conn.sendRequest(HoverRequest.type, {
      textDocument: { uri: smallUri },
      position: positionOf(small, 'resources', 1, 1),
    }),
    10_000,
    'hover',
  );
  assert.match((smallHover?.contents as MarkupContent).value, /QoS class: Burstable/);
});

void test('a large document among small ones: the small ones keep their findings and hovers', async (t) => {
  const client = startInProcess();
  client.settings = DEFAULTS;
  await client.initialize({ debounceMs: 0 });
  t.after(() => client.close());
  const pod =
    'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    resources:\n      limits: {memory: 128m}\n';
  const text = `${pod}---\n${brokenPrettyJsonPod(30_000)}\n---\n${pod}`;
  const uri = 'file:///ws/mixed.yaml';
  const opened = client.nextDiagnostics(uri, undefined, 60_000);
  client.open(uri, text);
  const { diagnostics } = await opened;
  const lastPod = positionOf(text, 'memory: 128m', 2).line;
  assert.deepEqual(
    diagnostics.filter((d) => d.code === 'memory-quantity-fractional').map((d) => d.range.start.line),
    [positionOf(text, 'memory: 128m').line, lastPod],
  );
  assert.equal(
    diagnostics.filter(
      (d) =>
        d.severity === DiagnosticSeverity.Information && /OOMScope checks documents of up to/.test(d.message as string),
    ).length,
    1,
  );
  const hover = await withTimeout(
    client.conn.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: positionOf(text, 'resources:', 2, 1),
    }),
    10_000,
    'hover',
  );
  assert.match((hover?.contents as MarkupContent).value, /QoS class: Burstable/);
});
