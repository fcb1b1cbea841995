// The server's incremental analysis (DocumentAnalysis fed the edits of an EditableDocument) against a
// fresh analysis of the whole text: after any sequence of edits, the same document boundaries and
// the same diagnostics. Edits are random (fast-check), so a failure is shrunk and can be replayed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DEFAULT_SETTINGS } from '../../src/core/manifest/findingTypes';
import { NO_OBSERVATIONS } from '../../src/server/observations';
import { snapshotDiagnostics } from '../../src/server/diagnostics';
import { DocumentAnalysis } from '../../src/server/documentAnalysis';
import { EditableDocument } from '../../src/server/editableDocument';
import { manyDeployments } from '../protocol/lspHarness';

/** Static analysis: the settings' defaults, no observed usage. */
const RUN = { settings: DEFAULT_SETTINGS, observations: NO_OBSERVATIONS };

const fixture = (name: string): string => readFileSync(join('test', 'fixtures', 'protocol', name), 'utf8');

const TEXTS = [
  manyDeployments(12),
  fixture('malformed-deployment.yaml') +
    '---\n' +
    fixture('deployment-128m-request.yaml') +
    '...\n# trailing comment\n',
  fixture('guaranteed-website-qos-pod.yaml') + fixture('besteffort-website-qos-pod-3.yaml'),
];

const PIECES = [
  '',
  'i',
  'm',
  '\n',
  '---\n',
  '\n---\n',
  '...\n',
  '# note\n',
  '  memory: 128m\n',
  ' ',
  '{',
  'Mi',
  '\r\n',
  'kind: Pod\n',
];

// One edit: where it starts (a fraction of the text), how much it deletes, what it inserts.
const edit = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  del: fc.oneof(fc.constant(0), fc.nat({ max: 40 })),
  insert: fc.constantFrom(...PIECES),
});
// One version: one to three edits sent together.
const step = fc.array(edit, { minLength: 1, maxLength: 3 });

void test('after any sequence of edits, the incremental analysis equals a fresh analysis of the whole text', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.nat({ max: TEXTS.length - 1 }),
      fc.array(step, { minLength: 1, maxLength: 25 }),
      async (t, steps) => {
        const initial = TEXTS[t]!;
        const incremental = new DocumentAnalysis();
        const doc = TextDocument.create('file:///x.yaml', 'yaml', 1, initial);
        // The server's own document, read piece by piece by the incremental analysis.
        const editable = new EditableDocument('file:///x.yaml', 'yaml', 1, initial);
        await incremental.analyze(editable, 1, RUN, 'k');
        for (const [n, edits] of steps.entries()) {
          const version = doc.version + 1;
          const changes = [];
          for (const e of edits) {
            const length = doc.getText().length;
            const start = Math.floor(e.at * length);
            const end = Math.min(length, start + e.del);
            changes.push({ start, end, newLength: e.insert.length });
            const change = { range: { start: doc.positionAt(start), end: doc.positionAt(end) }, text: e.insert };
            TextDocument.update(doc, [change], version);
            editable.update([change], version);
          }
          incremental.recordChanges(version, changes);
          const got = await incremental.analyze(editable, version, RUN, 'k');
          assert.equal(editable.length, doc.getText().length);
          const want = await new DocumentAnalysis().analyze(doc.getText(), version, RUN, 'k');
          assert.ok(got && want);
          assert.deepEqual(
            got.slices.map((s) => [s.startOffset, s.endOffset, s.startLine]),
            want.slices.map((s) => [s.startOffset, s.endOffset, s.startLine]),
            `step ${n}: document boundaries`,
          );
          assert.deepEqual(snapshotDiagnostics(got), snapshotDiagnostics(want), `step ${n}: diagnostics`);
        }
      },
    ),
    { numRuns: 60 },
  );
});
