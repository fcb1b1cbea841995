/**
 * Observed usage of a workload, as the cluster-aware rules read it (docs/rules/oom-killed-recently.md and its two
 * siblings). Data only, filled by the cluster layer (src/cluster/analysis/observedWorkload.ts maps a workload analysis
 * to it) or by tests; the core never fetches it. Times are epoch milliseconds, sizes bytes.
 */
import type { OomClass, PrecededBy } from '../killWords';

/** One OOM kill of a container, in the words the verdict engine gives it. */
export interface ObservedKill {
  /** null when no source dates it. */
  t: number | null;
  class: OomClass;
  precededBy: PrecededBy;
  /** How long the preceding phase lasted (s); null when none. */
  precedingSeconds: number | null;
  /** false when no PSI covered the kill: precededBy null then means "cannot tell", not "sudden". */
  precededJudged: boolean;
  /** The container's working set just before the kill; null when unknown. */
  workingSetBytes: number | null;
  /** The memory limit in force at the kill; null when unknown or none. */
  limitBytes: number | null;
  pod: string | null;
}

export interface ObservedContainer {
  name: string;
  /** Working-set percentiles over the window; null when no history covered the container. */
  p95Bytes: number | null;
  peakBytes: number | null;
  /** Its OOM kills in the window, oldest first. */
  kills: ObservedKill[];
}

/** A node that ran the workload, with its memory as the API server gives it (the hover's oom_score_adj and swap). */
export interface ObservedNode {
  name: string;
  capacityBytes: number;
  /** The kubelet's memorySwap.swapBehavior ("NoSwap", "LimitedSwap"); null when unknown or not read (no swap). */
  swapBehavior: string | null;
  swapCapacityBytes: number | null;
}

export interface ObservedWorkload {
  kind: string;
  name: string;
  namespace: string;
  /** The kube context it was observed in, for the messages. */
  context: string;
  /** When the observation was made (the window ends here). */
  generatedAt: number;
  windowHours: number;
  containers: ObservedContainer[];
  /** The nodes that ran it whose capacity is known (those the API server still has), by name. */
  nodes: ObservedNode[];
}

/**
 * The observation of a manifest object: same kind and name, and the same namespace, the object's own or
 * `defaultNamespace` (what `kubectl apply` would use) when it names none. null when there is none.
 */
export function observedFor(
  list: readonly ObservedWorkload[],
  obj: { kind: string; name: string | null; namespace: string | null },
  defaultNamespace: string,
): ObservedWorkload | null {
  if (obj.name === null) return null;
  const ns = obj.namespace ?? defaultNamespace;
  return list.find((w) => w.kind === obj.kind && w.name === obj.name && w.namespace === ns) ?? null;
}
