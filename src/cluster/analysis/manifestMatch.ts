/** Matches manifest objects to live pods: Pods by namespace + name; workloads by owner references and selector/labels. */
import type { ObjectSummary } from '../../core/manifest/analyze';
import type { LivePod, ManifestPodMatch } from './nodeAnalysisTypes';

function subset(want: Record<string, string> | null | undefined, have: Record<string, string>): boolean {
  if (!want) return false;
  const e = Object.entries(want);
  return e.length > 0 && e.every(([k, v]) => have[k] === v);
}

function ownedBy(pod: LivePod, kind: string, name: string): boolean {
  return pod.ownerReferences.some((o) => o.kind === kind && o.name === name);
}

/** "<name>-<hash>" where the hash is the pod-template-hash (Deployment) or a schedule number (CronJob). */
function ownedByGenerated(pod: LivePod, kind: string, prefix: string, suffix: RegExp): boolean {
  return pod.ownerReferences.some(
    (o) => o.kind === kind && o.name.startsWith(`${prefix}-`) && suffix.test(o.name.slice(prefix.length + 1)),
  );
}

/** What deciding that a pod belongs to an object needs: its kind, name and selector (a manifest's or the live object's). */
export type PodOwnerQuery = Pick<ObjectSummary, 'kind' | 'name' | 'selector' | 'podLabels'>;

/** Whether a live pod belongs to the object: the one judgement behind "Pods of this manifest" and the workload analysis. */
export function podBelongsTo(obj: PodOwnerQuery, pod: LivePod): boolean {
  const name = obj.name;
  if (!name) return false;
  const labelsOk = (): boolean =>
    !obj.selector || Object.keys(obj.selector).length === 0 || subset(obj.selector, pod.labels);
  switch (obj.kind) {
    case 'Pod':
      return pod.name === name;
    case 'Deployment':
      return ownedByGenerated(pod, 'ReplicaSet', name, /^[a-z0-9]{1,10}$/) && labelsOk();
    case 'CronJob':
      return ownedByGenerated(pod, 'Job', name, /^\d+$/);
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job':
    case 'ReplicationController':
      return ownedBy(pod, obj.kind, name) && labelsOk();
    default:
      return subset(obj.selector, pod.labels) || subset(obj.podLabels, pod.labels);
  }
}

/**
 * For each manifest object, the live pods that belong to it. An object without namespace
 * matches `defaultNamespace` when given, else any namespace.
 */
export function matchManifestPods(
  objects: ObjectSummary[],
  pods: LivePod[],
  defaultNamespace?: string,
): ManifestPodMatch[] {
  const out: ManifestPodMatch[] = [];
  objects.forEach((obj, objectIndex) => {
    const ns = obj.namespace ?? defaultNamespace ?? null;
    const hit = pods.filter((p) => (ns === null || p.namespace === ns) && podBelongsTo(obj, p));
    if (hit.length) out.push({ objectIndex, workload: `${obj.kind}/${obj.name ?? ''}`, pods: hit });
  });
  return out;
}
