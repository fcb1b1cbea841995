import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { createConnection } from 'vscode-languageserver/node';
import { ANALYSIS_WORKER_ROLE, runAnalysisWorker } from './analysisWorkers';
import { startServer } from './server';

const TRANSPORTS = ['--stdio', '--node-ipc', '--socket=', '--pipe='];

if (!isMainThread && parentPort && (workerData as { role?: string } | null)?.role === ANALYSIS_WORKER_ROLE) {
  runAnalysisWorker(parentPort);
} else if (!process.argv.slice(2).some((arg) => TRANSPORTS.some((t) => arg.startsWith(t)))) {
  process.stderr.write('oomscope language server: choose a transport: --stdio, --node-ipc, --socket=<port> or --pipe=<name>\n');
  process.exit(2);
} else {
  const connection = createConnection();
  startServer(connection, { workerScript: __filename });
  connection.listen();
}
