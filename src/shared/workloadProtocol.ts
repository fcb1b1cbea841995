/**
 * Messages between the extension host (src/panel/workloadPanel.ts) and the workload view of the webview
 * (webview/workload*.ts). Built by src/panel/workloadSnapshot.ts from a WorkloadAnalysis: only the fields listed
 * here, bounded in size, free text with URLs redacted. Times are epoch milliseconds.
 */
import type { QosClass } from '../core/qosClass';
import type { OomClass, PrecededBy } from '../core/oom/verdictTypes';
import type { ContainerType, SourceState } from '../cluster/analysis/nodeAnalysisTypes';
import type { WorkloadRef } from '../cluster/analysis/workloadTypes';
import type { MemoryPoint } from './panelProtocol';

/** The command that opens a workload panel, `(ref?: WorkloadRef, sinceMs?: number, context?: string)`. */
export const ANALYZE_WORKLOAD_COMMAND = 'oomscope.analyzeWorkload';

/** The workload panel's view type (its own serializer; the node panel's is PANEL_VIEW_TYPE). */
export const WORKLOAD_VIEW_TYPE = 'oomscope.workloadMemory';

/** What a workload panel shows; enough to run the analysis again after a reload. */
export interface WorkloadTarget {
  kind: 'workload';
  context: string;
  workload: WorkloadRef;
  /** Window length, ms. */
  sinceMs: number;
}

export interface WorkloadKillRow {
  id: string;
  kind: 'oom' | 'eviction';
  t: number | null;
  class: OomClass;
  /** Plain words, e.g. "hit its own 256Mi limit". */
  classText: string;
  pod: string | null;
  node: string | null;
  container: string | null;
  containerType: ContainerType | null;
  qosClass: QosClass | null;
  limitBytes: number | null;
  workingSetAtKillBytes: number | null;
  precededBy: PrecededBy;
  /** e.g. "thrashing for 2m 10s before the kill". */
  precededText: string;
  nodePressure: { someMaxPercent: number; fullMaxPercent: number | null } | null;
  evidence: string[];
  foundIn: string[];
}

export interface WorkloadContainerRow {
  name: string;
  containerType: ContainerType;
  requestBytes: number | null;
  limitBytes: number | null;
  workingSet: { p50: number; p95: number; max: number } | null;
  atKills: { t: number | null; bytes: number | null }[];
}

export interface WorkloadPodRow {
  name: string;
  node: string | null;
  phase: string | null;
  restarts: number;
  live: boolean;
}

/** One working-set line of the chart: a container of the workload, with its own request and limit. */
export interface WorkloadLine {
  scope: string;
  label: string;
  points: MemoryPoint[];
  requestBytes?: number;
  limitBytes?: number;
}

export interface WorkloadNodeRow {
  name: string;
  present: boolean;
  /** At most a few names; `podCount` is the whole count. */
  pods: string[];
  podCount: number;
  /** Node PSI, percent; empty when none (or beyond the nodes drawn). */
  pressure: { t: number; some: number; full: number | null }[];
}

export interface WorkloadSnapshot {
  /** "Deployment/api · namespace shop · context kind-demo". */
  title: string;
  target: WorkloadTarget;
  generatedAt: number;
  since: number;
  /** "24 h". */
  windowLabel: string;
  precursorWindowSeconds: number;
  selector: string | null;
  qosClass: QosClass | null;
  sources: Record<string, SourceState>;
  ooms: WorkloadKillRow[];
  evictions: WorkloadKillRow[];
  containers: WorkloadContainerRow[];
  pods: WorkloadPodRow[];
  series: WorkloadLine[];
  nodes: WorkloadNodeRow[];
  disagreements: { pod: string; container: string | null; sentence: string }[];
  /** The analysis' notes, then what this snapshot left out to stay small. */
  notes: string[];
}

/** Extension → workload view. */
export type HostToWorkload =
  | { type: 'workloadSnapshot'; snapshot: WorkloadSnapshot }
  | { type: 'status'; text: string; busy: boolean }
  | { type: 'error'; text: string };

/** Workload view → extension. */
export type WorkloadToHost = { type: 'ready' } | { type: 'refresh' };

/** What the workload view keeps with setState (the target; data is fetched again). */
export interface WorkloadViewState {
  view: 'workload';
  target: WorkloadTarget | null;
}
