import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DEFAULT_SETTINGS } from '../../src/core/types';
import { snapshotDiagnostics } from '../../src/server/diagnostics';
import { DocumentAnalysis } from '../../src/server/documentAnalysis';
import { EditableDocument } from '../../src/server/editableDocument';
import { manyDeployments } from './lspHarness';

const fixture = (name: string): string => readFileSync(join('test', 'fixtures', 'protocol', name), 'utf8');

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = ['i', 'm', '\n', '---\n', '\n---\n', '...\n', '# note\n', '  memory: 128m\n', ' ', '{', 'Mi', '\r\n', 'kind: Pod\n'];

void test('after any sequence of edits, the incremental analysis equals a fresh analysis of the whole text', async () => {
  const texts = [
    manyDeployments(12),
    fixture('malformed-deployment.yaml') + '---\n' + fixture('deployment-128m-request.yaml') + '...\n# trailing comment\n',
    fixture('guaranteed-website-qos-pod.yaml') + fixture('besteffort-website-qos-pod-3.yaml'),
  ];
  for (const [t, initial] of texts.entries()) {
    const rnd = random(1000 + t);
    const incremental = new DocumentAnalysis();
    const doc = TextDocument.create('file:///x.yaml', 'yaml', 1, initial);
    // The server's own document, read piece by piece by the incremental analysis.
    const editable = new EditableDocument('file:///x.yaml', 'yaml', 1, initial);
    await incremental.analyze(editable, 1, DEFAULT_SETTINGS, 'k');
    for (let step = 0; step < 150; step++) {
      const edits = 1 + Math.floor(rnd() * 3);
      const version = doc.version + 1;
      const changes = [];
      for (let e = 0; e < edits; e++) {
        const text = doc.getText();
        const start = Math.floor(rnd() * (text.length + 1));
        const end = Math.min(text.length, start + (rnd() < 0.5 ? 0 : Math.floor(rnd() * 40)));
        const insert = rnd() < 0.3 ? '' : PIECES[Math.floor(rnd() * PIECES.length)];
        changes.push({ start, end, newLength: insert.length });
        const change = { range: { start: doc.positionAt(start), end: doc.positionAt(end) }, text: insert };
        TextDocument.update(doc, [change], version);
        editable.update([change], version);
      }
      incremental.recordChanges(version, changes);
      const got = await incremental.analyze(editable, version, DEFAULT_SETTINGS, 'k');
      assert.equal(editable.length, doc.getText().length);
      const want = await new DocumentAnalysis().analyze(doc.getText(), version, DEFAULT_SETTINGS, 'k');
      assert.ok(got && want);
      assert.deepEqual(
        got.slices.map((s) => [s.startOffset, s.endOffset, s.startLine]),
        want.slices.map((s) => [s.startOffset, s.endOffset, s.startLine]),
        `text ${t}, step ${step}: document boundaries`,
      );
      assert.deepEqual(snapshotDiagnostics(got), snapshotDiagnostics(want), `text ${t}, step ${step}: diagnostics`);
    }
  }
});
