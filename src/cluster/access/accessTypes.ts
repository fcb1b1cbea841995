/**
 * API access: the results of calls to the API server (failures as values), the options of a
 * context, and a loaded context. Nothing here carries kubeconfig contents, tokens or certificates.
 */

/** What went wrong, as a kind (for code) and one actionable sentence (for people). */
export type ClusterErrorKind =
  'unauthorized' | 'forbidden' | 'not-found' | 'timeout' | 'unreachable' | 'bad-response' | 'error';

export interface ClusterError {
  kind: ClusterErrorKind;
  /** One actionable sentence; never contains a token, a certificate or kubeconfig contents. */
  message: string;
}

/** Every cluster call returns a value: failures are data, never exceptions. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ClusterError };

/** Options common to every call against one context. */
export interface ClusterOptions {
  /** Path from the `oomscope.kubeconfig` user setting; else KUBECONFIG, else ~/.kube/config. */
  kubeconfigPath?: string;
  /** Context name; default: the kubeconfig's current context. */
  context?: string;
  /** Per-request timeout (`oomscope.cluster.requestTimeoutMs`), default 10000. */
  requestTimeoutMs?: number;
  /** Requests in flight at most, default 8. */
  maxInFlight?: number;
}

/** A kube context as the picker shows it. */
export interface ContextInfo {
  name: string;
  cluster: string;
  user: string;
  namespace: string | null;
  current: boolean;
}

/**
 * A loaded kube context, ready for requests. Opaque: pass it back to the functions of
 * src/cluster/index.ts. `context` and `server` are safe to show.
 */
export interface ClusterAccess {
  readonly context: string;
  /** API server URL (no credentials). */
  readonly server: string;
  readonly requestTimeoutMs: number;
  /** Counts requests made and body bytes read, API server and Prometheus alike (for the benchmark and tests). */
  readonly stats: { requests: number; bytes: number };
  /** @internal the client-node KubeConfig and the request queue. */
  readonly internal: unknown;
}

/** One row of the node picker. */
export interface NodeListItem {
  name: string;
  /** MemoryPressure condition status: "True" | "False" | "Unknown" | null when absent. */
  memoryPressure: string | null;
  /** The PSI node conditions (KEP-5394, alpha 1.36, gate PSINodeCondition): status, or null when absent. */
  systemMemoryContentionPressure: string | null;
  kubepodsMemoryContentionPressure: string | null;
  capacityBytes: number | null;
  allocatableBytes: number | null;
  ready: boolean | null;
  kubeletVersion: string | null;
}

/** A node condition; `since` = lastTransitionTime. */
export interface NodeCondition {
  status: string;
  since: number | null;
  reason: string | null;
}

export interface NodeInfo {
  name: string;
  capacityBytes: number | null;
  allocatableBytes: number | null;
  /** The MemoryPressure condition; `since` = lastTransitionTime. */
  memoryPressure: NodeCondition | null;
  /** KEP-5394 (alpha 1.36): the system slice's / kubepods' memory PSI above the kubelet's threshold (avg10 and avg60). */
  systemMemoryContentionPressure: NodeCondition | null;
  kubepodsMemoryContentionPressure: NodeCondition | null;
  kubeletVersion: string | null;
}
