/** One fetch per data source of docs/data-sources.md; each returns a value, never throws. */
import type { ClusterAccess, Result } from './accessTypes';
import { listAll, requestJson, requestText } from './http';
import type { WireEvent, WirePod, WireSummary } from './wireTypes';

const enc = encodeURIComponent;

export function fetchPods(access: ClusterAccess, node: string, signal?: AbortSignal): Promise<Result<WirePod[]>> {
  return listAll<WirePod>(access, {
    path: `/api/v1/pods?fieldSelector=${enc(`spec.nodeName=${node}`)}`,
    verb: 'list',
    resource: 'pods',
    what: `listing the pods on node ${node}`,
    signal,
  });
}

/** Node events, then pod `Evicted` events (kept when reported by this node's kubelet). */
export async function fetchEvents(
  access: ClusterAccess,
  node: string,
  signal?: AbortSignal,
): Promise<Result<WireEvent[]>> {
  const spec = { verb: 'list', resource: 'events', signal };
  const [nodeEvents, evictions] = await Promise.all([
    listAll<WireEvent>(access, {
      ...spec,
      path: `/api/v1/events?fieldSelector=${enc(`involvedObject.kind=Node,involvedObject.name=${node}`)}`,
      what: `listing the events of node ${node}`,
    }),
    listAll<WireEvent>(access, {
      ...spec,
      path: `/api/v1/events?fieldSelector=${enc('involvedObject.kind=Pod,reason=Evicted')}`,
      what: 'listing pod eviction events',
    }),
  ]);
  if (!nodeEvents.ok) return nodeEvents;
  const pods = evictions.ok
    ? evictions.value.filter((e) => e.source?.host === node || e.reportingInstance === node)
    : [];
  return { ok: true, value: [...nodeEvents.value, ...pods] };
}

const proxyForbidden = 'Forbidden: reading PSI needs `get` on `nodes/proxy`; showing events and pod status only.';

export function fetchSummary(access: ClusterAccess, node: string, signal?: AbortSignal): Promise<Result<WireSummary>> {
  return requestJson<WireSummary>(access, {
    path: `/api/v1/nodes/${enc(node)}/proxy/stats/summary`,
    verb: 'get',
    resource: 'nodes/proxy',
    what: `reading the kubelet Summary API of node ${node}`,
    forbidden: proxyForbidden,
    signal,
  });
}

export function fetchCadvisor(access: ClusterAccess, node: string, signal?: AbortSignal): Promise<Result<string>> {
  return requestText(access, {
    path: `/api/v1/nodes/${enc(node)}/proxy/metrics/cadvisor`,
    verb: 'get',
    resource: 'nodes/proxy',
    what: `reading the cAdvisor metrics of node ${node}`,
    forbidden: proxyForbidden,
    accept: 'text/plain',
    signal,
  });
}

export interface NodeMetrics {
  usage?: { memory?: string };
  timestamp?: string;
}

export async function fetchNodeMetrics(
  access: ClusterAccess,
  node: string,
  signal?: AbortSignal,
): Promise<Result<NodeMetrics>> {
  const r = await requestJson<NodeMetrics>(access, {
    path: `/apis/metrics.k8s.io/v1beta1/nodes/${enc(node)}`,
    verb: 'get',
    resource: 'nodes.metrics.k8s.io',
    what: `reading metrics.k8s.io for node ${node}`,
    signal,
  });
  if (!r.ok && r.error.kind === 'not-found') {
    return {
      ok: false,
      error: {
        kind: 'not-found',
        message: 'metrics.k8s.io is not served (no metrics-server); install metrics-server for current usage.',
      },
    };
  }
  return r;
}
