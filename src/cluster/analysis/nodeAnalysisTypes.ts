/**
 * The analysis of one node: what the sources said, the kills and evictions, the series and phases.
 * Times are epoch milliseconds. Nothing here carries kubeconfig contents, tokens or
 * certificates: these types may be sent to the webview (through panelProtocol) and logged.
 */
import type { QosClass } from '../../core/qosClass';
import type { OomClass, PhaseInterval, PhaseSettings, PrecededBy, StallPoint } from '../../core/oom/verdictTypes';
import type { NodeInfo, Result } from '../access/accessTypes';
import type { KubeletInfo } from './kubeletConfig';
import type { KernelReport } from './kernelReports';
import type { ContainerMemoryControls, NodeSwap } from './swapQos';
import type { MemoryBudget } from './memoryBudget';

/** The kind of a container (docs/cli.md `containerType`): sidecars are init containers with `restartPolicy: Always`. */
export type ContainerType = 'container' | 'init' | 'sidecar' | 'ephemeral';

/** What one data source gave: `ok`, or why not, in one sentence. */
export type SourceState = 'ok' | `forbidden: ${string}` | `unavailable: ${string}` | `error: ${string}`;

/** The sources of docs/cli.md `sources`. */
export type SourceName = 'node' | 'pods' | 'events' | 'summary' | 'cadvisor' | 'metrics' | 'prometheus' | 'configz';

/** Current PSI averages (percent) of one scope. */
export interface PressureNow {
  some: { avg10: number; avg60: number; avg300: number };
  full: { avg10: number; avg60: number; avg300: number } | null;
}

export interface PodPressure extends PressureNow {
  namespace: string;
  name: string;
}

export interface OwnerRef {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller: boolean;
}

/** A pod on the node, reduced to what the verdicts and manifest matching need. */
export interface LivePod {
  namespace: string;
  name: string;
  uid: string;
  qosClass: QosClass | null;
  labels: Record<string, string>;
  ownerReferences: OwnerRef[];
  phase: string | null;
  /** status.reason, e.g. "Evicted". */
  reason: string | null;
  restarts: number;
  /** The pod-level memory limit (spec.resources, KEP-2837); null when none. */
  podLimitBytes: number | null;
  containers: {
    name: string;
    /** Regular containers and sidecars (they run beside them); init and ephemeral containers are not listed. */
    containerType: 'container' | 'sidecar';
    requestBytes: number | null;
    limitBytes: number | null;
    restartCount: number;
    containerId: string | null;
  }[];
}

/** An OOM kill or an eviction, merged from every piece of evidence that names it. */
export interface KillRecord {
  /** Stable across polls: the same kill keeps its id (history store key). */
  id: string;
  kind: 'oom' | 'eviction';
  /** Epoch ms; null when no source dates it. */
  t: number | null;
  class: OomClass;
  qosClass: QosClass | null;
  precededBy: PrecededBy;
  /** How long the preceding phase lasted before the kill (s); null when none. */
  precedingSeconds: number | null;
  /** false when no PSI covered the kill time: precededBy null then means "cannot tell", not "sudden". */
  precededJudged: boolean;
  /** e.g. ["pod status OOMKilled (lastState, exit 137)", "event OOMKilling: Killed process 4481 (stress) …"]. */
  evidence: string[];
  namespace: string | null;
  pod: string | null;
  container: string | null;
  /** The kind of the container killed; null when no pod status names it (a node event alone). */
  containerType: ContainerType | null;
  /** The memory limit in force at the kill (status resources, else the pod-level limit, else the spec); null when unknown or none. */
  limitBytes: number | null;
  podUid: string | null;
  ownerReferences: OwnerRef[];
  /** Eviction or event message. */
  message: string | null;
  /** From the kernel line when one was seen. */
  kernel: {
    pid: number | null;
    comm: string | null;
    oomScoreAdj: number | null;
    oomMemcg: string | null;
    taskMemcg: string | null;
    /** From the node's own kernel log, when it was read ("Read Kernel Log from Node…", kernelReports.ts). */
    memcgUsageBytes?: number | null;
    memcgLimitBytes?: number | null;
    tasks?: { pid: number; name: string; rssBytes: number | null; oomScoreAdj: number | null }[];
    /** The processes a group kill (memory.oom.group) killed; empty when not a group kill. */
    groupMembers?: { pid: number | null; comm: string | null }[];
  } | null;
  /**
   * Every process the node's OOM events name for this kill, each once, the selected victim first: one for a
   * single-process kill, N for a group kill (memory.oom.group, one OOMKilling event per process); empty when no
   * node event names one. Absent in kills kept by a history store from before this field.
   */
  processes: KillProcess[];
  /** A kill seen in an earlier poll and kept by the history store. */
  fromHistory: boolean;
}

