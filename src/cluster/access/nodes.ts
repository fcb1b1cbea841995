import type { ClusterAccess, NodeListItem, Result } from './accessTypes';
import type { NodeCondition, NodeInfo } from './accessTypes';
import { listAll, requestJson } from './http';
import { wireMemoryBytes, timeMs, type WireNode } from './wireTypes';

function condition(n: WireNode, type: string): NodeCondition | null {
  const c = n.status?.conditions?.find((x) => x.type === type);
  return c ? { status: c.status ?? 'Unknown', since: timeMs(c.lastTransitionTime), reason: c.reason ?? null } : null;
}

export function toNodeInfo(n: WireNode): NodeInfo {
  return {
    name: n.metadata?.name ?? '',
    capacityBytes: wireMemoryBytes(n.status?.capacity?.memory),
    allocatableBytes: wireMemoryBytes(n.status?.allocatable?.memory),
    memoryPressure: condition(n, 'MemoryPressure'),
    // KEP-5394 condition types (kubelet pkg/kubelet/nodestatus PSI conditions, alpha 1.36).
    systemMemoryContentionPressure: condition(n, 'SystemMemoryContentionPressure'),
    kubepodsMemoryContentionPressure: condition(n, 'KubepodsMemoryContentionPressure'),
    kubeletVersion: n.status?.nodeInfo?.kubeletVersion ?? null,
  };
}

function toListItem(n: WireNode): NodeListItem {
  const info = toNodeInfo(n);
  const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
  return {
    name: info.name,
    memoryPressure: info.memoryPressure?.status ?? null,
    systemMemoryContentionPressure: info.systemMemoryContentionPressure?.status ?? null,
    kubepodsMemoryContentionPressure: info.kubepodsMemoryContentionPressure?.status ?? null,
    capacityBytes: info.capacityBytes,
    allocatableBytes: info.allocatableBytes,
    ready: ready ? ready.status === 'True' : null,
    kubeletVersion: info.kubeletVersion,
  };
}

/** Every node of the cluster (paged), for the node picker. */
export async function listNodes(access: ClusterAccess, signal?: AbortSignal): Promise<Result<NodeListItem[]>> {
  const r = await listAll<WireNode>(access, {
    path: '/api/v1/nodes',
    verb: 'list',
    resource: 'nodes',
    what: 'listing nodes',
    signal,
  });
  if (!r.ok) return r;
  return { ok: true, value: r.value.map(toListItem).sort((a, b) => a.name.localeCompare(b.name)) };
}

export async function getNode(access: ClusterAccess, node: string, signal?: AbortSignal): Promise<Result<WireNode>> {
  const r = await requestJson<WireNode>(access, {
    path: `/api/v1/nodes/${encodeURIComponent(node)}`,
    verb: 'get',
    resource: 'nodes',
    what: `reading node ${node}`,
    signal,
  });
  if (!r.ok && r.error.kind === 'not-found') {
    return {
      ok: false,
      error: {
        kind: 'not-found',
        message: `Node ${node} does not exist in context ${access.context}; list the nodes with \`kubectl get nodes\`.`,
      },
    };
  }
  return r;
}
