/**
 * A workload's kills from every source, merged and judged (docs/workload.md "Kills"): the API server's pod status and
 * events (killsFromApi, the node analysis's own reader), kube-state-metrics' terminations, the history store. Each kill
 * is classified by classifyStatusOom and judged against PSI by judgeKill, as on the node panel.
 */
import { classifyStatusOom } from '../../core/oom/classify';
import { formatQuantity } from '../../core/quantity';
import { DEFAULT_PHASE_SETTINGS, type PhaseSettings } from '../../core/oom/verdictTypes';
import { killRecord } from './apiKills';
import type { KillRecord } from './nodeAnalysisTypes';
import { judgeKill, seriesOf } from './nodeSeries';
import { NodeState } from './nodeState';
import { valueAt, type KillPsi, type Points, type PromWorkloadHistory } from './promWorkload';
import type { WorkloadKill } from './workloadTypes';

/**
 * A container whose working set was below this share of its limit when the kernel killed it was not killed by its
 * own limit: a memory cgroup OOM reclaims the cgroup down to its limit first, so at its own limit's kill the working
 * set sits at the limit. Below it, the kill came from a parent cgroup (the pod, kubepods) or the node.
 */
export const OWN_LIMIT_SHARE = 0.9;

const clock = (t: number): string => new Date(t).toISOString().slice(11, 16);

export function asWorkloadKill(k: KillRecord, node: string | null, foundIn: WorkloadKill['foundIn']): WorkloadKill {
  return { ...k, node, foundIn, tSpanMs: 0, workingSetAtKillBytes: null, nodePressure: null };
}

/** The largest working set in the step before the kill (the kill resets it), from the window's cAdvisor series. */
export function workingSetBefore(points: Points | undefined, t: number, stepSeconds: number): number | null {
  if (!points) return null;
  let best: number | null = null;
  for (const p of points) if (p.t <= t + 1000 && p.t >= t - 2 * stepSeconds * 1000) best = Math.max(best ?? 0, p.v);
  return best;
}

/** How far after a kill a counter's rise is looked for: its next scrape, whatever the scrape interval (up to 5 min). */
const RISE_HORIZON_MS = 6 * 60_000;

/**
 * How much a counter rose across the kill: from its value a step before the kill to its largest value in the
 * RISE_HORIZON_MS after it (its next scrape may come minutes later). Null when it has no value on either side.
 */
export function counterRose(points: Points | undefined, t: number, stepSeconds: number): number | null {
  if (!points || !points.length) return null;
  const before = valueAt(points, t - stepSeconds * 1000, RISE_HORIZON_MS);
  const after = points.filter((p) => p.t > t && p.t <= t + RISE_HORIZON_MS).map((p) => p.v);
  if (before === null || !after.length) return null;
  return Math.max(0, Math.max(...after) - before);
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
    const line = `node ${node}: the kernel's oom_kill counter (node_vmstat_oom_kill) rose by ${rose} across the kill at ${clock(t)}`;
    if (below || (limit === null && workingSet !== null))
      nodeEvidence.push(
        `${line} while the container was ${limit ? `below ${Math.round(OWN_LIMIT_SHARE * 100)}% of its own limit` : 'without a limit of its own'}: the kill came from the node or a parent cgroup`,
      );
    else evidence.push(line);
  }
  return { nodeEvidence, evidence };
}

const NODE_LEVEL = /the kill came from the node or a parent cgroup/;
const OURS = (e: string): boolean => / just before the kill \(cAdvisor\)$/.test(e) || /node_vmstat_oom_kill/.test(e);

/**
 * The kill judged again with its working set read at every scrape of the minute before it (the window's steps may
 * have missed the peak): nodeFactsAtKill on the finer value replaces the coarse facts, and the class follows them —
 * unless the API gave node-level evidence of its own (a SystemOOM or OOMKilling event), which stands.
 */
