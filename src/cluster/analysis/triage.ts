/**
 * `triageWorkloads`: the cluster's workloads ranked by OOM kills and evictions over a window (docs/workload.md
 * "Triage"). With Prometheus: a handful of PromQL queries aggregated server side by namespace and owner, whose answers
 * grow with the number of workloads that died, never with the number of nodes or pods. Without: one paged, streamed
 * pod list (constant memory), and history limited to the API server's.
 */
import { classifyStatusOom } from '../../core/oom/classify';
import { DEFAULT_PHASE_SETTINGS, type OomClass } from '../../core/oom/verdictTypes';
import type { ClusterAccess, Result } from '../access/accessTypes';
import { forEachPage } from '../access/http';
import { findPrometheus, queryInstant, type PromAnswer, type PrometheusTarget } from '../access/prometheus';
import type { WirePod } from '../access/wireTypes';
import { timeMs } from '../access/wireTypes';
import { OWN_LIMIT_SHARE } from './workloadKills';
import type { AnalyzeWorkloadOptions, Triage, TriageRow } from './workloadTypes';

const DAY_MS = 86_400_000;
/**
 * The step at which kills are counted in the subqueries: a restart counter's rise shows in one such step (two kills
 * of one container within it count once). 5 min keeps a day's subquery to 288 evaluations per series.
 */
const KILL_STEP = '5m';

/** PromQL range of a window, e.g. "86400s". */
const range = (ms: number): string => `${Math.max(60, Math.round(ms / 1000))}s`;

interface Owner {
  kind: string;
  name: string;
  namespace: string;
}

/** Pods named in one matcher at most; beyond, the second phase is narrowed by namespace only. */
const MAX_NAMED_PODS = 300;

/**
 * The first phase of a triage over window `w` (docs/workload.md lists them): which containers died and how often,
 * which pods were evicted, their owners, and the ReplicaSets and Jobs that own those. Each answer is grouped by a pod
 * that died, or by an owner: its size grows with the workloads that died, never with the number of nodes.
 */
export function triageQueries(windowMs: number): Record<string, string> {
  const w = range(windowMs);
  const oomLast = oomLastTermination(w, '');
  const died = `(${oomLast} or (max by (namespace, pod, container) (max_over_time(kube_pod_container_status_terminated_reason{reason="OOMKilled"}[${w}])) == 1) or on (namespace, pod) (max by (namespace, pod) (max_over_time(kube_pod_status_reason{reason="Evicted"}[${w}])) == 1))`;
  return {
    kills: `sum by (namespace, pod, container) (increase(kube_pod_container_status_restarts_total[${w}])) and on (namespace, pod, container) ${oomLast}`,
    terminated: `max by (namespace, pod, container) (max_over_time(kube_pod_container_status_terminated_reason{reason="OOMKilled"}[${w}])) == 1`,
    evictions: `max by (namespace, pod) (max_over_time(kube_pod_status_reason{reason="Evicted"}[${w}])) == 1`,
    owners: `max by (namespace, pod, owner_kind, owner_name) (max_over_time(kube_pod_owner{owner_is_controller="true"}[${w}])) and on (namespace, pod) ${died}`,
    replicaSets: `max by (namespace, replicaset, owner_kind, owner_name) (max_over_time(kube_replicaset_owner{owner_kind="Deployment"}[${w}]))`,
    jobs: `max by (namespace, job_name, owner_kind, owner_name) (max_over_time(kube_job_owner{owner_kind="CronJob"}[${w}]))`,
  };
}

function oomLastTermination(w: string, sel: string): string {
  return `(max by (namespace, pod, container) (max_over_time(kube_pod_container_status_last_terminated_reason{reason="OOMKilled"${sel}}[${w}])) == 1)`;
}

