/**
 * The background reading of the workloads of the open manifests (issue 16 §1, §2): one workload analysis each, kept
 * in a cache, refreshed at most once per `oomscope.refreshIntervalSeconds` × 6 and when the file is saved, two at a
 * time. What it keeps feeds the CodeLens above each workload (workloadLens.ts) and, as observed usage, the language
 * server's cluster-aware rules (`oomscope/observedWorkloads`). Nothing here runs on a keystroke: an edit only redraws
 * from the cache. Off until `oomscope.cluster.diagnostics` is on. When the cluster is offline, forbidden or slow, the
 * server gets no observations and the status bar says why (`problem`).
 */
import * as vscode from 'vscode';
import { analyzeText, mayContainKubernetes } from '../core/manifest/analyze';
import type { ObservedWorkload } from '../core/manifest/observed';
import type { WorkloadRef } from '../cluster/analysis/workloadTypes';
import { workloadKind } from '../panel/workloadRef';
import { workloadLensTitle } from '../panel/workloadLensText';
import { clusterProblem, type ClusterProblem } from '../panel/clusterProblem';
import type { ObservedWorkloadsParams } from '../shared/lspProtocol';
import type { ClusterCommands } from './analysisCommands';
import { readClusterSettings, readLensSettings } from './clientSettings';

/** A workload of an open manifest, and the line of its `kind:`. */
export type LocatedRef = WorkloadRef & { line: number };

/** An open manifest, as VS Code's TextDocument gives it. */
export interface ManifestDoc {
  readonly uri: { toString(): string };
  readonly version: number;
  getText(): string;
}

/** A manifest larger than this gets no lens and no observations (its static findings stay). */
export const MAX_OBSERVED_FILE_CHARS = 4 << 20;
/** How long the kube context (and its namespace) read from the kubeconfig is reused: lenses are asked on edits. */
const TARGET_TTL_MS = 5_000;

interface Entry {
  at: number;
  running: boolean;
  title: string | null;
  observed: ObservedWorkload | null;
}

const MAX_RUNNING = 2;
/** A background analysis that takes longer is stopped, and the cluster called slow. */
export const SLOW_MS = 30_000;

export type Cluster = Pick<ClusterCommands, 'chosenContext' | 'access' | 'loadCluster'>;

export class WorkloadObservations implements vscode.Disposable {
  private readonly cache = new Map<string, Entry>();
  private readonly queue: (() => Promise<void>)[] = [];
  private running = 0;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when an analysis finished or the cache was dropped: lenses redraw, the server gets the observations. */
  readonly onDidChange = this.changed.event;
  /** Why the cluster gives no observations now (the status bar says it); null when it answers. */
  problem: ClusterProblem | null = null;
  private readonly parsed = new Map<
    string,
    { version: number; refs: (Omit<LocatedRef, 'namespace'> & { namespace: string | null })[] }
  >();
  private targetMemo: { at: number; value: ReturnType<WorkloadObservations['target']> } | null = null;

  constructor(
    private readonly cluster: Cluster,
    private readonly log: vscode.LogOutputChannel,
    private readonly historyDir: string,
  ) {}

  dispose(): void {
    this.changed.dispose();
  }

  /**
   * The workloads of a manifest (objects with a pod template that the workload analysis knows), parsed once per
   * version of the document; a namespace the manifest does not name is `defaultNs`.
   */
  refsOf(doc: ManifestDoc, defaultNs: string): LocatedRef[] {
    const uri = doc.uri.toString();
    let known = this.parsed.get(uri);
    if (known?.version !== doc.version) {
      const text = doc.getText();
      const refs: (Omit<LocatedRef, 'namespace'> & { namespace: string | null })[] = [];
      if (text.length <= MAX_OBSERVED_FILE_CHARS && mayContainKubernetes(text))
        for (const o of analyzeText(text).objects) {
          const kind = workloadKind(o.kind);
          if (kind && o.name) refs.push({ kind, name: o.name, namespace: o.namespace, line: o.range.start.line });
        }
      this.parsed.set(uri, (known = { version: doc.version, refs }));
    }
    return known.refs.map((r) => ({ ...r, namespace: r.namespace ?? defaultNs }));
  }

  /** A closed document's parse is dropped. */
  forget(uri: string): void {
    this.parsed.delete(uri);
  }

  /** The context the observations are of, with its namespace; null when off or no cluster is configured. */
  target(): { context: string; namespace: string; sinceMs: number } | null {
    const s = readLensSettings();
    if (!s.enabled) return null;
    if (this.targetMemo && Date.now() - this.targetMemo.at < TARGET_TTL_MS) return this.targetMemo.value;
    const access = this.cluster.access(this.cluster.chosenContext());
    const value =
      typeof access === 'string'
        ? null
        : {
            context: access.context,
            namespace: this.contextNamespace(access.context),
            sinceMs: s.lookbackHours * 3_600_000,
          };
    this.targetMemo = { at: Date.now(), value };
    return value;
  }

