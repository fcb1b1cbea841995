/**
 * The node's memory budget and the verdict words that follow from it (the one place for them). Capacity, less
 * system-reserved and kube-reserved, is the kubepods cgroup's memory.max (pkg/kubelet/cm/
 * node_container_manager_linux.go `getNodeAllocatableAbsoluteImpl`, without the eviction threshold); less the
 * hard eviction threshold too, it is node.status.allocatable (pkg/kubelet/cm/node_container_manager_linux.go
 * `GetNodeAllocatableReservation`; docs: reserve-compute-resources). The kubelet checks its eviction signals once
 * per `evictionMonitoringPeriod`, 10 s (pkg/kubelet/kubelet.go), so growth faster than the threshold per period
 * reaches the kernel's OOM killer before an eviction (kubernetes #31362).
 */
import { formatQuantity } from '../../core/quantity';
import type { NodeInfo } from '../access/accessTypes';
import { wireMemoryBytes } from '../access/wireTypes';
import type { KubeletInfo } from './kubeletConfig';
import type { KillRecord } from './nodeAnalysisTypes';

/** docs/cli.md `node.budget`: bytes, null when unknown. */
export interface MemoryBudget {
  capacityBytes: number | null;
  systemReservedBytes: number | null;
  kubeReservedBytes: number | null;
  /** The hard eviction threshold on memory.available, in bytes ("5%" of capacity resolved). */
  evictionHardBytes: number | null;
  /** node.status.allocatable; else capacity − reservations − the hard eviction threshold. */
  allocatableBytes: number | null;
  /** The kubepods cgroup's memory.max (capacity − reservations) when "pods" is enforced. */
  kubepodsLimitBytes: number | null;
  /** The node's latest working set (Summary API / cAdvisor). */
  workingSetBytes: number | null;
}

/** The kubelet's eviction monitoring period in seconds (pkg/kubelet/kubelet.go `evictionMonitoringPeriod`). */
export const EVICTION_MONITORING_SECONDS = 10;

/** How far before a kill the node's growth is looked at. */
const RACE_LOOKBACK_MS = 60_000;

/** "100Mi" → bytes; "5%" → that share of capacity; null when unknown or unreadable. */
export function thresholdBytes(q: string | null, capacityBytes: number | null): number | null {
  if (q === null) return null;
  const pct = /^\s*(\d+(?:\.\d+)?)%\s*$/.exec(q);
  if (pct) return capacityBytes === null ? null : Math.round((capacityBytes * Number(pct[1])) / 100);
  return wireMemoryBytes(q);
}

export function memoryBudget(
  node: NodeInfo | null,
  kubelet: KubeletInfo,
  nodeMemory: { t: number; workingSetBytes: number }[],
): MemoryBudget {
  const capacity = node?.capacityBytes ?? null;
  const sys = kubelet.systemReservedMemoryBytes;
  const kube = kubelet.kubeReservedMemoryBytes;
  const evict = thresholdBytes(kubelet.evictionHardMemoryAvailable, capacity);
  const computed =
    capacity !== null && sys !== null && kube !== null && evict !== null ? capacity - sys - kube - evict : null;
  return {
    capacityBytes: capacity,
    systemReservedBytes: sys,
    kubeReservedBytes: kube,
    evictionHardBytes: evict,
    allocatableBytes: node?.allocatableBytes ?? computed,
    kubepodsLimitBytes: kubelet.kubepodsLimitBytes,
    workingSetBytes: nodeMemory.at(-1)?.workingSetBytes ?? null,
  };
}

/** True when configz was read and neither kube- nor system-reserved holds any memory. */
export function noReservations(k: KubeletInfo): boolean {
  return k.source === 'configz' && k.kubeReservedMemoryBytes === 0 && k.systemReservedMemoryBytes === 0;
}

export const NO_RESERVED_WORDS =
  'no kube-/system-reserved: kubepods could take the whole node, so this was in effect a system OOM';

export const NO_RESERVED_SYSTEM_WORDS =
  'no kube-/system-reserved: kubepods could take the whole node, so the pods could run the node itself out of memory before any kubepods limit held';

const RACE_MARK = 'polled every ~';

/** "2.1 GiB" (binary units, as the kubelet's quantities). */
const gib = (n: number): string => formatQuantity(n).replace(/([KMGT]i)$/, ' $1B');

/**
 * "grew 2.1 GiB in 20 s; eviction threshold 100Mi, polled every ~10 s: the kernel acted first": a system or
 * node-allocatable OOM with no eviction in the minute before it, after the node's working set grew faster than
 * the hard eviction threshold per monitoring period. Null when it did not, or when the series or threshold is unknown.
 */
export function raceWords(
  kill: KillRecord,
  kubelet: KubeletInfo,
  budget: MemoryBudget,
  nodeMemory: { t: number; workingSetBytes: number }[],
  evictions: KillRecord[],
): string | null {
  if (kill.kind !== 'oom' || kill.t === null || (kill.class !== 'system' && kill.class !== 'node-allocatable'))
    return null;
  const t = kill.t;
  const threshold = budget.evictionHardBytes;
  if (threshold === null || kubelet.evictionHardMemoryAvailable === null) return null;
  if (evictions.some((e) => e.t !== null && e.t <= t && e.t >= t - RACE_LOOKBACK_MS)) return null;
  // Samples before the kill only: the one at the kill's own time may already be after it.
  const pts = nodeMemory.filter((p) => p.t < t && p.t >= t - RACE_LOOKBACK_MS);
  const last = pts.at(-1);
  if (!last || pts.length < 2) return null;
  let low = pts[0]!;
  for (const p of pts.slice(0, -1)) if (p.workingSetBytes <= low.workingSetBytes) low = p;
  const growth = last.workingSetBytes - low.workingSetBytes;
  const seconds = (last.t - low.t) / 1000;
  if (growth <= 0 || seconds <= 0) return null;
  if ((growth / seconds) * EVICTION_MONITORING_SECONDS < threshold) return null;
  return `grew ${gib(growth)} in ${Math.round(seconds)} s; eviction threshold ${kubelet.evictionHardMemoryAvailable}, ${RACE_MARK}${EVICTION_MONITORING_SECONDS} s: the kernel acted first`;
}

export interface BudgetContext {
  kubelet: KubeletInfo;
  budget: MemoryBudget;
  /** The node's working-set series (the analysis' `node` memory series). */
  nodeMemory: { t: number; workingSetBytes: number }[];
  evictions: KillRecord[];
}

/**
 * The words a kill's verdict gains from the node's budget, each once: no reservations (node-allocatable and
 * system OOMs), and the race against the eviction poll. Words from an earlier poll are replaced when they can be
 * computed again, else kept (a kill from history whose series is gone).
 */
export function withBudgetWords(kill: KillRecord, ctx: BudgetContext): KillRecord {
  const add: string[] = [];
  if (noReservations(ctx.kubelet)) {
    if (kill.class === 'node-allocatable') add.push(NO_RESERVED_WORDS);
    if (kill.class === 'system' && kill.kind === 'oom') add.push(NO_RESERVED_SYSTEM_WORDS);
  }
  const race = raceWords(kill, ctx.kubelet, ctx.budget, ctx.nodeMemory, ctx.evictions);
  const evidence = race ? kill.evidence.filter((e) => !e.includes(RACE_MARK)) : [...kill.evidence];
  for (const w of [...add, ...(race ? [race] : [])]) if (!evidence.includes(w)) evidence.push(w);
  return evidence.length === kill.evidence.length && evidence.every((e, i) => e === kill.evidence[i])
    ? kill
    : { ...kill, evidence };
}
