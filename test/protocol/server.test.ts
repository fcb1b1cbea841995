import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CodeActionRequest,
  HoverRequest,
  TextDocumentSyncKind,
  type CodeAction,
  type Diagnostic,
  type MarkupContent,
  type TextDocumentEdit,
} from 'vscode-languageserver/node';
import type { WireAnalysisSettings } from '../../src/shared/lspProtocol';
import { applyEdits, manyDeployments, positionOf, startInProcess, withTimeout } from './lspHarness';

const fixture = (name: string): string => readFileSync(join('test', 'fixtures', 'protocol', name), 'utf8');
const DEFAULTS: WireAnalysisSettings = {
  severities: {},
  maxLimitRequestRatio: 3,
  nodeMemoryCapacity: '16Gi',
  defaultMemory: '256Mi',
};
const byRule = (diagnostics: Diagnostic[], rule: string): Diagnostic[] => diagnostics.filter((d) => d.code === rule);

async function started(settings: WireAnalysisSettings | null = DEFAULTS) {
  const client = startInProcess();
  client.settings = settings;
  await client.initialize();
  return client;
}

void test('initialize announces incremental sync, hover and quick fixes', async (t) => {
  const client = startInProcess();
  t.after(() => client.close());
  const result = await client.initialize();
  assert.deepEqual(result.capabilities.textDocumentSync, { openClose: true, change: TextDocumentSyncKind.Incremental });
  assert.equal(result.capabilities.hoverProvider, true);
  assert.deepEqual(result.capabilities.codeActionProvider, { codeActionKinds: ['quickfix'] });
  assert.equal(result.serverInfo?.name, 'oomscope');
});

void test('didOpen publishes the finding with rule id, docs link, source and the exact range of the value', async (t) => {
  const client = await started();
  t.after(() => client.close());
  const text = fixture('deployment-128m-request.yaml');
  const uri = 'file:///ws/deployment.yaml';
  const published = client.nextDiagnostics(uri);
  client.open(uri, text);
  const { diagnostics, version } = await published;
  assert.equal(version, 1);
  const [fractional] = byRule(diagnostics, 'memory-quantity-fractional');
  assert.ok(fractional, `memory-quantity-fractional expected, got ${JSON.stringify(diagnostics.map((d) => d.code))}`);
  assert.equal(fractional.source, 'oomscope');
  assert.equal(fractional.severity, 1);
  assert.match(fractional.codeDescription?.href ?? '', /docs\/rules\/memory-quantity-fractional\.md$/);
  const start = positionOf(text, 'memory: 128m', 1, 8);
  assert.deepEqual(fractional.range, { start, end: { line: start.line, character: start.character + 4 } });
  assert.ok(diagnostics.every((d) => d.source === 'oomscope'));
});

void test('hover on resources names the QoS class and the oom_score_adj', async (t) => {
  const client = await started();
  t.after(() => client.close());
  const guaranteed = fixture('guaranteed-website-qos-pod.yaml');
  const bestEffort = fixture('besteffort-website-qos-pod-3.yaml');
  const uriG = 'file:///ws/qos-pod.yaml';
  const uriB = 'file:///ws/qos-pod-3.yaml';
  const openedG = client.nextDiagnostics(uriG);
  const openedB = client.nextDiagnostics(uriB);
  client.open(uriG, guaranteed);
  client.open(uriB, bestEffort);
  assert.deepEqual((await openedG).diagnostics, []);
  await openedB;

  const hoverG = await client.conn.sendRequest(HoverRequest.type, {
    textDocument: { uri: uriG },
    position: positionOf(guaranteed, 'resources', 1, 2),
  });
  const markdownG = (hoverG?.contents as MarkupContent).value;
  assert.match(markdownG, /Guaranteed/);
  assert.match(markdownG, /[-−]997/);

  const hoverB = await client.conn.sendRequest(HoverRequest.type, {
    textDocument: { uri: uriB },
    position: positionOf(bestEffort, 'qos-demo-3-ctr', 1, 3),
  });
  const markdownB = (hoverB?.contents as MarkupContent).value;
  assert.match(markdownB, /BestEffort/);
  assert.match(markdownB, /1000/);

  const nothing = await client.conn.sendRequest(HoverRequest.type, {
    textDocument: { uri: uriG },
    position: positionOf(guaranteed, 'qos-example', 1, 2),
  });
  assert.equal(nothing, null);
});

