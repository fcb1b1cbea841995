// EditableDocument against vscode-languageserver-textdocument's TextDocument: the same text,
// offsets, positions and line count after any sequence of edits (CRLF pairs split and joined,
// reversed and out-of-range positions, whole-text replacements, many pieces), and update() is
// atomic: a change it cannot read leaves the document as it was.
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
  fc.assert(
    fc.property(
      fc.constantFrom('', 'a: 1\nb: 2\n', 'a: 1\r\nb: 2\r\n\r\n', 'x\ry\r\nz\n'),
      fc.array(edit, { maxLength: 120 }),
      (initial, edits) => {
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
          for (const character of [-1, 0, 1, 3, 200])
            assert.equal(
              got.offsetAt({ line, character }),
              want.offsetAt({ line, character }),
              `offsetAt ${line}:${character}`,
            );
        }
        for (let offset = -1; offset <= text.length + 1; offset++)
          assert.deepEqual(got.positionAt(offset), want.positionAt(offset), `positionAt ${offset}`);
      },
    ),
    { numRuns: 400 },
  );
});

// Positions outside the text, as clients other than VS Code send them: lines past the end (the
// line count itself, when a client replaces or deletes the last line; huge numbers), negative
// lines and characters, characters past the end of their line, reversed ranges. A line is chosen
// relative to the line count of the text at the time of the edit.
const HUGE = [2 ** 31, 2 ** 32 + 1, Number.MAX_SAFE_INTEGER, 1e300];
const wildLine = fc.record({
  kind: fc.constantFrom('inside', 'inside', 'lineCount', 'past', 'negative', 'huge'),
  n: fc.nat({ max: 1000 }),
});
const wildCharacter = fc.oneof(fc.integer({ min: -2, max: 12 }), fc.constantFrom(...HUGE));
const wild = fc.record({
  start: fc.record({ line: wildLine, character: wildCharacter }),
  end: fc.record({ line: wildLine, character: wildCharacter }),
  text: fc.constantFrom(...INSERTS),
});

function lineFor(choice: { kind: string; n: number }, lineCount: number): number {
  switch (choice.kind) {
    case 'inside':
      return choice.n % lineCount;
    case 'lineCount':
      return lineCount;
    case 'past':
      return lineCount + 1 + (choice.n % 3);
    case 'negative':
      return -1 - (choice.n % 3);
    default:
      return HUGE[choice.n % HUGE.length]!;
  }
}

void test('EditableDocument follows TextDocument with positions outside the text and reversed ranges', () => {
  fc.assert(
    fc.property(
      fc.constantFrom('', 'a: 1\nb: 2\n', 'a: 1\r\nb: 2', 'x\ry\r\nz\n', 'k: v'),
      fc.array(wild, { maxLength: 60 }),
      fc.context(),
      (initial, edits, ctx) => {
        // The oracle: each change applied by TextDocument.update to a TextDocument created from the
        // previous text (TextDocument's own line table leaves holes after a line past the end).
        let text: string = initial;
        const got = new EditableDocument('file:///a.yaml', 'yaml', 1, initial);
        edits.forEach((e, i) => {
          const lineCount = TextDocument.create('file:///a.yaml', 'yaml', 1, text).lineCount;
          const range = {
            start: { line: lineFor(e.start.line, lineCount), character: e.start.character },
            end: { line: lineFor(e.end.line, lineCount), character: e.end.character },
          };
          ctx.log(JSON.stringify(range));
          const want = TextDocument.create('file:///a.yaml', 'yaml', 1, text);
          const change = { range, text: e.text };
          TextDocument.update(want, [change], i + 2);
          text = want.getText();
          got.update([change], i + 2);
          assert.equal(got.getText(), text);
          if (i % 5 === 0) agreesWith(got, TextDocument.create('file:///a.yaml', 'yaml', i + 2, text));
        });
        agreesWith(got, TextDocument.create('file:///a.yaml', 'yaml', 1, text));
      },
    ),
    { numRuns: 300 },
  );
});

