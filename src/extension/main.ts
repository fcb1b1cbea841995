import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { registerAnalysisCommands } from './analysisCommands';
import { createLanguageClient } from './client';
import { SHOW_LOG_COMMAND, createStatusBar } from './statusBar';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel('OOMScope', { log: true });
  context.subscriptions.push(
    log,
    vscode.commands.registerCommand(SHOW_LOG_COMMAND, () => log.show(true)),
  );
  registerAnalysisCommands(context, { log });

  client = createLanguageClient(context, log);
  createStatusBar(context, client);
  try {
    await client.start();
    log.info('OOMScope language server started');
  } catch (error) {
    log.error(`OOMScope language server did not start: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export async function deactivate(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) await running.stop();
}
