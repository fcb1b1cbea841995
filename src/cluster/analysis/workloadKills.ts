/**
 * A workload's kills from every source, merged and judged (docs/workload.md "Kills"): the API server's pod status and
 * events (killsFromApi, the node analysis's own reader), kube-state-metrics' terminations, the history store. Each kill
 * is classified by classifyStatusOom and judged against PSI by judgeKill, as on the node panel.
 */
import { classifyStatusOom } from '../../core/oom/classify';
import { formatQuantity } from '../../core/quantity';
import { DEFAULT_PHASE_SETTINGS, type PhaseSettings } from '../../core/oom/verdictTypes';
import { containerScope } from '../../shared/scopes';
import { killRecord } from './apiKills';
import type { KillRecord } from './nodeAnalysisTypes';
import { judgeKill, seriesOf } from './nodeSeries';
import { NodeState } from './nodeState';
import { valueAt, type KillPsiCounters, type Points, type PromWorkloadHistory } from './promWorkload';
import type { WorkloadKill } from './workloadTypes';

/**
 * A container whose working set was below this share of its limit when the kernel killed it was not killed by its
 * own limit: a memory cgroup OOM reclaims the cgroup down to its limit first, so at its own limit's kill the working
 * set sits at the limit. Below it, the kill came from a parent cgroup (the pod, kubepods) or the node.
 */
export const OWN_LIMIT_SHARE = 0.9;

const clock = (t: number): string => new Date(t).toISOString().slice(11, 16);

export function asWorkloadKill(k: KillRecord, node: string | null, foundIn: WorkloadKill['foundIn']): WorkloadKill {
  return { ...k, node, foundIn, workingSetAtKillBytes: null, nodePressure: null };
}

/** The largest working set in the step before the kill (the kill resets it), from the window's cAdvisor series. */
export function workingSetBefore(points: Points | undefined, t: number, stepSeconds: number): number | null {
  if (!points) return null;
  let best: number | null = null;
  for (const p of points) if (p.t <= t + 1000 && p.t >= t - 2 * stepSeconds * 1000) best = Math.max(best ?? 0, p.v);
  return best;
}

function counterRose(points: Points | undefined, t: number, stepSeconds: number): number | null {
  if (!points || !points.length) return null;
  const before = valueAt(points, t - stepSeconds * 1000, 3 * stepSeconds * 1000);
  const after = valueAt(points, t + 2 * stepSeconds * 1000, 3 * stepSeconds * 1000);
  if (before === null || after === null) return null;
  return Math.max(0, after - before);
}

/**
 * The node-level facts Prometheus gives about an OOM kill: the node's oom_kill counter rose at it while the container
 * was well below its own limit (then it was a parent cgroup's or the node's kill: classifyStatusOom's nodeEvidence).
 */
export function nodeFactsAtKill(
  h: PromWorkloadHistory,
  node: string | null,
  t: number,
  workingSet: number | null,
  limit: number | null,
): { nodeEvidence: string[]; evidence: string[] } {
  const evidence: string[] = [];
  const nodeEvidence: string[] = [];
  if (workingSet !== null)
    evidence.push(
      `working set ${formatQuantity(workingSet)}${limit ? ` of its ${formatQuantity(limit)} limit (${Math.round((100 * workingSet) / limit)}%)` : ''} just before the kill (cAdvisor)`,
    );
  const rose = node ? counterRose(h.nodeOomKill.get(node), t, h.stepSeconds) : null;
  if (rose !== null && rose > 0) {
    const below = workingSet !== null && limit !== null && workingSet < OWN_LIMIT_SHARE * limit;
    const line = `node ${node}: the kernel's oom_kill counter (node_vmstat_oom_kill) rose by ${rose} at ${clock(t)}`;
    if (below || (limit === null && workingSet !== null))
      nodeEvidence.push(
        `${line} while the container was ${limit ? `below ${Math.round(OWN_LIMIT_SHARE * 100)}% of its own limit` : 'without a limit of its own'}: the kill came from the node or a parent cgroup`,
      );
    else evidence.push(line);
  }
  return { nodeEvidence, evidence };
}

