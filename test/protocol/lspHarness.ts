// Test client for the language server: the real server in process over a stream pair, or
// spawned as `node dist/server.js --stdio`. Waiters are registered before a message is sent
// and every wait races a timeout (no sleeps).
import { spawn, type ChildProcess } from 'node:child_process';
import { PassThrough } from 'node:stream';
import {
  ConfigurationRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializeRequest,
  InitializedNotification,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  createConnection,
  createProtocolConnection,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent,
  type TextEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { startServer } from '../../src/server/server';
import type { ServerInitializationOptions, WireAnalysisSettings } from '../../src/shared/lspProtocol';

export interface LspClient {
  conn: ProtocolConnection;
  /** Every publishDiagnostics received, in order. */
  published: PublishDiagnosticsParams[];
  /** window/logMessage lines from the server. */
  logs: string[];
  /** The answer to workspace/configuration (null: the client does not support it). */
  settings: WireAnalysisSettings | null;
  initialize(options?: ServerInitializationOptions): Promise<InitializeResult>;
  /** Resolves with the next publishDiagnostics for `uri` that satisfies `accept`; register before sending. */
  nextDiagnostics(
    uri: string,
    accept?: (p: PublishDiagnosticsParams) => boolean,
    timeoutMs?: number,
  ): Promise<PublishDiagnosticsParams>;
  open(uri: string, text: string, version?: number): void;
  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): void;
  configurationChanged(): void;
  close(): Promise<void>;
}

interface Waiter {
  uri: string;
  accept: (p: PublishDiagnosticsParams) => boolean;
  resolve: (p: PublishDiagnosticsParams) => void;
}

function makeClient(conn: ProtocolConnection, processId: number | null, onClose: () => Promise<void>): LspClient {
  const waiters = new Set<Waiter>();
  const client: LspClient = {
    conn,
    published: [],
    logs: [],
    settings: null,
    async initialize(options) {
      const result = await conn.sendRequest(InitializeRequest.type, {
        processId,
        rootUri: null,
        workspaceFolders: null,
        capabilities: {
          workspace: { configuration: client.settings !== null },
          textDocument: {
            publishDiagnostics: { versionSupport: true },
            codeAction: {},
            hover: { contentFormat: ['markdown'] },
          },
        },
        initializationOptions: options,
      });
      await conn.sendNotification(InitializedNotification.type, {});
      return result;
    },
    nextDiagnostics(uri, accept = () => true, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const waiter: Waiter = {
          uri,
          accept,
          resolve: (p) => {
            clearTimeout(timer);
            resolve(p);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching publishDiagnostics for ${uri} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    open(uri, text, version = 1) {
      void conn.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: { uri, languageId: 'yaml', version, text },
      });
    },
    change(uri, version, changes) {
      void conn.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version },
        contentChanges: changes,
      });
    },
    configurationChanged() {
      void conn.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    },
    async close() {
      for (const w of waiters) waiters.delete(w);
      await onClose();
    },
  };
  conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
    client.published.push(p);
    for (const w of waiters) {
      if (w.uri === p.uri && w.accept(p)) {
        waiters.delete(w);
        w.resolve(p);
      }
    }
  });
  conn.onNotification(LogMessageNotification.type, (p) => {
    client.logs.push(p.message);
  });
  conn.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => client.settings));
  conn.listen();
  return client;
}

/** The real server, in this process, over a pair of in-memory streams. */
export function startInProcess(): LspClient {
  const up = new PassThrough();
  const down = new PassThrough();
  const serverConnection = createConnection(new StreamMessageReader(up), new StreamMessageWriter(down));
  startServer(serverConnection);
  serverConnection.listen();
  const conn = createProtocolConnection(new StreamMessageReader(down), new StreamMessageWriter(up));
  return makeClient(conn, null, async () => {
    await withTimeout(conn.sendRequest(ShutdownRequest.type), 5_000, 'shutdown');
    conn.dispose();
    serverConnection.dispose();
    up.end();
    down.end();
  });
}

/** `node <serverPath> --stdio` as a child process; close() shuts it down and waits for it to exit. */
export function startSpawned(
  serverPath: string,
): LspClient & { child: ChildProcess; exitCode: Promise<number | null> } {
  const child = spawn(process.execPath, [serverPath, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  // 'close', not 'exit': the server's last stderr lines are read only once its streams have closed.
  const exitCode = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const conn = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const client = makeClient(conn, process.pid, async () => {
    try {
      await withTimeout(conn.sendRequest(ShutdownRequest.type), 5_000, 'shutdown');
      await conn.sendNotification(ExitNotification.type);
      await withTimeout(exitCode, 5_000, 'server exit');
    } finally {
      conn.dispose();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
  return Object.assign(client, { child, exitCode });
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Applies LSP text edits to a text, as an editor would. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x.yaml', 'yaml', 1, text), edits);
}

/** 0-based position of the `occurrence`-th match of `needle` in `text` (plus `delta` characters). */
export function positionOf(
  text: string,
  needle: string,
  occurrence = 1,
  delta = 0,
): { line: number; character: number } {
  let offset = -1;
  for (let i = 0; i < occurrence; i++) {
    offset = text.indexOf(needle, offset + 1);
    if (offset < 0) throw new Error(`"${needle}" #${occurrence} not in fixture`);
  }
  const doc = TextDocument.create('file:///x.yaml', 'yaml', 1, text);
  return doc.positionAt(offset + delta);
}

/** `count` Deployments, each with a `128m` request (one memory-quantity-fractional finding each). Hand-written shape. */
export function manyDeployments(count: number): string {
  const docs: string[] = [];
  for (let i = 0; i < count; i++) {
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: svc-${i}
spec:
  selector:
    matchLabels: {app: svc-${i}}
  template:
    metadata:
      labels: {app: svc-${i}}
    spec:
      containers:
        - name: app
          image: registry.example/svc:${i}
          resources:
            requests: {cpu: 100m, memory: 128m}
            limits:
              cpu: 200m
              memory: 256Mi
`);
  }
  return docs.join('---\n');
}
