/**
 * A workload's history as Prometheus keeps it (docs/workload.md "Prometheus"): three range queries over the window,
 * one per exporter, each narrowed server side to the workload's namespace and pod-name pattern, and one short
 * fine-grained query per kill for the PSI of the precursor window. Metric names and labels as the exporters print
 * them: kube-state-metrics docs/metrics/workload/pod-metrics.md, cAdvisor docs/storage/prometheus.md (PSI series since
 * cAdvisor 0.50 / Kubernetes 1.34), node-exporter collector/pressure_linux.go and collector/vmstat_linux.go.
 */
import type { ClusterAccess, Result } from '../access/accessTypes';
import type { PsiSample } from '../../core/oom/verdictTypes';
import { queryRange, type PromAnswer, type PrometheusTarget } from '../access/prometheus';

/** The regular expression of the pod names a workload's controller generates (RE2, anchored by Prometheus). */
export function podNamePattern(kind: string, name: string): string {
  const n = name.replace(/[.+?^${}()|[\]\\*]/g, '\\$&');
  switch (kind) {
    case 'Deployment':
      return `${n}-[a-z0-9]+-[a-z0-9]+`;
    case 'StatefulSet':
      return `${n}-[0-9]+`;
    case 'CronJob':
      return `${n}-[0-9]+-[a-z0-9]+`;
    case 'Pod':
      return n;
    default:
      return `${n}-[a-z0-9]+`;
  }
}

/** A label matcher value: PromQL string escaping. */
export const promString = (s: string): string => JSON.stringify(s);

/** The step of the window's queries: about 720 points, never finer than 30 s. */
export function windowStepSeconds(windowMs: number): number {
  return Math.max(30, Math.ceil(windowMs / 1000 / 720 / 30) * 30);
}

export interface PromPodInfo {
  uid: string | null;
  node: string | null;
  createdByKind: string | null;
  createdByName: string | null;
  firstT: number;
  lastT: number;
}

/** A termination kube-state-metrics saw: the restart counter rose, or the container is terminated (restartPolicy Never). */
export interface PromTermination {
  pod: string;
  container: string;
  /** Epoch ms: `…_last_terminated_timestamp` when exported (`precise`), else the first step that showed it. */
  t: number;
  precise: boolean;
  reason: string | null;
  exitCode: number | null;
}

export interface PromEviction {
  pod: string;
  t: number;
}

export type Points = { t: number; v: number }[];

export interface PromWorkloadHistory {
  stepSeconds: number;
  pods: Map<string, PromPodInfo>;
  terminations: PromTermination[];
  evictions: PromEviction[];
  restarts: Map<string, number>;
  /** `pod/container` → bytes. */
  limits: Map<string, number>;
  requests: Map<string, number>;
  workingSet: Map<string, Points>;
  /** `pod/container` → container_oom_events_total (raw counter). */
  oomEvents: Map<string, Points>;
  /** node → raw counters (seconds) and node_vmstat_oom_kill. */
  nodeWaiting: Map<string, Points>;
  nodeStalled: Map<string, Points>;
  nodeOomKill: Map<string, Points>;
  /** Which exporters answered with any series. */
  seen: { ksm: boolean; cadvisor: boolean; nodeExporter: boolean };
}

type Series = NonNullable<NonNullable<PromAnswer['data']>['result']>[number];

function seriesOf(a: PromAnswer): Series[] {
  return a.status === 'success' && Array.isArray(a.data?.result) ? a.data!.result! : [];
}

function pointsOf(s: Series): Points {
  const out: Points = [];
  for (const [t, v] of s.values ?? []) {
    const x = Number(v);
    if (Number.isFinite(x)) out.push({ t: t * 1000, v: x });
  }
  return out;
}

/** The value at or just before `t` (the series as an instant query at t would see it, within `lookbackMs`). */
export function valueAt(points: Points | undefined, t: number, lookbackMs = 300_000): number | null {
  if (!points) return null;
  let hit: number | null = null;
  for (const p of points) {
    if (p.t > t) break;
    if (p.t >= t - lookbackMs) hit = p.v;
  }
  return hit;
}

/** How long after a restart its last-termination series may take to show it (their next scrape). */
const STATE_HORIZON_MS = 6 * 60_000;

/** The value at `t` or, when the series has no point there, its first point in the `horizonMs` after. */
export function firstFrom(points: Points | undefined, t: number, horizonMs: number): number | null {
  if (!points) return null;
  for (const p of points) if (p.t >= t && p.t <= t + horizonMs) return p.v;
  return null;
}

