// The CLI's input decoder and line splitter, in process: the answer does not depend on how the bytes
// were cut into chunks (a file is read in 1 MiB chunks, a pipe in 64 KiB ones), and lines are capped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError, type InputKind } from '../../src/cli/inputBytes';
import { sniffEncoding, TextInputDecoder } from '../../src/cli/inputDecode';
import { LineSplitter, MAX_LINE_CHARS, type Line } from '../../src/cli/inputLines';

const STRICT: InputKind = { noun: 'a YAML manifest', pass: 'pass a YAML file', tooLarge: 'split it', policy: 'strict' };
const LENIENT: InputKind = { ...STRICT, noun: 'a kernel log', policy: 'lenient' };

/** Decodes `bytes` fed in chunks of `size`; the text, or the InputError message. */
function decode(bytes: Buffer, kind: InputKind, size: number): string {
  const d = new TextInputDecoder(kind);
  let out = '';
  try {
    for (let i = 0; i < bytes.length; i += size) out += d.push(bytes.subarray(i, i + size));
    return out + d.end();
  } catch (e) {
    if (e instanceof InputError) return `error: ${e.message}`;
    throw e;
  }
}

function lines(text: string, size: number, max = MAX_LINE_CHARS): Line[] {
  const s = new LineSplitter(max);
  const out: Line[] = [];
  for (let i = 0; i < text.length; i += size) out.push(...s.push(text.slice(i, i + size)));
  return [...out, ...s.end()];
}

const TEXT = 'apiVersion: v1\r\nkind: Pod\nmetadata: {name: café — 名前 😀}\n'.repeat(300);

void test('the same bytes decode the same in any chunking: UTF-8, BOMs, UTF-16 LE/BE, and each refusal', () => {
  const le = Buffer.from(TEXT, 'utf16le');
  const inputs: Array<[string, Buffer, InputKind, RegExp | string]> = [
    ['utf-8', Buffer.from(TEXT), STRICT, TEXT],
    ['utf-8 BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)]), STRICT, TEXT],
    ['utf-16le BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), le]), STRICT, TEXT],
    ['utf-16le', le, STRICT, TEXT],
    ['utf-16be BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(le).swap16()]), LENIENT, TEXT],
    [
      'utf-16 odd length',
      Buffer.concat([Buffer.from([0xff, 0xfe]), le.subarray(0, 1001)]),
      STRICT,
      /^error: looks like UTF-16LE text but is cut or damaged/,
    ],
    [
      'NUL',
      Buffer.concat([Buffer.from(TEXT), Buffer.from([0])]),
      STRICT,
      /^error: is a binary file \(it contains NUL bytes\), not a YAML manifest/,
    ],
    ['Latin-1', Buffer.from('name: caf\xe9\n'.repeat(500), 'latin1'), STRICT, /^error: is not UTF-8 or UTF-16 text/],
    ['Latin-1 log', Buffer.from('name: caf\xe9\n'.repeat(500), 'latin1'), LENIENT, 'name: caf\ufffd\n'.repeat(500)],
    [
      'all NULs',
      Buffer.alloc(100_000),
      LENIENT,
      /^error: is a binary file \(most of it is not text\), not a kernel log/,
    ],
    ['a few NULs', Buffer.concat([Buffer.from(TEXT), Buffer.alloc(9000)]), LENIENT, TEXT + '\0'.repeat(9000)],
  ];
  for (const [name, bytes, kind, want] of inputs) {
    const whole = decode(bytes, kind, bytes.length);
    if (typeof want === 'string') assert.equal(whole, want, name);
    else assert.match(whole, want, name);
    for (const size of [1, 3, 4096, 65536])
      assert.equal(decode(bytes, kind, size), whole, `${name} in chunks of ${size}`);
  }
});

void test('sniffEncoding: UTF-16 without a BOM only for text-shaped byte pairs', () => {
  assert.equal(sniffEncoding(Buffer.from('kind: Pod\n', 'utf16le')), 'utf-16le');
  assert.equal(sniffEncoding(Buffer.from('kind: Pod\n', 'utf16le').swap16()), 'utf-16be');
  assert.equal(sniffEncoding(Buffer.from('kind: Pod\n')), 'utf-8');
  assert.equal(sniffEncoding(Buffer.from([1, 0, 2, 0])), 'utf-8', 'control bytes with NULs are binary, not UTF-16');
  assert.equal(sniffEncoding(Buffer.from('a\0b\0c\0d\0e')), 'utf-16le');
  assert.equal(sniffEncoding(Buffer.from('abc\0def\0')), 'utf-8', 'sporadic NULs in text');
});

void test('lines: \\n, \\r\\n and lone \\r end a line in any chunking; a line over the cap is null, the next one is whole', () => {
  const text = 'a\r\nb\rc\n\nd\r\r\nlong-' + 'x'.repeat(200) + '\nafter\nlast';
  const want: Line[] = ['a', 'b', 'c', '', 'd', '', null, 'after', 'last'];
  for (const size of [1, 2, 3, 7, 64, text.length]) assert.deepEqual(lines(text, size, 100), want, `chunks of ${size}`);
  assert.deepEqual(lines('x'.repeat(100) + '\n', 1, 100), ['x'.repeat(100)], 'exactly the cap is kept');
  assert.deepEqual(lines('end\r', 1), ['end']);
  assert.deepEqual(lines('', 1), []);
});