/**
 * The second phase, narrowed to the pods the first found (`sel`, e.g. `,namespace=~"shop",pod=~"api-1|api-2"`): the
 * 24 h subqueries at 5 m steps cost one evaluation per step and series, so they run only on the containers that died.
 * Kills after thrashing: a restart step where the container's full PSI rate exceeded the thrashing threshold in the
 * precursor window; kills below the limit (`system`, as analyze-workload judges it); and which containers have PSI.
 */
export function triageDetailQueries(windowMs: number, sel: string): Record<string, string> {
  const w = range(windowMs);
  const oomLast = oomLastTermination(w, sel);
  const killSteps = `(increase(kube_pod_container_status_restarts_total{${sel.slice(1)}}[${KILL_STEP}]) > 0)`;
  const thrashed = `(max by (namespace, pod, container) (max_over_time(rate(container_pressure_memory_stalled_seconds_total{container!=""${sel}}[1m])[${DEFAULT_PHASE_SETTINGS.precursorWindowSeconds}s:1m])) > ${DEFAULT_PHASE_SETTINGS.thrashingFullPercent / 100})`;
  const belowLimit = `(max by (namespace, pod, container) (max_over_time(container_memory_working_set_bytes{container!=""${sel}}[5m])) < ${OWN_LIMIT_SHARE} * max by (namespace, pod, container) (kube_pod_container_resource_limits{resource="memory"${sel}}))`;
  return {
    afterThrashing: `sum by (namespace, pod, container) (count_over_time((${killSteps} and on (namespace, pod, container) ${thrashed})[${w}:${KILL_STEP}])) and on (namespace, pod, container) ${oomLast}`,
    killSteps: `sum by (namespace, pod, container) (count_over_time(${killSteps}[${w}:${KILL_STEP}])) and on (namespace, pod, container) ${oomLast}`,
    psiPresent: `max by (namespace, pod, container) (max_over_time(container_pressure_memory_stalled_seconds_total{container!=""${sel}}[${w}])) and on (namespace, pod, container) ${oomLast}`,
    belowLimit: `sum by (namespace, pod, container) (count_over_time((${killSteps} and on (namespace, pod, container) ${belowLimit})[${w}:${KILL_STEP}])) and on (namespace, pod, container) ${oomLast}`,
  };
}

const reEscape = (s: string): string => s.replace(/[.+?^${}()|[\]\\*]/g, '\\$&');

/** The matcher of the second phase: the namespaces and (up to MAX_NAMED_PODS) the pods that died. */
export function diedSelector(pods: { namespace: string; pod: string }[]): string {
  const ns = [...new Set(pods.map((p) => p.namespace))].sort();
  const names = [...new Set(pods.map((p) => p.pod))].sort();
  const nsPart = `,namespace=~${JSON.stringify(ns.map(reEscape).join('|'))}`;
  return names.length <= MAX_NAMED_PODS ? `${nsPart},pod=~${JSON.stringify(names.map(reEscape).join('|'))}` : nsPart;
}

type Vector = { metric?: Record<string, string>; value?: [number, string] }[];

function vector(a: PromAnswer): Vector {
  return a.status === 'success' && Array.isArray(a.data?.result) ? (a.data!.result as Vector) : [];
}

const num = (s: { value?: [number, string] }): number => Number(s.value?.[1] ?? 0) || 0;

class Ranking {
  private rows = new Map<string, TriageRow & { classes: Map<OomClass, number>; thrash: number; judged: number }>();

  row(o: Owner): TriageRow & { classes: Map<OomClass, number>; thrash: number; judged: number } {
    const key = `${o.namespace}/${o.kind}/${o.name}`;
    let r = this.rows.get(key);
    if (!r) {
      r = {
        ...o,
        ooms: 0,
        evictions: 0,
        dominantClass: null,
        afterThrashingShare: null,
        classes: new Map(),
        thrash: 0,
        judged: 0,
      };
      this.rows.set(key, r);
    }
    return r;
  }

