import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { createConnection, LogMessageNotification, MessageType } from 'vscode-languageserver/node';
import { ANALYSIS_WORKER_ROLE, runAnalysisWorker } from './analysisWorkers';
import { watchFraming } from './framingWatch';
import { startServer } from './server';

const TRANSPORTS = ['--stdio', '--node-ipc', '--socket=', '--pipe='];

if (!isMainThread && parentPort && (workerData as { role?: string } | null)?.role === ANALYSIS_WORKER_ROLE) {
  runAnalysisWorker(parentPort);
} else if (!process.argv.slice(2).some((arg) => TRANSPORTS.some((t) => arg.startsWith(t)))) {
  process.stderr.write(
    'oomscope language server: choose a transport: --stdio, --node-ipc, --socket=<port> or --pipe=<name>\n',
  );
  process.exit(2);
} else {
  const connection = createConnection();
  if (process.argv.includes('--stdio')) {
    // vscode-languageserver stays up but deaf once the framing is lost: say so, and exit so the client can restart us.
    watchFraming(
      process.stdin,
      (why) => {
        const line = `OOMScope language server: the LSP message framing on stdin was lost (${why}); later messages cannot be read, so the server exits (code 1)`;
        process.stderr.write(`${line}\n`);
        // Exit once the log line is written to the client (or after a second, if stdout is stuck).
        setTimeout(() => process.exit(1), 1_000);
        void connection
          .sendNotification(LogMessageNotification.type, { type: MessageType.Error, message: line })
          .finally(() => process.exit(1));
      },
      (why) =>
        connection.console.warn(`OOMScope language server: still waiting for the rest of a message on stdin (${why})`),
    );
  }
  startServer(connection, { workerScript: __filename });
  connection.listen();
}
