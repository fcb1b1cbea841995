/**
 * "OOMScope: Analyze Workload Memory" and "OOMScope: Memory Triage", and the serializer that restores a workload
 * panel after a reload. The cluster bundle, the context and the active manifest come from analysisCommands.ts.
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { ClusterAccess } from '../cluster/access/accessTypes';
import type { WorkloadRef } from '../cluster/analysis/workloadTypes';
import { WorkloadPanel, type WorkloadLoader } from '../panel/workloadPanel';
import {
  DEFAULT_WINDOW_MS,
  namespaceError,
  parseKindName,
  refLabel,
  windowLabel,
  windowOf,
  workloadKind,
  workloadRefOf,
  WORKLOAD_WINDOWS,
} from '../panel/workloadRef';
import { snapshotFromWorkload } from '../panel/workloadSnapshot';
import { emptyTriageMessage, triageItems, triageVia } from '../panel/triageItems';
import {
  ANALYZE_WORKLOAD_COMMAND,
  WORKLOAD_VIEW_TYPE,
  type WorkloadTarget,
  type WorkloadViewState,
} from '../shared/workloadProtocol';
import type { ClusterCommands } from './analysisCommands';
import { readClusterSettings } from './clientSettings';

export const TRIAGE_COMMAND = 'oomscope.triage';

interface Deps {
  log: vscode.LogOutputChannel;
  cluster: ClusterCommands;
}

function abortOn(token: vscode.CancellationToken): AbortSignal {
  const ac = new AbortController();
  if (token.isCancellationRequested) ac.abort();
  token.onCancellationRequested(() => ac.abort());
  return ac.signal;
}

/** Registers analyzeWorkload `(ref?, sinceMs?, context?)`, triage, and the workload panel's serializer. */
export function registerWorkloadCommands(context: vscode.ExtensionContext, deps: Deps): void {
  const cmd = new WorkloadCommands(context, deps.log, deps.cluster);
  context.subscriptions.push(
    vscode.commands.registerCommand(ANALYZE_WORKLOAD_COMMAND, (ref?: unknown, sinceMs?: unknown, ctx?: unknown) =>
      deps.cluster.run('Analyze Workload Memory', () => cmd.analyzeWorkload(ref, sinceMs, ctx)),
    ),
    vscode.commands.registerCommand(TRIAGE_COMMAND, () => deps.cluster.run('Memory Triage', () => cmd.triage())),
    vscode.window.registerWebviewPanelSerializer(WORKLOAD_VIEW_TYPE, {
      deserializeWebviewPanel: (panel, state: unknown) => cmd.revive(panel, state as WorkloadViewState | undefined),
    }),
  );
}

