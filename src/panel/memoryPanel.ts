/** The webview panel's host side: lifecycle, HTML with CSP, typed message routing, export. */
import * as vscode from 'vscode';
import {
  PANEL_VIEW_TYPE,
  type HostToPanel,
  type PanelSnapshot,
  type PanelTarget,
  type PanelToHost,
} from '../shared/panelProtocol';
import { pngBytes, toCsv, toJson } from './exportData';
import { makeNonce, panelHtml } from './html';
import { exportRequestOf, offeredWorkload, type ExportRequest } from './panelMessages';
import { redactUrl } from '../cluster/access/redact';
import type { ConfirmCreate } from '../cluster/analysis/nodeKernelLog';
import { SETTING_DEFAULTS } from '../shared/settingsDefaults';
import { ANALYZE_WORKLOAD_COMMAND } from '../shared/workloadProtocol';

/** Produces snapshots for one target (a node poller, this machine, an imported log). */
export interface PanelDataSource {
  readonly target: PanelTarget;
  /** Starts producing; `emit` gets every snapshot or one-sentence error. */
  start(emit: (update: { snapshot: PanelSnapshot } | { error: string }) => void): void;
  setLive(live: boolean): void;
  refresh(): Promise<void>;
  /** Node panels only: asks (`confirm`), reads the node's kernel log, refreshes; resolves with the sentence to show. */
  readKernelLog?(confirm: ConfirmCreate, debug: NodeDebugSettings): Promise<{ text: string; error: boolean } | null>;
  dispose(): void;
}

/** `oomscope.nodeDebug.*`, user settings only: a workspace must not choose what runs on a node. */
export interface NodeDebugSettings {
  image: string;
  namespace: string;
}

export function targetKey(t: PanelTarget): string {
  return t.kind === 'node' ? `node:${t.context}/${t.node}` : t.kind === 'log' ? `log:${t.path ?? t.name}` : 'local';
}

export function panelTitle(t: PanelTarget): string {
  return t.kind === 'node' ? `Memory: ${t.node}` : t.kind === 'log' ? `OOM log: ${t.name}` : 'Memory: this machine';
}

