/**
 * The workload objects behind the single-node scenarios' pods (the demo of `npm start`), so that "Analyze Workload
 * Memory" and `oomscope analyze-workload` find them as on a real cluster: a ReplicaSet owner `<name>-<hash>` whose
 * pods carry `pod-template-hash=<hash>` is a Deployment's; a Job `<name>-<schedule number>` is a CronJob's. Shapes as
 * `kubectl get deploy api -o json` prints them (apps/v1 Deployment, batch/v1 Job and CronJob), reduced to what a
 * client reads: metadata, spec.selector, spec.template.metadata.labels, ownerReferences. GENERATED from the scenario.
 */
import type { PodDef } from './scenarios';

const uidOf = (s: string): string => {
  let h = 2166136261;
  for (const c of s) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  const x = h.toString(16).padStart(8, '0');
  return `${x}-${x.slice(0, 4)}-4${x.slice(1, 4)}-8${x.slice(4, 7)}-${x}${x.slice(0, 4)}`;
};

interface Obj {
  kind: string;
  apiVersion: string;
  namespace: string;
  name: string;
  selector: Record<string, string>;
  owner?: { kind: string; name: string; apiVersion: string };
}

function objectsOf(pods: PodDef[]): Obj[] {
  const out = new Map<string, Obj>();
  const add = (o: Obj): void => void out.set(`${o.kind}/${o.namespace}/${o.name}`, o);
  for (const p of pods) {
    if (!p.owner) continue;
    const hash = p.labels['pod-template-hash'];
    const labels = Object.fromEntries(Object.entries(p.labels).filter(([k]) => k !== 'pod-template-hash'));
    if (p.owner.kind === 'ReplicaSet' && hash && p.owner.name.endsWith(`-${hash}`)) {
      const deploy = p.owner.name.slice(0, -hash.length - 1);
      add({ kind: 'Deployment', apiVersion: 'apps/v1', namespace: p.namespace, name: deploy, selector: labels });
      add({
        kind: 'ReplicaSet',
        apiVersion: 'apps/v1',
        namespace: p.namespace,
        name: p.owner.name,
        selector: p.labels,
        owner: { kind: 'Deployment', name: deploy, apiVersion: 'apps/v1' },
      });
    } else if (p.owner.kind === 'Job') {
      const cron = /^(.+)-\d{8,}$/.exec(p.owner.name)?.[1];
      add({
        kind: 'Job',
        apiVersion: 'batch/v1',
        namespace: p.namespace,
        name: p.owner.name,
        selector: { 'batch.kubernetes.io/job-name': p.owner.name },
        ...(cron ? { owner: { kind: 'CronJob', name: cron, apiVersion: 'batch/v1' } } : {}),
      });
      if (cron) add({ kind: 'CronJob', apiVersion: 'batch/v1', namespace: p.namespace, name: cron, selector: {} });
    } else
      add({ kind: p.owner.kind, apiVersion: 'apps/v1', namespace: p.namespace, name: p.owner.name, selector: labels });
  }
  return [...out.values()];
}

function wire(o: Obj, createdIso: string): object {
  return {
    kind: o.kind,
    apiVersion: o.apiVersion,
    metadata: {
      name: o.name,
      namespace: o.namespace,
      uid: uidOf(`${o.kind}/${o.namespace}/${o.name}`),
      creationTimestamp: createdIso,
      ...(o.owner
        ? {
            ownerReferences: [
              {
                ...o.owner,
                uid: uidOf(`${o.owner.kind}/${o.namespace}/${o.owner.name}`),
                controller: true,
                blockOwnerDeletion: true,
              },
            ],
          }
        : {}),
    },
    spec:
      o.kind === 'CronJob'
        ? { schedule: '0 * * * *', jobTemplate: { spec: { template: { metadata: { labels: {} } } } } }
        : { selector: { matchLabels: o.selector }, template: { metadata: { labels: o.selector } } },
  };
}

const PLURAL: Record<string, string> = {
  deployments: 'Deployment',
  replicasets: 'ReplicaSet',
  daemonsets: 'DaemonSet',
  statefulsets: 'StatefulSet',
  jobs: 'Job',
  cronjobs: 'CronJob',
};

/**
 * `/apis/(apps|batch)/v1/namespaces/NS/<plural>[/NAME]`: the object or the list, or a 404 Status; null for any other
 * path. `extraLabels` are the labels the API server adds to Job pods since Kubernetes 1.27.
 */
export function workloadRoute(
  path: string,
  pods: PodDef[],
  createdIso: string,
): { status: number; body: object } | null {
  const m = /^\/apis\/(apps|batch)\/v1\/namespaces\/([^/]+)\/([a-z]+)(?:\/([^/]+))?$/.exec(path);
  if (!m) return null;
  const kind = PLURAL[m[3]!];
  if (!kind || (m[1] === 'batch') !== (kind === 'Job' || kind === 'CronJob')) return null;
  const ns = decodeURIComponent(m[2]!);
  const all = objectsOf(pods).filter((o) => o.kind === kind && o.namespace === ns);
  if (m[4] === undefined)
    return {
      status: 200,
      body: {
        kind: `${kind}List`,
        apiVersion: `${m[1]}/v1`,
        metadata: { resourceVersion: '1' },
        items: all.map((o) => wire(o, createdIso)),
      },
    };
  const name = decodeURIComponent(m[4]);
  const hit = all.find((o) => o.name === name);
  if (hit) return { status: 200, body: wire(hit, createdIso) };
  const group = m[1] === 'batch' ? 'batch' : 'apps';
  return {
    status: 404,
    body: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `${m[3]}.${group} "${name}" not found`,
      reason: 'NotFound',
      details: { name, group, kind: m[3] },
      code: 404,
    },
  };
}

/** The labels the Job controller puts on its pods (Kubernetes 1.27+: batch.kubernetes.io/job-name beside job-name). */
export function jobPodLabels(p: PodDef): Record<string, string> {
  return p.owner?.kind === 'Job' ? { 'batch.kubernetes.io/job-name': p.owner.name, ...p.labels } : p.labels;
}
