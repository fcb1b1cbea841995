/** src/shared/textEncoding.ts: the panel's import reads a UTF-16 kernel log (as Windows PowerShell's `>` writes it). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseKernelLog } from '../../src/core/oom/kernelLogParser';
import { decodeTextLenient } from '../../src/shared/textEncoding';

const log = readFileSync('test/fixtures/oom-formats/raw.dmesg', 'utf8');
const utf16be = (s: string): Buffer => Buffer.from(s, 'utf16le').swap16();

void test('UTF-16 LE and BE, with or without a BOM, and UTF-8 with a BOM decode to the same text', () => {
  for (const [name, bytes] of [
    ['utf-16le, BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(log, 'utf16le')])],
    ['utf-16le', Buffer.from(log, 'utf16le')],
    ['utf-16be, BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(log)])],
    ['utf-16be', utf16be(log)],
    ['utf-8, BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(log)])],
    ['utf-8', Buffer.from(log)],
  ] as const) {
    const text = decodeTextLenient(bytes);
    assert.equal(text, log, name);
    assert.equal(parseKernelLog(text).filter((e) => e.victim)[0]?.victim?.pid, 7788, name);
  }
});

void test('invalid bytes become U+FFFD instead of failing the import', () => {
  assert.equal(decodeTextLenient(Buffer.from([0x61, 0xff, 0x62])), 'a\ufffdb');
});
