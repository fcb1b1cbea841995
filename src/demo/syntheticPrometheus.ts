/**
 * The demo's synthetic Prometheus (GENERATED data, from the scenario's curves): besides the node panel's two PSI rate
 * queries (apiServer.ts), the workload analysis's cAdvisor selector
 * (`workingSetQuery` in src/cluster/analysis/promWorkload.ts: the maximum over each query step of
 * container_memory_working_set_bytes, with the OOM event counters) gets each running container's working set, the
 * maximum over the world's steps within each query step, so
 * that `npm start` shows a workload's working set against its limit and the manifest's fixes from observed usage have
 * a peak to start from. Series labels as cAdvisor's `/metrics/cadvisor` scraped by kube-prometheus's kubelet
 * ServiceMonitor (job="kubelet", metrics_path="/metrics/cadvisor", node, instance), without `__name__` (max_over_time
 * drops it) and with the query's `oomscope_metric` label. No OOM event counter: the kills
 * come from the API server's pod statuses and events, as on a cluster whose cAdvisor predates the counter.
 */
import type { World } from './world';

export interface RangeSeries {
  metric: Record<string, string>;
  values: [number, string][];
}

const MI = 1024 * 1024;
const WS_QUERY =
  /^label_replace\(max_over_time\(container_memory_working_set_bytes\{(.*)\}\[(\d+)s\]\), "oomscope_metric", "workingSet", "", ""\) or container_oom_events_total\{/;

/** `name="v"` and `name=~"v"` matchers of a selector body (the grammar promString writes: JSON-quoted strings). */
function matchers(body: string): Map<string, { re: boolean; value: string }> {
  const out = new Map<string, { re: boolean; value: string }>();
  for (const m of body.matchAll(/(\w+)(=~|!=|=)("(?:[^"\\]|\\.)*")/g)) {
    if (m[2] === '!=') continue;
    out.set(m[1]!, { re: m[2] === '=~', value: JSON.parse(m[3]!) as string });
  }
  return out;
}

/**
 * The answer to a range query of the working-set selector, or null for any other query. `steps(t)` is the world's
 * step at epoch second t (negative before the world began); `now` the current step.
 */
export function workingSetRange(
  world: World,
  query: string,
  start: number,
  end: number,
  stepS: number,
  stepAt: (t: number) => number,
  now: number,
): RangeSeries[] | null {
  const m = WS_QUERY.exec(query);
  if (!m) return null;
  const sel = matchers(m[1]!);
  const ns = sel.get('namespace');
  const pod = sel.get('pod');
  const podRe = pod
    ? new RegExp(`^(?:${pod.re ? pod.value : pod.value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})$`)
    : null;
  const node = world.scenario.node;
  const series = new Map<string, RangeSeries>();
  const range = Number(m[2]);
  for (let t = start; t <= end; t += stepS) {
    // The world's steps in (t - range, t]: their maximum, as max_over_time over the scrapes of that interval.
    const last = Math.min(stepAt(t), now);
    const first = Math.max(0, stepAt(t - range) + 1);
    const peak = new Map<string, { labels: Record<string, string>; bytes: number }>();
    for (let s = first; s <= last; s++)
      for (const p of world.runningPods(s)) {
        if ((ns && p.namespace !== ns.value) || (podRe && !podRe.test(p.name))) continue;
        for (const c of p.containers) {
          const key = `${p.namespace}/${p.name}/${c.name}`;
          const bytes = Math.round(c.workingSetMi(s) * MI);
          const had = peak.get(key);
          if (had) had.bytes = Math.max(had.bytes, bytes);
          else
            peak.set(key, {
              bytes,
              labels: {
                container: c.name,
                pod: p.name,
                namespace: p.namespace,
                node,
                instance: `${node}:10250`,
                job: 'kubelet',
                metrics_path: '/metrics/cadvisor',
                oomscope_metric: 'workingSet',
              },
            });
        }
      }
    for (const [key, { labels, bytes }] of peak) {
      let x = series.get(key);
      if (!x) series.set(key, (x = { metric: labels, values: [] }));
      x.values.push([t, String(bytes)]);
    }
  }
  return [...series.values()];
}

/** A stall rate (percent) at a step; before the world began, a calm node. */
type RateAt = (step: number) => { some: number; full: number };

/** The mean of `rate` over the world's steps in (t - 60 s, t], as rate(…[1m]) over the scrapes of that minute. */
function minuteRate(
  rate: RateAt,
  t: number,
  stepAt: (t: number) => number,
  now: number,
  kind: 'some' | 'full',
): number {
  const last = Math.min(stepAt(t), now);
  const first = stepAt(t - 60) + 1;
  let sum = 0;
  let n = 0;
  for (let s = Math.max(first, last - 100); s <= last; s++) {
    sum += s < 0 ? (kind === 'some' ? 1 : 0.3) : rate(s)[kind];
    n++;
  }
  return n ? sum / n / 100 : (kind === 'some' ? 1 : 0.3) / 100;
}

const PSI_PART =
  /^label_replace\(rate\((container|node)_pressure_memory_(waiting|stalled)_seconds_total\{(.*)\}\[1m\]\), "oomscope_psi", "(waiting|stalled)", "", ""\)$/;
const WS_PART =
  /^label_replace\(max_over_time\(container_memory_working_set_bytes\{(.*)\}\[1m\]\), "oomscope_psi", "workingSet", "", ""\)$/;
const NODE_COUNTERS =
  /^\{__name__=~"node_pressure_memory_waiting_seconds_total\|node_pressure_memory_stalled_seconds_total\|node_vmstat_oom_kill",(.*)\}$/;

/**
 * The workload analysis's node-exporter queries (src/cluster/analysis/promWorkload.ts), from the scenario's curves
 * (GENERATED): the window's raw counters `node_pressure_memory_{waiting,stalled}_seconds_total` (the stall rate summed
 * over the world's steps) and `node_vmstat_oom_kill` (the scenario's OOM kills so far), and `killPsi`'s 1-minute
 * rates of the container's and the node's stalls with the container's working set around a kill. Labels as
 * node_exporter's pressure and vmstat collectors scraped by kube-prometheus (instance "<node>:9100",
 * job="node-exporter"). Null for any other query.
 */
export function nodeExporterRange(
  world: World,
  query: string,
  start: number,
  end: number,
  stepS: number,
  stepAt: (t: number) => number,
  now: number,
): RangeSeries[] | null {
  const sc = world.scenario;
  const node = sc.node;
  const nodeLabels = { instance: `${node}:9100`, job: 'node-exporter' };
  const times: number[] = [];
  for (let t = start; t <= end && times.length < 11000; t += stepS) times.push(t);
  const counters = NODE_COUNTERS.exec(query);
  if (counters) {
    const inst = matchers(counters[1]!).get('instance');
    if (inst && !new RegExp(`^(?:${inst.value})$`).test(nodeLabels.instance)) return [];
    const stepSeconds = world.stepSeconds;
    // The counters at each step up to now, summed once (a window's every point reads them).
    const sums = { some: [] as number[], full: [] as number[] };
    for (let i = 0, some = 5000, full = 5000; i <= now; i++) {
      const r = sc.nodeRate(i);
      sums.some.push((some += (r.some / 100) * stepSeconds));
      sums.full.push((full += (r.full / 100) * stepSeconds));
    }
    const total = (kind: 'some' | 'full', s: number): number => (s < 0 ? 5000 : sums[kind][Math.min(s, now)]!);
    const kills = (s: number): number =>
      sc.incidents.filter((i) => i.kind !== 'eviction' && i.step <= Math.min(s, now)).length;
    const series = (name: string, value: (s: number) => number): RangeSeries => ({
      metric: { __name__: name, ...nodeLabels },
      values: times.map((t) => [t, String(value(stepAt(t)))]),
    });
    return [
      series('node_pressure_memory_waiting_seconds_total', (s) => total('some', s)),
      series('node_pressure_memory_stalled_seconds_total', (s) => total('full', s)),
      series('node_vmstat_oom_kill', kills),
    ];
  }
  const parts = query.split(' or ');
  if (!parts.every((p) => PSI_PART.test(p) || WS_PART.test(p))) return null;
  const out: RangeSeries[] = [];
  for (const part of parts) {
    const psi = PSI_PART.exec(part);
    const sel = matchers((psi ? psi[3] : WS_PART.exec(part)![1])!);
    if (psi && psi[1] === 'node') {
      const inst = sel.get('instance');
      if (inst && !new RegExp(`^(?:${inst.value})$`).test(nodeLabels.instance)) continue;
      const kind = psi[2] === 'waiting' ? 'some' : 'full';
      out.push({
        metric: { ...nodeLabels, oomscope_psi: psi[4]! },
        values: times.map((t) => [t, String(minuteRate(sc.nodeRate, t, stepAt, now, kind))]),
      });
      continue;
    }
    const pod = sc.pods.find((p) => p.namespace === sel.get('namespace')?.value && p.name === sel.get('pod')?.value);
    const c = pod?.containers.find((x) => x.name === sel.get('container')?.value);
    if (!pod || !c) continue;
    const labels = { namespace: pod.namespace, pod: pod.name, container: c.name, node, instance: `${node}:10250` };
    if (psi) {
      const kind = psi[2] === 'waiting' ? 'some' : 'full';
      const rate: RateAt = pod.rate ?? (() => ({ some: 0, full: 0 }));
      out.push({
        metric: { ...labels, oomscope_psi: psi[4]! },
        values: times.map((t) => [t, String(minuteRate(rate, t, stepAt, now, kind))]),
      });
    } else {
      out.push({
        metric: { ...labels, oomscope_psi: 'workingSet' },
        values: times
          .filter((t) => stepAt(t) >= 0)
          .map((t) => [t, String(Math.round(c.workingSetMi(Math.min(stepAt(t), now)) * MI))]),
      });
    }
  }
  return out;
}