class WorkloadCommands {
  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
    private readonly cluster: ClusterCommands,
  ) {}

  /** The access for a context given by a caller (the triage, a node panel), else the chosen one; or the sentence. */
  private accessFor(ctx: unknown): ClusterAccess | string {
    return this.cluster.access(typeof ctx === 'string' && ctx ? ctx : this.cluster.chosenContext());
  }

  async analyzeWorkload(refArg: unknown, sinceArg: unknown, ctxArg: unknown): Promise<void> {
    const access = this.accessFor(ctxArg);
    if (typeof access === 'string') {
      void vscode.window.showErrorMessage(`OOMScope: ${access}`);
      return;
    }
    const given = workloadRefOf(refArg);
    const ref = given ?? (await this.pickWorkload(access));
    if (!ref) return;
    // A caller that names the workload opens it directly: its window, else the default.
    const sinceMs = given ? windowOf(sinceArg) : ((await this.pickWindow('Analyze Workload Memory')) ?? null);
    if (sinceMs === null) return;
    const loader = this.loader({ kind: 'workload', context: access.context, workload: ref, sinceMs }, access);
    const first = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `OOMScope: analyzing ${ref.kind}/${ref.name} over ${windowLabel(sinceMs)}…`,
        cancellable: true,
      },
      async (_p, token) => {
        const u = await loader.load(abortOn(token));
        return token.isCancellationRequested ? null : u;
      },
    );
    if (first === null) return;
    if ('error' in first) {
      void vscode.window.showErrorMessage(`OOMScope: ${refLabel(ref)}: ${first.error}`);
      return;
    }
    WorkloadPanel.show(this.context.extensionUri, loader, first, this.log);
  }

  /** Runs the analysis of `target` (again, on Refresh and after a reload). */
  private loader(target: WorkloadTarget, access: ClusterAccess): WorkloadLoader {
    return {
      target,
      load: async (signal) => {
        const s = readClusterSettings();
        const r = await this.cluster.loadCluster().analyzeWorkload(access, target.workload, {
          sinceMs: target.sinceMs,
          prometheusUrl: vscode.workspace.isTrusted ? s.prometheusUrl : undefined,
          historyDir: this.context.globalStorageUri.fsPath,
          signal,
        });
        if (!r.ok) return { error: r.error.message };
        try {
          return {
            snapshot: snapshotFromWorkload(r.value, {
              sinceMs: target.sinceMs,
              precursorWindowSeconds: s.precursorWindowSeconds,
            }),
          };
        } catch (e) {
          this.log.error(`workload snapshot: ${e instanceof Error ? e.message : String(e)}`);
          return { error: 'The analysis could not be shown (see the OOMScope log).' };
        }
      },
    };
  }

  /** The workloads of the active manifest first; else (or on request) KIND/NAME and a namespace typed in. */
  private async pickWorkload(access: ClusterAccess): Promise<WorkloadRef | undefined> {
    const defaultNs = this.contextNamespace(access.context);
    const m = this.cluster.manifestProvider()();
    const fromManifest: WorkloadRef[] = [];
    for (const o of m?.objects ?? []) {
      const kind = workloadKind(o.kind);
      if (!kind || !o.name) continue;
      const ref = { kind, name: o.name, namespace: o.namespace ?? defaultNs };
      if (!fromManifest.some((r) => refLabel(r) === refLabel(ref))) fromManifest.push(ref);
    }
    if (fromManifest.length > 0) {
      const file = m ? basename(vscode.Uri.parse(m.uri).path) : '';
      const typeIn = { label: '$(edit) Type KIND/NAME…', ref: null };
      const pick = await vscode.window.showQuickPick(
        [
          ...fromManifest.map((r) => ({
            label: `${r.kind}/${r.name}`,
            description: `namespace ${r.namespace} · in ${file}`,
            ref: r as WorkloadRef | null,
          })),
          typeIn,
        ],
        { title: `Analyze Workload Memory — context ${access.context}`, placeHolder: 'Pick a workload' },
      );
      if (!pick) return undefined;
      if (pick.ref) return pick.ref;
    }
    const typed = await vscode.window.showInputBox({
      title: `Analyze Workload Memory — context ${access.context}`,
      prompt: 'The workload as KIND/NAME',
      placeHolder: 'Deployment/api',
      validateInput: (v) => {
        const r = parseKindName(v);
        return 'error' in r ? r.error : null;
      },
    });
    if (typed === undefined) return undefined;
    const kn = parseKindName(typed);
    if ('error' in kn) return undefined;
    const ns = await vscode.window.showInputBox({
      title: `Analyze Workload Memory — ${kn.kind}/${kn.name}`,
      prompt: 'Namespace',
      value: defaultNs,
      validateInput: (v) => namespaceError(v.trim()),
    });
    if (ns === undefined) return undefined;
    return { ...kn, namespace: ns.trim() };
  }

  /** The context's namespace in the kubeconfig, else `default`. */
  private contextNamespace(contextName: string): string {
    const r = this.cluster.loadCluster().listContexts({ kubeconfigPath: readClusterSettings().kubeconfig });
    return (r.ok ? r.value.find((c) => c.name === contextName)?.namespace : null) || 'default';
  }

  /** 1 h, 6 h, 24 h (preselected), 7 d; undefined when dismissed. */
  private pickWindow(title: string): Promise<number | undefined> {
    return new Promise((resolve) => {
      const qp = vscode.window.createQuickPick<{ label: string; ms: number; description?: string }>();
      qp.title = title;
      qp.placeholder = 'Window: how far back to look';
      qp.items = WORKLOAD_WINDOWS.map((w) => ({
        ...w,
        description: w.ms === DEFAULT_WINDOW_MS ? 'default' : undefined,
      }));
      qp.activeItems = qp.items.filter((i) => i.ms === DEFAULT_WINDOW_MS);
      let chosen: number | undefined;
      qp.onDidAccept(() => {
        chosen = qp.selectedItems[0]?.ms ?? qp.activeItems[0]?.ms;
        qp.hide();
      });
      qp.onDidHide(() => {
        qp.dispose();
        resolve(chosen);
      });
      qp.show();
    });
  }

  async triage(): Promise<void> {
    const access = this.accessFor(undefined);
    if (typeof access === 'string') {
      void vscode.window.showErrorMessage(`OOMScope: ${access}`);
      return;
    }
    const sinceMs = await this.pickWindow(`Memory Triage — context ${access.context}`);
    if (sinceMs === undefined) return;
    const r = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `OOMScope: ranking the workloads of ${access.context} over ${windowLabel(sinceMs)}…`,
        cancellable: true,
      },
      async (_p, token) => {
        const s = readClusterSettings();
        const t = await this.cluster.loadCluster().triageWorkloads(access, {
          sinceMs,
          prometheusUrl: vscode.workspace.isTrusted ? s.prometheusUrl : undefined,
          signal: abortOn(token),
        });
        return token.isCancellationRequested ? null : t;
      },
    );
    if (r === null) return;
    if (!r.ok) {
      void vscode.window.showErrorMessage(`OOMScope: ${r.error.message}`);
      return;
    }
    const items = triageItems(r.value);
    if (items.length === 0) {
      void vscode.window.showInformationMessage(`OOMScope: ${emptyTriageMessage(r.value, windowLabel(sinceMs))}`);
      return;
    }
    const pick = await vscode.window.showQuickPick(items, {
      title: `Memory Triage — context ${access.context} · last ${windowLabel(sinceMs)} · ${triageVia(r.value)}`,
      placeHolder: 'Pick a workload to analyze',
      matchOnDescription: true,
    });
    if (!pick) return;
    await vscode.commands.executeCommand(ANALYZE_WORKLOAD_COMMAND, pick.ref, sinceMs, access.context);
  }

  /** Restores a workload panel after a reload: same workload, context and window; the analysis runs again. */
  async revive(panel: vscode.WebviewPanel, state: WorkloadViewState | undefined): Promise<void> {
    const t = state?.target;
    const ref = workloadRefOf(t?.workload);
    if (!t || !ref || typeof t.context !== 'string') {
      panel.dispose();
      return;
    }
    const target: WorkloadTarget = {
      kind: 'workload',
      context: t.context,
      workload: ref,
      sinceMs: windowOf(t.sinceMs),
    };
    const access = this.cluster.access(target.context);
    const loader: WorkloadLoader =
      typeof access === 'string'
        ? { target, load: () => Promise.resolve({ error: access }) }
        : this.loader(target, access);
    WorkloadPanel.revive(panel, this.context.extensionUri, loader, this.log);
  }
}
