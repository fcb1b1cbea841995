// Fuzz: the real language server (in process, over LSP) under random edits — ranges past the end, reversed,
// CRLF split and joined, YAML-ish text — and random hover and code-action requests. After each batch the server
// publishes diagnostics for the last version; they equal what the same text gets when opened fresh (so the
// server's text never drifts from the client's, as vscode-languageserver-textdocument keeps it), every range lies
// inside the document, and every request is answered.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  CodeActionRequest,
  HoverRequest,
  type Diagnostic,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { startInProcess, withTimeout, type LspClient } from '../protocol/lspHarness';
import { fuzz } from './budget';

const bases = readdirSync('examples')
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => readFileSync(join('examples', f), 'utf8'));
const tokens = [
  '',
  '\n',
  '\r\n',
  '\r',
  ' ',
  '  ',
  '\t',
  '#',
  ':',
  '-',
  '- name: x',
  'memory: ',
  '128m',
  '512Mi',
  '1Gb',
  'resources:',
  'limits:',
  'requests:',
  '{',
  '}',
  '"',
  "'",
  '*a',
  '&a ',
  '<<: ',
  '---\n',
  'kind: Pod\n',
  '{{ .Values.x }}',
  '😀',
  'é',
];

const position = fc.record({ line: fc.nat({ max: 400 }), character: fc.nat({ max: 140 }) });
const change: fc.Arbitrary<TextDocumentContentChangeEvent> = fc.oneof(
  {
    weight: 9,
    arbitrary: fc.record({
      range: fc.record({ start: position, end: position }),
      text: fc.array(fc.constantFrom(...tokens), { maxLength: 4 }).map((a) => a.join('')),
    }),
  },
  { weight: 1, arbitrary: fc.constantFrom(...bases).map((text) => ({ text })) },
);
const request = fc.record({ kind: fc.constantFrom('hover', 'codeAction'), at: position, to: position });

let client: LspClient;
let n = 0;
// fast-check's time limit abandons the input in flight: it is awaited here before the connection closes.
let inflight: Promise<unknown> = Promise.resolve();
before(async () => {
  client = startInProcess();
  await client.initialize();
});
after(async () => {
  await inflight;
  await client.close();
});

const key = (d: Diagnostic): string => JSON.stringify([d.range, d.code, d.severity, d.message]);

void test('language server: random edits and requests never desync it, and every request is answered', async (t) => {
  await fuzz(
    t,
    'language server',
    fc.asyncProperty(
      fc.constantFrom(...bases),
      fc.array(fc.array(change, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 6 }),
      fc.array(request, { maxLength: 3 }),
      (text, batches, requests) => {
        const run = oneInput(text, batches, requests);
        inflight = run.catch(() => undefined);
        return run;
      },
    ),
    6000,
    5,
  );
});

async function oneInput(
  text: string,
  batches: TextDocumentContentChangeEvent[][],
  requests: Array<{ kind: string; at: { line: number; character: number }; to: { line: number; character: number } }>,
): Promise<void> {
  const uri = `file:///fuzz/doc-${++n}.yaml`;
  let ref = TextDocument.create(uri, 'yaml', 1, text);
  client.open(uri, text, 1);
  for (const [i, changes] of batches.entries()) {
    // The oracle applies each change to a fresh TextDocument: after a change past the last line, TextDocument's
    // own line table is left with holes, and a second such change lands elsewhere (the server clamps as LSP says).
    for (const c of changes)
      ref = TextDocument.update(TextDocument.create(uri, 'yaml', i + 2, ref.getText()), [c], i + 2);
    client.change(uri, i + 2, changes);
  }
  const last = batches.length + 1;
  const got = await client.nextDiagnostics(uri, (p) => p.version === last, 10_000);
  const lines = ref.getText().split(/\r\n|\r|\n/);
  for (const d of got.diagnostics) {
    for (const p of [d.range.start, d.range.end]) {
      assert.ok(
        p.line < lines.length && p.character <= lines[p.line]!.length,
        `range ${JSON.stringify(d.range)} outside the ${lines.length}-line document`,
      );
    }
  }
  const fresh = `file:///fuzz/fresh-${n}.yaml`;
  const again = client.nextDiagnostics(fresh, () => true, 10_000);
  client.open(fresh, ref.getText(), 1);
  assert.deepEqual(
    got.diagnostics.map(key).sort(),
    (await again).diagnostics.map(key).sort(),
    'the edited document and the same text opened fresh get the same findings',
  );
  for (const r of requests) {
    const textDocument = { uri };
    if (r.kind === 'hover')
      await withTimeout(client.conn.sendRequest(HoverRequest.type, { textDocument, position: r.at }), 5_000, 'hover');
    else
      await withTimeout(
        client.conn.sendRequest(CodeActionRequest.type, {
          textDocument,
          range: { start: r.at, end: r.to },
          context: { diagnostics: got.diagnostics },
        }),
        5_000,
        'codeAction',
      );
  }
}
