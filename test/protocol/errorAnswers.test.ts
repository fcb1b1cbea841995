// What a client that sends something wrong gets back: requests with unreadable parameters answer
// InvalidParams with a sentence (no stack frames, no file paths); an exception inside a handler
// answers RequestFailed with its message, its stack goes to the server log; a stdin whose
// message framing is lost makes the spawned server say so and exit 1, while invalid JSON inside
// a well-framed message is only skipped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import {
  CancellationTokenSource,
  CodeActionRequest,
  ErrorCodes,
  HoverRequest,
  LSPErrorCodes,
  ResponseError,
  StreamMessageReader,
  StreamMessageWriter,
  createConnection,
} from 'vscode-languageserver/node';
import { lspHandler } from '../../src/server/errors';
import { startServer } from '../../src/server/server';
import { startInProcess, startSpawned, withTimeout } from './lspHarness';

const NO_STACK = /\bat \S+ \(|[/\\]dist[/\\]|\.js:\d+/;

async function answerOf(request: Promise<unknown>): Promise<ResponseError<unknown>> {
  try {
    await withTimeout(request, 5_000, 'request');
  } catch (error) {
    if (error instanceof ResponseError) return error;
    throw error;
  }
  throw new Error('the request succeeded');
}

void test('hover and code actions with unreadable parameters answer InvalidParams with a sentence and no stack frames', async (t) => {
  const client = startInProcess();
  await client.initialize();
  t.after(() => client.close());
  const uri = 'file:///ws/p.yaml';
  client.open(uri, 'apiVersion: v1\nkind: Pod\n');
  for (const position of [null, undefined, { line: 'a', character: 0 }, {}]) {
    const e = await answerOf(client.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position } as never));
    assert.equal(e.code, ErrorCodes.InvalidParams);
    assert.equal(e.message, 'textDocument/hover needs textDocument.uri and a position {line, character} of numbers');
  }
  for (const params of [{ textDocument: { uri }, range: null, context: null }, { textDocument: null }]) {
    const e = await answerOf(client.conn.sendRequest(CodeActionRequest.type, params as never));
    assert.equal(e.code, ErrorCodes.InvalidParams);
    assert.doesNotMatch(e.message, NO_STACK);
  }
  // Out-of-range numbers are positions (clamped), not errors.
  const far = await withTimeout(
    client.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 2 ** 53, character: 1e9 } }),
    5_000,
    'hover',
  );
  assert.equal(far, null);
});

void test('`params: null` (which a typed client cannot even send) answers InvalidParams too', async (t) => {
  const up = new PassThrough();
  const down = new PassThrough();
  const server = createConnection(new StreamMessageReader(up), new StreamMessageWriter(down));
  startServer(server);
  server.listen();
  t.after(() => {
    server.dispose();
    up.end();
    down.end();
  });
  const answers = new Map<number, { error?: { code: number; message: string } }>();
  let waiting: (() => void) | null = null;
  const reader = new StreamMessageReader(down);
  reader.listen((m) => {
    const id = (m as { id?: unknown }).id;
    if (typeof id === 'number') answers.set(id, m as never);
    waiting?.();
  });
  const send = (body: object): void => {
    const bytes = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...body }), 'utf8');
    up.write(Buffer.concat([Buffer.from(`Content-Length: ${bytes.length}\r\n\r\n`, 'ascii'), bytes]));
  };
  const answer = (id: number) =>
    withTimeout(
      new Promise<{ error?: { code: number; message: string } }>((resolve) => {
        const check = (): void => {
          const a = answers.get(id);
          if (a) resolve(a);
        };
        waiting = check;
        check();
      }),
      5_000,
      `answer ${id}`,
    );
  send({ id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
  await answer(1);
  send({ id: 2, method: 'textDocument/hover', params: null });
  send({ id: 3, method: 'textDocument/codeAction', params: null });
  assert.equal((await answer(2)).error?.code, ErrorCodes.InvalidParams);
  assert.equal((await answer(3)).error?.code, ErrorCodes.InvalidParams);
});

void test('an exception in a handler answers RequestFailed with its message; the stack goes to the log only', async () => {
  const logged: string[] = [];
  const log = { info: () => undefined, warn: () => undefined, error: (m: string) => logged.push(m) };
  const handler = lspHandler(log, 'textDocument/hover', () => {
    throw new TypeError("Cannot read properties of null (reading 'line')");
  });
  const answer = await handler({}, new CancellationTokenSource().token);
  assert.ok(answer instanceof ResponseError);
  assert.equal(answer.code, LSPErrorCodes.RequestFailed);
  assert.equal(
    answer.message,
    "textDocument/hover failed: Cannot read properties of null (reading 'line') (details in the OOMScope server log)",
  );
  assert.doesNotMatch(answer.message, NO_STACK);
  assert.equal(logged.length, 1);
  assert.match(
    logged[0]!,
    /^textDocument\/hover failed: TypeError: Cannot read properties of null \(reading 'line'\) \| at /,
  );
});

void test('node dist/server.js --stdio: invalid JSON in a well-framed message is skipped; a header without a Content-Length is logged and the server exits 1', async (t) => {
  // dist/server.js is built by `npm test` (and by spawned.test.ts from the current sources).
  const client = startSpawned(join('dist', 'server.js'));
  t.after(() => {
    if (client.child.exitCode === null) client.child.kill('SIGKILL');
  });
  let stderr = '';
  client.child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  await withTimeout(client.initialize(), 10_000, 'initialize');
  const garbage = Buffer.from('{"jsonrpc": "2.0", "method": ', 'utf8');
  client.child.stdin?.write(Buffer.concat([Buffer.from(`Content-Length: ${garbage.length}\r\n\r\n`), garbage]));
  const hover = await withTimeout(
    client.conn.sendRequest(HoverRequest.type, {
      textDocument: { uri: 'file:///ws/none.yaml' },
      position: { line: 0, character: 0 },
    }),
    10_000,
    'hover after invalid JSON',
  );
  assert.equal(hover, null);

  client.child.stdin?.write('Content-Type: application/vscode-jsonrpc\r\n\r\n{}');
  assert.equal(await withTimeout(client.exitCode, 10_000, 'exit after lost framing'), 1);
  assert.match(
    stderr,
    /the LSP message framing on stdin was lost \(a message header has no Content-Length: "Content-Type: application\/vscode-jsonrpc"\); later messages cannot be read, so the server exits \(code 1\)/,
  );
  assert.ok(
    client.logs.some((l) => l.includes('framing on stdin was lost')),
    JSON.stringify(client.logs),
  );
});
