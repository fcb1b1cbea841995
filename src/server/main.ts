import { createConnection } from 'vscode-languageserver/node';
import { startServer } from './server';

const TRANSPORTS = ['--stdio', '--node-ipc', '--socket=', '--pipe='];

if (!process.argv.slice(2).some((arg) => TRANSPORTS.some((t) => arg.startsWith(t)))) {
  process.stderr.write('oomscope language server: choose a transport: --stdio, --node-ipc, --socket=<port> or --pipe=<name>\n');
  process.exit(2);
}
const connection = createConnection();
startServer(connection);
connection.listen();