/** Kills and evictions as kube-state-metrics recorded them (the pods' own terminations). */
export function killsFromPrometheus(
  h: PromWorkloadHistory,
  namespace: string,
  belongs: (pod: string) => boolean,
): WorkloadKill[] {
  const out: WorkloadKill[] = [];
  for (const term of h.terminations) {
    if (!belongs(term.pod)) continue;
    if (term.reason !== 'OOMKilled' && term.exitCode !== 137) continue;
    const info = h.pods.get(term.pod);
    const key = `${term.pod}/${term.container}`;
    const limit = h.limits.get(key) ?? null;
    const ws = workingSetBefore(h.workingSet.get(key), term.t, h.stepSeconds);
    const facts = nodeFactsAtKill(h, info?.node ?? null, term.t, ws, limit);
    const v = classifyStatusOom({ reason: term.reason, exitCode: term.exitCode, nodeEvidence: facts.nodeEvidence });
    const when = term.precise
      ? 'kube_pod_container_status_last_terminated_timestamp'
      : `restart seen between ${clock(term.t - h.stepSeconds * 1000)} and ${clock(term.t)} (kube-state-metrics, ${h.stepSeconds}s steps)`;
    const k = killRecord({
      id: `oom:${info?.uid ?? term.pod}:${term.container}:prom:${Math.round(term.t / 1000)}`,
      kind: 'oom',
      t: term.t,
      class: v.class,
      evidence: [
        `kube-state-metrics: last terminated reason ${term.reason ?? 'unknown'}${term.exitCode !== null ? `, exit code ${term.exitCode}` : ''} (${when})`,
        ...v.evidence.slice(1),
        ...facts.evidence,
      ],
      namespace,
      pod: term.pod,
      container: term.container,
      limitBytes: limit,
      podUid: info?.uid ?? null,
    });
    out.push({ ...asWorkloadKill(k, info?.node ?? null, ['prometheus']), workingSetAtKillBytes: ws });
  }
  for (const e of h.evictions) {
    if (!belongs(e.pod)) continue;
    const info = h.pods.get(e.pod);
    const k = killRecord({
      id: `evict:${info?.uid ?? e.pod}`,
      kind: 'eviction',
      t: e.t,
      class: 'eviction',
      evidence: [`kube-state-metrics: kube_pod_status_reason Evicted from ${clock(e.t)}`],
      namespace,
      pod: e.pod,
      podUid: info?.uid ?? null,
    });
    out.push(asWorkloadKill(k, info?.node ?? null, ['prometheus']));
  }
  return out;
}

const sameKill = (a: WorkloadKill, b: WorkloadKill, toleranceMs: number): boolean =>
  a.kind === b.kind &&
  a.pod === b.pod &&
  (a.kind === 'eviction' || a.container === b.container) &&
  (a.kind === 'eviction' || (a.t !== null && b.t !== null && Math.abs(a.t - b.t) <= toleranceMs));

/**
 * One record per kill: the API server's (most detailed) first, then Prometheus's and the history store's, each
 * merged into an earlier one when it names the same pod, container and time (within `toleranceMs`). When Prometheus
 * gives node-level evidence the API record lacked, the kill is classified again with it.
 */
export function mergeWorkloadKills(lists: WorkloadKill[][], toleranceMs: number): WorkloadKill[] {
  const out: WorkloadKill[] = [];
  for (const list of lists)
    for (const k of list) {
      const hit = out.find((o) => o.id === k.id || sameKill(o, k, toleranceMs));
      if (!hit) {
        out.push({ ...k, evidence: [...k.evidence], foundIn: [...k.foundIn] });
        continue;
      }
      for (const f of k.foundIn) if (!hit.foundIn.includes(f)) hit.foundIn.push(f);
      for (const e of k.evidence) if (!hit.evidence.includes(e)) hit.evidence.push(e);
      hit.workingSetAtKillBytes ??= k.workingSetAtKillBytes;
      hit.limitBytes ??= k.limitBytes;
      hit.node ??= k.node;
      hit.t ??= k.t;
      const nodeLevel = k.evidence.filter((e) => /the kill came from the node or a parent cgroup/.test(e));
      if (hit.kind === 'oom' && (hit.class === 'container-limit' || hit.class === 'pod-limit') && nodeLevel.length) {
        const v = classifyStatusOom({ reason: 'OOMKilled', exitCode: 137, nodeEvidence: nodeLevel });
        hit.class = v.class;
        hit.evidence = hit.evidence.filter((e) => e !== 'no node-level OOM evidence around it');
      }
    }
  return out.sort((a, b) => (a.t ?? 0) - (b.t ?? 0));
}

/**
 * judgeKill on the PSI around one kill (the container's and its node's counters from Prometheus), with the phases
 * detected on them exactly as the node analysis does.
 */
export function judgeWithCounters(
  kill: WorkloadKill,
  c: KillPsiCounters,
  settings: PhaseSettings = DEFAULT_PHASE_SETTINGS,
): WorkloadKill {
  const s: PhaseSettings = { ...settings, pollIntervalSeconds: c.stepSeconds };
  const state = new NodeState();
  if (kill.namespace && kill.pod && kill.container)
    for (const p of c.container) state.addCounter(containerScope(kill.namespace, kill.pod, kill.container), p);
  for (const p of c.node) state.addCounter('node', p);
  const { phasesByScope, series } = seriesOf(state, [], null, kill.node ?? 'node', s);
  const judged = judgeKill(kill, state, phasesByScope, s);
  const nodeStall = series.find((x) => x.scope === 'node')?.stall ?? [];
  const t = kill.t ?? 0;
  const window = nodeStall.filter((p) => p.t <= t && p.t >= t - settings.precursorWindowSeconds * 1000);
  const nodePressure = window.length
    ? {
        someMaxPercent: Math.max(...window.map((p) => p.somePercent)),
        fullMaxPercent: window.some((p) => p.fullPercent !== null)
          ? Math.max(...window.map((p) => p.fullPercent ?? 0))
          : null,
      }
    : kill.nodePressure;
  return { ...kill, ...judged, nodePressure };
}
