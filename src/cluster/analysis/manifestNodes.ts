/**
 * Which nodes run the pods of the manifest in the editor (for the node picker: offered first).
 * One label-selector list per workload (bounded), then the exact owner match of manifestMatch.
 * Failures just mean "unknown": the picker still lists every node.
 */
import type { ObjectSummary } from '../../core/manifest/analyze';
import { livePod } from './livePod';
import { requestJson } from '../access/http';
import type { WirePod } from '../access/wireTypes';
import { matchManifestPods } from './manifestMatch';
import type { ClusterAccess } from '../access/accessTypes';

const MAX_OBJECTS = 10;

function labelSelector(obj: ObjectSummary): string | null {
  const labels = obj.selector && Object.keys(obj.selector).length ? obj.selector : obj.podLabels;
  const pairs = Object.entries(labels ?? {});
  return pairs.length ? pairs.map(([k, v]) => `${k}=${v}`).join(',') : null;
}

export async function nodesRunningManifest(
  access: ClusterAccess,
  objects: ObjectSummary[],
  defaultNamespace?: string,
  signal?: AbortSignal,
): Promise<Set<string>> {
  const nodes = new Set<string>();
  const lookups = objects.slice(0, MAX_OBJECTS).map(async (obj) => {
    const ns = obj.namespace ?? defaultNamespace ?? 'default';
    const query =
      obj.kind === 'Pod' && obj.name
        ? `fieldSelector=${encodeURIComponent(`metadata.name=${obj.name}`)}`
        : labelSelector(obj);
    if (!query) return;
    const q = query.startsWith('fieldSelector=') ? query : `labelSelector=${encodeURIComponent(query)}`;
    const r = await requestJson<{ items?: WirePod[] }>(access, {
      path: `/api/v1/namespaces/${encodeURIComponent(ns)}/pods?${q}&limit=100`,
      verb: 'list',
      resource: 'pods',
      what: `listing the pods of ${obj.kind}/${obj.name ?? '?'}`,
      signal,
    });
    if (!r.ok) return;
    const wire = r.value.items ?? [];
    const matched = new Set(
      matchManifestPods([obj], wire.map(livePod), ns).flatMap((m) => m.pods.map((p) => `${p.namespace}/${p.name}`)),
    );
    for (const p of wire) {
      const node = p.spec?.nodeName;
      if (node && matched.has(`${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`)) nodes.add(node);
    }
  });
  await Promise.all(lookups);
  return nodes;
}
