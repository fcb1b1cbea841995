/** One fetch per data source of docs/data-sources.md; each returns a value, never throws. */
import type { ClusterAccess, Result } from './accessTypes';
import { listAll, requestJson, requestText } from './http';
import type { WireConfigz, WireEvent, WirePod, WireSummary } from './wireTypes';

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

/**
 * The kubelet's live configuration: `GET /api/v1/nodes/{node}/proxy/configz`, answered by the kubelet's
 * /configz handler (pkg/kubelet/server/server.go) with what cmd/kubelet/app/server.go `initConfigz`
 * registered under "kubeletconfig": `{"kubeletconfig": <KubeletConfiguration v1beta1>}`.
 */
export async function fetchConfigz(
  access: ClusterAccess,
  node: string,
  signal?: AbortSignal,
): Promise<Result<WireConfigz>> {
  const r = await requestJson<WireConfigz>(access, {
    path: `/api/v1/nodes/${enc(node)}/proxy/configz`,
    verb: 'get',
    resource: 'nodes/proxy',
    what: `reading the kubelet configuration (configz) of node ${node}`,
    forbidden:
      'Forbidden: reading the kubelet configuration needs `get` on `nodes/proxy`; verdicts go without kube-/system-reserved, eviction thresholds and swap.',
    signal,
  });
  if (!r.ok && r.error.kind === 'not-found')
    return {
      ok: false,
      error: {
        kind: 'not-found',
        message: `The kubelet of node ${node} does not serve /configz; verdicts go without kube-/system-reserved, eviction thresholds and swap.`,
      },
    };
  if (r.ok && (typeof r.value !== 'object' || r.value === null || typeof r.value.kubeletconfig !== 'object'))
    return {
      ok: false,
      error: {
        kind: 'bad-response',
        message: `The kubelet of node ${node} answered /configz without a kubeletconfig object; verdicts go without kube-/system-reserved, eviction thresholds and swap.`,
      },
    };
  return r;
}