/** A process killed by the kernel, as a node event names it. */
export interface KillProcess {
  pid: number | null;
  comm: string | null;
}

/** Time series of one scope the panel plots. `scope` as in StallSeries ("node", "pod:<ns>/<name>", "container:<ns>/<pod>/<name>"). */
export interface ScopeSeries {
  scope: string;
  label: string;
  stall: StallPoint[];
  memory: { t: number; workingSetBytes: number }[];
  requestBytes?: number;
  limitBytes?: number;
  allocatableBytes?: number;
  /** A container's memory.high (MemoryQoS) and swap limit / swap in use (LimitedSwap): swapQos.ts. */
  memoryHighBytes?: number;
  swapLimitBytes?: number;
  swapUsageBytes?: number;
}

/**
 * The analysis of one node: the analyze-node JSON of docs/cli.md (with epoch-ms times; see
 * toAnalyzeNodeJson for the CLI form) plus the time series the panel plots.
 */
export interface NodeAnalysis {
  version: 1;
  context: string;
  generatedAt: number;
  node: NodeInfo | null;
  /** The node's kubelet configuration from configz (all null when unreadable; sources.configz says why). */
  kubelet: KubeletInfo;
  /** The node's memory budget: capacity → reservations, eviction threshold → allocatable, kubepods limit; working set. */
  budget: MemoryBudget;
  sources: Record<SourceName, SourceState>;
  /** `scope`: where the pressure sits, in words (pressureScope.ts); empty when nothing stands out. */
  pressure: { node: PressureNow | null; pods: PodPressure[]; scope: string[] };
  phases: PhaseInterval[];
  ooms: KillRecord[];
  evictions: KillRecord[];
  /** Node, then pods with data, then containers. */
  series: ScopeSeries[];
  pods: LivePod[];
  /** The node's swap (behavior from configz, capacity, in use) and each container's swap limit and memory.high. */
  swap: NodeSwap;
  memoryControls: ContainerMemoryControls[];
  /** One line per missing source: what it would add and how to enable it. */
  notes: string[];
}

export interface AnalyzeNodeOptions {
  /** `oomscope.prometheus.url`; else a Service labelled app.kubernetes.io/name=prometheus is looked for. */
  prometheusUrl?: string;
  phaseSettings?: PhaseSettings;
  /** Folder for the history store (the extension's globalStorage); none = no persistence. */
  historyDir?: string;
  /** Hours of Prometheus history to backfill, default 3. */
  backfillHours?: number;
}

export interface PollerOptions extends AnalyzeNodeOptions {
  /** `oomscope.refreshIntervalSeconds`, default 10. */
  intervalSeconds?: number;
}

/** Polls one node; each poll emits the whole analysis so far (samples accumulate between polls). */
export interface NodePoller {
  start(): void;
  /** Stops polling for good (clears timers); pending requests are abandoned. */
  stop(): void;
  pause(): void;
  resume(): void;
  readonly paused: boolean;
  /** Polls now (also while paused) and resolves with the result it emitted. */
  pollNow(): Promise<Result<NodeAnalysis>>;
  /** The node's kernel OOM reports (read on request); the next poll joins them into the kills. */
  setKernelReports(reports: KernelReport[]): void;
  /** Returns an unsubscribe function. */
  onUpdate(cb: (result: Result<NodeAnalysis>) => void): () => void;
}

/** A manifest object and the live pods that belong to it. */
export interface ManifestPodMatch {
  /** Index into the objects array given to matchManifestPods. */
  objectIndex: number;
  /** "Deployment/api". */
  workload: string;
  pods: LivePod[];
}
