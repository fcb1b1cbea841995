/** Data sources behind a panel: a node poller, this machine's reader, an imported log. */
import type { ObjectSummary } from '../core/manifest/analyze';
import type * as Cluster from '../cluster/index';
import type { ClusterAccess } from '../cluster/access/accessTypes';
import type { NodeAnalysis, NodePoller, PollerOptions } from '../cluster/analysis/nodeAnalysisTypes';
import type { WireConnectedNode } from '../shared/lspProtocol';
import type { LocalKernelLog, LocalReadOptions, LocalSample } from '../local/localReader';
import type { PanelTarget } from '../shared/panelProtocol';
import { DEFAULT_PHASE_SETTINGS, type PhaseSettings } from '../core/oom/verdictTypes';
import type { PanelDataSource } from './memoryPanel';
import { snapshotFromKernelLog, snapshotFromLocal, snapshotFromNode } from './snapshot';

type Emit = Parameters<PanelDataSource['start']>[0];

/** The active manifest at poll time (re-read each poll), or null. */
export type ManifestProvider = () => { uri: string; objects: ObjectSummary[] } | null;

/** The node facts the manifest hover uses (`oomscope/connectedNode`); null when the node's memory is unknown. */
export function connectedNodeFacts(a: NodeAnalysis): WireConnectedNode | null {
  if (!a.node || a.node.capacityBytes === null) return null;
  return {
    context: a.context,
    node: a.node.name,
    capacityBytes: a.node.capacityBytes,
    swapBehavior: a.swap.behavior,
    swapCapacityBytes: a.swap.capacityBytes,
  };
}

export function nodeSource(
  cluster: typeof Cluster,
  access: ClusterAccess,
  node: string,
  opts: PollerOptions,
  manifest: ManifestProvider,
  onNodeFacts: (facts: WireConnectedNode | null) => void = () => undefined,
  onNodeKills: (context: string, node: string, kills: number) => void = () => undefined,
): PanelDataSource {
  let poller: NodePoller | null = null;
  let startLive = true;
  const closing = new AbortController();
  const target: PanelTarget = { kind: 'node', node, context: access.context };
  return {
    target,
    start(emit: Emit) {
      const p = cluster.createNodePoller(access, node, opts);
      poller = p;
      p.onUpdate((r) => {
        onNodeFacts(r.ok ? connectedNodeFacts(r.value) : null);
        if (!r.ok) return emit({ error: r.error.message });
        onNodeKills(access.context, node, r.value.ooms.length + r.value.evictions.length);
        const m = manifest();
        const ctx = m ? { ...m, matches: cluster.matchManifestPods(m.objects, r.value.pods) } : undefined;
        emit({
          snapshot: snapshotFromNode(r.value, { live: !p.paused, manifest: ctx, phaseSettings: opts.phaseSettings }),
        });
      });
      p.start();
      if (!startLive) p.pause();
    },
    setLive(live) {
      startLive = live;
      if (live) poller?.resume();
      else poller?.pause();
    },
    async refresh() {
      await poller?.pollNow();
    },
    async readKernelLog(confirm, debug) {
      // Closing the panel (or the window) aborts the read; the pod is still deleted (nodeDebugPod.ts).
      const r = await cluster.readKernelReportsWithConsent(
        access,
        node,
        { ...debug, timeoutMs: 60_000, signal: closing.signal },
        confirm,
      );
      if (r === 'declined') return null;
      if (!r.ok) return { text: r.error.message, error: true };
      poller?.setKernelReports(r.value.reports);
      await poller?.pollNow();
      const n = r.value.reports.length;
      const read = `Read the kernel log of node ${node}: ${n} OOM report${n === 1 ? '' : 's'}`;
      return r.value.cleanup
        ? { text: `${read}; ${r.value.cleanup}`, error: true }
        : { text: `${read} (pod ${r.value.podName} deleted).`, error: false };
    },
    dispose() {
      closing.abort();
      poller?.stop();
      poller = null;
      onNodeFacts(null);
    },
  };
}

export interface LocalDeps {
  readLocalSample(opts: LocalReadOptions): Promise<LocalSample>;
  readKernelLog(): Promise<LocalKernelLog>;
  cgroupDir?: string;
  intervalSeconds: number;
  phaseSettings?: PhaseSettings;
  now?: () => number;
}

/** At most a day of samples at 10 s is kept. */
const MAX_LOCAL_SAMPLES = 8640;

