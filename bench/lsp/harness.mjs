// A minimal LSP client for benchmarks: spawn a server over stdio, initialize, open a file, wait for
// its diagnostics, make a one-character edit, wait for the new diagnostics, read peak RSS (VmHWM).
// Every wait is bounded; a server that does not answer in time is killed and reported as such.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import lsp from 'vscode-languageserver/node';

const { createProtocolConnection, StreamMessageReader, StreamMessageWriter } = lsp;

/** Peak resident set of a process in MB (VmHWM), or null when /proc is not available. */
export function peakRssMB(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 102.4) / 10 : null;
  } catch {
    return null;
  }
}

function timeout(ms, what) {
  let timer;
  const promise = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${Math.round(ms / 1000)} s`)), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

async function bounded(promise, ms, what) {
  const t = timeout(ms, what);
  try {
    return await Promise.race([promise, t.promise]);
  } finally {
    t.cancel();
  }
}

/**
 * Runs one case. `server`: { name, command, args, settings (workspace/configuration answer per
 * section), didChangeConfiguration (pushed settings), initializationOptions }.
 * `edit(text)` returns { range, text } for the one-character change.
 */
export async function runCase({ server, file, text, edit, waitMs }) {
  const started = performance.now();
  const child = spawn(server.command, server.args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c) => {
    if (stderr.length < 4000) stderr += c.toString();
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const conn = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const uri = pathToFileURL(file).href;
  const reopenUri = pathToFileURL(file.replace(/(\.ya?ml)$/, '-again$1')).href;
  const waiters = [];
  const logs = [];
  conn.onNotification('textDocument/publishDiagnostics', (p) => {
    for (const w of waiters.filter((x) => x.uri === p.uri)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(p);
    }
  });
  conn.onNotification('window/logMessage', (p) => {
    if (logs.length < 50) logs.push(p.message);
  });
  conn.onNotification('window/showMessage', (p) => {
    if (logs.length < 50) logs.push(p.message);
  });
  conn.onRequest('workspace/configuration', (p) =>
    p.items.map((item) => server.settings?.[item.section ?? ''] ?? null),
  );
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('window/workDoneProgress/create', () => null);
  // @ts-expect-error ProtocolConnection's types omit the star handler (any notification) its MessageConnection has.
  conn.onNotification(() => undefined);
  conn.listen();
  const nextDiagnostics = (forUri = uri) => new Promise((resolve) => waiters.push({ uri: forUri, resolve }));
  const result = {
    server: server.name,
    openToDiagnosticsMs: null,
    editToDiagnosticsMs: null,
    diagnostics: null,
    diagnosticsAfterEdit: null,
    peakRssMB: null,
    error: null,
  };
  try {
    await bounded(
      conn.sendRequest('initialize', {
        processId: process.pid,
        rootUri: pathToFileURL(server.root).href,
        workspaceFolders: [{ uri: pathToFileURL(server.root).href, name: 'bench' }],
        capabilities: {
          workspace: {
            configuration: true,
            didChangeConfiguration: { dynamicRegistration: true },
            workspaceFolders: true,
          },
          textDocument: {
            synchronization: { dynamicRegistration: true },
            publishDiagnostics: { versionSupport: true, relatedInformation: true },
            hover: { contentFormat: ['markdown', 'plaintext'] },
            codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
          },
        },
        initializationOptions: server.initializationOptions,
      }),
      30_000,
      'initialize',
    );
    await conn.sendNotification('initialized', {});
    if (server.didChangeConfiguration)
      await conn.sendNotification('workspace/didChangeConfiguration', { settings: server.didChangeConfiguration });

    const opened = nextDiagnostics();
    const t0 = performance.now();
    await conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version: 1, text },
    });
    const first = await bounded(opened, waitMs, `${server.name} open → diagnostics`);
    result.openToDiagnosticsMs = Math.round(performance.now() - t0);
    result.diagnostics = first.diagnostics.length;
    result.firstDiagnostic = first.diagnostics[0]
      ? `${first.diagnostics[0].source ?? ''} ${first.diagnostics[0].code ?? ''}: ${first.diagnostics[0].message}`.slice(
          0,
          160,
        )
      : null;

    const change = edit(text);
    const edited = nextDiagnostics();
    const t1 = performance.now();
    await conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [change],
    });
    const second = await bounded(edited, waitMs, `${server.name} edit → diagnostics`);
    result.editToDiagnosticsMs = Math.round(performance.now() - t1);
    result.diagnosticsAfterEdit = second.diagnostics.length;
    result.peakRssMB = peakRssMB(child.pid);
    if (server.warmReopen) {
      // The same text opened again under another name, once the first is closed: open → complete
      // diagnostics with the server's code warm (nothing is cached across documents).
      await conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
      const again = nextDiagnostics(reopenUri);
      const t2 = performance.now();
      await conn.sendNotification('textDocument/didOpen', {
        textDocument: { uri: reopenUri, languageId: 'yaml', version: 1, text },
      });
      const third = await bounded(again, waitMs, `${server.name} warm re-open → diagnostics`);
      result.openWarmMs = Math.round(performance.now() - t2);
      if (third.diagnostics.length !== result.diagnostics)
        throw new Error(`warm re-open gave ${third.diagnostics.length} diagnostics, first open ${result.diagnostics}`);
    }
    await bounded(conn.sendRequest('shutdown'), 30_000, 'shutdown');
    await conn.sendNotification('exit');
    await bounded(exited, 10_000, 'exit');
  } catch (error) {
    result.peakRssMB ??= peakRssMB(child.pid);
    result.error = error instanceof Error ? error.message : String(error);
  } finally {
    conn.dispose();
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await bounded(exited, 10_000, 'kill').catch(() => undefined);
  }
  result.totalMs = Math.round(performance.now() - started);
  result.logs = logs.filter((l) => /schema|error|fail/i.test(l)).slice(0, 3);
  if (result.error && stderr) result.stderr = stderr.split('\n').slice(0, 3).join(' | ');
  return result;
}

/**
 * A long-lived client for benches that send more than one open and one edit (bench/lspRefresh.bench.mjs): spawns
 * `server` ({ command, args, root, initializationOptions }) over stdio and initializes it. `nextDiagnostics(uri,
 * accept)` resolves with the next publishDiagnostics of `uri` that `accept` takes (register before sending), within
 * `waitMs` or rejects; `quiet(ms)` resolves once no publishDiagnostics came for `ms`; `close()` shuts the server down
 * (killed if it does not exit).
 */
export async function startClient(server, waitMs = 60_000) {
  const child = spawn(server.command, server.args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c) => {
    if (stderr.length < 4000) stderr += c.toString();
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const conn = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const waiters = new Set();
  let lastPublish = performance.now();
  conn.onNotification('textDocument/publishDiagnostics', (p) => {
    lastPublish = performance.now();
    for (const w of [...waiters])
      if (w.uri === p.uri && w.accept(p)) {
        waiters.delete(w);
        w.resolve(p);
      }
  });
  conn.onRequest('workspace/configuration', (p) => p.items.map(() => null));
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('window/workDoneProgress/create', () => null);
  // @ts-expect-error ProtocolConnection's types omit the star handler (any notification) its MessageConnection has.
  conn.onNotification(() => undefined);
  conn.listen();
  const close = async () => {
    try {
      await bounded(conn.sendRequest('shutdown'), 30_000, 'shutdown');
      await conn.sendNotification('exit');
      await bounded(exited, 10_000, 'exit');
    } finally {
      conn.dispose();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await bounded(exited, 10_000, 'kill').catch(() => undefined);
    }
  };
  try {
    await bounded(
      conn.sendRequest('initialize', {
        processId: process.pid,
        rootUri: pathToFileURL(server.root).href,
        workspaceFolders: [{ uri: pathToFileURL(server.root).href, name: 'bench' }],
        capabilities: {
          workspace: { configuration: true },
          textDocument: { publishDiagnostics: { versionSupport: true, relatedInformation: true } },
        },
        initializationOptions: server.initializationOptions,
      }),
      30_000,
      'initialize',
    );
    await conn.sendNotification('initialized', {});
  } catch (error) {
    await close().catch(() => undefined);
    throw new Error(`${error instanceof Error ? error.message : String(error)}${stderr ? ` (stderr: ${stderr})` : ''}`);
  }
  return {
    conn,
    pid: child.pid,
    stderr: () => stderr,
    nextDiagnostics: (uri, accept = () => true, what = 'diagnostics') =>
      bounded(new Promise((resolve) => waiters.add({ uri, accept, resolve })), waitMs, what),
    quiet: (ms) =>
      bounded(
        new Promise((resolve) => {
          const check = () => (performance.now() - lastPublish >= ms ? resolve(undefined) : setTimeout(check, ms / 4));
          check();
        }),
        waitMs,
        'quiet',
      ),
    close,
  };
}