function answerError(what: string, a: PromAnswer): Result<never> | null {
  if (a.status === 'success') return null;
  return {
    ok: false,
    error: { kind: 'bad-response', message: `Prometheus refused the ${what} query: ${a.error ?? 'no reason given'}.` },
  };
}

const KSM_NAMES = [
  'kube_pod_info',
  'kube_pod_container_status_restarts_total',
  'kube_pod_container_status_last_terminated_reason',
  'kube_pod_container_status_last_terminated_exitcode',
  'kube_pod_container_status_last_terminated_timestamp',
  'kube_pod_container_status_terminated_reason',
  'kube_pod_container_resource_limits',
  'kube_pod_container_resource_requests',
  'kube_pod_status_reason',
];

/** The instance label's value for a node name: the name itself or `name:port` (kube-prometheus relabels to the name). */
export function nodeInstancePattern(nodes: string[]): string {
  return `(${nodes.map((n) => n.replace(/[.+?^${}()|[\]\\*]/g, '\\$&')).join('|')})(:[0-9]+)?`;
}

/** The node a node-exporter series belongs to: `node` label, `kubernetes_node`, or `instance` less its port. */
export function nodeOfSeries(m: Record<string, string> | undefined): string | null {
  if (!m) return null;
  return m.node ?? m.kubernetes_node ?? (m.instance ? m.instance.replace(/:\d+$/, '') : null);
}

function ksmPass(h: PromWorkloadHistory, series: Series[]): void {
  const reasons = new Map<string, { reason: string; points: Points }[]>();
  const exitCodes = new Map<string, Points>();
  const stamps = new Map<string, Points>();
  const restartPts = new Map<string, Points>();
  const terminated = new Map<string, { reason: string; points: Points }[]>();
  for (const s of series) {
    const m = s.metric ?? {};
    const pod = m.pod;
    if (!pod) continue;
    h.seen.ksm = true;
    const pts = pointsOf(s);
    const key = `${pod}/${m.container ?? ''}`;
    switch (m.__name__) {
      case 'kube_pod_info': {
        const old = h.pods.get(pod);
        const first = pts[0]?.t ?? 0;
        const last = pts.at(-1)?.t ?? 0;
        h.pods.set(pod, {
          uid: m.uid ?? old?.uid ?? null,
          node: (last >= (old?.lastT ?? 0) ? m.node : old?.node) || old?.node || null,
          createdByKind: m.created_by_kind ?? null,
          createdByName: m.created_by_name ?? null,
          firstT: Math.min(first, old?.firstT ?? first),
          lastT: Math.max(last, old?.lastT ?? last),
        });
        break;
      }
      case 'kube_pod_container_status_restarts_total':
        restartPts.set(key, pts);
        h.restarts.set(key, Math.max(h.restarts.get(key) ?? 0, pts.at(-1)?.v ?? 0));
        break;
      case 'kube_pod_container_status_last_terminated_reason':
        if (m.reason) (reasons.get(key) ?? reasons.set(key, []).get(key)!).push({ reason: m.reason, points: pts });
        break;
      case 'kube_pod_container_status_terminated_reason':
        if (m.reason)
          (terminated.get(key) ?? terminated.set(key, []).get(key)!).push({ reason: m.reason, points: pts });
        break;
      case 'kube_pod_container_status_last_terminated_exitcode':
        exitCodes.set(key, pts);
        break;
      case 'kube_pod_container_status_last_terminated_timestamp':
        stamps.set(key, pts);
        break;
      case 'kube_pod_container_resource_limits':
      case 'kube_pod_container_resource_requests':
        if (m.resource === 'memory' && pts.length)
          (m.__name__.endsWith('limits') ? h.limits : h.requests).set(key, pts.at(-1)!.v);
        break;
      case 'kube_pod_status_reason':
        if (m.reason === 'Evicted') {
          const on = pts.find((p) => p.v >= 1);
          if (on) h.evictions.push({ pod, t: on.t });
        }
        break;
    }
  }
  // The last-termination series change in the same scrape as the restart counter: read them at the step that showed
  // the rise, or at their first point after it (a series may start only then).
  const at = (points: Points | undefined, t: number): number | null => firstFrom(points, t, STATE_HORIZON_MS);
  const reasonAt = (key: string, t: number): string | null => {
    for (const r of reasons.get(key) ?? []) if ((at(r.points, t) ?? 0) >= 1) return r.reason;
    return null;
  };
  for (const [key, pts] of restartPts) {
    const [pod, container] = splitKey(key);
    for (let i = 1; i < pts.length; i++) {
      if (pts[i]!.v <= pts[i - 1]!.v) continue;
      const seenAt = pts[i]!.t;
      const stamp = at(stamps.get(key), seenAt);
      const precise = stamp !== null && stamp > 0 && stamp * 1000 <= seenAt + 1000;
      h.terminations.push({
        pod,
        container,
        t: precise ? stamp! * 1000 : seenAt,
        precise,
        reason: reasonAt(key, seenAt),
        exitCode: at(exitCodes.get(key), seenAt),
      });
    }
  }
  // A container that terminated for good (restartPolicy Never: Jobs) shows in the terminated reason, not the restarts.
  for (const [key, list] of terminated) {
    const [pod, container] = splitKey(key);
    for (const r of list) {
      const on = r.points.find((p) => p.v >= 1);
      if (!on || h.terminations.some((x) => x.pod === pod && x.container === container)) continue;
      h.terminations.push({ pod, container, t: on.t, precise: false, reason: r.reason, exitCode: null });
    }
  }
  h.terminations.sort((a, b) => a.t - b.t);
}