void test('the quick fix from codeAction, applied to the text, gives the expected YAML and clears the finding', async (t) => {
  const client = await started();
  t.after(() => client.close());
  const text = fixture('deployment-128m-request.yaml');
  const uri = 'file:///ws/fix-me.yaml';
  const opened = client.nextDiagnostics(uri);
  client.open(uri, text, 7);
  const { diagnostics } = await opened;
  const [fractional] = byRule(diagnostics, 'memory-quantity-fractional');
  assert.ok(fractional);

  const actions = (await client.conn.sendRequest(CodeActionRequest.type, {
    textDocument: { uri },
    range: fractional.range,
    context: { diagnostics: [fractional], only: ['quickfix'] },
  })) as CodeAction[];
  const fix = actions.find((a) => a.title.includes('128Mi'));
  assert.ok(fix, `a "128Mi" fix expected, got ${JSON.stringify(actions.map((a) => a.title))}`);
  assert.equal(fix.kind, 'quickfix');
  assert.equal(fix.isPreferred, true);
  const [change] = fix.edit?.documentChanges as TextDocumentEdit[];
  assert.deepEqual(change.textDocument, { uri, version: 7 });
  const fixed = applyEdits(text, change.edits as never);
  assert.equal(fixed, text.replace('memory: 128m # keep this comment', 'memory: 128Mi # keep this comment'));

  const updated = client.nextDiagnostics(uri, (p) => p.version === 8);
  client.change(uri, 8, [{ text: fixed }]);
  assert.deepEqual(byRule((await updated).diagnostics, 'memory-quantity-fractional'), []);

  const none = await client.conn.sendRequest(CodeActionRequest.type, {
    textDocument: { uri },
    range: fractional.range,
    context: { diagnostics: [{ ...fractional, source: 'yaml' }] },
  });
  assert.deepEqual(none, []);
});

void test('an incremental didChange updates the diagnostics of the new version', async (t) => {
  const client = await started();
  t.after(() => client.close());
  const text = fixture('deployment-128m-request.yaml');
  const uri = 'file:///ws/typing.yaml';
  const opened = client.nextDiagnostics(uri);
  client.open(uri, text);
  assert.equal(byRule((await opened).diagnostics, 'memory-quantity-fractional').length, 1);

  const at = positionOf(text, '256Mi', 1, 3);
  const v2 = client.nextDiagnostics(uri, (p) => p.version === 2);
  client.change(uri, 2, [{ range: { start: at, end: { line: at.line, character: at.character + 2 } }, text: 'm' }]);
  const fractional = byRule((await v2).diagnostics, 'memory-quantity-fractional');
  assert.deepEqual(
    fractional.map((d) => d.range.start.line),
    [positionOf(text, 'memory: 128m').line, at.line],
  );
});

void test('a result for an outdated version is dropped: the first diagnostics published are those of the newest version', async (t) => {
  const client = await started();
  t.after(() => client.close());
  const uri = 'file:///ws/outdated.yaml';
  const v1 = manyDeployments(2_000);
  const v2 = v1.replaceAll('memory: 128m', 'memory: 128Mi');
  const first = client.nextDiagnostics(uri, undefined, 120_000);
  client.open(uri, v1, 1);
  client.change(uri, 2, [{ text: v2 }]);
  const published = await first;
  assert.equal(published.version, 2);
  assert.deepEqual(byRule(published.diagnostics, 'memory-quantity-fractional'), []);
  assert.ok(client.published.every((p) => p.version !== 1));
});

