/**
 * The memory and swap facts of the nodes that ran a workload (docs/workload.md "Containers and nodes"): one
 * GET /api/v1/nodes/{name} each, and the kubelet's configz only on a node that reports swap. A failed read leaves
 * the facts null; it never fails the analysis.
 */
import type { ClusterAccess } from '../access/accessTypes';
import { fetchConfigz } from '../access/fetchers';
import { getNode } from '../access/nodes';
import { wireMemoryBytes } from '../access/wireTypes';
import { kubeletInfo } from './kubeletConfig';

export interface NodeFacts {
  name: string;
  /** 'found': the API server has it; 'gone': it answered 404; 'unknown': the read failed otherwise. */
  state: 'found' | 'gone' | 'unknown';
  capacityBytes: number | null;
  swapCapacityBytes: number | null;
  swapBehavior: string | null;
}

const positive = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) && x > 0 ? x : null);

async function readOne(access: ClusterAccess, name: string, signal?: AbortSignal): Promise<NodeFacts> {
  const r = await getNode(access, name, signal);
  if (!r.ok)
    return {
      name,
      state: r.error.kind === 'not-found' ? 'gone' : 'unknown',
      capacityBytes: null,
      swapCapacityBytes: null,
      swapBehavior: null,
    };
  const capacityBytes = wireMemoryBytes(r.value.status?.capacity?.memory);
  // NodeSwapStatus.capacity (core/v1 NodeSystemInfo.swap, 1.30+): absent or 0 on a node without swap.
  const swapCapacityBytes = positive(r.value.status?.nodeInfo?.swap?.capacity);
  let swapBehavior: string | null = null;
  if (swapCapacityBytes !== null) {
    const c = await fetchConfigz(access, name, signal);
    // An empty memorySwap.swapBehavior is NoSwap (kubelet defaults, as swapQos.ts reads it for the node panel).
    if (c.ok) swapBehavior = kubeletInfo(c.value.kubeletconfig ?? {}, capacityBytes).swapBehavior || 'NoSwap';
  }
  return { name, state: 'found', capacityBytes, swapCapacityBytes, swapBehavior };
}

/** The facts of each named node, read in parallel (the caller bounds the list). */
export function readNodeFacts(
  access: ClusterAccess,
  names: readonly string[],
  signal?: AbortSignal,
): Promise<NodeFacts[]> {
  return Promise.all(names.map((n) => readOne(access, n, signal)));
}
