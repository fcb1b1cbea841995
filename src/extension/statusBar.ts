import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { DIAGNOSTIC_SOURCE } from '../shared/lspProtocol';
import { PROBLEM_WORDS } from '../panel/clusterProblem';
import type { WorkloadObservations } from './workloadObservations';

export const SHOW_LOG_COMMAND = 'oomscope.showLog';

/**
 * Status bar item: the language server's state and the OOMScope findings in the active file; with
 * `oomscope.cluster.diagnostics` on, why the cluster-aware findings are missing when they are (offline, forbidden,
 * slow).
 */
export function createStatusBar(
  context: vscode.ExtensionContext,
  client: LanguageClient,
  observations: Pick<WorkloadObservations, 'problem' | 'onDidChange'>,
): vscode.StatusBarItem {
  const item = vscode.window.createStatusBarItem('oomscope.status', vscode.StatusBarAlignment.Right, 100);
  item.name = 'OOMScope';
  item.command = SHOW_LOG_COMMAND;
  let state: State = State.Starting;

  const update = (): void => {
    const editor = vscode.window.activeTextEditor;
    if (state !== State.Running) {
      item.text = state === State.Starting ? '$(sync~spin) OOMScope' : '$(error) OOMScope';
      item.tooltip =
        state === State.Starting
          ? 'OOMScope: language server starting'
          : 'OOMScope: language server stopped — click for the log';
      item.backgroundColor =
        state === State.Stopped ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
      item.show();
      return;
    }
    item.backgroundColor = undefined;
    if (!editor || editor.document.languageId !== 'yaml') {
      item.hide();
      return;
    }
    const counts = countFindings(editor.document.uri);
    const total = counts.error + counts.warning + counts.information;
    const problem = observations.problem;
    item.text =
      (total === 0 ? '$(check) OOMScope' : `$(warning) OOMScope ${total}`) + (problem ? ' $(debug-disconnect)' : '');
    item.tooltip =
      (total === 0
        ? 'OOMScope: no memory findings in this file'
        : `OOMScope: ${counts.error} errors, ${counts.warning} warnings, ${counts.information} infos in this file`) +
      (problem ? `\nNo cluster findings: ${PROBLEM_WORDS[problem.kind]} (${problem.message})` : '');
    item.show();
  };

  context.subscriptions.push(
    item,
    client.onDidChangeState((e) => {
      state = e.newState;
      update();
    }),
    vscode.languages.onDidChangeDiagnostics((e) => {
      const active = vscode.window.activeTextEditor?.document.uri.toString();
      if (active && e.uris.some((uri) => uri.toString() === active)) update();
    }),
    vscode.window.onDidChangeActiveTextEditor(update),
    observations.onDidChange(update),
  );
  update();
  return item;
}

function countFindings(uri: vscode.Uri): { error: number; warning: number; information: number } {
  const counts = { error: 0, warning: 0, information: 0 };
  for (const d of vscode.languages.getDiagnostics(uri)) {
    if (d.source !== DIAGNOSTIC_SOURCE) continue;
    if (d.severity === vscode.DiagnosticSeverity.Error) counts.error++;
    else if (d.severity === vscode.DiagnosticSeverity.Warning) counts.warning++;
    else counts.information++;
  }
  return counts;
}