void test('a 10,000-document file: all diagnostics arrive, and a one-character edit is re-analyzed quickly', async (t) => {
  const client = await started();
  t.after(() => client.close());
  const uri = 'file:///ws/huge.yaml';
  const text = manyDeployments(10_000);
  let started_ = performance.now();
  const opened = client.nextDiagnostics(uri, undefined, 120_000);
  client.open(uri, text);
  const all = byRule((await opened).diagnostics, 'memory-quantity-fractional');
  t.diagnostic(
    `open → diagnostics: ${Math.round(performance.now() - started_)} ms for ${(text.length / 1e6).toFixed(1)} MB`,
  );
  assert.equal(all.length, 10_000);

  const at = positionOf(text, 'name: svc-5000\n');
  const lineOf128m = at.line + 12;
  const target = all.find((d) => d.range.start.line === lineOf128m);
  assert.ok(target, 'the finding of document 5000');
  started_ = performance.now();
  const edited = client.nextDiagnostics(uri, (p) => p.version === 2, 20_000);
  client.change(uri, 2, [{ range: { start: target.range.end, end: target.range.end }, text: 'i' }]);
  const after = byRule((await edited).diagnostics, 'memory-quantity-fractional');
  const editMs = performance.now() - started_;
  t.diagnostic(`edit → diagnostics: ${Math.round(editMs)} ms`);
  assert.equal(after.length, 9_999);
  assert.ok(!after.some((d) => d.range.start.line === lineOf128m));
  assert.ok(editMs < 3_000, `edit → diagnostics took ${Math.round(editMs)} ms: the whole file was re-analyzed`);
});

void test('YAML that is not Kubernetes gets empty diagnostics', async (t) => {
  const client = await started();
  t.after(() => client.close());
  const uri = 'file:///ws/docker-compose.yaml';
  const published = client.nextDiagnostics(uri);
  client.open(uri, fixture('docker-compose-not-kubernetes.yaml'));
  assert.deepEqual((await published).diagnostics, []);
});

void test('malformed YAML does not crash the server: the next document is still analyzed, hover still answers', async (t) => {
  const client = await started();
  t.after(() => client.close());
  const text = fixture('malformed-deployment.yaml');
  const uri = 'file:///ws/malformed.yaml';
  const published = client.nextDiagnostics(uri);
  client.open(uri, text);
  const { diagnostics } = await published;
  const fractional = byRule(diagnostics, 'memory-quantity-fractional');
  assert.deepEqual(
    fractional.map((d) => d.range.start),
    [positionOf(text, '64m')],
  );
  assert.ok(
    diagnostics
      .filter((d) => d.range.start.line < positionOf(text, 'after-the-broken-one').line)
      .every((d) => d.severity === 3),
    'at most an information that the broken document was skipped',
  );
  const hover = await client.conn.sendRequest(HoverRequest.type, {
    textDocument: { uri },
    position: positionOf(text, '64Mi', 1, 1),
  });
  assert.ok(hover);
});

void test('settings are pulled per document; a severity "off" silences a rule and a configuration change re-validates', async (t) => {
  const client = await started({ ...DEFAULTS, severities: { 'memory-quantity-fractional': 'off' } });
  t.after(() => client.close());
  const uri = 'file:///ws/settings.yaml';
  const opened = client.nextDiagnostics(uri);
  client.open(uri, fixture('deployment-128m-request.yaml'));
  assert.deepEqual(byRule((await opened).diagnostics, 'memory-quantity-fractional'), []);

  client.settings = { ...DEFAULTS, severities: { 'memory-quantity-fractional': 'warning' } };
  const revalidated = client.nextDiagnostics(
    uri,
    (p) => byRule(p.diagnostics, 'memory-quantity-fractional').length > 0,
  );
  client.configurationChanged();
  const [finding] = byRule((await revalidated).diagnostics, 'memory-quantity-fractional');
  assert.equal(finding.severity, 2);
});

void test('invalid settings fall back to the defaults with a log line', async (t) => {
  const client = await started({ ...DEFAULTS, nodeMemoryCapacity: 'lots', maxLimitRequestRatio: -1 });
  t.after(() => client.close());
  const uri = 'file:///ws/bad-settings.yaml';
  const opened = client.nextDiagnostics(uri);
  client.open(uri, fixture('deployment-128m-request.yaml'));
  assert.equal(byRule((await opened).diagnostics, 'memory-quantity-fractional').length, 1);
  assert.ok(client.logs.some((l) => l.includes('oomscope.nodeMemoryCapacity') && l.includes('lots')));
  assert.ok(client.logs.some((l) => l.includes('oomscope.rules.maxLimitRequestRatio')));
});

void test('requests for a document that is not open answer null or nothing, without an error', async (t) => {
  const client = await started();
  t.after(() => client.close());
  const uri = 'file:///ws/never-opened.yaml';
  const hover = await withTimeout(
    client.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 0 } }),
    5_000,
    'hover',
  );
  assert.equal(hover, null);
});
