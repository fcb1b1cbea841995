/**
 * The API reads of a workload analysis (docs/workload.md "Requests"): the workload object, its pods through its own
 * label selector (server side, paged), the events of its namespace's pods, and the node OOM events by reason. Each
 * returns a value, never throws.
 */
import type { ClusterAccess, Result } from './accessTypes';
import { listAll, requestJson } from './http';
import type { WireEvent, WirePod } from './wireTypes';

const enc = encodeURIComponent;

/** A label selector as the API returns it (metav1.LabelSelector). */
export interface WireLabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key?: string; operator?: string; values?: string[] }[];
}

/** The parts of a workload object the analysis reads (apps/v1 and batch/v1 kinds; a core/v1 Pod). */
export interface WireWorkload {
  kind?: string;
  metadata?: { name?: string; namespace?: string; uid?: string; labels?: Record<string, string> };
  spec?: {
    selector?: WireLabelSelector;
    template?: { metadata?: { labels?: Record<string, string> } };
    jobTemplate?: { spec?: { template?: { metadata?: { labels?: Record<string, string> } } } };
  };
}

export interface WireJob {
  metadata?: {
    name?: string;
    uid?: string;
    ownerReferences?: { kind?: string; name?: string; uid?: string; controller?: boolean }[];
  };
}

/** The REST path of a kind's collection in a namespace (null for a kind the analysis does not know). */
export function collectionPath(kind: string, namespace: string): string | null {
  const ns = enc(namespace);
  switch (kind) {
    case 'Pod':
      return `/api/v1/namespaces/${ns}/pods`;
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
      return `/apis/apps/v1/namespaces/${ns}/${kind.toLowerCase()}s`;
    case 'Job':
      return `/apis/batch/v1/namespaces/${ns}/jobs`;
    case 'CronJob':
      return `/apis/batch/v1/namespaces/${ns}/cronjobs`;
    default:
      return null;
  }
}

export function fetchWorkload(
  access: ClusterAccess,
  kind: string,
  namespace: string,
  name: string,
  signal?: AbortSignal,
): Promise<Result<WireWorkload>> {
  const base = collectionPath(kind, namespace)!;
  return requestJson<WireWorkload>(access, {
    path: `${base}/${enc(name)}`,
    verb: 'get',
    resource: base.split('/').pop()!,
    what: `reading ${kind}/${name} in namespace ${namespace}`,
    signal,
  });
}

/**
 * metav1.LabelSelector → the `labelSelector` query string (k8s.io/apimachinery labels.Parse syntax:
 * `a=b,c in (d,e),f notin (g),h,!i`). Null when the selector selects nothing (no requirement at all).
 */
export function labelSelectorString(sel: WireLabelSelector | undefined): string | null {
  if (!sel) return null;
  const parts = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    if (!e.key) continue;
    const vals = (e.values ?? []).join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${vals})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${vals})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.length ? parts.join(',') : null;
}

/** The pods of a namespace that a label selector picks, paged (`limit`/`continue`). */
export function fetchPodsBySelector(
  access: ClusterAccess,
  namespace: string,
  selector: string,
  what: string,
  signal?: AbortSignal,
): Promise<Result<WirePod[]>> {
  return listAll<WirePod>(access, {
    path: `/api/v1/namespaces/${enc(namespace)}/pods?labelSelector=${enc(selector)}`,
    verb: 'list',
    resource: 'pods',
    what,
    signal,
  });
}

/** One pod by name (a bare Pod workload); not-found is an ok null (the pod is gone: its history may remain). */
export async function fetchPodByName(
  access: ClusterAccess,
  namespace: string,
  name: string,
  signal?: AbortSignal,
): Promise<Result<WirePod[]>> {
  const r = await requestJson<WirePod>(access, {
    path: `/api/v1/namespaces/${enc(namespace)}/pods/${enc(name)}`,
    verb: 'get',
    resource: 'pods',
    what: `reading pod ${name} in namespace ${namespace}`,
    signal,
  });
  if (!r.ok) return r.error.kind === 'not-found' ? { ok: true, value: [] } : r;
  return { ok: true, value: [r.value] };
}

/** The Jobs of a namespace a CronJob owns (by controller owner reference). */
export async function fetchJobsOf(
  access: ClusterAccess,
  namespace: string,
  cronJobUid: string,
  signal?: AbortSignal,
): Promise<Result<WireJob[]>> {
  const r = await listAll<WireJob>(access, {
    path: `/apis/batch/v1/namespaces/${enc(namespace)}/jobs`,
    verb: 'list',
    resource: 'jobs',
    what: `listing the Jobs in namespace ${namespace}`,
    signal,
  });
  if (!r.ok) return r;
  return { ok: true, value: r.value.filter((j) => j.metadata?.ownerReferences?.some((o) => o.uid === cronJobUid)) };
}

/** The events of a namespace's pods (field selector `involvedObject.kind=Pod`), paged. */
export function fetchPodEventsIn(
  access: ClusterAccess,
  namespace: string,
  signal?: AbortSignal,
): Promise<Result<WireEvent[]>> {
  return listAll<WireEvent>(access, {
    path: `/api/v1/namespaces/${enc(namespace)}/events?fieldSelector=${enc('involvedObject.kind=Pod')}`,
    verb: 'list',
    resource: 'events',
    what: `listing the pod events of namespace ${namespace}`,
    signal,
  });
}

/** Node events of one reason across the cluster (`OOMKilling`, `SystemOOM`): few, and the only node facts needed. */
export function fetchNodeEventsByReason(
  access: ClusterAccess,
  reason: string,
  signal?: AbortSignal,
): Promise<Result<WireEvent[]>> {
  return listAll<WireEvent>(access, {
    path: `/api/v1/events?fieldSelector=${enc(`involvedObject.kind=Node,reason=${reason}`)}`,
    verb: 'list',
    resource: 'events',
    what: `listing the nodes' ${reason} events`,
    signal,
  });
}