function splitKey(key: string): [string, string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}

/**
 * The containers' working sets, each step the maximum over the step (a raw selector would give one scrape per step,
 * 1 of 8 at 15 s scrapes and a 120 s step: the peak that OOM-killed a container falls between two steps), with the
 * OOM event counters beside them. The `oomscope_metric` label keeps the two apart: `or` matches series on their labels
 * without the metric name, which `max_over_time` drops, so a working set would otherwise hide its cgroup's counter.
 */
export function workingSetQuery(selector: string, stepSeconds: number): string {
  return (
    `label_replace(max_over_time(container_memory_working_set_bytes{${selector}}[${stepSeconds}s]), "oomscope_metric", "workingSet", "", "")` +
    ` or container_oom_events_total{${selector}}`
  );
}

/**
 * The window's history of a workload's pods: kube-state-metrics (pods, nodes, terminations, limits), cAdvisor
 * (working sets, OOM event counters), node-exporter (the nodes' PSI and oom_kill counters). `podPattern` narrows
 * every query server side; `nodesKnown` are the nodes the API server's pods name (the others come from kube_pod_info).
 */
export async function promWorkloadHistory(
  access: ClusterAccess,
  target: PrometheusTarget,
  namespace: string,
  podPattern: string,
  nodesKnown: string[],
  start: number,
  end: number,
  signal?: AbortSignal,
): Promise<Result<PromWorkloadHistory>> {
  const stepSeconds = windowStepSeconds(end - start);
  const h: PromWorkloadHistory = {
    stepSeconds,
    pods: new Map(),
    terminations: [],
    evictions: [],
    restarts: new Map(),
    limits: new Map(),
    requests: new Map(),
    workingSet: new Map(),
    oomEvents: new Map(),
    nodeWaiting: new Map(),
    nodeStalled: new Map(),
    nodeOomKill: new Map(),
    seen: { ksm: false, cadvisor: false, nodeExporter: false },
  };
  const sel = `namespace=${promString(namespace)},pod=~${promString(podPattern)}`;
  const [ksm, cadvisor] = await Promise.all([
    queryRange(
      access,
      target,
      `{__name__=~${promString(KSM_NAMES.join('|'))},${sel}}`,
      start,
      end,
      stepSeconds,
      signal,
    ),
    queryRange(
      access,
      target,
      workingSetQuery(`${sel},container!="",container!="POD"`, stepSeconds),
      start,
      end,
      stepSeconds,
      signal,
    ),
  ]);
  if (!ksm.ok) return ksm;
  const refused = answerError('kube-state-metrics', ksm.value);
  if (refused) return refused;
  ksmPass(h, seriesOf(ksm.value));
  if (cadvisor.ok) {
    for (const s of seriesOf(cadvisor.value)) {
      const m = s.metric ?? {};
      if (!m.pod || !m.container) continue;
      h.seen.cadvisor = true;
      const key = `${m.pod}/${m.container}`;
      const map = m.__name__ === 'container_oom_events_total' ? h.oomEvents : h.workingSet;
      // One series per container cgroup; a restarted container's new cgroup continues the same key.
      map.set(
        key,
        [...(map.get(key) ?? []), ...pointsOf(s)].sort((a, b) => a.t - b.t),
      );
    }
  }
  const nodes = [...new Set([...nodesKnown, ...[...h.pods.values()].map((p) => p.node).filter((n) => n !== null)])];
  if (nodes.length) {
    const inst = `instance=~${promString(nodeInstancePattern(nodes))}`;
    const r = await queryRange(
      access,
      target,
      `{__name__=~"node_pressure_memory_waiting_seconds_total|node_pressure_memory_stalled_seconds_total|node_vmstat_oom_kill",${inst}}`,
      start,
      end,
      stepSeconds,
      signal,
    );
    if (r.ok) {
      for (const s of seriesOf(r.value)) {
        const node = nodeOfSeries(s.metric);
        if (!node || !nodes.includes(node)) continue;
        h.seen.nodeExporter = true;
        const name = s.metric?.__name__;
        const map =
          name === 'node_vmstat_oom_kill'
            ? h.nodeOomKill
            : name === 'node_pressure_memory_stalled_seconds_total'
              ? h.nodeStalled
              : h.nodeWaiting;
        map.set(node, pointsOf(s));
      }
    }
  }
  return { ok: true, value: h };
}