  done(): TriageRow[] {
    const out: TriageRow[] = [];
    for (const r of this.rows.values()) {
      if (r.ooms + r.evictions === 0) continue;
      const dominant = [...r.classes.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
      out.push({
        kind: r.kind,
        name: r.name,
        namespace: r.namespace,
        ooms: r.ooms,
        evictions: r.evictions,
        dominantClass: dominant ?? (r.evictions ? 'eviction' : null),
        afterThrashingShare: r.judged ? Math.round((r.thrash / r.judged) * 100) / 100 : null,
      });
    }
    return out.sort(
      (a, b) =>
        b.ooms + b.evictions - (a.ooms + a.evictions) ||
        b.ooms - a.ooms ||
        `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`),
    );
  }
}

async function instantAll(
  access: ClusterAccess,
  target: PrometheusTarget,
  q: Record<string, string>,
  end: number,
  signal?: AbortSignal,
): Promise<{ by: Record<string, Vector>; failed: { name: string; message: string }[] }> {
  const names = Object.keys(q);
  const answers = await Promise.all(names.map((n) => queryInstant(access, target, q[n]!, end, signal)));
  const by: Record<string, Vector> = {};
  const failed: { name: string; message: string }[] = [];
  answers.forEach((a, i) => {
    const name = names[i]!;
    if (!a.ok) failed.push({ name, message: a.error.message });
    else if (a.value.status !== 'success')
      failed.push({ name, message: `Prometheus refused it: ${a.value.error ?? 'no reason given'}` });
    else by[name] = vector(a.value);
  });
  return { by, failed };
}