void test('an edit ending at {line: lineCount, character: 0} replaces the last line, and typing there keeps text and lines right', () => {
  const initial =
    'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    resources: {limits: {memory: 1Gi}}';
  const got = new EditableDocument('file:///d.yaml', 'yaml', 1, initial);
  let want = TextDocument.create('file:///d.yaml', 'yaml', 1, initial);
  const apply = (
    change: {
      range: { start: { line: number; character: number }; end: { line: number; character: number } };
      text: string;
    },
    version: number,
  ): void => {
    want = TextDocument.create(
      'file:///d.yaml',
      'yaml',
      version,
      TextDocument.update(want, [change], version).getText(),
    );
    got.update([change], version);
  };
  apply(
    {
      range: { start: { line: 6, character: 0 }, end: { line: 7, character: 0 } },
      text: '    resources: {limits: {memory: 128m}}\n',
    },
    2,
  );
  let v = 2;
  for (const ch of '  - name: b') {
    v++;
    apply({ range: { start: { line: 7, character: v - 3 }, end: { line: 7, character: v - 3 } }, text: ch }, v);
  }
  assert.equal(got.getText(), want.getText());
  assert.equal(got.version, v);
  assert.deepEqual(got.positionAt(got.length), { line: 7, character: 11 });
  agreesWith(got, want);
});

void test('update is atomic: a change it cannot read throws and leaves text, lines and version as they were', () => {
  const text = 'a: 1\nb: 2\nc: 3\n';
  const doc = new EditableDocument('file:///e.yaml', 'yaml', 1, text);
  const good = { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, text: 'A' };
  for (const bad of [
    { range: null, text: 'x' },
    { range: { start: { line: 0 }, end: { line: 1, character: 0 } }, text: 'x' },
    { range: { start: { line: 'a', character: 0 }, end: { line: 1, character: 0 } }, text: 'x' },
    { range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, text: 12345 },
    { text: null },
    null,
  ]) {
    // A good change before the bad one in the same notification must not stay applied either.
    assert.throws(() => doc.update([good, bad as never], 2), TypeError);
    assert.equal(doc.getText(), text);
    assert.equal(doc.version, 1);
    assert.equal(doc.lineCount, 4);
    assert.equal(doc.offsetAt({ line: 2, character: 1 }), 11);
  }
  // Fractions are rounded down; 1e400 in JSON is Infinity, which is past every line.
  doc.update(
    [{ range: { start: { line: 1.7, character: 0.5 }, end: { line: Infinity, character: 0 } }, text: 'z' }],
    3,
  );
  assert.equal(doc.getText(), 'a: 1\nz');
  assert.equal(doc.lineCount, 2);
});

function agreesWith(got: EditableDocument, want: TextDocument): void {
  const text = want.getText();
  assert.equal(got.getText(), text);
  assert.equal(got.lineCount, want.lineCount);
  for (let line = -1; line <= want.lineCount + 1; line++) {
    for (const character of [-1, 0, 1, 3, 200, 2 ** 40])
      assert.equal(
        got.offsetAt({ line, character }),
        want.offsetAt({ line, character }),
        `offsetAt ${line}:${character}`,
      );
  }
  for (let offset = -1; offset <= text.length + 1; offset++)
    assert.deepEqual(got.positionAt(offset), want.positionAt(offset), `positionAt ${offset}`);
}

/** The number of strings the document holds its text in (a private field: what this test is about). */
function pieceCount(doc: EditableDocument): number {
  return (doc as unknown as { pieces: string[] }).pieces.length;
}

void test('a keystroke does not join the pieces; many keystrokes do, once', () => {
  const text = 'a: 1\n'.repeat(10_000);
  const doc = new EditableDocument('file:///b.yaml', 'yaml', 1, text);
  doc.update([{ range: { start: { line: 5000, character: 1 }, end: { line: 5000, character: 1 } }, text: 'x' }], 2);
  assert.equal(doc.slice(25_000, 25_006), 'ax: 1\n');
  assert.equal(doc.positionAt(25_003).line, 5000);
  assert.equal(pieceCount(doc), 3, 'before the keystroke, the keystroke, after it');
  let joins = 0;
  for (let i = 0; i < 100; i++) {
    const before = pieceCount(doc);
    doc.update([{ range: { start: { line: i, character: 0 }, end: { line: i, character: 0 } }, text: '#' }], 3 + i);
    if (pieceCount(doc) < before) joins++;
    assert.ok(pieceCount(doc) <= 65, `${pieceCount(doc)} pieces after ${i + 1} keystrokes`);
  }
  assert.ok(joins >= 1 && joins <= 4, `${joins} joins in 100 keystrokes: one per few dozen`);
  assert.equal(
    doc.getText(),
    text
      .split('\n')
      .map((l, i) => (i < 100 ? '#' + l : i === 5000 ? 'ax: 1' : l))
      .join('\n'),
  );
});
