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
