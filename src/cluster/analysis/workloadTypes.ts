/**
 * The analysis of one workload across nodes and days (docs/workload.md), and the triage of a cluster's workloads.
 * Times are epoch milliseconds. Like nodeAnalysisTypes.ts, nothing here carries credentials: these types go to the
 * webview and into logs.
 */
import type { QosClass } from '../../core/qosClass';
import type { OomClass } from '../../core/oom/verdictTypes';
import type { ContainerType, KillRecord, ScopeSeries, SourceState } from './nodeAnalysisTypes';

/** What the user names: `Deployment/api` in namespace `shop`. */
export interface WorkloadRef {
  /** Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob. */
  kind: string;
  name: string;
  namespace: string;
}

/** The kinds `analyze-workload` accepts, as the API names them. */
export const WORKLOAD_KINDS = [
  'Pod',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
] as const;

/** The sources of a workload analysis (docs/workload.md "Sources"); each optional, each says why when missing. */
export type WorkloadSourceName =
  'workload' | 'pods' | 'events' | 'history' | 'prometheus' | 'kube-state-metrics' | 'cadvisor' | 'node-exporter';

/** A pod of the workload: live in the API server, or known only from Prometheus / the history store (`live` false). */
export interface WorkloadPod {
  name: string;
  uid: string | null;
  node: string | null;
  phase: string | null;
  restarts: number;
  /** false when the API server no longer has the pod (its history comes from Prometheus or the history store). */
  live: boolean;
}

/** A kill of the workload: the analyze-node kill, plus where it happened and what was seen around it. */
export interface WorkloadKill extends KillRecord {
  node: string | null;
  /** Where the kill was found; several when the sources agree on it. */
  foundIn: ('api' | 'prometheus' | 'history')[];
  /** The container's working set just before the kill (cAdvisor through Prometheus, or the node poll); null when unknown. */
  workingSetAtKillBytes: number | null;
  /**
   * How uncertain `t` is: the kill happened in (t − tSpanMs, t] (a restart seen between two Prometheus steps); 0 when
   * a source dates it. Not in the JSON: the evidence says it in words.
   */
  tSpanMs: number;
  /** The node's PSI around the kill (the precursor window before it): peak some/full, percent; null when unknown. */
  nodePressure: { someMaxPercent: number; fullMaxPercent: number | null } | null;
}

/** Working-set statistics of one container over the window (cAdvisor through Prometheus; else the node polls). */
export interface WorkingSetStats {
  p50: number;
  p95: number;
  max: number;
}

export interface WorkloadContainer {
  name: string;
  containerType: ContainerType;
  requestBytes: number | null;
  limitBytes: number | null;
  workingSet: WorkingSetStats | null;
  /** The working set at each of the container's kills, in kill order. */
  atKills: { t: number | null; bytes: number | null }[];
}

/** A node that ran a pod of the workload in the window. */
export interface WorkloadNode {
  name: string;
  /** false when the API server no longer lists it (drained, replaced). */
  present: boolean;
  pods: string[];
  /** status.capacity.memory from GET /api/v1/nodes/{name}; null when gone, not read (over the bound) or unreadable. */
  capacityBytes: number | null;
  /** status.nodeInfo.swap.capacity (1.30+); null when the node reports none (no swap, or an older kubelet) or unread. */
  swapCapacityBytes: number | null;
  /**
   * The kubelet's memorySwap.swapBehavior (configz), read only on a node with swap (`NoSwap` when configz leaves it
   * empty, the kubelet's default); null when not read or unreadable.
   */
  swapBehavior: string | null;
  /** Node PSI (some, full: percent) over the window, from node-exporter through Prometheus; empty when none. */
  pressure: { t: number; some: number; full: number | null }[];
}

/** Where two sources disagree on the same fact, both shown (docs/workload.md "When sources disagree"). */
export interface SourceDisagreement {
  pod: string;
  container: string | null;
  /** One sentence naming both sources and what each says. */
  sentence: string;
}

export interface WorkloadAnalysis {
  version: 1;
  context: string;
  generatedAt: number;
  /** Start of the window (epoch ms); the window ends at generatedAt. */
  since: number;
  workload: WorkloadRef;
  /** The kind's own facts: its label selector (as sent), its QoS class when the template gives one. */
  selector: string | null;
  qosClass: QosClass | null;
  pods: WorkloadPod[];
  ooms: WorkloadKill[];
  evictions: WorkloadKill[];
  containers: WorkloadContainer[];
  nodes: WorkloadNode[];
  /** One working-set line per container of the workload (scope `container:<ns>/<workload>/<container>`), with its own limit. */
  series: ScopeSeries[];
  sources: Record<WorkloadSourceName, SourceState>;
  disagreements: SourceDisagreement[];
  /** One line per missing source: what it would add; and what the window's history is limited to. */
  notes: string[];
}

export interface AnalyzeWorkloadOptions {
  /** Window length, ms (default 24 h). */
  sinceMs?: number;
  /** `oomscope.prometheus.url`; else a Service labelled app.kubernetes.io/name=prometheus is looked for. */
  prometheusUrl?: string;
  /** false: do not look for Prometheus at all. */
  prometheus?: boolean;
  historyDir?: string;
  signal?: AbortSignal;
}

/** One row of `oomscope triage`. */
export interface TriageRow {
  kind: string;
  name: string;
  namespace: string;
  ooms: number;
  evictions: number;
  /** The class of most of its OOM kills; `eviction` when it had evictions only. */
  dominantClass: OomClass | null;
  /** Share (0..1) of its kills and evictions preceded by thrashing; null when no PSI covered any of them. */
  afterThrashingShare: number | null;
}

export interface Triage {
  version: 1;
  context: string;
  generatedAt: number;
  since: number;
  workloads: TriageRow[];
  /** 'prometheus' when the ranking came from PromQL; 'api' when from the paged pod list (history = the API server's). */
  via: 'prometheus' | 'api';
  sources: Partial<Record<WorkloadSourceName, SourceState>>;
  notes: string[];
}
