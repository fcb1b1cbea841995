/**
 * What the kubelet writes into a container's cgroup beside memory.max: the swap limit on a LimitedSwap node
 * (NodeSwap, KEP-2400, GA 1.34) and memory.high with the MemoryQoS gate (KEP-2570, alpha). Both follow
 * kubernetes pkg/kubelet/kuberuntime/kuberuntime_container_linux.go: `GetContainerSwapBehavior` +
 * `calcSwapForBurstablePods`, and `generateLinuxContainerResources` (the MemoryQoS block). Pure: used by the
 * cluster layer and, later, the manifest hover.
 */
import type { QosClass } from './qosClass';

/** The priority the two critical classes carry (pkg/apis/scheduling SystemCriticalPriority); `IsCriticalPod`. */
export const SYSTEM_CRITICAL_PRIORITY = 2_000_000_000;
const CRITICAL_CLASSES = new Set(['system-node-critical', 'system-cluster-critical']);

export interface SwapInput {
  /** memorySwap.swapBehavior from configz ("NoSwap", "LimitedSwap"; unset = NoSwap). */
  swapBehavior: string | null;
  podQos: QosClass | null;
  /** The container's spec request and limit (bytes; null = unset). */
  requestBytes: number | null;
  limitBytes: number | null;
  /** spec.priorityClassName / spec.priority: critical pods never swap. */
  priorityClassName: string | null;
  priority: number | null;
  /** The node's memory (machine info MemoryCapacity = status.capacity.memory) and swap capacity. */
  nodeMemoryBytes: number | null;
  nodeSwapBytes: number | null;
}

/** Why a container gets no swap, or null when it gets its share. */
export function noSwapReason(i: SwapInput): string | null {
  if (i.swapBehavior !== 'LimitedSwap') return `swapBehavior ${i.swapBehavior ?? 'NoSwap (default)'}`;
  if (
    (i.priorityClassName !== null && CRITICAL_CLASSES.has(i.priorityClassName)) ||
    (i.priority ?? 0) >= SYSTEM_CRITICAL_PRIORITY
  )
    return 'critical pod';
  if (i.podQos !== 'Burstable') return `${i.podQos ?? 'unknown QoS'} pod`;
  if (!i.requestBytes && !i.limitBytes) return 'no memory request or limit';
  if ((i.requestBytes ?? 0) === (i.limitBytes ?? 0)) return 'request equals limit';
  return null;
}

/**
 * The container's memory.swap.max in bytes: request / node memory × node swap for a Burstable container on a
 * LimitedSwap node (truncated, as `int64(swapAllocation)`), 0 for every other container; null when the node's
 * memory or swap is unknown. A request above the node's memory is refused by the kubelet (no swap).
 */
export function swapLimitBytes(i: SwapInput): number | null {
  if (noSwapReason(i) !== null) return 0;
  if (i.nodeMemoryBytes === null || i.nodeSwapBytes === null) return null;
  const req = i.requestBytes ?? 0;
  if (i.nodeMemoryBytes <= 0 || req > i.nodeMemoryBytes) return 0;
  return Math.trunc((req / i.nodeMemoryBytes) * i.nodeSwapBytes);
}

/** Linux's page size on the nodes the kubelet runs on (x86-64, most arm64); `os.Getpagesize()` in the kubelet. */
export const PAGE_SIZE = 4096;
/** memoryThrottlingFactor's default (KubeletConfiguration; KEP-2570 since 1.27). */
export const DEFAULT_THROTTLING_FACTOR = 0.9;

/**
 * memory.high with MemoryQoS on (cgroup v2): floor((request + factor × (limit or node allocatable − request)) /
 * pageSize) × pageSize. Not set (null) when request equals limit (Guaranteed containers), when neither a limit nor
 * the allocatable is known, or when the result is not above the request. The kubelet reads the container's own
 * spec limit here, not the pod-level one.
 */
export function memoryHighBytes(
  requestBytes: number | null,
  limitBytes: number | null,
  allocatableBytes: number | null,
  factor: number | null,
): number | null {
  const req = requestBytes ?? 0;
  const lim = limitBytes ?? 0;
  if (req === lim) return null;
  const top = lim !== 0 ? lim : (allocatableBytes ?? 0);
  if (top <= 0) return null;
  const f = factor ?? DEFAULT_THROTTLING_FACTOR;
  const high = Math.floor((req + (top - req) * f) / PAGE_SIZE) * PAGE_SIZE;
  return high > req ? high : null;
}
