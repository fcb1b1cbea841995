// Edits whose range reaches past the last line (as Neovim, Helix, Emacs and Zed send when a line
// at the end is replaced or deleted) and edits the server cannot read, through the real server:
// diagnostics keep coming for every version, and a quick fix lands on the line it is about.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CodeActionRequest,
  HoverRequest,
  type CodeAction,
  type TextDocumentContentChangeEvent,
  type TextDocumentEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { applyEdits, startInProcess, withTimeout } from './lspHarness';

const DEFAULTS = { severities: {}, maxLimitRequestRatio: 3, nodeMemoryCapacity: '16Gi', defaultMemory: '256Mi' };

async function started() {
  const client = startInProcess();
  client.settings = DEFAULTS;
  await client.initialize({ debounceMs: 0 });
  return client;
}

void test("edits ending one line past the end (desync.mjs): the server keeps the client's text, and the quick fix changes only the 128m line", async (t) => {
  const client = await started();
  t.after(() => client.close());
  const text0 =
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    resources:\n      limits:\n        memory: 1Gi\n';
  const uri = 'file:///ws/desync.yaml';
  const opened = client.nextDiagnostics(uri);
  client.open(uri, text0);
  await opened;
  // The client's text, as TextDocument (which the LSP spec follows) computes it.
  let shadow = TextDocument.create(uri, 'yaml', 1, text0);
  const last = shadow.lineCount - 1;
  const changes: TextDocumentContentChangeEvent[] = [
    { range: { start: { line: last, character: 0 }, end: { line: last + 1, character: 0 } }, text: '  - name: b\n' },
    {
      range: { start: { line: last + 1, character: 0 }, end: { line: last + 2, character: 0 } },
      text: '    resources: {limits: {memory: 128m}}\n',
    },
    {
      range: { start: { line: last + 1, character: 0 }, end: { line: last + 1, character: 0 } },
      text: '    image: registry.example.com/team/application-server:v1.2.3\n',
    },
    { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# edited\n' },
  ];
  let version = 1;
  const everyVersion: Promise<unknown>[] = [];
  for (const change of changes) {
    version++;
    shadow = TextDocument.create(uri, 'yaml', version, TextDocument.update(shadow, [change], version).getText());
    const v = version;
    everyVersion.push(client.nextDiagnostics(uri, (p) => p.version === v));
    client.change(uri, version, [change]);
    // Each version is analyzed before the next edit: none is skipped for lack of diagnostics.
    await everyVersion[everyVersion.length - 1];
  }
  const { diagnostics } = client.published[client.published.length - 1]!;
  const lines = shadow.getText().split('\n');
  const fractional = diagnostics.find((d) => d.code === 'memory-quantity-fractional');
  assert.ok(fractional, `memory-quantity-fractional expected, got ${JSON.stringify(diagnostics.map((d) => d.code))}`);
  assert.equal(lines[fractional.range.start.line], '    resources: {limits: {memory: 128m}}');

  const actions = (await client.conn.sendRequest(CodeActionRequest.type, {
    textDocument: { uri },
    range: fractional.range,
    context: { diagnostics: [fractional] },
  })) as CodeAction[];
  const fix = actions.find((a) => a.title.includes('128Mi'));
  assert.ok(fix, `a 128Mi fix expected, got ${JSON.stringify(actions.map((a) => a.title))}`);
  const [edit] = fix.edit?.documentChanges as TextDocumentEdit[];
  const fixed = applyEdits(shadow.getText(), edit.edits as never);
  assert.equal(fixed, shadow.getText().replace('{memory: 128m}', '{memory: 128Mi}'));
  assert.ok(fixed.includes('image: registry.example.com/team/application-server:v1.2.3\n'));
  assert.deepEqual(
    client.logs.filter((l) => /failed|out of bounds/.test(l)),
    [],
  );
});

void test('typing on a new last line after an edit that ends at {line: lineCount, character: 0} (desync1.mjs): diagnostics for every version', async (t) => {
  const client = await started();
  t.after(() => client.close());
  const text0 =
    'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    resources: {limits: {memory: 1Gi}}';
  const uri = 'file:///ws/desync1.yaml';
  const opened = client.nextDiagnostics(uri);
  client.open(uri, text0);
  assert.deepEqual(
    (await opened).diagnostics.map((d) => d.code).filter((c) => c === 'memory-quantity-fractional'),
    [],
  );
  const v2 = client.nextDiagnostics(uri, (p) => p.version === 2);
  client.change(uri, 2, [
    {
      range: { start: { line: 6, character: 0 }, end: { line: 7, character: 0 } },
      text: '    resources: {limits: {memory: 128m}}\n',
    },
  ]);
  const fractional = (await v2).diagnostics.find((d) => d.code === 'memory-quantity-fractional');
  assert.equal(fractional?.range.start.line, 6);
  let version = 2;
  for (const ch of '  - name: b') {
    version++;
    client.change(uri, version, [
      { range: { start: { line: 7, character: version - 3 }, end: { line: 7, character: version - 3 } }, text: ch },
    ]);
  }
  const final = version;
  const typed = await client.nextDiagnostics(uri, (p) => p.version === final);
  assert.equal(typed.diagnostics.find((d) => d.code === 'memory-quantity-fractional')?.range.start.line, 6);
  // The new container "b" on line 7 is a container without resources: a finding on its name.
  assert.ok(
    typed.diagnostics.some((d) => d.range.start.line === 7),
    JSON.stringify(typed.diagnostics.map((d) => [d.code, d.range.start])),
  );
  assert.deepEqual(
    client.logs.filter((l) => /failed|out of bounds/.test(l)),
    [],
  );
});

void test('a change the server cannot read drops the document with one log line; it is checked again once reopened', async (t) => {
  const client = await started();
  t.after(() => client.close());
  const text =
    'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    resources: {limits: {memory: 128m}}\n';
  const uri = 'file:///ws/unreadable-change.yaml';
  const opened = client.nextDiagnostics(uri);
  client.open(uri, text);
  assert.ok((await opened).diagnostics.length > 0);
  const cleared = client.nextDiagnostics(uri, (p) => p.diagnostics.length === 0);
  client.change(uri, 2, [{ range: null, text: 'x' } as never]);
  await cleared;
  assert.equal(client.logs.filter((l) => l.includes('could not be applied')).length, 1);
  const hover = await withTimeout(
    client.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 6, character: 6 } }),
    5_000,
    'hover',
  );
  assert.equal(hover, null);
  const reopened = client.nextDiagnostics(uri, (p) => p.version === 3);
  client.open(uri, text, 3);
  assert.ok((await reopened).diagnostics.some((d) => d.code === 'memory-quantity-fractional'));
});
