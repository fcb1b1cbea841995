/** The workload panel's host side: one panel per workload and context, its HTML (same CSP as the node panel), refresh. */
import * as vscode from 'vscode';
import {
  WORKLOAD_VIEW_TYPE,
  type HostToWorkload,
  type WorkloadSnapshot,
  type WorkloadTarget,
  type WorkloadToHost,
} from '../shared/workloadProtocol';
import { makeNonce, panelHtml } from './html';
import { webviewOptions } from './memoryPanel';

export type WorkloadUpdate = { snapshot: WorkloadSnapshot } | { error: string };

/** Runs the workload's analysis (again): the command's first run, Refresh, a reload. */
export interface WorkloadLoader {
  readonly target: WorkloadTarget;
  load(signal: AbortSignal): Promise<WorkloadUpdate>;
}

export function workloadKey(t: WorkloadTarget): string {
  return `workload:${t.context}/${t.workload.namespace}/${t.workload.kind}/${t.workload.name}`;
}

export function workloadTitle(t: WorkloadTarget): string {
  return `Memory: ${t.workload.kind}/${t.workload.name}`;
}

const open = new Map<string, WorkloadPanel>();

export class WorkloadPanel {
  private last: WorkloadUpdate | null = null;
  private loading: AbortController | null = null;
  private readonly disposables: vscode.Disposable[] = [];

  /** Shows the workload's panel beside the editor with `first` (reusing the open one, whose window may change). */
  static show(
    extensionUri: vscode.Uri,
    loader: WorkloadLoader,
    first: WorkloadUpdate,
    log: vscode.LogOutputChannel,
  ): WorkloadPanel {
    const existing = open.get(workloadKey(loader.target));
    if (existing) {
      existing.loader = loader;
      existing.panel.reveal(vscode.ViewColumn.Beside, false);
      existing.publish(first);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      WORKLOAD_VIEW_TYPE,
      workloadTitle(loader.target),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
      webviewOptions(extensionUri),
    );
    const p = new WorkloadPanel(panel, extensionUri, loader, log);
    p.publish(first);
    return p;
  }

  /** Adopts a panel VS Code restored after a reload; the analysis runs again. */
  static revive(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    loader: WorkloadLoader,
    log: vscode.LogOutputChannel,
  ): WorkloadPanel {
    panel.webview.options = webviewOptions(extensionUri);
    const p = new WorkloadPanel(panel, extensionUri, loader, log);
    void p.reload();
    return p;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private loader: WorkloadLoader,
    private readonly log: vscode.LogOutputChannel,
  ) {
    open.set(workloadKey(loader.target), this);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    const w = panel.webview;
    w.html = panelHtml({
      cspSource: w.cspSource,
      nonce: makeNonce(),
      scriptUri: w.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js')).toString(),
      styleUri: w.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'panel.css')).toString(),
      view: 'workload',
    });
    this.disposables.push(
      w.onDidReceiveMessage(
        (m: unknown) =>
          void this.onMessage(m as WorkloadToHost).catch((e: unknown) =>
            this.log.warn(`workload panel: a message failed: ${e instanceof Error ? e.name : 'error'}`),
          ),
      ),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private publish(u: WorkloadUpdate): void {
    this.last = u;
    this.post('snapshot' in u ? { type: 'workloadSnapshot', snapshot: u.snapshot } : { type: 'error', text: u.error });
  }

  private post(message: HostToWorkload): void {
    void this.panel.webview.postMessage(message).then(undefined, () => undefined);
  }

  private async onMessage(m: WorkloadToHost): Promise<void> {
    if (!m || typeof m !== 'object') return;
    if (m.type === 'ready') {
      // Also after the webview was hidden and shown again (no retainContextWhenHidden).
      if (this.last) this.publish(this.last);
      else this.post({ type: 'status', text: 'Loading…', busy: true });
    } else if (m.type === 'refresh') {
      await this.reload();
    }
  }

  /** One analysis at a time, however often the webview asks. */
  private async reload(): Promise<void> {
    if (this.loading) return;
    const ac = new AbortController();
    this.loading = ac;
    this.post({ type: 'status', text: 'Analyzing…', busy: true });
    try {
      const u = await this.loader.load(ac.signal);
      if (!ac.signal.aborted) this.publish(u);
    } finally {
      this.loading = null;
      this.post({ type: 'status', text: '', busy: false });
    }
  }

  private dispose(): void {
    open.delete(workloadKey(this.loader.target));
    this.loading?.abort();
    for (const d of this.disposables) d.dispose();
    this.disposables.length = 0;
  }
}
