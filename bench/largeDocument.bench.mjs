// One large YAML document (the case of issue 11 D4/D8): a Pod as pretty-printed JSON padded to
// 5 / 10 / 20 / 43 MB, as is and with a `#` typed in front (yaml then reports an error per line),
// skipped by the size judgement (src/core/manifest/documentBudget.ts); and, the most expensive documents
// still analyzed, just under its 256 KiB limit: the same JSON with a `#`, and a `kind: List` of
// realistic manifests (as `kubectl get -o yaml` prints).
// Per case: `node dist/cli.js lint FILE` (wall time, exit code, peak RSS of the process), and the
// language server over stdio: open → diagnostics, hover, a keystroke that toggles the `#` →
// diagnostics, a hover sent with that keystroke (answered while the edit is analyzed), peak RSS
// (VmHWM, worker threads included). The budget from the issue: peak RSS ≤ 100 MB + 10 × the file,
// every request answered within 1 s. One JSON line per case; nothing is asserted.
// Usage: node bench/largeDocument.bench.mjs [sizes in MB…]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import lsp from 'vscode-languageserver/node';
import { generateManifests } from './lsp/generate.mjs';
import { peakRssMB } from './lsp/harness.mjs';

const { createProtocolConnection, StreamMessageReader, StreamMessageWriter } = lsp;
const ROOT = join(fileURLToPath(import.meta.url), '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const SERVER = join(ROOT, 'dist', 'server.js');
const CAP_MS = 300_000;

/** A Pod with a 128m limit, padded with `"kN": "memory"` keys to about `mb` MB of pretty JSON. */
function prettyJsonPod(mb) {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'x' },
    spec: { containers: [{ name: 'a', resources: { limits: { memory: '128m' } } }] },
  };
  const keys = Math.round((mb * 1024 * 1024) / 22.4);
  for (let i = 0; i < keys; i++) pod[`k${i}`] = 'memory';
  return JSON.stringify(pod, null, 1);
}

/** The generated manifests of the LSP benchmark as the items of one `kind: List`, about `kib` KiB. */
function listOf(kib) {
  const docs = generateManifests(Math.floor((kib * 1024) / 2450)).split('---\n');
  const items = docs.map((d) => `- ${d.trimEnd().split('\n').join('\n  ')}\n`).join('');
  return `apiVersion: v1\nitems:\n${items}kind: List\nmetadata:\n  resourceVersion: ""\n`;
}

/** `node dist/cli.js lint FILE` with its own peak RSS (a preloaded hook writes it to fd 3 at exit). */
function lint(file, preload) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['-r', preload, CLI, 'lint', file], {
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    maxBuffer: 1 << 26,
    timeout: CAP_MS,
  });
  const ms = Math.round(performance.now() - t0);
  const kb = Number(String(r.output[3] ?? ''));
  const said =
    String(r.stdout)
      .split('\n')
      .find((l) => l.includes('skipped') || l.includes('error')) ?? String(r.stderr).split('\n')[0];
  return {
    lintMs: ms,
    lintExit: r.status ?? r.signal,
    lintPeakRssMB: kb ? Math.round(kb / 1024) : null,
    lintSaid: said.replace(/^\S+ +/, '').slice(0, 120),
  };
}

async function bounded(promise, ms, what) {
  let timer;
  try {
    return await Promise.race([
      promise,
      new Promise(
        (_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms)),
      ),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function server(file, text, broken) {
  const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const conn = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const uri = pathToFileURL(file).href;
  const waiters = [];
  conn.onNotification('textDocument/publishDiagnostics', (p) => {
    for (const w of waiters.splice(0)) w(p);
  });
  conn.onRequest('workspace/configuration', (p) => p.items.map(() => null));
  conn.listen();
  const next = () => new Promise((resolve) => waiters.push(resolve));
  const out = {
    serverOpenMs: null,
    serverHoverMs: null,
    serverEditMs: null,
    serverHoverDuringEditMs: null,
    serverPeakRssMB: null,
    serverDiagnostics: null,
    serverExit: null,
  };
  try {
    await bounded(
      conn.sendRequest('initialize', {
        processId: process.pid,
        rootUri: null,
        capabilities: { workspace: { configuration: true } },
      }),
      30_000,
      'initialize',
    );
    await conn.sendNotification('initialized', {});
    const t0 = performance.now();
    const opened = next();
    await conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version: 1, text },
    });
    const first = await bounded(
      Promise.race([opened, exited.then((c) => Promise.reject(new Error(`server exited (${c})`)))]),
      CAP_MS,
      'open',
    );
    out.serverOpenMs = Math.round(performance.now() - t0);
    out.serverDiagnostics = first.diagnostics.length;
    const hover = { textDocument: { uri }, position: { line: 8, character: 4 } };
    const t1 = performance.now();
    await bounded(conn.sendRequest('textDocument/hover', hover), CAP_MS, 'hover');
    out.serverHoverMs = Math.round(performance.now() - t1);
    const t2 = performance.now();
    const edited = next();
    const change = broken
      ? { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, text: '' }
      : { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '#' };
    await conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [change],
    });
    const during = bounded(conn.sendRequest('textDocument/hover', hover), CAP_MS, 'hover during edit').then(() =>
      Math.round(performance.now() - t2),
    );
    await bounded(
      Promise.race([edited, exited.then((c) => Promise.reject(new Error(`server exited (${c})`)))]),
      CAP_MS,
      'edit',
    );
    out.serverEditMs = Math.round(performance.now() - t2);
    out.serverHoverDuringEditMs = await during;
    out.serverPeakRssMB = peakRssMB(child.pid);
    await bounded(conn.sendRequest('shutdown'), 30_000, 'shutdown');
    await conn.sendNotification('exit');
    out.serverExit = await bounded(exited, 10_000, 'exit');
  } catch (error) {
    out.serverPeakRssMB ??= peakRssMB(child.pid);
    out.serverError = error instanceof Error ? error.message : String(error);
  } finally {
    conn.dispose();
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  return out;
}

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const dir = mkdtempSync(join(tmpdir(), 'oomscope-large-bench-'));
const preload = join(dir, 'rss-on-exit.cjs');
writeFileSync(
  preload,
  "process.on('exit', () => require('node:fs').writeSync(3, String(process.resourceUsage().maxRSS)));\n",
);
const cases = [
  { shape: 'kind: List, just under the limit', text: listOf(250), broken: false },
  { shape: 'pretty JSON, # in front, just under the limit', text: `#${prettyJsonPod(0.24)}`, broken: true },
];
for (const mb of sizes.length ? sizes : [5, 10, 20, 43]) {
  const valid = prettyJsonPod(mb);
  cases.push(
    { shape: `pretty JSON, ${mb} MB`, text: valid, broken: false },
    { shape: `pretty JSON, ${mb} MB, # in front`, text: `#${valid}`, broken: true },
  );
}
try {
  for (const [i, c] of cases.entries()) {
    const file = join(dir, `case-${i}.yaml`);
    writeFileSync(file, c.text);
    const bytes = Buffer.byteLength(c.text);
    /** @type {Record<string, unknown>} */
    const line = {
      bench: 'large-document',
      shape: c.shape,
      bytes,
      ...lint(file, preload),
      ...(await server(file, c.text, c.broken)),
    };
    line.rssTargetMB = Math.round(100 + (10 * bytes) / 1048576);
    line.method =
      'lint: one spawn of dist/cli.js, peak RSS from process.resourceUsage() at exit; server: dist/server.js --stdio, hover at 8:4, keystroke at 0:0 (toggles the #; else inserts one), VmHWM after the edit';
    console.log(JSON.stringify(line));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
