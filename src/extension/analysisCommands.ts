/**
 * The panel commands: Analyze Node Memory, Analyze This Machine's Memory, Import Kernel OOM Log…,
 * Select Kube Context…, and the serializer that restores the panel after a reload.
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { analyzeText, mayContainKubernetes } from '../core/manifest/analyze';
import type * as Cluster from '../cluster/index';
import type { ClusterAccess, NodeListItem } from '../cluster/access/accessTypes';
import { readKernelLog, readLocalSample } from '../local/localReader';
import { MemoryPanel, type PanelDataSource } from '../panel/memoryPanel';
import {
  localPanelSource,
  logSource,
  messageSource,
  nodePanelSource,
  type ManifestProvider,
  type SourceContext,
} from '../panel/panelSources';
import { MAX_INPUT_BYTES as MAX_LOG_BYTES, MAX_INPUT_TEXT } from '../shared/inputLimits';
import { PANEL_VIEW_TYPE, type PanelTarget, type PanelViewState } from '../shared/panelProtocol';
import { readClusterSettings } from './clientSettings';
import { formatSize } from '../shared/humanSize';
import { contentionWords } from '../cluster/analysis/pressureScope';
import { decodeTextLenient } from '../shared/textEncoding';
import type { ConnectedNodeChannel } from './connectedNode';

const CONTEXT_KEY = 'oomscope.kubeContext';
/** manifest URI → the node whose analysis last matched pods of that manifest. */
const MANIFEST_NODES_KEY = 'oomscope.manifestNodes';

interface Deps {
  log: vscode.LogOutputChannel;
  /** Node facts of the node panels, for the manifest hover (connectedNode.ts). */
  nodeFacts?: ConnectedNodeChannel;
  /** Kills a node panel knows after each poll (workloadObservations.ts reads the manifests' workloads again on a new one). */
  onNodeKills?: (context: string, node: string, kills: number) => void;
}

/** What the workload commands (workloadCommands.ts) share with these: the cluster bundle, the context, the manifest. */
export type ClusterCommands = Pick<
  AnalysisCommands,
  'run' | 'loadCluster' | 'chosenContext' | 'access' | 'manifestProvider'
>;

/** Registers the panel commands: analyzeNode, analyzeLocal, importKernelLog, selectContext. */
export function registerAnalysisCommands(context: vscode.ExtensionContext, deps: Deps): ClusterCommands {
  const cmd = new AnalysisCommands(context, deps.log, deps.nodeFacts, deps.onNodeKills);
  context.subscriptions.push(
    vscode.commands.registerCommand('oomscope.analyzeNode', () =>
      cmd.run('Analyze Node Memory', () => cmd.analyzeNode()),
    ),
    vscode.commands.registerCommand('oomscope.analyzeLocal', () =>
      cmd.run("Analyze This Machine's Memory", () => cmd.analyzeLocal()),
    ),
    vscode.commands.registerCommand('oomscope.importKernelLog', () =>
      cmd.run('Import Kernel OOM Log', () => cmd.importKernelLog()),
    ),
    vscode.commands.registerCommand('oomscope.selectContext', () =>
      cmd.run('Select Kube Context', () => cmd.selectContext()),
    ),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      deserializeWebviewPanel: (panel, state: unknown) => cmd.revive(panel, state as PanelViewState | undefined),
    }),
  );
  return cmd;
}

function abortOn(token: vscode.CancellationToken): AbortSignal {
  const ac = new AbortController();
  if (token.isCancellationRequested) ac.abort();
  token.onCancellationRequested(() => ac.abort());
  return ac.signal;
}

function gib(bytes: number | null): string {
  return bytes === null ? '?' : formatSize(bytes);
}

