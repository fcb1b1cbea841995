import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { CONNECTED_NODE_NOTIFICATION, OBSERVED_WORKLOADS_NOTIFICATION } from '../shared/lspProtocol';
import { registerAnalysisCommands } from './analysisCommands';
import { createLanguageClient } from './client';
import { ConnectedNodeChannel } from './connectedNode';
import { SHOW_LOG_COMMAND, createStatusBar } from './statusBar';
import { registerWorkloadCommands } from './workloadCommands';
import { registerWorkloadLens } from './workloadLens';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel('OOMScope', { log: true });
  context.subscriptions.push(
    log,
    vscode.commands.registerCommand(SHOW_LOG_COMMAND, () => log.show(true)),
  );
  // Node facts only (no kubeconfig, no token) go to the language server, for the manifest hover.
  const nodeFacts = new ConnectedNodeChannel((params) => {
    if (client?.isRunning()) void client.sendNotification(CONNECTED_NODE_NOTIFICATION, params);
  });
  // A node panel that sees a new kill makes the manifests' observations stale (bound once they exist, below).
  let killsSeen: (context: string, node: string, kills: number) => void = () => undefined;
  const cluster = registerAnalysisCommands(context, {
    log,
    nodeFacts,
    onNodeKills: (ctx, node, kills) => killsSeen(ctx, node, kills),
  });
  registerWorkloadCommands(context, { log, cluster });
  // Observed usage only (no kubeconfig, no token) goes to the language server, for the cluster-aware rules.
  const observed = registerWorkloadLens(context, cluster, log, (params) => {
    if (client?.isRunning()) void client.sendNotification(OBSERVED_WORKLOADS_NOTIFICATION, params);
  });
  killsSeen = observed.killsSeen;

  client = createLanguageClient(context, log);
  const started = client;
  context.subscriptions.push(
    started.onDidChangeState((e) => {
      if (e.newState !== State.Running) return;
      nodeFacts.resend();
      observed.resend();
    }),
  );
  createStatusBar(context, client, observed.observations);
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
