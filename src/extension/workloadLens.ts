/**
 * The CodeLens above each workload of a manifest when a cluster is connected and `oomscope.cluster.diagnostics` is on
 * (issue 16 §2): "3 OOM kills in 24 h · own limit, after thrashing · Analyze", opening the workload analysis.
 * Lenses are drawn from a cache only: a keystroke never waits for the cluster. A workload's analysis is refreshed in
 * the background at most once per `oomscope.refreshIntervalSeconds` × 6, and when its file is saved; two run at once.
 */
import * as vscode from 'vscode';
import { analyzeText, mayContainKubernetes } from '../core/manifest/analyze';
import type { WorkloadRef } from '../cluster/analysis/workloadTypes';
import { workloadKind } from '../panel/workloadRef';
import { workloadLensTitle } from '../panel/workloadLensText';
import { ANALYZE_WORKLOAD_COMMAND } from '../shared/workloadProtocol';
import type { ClusterCommands } from './analysisCommands';
import { readClusterSettings, readLensSettings } from './clientSettings';

interface Entry {
  at: number;
  title: string | null;
  running: boolean;
}

const MAX_RUNNING = 2;

export class WorkloadLensProvider implements vscode.CodeLensProvider {
  private readonly cache = new Map<string, Entry>();
  private readonly queue: (() => Promise<void>)[] = [];
  private running = 0;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private readonly cluster: Pick<ClusterCommands, 'chosenContext' | 'access' | 'loadCluster'>,
    private readonly log: vscode.LogOutputChannel,
    private readonly historyDir: string,
  ) {}

  /** Forget a saved document's analyses (they are read again) and redraw. */
  saved(doc: vscode.TextDocument): void {
    for (const ref of this.refsOf(doc.getText(), 'default')) {
      for (const [key, e] of this.cache) if (key.endsWith(`|${ref.kind}/${ref.name}`)) e.at = 0;
    }
    this.changed.fire();
  }

  /** Settings changed: redraw (and drop every analysis when the window changed). */
  reset(): void {
    this.cache.clear();
    this.changed.fire();
  }

  private refsOf(text: string, defaultNs: string): (WorkloadRef & { line: number })[] {
    if (!mayContainKubernetes(text)) return [];
    const out: (WorkloadRef & { line: number })[] = [];
    for (const o of analyzeText(text).objects) {
      const kind = workloadKind(o.kind);
      if (kind && o.name)
        out.push({ kind, name: o.name, namespace: o.namespace ?? defaultNs, line: o.range.start.line });
    }
    return out;
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const s = readLensSettings();
    if (!s.enabled) return [];
    const access = this.cluster.access(this.cluster.chosenContext());
    if (typeof access === 'string') return [];
    const ctxNs = this.contextNamespace(access.context);
    const sinceMs = s.lookbackHours * 3_600_000;
    const maxAgeMs = readClusterSettings().refreshIntervalSeconds * 6 * 1000;
    const lenses: vscode.CodeLens[] = [];
    for (const ref of this.refsOf(doc.getText(), ctxNs)) {
      const key = `${access.context}|${sinceMs}|${ref.namespace}|${ref.kind}/${ref.name}`;
      let e = this.cache.get(key);
      if (!e) this.cache.set(key, (e = { at: 0, title: null, running: false }));
      if (!e.running && Date.now() - e.at > maxAgeMs) this.refresh(e, ref, sinceMs, access.context);
      const target: WorkloadRef = { kind: ref.kind, name: ref.name, namespace: ref.namespace };
      lenses.push(
        new vscode.CodeLens(new vscode.Range(ref.line, 0, ref.line, 0), {
          title: e.title ?? `OOMScope: reading ${ref.kind}/${ref.name}'s history…`,
          command: ANALYZE_WORKLOAD_COMMAND,
          arguments: [target, sinceMs, access.context],
        }),
      );
    }
    return lenses;
  }

  private contextNamespace(contextName: string): string {
    const r = this.cluster.loadCluster().listContexts({ kubeconfigPath: readClusterSettings().kubeconfig });
    return (r.ok ? r.value.find((c) => c.name === contextName)?.namespace : null) || 'default';
  }

  private refresh(e: Entry, ref: WorkloadRef, sinceMs: number, contextName: string): void {
    e.running = true;
    this.queue.push(async () => {
      try {
        const access = this.cluster.access(contextName);
        if (typeof access === 'string') throw new Error(access);
        const s = readClusterSettings();
        const r = await this.cluster.loadCluster().analyzeWorkload(access, ref, {
          sinceMs,
          prometheusUrl: vscode.workspace.isTrusted ? s.prometheusUrl : undefined,
          historyDir: this.historyDir,
        });
        e.title = r.ok ? workloadLensTitle(r.value) : null;
        if (!r.ok) this.log.info(`CodeLens ${ref.kind}/${ref.name}: ${r.error.message}`);
      } catch (err) {
        e.title = null;
        this.log.warn(`CodeLens ${ref.kind}/${ref.name}: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        e.at = Date.now();
        e.running = false;
        this.changed.fire();
      }
    });
    this.pump();
  }

  private pump(): void {
    while (this.running < MAX_RUNNING && this.queue.length) {
      const job = this.queue.shift()!;
      this.running++;
      void job().finally(() => {
        this.running--;
        this.pump();
      });
    }
  }
}

/** Registers the provider for YAML manifests, its refresh on save, and its reset on a settings change. */
export function registerWorkloadLens(
  context: vscode.ExtensionContext,
  cluster: Pick<ClusterCommands, 'chosenContext' | 'access' | 'loadCluster'>,
  log: vscode.LogOutputChannel,
): WorkloadLensProvider {
  const p = new WorkloadLensProvider(cluster, log, context.globalStorageUri.fsPath);
  context.subscriptions.push(
    vscode.languages.registerCodeLensProvider({ language: 'yaml' }, p),
    vscode.workspace.onDidSaveTextDocument((d) => {
      if (d.languageId === 'yaml') p.saved(d);
    }),
    vscode.workspace.onDidChangeConfiguration((ev) => {
      if (ev.affectsConfiguration('oomscope')) p.reset();
    }),
  );
  return p;
}