async function viaPrometheus(
  access: ClusterAccess,
  target: PrometheusTarget,
  windowMs: number,
  end: number,
  notes: string[],
  signal?: AbortSignal,
): Promise<Result<TriageRow[]>> {
  const first = await instantAll(access, target, triageQueries(windowMs), end, signal);
  const essential = first.failed.filter((f) => ['kills', 'evictions', 'owners'].includes(f.name));
  if (essential.length)
    return {
      ok: false,
      error: { kind: 'error', message: `the triage query '${essential[0]!.name}' failed: ${essential[0]!.message}` },
    };
  for (const f of first.failed)
    notes.push(
      `The query '${f.name}' failed (${f.message}); ${f.name === 'terminated' ? 'OOM-killed containers that were not restarted are not counted' : 'owners are shown as ReplicaSets or Jobs'}.`,
    );
  const by = first.by;
  by.terminated ??= [];
  by.replicaSets ??= [];
  by.jobs ??= [];
  const dead = [...by.kills!, ...by.terminated].map((x) => ({
    namespace: x.metric?.namespace ?? '',
    pod: x.metric?.pod ?? '',
  }));
  let detail: Record<string, Vector> = {};
  if (dead.length) {
    const second = await instantAll(access, target, triageDetailQueries(windowMs, diedSelector(dead)), end, signal);
    detail = second.by;
    for (const f of second.failed)
      notes.push(
        `The query '${f.name}' failed (${f.message}); ${f.name === 'belowLimit' ? 'every OOM kill is counted as its own limit' : '"after thrashing" cannot be told'}.`,
      );
  }
  const rsOwner = new Map(
    by.replicaSets!.map((s) => [`${s.metric?.namespace}/${s.metric?.replicaset}`, s.metric?.owner_name]),
  );
  const jobOwner = new Map(by.jobs!.map((s) => [`${s.metric?.namespace}/${s.metric?.job_name}`, s.metric?.owner_name]));
  const podOwner = new Map<string, Owner>();
  for (const s of by.owners!) {
    const m = s.metric ?? {};
    if (!m.namespace || !m.pod || !m.owner_kind || !m.owner_name) continue;
    let kind = m.owner_kind;
    let name = m.owner_name;
    const up =
      kind === 'ReplicaSet'
        ? rsOwner.get(`${m.namespace}/${name}`)
        : kind === 'Job'
          ? jobOwner.get(`${m.namespace}/${name}`)
          : undefined;
    if (up) {
      kind = kind === 'ReplicaSet' ? 'Deployment' : 'CronJob';
      name = up;
    }
    podOwner.set(`${m.namespace}/${m.pod}`, { kind, name, namespace: m.namespace });
  }
  const ownerOf = (m: Record<string, string> | undefined): Owner =>
    podOwner.get(`${m?.namespace}/${m?.pod}`) ?? { kind: 'Pod', name: m?.pod ?? '?', namespace: m?.namespace ?? '?' };
  const rank = new Ranking();
  const perContainer = (v: Vector): Map<string, number> =>
    new Map(v.map((s) => [`${s.metric?.namespace}/${s.metric?.pod}/${s.metric?.container}`, num(s)]));
  const thrash = perContainer(detail.afterThrashing ?? []);
  const below = perContainer(detail.belowLimit ?? []);
  const psi = perContainer(detail.afterThrashing && detail.psiPresent ? detail.psiPresent : []);
  const steps = perContainer(detail.killSteps ?? []);
  const counted = new Set<string>();
  for (const s of [...by.kills!, ...by.terminated!]) {
    const key = `${s.metric?.namespace}/${s.metric?.pod}/${s.metric?.container}`;
    if (counted.has(key)) continue;
    counted.add(key);
    const n = Math.max(1, Math.round(num(s)));
    const r = rank.row(ownerOf(s.metric));
    r.ooms += n;
    const sys = Math.round(n * Math.min(1, (below.get(key) ?? 0) / Math.max(1, steps.get(key) ?? below.get(key) ?? 1)));
    if (sys) r.classes.set('system', (r.classes.get('system') ?? 0) + sys);
    if (n - sys) r.classes.set('container-limit', (r.classes.get('container-limit') ?? 0) + n - sys);
    if (psi.has(key) && (steps.get(key) ?? 0) > 0) {
      r.judged += n;
      // Thrashing steps over kill steps (both counted at KILL_STEP), applied to the container's kill count.
      const share = Math.min(1, (thrash.get(key) ?? 0) / Math.max(1, steps.get(key) ?? thrash.get(key) ?? 1));
      r.thrash += Math.round(n * share);
    }
  }
  for (const s of by.evictions!) rank.row(ownerOf(s.metric)).evictions += 1;
  return { ok: true, value: rank.done() };
}

/** The owner a pod's controller reference names, lifted to its Deployment / CronJob by the generated names' shape. */
function ownerOfPod(p: WirePod): Owner {
  const ns = p.metadata?.namespace ?? '?';
  const ref = p.metadata?.ownerReferences?.find((o) => o.controller) ?? p.metadata?.ownerReferences?.[0];
  if (!ref?.kind || !ref.name) return { kind: 'Pod', name: p.metadata?.name ?? '?', namespace: ns };
  const hash = p.metadata?.labels?.['pod-template-hash'];
  if (ref.kind === 'ReplicaSet' && hash && ref.name.endsWith(`-${hash}`))
    return { kind: 'Deployment', name: ref.name.slice(0, -hash.length - 1), namespace: ns };
  const cron = /^(.+)-\d{8,}$/.exec(ref.name);
  if (ref.kind === 'Job' && cron) return { kind: 'CronJob', name: cron[1]!, namespace: ns };
  return { kind: ref.kind, name: ref.name, namespace: ns };
}