/** Webview options shared by new and revived panels: scripts on, only dist/ and media/ loadable. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

const open = new Map<string, MemoryPanel>();

export class MemoryPanel {
  private snapshot: PanelSnapshot | null = null;
  private lastError: string | null = null;
  private refreshing = false;
  private readingKernelLog = false;
  private readonly disposables: vscode.Disposable[] = [];

  /** True when a panel for this target is open (show() would reuse it). */
  static isOpen(target: PanelTarget): boolean {
    return open.has(targetKey(target));
  }

  /** Shows the target's panel beside the active editor (reusing it when open). */
  static show(extensionUri: vscode.Uri, source: PanelDataSource, log: vscode.LogOutputChannel): MemoryPanel {
    const key = targetKey(source.target);
    const existing = open.get(key);
    if (existing) {
      source.dispose();
      existing.panel.reveal(vscode.ViewColumn.Beside, false);
      void existing.source.refresh();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      PANEL_VIEW_TYPE,
      panelTitle(source.target),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
      webviewOptions(extensionUri),
    );
    return new MemoryPanel(panel, extensionUri, source, log);
  }

  /** Adopts a panel VS Code restored after a reload (serializer); data is fetched again. */
  static revive(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    source: PanelDataSource,
    log: vscode.LogOutputChannel,
  ): MemoryPanel {
    panel.webview.options = webviewOptions(extensionUri);
    return new MemoryPanel(panel, extensionUri, source, log);
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    readonly source: PanelDataSource,
    private readonly log: vscode.LogOutputChannel,
  ) {
    open.set(targetKey(source.target), this);
    panel.title = panelTitle(source.target);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    panel.webview.html = this.html();
    this.disposables.push(
      panel.webview.onDidReceiveMessage(
        (m: unknown) =>
          // A message the host cannot handle is logged, never an unhandled rejection.
          void this.onMessage(m as PanelToHost).catch((e: unknown) =>
            this.log.warn(`panel: a ${typeOf(m)} message failed: ${e instanceof Error ? e.name : 'error'}`),
          ),
      ),
      panel.onDidDispose(() => this.dispose()),
    );
    source.start((u) => {
      if ('snapshot' in u) {
        this.snapshot = u.snapshot;
        this.lastError = null;
        this.post({ type: 'snapshot', snapshot: u.snapshot });
      } else {
        this.lastError = u.error;
        this.post({ type: 'error', text: u.error });
      }
    });
  }

  private html(): string {
    const w = this.panel.webview;
    return panelHtml({
      cspSource: w.cspSource,
      nonce: makeNonce(),
      scriptUri: w.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview.js')).toString(),
      styleUri: w.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'panel.css')).toString(),
    });
  }

  private post(message: HostToPanel): void {
    void this.panel.webview.postMessage(message).then(undefined, () => undefined);
  }

  private async onMessage(m: PanelToHost): Promise<void> {
    if (!m || typeof m !== 'object') return;
    switch (m.type) {
      case 'ready':
        // Also after the webview was hidden and shown again (no retainContextWhenHidden).
        if (this.snapshot) this.post({ type: 'snapshot', snapshot: this.snapshot });
        else this.post({ type: 'status', text: 'Loading…', busy: true });
        if (this.lastError) this.post({ type: 'error', text: this.lastError });
        break;
      case 'setLive':
        this.source.setLive(m.live === true);
        // A webview reloaded after being hidden must show the paused state, not the cached one.
        if (this.snapshot) this.snapshot = { ...this.snapshot, live: m.live === true };
        break;
      case 'refresh':
        // One refresh at a time, however often the webview asks.
        if (this.refreshing) break;
        this.refreshing = true;
        this.post({ type: 'status', text: 'Refreshing…', busy: true });
        try {
          await this.source.refresh();
        } finally {
          this.refreshing = false;
          this.post({ type: 'status', text: '', busy: false });
        }
        break;
      case 'readKernelLog':
        await this.readKernelLog();
        break;
      case 'goToManifest':
        await this.goToManifest(m.uri, m.line);
        break;
      case 'analyzeWorkload': {
        const ref = offeredWorkload(this.snapshot, m);
        if (ref && this.source.target.kind === 'node')
          await vscode.commands.executeCommand(ANALYZE_WORKLOAD_COMMAND, ref, undefined, this.source.target.context);
        break;
      }
      case 'export': {
        const req = exportRequestOf(m);
        if ('invalid' in req) this.log.warn(`panel: ignored an export message: ${req.invalid}`);
        else await this.export(req);
        break;
      }
    }
  }

  /** "Read Kernel Log from Node…": a modal names what will be created; declined, nothing is sent. */
  private async readKernelLog(): Promise<void> {
    if (!this.source.readKernelLog || this.readingKernelLog) return;
    this.readingKernelLog = true;
    const user = (k: 'nodeDebug.image' | 'nodeDebug.namespace'): string => {
      const v = vscode.workspace.getConfiguration('oomscope').inspect<unknown>(k)?.globalValue;
      return typeof v === 'string' && v.trim() ? v.trim() : SETTING_DEFAULTS[k].default;
    };
    const confirm: ConfirmCreate = async (title, detail) =>
      (await vscode.window.showWarningMessage(title, { modal: true, detail }, 'Create Pod and Read')) ===
      'Create Pod and Read';
    try {
      const r = await this.source.readKernelLog(confirm, {
        image: user('nodeDebug.image'),
        namespace: user('nodeDebug.namespace'),
      });
      if (r) this.post(r.error ? { type: 'error', text: r.text } : { type: 'status', text: r.text, busy: false });
    } finally {
      this.readingKernelLog = false;
    }
  }

  /** Opens only locations this panel's snapshot offered (the webview is not trusted to name files). */
  private async goToManifest(uri: string, line: number): Promise<void> {
    const offered = [
      ...(this.snapshot?.kills ?? []).map((k) => k.manifest),
      ...(this.snapshot?.manifestPods ?? []).map((p) => p.manifest),
    ];
    if (!offered.some((x) => x && x.uri === uri && x.line === line) || !Number.isInteger(line) || line < 0) return;
    const target = vscode.Uri.parse(uri, true);
    const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === target.toString());
    const pos = new vscode.Position(line, 0);
    await vscode.window.showTextDocument(target, {
      viewColumn: editor?.viewColumn ?? vscode.ViewColumn.One,
      selection: new vscode.Range(pos, pos),
      preserveFocus: false,
    });
  }

  private async export(m: ExportRequest): Promise<void> {
    const s = this.snapshot;
    if (!s) return;
    const view = m.view;
    let bytes: Uint8Array;
    if (m.format === 'png') {
      const png = typeof m.data === 'string' ? pngBytes(m.data) : null;
      if (!png) {
        this.post({ type: 'error', text: 'The chart image could not be read; try the export again.' });
        return;
      }
      bytes = png;
    } else {
      bytes = Buffer.from(m.format === 'csv' ? toCsv(s, view) : toJson(s, view), 'utf8');
    }
    const base =
      (s.target.kind === 'node'
        ? `oomscope-${s.target.node}`
        : s.target.kind === 'log'
          ? 'oomscope-log'
          : 'oomscope-local') + `-${new Date(s.generatedAt).toISOString().slice(0, 19).replace(/[:T]/g, '')}`;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const filters: Record<string, string[]> = {
      csv: { CSV: ['csv'] },
      json: { JSON: ['json'] },
      png: { 'PNG image': ['png'] },
    }[m.format];
    const uri = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, `${base}.${m.format}`) : undefined,
      filters,
      title: 'Export memory analysis',
    });
    if (!uri) return;
    try {
      await vscode.workspace.fs.writeFile(uri, bytes);
      this.post({ type: 'exportDone', path: uri.fsPath || uri.toString() });
    } catch (e) {
      this.log.warn(
        `export to ${redactUrl(uri.toString())} failed: ${(e as { code?: unknown } | undefined)?.code ?? (e instanceof Error ? e.name : 'error')}`,
      );
      this.post({ type: 'error', text: `Could not write ${uri.fsPath}; choose another folder.` });
    }
  }

  private dispose(): void {
    open.delete(targetKey(this.source.target));
    this.source.dispose();
    for (const d of this.disposables) d.dispose();
    this.disposables.length = 0;
  }
}

function typeOf(m: unknown): string {
  const t = m && typeof m === 'object' ? (m as { type?: unknown }).type : undefined;
  return typeof t === 'string' ? JSON.stringify(t.slice(0, 40)) : 'malformed';
}
