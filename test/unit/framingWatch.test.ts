// The framing watch on the language server's stdin: well-framed messages in any chunking pass
// (invalid JSON inside a frame too); a lost framing is reported once, with what went wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';
import fc from 'fast-check';
import { watchFraming } from '../../src/server/framingWatch';

function frame(body: string): Buffer {
  const bytes = Buffer.from(body, 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${bytes.length}\r\n\r\n`, 'ascii'), bytes]);
}

/**
 * Feeds `chunks` as 'data' events (synchronously, so a header fault is reported before this
 * returns) and returns what the watch said; `nextReport()` waits (at most 2 s) for a timed report.
 */
function watch(chunks: Buffer[], stallMs = 20): { lost: string[]; stalled: string[]; nextReport: () => Promise<void> } {
  const stream = new EventEmitter();
  const lost: string[] = [];
  const stalled: string[] = [];
  let waiter: (() => void) | null = null;
  const said =
    (list: string[]) =>
    (why: string): void => {
      list.push(why);
      waiter?.();
    };
  watchFraming(stream as unknown as Readable, said(lost), said(stalled), { stallMs });
  for (const c of chunks) stream.emit('data', c);
  const nextReport = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no report within 2 s')), 2_000);
      waiter = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  return { lost, stalled, nextReport };
}

const MESSAGES = [
  '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}',
  '{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"text":"é 😀 \\r\\n\\r\\n"}}}',
  'not json at all',
  '',
];

void test('well-framed messages pass however the stream cuts them (also with Content-Type, a long junk header, invalid JSON bodies)', async () => {
  const all = Buffer.concat([
    ...MESSAGES.map(frame),
    Buffer.from('Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nContent-Length: 2\r\n\r\n{}', 'ascii'),
    // A 100 KB junk header line, which vscode-jsonrpc's reader also gets past.
    Buffer.from(`X-Junk: ${'a'.repeat(100_000)}\r\nContent-Length: 2\r\n\r\n{}`, 'ascii'),
  ]);
  fc.assert(
    fc.property(fc.array(fc.nat({ max: all.length }), { maxLength: 12 }), (cuts) => {
      const at = [0, ...cuts.sort((a, b) => a - b), all.length];
      const chunks = at.slice(1).map((end, i) => all.subarray(at[i], end));
      const { lost, stalled } = watch(chunks);
      // Everything announced has arrived: nothing to report.
      assert.deepEqual({ lost, stalled }, { lost: [], stalled: [] });
    }),
    { numRuns: 200 },
  );
});

void test('a header without a valid Content-Length, a body shorter than announced, a header that never ends: reported once, with what went wrong', async () => {
  const cases: [Buffer[], RegExp, 'at once' | 'after stallMs'][] = [
    [
      [frame(MESSAGES[0]!), Buffer.from('Content-Type: x\r\n\r\n{}')],
      /^a message header has no Content-Length: "Content-Type: x"$/,
      'at once',
    ],
    [[Buffer.from('Content-Length: abc\r\n\r\n{}')], /Content-Length "abc", not a number of bytes/, 'at once'],
    [[Buffer.from('Content-Length: -5\r\n\r\n{}')], /Content-Length "-5"/, 'at once'],
    [
      [Buffer.from('Content-Length: 3\r\n\r\n{"jsonrpc":"2.0"}'), frame(MESSAGES[0]!)],
      /is not "Name: value"|no Content-Length/,
      'at once',
    ],
    [[Buffer.from('Content-Length: 2\n\n{}')], /did not end \(with \\r\\n\\r\\n\) within 20 ms/, 'after stallMs'],
    [
      [Buffer.alloc(4 * 1024 * 1024 + 1, 'x')],
      /no end of a message header \(\\r\\n\\r\\n\) within 4194304 bytes/,
      'at once',
    ],
  ];
  for (const [chunks, why, when] of cases) {
    const { lost, stalled, nextReport } = watch(chunks);
    if (when === 'after stallMs') {
      assert.deepEqual(lost, []);
      await nextReport();
    }
    assert.equal(lost.length, 1, `${why}: ${JSON.stringify(lost)}`);
    assert.match(lost[0]!, why);
    assert.deepEqual(stalled, []);
  }
});

void test('a body that stops short is only a stall (the client may be slow)', async () => {
  const { lost, stalled, nextReport } = watch([Buffer.from('Content-Length: 100\r\n\r\n{"jsonrpc"')]);
  await nextReport();
  assert.deepEqual(lost, []);
  assert.match(stalled[0] ?? '', /has 10 of the 100 bytes its Content-Length announced/);
});
