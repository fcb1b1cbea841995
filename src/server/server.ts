import {
  CodeActionKind,
  CodeActionRequest,
  HoverRequest,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { version as SERVER_VERSION } from '../../package.json';
import {
  CONNECTED_NODE_NOTIFICATION,
  OBSERVED_WORKLOADS_NOTIFICATION,
  type ServerInitializationOptions,
} from '../shared/lspProtocol';
import { availableParallelism } from 'node:os';
import { AnalysisWorkers } from './analysisWorkers';
import { PARALLEL_MIN_CHARS } from './documentAnalysis';
import { DocumentStore } from './documentStore';
import { lspHandler, lspNotificationHandler, type Logger } from './errors';
import { HoverAndActions } from './hoverAndActions';
import { ObservationStore } from './observations';
import { DiagnosticsScheduler } from './scheduler';
import { SettingsStore, resolveConnectedNode } from './serverSettings';

/** Default quiet time between two analyses of one document while the user types. */
export const DEFAULT_DEBOUNCE_MS = 150;

/** How the server runs. */
export interface ServerOptions {
  /** Script of this server's bundle, to start analysis worker threads from; none: analyze on the main thread only. */
  workerScript?: string;
}

/** Wires the OOMScope language features onto a connection (stdio, IPC, or an in-process stream pair). */
export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const log: Logger = {
    info: (m) => connection.console.info(m),
    warn: (m) => connection.console.warn(m),
    error: (m) => connection.console.error(m),
  };
  const documents = new DocumentStore();
  const settings = new SettingsStore(connection, log);
  const observations = new ObservationStore();
  let debounceMs = DEFAULT_DEBOUNCE_MS;
  let parallelThresholdChars = PARALLEL_MIN_CHARS;
  const threads = Math.min(4, availableParallelism());
  const workers = options.workerScript && threads > 1 ? new AnalysisWorkers(options.workerScript, threads) : undefined;
  const scheduler = new DiagnosticsScheduler({
    documents,
    settings,
    observations,
    log,
    workers,
    get debounceMs() {
      return debounceMs;
    },
    get parallelThresholdChars() {
      return parallelThresholdChars;
    },
    publish: (uri, version, diagnostics) => {
      void connection.sendDiagnostics(version >= 0 ? { uri, version, diagnostics } : { uri, diagnostics });
    },
  });
  const hoverAndActions = new HoverAndActions(documents, scheduler, settings, observations);

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const workspace = params.capabilities.workspace;
    settings.setPullSupported(workspace?.configuration === true);
    const init = params.initializationOptions as ServerInitializationOptions | undefined;
    if (typeof init?.debounceMs === 'number' && init.debounceMs >= 0) debounceMs = init.debounceMs;
    if (typeof init?.parallelThresholdChars === 'number' && init.parallelThresholdChars >= 0)
      parallelThresholdChars = init.parallelThresholdChars;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      },
      serverInfo: { name: 'oomscope', version: SERVER_VERSION },
    };
  });
  connection.onInitialized(() => {
    log.info(`OOMScope language server ${SERVER_VERSION} ready (debounce ${debounceMs} ms)`);
  });
  connection.onDidChangeConfiguration(
    lspNotificationHandler(log, 'didChangeConfiguration', () => {
      settings.clear();
      scheduler.revalidateAll();
    }),
  );
  connection.onNotification(
    CONNECTED_NODE_NOTIFICATION,
    lspNotificationHandler(log, CONNECTED_NODE_NOTIFICATION, (params: unknown) => {
      const node = resolveConnectedNode(params, (m) => log.warn(m));
      if (node === undefined) return;
      settings.setConnectedNode(node);
      scheduler.revalidateAll();
    }),
  );
  connection.onNotification(
    OBSERVED_WORKLOADS_NOTIFICATION,
    lspNotificationHandler(log, OBSERVED_WORKLOADS_NOTIFICATION, (params: unknown) => {
      if (observations.set(params, (m) => log.warn(m))) scheduler.revalidateAll();
    }),
  );

  documents.listen(
    connection,
    {
      onOpen: (doc) => scheduler.schedule(doc.uri),
      onChange: (doc, changes) => scheduler.changed(doc.uri, doc.version, changes),
      onClose: (uri) => {
        scheduler.close(uri);
        settings.forget(uri);
      },
    },
    log,
  );

  // onRequest, not onHover/onCodeAction: those read params.workDoneToken before any handler runs,
  // so `params: null` would fail there instead of answering InvalidParams from the handler.
  connection.onRequest(
    HoverRequest.type,
    lspHandler(log, 'hover', (params) => hoverAndActions.hover(params)),
  );
  connection.onRequest(
    CodeActionRequest.type,
    lspHandler(log, 'codeAction', (params) => hoverAndActions.codeActions(params)),
  );
  connection.onShutdown(() => workers?.dispose());
}
