// EditableDocument against vscode-languageserver-textdocument's TextDocument: the same text,
// offsets, positions and line count after any sequence of edits (CRLF pairs split and joined,
// reversed and out-of-range positions, whole-text replacements, many pieces).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { EditableDocument } from '../../src/server/editableDocument';

const INSERTS = ['', 'x', '\n', '\r', '\r\n', 'memory: 128Mi\n', '---\n', '\n\n', 'é😀', 'a\r\nb\rc\nd'];
// Positions a client sends: inside the document (TextDocument itself breaks on lines past the end),
// sometimes reversed, sometimes with a character past the end of its line.
const edit = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  length: fc.nat({ max: 12 }),
  reversed: fc.boolean(),
  overshoot: fc.constantFrom(0, 0, 0, 5),
  text: fc.constantFrom(...INSERTS),
  full: fc.integer({ min: 0, max: 40 }),
});

void test('EditableDocument follows TextDocument through random edits', () => {
  fc.assert(fc.property(fc.constantFrom('', 'a: 1\nb: 2\n', 'a: 1\r\nb: 2\r\n\r\n', 'x\ry\r\nz\n'), fc.array(edit, { maxLength: 120 }), (initial, edits) => {
    const want = TextDocument.create('file:///a.yaml', 'yaml', 1, initial);
    const got = new EditableDocument('file:///a.yaml', 'yaml', 1, initial);
    edits.forEach((e, i) => {
      const length = want.getText().length;
      const from = Math.floor(e.at * length);
      const start = want.positionAt(from);
      const end = want.positionAt(Math.min(length, from + e.length));
      end.character += e.overshoot;
      const range = e.reversed ? { start: end, end: start } : { start, end };
      const change = e.full === 0 ? { text: e.text } : { range, text: e.text };
      TextDocument.update(want, [change], i + 2);
      got.update([change], i + 2);
      if (i % 7 === 0) {
        // Reads without joining, then sometimes a join.
        const text = want.getText();
        assert.equal(got.length, text.length);
        assert.equal(got.slice(1, text.length - 1), text.slice(1, text.length - 1));
      }
      if (i % 13 === 0) assert.equal(got.getText(), want.getText());
    });
    const text = want.getText();
    assert.equal(got.getText(), text);
    assert.equal(got.version, want.version);
    assert.equal(got.lineCount, want.lineCount);
    for (let line = -1; line <= want.lineCount; line++) {
      for (const character of [-1, 0, 1, 3, 200]) assert.equal(got.offsetAt({ line, character }), want.offsetAt({ line, character }), `offsetAt ${line}:${character}`);
    }
    for (let offset = -1; offset <= text.length + 1; offset++) assert.deepEqual(got.positionAt(offset), want.positionAt(offset), `positionAt ${offset}`);
  }), { numRuns: 400 });
});

void test('a keystroke does not join the pieces; many keystrokes do, once', () => {
  const text = 'a: 1\n'.repeat(10_000);
  const doc = new EditableDocument('file:///b.yaml', 'yaml', 1, text);
  doc.update([{ range: { start: { line: 5000, character: 1 }, end: { line: 5000, character: 1 } }, text: 'x' }], 2);
  assert.equal(doc.slice(25_000, 25_006), 'ax: 1\n');
  assert.equal(doc.positionAt(25_003).line, 5000);
  for (let i = 0; i < 100; i++) doc.update([{ range: { start: { line: i, character: 0 }, end: { line: i, character: 0 } }, text: '#' }], 3 + i);
  assert.equal(doc.getText(), text.split('\n').map((l, i) => (i < 100 ? '#' + l : i === 5000 ? 'ax: 1' : l)).join('\n'));
});