/** One pass over every pod, a page at a time: each container's last termination and each evicted pod in the window. */
async function viaApi(access: ClusterAccess, since: number, signal?: AbortSignal): Promise<Result<TriageRow[]>> {
  const rank = new Ranking();
  const r = await forEachPage<WirePod>(
    access,
    { path: '/api/v1/pods', verb: 'list', resource: 'pods', what: 'listing the pods of the cluster', signal },
    (pods) => {
      for (const p of pods) {
        if (p.status?.reason === 'Evicted') {
          const finished = (p.status.containerStatuses ?? []).map((c) => timeMs(c.state?.terminated?.finishedAt));
          const t = finished.find((x) => x !== null) ?? timeMs(p.status.startTime);
          if (t === null || t >= since) rank.row(ownerOfPod(p)).evictions += 1;
          continue;
        }
        for (const c of [...(p.status?.containerStatuses ?? []), ...(p.status?.initContainerStatuses ?? [])]) {
          const term = c.lastState?.terminated ?? c.state?.terminated;
          if (!term || (term.reason !== 'OOMKilled' && term.exitCode !== 137)) continue;
          const t = timeMs(term.finishedAt);
          if (t !== null && t < since) continue;
          // A container with no memory limit of its own and none on its pod cannot have hit its own limit: it was
          // the node's (or kubepods') OOM, whatever its status says.
          const spec = [...(p.spec?.containers ?? []), ...(p.spec?.initContainers ?? [])].find(
            (x) => x.name === c.name,
          );
          const limited = !!(spec?.resources?.limits?.memory || p.spec?.resources?.limits?.memory);
          const v = classifyStatusOom({
            reason: term.reason ?? null,
            exitCode: term.exitCode ?? null,
            nodeEvidence: limited ? [] : ['no memory limit on the container or its pod'],
          });
          if (v.class === 'unknown' && term.reason !== 'OOMKilled') continue;
          const row = rank.row(ownerOfPod(p));
          row.ooms += 1;
          row.classes.set(v.class, (row.classes.get(v.class) ?? 0) + 1);
        }
      }
    },
  );
  if (!r.ok) return r;
  return { ok: true, value: rank.done() };
}

export async function triageWorkloads(
  access: ClusterAccess,
  opts: Omit<AnalyzeWorkloadOptions, 'historyDir'> = {},
): Promise<Result<Triage>> {
  const end = Date.now();
  const windowMs = opts.sinceMs ?? DAY_MS;
  const since = end - windowMs;
  const sources: Triage['sources'] = {};
  const notes: string[] = [];
  const target = opts.prometheus === false ? null : await findPrometheus(access, opts.prometheusUrl, opts.signal);
  if (target?.ok && target.value) {
    const r = await viaPrometheus(access, target.value, windowMs, end, notes, opts.signal);
    if (r.ok) {
      sources.prometheus = 'ok';
      notes.push(
        `Ranked from kube-state-metrics and cAdvisor through Prometheus ${target.value.label}; "after thrashing" counts kills whose container's full PSI exceeded ${DEFAULT_PHASE_SETTINGS.thrashingFullPercent}% in the ${DEFAULT_PHASE_SETTINGS.precursorWindowSeconds / 60} minutes before; analyze a workload for each kill's verdict.`,
      );
      return {
        ok: true,
        value: {
          version: 1,
          context: access.context,
          generatedAt: end,
          since,
          workloads: r.value,
          via: 'prometheus',
          sources,
          notes,
        },
      };
    }
    sources.prometheus = `error: ${r.error.message}`;
    notes.push(`Prometheus ${target.value.label}: ${r.error.message}; ranked from the pod list instead.`);
  } else if (target && !target.ok) sources.prometheus = `error: ${target.error.message}`;
  else sources.prometheus = target === null ? 'unavailable: not looked for' : 'unavailable: no Prometheus found';
  const r = await viaApi(access, since, opts.signal);
  if (!r.ok) return r;
  sources.pods = 'ok';
  notes.push(
    "Without Prometheus, history is limited to the API server's: each container's last termination in its pod's status, and evicted pods not yet deleted; pods already gone are not counted, and whether thrashing came first is not known.",
  );
  return {
    ok: true,
    value: {
      version: 1,
      context: access.context,
      generatedAt: end,
      since,
      workloads: r.value,
      via: 'api',
      sources,
      notes,
    },
  };
}