export function withWorkingSetAtKill(k: WorkloadKill, h: PromWorkloadHistory, workingSet: number): WorkloadKill {
  if (k.kind !== 'oom' || k.t === null) return k;
  const facts = nodeFactsAtKill(h, k.node, k.t, workingSet, k.limitBytes);
  const apiNodeEvidence = k.evidence.some((e) => /^event (SystemOOM|OOMKilling)/.test(e));
  let evidence = [...k.evidence.filter((e) => !OURS(e)), ...facts.evidence, ...facts.nodeEvidence];
  let cls = k.class;
  if (!apiNodeEvidence && (cls === 'container-limit' || cls === 'pod-limit' || cls === 'system')) {
    const reason = k.evidence.some((e) => /OOMKilled/.test(e)) ? 'OOMKilled' : null;
    const v = classifyStatusOom({ reason, exitCode: 137, nodeEvidence: facts.nodeEvidence });
    cls = cls === 'pod-limit' && v.class === 'container-limit' ? 'pod-limit' : v.class;
    if (cls === 'system') evidence = evidence.filter((e) => e !== 'no node-level OOM evidence around it');
  }
  return { ...k, class: cls, evidence, workingSetAtKillBytes: workingSet };
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
    out.push({
      ...asWorkloadKill(k, info?.node ?? null, ['prometheus']),
      tSpanMs: term.precise ? 0 : 2 * h.stepSeconds * 1000,
      workingSetAtKillBytes: ws,
    });
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
    out.push({ ...asWorkloadKill(k, info?.node ?? null, ['prometheus']), tSpanMs: 2 * h.stepSeconds * 1000 });
  }
  return out;
}

/** Within `toleranceMs`, or inside the span in which an undated side happened ((t − tSpanMs, t]). */
function closeInTime(a: WorkloadKill, b: WorkloadKill, toleranceMs: number): boolean {
  if (a.t === null || b.t === null) return false;
  if (Math.abs(a.t - b.t) <= toleranceMs) return true;
  const within = (x: WorkloadKill, y: WorkloadKill): boolean =>
    x.tSpanMs > 0 && y.t! <= x.t! + toleranceMs && y.t! >= x.t! - x.tSpanMs - toleranceMs;
  return within(a, b) || within(b, a);
}

const sameKill = (a: WorkloadKill, b: WorkloadKill, toleranceMs: number): boolean =>
  a.kind === b.kind &&
  a.pod === b.pod &&
  (a.kind === 'eviction' || (a.container === b.container && closeInTime(a, b, toleranceMs)));

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
      if (hit.t === null || (hit.tSpanMs > 0 && k.tSpanMs === 0 && k.t !== null)) {
        hit.t = k.t;
        hit.tSpanMs = k.tSpanMs;
      }
      const nodeLevel = k.evidence.filter((e) => NODE_LEVEL.test(e));
      if (hit.kind === 'oom' && (hit.class === 'container-limit' || hit.class === 'pod-limit') && nodeLevel.length) {
        const v = classifyStatusOom({ reason: 'OOMKilled', exitCode: 137, nodeEvidence: nodeLevel });
        hit.class = v.class;
        hit.evidence = hit.evidence.filter((e) => e !== 'no node-level OOM evidence around it');
      }
    }
  return out.sort((a, b) => (a.t ?? 0) - (b.t ?? 0));
}

/**
 * judgeKill on the PSI around one kill (the container's and its node's, from Prometheus), with the phases detected on
 * them exactly as the node analysis does; and the node's peak PSI in the precursor window.
 */
export function judgeWithPsi(
  kill: WorkloadKill,
  psi: KillPsi,
  settings: PhaseSettings = DEFAULT_PHASE_SETTINGS,
): WorkloadKill {
  const s: PhaseSettings = { ...settings, pollIntervalSeconds: psi.stepSeconds };
  const state = new NodeState();
  for (const x of [...psi.container, ...psi.node]) state.addSample(x);
  const { phasesByScope } = seriesOf(state, [], null, kill.node ?? 'node', s);
  const judged = judgeKill(kill, state, phasesByScope, s);
  const t = kill.t ?? 0;
  const window = psi.node.filter((p) => p.t <= t && p.t >= t - settings.precursorWindowSeconds * 1000);
  const nodePressure = window.length
    ? {
        someMaxPercent: Math.max(...window.map((p) => p.some.avg10)),
        fullMaxPercent: window.some((p) => p.full) ? Math.max(...window.map((p) => p.full?.avg10 ?? 0)) : null,
      }
    : kill.nodePressure;
  return { ...kill, ...judged, nodePressure };
}
