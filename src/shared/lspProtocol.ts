/**
 * The boundary between the extension (language client) and the language server. Everything
 * both sides must agree on lives here, once.
 */
import type { SeveritySetting } from '../core/manifest/findingTypes';
import type { ObservedWorkload } from '../core/manifest/observed';

/** `Diagnostic.source` of every OOMScope diagnostic; the status bar counts diagnostics by it. */
export const DIAGNOSTIC_SOURCE = 'oomscope';

/**
 * Server → client `workspace/configuration` request, `section` = this value, `scopeUri` = the
 * document. The client answers with one {@link WireAnalysisSettings} per item.
 */
export const CONFIGURATION_SECTION = 'oomscope';

/** A per-rule severity as the user writes it; `default` keeps the rule's own severity. */
export type SeverityChoice = SeveritySetting | 'default';

/**
 * Analysis settings as they travel over LSP (JSON, so quantities stay strings). Client → server,
 * as the answer to `workspace/configuration`. After a change of any `oomscope.*` setting the
 * client sends `workspace/didChangeConfiguration` (`settings: null`) and the server pulls again.
 */
export interface WireAnalysisSettings {
  /** ruleId → severity; missing ids keep their default. */
  severities: Record<string, SeverityChoice>;
  maxLimitRequestRatio: number;
  /** Node memory capacity as a Kubernetes quantity, e.g. "16Gi". */
  nodeMemoryCapacity: string;
  /** Memory quantity the "add request/limit" fixes insert, e.g. "256Mi". */
  defaultMemory: string;
}

/** `initializationOptions` the client may send with `initialize`. */
export interface ServerInitializationOptions {
  /** Quiet period after an edit burst before the document is analyzed again (ms). */
  debounceMs?: number;
  /** Uncached text (characters) from which a full analysis runs on worker threads. */
  parallelThresholdChars?: number;
}

/**
 * Client → server notification: the node of a node panel with a fresh analysis, or null when that panel
 * closes or its cluster stops answering. The server computes the Burstable `oom_score_adj` and the
 * LimitedSwap swap limit in the hover for this node instead of `oomscope.nodeMemoryCapacity`. Only node
 * facts cross: never a kubeconfig, a server address or a token.
 */
export const CONNECTED_NODE_NOTIFICATION = 'oomscope/connectedNode';

export interface WireConnectedNode {
  /** The kube context and node name, as shown in the panel. */
  context: string;
  node: string;
  /** status.capacity.memory in bytes. */
  capacityBytes: number;
  /** memorySwap.swapBehavior from configz; null when configz was unreadable. */
  swapBehavior: string | null;
  swapCapacityBytes: number | null;
}

export type ConnectedNodeParams = WireConnectedNode | null;

/**
 * Client → server notification: the observed usage of the workloads of the open manifests in the connected kube
 * context (the extension's background refresh; docs/cluster-diagnostics.md). Each notification replaces the last;
 * `workloads: []` clears them (`oomscope.cluster.diagnostics` off, the cluster offline or forbidden). The server
 * applies them with the cluster-aware rules and re-publishes only the documents whose workloads they concern.
 * Only usage and kill facts cross: never a kubeconfig, a server address or a token.
 */
export const OBSERVED_WORKLOADS_NOTIFICATION = 'oomscope/observedWorkloads';

export interface ObservedWorkloadsParams {
  /** The kube context observed, for the log. */
  context: string;
  /** The context's namespace: the one of a manifest object that names none. */
  defaultNamespace: string;
  workloads: ObservedWorkload[];
}
