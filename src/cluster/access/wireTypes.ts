/** The parts of Kubernetes API objects the cluster layer reads (wire shapes, all optional). */
import { memoryBytes, parseQuantity } from '../../core/quantity';

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  ownerReferences?: { apiVersion?: string; kind?: string; name?: string; uid?: string; controller?: boolean }[];
  creationTimestamp?: string;
}

export interface WireNode {
  metadata?: ObjectMeta;
  status?: {
    capacity?: Record<string, string>;
    allocatable?: Record<string, string>;
    conditions?: { type?: string; status?: string; reason?: string; message?: string; lastTransitionTime?: string }[];
    /** `swap.capacity`: NodeSwapStatus (core/v1 NodeSystemInfo, 1.30+), bytes; absent without swap or on older nodes. */
    nodeInfo?: { kubeletVersion?: string; swap?: { capacity?: number } };
  };
}

export interface WireTerminated {
  reason?: string;
  exitCode?: number;
  startedAt?: string;
  finishedAt?: string;
  message?: string;
  containerID?: string;
}

export interface WireResources {
  requests?: Record<string, string>;
  limits?: Record<string, string>;
}

/** A pod condition (PodResizePending, PodResizeInProgress, …; staging/src/k8s.io/api/core/v1/types.go PodCondition). */
export interface WireCondition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface WireContainerStatus {
  name?: string;
  /** The resources in force (in-place resize, KEP-1287, GA 1.35); absent on older servers. */
  resources?: WireResources;
  restartCount?: number;
  containerID?: string;
  state?: { terminated?: WireTerminated; waiting?: { reason?: string }; running?: { startedAt?: string } };
  lastState?: { terminated?: WireTerminated };
}

export interface WireContainer {
  name?: string;
  restartPolicy?: string;
  resources?: WireResources;
}

export interface WirePod {
  metadata?: ObjectMeta;
  spec?: {
    nodeName?: string;
    containers?: WireContainer[];
    /** Init containers; those with `restartPolicy: Always` are sidecars (KEP-753, GA 1.33). */
    initContainers?: WireContainer[];
    ephemeralContainers?: WireContainer[];
    /** Pod-level resources (KEP-2837, beta and on since 1.34). */
    resources?: WireResources;
    /** Critical pods (system-node-critical / system-cluster-critical) never swap (kubelet `IsCriticalPod`). */
    priorityClassName?: string;
    priority?: number;
  };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    qosClass?: string;
    startTime?: string;
    containerStatuses?: WireContainerStatus[];
    initContainerStatuses?: WireContainerStatus[];
    ephemeralContainerStatuses?: WireContainerStatus[];
    conditions?: WireCondition[];
  };
}

export interface WireEvent {
  metadata?: ObjectMeta;
  involvedObject?: { kind?: string; name?: string; namespace?: string; uid?: string };
  reason?: string;
  message?: string;
  type?: string;
  source?: { component?: string; host?: string };
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  count?: number;
  reportingInstance?: string;
}

export interface WirePsi {
  total?: number;
  avg10?: number;
  avg60?: number;
  avg300?: number;
}

export interface WireMemoryStats {
  time?: string;
  availableBytes?: number;
  usageBytes?: number;
  workingSetBytes?: number;
  rssBytes?: number;
  majorPageFaults?: number;
  psi?: { some?: WirePsi; full?: WirePsi };
}

/** Summary API SwapStats (staging/src/k8s.io/kubelet/pkg/apis/stats/v1alpha1/types.go, since 1.28). */
export interface WireSwapStats {
  time?: string;
  swapAvailableBytes?: number;
  swapUsageBytes?: number;
}

export interface WireSummary {
  node?: { nodeName?: string; memory?: WireMemoryStats; swap?: WireSwapStats };
  pods?: {
    podRef?: { name?: string; namespace?: string; uid?: string };
    memory?: WireMemoryStats;
    swap?: WireSwapStats;
    containers?: { name?: string; memory?: WireMemoryStats; swap?: WireSwapStats }[];
  }[];
}

/**
 * A memory quantity from the API ("16Gi", "3936948Ki", "1e9", "128M") → bytes, read by the one
 * quantity parser (core/quantity.ts) as Kubernetes reads it (fractions rounded up); null when absent,
 * invalid, negative or beyond int64.
 */
export function wireMemoryBytes(q: string | undefined): number | null {
  if (q === undefined) return null;
  const p = parseQuantity(q.trim());
  if (!p.ok) return null;
  const b = memoryBytes(p.quantity);
  return b.bytes === null ? null : Number(b.bytes);
}

export function timeMs(s: string | null | undefined): number | null {
  if (!s) return null;
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : t;
}

/**
 * The fields of KubeletConfiguration (staging/src/k8s.io/kubelet/config/v1beta1/types.go, json names)
 * the verdicts read, as the configz endpoint wraps it.
 */
export interface WireKubeletConfig {
  kubeReserved?: Record<string, string>;
  systemReserved?: Record<string, string>;
  evictionHard?: Record<string, string>;
  evictionSoft?: Record<string, string>;
  enforceNodeAllocatable?: string[];
  memorySwap?: { swapBehavior?: string };
  failSwapOn?: boolean;
  singleProcessOOMKill?: boolean;
  memoryThrottlingFactor?: number;
  memoryReservationPolicy?: string;
  featureGates?: Record<string, boolean>;
}

export interface WireConfigz {
  kubeletconfig?: WireKubeletConfig;
}
