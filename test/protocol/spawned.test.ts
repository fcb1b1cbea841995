import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import {
  ExitNotification,
  HoverRequest,
  IPCMessageReader,
  IPCMessageWriter,
  InitializeRequest,
  ShutdownRequest,
  createProtocolConnection,
  type MarkupContent,
} from 'vscode-languageserver/node';
import { manyDeployments, positionOf, startSpawned, withTimeout } from './lspHarness';
import { nodeBundleOptions } from '../../buildOptions.mjs';

// Built into this run's test output folder (test/run.mjs), never into dist/: a test does not replace the product's bundle.
const SERVER = join(
  process.env.OOMSCOPE_TEST_RUN_DIR ?? join('.test-out', `spawned-${process.pid}`),
  'spawned',
  'server.js',
);
const fixture = (name: string): string => readFileSync(join('test', 'fixtures', 'protocol', name), 'utf8');

/** The server bundled as esbuild.mjs bundles dist/server.js (same options), from the current sources. */
async function buildServer(): Promise<void> {
  await esbuild.build({
    ...nodeBundleOptions(),
    entryPoints: ['src/server/main.ts'],
    outfile: SERVER,
    sourcemap: 'linked',
  });
}

void test('node server.js --stdio: diagnostics, hover, clean shutdown and exit', async (t) => {
  await buildServer();
  const client = startSpawned(SERVER);
  t.after(async () => {
    if (client.child.exitCode === null) client.child.kill('SIGKILL');
  });
  const init = await withTimeout(client.initialize({ parallelThresholdChars: 100_000 }), 10_000, 'initialize');
  assert.equal(init.serverInfo?.name, 'oomscope');

  const text = fixture('deployment-128m-request.yaml');
  const uri = 'file:///ws/stdio.yaml';
  const published = client.nextDiagnostics(uri);
  client.open(uri, text);
  const { diagnostics } = await published;
  assert.ok(
    diagnostics.some(
      (d) => d.code === 'memory-quantity-fractional' && d.range.start.line === positionOf(text, 'memory: 128m').line,
    ),
  );

  const hover = await client.conn.sendRequest(HoverRequest.type, {
    textDocument: { uri },
    position: positionOf(text, 'resources', 1, 1),
  });
  assert.match((hover?.contents as MarkupContent).value, /Burstable/);

  // Above the (lowered) threshold: analyzed on the worker threads.
  const big = manyDeployments(3_000);
  const bigUri = 'file:///ws/big.yaml';
  const bigPublished = client.nextDiagnostics(bigUri, undefined, 120_000);
  client.open(bigUri, big);
  const bigDiagnostics = (await bigPublished).diagnostics.filter((d) => d.code === 'memory-quantity-fractional');
  assert.equal(bigDiagnostics.length, 3_000);
  assert.equal(bigDiagnostics[2_999].range.start.line, positionOf(big, 'name: svc-2999\n').line + 12);

  await client.close();
  assert.equal(await client.exitCode, 0);
});

void test('node server.js --node-ipc answers initialize and exits on shutdown + exit', async (t) => {
  await buildServer();
  const child = fork(SERVER, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const conn = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  conn.listen();
  const init = await withTimeout(
    conn.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {} }),
    10_000,
    'initialize',
  );
  assert.equal(init.serverInfo?.name, 'oomscope');
  await withTimeout(conn.sendRequest(ShutdownRequest.type), 5_000, 'shutdown');
  await conn.sendNotification(ExitNotification.type);
  assert.equal(await withTimeout(exited, 5_000, 'exit'), 0);
  conn.dispose();
});

void test('node server.js without a transport prints how to choose one and exits 2', async () => {
  await buildServer();
  const child = fork(SERVER, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv: [] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await withTimeout(new Promise<number | null>((resolve) => child.once('exit', resolve)), 10_000, 'exit');
  assert.equal(code, 2);
  assert.match(stderr, /--stdio/);
});
