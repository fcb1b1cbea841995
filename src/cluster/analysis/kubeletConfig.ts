/**
 * The node's kubelet configuration (configz) reduced to what the verdicts read (the words that follow
 * from it are in memoryBudget.ts). Field names: staging/src/k8s.io/kubelet/config/v1beta1/types.go. The
 * kubepods cgroup's memory.max is capacity − system-reserved − kube-reserved, without the eviction
 * threshold (pkg/kubelet/cm/node_container_manager_linux.go `getNodeAllocatableAbsoluteImpl`), and is
 * set only when enforceNodeAllocatable holds "pods" (the default).
 */
import { wireMemoryBytes, type WireKubeletConfig } from '../access/wireTypes';

/** docs/cli.md `node.kubelet`: null fields are unknown (configz unreadable, or the field absent). */
export interface KubeletInfo {
  /** "configz" when read; null when configz could not be read (see sources.configz). */
  source: 'configz' | null;
  kubeReservedMemoryBytes: number | null;
  systemReservedMemoryBytes: number | null;
  /** The hard eviction threshold on memory.available as written ("100Mi", "5%"). */
  evictionHardMemoryAvailable: string | null;
  evictionSoftMemoryAvailable: string | null;
  enforceNodeAllocatable: string[] | null;
  /** capacity − systemReserved − kubeReserved when "pods" is enforced; null otherwise or unknown. */
  kubepodsLimitBytes: number | null;
  singleProcessOOMKill: boolean | null;
  swapBehavior: string | null;
  failSwapOn: boolean | null;
  memoryThrottlingFactor: number | null;
  memoryReservationPolicy: string | null;
  /** The MemoryQoS feature gate as configured; null when not set (alpha, off by default through 1.36). */
  memoryQoS: boolean | null;
  /** The PSINodeCondition feature gate (KEP-5394, alpha 1.36); null when not set. */
  psiNodeCondition: boolean | null;
}

export const UNKNOWN_KUBELET: KubeletInfo = {
  source: null,
  kubeReservedMemoryBytes: null,
  systemReservedMemoryBytes: null,
  evictionHardMemoryAvailable: null,
  evictionSoftMemoryAvailable: null,
  enforceNodeAllocatable: null,
  kubepodsLimitBytes: null,
  singleProcessOOMKill: null,
  swapBehavior: null,
  failSwapOn: null,
  memoryThrottlingFactor: null,
  memoryReservationPolicy: null,
  memoryQoS: null,
  psiNodeCondition: null,
};

const bool = (x: unknown): boolean | null => (typeof x === 'boolean' ? x : null);
const text = (x: unknown): string | null => (typeof x === 'string' ? x : null);
const map = (x: unknown): Record<string, unknown> =>
  x !== null && typeof x === 'object' && !Array.isArray(x) ? (x as Record<string, unknown>) : {};

/** A reservation's memory in bytes: 0 when the map has no memory (configz is the defaulted config: unset = none). */
function reserved(m: Record<string, unknown>): number | null {
  const q = m.memory;
  if (q === undefined) return 0;
  return typeof q === 'string' ? wireMemoryBytes(q) : null;
}

export function kubeletInfo(kc: WireKubeletConfig, capacityBytes: number | null): KubeletInfo {
  const kube = reserved(map(kc.kubeReserved));
  const system = reserved(map(kc.systemReserved));
  const enforce = Array.isArray(kc.enforceNodeAllocatable)
    ? kc.enforceNodeAllocatable.filter((x): x is string => typeof x === 'string')
    : null;
  // The kubelet defaults enforceNodeAllocatable to ["pods"]; configz shows the defaulted value.
  const podsEnforced = enforce === null || enforce.includes('pods');
  const gates = map(kc.featureGates);
  return {
    source: 'configz',
    kubeReservedMemoryBytes: kube,
    systemReservedMemoryBytes: system,
    evictionHardMemoryAvailable: text(map(kc.evictionHard)['memory.available']),
    evictionSoftMemoryAvailable: text(map(kc.evictionSoft)['memory.available']),
    enforceNodeAllocatable: enforce,
    kubepodsLimitBytes:
      podsEnforced && capacityBytes !== null && kube !== null && system !== null ? capacityBytes - system - kube : null,
    singleProcessOOMKill: bool(kc.singleProcessOOMKill),
    swapBehavior: text(map(kc.memorySwap).swapBehavior),
    failSwapOn: bool(kc.failSwapOn),
    memoryThrottlingFactor: typeof kc.memoryThrottlingFactor === 'number' ? kc.memoryThrottlingFactor : null,
    memoryReservationPolicy: text(kc.memoryReservationPolicy),
    memoryQoS: bool(gates.MemoryQoS),
    psiNodeCondition: bool(gates.PSINodeCondition),
  };
}
