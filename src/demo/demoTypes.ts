/** The loopback test API server's public shape (used by tests, the benchmark and `npm start`). */
import type { DebugPodLog } from './debugPods';
import type { Fleet, FleetScaleOptions } from './fleetTypes';

export type ScenarioName =
  | 'thrash-then-system-oom'
  | 'container-limit-crashloop'
  | 'eviction-memory-pressure'
  | 'pre-1.33'
  | 'rbac-no-proxy'
  | 'quiet'
  | 'scale'
  | 'sidecar-oom'
  | 'resized-pod'
  | 'pod-level-limit'
  | 'drain-exit-143'
  | 'configz-reserved'
  | 'psi-conditions'
  | 'limited-swap'
  | 'memory-qos'
  | 'group-kill-events'
  | 'eviction-race'
  | 'fleet'
  | 'fleet-scale';

/** A fault injected on every request whose pathname equals `path` (a `*` matches anything; a trailing one: a prefix). */
export interface Fault {
  path: string;
  /** Only requests of this method (e.g. 'POST' for the create of a pod); default every method. */
  method?: string;
  kind: '403' | '500' | '404' | 'slow' | 'drop' | 'truncate';
  /** For 'slow': delay in ms (default 30000, beyond the client timeout). */
  delayMs?: number;
}

export interface ApiServerOptions {
  scenario: ScenarioName;
  /** Folder the kubeconfig is written into. */
  dir: string;
  port?: number;
  faults?: Fault[];
  /** For 'scale': pods on the node, node events, nodes in the cluster. */
  scale?: { pods?: number; events?: number; nodes?: number };
  /** For 'fleet-scale': nodes, pods, events, workloads (defaults 5,000, 150,000, 200,000, 2,000; fleetScale.ts). */
  fleet?: FleetScaleOptions;
  /** Virtual clock start (epoch ms), default Date.now() at start. */
  startTime?: number;
  /** Virtual seconds per step, default 10. */
  stepSeconds?: number;
  /**
   * Step the scenario starts at (default 0); the default startTime then lies that many steps in
   * the past, so virtual time ≈ wall time. E.g. 18 for `npm start`: Prometheus shows the build-up,
   * the first polls see the thrashing, the kill (step 21) follows a few polls later.
   */
  initialStep?: number;
  /** Each GET of a node's stats/summary advances one step (default true). */
  autoStep?: boolean;
  /** The kernel log fixture the node debug pod's log is made from (default: read from debugPods.ts KERNEL_LOG_FIXTURE). */
  kernelLog?: string;
  /**
   * A real Prometheus's base URL (http://127.0.0.1:PORT): the server then lists the monitoring/prometheus-k8s Service
   * in every scenario and its service proxy forwards to this URL; without it, the synthetic query_range answers stay.
   */
  prometheusUpstream?: string;
}

export interface ApiServer {
  url: string;
  kubeconfigPath: string;
  token: string;
  /** Context name written into the kubeconfig. */
  context: string;
  /** The node the scenario plays on. */
  node: string;
  /** Advance the scenario one step (virtual time + stepSeconds). */
  step(): void;
  readonly stepIndex: number;
  /** Current virtual time, epoch ms. */
  now(): number;
  setFaults(faults: Fault[]): void;
  /** Requests served so far, by path, and the bytes of the bodies sent (for tests and the benchmark). */
  readonly requests: { total: number; byPath: Record<string, number>; bytes: number };
  /** The fleet model of a fleet scenario (its history for Prometheus: fleetMetrics.ts); null otherwise. */
  readonly fleet: Fleet | null;
  /** The node debug pods' requests, creates and deletes; set `neverFinish` to keep them Running (debugPods.ts). */
  readonly debugPods: DebugPodLog;
  close(): Promise<void>;
}
