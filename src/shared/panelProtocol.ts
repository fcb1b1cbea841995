/**
 * Messages between the extension host (src/panel) and the webview (webview/).
 * Discriminated unions on `type`. The webview never talks to the cluster and never sees
 * kubeconfig data: everything it shows arrives in these messages.
 * Times are epoch milliseconds.
 */
import type { QosClass } from '../core/qosClass';
import type { SourceState } from '../cluster/analysis/nodeAnalysisTypes';
import type { MemoryBudget } from '../cluster/analysis/memoryBudget';
import type { OomClass, PhaseInterval, PrecededBy, StallPoint } from '../core/oom/verdictTypes';

export interface StallSeries {
  /** "node", "pod:<ns>/<name>", "container:<ns>/<pod>/<name>" or a local cgroup path. */
  scope: string;
  label: string;
  points: StallPoint[];
}

export interface MemoryPoint {
  t: number;
  workingSetBytes: number;
}

export interface MemorySeries {
  scope: string;
  label: string;
  points: MemoryPoint[];
  /** Horizontal reference lines: node allocatable, or a pod's request and limit. */
  allocatableBytes?: number;
  requestBytes?: number;
  limitBytes?: number;
  /** A container's memory.high (MemoryQoS on) and, on a LimitedSwap node, its swap limit and swap in use. */
  memoryHighBytes?: number;
  swapLimitBytes?: number;
  swapUsageBytes?: number;
}

export interface PanelMemoryControls {
  swapBehavior: string | null;
  nodeSwapCapacityBytes: number | null;
  nodeSwapUsageBytes: number | null;
  memoryQoS: boolean | null;
  containers: {
    namespace: string;
    pod: string;
    container: string;
    swapLimitBytes: number | null;
    swapUsageBytes: number | null;
    memoryHighBytes: number | null;
    workingSetBytes: number | null;
  }[];
}

export interface KillMarker {
  id: string;
  t: number | null;
  kind: 'oom' | 'eviction';
  class: OomClass;
  /** Plain words, e.g. "hit its own 256Mi limit". */
  classText: string;
  namespace: string | null;
  pod: string | null;
  container: string | null;
  qosClass: QosClass | null;
  precededBy: PrecededBy;
  /** e.g. "thrashing for 2m 10s before the kill". */
  precededText: string;
  evidence: string[];
  /** Set when the open manifest defines this pod's workload: where to jump. */
  manifest?: { uri: string; line: number };
}

/** A node's memory budget (bytes, null when unknown): docs/cli.md `node.budget`. */
export type PanelBudget = MemoryBudget;

export interface ManifestPod {
  workload: string; // "Deployment/api"
  namespace: string | null;
  pod: string;
  qosClass: QosClass | null;
  restarts: number;
  lastOom: number | null;
  somePercent: number | null;
  fullPercent: number | null;
  manifest: { uri: string; line: number };
}

/** The webview panel's view type (package.json `onWebviewPanel:` activation, serializer). */
export const PANEL_VIEW_TYPE = 'oomscope.nodeMemory';

/** What the panel shows; enough to re-fetch it after a reload. `path`: an imported log file. */
export type PanelTarget =
  { kind: 'node'; node: string; context: string } | { kind: 'local' } | { kind: 'log'; name: string; path?: string };

export interface PanelSnapshot {
  /** "Node worker-1 · context kind-demo", or "This machine (cgroup …)", or "Imported log …". */
  title: string;
  target: PanelTarget;
  generatedAt: number;
  /** The window before a kill in which pressure counts as its precursor (`phases.precursorWindowSeconds`). */
  precursorWindowSeconds: number;
  node: {
    name: string;
    capacityBytes: number | null;
    allocatableBytes: number | null;
    memoryPressure: { status: string; since: number | null } | null;
    /** The PSI node conditions (KEP-5394, alpha 1.36); absent or null when the node has none. */
    systemMemoryContentionPressure?: { status: string; since: number | null } | null;
    kubepodsMemoryContentionPressure?: { status: string; since: number | null } | null;
  } | null;
  /** Where the pressure sits, in words (pressureScope.ts and memory.high throttling); absent off a cluster. */
  pressureScope?: string[];
  /** Swap (LimitedSwap) and memory.high (MemoryQoS) of the containers that have either; absent off a cluster. */
  memoryControls?: PanelMemoryControls;
  sources: Record<string, SourceState>;
  stall: StallSeries[];
  memory: MemorySeries[];
  phases: PhaseInterval[];
  kills: KillMarker[];
  manifestPods: ManifestPod[];
  /** A node's memory budget (the "Memory budget" section); absent for this machine and imported logs. */
  budget?: PanelBudget | null;
  /** One-line notes the panel shows above the chart (missing sources, what to enable). */
  notes: string[];
  live: boolean;
}

/** Extension → webview. */
export type HostToPanel =
  | { type: 'snapshot'; snapshot: PanelSnapshot }
  | { type: 'status'; text: string; busy: boolean }
  | { type: 'error'; text: string }
  | { type: 'exportDone'; path: string };

/** Webview → extension. */
export type PanelToHost =
  | { type: 'ready' }
  | { type: 'setLive'; live: boolean }
  | { type: 'refresh' }
  /** Node panels: "Read Kernel Log from Node…" (the host asks first, in a modal). */
  | { type: 'readKernelLog' }
  | { type: 'goToManifest'; uri: string; line: number }
  /** "Pods of this manifest" → "Analyze workload": a workload the snapshot offered (ManifestPod workload, namespace). */
  | { type: 'analyzeWorkload'; workload: string; namespace: string | null }
  | {
      type: 'export';
      format: 'csv' | 'json' | 'png';
      /** PNG: data URL of the chart; CSV/JSON are built by the host from its snapshot. */
      data?: string;
      /** The visible time range and scopes, so the export holds what is shown. */
      range?: { min: number; max: number };
      scopes?: string[];
    };

/** What the webview keeps with setState for restoring the view (not data: data is re-fetched). */
export interface PanelViewState {
  target: PanelTarget | null;
  rangeMinutes: number | null;
  live: boolean;
  /** Stall scopes drawn in chart 1 ("node" by default). */
  shownScopes?: string[];
  /** The manifest pod whose memory chart 2 shows (its scope), or null for the node. */
  selectedScope?: string | null;
}
