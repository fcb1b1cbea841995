import type { PanelToHost, PanelViewState } from '../src/shared/panelProtocol';

interface VsCodeApi {
  postMessage(message: PanelToHost): void;
  getState(): PanelViewState | undefined;
  setState(state: PanelViewState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** The webview's only channel to the extension; acquired once. */
export const vscode: VsCodeApi = acquireVsCodeApi();

export function post(message: PanelToHost): void {
  vscode.postMessage(message);
}
