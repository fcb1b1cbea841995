/** Working-set statistics of a workload's containers and the lines the panel plots (docs/workload.md "Containers"). */
import type { ContainerType, ScopeSeries } from './nodeAnalysisTypes';
import type { Points } from './promWorkload';
import type { WorkingSetStats, WorkloadContainer, WorkloadKill } from './workloadTypes';

/** Nearest-rank percentile of sorted values (p in 0..100). */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function workingSetStats(values: number[]): WorkingSetStats | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), max: s[s.length - 1]! };
}

/** One point per time: the largest of the pods' values (the pod nearest to its limit). */
export function maxPerTime(lists: Points[]): { t: number; workingSetBytes: number }[] {
  const by = new Map<number, number>();
  for (const l of lists) for (const p of l) by.set(p.t, Math.max(by.get(p.t) ?? 0, p.v));
  return [...by.entries()].sort((a, b) => a[0] - b[0]).map(([t, v]) => ({ t, workingSetBytes: v }));
}

export interface ContainerFacts {
  name: string;
  containerType: ContainerType;
  requestBytes: number | null;
  limitBytes: number | null;
}

/**
 * Each container of the workload (by name, across its pods): request and limit, working-set p50/p95/max over the
 * window (every sample of every pod), and its working set at each of its kills; and its chart line.
 */
export function workloadContainers(
  namespace: string,
  workload: string,
  facts: ContainerFacts[],
  workingSet: Map<string, Points>,
  kills: WorkloadKill[],
): { containers: WorkloadContainer[]; series: ScopeSeries[] } {
  const byName = new Map<string, Points[]>();
  for (const [key, pts] of workingSet) {
    const name = key.slice(key.indexOf('/') + 1);
    (byName.get(name) ?? byName.set(name, []).get(name)!).push(pts);
  }
  const names = [...new Set([...facts.map((f) => f.name), ...byName.keys()])];
  const containers: WorkloadContainer[] = [];
  const series: ScopeSeries[] = [];
  for (const name of names) {
    const f = facts.find((x) => x.name === name);
    const lists = byName.get(name) ?? [];
    const values = lists.flatMap((l) => l.map((p) => p.v));
    const own = kills.filter((k) => k.kind === 'oom' && k.container === name);
    containers.push({
      name,
      containerType: f?.containerType ?? 'container',
      requestBytes: f?.requestBytes ?? null,
      limitBytes: f?.limitBytes ?? null,
      workingSet: workingSetStats(values),
      atKills: own.map((k) => ({ t: k.t, bytes: k.workingSetAtKillBytes })),
    });
    const s: ScopeSeries = {
      scope: `container:${namespace}/${workload}/${name}`,
      label: name,
      stall: [],
      memory: maxPerTime(lists),
    };
    if (f?.requestBytes) s.requestBytes = f.requestBytes;
    if (f?.limitBytes) s.limitBytes = f.limitBytes;
    series.push(s);
  }
  return { containers, series };
}