class AnalysisCommands {
  private cluster: typeof Cluster | null = null;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
    private readonly nodeFacts?: ConnectedNodeChannel,
    private readonly onNodeKills?: (context: string, node: string, kills: number) => void,
  ) {}

  /** Every command failure becomes one sentence for the user and one log line. */
  async run(name: string, body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      this.log.error(`${name}: ${msg}`);
      void vscode.window.showErrorMessage(`OOMScope: ${name} failed: ${msg.split('\n')[0]}`);
    }
  }

  /** dist/cluster.js, required at first use so client-node is not loaded at activation. */
  loadCluster(): typeof Cluster {
    if (!this.cluster) {
      const path = vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'cluster.js').fsPath;
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      this.cluster = require(path) as typeof Cluster;
    }
    return this.cluster;
  }

  chosenContext(): string | undefined {
    return (
      this.context.workspaceState.get<string>(CONTEXT_KEY) ??
      this.context.globalState.get<string>(CONTEXT_KEY) ??
      readClusterSettings().context
    );
  }

  access(contextName: string | undefined): ClusterAccess | string {
    const s = readClusterSettings();
    const r = this.loadCluster().loadKubeConfig({
      kubeconfigPath: s.kubeconfig,
      context: contextName,
      requestTimeoutMs: s.requestTimeoutMs,
    });
    return r.ok ? r.value : r.error.message;
  }

  /** The active editor's manifest, captured now and re-analyzed at each poll (edits show up). */
  manifestProvider(): ManifestProvider {
    const uri = vscode.window.activeTextEditor?.document.uri;
    if (!uri) return () => null;
    return () => {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      const text = doc?.getText();
      if (!text || !mayContainKubernetes(text)) return null;
      try {
        return { uri: uri.toString(), objects: analyzeText(text).objects };
      } catch (e) {
        this.log.warn(`manifest ${uri.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
        return null;
      }
    };
  }

  async analyzeNode(): Promise<void> {
    const manifest = this.manifestProvider();
    const contextName = this.chosenContext();
    const listed = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'OOMScope: listing nodes…', cancellable: true },
      async (_p, token) => {
        const access = this.access(contextName);
        if (typeof access === 'string') return access;
        const objects = manifest()?.objects ?? [];
        const [nodes, manifestNodes] = await Promise.all([
          this.loadCluster().listNodes(access, abortOn(token)),
          this.loadCluster().nodesRunningManifest(access, objects, undefined, abortOn(token)),
        ]);
        if (token.isCancellationRequested) return null;
        return nodes.ok ? { access, nodes: nodes.value, manifestNodes } : nodes.error.message;
      },
    );
    if (listed === null) return;
    if (typeof listed === 'string') {
      void vscode.window.showErrorMessage(`OOMScope: ${listed}`);
      return;
    }
    if (listed.nodes.length === 0) {
      void vscode.window.showErrorMessage(`OOMScope: context ${listed.access.context} has no nodes to analyze.`);
      return;
    }
    const manifestUri = vscode.window.activeTextEditor?.document.uri.toString();
    const known = manifestUri
      ? this.context.workspaceState.get<Record<string, string>>(MANIFEST_NODES_KEY, {})[manifestUri]
      : undefined;
    if (known) listed.manifestNodes.add(known);
    const kills = this.loadCluster().recentKillCounts(
      this.context.globalStorageUri.fsPath,
      listed.access.context,
      Date.now() - 24 * 3600_000,
    );
    const picked = await this.pickNode(listed.access, listed.nodes, listed.manifestNodes, kills);
    if (!picked) return;
    const polled = nodePanelSource(this.sourceContext(manifest), listed.access, picked);
    // Remember which node ran this manifest's pods: it is offered first next time.
    const source: PanelDataSource = {
      ...polled,
      target: polled.target,
      start: (emit) =>
        polled.start((u) => {
          if (manifestUri && 'snapshot' in u && u.snapshot.manifestPods.length > 0) {
            const map = this.context.workspaceState.get<Record<string, string>>(MANIFEST_NODES_KEY, {});
            if (map[manifestUri] !== picked)
              void this.context.workspaceState.update(MANIFEST_NODES_KEY, { ...map, [manifestUri]: picked });
          }
          emit(u);
        }),
    };
    await this.openWithProgress(source, `OOMScope: analyzing node ${picked}…`);
  }

  /**
   * Nodes running the manifest's pods first, then nodes under MemoryPressure, then by name. Each
   * item shows MemoryPressure and the OOM kills OOMScope saw there in 24 h (local history: free).
   * Live PSI per node is not fetched here: it costs one kubelet request per node.
   */
  private async pickNode(
    access: ClusterAccess,
    nodes: NodeListItem[],
    manifestNodes: Set<string>,
    kills: Map<string, number>,
  ): Promise<string | undefined> {
    const rank = (n: NodeListItem): number => (manifestNodes.has(n.name) ? 2 : n.memoryPressure === 'True' ? 1 : 0);
    const ordered = [...nodes].sort((a, b) => rank(b) - rank(a) || a.name.localeCompare(b.name));
    const items = ordered.map((n) => ({
      label: n.name,
      description:
        (manifestNodes.has(n.name) ? 'runs pods of this manifest · ' : '') +
        (n.memoryPressure === 'True'
          ? '$(warning) MemoryPressure'
          : n.memoryPressure === 'False'
            ? 'no MemoryPressure'
            : 'MemoryPressure unknown') +
        contentionWords(n) +
        (kills.get(n.name) ? ` · ${kills.get(n.name)} OOM kill${kills.get(n.name) === 1 ? '' : 's'} in 24 h` : ''),
      detail: [
        `allocatable ${gib(n.allocatableBytes)} of ${gib(n.capacityBytes)}`,
        n.ready === false ? 'NotReady' : null,
        n.kubeletVersion,
      ]
        .filter(Boolean)
        .join(' · '),
    }));
    const pick = await vscode.window.showQuickPick(items, {
      title: `Analyze Node Memory — context ${access.context}`,
      placeHolder: 'Pick a node',
      matchOnDescription: true,
    });
    return pick?.label;
  }

  /** Opens the panel; a cancellable notification stays until the first data (or error) arrives. */
  private async openWithProgress(source: PanelDataSource, title: string): Promise<void> {
    if (MemoryPanel.isOpen(source.target)) {
      MemoryPanel.show(this.context.extensionUri, source, this.log);
      return;
    }
    let first: () => void = () => undefined;
    const arrived = new Promise<void>((resolve) => (first = resolve));
    const wrapped: PanelDataSource = {
      ...source,
      target: source.target,
      start: (emit) =>
        source.start((u) => {
          first();
          emit(u);
        }),
    };
    const panel = MemoryPanel.show(this.context.extensionUri, wrapped, this.log);
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      (_p, token) =>
        Promise.race([
          arrived,
          new Promise<void>((resolve) => token.onCancellationRequested(() => (panel.panel.dispose(), resolve()))),
        ]),
    );
  }

  async analyzeLocal(): Promise<void> {
    const source = localPanelSource(this.sourceContext(this.manifestProvider()));
    await this.openWithProgress(source, "OOMScope: reading this machine's memory…");
  }

  async importKernelLog(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    const choices = [
      { label: '$(file) Open a log file…', id: 'file' as const },
      { label: '$(clippy) Use the text on the clipboard', id: 'clipboard' as const },
      ...(editor
        ? [
            {
              label: '$(edit) Use the active editor',
              description: basename(editor.document.uri.path),
              id: 'editor' as const,
            },
          ]
        : []),
    ];
    const choice = await vscode.window.showQuickPick(choices, {
      title: 'Import Kernel OOM Log',
      placeHolder: 'dmesg, journalctl -k, syslog or kubectl debug output',
    });
    if (!choice) return;
    if (choice.id === 'file') {
      const files = await vscode.window.showOpenDialog({
        canSelectMany: false,
        openLabel: 'Import',
        filters: { 'Kernel logs': ['log', 'txt', 'dmesg', 'out'], 'All files': ['*'] },
      });
      const uri = files?.[0];
      if (!uri) return;
      const read = this.fileLogReader(uri);
      const text = await read();
      MemoryPanel.show(this.context.extensionUri, logSource(basename(uri.path), uri.toString(), text, read), this.log);
      return;
    }
    const text = choice.id === 'clipboard' ? await vscode.env.clipboard.readText() : (editor?.document.getText() ?? '');
    if (!text.trim()) {
      void vscode.window.showErrorMessage(
        `OOMScope: the ${choice.id === 'clipboard' ? 'clipboard' : 'editor'} is empty; copy the kernel log first.`,
      );
      return;
    }
    const name = choice.id === 'clipboard' ? 'pasted text' : basename(editor?.document.uri.path ?? 'editor');
    MemoryPanel.show(
      this.context.extensionUri,
      logSource(name, undefined, text.slice(0, MAX_LOG_BYTES), null),
      this.log,
    );
  }

  async selectContext(): Promise<void> {
    const s = readClusterSettings();
    const r = this.loadCluster().listContexts({ kubeconfigPath: s.kubeconfig });
    if (!r.ok) {
      void vscode.window.showErrorMessage(`OOMScope: ${r.error.message}`);
      return;
    }
    if (r.value.length === 0) {
      void vscode.window.showErrorMessage('OOMScope: the kubeconfig has no contexts.');
      return;
    }
    const chosen = this.chosenContext();
    const items = r.value.map((c) => ({
      label: c.name,
      description: [c.name === chosen ? 'selected' : null, c.current ? 'kubeconfig current' : null]
        .filter(Boolean)
        .join(' · '),
      detail: `cluster ${c.cluster}${c.namespace ? ` · namespace ${c.namespace}` : ''}`,
    }));
    const pick = await vscode.window.showQuickPick(items, {
      title: 'Select Kube Context',
      placeHolder: 'Context for Analyze Node Memory',
    });
    if (!pick) return;
    await this.context.workspaceState.update(CONTEXT_KEY, pick.label);
    await this.context.globalState.update(CONTEXT_KEY, pick.label);
    void vscode.window.showInformationMessage(`OOMScope: using context ${pick.label}.`);
  }

  /** Reads an imported log file, with the size bound: on import, on refresh, and after a reload. */
  private fileLogReader(uri: vscode.Uri): () => Promise<string> {
    return async (): Promise<string> => {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_LOG_BYTES)
        throw new Error(
          `the file is ${Math.round(stat.size / 1024 ** 2)} MiB; import at most ${MAX_INPUT_TEXT} (cut the log around the kill)`,
        );
      return decodeTextLenient(await vscode.workspace.fs.readFile(uri));
    };
  }

  /** What every panel source is built from (panel/panelSources.ts), read from the settings now. */
  private sourceContext(manifest: ManifestProvider): SourceContext {
    const s = readClusterSettings();
    return {
      cluster: this.loadCluster(),
      settings: s,
      trusted: vscode.workspace.isTrusted,
      historyDir: this.context.globalStorageUri.fsPath,
      manifest,
      local: {
        readLocalSample,
        readKernelLog: () => readKernelLog(),
        cgroupDir: ['/sys/fs/cgroup/kubepods.slice', '/sys/fs/cgroup/kubepods'].find((d) => existsSync(d)),
      },
      onNodeFacts: this.nodeFacts?.reporter(),
      onNodeKills: this.onNodeKills,
    };
  }

  /** Restores a panel after a reload: same target, data fetched again. */
  async revive(panel: vscode.WebviewPanel, state: PanelViewState | undefined): Promise<void> {
    const target: PanelTarget | null = state?.target ?? null;
    let source: PanelDataSource;
    if (target?.kind === 'node') {
      const access = this.access(target.context);
      source =
        typeof access === 'string'
          ? messageSource(target, access)
          : nodePanelSource(this.sourceContext(this.manifestProvider()), access, target.node);
    } else if (target?.kind === 'local') {
      source = localPanelSource(this.sourceContext(this.manifestProvider()));
    } else if (target?.kind === 'log' && target.path) {
      source = logSource(target.name, target.path, null, this.fileLogReader(vscode.Uri.parse(target.path, true)));
    } else {
      source = messageSource(
        target ?? { kind: 'local' },
        'This panel showed pasted text, which is not kept across reloads; import it again (OOMScope: Import Kernel OOM Log…).',
      );
    }
    if (state && !state.live) source.setLive(false);
    MemoryPanel.revive(panel, this.context.extensionUri, source, this.log);
  }
}
