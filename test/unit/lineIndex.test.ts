import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex } from '../../src/core/manifest/lineIndex';

void test('LineIndex: LF, CRLF and lone CR each end a line; an offset inside a CRLF is the end of its line', () => {
  const text = 'a: 1\r\nbb: 2\rccc: 3\ndd';
  const ix = new LineIndex(text);
  assert.equal(ix.lineCount, 4);
  assert.deepEqual(ix.position(text.indexOf('\r')), { line: 0, character: 4 });
  // Found by the LSP fuzz: a YAML error at the \n of a \r\n was reported one character past the line's end.
  assert.deepEqual(ix.position(text.indexOf('\n')), { line: 0, character: 4 });
  assert.deepEqual(ix.position(text.indexOf('bb')), { line: 1, character: 0 });
  assert.deepEqual(ix.position(text.indexOf('ccc')), { line: 2, character: 0 });
  assert.deepEqual(ix.position(text.length), { line: 3, character: 2 });
  assert.deepEqual(ix.position(10_000), { line: 3, character: 2 });
  for (let o = 0; o <= text.length; o++) {
    const p = ix.position(o);
    assert.ok(p.character <= ix.lineEnd(p.line) - ix.lineStart(p.line), `offset ${o} → ${JSON.stringify(p)}`);
  }
});