export function localSource(deps: LocalDeps): PanelDataSource {
  const samples: LocalSample[] = [];
  let kernel: { log: LocalKernelLog } | { error: string } = { error: 'not read yet' };
  let timer: NodeJS.Timeout | null = null;
  let live = true;
  let disposed = false;
  let emit: Emit = () => undefined;
  const now = deps.now ?? Date.now;

  const readKernel = async (): Promise<void> => {
    try {
      kernel = { log: await deps.readKernelLog() };
    } catch (e) {
      kernel = { error: e instanceof Error ? e.message : String(e) };
    }
  };
  const sample = async (): Promise<void> => {
    try {
      samples.push(await deps.readLocalSample({ cgroupDir: deps.cgroupDir }));
      if (samples.length > MAX_LOCAL_SAMPLES) samples.splice(0, samples.length - MAX_LOCAL_SAMPLES);
      if (!disposed)
        emit({ snapshot: snapshotFromLocal(samples, kernel, { live, now: now(), phaseSettings: deps.phaseSettings }) });
    } catch (e) {
      if (!disposed)
        emit({ error: `Reading this machine's memory failed: ${e instanceof Error ? e.message : String(e)}` });
    }
  };
  const schedule = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!live || disposed) return;
    timer = setTimeout(() => void sample().then(schedule), deps.intervalSeconds * 1000);
  };
  return {
    target: { kind: 'local' },
    start(e) {
      emit = e;
      void readKernel().then(sample).then(schedule);
    },
    setLive(l) {
      live = l;
      schedule();
    },
    async refresh() {
      await readKernel();
      await sample();
    },
    dispose() {
      disposed = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}

/** An imported kernel log; `read` re-reads it (a file), or null for pasted text. */
export function logSource(
  name: string,
  path: string | undefined,
  text: string | null,
  read: (() => Promise<string>) | null,
  now: () => number = Date.now,
): PanelDataSource {
  let emit: Emit = () => undefined;
  let current = text;
  const publish = (): void => {
    if (current === null)
      emit({ error: `The log ${name} is not available any more; import it again (OOMScope: Import Kernel OOM Log…).` });
    else emit({ snapshot: snapshotFromKernelLog({ text: current, name, path, now: now() }, { live: false }) });
  };
  const load = async (): Promise<void> => {
    if (!read) return;
    try {
      current = await read();
    } catch (e) {
      current = null;
      emit({ error: `Cannot read ${name}: ${e instanceof Error ? e.message : String(e)}` });
      return;
    }
  };
  return {
    target: { kind: 'log', name, ...(path ? { path } : {}) },
    start(e) {
      emit = e;
      if (current === null && read) void load().then(() => current !== null && publish());
      else publish();
    },
    setLive() {},
    async refresh() {
      await load();
      if (current !== null) publish();
    },
    dispose() {},
  };
}

/** A panel that can only say why it has nothing to show (e.g. a revived panel whose target is gone). */
export function messageSource(target: PanelTarget, error: string): PanelDataSource {
  return {
    target,
    start: (emit) => emit({ error }),
    setLive() {},
    refresh: async () => undefined,
    dispose() {},
  };
}

/**
 * Everything a panel's source is built from, gathered once by the extension: the user's settings,
 * the workspace trust, where history is kept, the active manifest, this machine's readers and cgroup
 * folder. The commands and a reloaded panel (`revive`) build their sources from it alike.
 */
export interface SourceContext {
  cluster: typeof Cluster;
  settings: { refreshIntervalSeconds: number; precursorWindowSeconds: number; prometheusUrl?: string };
  trusted: boolean;
  historyDir: string;
  manifest: ManifestProvider;
  local: Pick<LocalDeps, 'readLocalSample' | 'readKernelLog' | 'cgroupDir' | 'now'>;
  /** Where a node panel reports its node's facts for the manifest hover (extension/connectedNode.ts). */
  onNodeFacts?: (facts: WireConnectedNode | null) => void;
  /** Where a node panel reports how many kills it knows after each poll: a new one makes the manifest's observations stale. */
  onNodeKills?: (context: string, node: string, kills: number) => void;
}

/** The phase settings a panel judges with: the defaults, the user's precursor window, the refresh interval. */
export function panelPhaseSettings(ctx: SourceContext): PhaseSettings {
  return {
    ...DEFAULT_PHASE_SETTINGS,
    precursorWindowSeconds: ctx.settings.precursorWindowSeconds,
    pollIntervalSeconds: ctx.settings.refreshIntervalSeconds,
  };
}

/** A node panel's source (Analyze Node Memory, and the same node after a reload). */
export function nodePanelSource(ctx: SourceContext, access: ClusterAccess, node: string): PanelDataSource {
  const opts: PollerOptions = {
    intervalSeconds: ctx.settings.refreshIntervalSeconds,
    prometheusUrl: ctx.trusted ? ctx.settings.prometheusUrl : undefined,
    historyDir: ctx.historyDir,
    phaseSettings: panelPhaseSettings(ctx),
  };
  return nodeSource(ctx.cluster, access, node, opts, ctx.manifest, ctx.onNodeFacts, ctx.onNodeKills);
}

/** This machine's panel source (Analyze This Machine's Memory, and after a reload): same cgroup folder, same window. */
export function localPanelSource(ctx: SourceContext): PanelDataSource {
  return localSource({
    ...ctx.local,
    intervalSeconds: ctx.settings.refreshIntervalSeconds,
    phaseSettings: panelPhaseSettings(ctx),
  });
}
