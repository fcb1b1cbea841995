/**
 * The fleet model of the test API server's multi-node scenarios (`fleet`, `fleet-scale`): GENERATED data, pure, times
 * in epoch ms relative to `now` (the server's start time; the window is the 24 h before it). The API server
 * (fleetRoutes.ts) serves its live part, fleetMetrics.ts prints its history as Prometheus scraped it.
 */
import type { OomClass } from '../core/oom/verdictTypes';
import type { Psi } from './fleetCurves';

export type FleetName = 'fleet' | 'fleet-scale';

export interface FleetScaleOptions {
  nodes?: number;
  pods?: number;
  events?: number;
  workloads?: number;
}

export interface FleetNode {
  name: string;
  uid: string;
  /** false: deleted (drained, replaced); not in /api/v1/nodes, its pods and series only in Prometheus. */
  present: boolean;
  createdMs: number;
  /** When it was deleted (its series stop there); null while present. */
  deletedMs: number | null;
  capacityBytes: number;
  allocatableBytes: number;
  /** Swap on the node (NodeSwap, GA 1.34): its size and the kubelet's memorySwap.swapBehavior; absent: none. */
  swap?: { capacityBytes: number; behavior: 'LimitedSwap' | 'NoSwap' };
  internalIP: string;
  /** Node memory PSI (node-exporter /proc/pressure/memory). */
  psi: Psi;
  /** node_vmstat_pgmajfault at createdMs and its rate per second outside pressure. */
  majfaultPerSecond: number;
}

export interface FleetOwner {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
}

export interface FleetContainer {
  name: string;
  /** 'sidecar': a native sidecar (spec.initContainers with restartPolicy Always, KEP-753). */
  type: 'container' | 'sidecar';
  image: string;
  request: string | null;
  limit: string | null;
  requestBytes: number | null;
  limitBytes: number | null;
  workingSetMi(tMs: number): number;
  /** The container cgroup's memory PSI (cAdvisor container_pressure_memory_*). */
  psi: Psi;
}

export interface FleetWorkload {
  kind: 'Deployment' | 'ReplicaSet' | 'StatefulSet' | 'DaemonSet' | 'Job' | 'CronJob';
  name: string;
  namespace: string;
  uid: string;
  /** The selector's matchLabels (the pods' labels include them). */
  selector: Record<string, string>;
  /** Its controller (ReplicaSet → Deployment, Job → CronJob); null at the top. */
  owner: FleetOwner | null;
  /** The pod template's containers (name, type, request, limit). */
  containers: Pick<FleetContainer, 'name' | 'type' | 'image' | 'request' | 'limit'>[];
  replicas: number;
  createdMs: number;
  /** false: deleted (a CronJob's old Job); only in Prometheus. */
  live: boolean;
}

export interface FleetPod {
  name: string;
  uid: string;
  namespace: string;
  node: string;
  labels: Record<string, string>;
  /** The controller chain, nearest first (ReplicaSet, Deployment). */
  owners: FleetOwner[];
  containers: FleetContainer[];
  qos: 'Guaranteed' | 'Burstable' | 'BestEffort';
  restartPolicy: 'Always' | 'OnFailure' | 'Never';
  startMs: number;
  /** When the pod object was deleted (its series stop); null: still in the API server. */
  endMs: number | null;
  /** Still in the API server (endMs null). */
  live: boolean;
  hostIP: string;
  podIP: string;
}

export interface FleetKill {
  namespace: string;
  pod: string;
  node: string;
  container: string;
  tMs: number;
  reason: 'OOMKilled' | 'Evicted';
  exitCode: 137;
  /** The class the verdict engine should find. */
  class: OomClass;
  /** Evictions: the working set the kubelet reported in its message, bytes. */
  usageBytes?: number;
}

export interface FleetEvent {
  kind: 'Pod' | 'Node' | 'Job' | 'CronJob';
  name: string;
  namespace: string;
  uid: string;
  apiVersion: string;
  reason: string;
  type: 'Normal' | 'Warning';
  component: string;
  host: string;
  message: string;
  tMs: number;
}

export interface Fleet {
  name: FleetName;
  /** The server's start: the window's end. */
  now: number;
  nodes: FleetNode[];
  workloads: FleetWorkload[];
  podCount: number;
  /** The i-th pod (0 ≤ i < podCount), built on demand (the scale fleet keeps no pod objects). */
  pod(i: number): FleetPod;
  /** The indices of a namespace's pods, when the fleet can say without building them (else every pod is looked at). */
  podsInNamespace?(namespace: string): number[];
  /** A pod by namespace and name, live or not. */
  findPod(namespace: string, name: string): FleetPod | undefined;
  /** Every kill over the window (and before it), in time order. */
  kills: FleetKill[];
  /** Events ever recorded, the TTL not applied (the API server drops those older than 1 h). */
  eventCount: number;
  event(i: number): FleetEvent;
}

export const MI = 1024 * 1024;
export const HOUR = 3600_000;
export const MINUTE = 60_000;
/** The API server's event TTL (kube-apiserver --event-ttl, default 1h0m0s). */
export const EVENT_TTL_MS = HOUR;
/** How long after a kill the kubelet had the container running again (restartPolicy Always). */
export const RESTART_DELAY_MS = 10_000;