  /**
   * The cached state of each workload of `text`, starting a background refresh of those older than the refresh
   * interval. Never waits for the cluster.
   */
  entries(doc: ManifestDoc): { ref: LocatedRef; title: string | null; context: string; sinceMs: number }[] {
    const t = this.target();
    if (!t) return [];
    const maxAgeMs = readClusterSettings().refreshIntervalSeconds * 6 * 1000;
    return this.refsOf(doc, t.namespace).map((ref) => {
      const e = this.entry(t.context, t.sinceMs, ref);
      if (!e.running && Date.now() - e.at > maxAgeMs) this.refresh(e, ref, t.sinceMs, t.context);
      return { ref, title: e.title, context: t.context, sinceMs: t.sinceMs };
    });
  }

  /** Forget a saved document's analyses (they are read again at once). */
  saved(doc: ManifestDoc): void {
    const t = this.target();
    if (!t) return;
    for (const ref of this.refsOf(doc, t.namespace)) {
      const e = this.entry(t.context, t.sinceMs, ref);
      e.at = 0;
    }
    this.changed.fire();
  }

  /** Every analysis is read again at the next look (a node panel saw a new kill); what is shown stays until then. */
  stale(): void {
    for (const e of this.cache.values()) e.at = 0;
  }

  /** Settings changed: drop every analysis and redraw. */
  reset(): void {
    this.cache.clear();
    this.targetMemo = null;
    this.problem = null;
    this.changed.fire();
  }

  /**
   * What the language server gets: the observations of the workloads of these texts in the current context (none
   * when off, offline, forbidden or slow).
   */
  params(docs: readonly ManifestDoc[]): ObservedWorkloadsParams {
    const t = this.target();
    if (!t) return { context: '', defaultNamespace: 'default', workloads: [] };
    const workloads: ObservedWorkload[] = [];
    const seen = new Set<string>();
    for (const doc of docs)
      for (const ref of this.refsOf(doc, t.namespace)) {
        const key = this.keyOf(t.context, t.sinceMs, ref);
        const o = this.cache.get(key)?.observed;
        if (o && !seen.has(key)) {
          seen.add(key);
          workloads.push(o);
        }
      }
    return { context: t.context, defaultNamespace: t.namespace, workloads: this.problem ? [] : workloads };
  }

  private keyOf(context: string, sinceMs: number, ref: WorkloadRef): string {
    return `${context}|${sinceMs}|${ref.namespace}|${ref.kind}/${ref.name}`;
  }

  private entry(context: string, sinceMs: number, ref: WorkloadRef): Entry {
    const key = this.keyOf(context, sinceMs, ref);
    let e = this.cache.get(key);
    if (!e) this.cache.set(key, (e = { at: 0, running: false, title: null, observed: null }));
    return e;
  }

  private contextNamespace(contextName: string): string {
    const r = this.cluster.loadCluster().listContexts({ kubeconfigPath: readClusterSettings().kubeconfig });
    return (r.ok ? r.value.find((c) => c.name === contextName)?.namespace : null) || 'default';
  }

  private refresh(e: Entry, ref: WorkloadRef, sinceMs: number, contextName: string): void {
    e.running = true;
    this.queue.push(async () => {
      const slow = AbortSignal.timeout(SLOW_MS);
      const what = `${ref.kind}/${ref.name} in ${ref.namespace}`;
      try {
        const access = this.cluster.access(contextName);
        if (typeof access === 'string') throw new Error(access);
        const s = readClusterSettings();
        const r = await this.cluster.loadCluster().analyzeWorkload(access, ref, {
          sinceMs,
          prometheusUrl: vscode.workspace.isTrusted ? s.prometheusUrl : undefined,
          historyDir: this.historyDir,
          signal: slow,
        });
        this.problem = clusterProblem(what, r, slow.aborted ? SLOW_MS : null, this.problem);
        if (!r.ok) {
          e.title = null;
          e.observed = null;
          this.log.info(`cluster diagnostics, ${what}: ${r.error.message}`);
          return;
        }
        e.title = workloadLensTitle(r.value);
        e.observed = this.cluster.loadCluster().toObservedWorkload(r.value);
      } catch (err) {
        e.title = null;
        e.observed = null;
        this.log.warn(`cluster diagnostics, ${what}: ${err instanceof Error ? err.message : String(err)}`);
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
