/**
 * Swap and Memory QoS per container (issue 14 §7): the swap limit the kubelet gives each container on a
 * LimitedSwap node, the swap it uses (Summary API `swap`, since 1.28), and where memory.high throttles it with
 * MemoryQoS on (formulas: core/kubeletMemory.ts). Node swap capacity: `status.nodeInfo.swap.capacity` (1.30+),
 * else the Summary API's swapAvailableBytes + swapUsageBytes.
 */
import { memoryHighBytes, noSwapReason, swapLimitBytes } from '../../core/kubeletMemory';
import type { QosClass } from '../../core/qosClass';
import { containerScope, podScope } from '../../shared/scopes';
import { wireMemoryBytes, type WireNode, type WirePod, type WireSummary } from '../access/wireTypes';
import type { KubeletInfo } from './kubeletConfig';
import { podContainers } from './podContainers';

/** The node's swap; null fields unknown. */
export interface NodeSwap {
  behavior: string | null;
  capacityBytes: number | null;
  usageBytes: number | null;
}

/** One container's memory controls besides memory.max (docs/cli.md `containers`). */
export interface ContainerMemoryControls {
  namespace: string;
  pod: string;
  container: string;
  qosClass: QosClass | null;
  /** memory.swap.max: 0 = no swap; null = unknown (node swap or memory unknown, or configz unreadable). */
  swapLimitBytes: number | null;
  /** Why the container gets no swap ("BestEffort pod", "critical pod", …); null when it has its share. */
  noSwapReason: string | null;
  /** Swap in use now (Summary API); null when not reported. */
  swapUsageBytes: number | null;
  /** memory.high with MemoryQoS on; null when off, unknown or not set for this container. */
  memoryHighBytes: number | null;
  /** The latest working set (Summary API), to say whether memory.high throttles now. */
  workingSetBytes: number | null;
}

const finite = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) && x >= 0 ? x : null);

export function nodeSwapOf(node: WireNode | null, summary: WireSummary | null, kubelet: KubeletInfo): NodeSwap {
  const s = summary?.node?.swap;
  const avail = finite(s?.swapAvailableBytes);
  const used = finite(s?.swapUsageBytes);
  const fromNode = finite(node?.status?.nodeInfo?.swap?.capacity);
  return {
    behavior: kubelet.swapBehavior,
    capacityBytes: fromNode ?? (avail !== null && used !== null ? avail + used : null),
    usageBytes: used,
  };
}

function summaryByContainer(summary: WireSummary | null): Map<string, { swap: number | null; ws: number | null }> {
  const out = new Map<string, { swap: number | null; ws: number | null }>();
  for (const p of summary?.pods ?? []) {
    const ns = p.podRef?.namespace;
    const name = p.podRef?.name;
    if (!ns || !name) continue;
    for (const c of p.containers ?? [])
      if (c.name)
        out.set(containerScope(ns, name, c.name), {
          swap: finite(c.swap?.swapUsageBytes),
          ws: finite(c.memory?.workingSetBytes),
        });
  }
  return out;
}

/** Every running container's swap limit, swap in use and memory.high. */
export function memoryControlsOf(
  pods: WirePod[],
  node: WireNode | null,
  summary: WireSummary | null,
  kubelet: KubeletInfo,
  swap: NodeSwap,
): ContainerMemoryControls[] {
  const nodeMemory = wireMemoryBytes(node?.status?.capacity?.memory);
  const allocatable = wireMemoryBytes(node?.status?.allocatable?.memory);
  const usage = summaryByContainer(summary);
  const out: ContainerMemoryControls[] = [];
  for (const p of pods) {
    const ns = p.metadata?.namespace ?? '';
    const podName = p.metadata?.name ?? '';
    const q = p.status?.qosClass;
    const qos: QosClass | null = q === 'Guaranteed' || q === 'Burstable' || q === 'BestEffort' ? q : null;
    for (const c of podContainers(p)) {
      if (c.type !== 'container' && c.type !== 'sidecar') continue;
      // The kubelet reads the container's own resources (the allocated ones after a resize), not the pod's.
      const res = c.status?.resources ?? c.spec?.resources;
      const requestBytes = wireMemoryBytes(res?.requests?.memory) ?? wireMemoryBytes(res?.limits?.memory);
      const limitBytes = wireMemoryBytes(res?.limits?.memory);
      const input = {
        swapBehavior: kubelet.source === 'configz' ? (kubelet.swapBehavior ?? 'NoSwap') : null,
        podQos: qos,
        requestBytes,
        limitBytes,
        priorityClassName: p.spec?.priorityClassName ?? null,
        priority: typeof p.spec?.priority === 'number' ? p.spec.priority : null,
        nodeMemoryBytes: nodeMemory,
        nodeSwapBytes: swap.capacityBytes,
      };
      const u = usage.get(containerScope(ns, podName, c.name));
      out.push({
        namespace: ns,
        pod: podName,
        container: c.name,
        qosClass: qos,
        swapLimitBytes: kubelet.source === 'configz' ? swapLimitBytes(input) : null,
        noSwapReason: kubelet.source === 'configz' ? noSwapReason(input) : null,
        swapUsageBytes: u?.swap ?? null,
        memoryHighBytes:
          kubelet.memoryQoS === true
            ? memoryHighBytes(requestBytes, limitBytes, allocatable, kubelet.memoryThrottlingFactor)
            : null,
        workingSetBytes: u?.ws ?? null,
      });
    }
  }
  return out;
}

/** Containers at or above their memory.high now: throttled by their own memory.high (self-inflicted pressure). */
export function memoryHighWords(controls: ContainerMemoryControls[]): string[] {
  return controls
    .filter((c) => c.memoryHighBytes !== null && c.workingSetBytes !== null && c.workingSetBytes >= c.memoryHighBytes)
    .map(
      (c) =>
        `${c.namespace}/${c.pod}/${c.container}: working set at its memory.high (MemoryQoS) — the kernel throttles and reclaims it there, below its limit: self-inflicted pressure, not node pressure.`,
    );
}

/** Adds memory.high and the swap limit / swap in use to each container's series (the panel draws them as lines). */
export function withControlLines(
  series: { scope: string; memoryHighBytes?: number; swapLimitBytes?: number; swapUsageBytes?: number }[],
  controls: ContainerMemoryControls[],
): void {
  const byScope = new Map(controls.map((c) => [containerScope(c.namespace, c.pod, c.container), c]));
  // A pod of one container: its pod series (the one the panel's working-set chart shows) gets the same lines.
  const perPod = new Map<string, ContainerMemoryControls[]>();
  for (const c of controls)
    perPod.set(podScope(c.namespace, c.pod), [...(perPod.get(podScope(c.namespace, c.pod)) ?? []), c]);
  for (const [scope, list] of perPod) if (list.length === 1) byScope.set(scope, list[0]!);
  for (const s of series) {
    const c = byScope.get(s.scope);
    if (!c) continue;
    if (c.memoryHighBytes !== null) s.memoryHighBytes = c.memoryHighBytes;
    if (c.swapLimitBytes) s.swapLimitBytes = c.swapLimitBytes;
    if (c.swapUsageBytes !== null && (c.swapLimitBytes || c.swapUsageBytes > 0)) s.swapUsageBytes = c.swapUsageBytes;
  }
}
