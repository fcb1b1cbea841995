/**
 * The CodeLens above each workload of a manifest when a cluster is connected and `oomscope.cluster.diagnostics` is on
 * (issue 16 §2): "3 OOM kills in 24 h · own limit, after thrashing · Analyze", opening the workload analysis; and
 * the channel that gives the language server the same analyses as observed usage (issue 16 §1). Both are drawn from
 * the cache of WorkloadObservations only: a keystroke never waits for the cluster.
 */
import * as vscode from 'vscode';
import type { WorkloadRef } from '../cluster/analysis/workloadTypes';
import type { ObservedWorkloadsParams } from '../shared/lspProtocol';
import { ANALYZE_WORKLOAD_COMMAND } from '../shared/workloadProtocol';
import { readClusterSettings } from './clientSettings';
import { WorkloadObservations, type Cluster } from './workloadObservations';

export class WorkloadLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly observations: WorkloadObservations) {
    observations.onDidChange(() => this.changed.fire());
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    return this.observations.entries(doc).map(({ ref, title, context, sinceMs }) => {
      const target: WorkloadRef = { kind: ref.kind, name: ref.name, namespace: ref.namespace };
      return new vscode.CodeLens(new vscode.Range(ref.line, 0, ref.line, 0), {
        title: title ?? `OOMScope: reading ${ref.kind}/${ref.name}'s history…`,
        command: ANALYZE_WORKLOAD_COMMAND,
        arguments: [target, sinceMs, context],
      });
    });
  }
}

const yamlDocs = (): vscode.TextDocument[] => vscode.workspace.textDocuments.filter((d) => d.languageId === 'yaml');

/**
 * Registers the lenses, the background refresh (open and visible manifests, on save, every refresh interval × 6)
 * and the observations sent to the language server with `send` whenever they change.
 */
export function registerWorkloadLens(
  context: vscode.ExtensionContext,
  cluster: Cluster,
  log: vscode.LogOutputChannel,
  send: (params: ObservedWorkloadsParams) => void,
): {
  observations: WorkloadObservations;
  resend: () => void;
  killsSeen: (context: string, node: string, kills: number) => void;
} {
  const observations = new WorkloadObservations(cluster, log, context.globalStorageUri.fsPath);
  const lenses = new WorkloadLensProvider(observations);
  let last = '';
  const sync = (force = false): void => {
    const params = observations.params(yamlDocs());
    const json = JSON.stringify(params);
    if (!force && json === last) return;
    last = json;
    send(params);
  };
  /** Starts the reading of what the visible manifests hold (CodeLens may be turned off in the editor). */
  const touchVisible = (): void => {
    for (const e of vscode.window.visibleTextEditors)
      if (e.document.languageId === 'yaml') observations.entries(e.document);
  };
  let timer: NodeJS.Timeout | undefined;
  const schedule = (): void => {
    if (timer) clearInterval(timer);
    timer = setInterval(touchVisible, readClusterSettings().refreshIntervalSeconds * 6 * 1000);
  };
  schedule();
  context.subscriptions.push(
    observations,
    { dispose: () => timer && clearInterval(timer) },
    vscode.languages.registerCodeLensProvider({ language: 'yaml' }, lenses),
    observations.onDidChange(() => sync()),
    vscode.window.onDidChangeVisibleTextEditors(touchVisible),
    vscode.workspace.onDidCloseTextDocument((d) => {
      observations.forget(d.uri.toString());
      sync();
    }),
    vscode.workspace.onDidSaveTextDocument((d) => {
      if (d.languageId === 'yaml') observations.saved(d);
      touchVisible();
    }),
    vscode.workspace.onDidChangeConfiguration((ev) => {
      if (!ev.affectsConfiguration('oomscope')) return;
      observations.reset();
      schedule();
      touchVisible();
    }),
  );
  touchVisible();
  const kills = new Map<string, number>();
  return {
    observations,
    resend: () => sync(true),
    // More kills on a node than its panel knew: what the manifests' workloads went through changed; read them again.
    killsSeen: (ctx, node, n) => {
      const key = `${ctx}|${node}`;
      const before = kills.get(key);
      kills.set(key, n);
      if (before === undefined || n <= before) return;
      observations.stale();
      touchVisible();
    },
  };
}