/** PSI around one kill, finer than the window's step: the container's and its node's, as samples of each scope. */
export interface KillPsi {
  container: PsiSample[];
  node: PsiSample[];
  stepSeconds: number;
  /** The container's largest working set in the minute before the kill (cAdvisor, every scrape); null when none. */
  workingSetBytes: number | null;
}

/**
 * One query: the rate of the container's and the node's PSI totals (`rate(…[1m])`, percent) from `from` to `to` every
 * `stepSeconds` (15 s). A rate, not the raw totals: a query step finer than the scrape interval would repeat each
 * scrape and read as stalls that come and go; a 1-minute rate is smooth for scrape intervals up to 30 s.
 */
export async function killPsi(
  access: ClusterAccess,
  target: PrometheusTarget,
  k: { namespace: string; pod: string; container: string; node: string | null },
  killT: number,
  from: number,
  to: number,
  scopes: { container: string; node: string },
  signal?: AbortSignal,
  stepSeconds = 15,
): Promise<Result<KillPsi>> {
  // rate() drops the metric name: each part is tagged with label_replace so waiting and stalled stay apart.
  const tag = (expr: string, kind: string): string =>
    `label_replace(rate(${expr}[1m]), "oomscope_psi", "${kind}", "", "")`;
  const csel = `{namespace=${promString(k.namespace)},pod=${promString(k.pod)},container=${promString(k.container)}}`;
  const parts = [
    tag(`container_pressure_memory_waiting_seconds_total${csel}`, 'waiting'),
    tag(`container_pressure_memory_stalled_seconds_total${csel}`, 'stalled'),
    `label_replace(max_over_time(container_memory_working_set_bytes${csel}[1m]), "oomscope_psi", "workingSet", "", "")`,
  ];
  if (k.node) {
    const nsel = `{instance=~${promString(nodeInstancePattern([k.node]))}}`;
    parts.push(
      tag(`node_pressure_memory_waiting_seconds_total${nsel}`, 'waiting'),
      tag(`node_pressure_memory_stalled_seconds_total${nsel}`, 'stalled'),
    );
  }
  const query = parts.join(' or ');
  const r = await queryRange(access, target, query, from, to, stepSeconds, signal);
  if (!r.ok) return r;
  // A node series has no pod label.
  const all = seriesOf(r.value);
  const isNode = (s: Series): boolean => !s.metric?.pod;
  const pick = (node: boolean, kind: 'waiting' | 'stalled' | 'workingSet'): Points =>
    all
      .filter((s) => isNode(s) === node && (!node || nodeOfSeries(s.metric) === k.node))
      .filter((s) => (s.metric?.oomscope_psi ?? '') === kind)
      .flatMap(pointsOf)
      .sort((a, b) => a.t - b.t);
  const ws = pick(false, 'workingSet').filter((p) => p.t <= killT && p.t >= killT - 60_000);
  return {
    ok: true,
    value: {
      container: toSamples(pick(false, 'waiting'), pick(false, 'stalled'), scopes.container),
      node: toSamples(pick(true, 'waiting'), pick(true, 'stalled'), scopes.node),
      stepSeconds,
      workingSetBytes: ws.length ? Math.max(...ws.map((p) => p.v)) : null,
    },
  };
}

function toSamples(some: Points, full: Points, scope: string): PsiSample[] {
  const f = new Map(full.map((p) => [p.t, p.v]));
  const pct = (x: number): number => Math.min(100, Math.max(0, x * 100));
  return some.map((p) => {
    const s: PsiSample = { t: p.t, scope, some: { avg10: pct(p.v), avg60: pct(p.v), avg300: pct(p.v) } };
    const fv = f.get(p.t);
    if (fv !== undefined) s.full = { avg10: pct(fv), avg60: pct(fv), avg300: pct(fv) };
    return s;
  });
}
