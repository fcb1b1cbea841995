/** OOM kills and evictions from the API side (pod status + events), merged per kill with their evidence. */
import type { QosClass } from '../../core/qosClass';
import { parseKernelMessage } from '../../core/oom/kernelLogParser';
import { classifyStatusOom } from '../../core/oom/classify';
import { processesKilledTogether } from '../../core/oom/sentences';
import { formatQuantity } from '../../core/quantity';
import type { ContainerType, KillProcess, KillRecord, OwnerRef } from './nodeAnalysisTypes';
import { limitInForce, podContainers, type LimitInForce } from './podContainers';
import { resizeWords } from './resizeWords';
import { timeMs, type WireEvent, type WirePod, type WireTerminated } from '../access/wireTypes';

/** The facts a source gives about a kill; everything else starts empty and not yet judged. */
export type KillFacts = Pick<KillRecord, 'id' | 'kind' | 't' | 'class' | 'evidence'> &
  Partial<Omit<KillRecord, 'precededBy' | 'precedingSeconds' | 'precededJudged' | 'fromHistory'>>;

/** A kill as first seen: not judged against PSI yet (analyzeNode's judge does that), not from history. */
export function killRecord(f: KillFacts): KillRecord {
  return {
    qosClass: null,
    namespace: null,
    pod: null,
    container: null,
    containerType: null,
    limitBytes: null,
    podUid: null,
    ownerReferences: [],
    message: null,
    kernel: null,
    processes: [],
    ...f,
    precededBy: null,
    precedingSeconds: null,
    precededJudged: false,
    fromHistory: false,
  };
}

/** How far apart a node OOM event and a pod's termination may be to be the same kill. */
const MATCH_MS = 90_000;

/**
 * How far apart the OOMKilling events of one group kill may be. The kernel prints one "Killed process"
 * line per process of the container within milliseconds (mm/oom_kill.c `oom_kill_memcg_member`, with the
 * victim's own message); node-problem-detector makes one event of each; event times are whole seconds.
 */
const GROUP_MS = 2000;

/** OOMKilling events shown per kill; the rest of a large group kill is counted in one line. */
const EVENTS_SHOWN = 5;

interface NodeKill {
  t: number | null;
  /** The first process named (the selected victim: the kernel kills it before the rest of its group). */
  pid: number | null;
  comm: string | null;
  oomScoreAdj: number | null;
  global: boolean;
  /** Every process the events name, each once (a group kill: several, with one oom_score_adj). */
  processes: KillProcess[];
  /** OOMKilling events beyond EVENTS_SHOWN, counted, not quoted. */
  moreEvents: number;
  evidence: string[];
  used: boolean;
  message: string;
}

/**
 * The OOMKilling "Killed process" event `k` belongs to the group kill `g`: the same OOM kind and oom_score_adj
 * (the kubelet sets one per container, inherited by its processes) within GROUP_MS, another pid. Two containers
 * with the same oom_score_adj killed within the same two seconds would be read as one kill.
 */
function sameGroup(g: NodeKill, k: Omit<NodeKill, 'used'>): boolean {
  return (
    k.pid !== null &&
    k.oomScoreAdj !== null &&
    g.oomScoreAdj === k.oomScoreAdj &&
    g.global === k.global &&
    g.t !== null &&
    k.t !== null &&
    Math.abs(g.t - k.t) <= GROUP_MS &&
    !g.processes.some((p) => p.pid === k.pid)
  );
}

function addEvidence(to: NodeKill, evidence: string[]): void {
  const events = to.evidence.filter((e) => e.startsWith('event OOMKilling')).length;
  for (const e of evidence)
    if (e.startsWith('event OOMKilling') && events >= EVENTS_SHOWN) to.moreEvents++;
    else to.evidence.push(e);
}

/** The evidence of a node kill, with the group-kill sentence first when the events name several processes. */
function nodeKillEvidence(k: NodeKill, container: string | null): string[] {
  const more = k.moreEvents ? [`… and ${k.moreEvents} more OOMKilling event(s) of the same kill`] : [];
  if (k.processes.length < 2) return [...k.evidence, ...more];
  const of = container ? `container ${container}` : `one container (oom_score_adj ${k.oomScoreAdj ?? '?'})`;
  const who = k.processes.map((p) => `${p.comm ?? '?'} (pid ${p.pid ?? '?'})`).join(', ');
  return [`${processesKilledTogether(k.processes.length, of)}: ${who}`, ...k.evidence, ...more];
}

const eventTime = (e: WireEvent): number | null =>
  timeMs(e.lastTimestamp) ?? timeMs(e.eventTime) ?? timeMs(e.firstTimestamp) ?? timeMs(e.metadata?.creationTimestamp);
const short = (s: string, n = 160): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function qos(s: string | undefined): QosClass | null {
  return s === 'Guaranteed' || s === 'Burstable' || s === 'BestEffort' ? s : null;
}

/** oom_score_adj → QoS class (kubelet: Guaranteed -997, BestEffort 1000, Burstable 2..999). */
export function qosFromAdj(adj: number | null): QosClass | null {
  if (adj === null) return null;
  if (adj <= -997) return 'Guaranteed';
  if (adj >= 1000) return 'BestEffort';
  if (adj >= 2) return 'Burstable';
  return null;
}

function owners(p: WirePod | undefined): OwnerRef[] {
  return (p?.metadata?.ownerReferences ?? []).map((o) => ({
    apiVersion: o.apiVersion ?? '',
    kind: o.kind ?? '',
    name: o.name ?? '',
    uid: o.uid ?? '',
    controller: o.controller === true,
  }));
}

function nodeKills(events: WireEvent[]): NodeKill[] {
  const kills: NodeKill[] = [];
  const sorted = [...events].sort((a, b) => (eventTime(a) ?? 0) - (eventTime(b) ?? 0));
  for (const e of sorted) {
    if (e.involvedObject?.kind !== 'Node') continue;
    const t = eventTime(e);
    const msg = e.message ?? '';
    let k: Omit<NodeKill, 'used'> | null = null;
    if (e.reason === 'SystemOOM') {
      const m = /victim process: (.+?), pid: (\d+)/.exec(msg);
      k = {
        t,
        pid: m ? Number(m[2]) : null,
        comm: m ? m[1]! : null,
        oomScoreAdj: null,
        global: true,
        processes: m ? [{ pid: Number(m[2]), comm: m[1]! }] : [],
        moreEvents: 0,
        evidence: [`event SystemOOM: ${short(msg)}`],
        message: msg,
      };
    } else if (e.reason === 'OOMKilling') {
      const km = parseKernelMessage(msg);
      if (km && (km.kind === 'killed' || km.kind === 'select')) {
        const global = km.oomKind === 'global';
        k = {
          t,
          pid: km.pid,
          comm: km.comm,
          oomScoreAdj: km.kind === 'killed' ? km.oomScoreAdj : null,
          global,
          processes: km.pid !== null ? [{ pid: km.pid, comm: km.comm }] : [],
          moreEvents: 0,
          evidence: [`event OOMKilling: ${short(msg)}`],
          message: msg,
        };
      } else {
        k = {
          t,
          pid: null,
          comm: null,
          oomScoreAdj: null,
          global: false,
          processes: [],
          moreEvents: 0,
          evidence: [`event OOMKilling: ${short(msg)}`],
          message: msg,
        };
      }
    }
    if (!k) continue;
    // SystemOOM and OOMKilling for the same kill: merge (same pid, or close in time without pid).
    const same = kills.find(
      (x) =>
        (k.pid !== null && (x.pid === k.pid || x.processes.some((p) => p.pid === k.pid))) ||
        (x.t !== null && k.t !== null && Math.abs(x.t - k.t) <= 5000 && (x.pid === null || k.pid === null)),
    );
    const group = same ? null : e.reason === 'OOMKilling' ? kills.find((x) => sameGroup(x, k!)) : undefined;
    if (same) {
      addEvidence(same, k.evidence);
      same.global = same.global || k.global;
      same.pid ??= k.pid;
      same.comm ??= k.comm;
      same.oomScoreAdj ??= k.oomScoreAdj;
      same.t ??= k.t;
      if (k.pid !== null && !same.processes.some((p) => p.pid === k.pid))
        same.processes.push({ pid: k.pid, comm: k.comm });
    } else if (group) {
      // One more process of a group kill (memory.oom.group): one kill, not another.
      addEvidence(group, k.evidence);
      group.processes.push({ pid: k.pid, comm: k.comm });
    } else kills.push({ ...k, used: false });
  }
  return kills;
}

interface Candidate {
  pod: WirePod;
  container: string;
  containerType: ContainerType;
  limit: LimitInForce;
  term: WireTerminated;
  where: 'lastState' | 'state';
}

/** Every terminated state that may be an OOM kill, of every container kind (each from its own status list). */
function candidates(pods: WirePod[]): Candidate[] {
  const out: Candidate[] = [];
  for (const pod of pods) {
    if (pod.status?.reason === 'Evicted') continue;
    for (const c of podContainers(pod)) {
      for (const where of ['lastState', 'state'] as const) {
        const term = c.status?.[where]?.terminated;
        if (!term) continue;
        if (term.reason === 'OOMKilled' || term.exitCode === 137)
          out.push({ pod, container: c.name, containerType: c.type, limit: limitInForce(pod, c), term, where });
      }
    }
  }
  return out;
}

/**
 * `OOMKilled` with exit 143 (SIGTERM: a drain, a preStop, a failed probe) or 0: the run ended by itself; the
 * runtime read the cgroup's cumulative oom_kill counter, so a child process OOM-killed earlier carried the
 * reason over (kubernetes PR #140718, fixes #140716). Not an OOM kill of that run, never a limit kill.
 */
function carriedOverWords(c: Candidate): string | null {
  if (c.term.reason !== 'OOMKilled' || (c.term.exitCode !== 143 && c.term.exitCode !== 0)) return null;
  const how =
    c.term.exitCode === 143
      ? 'exit code 143: the container ended on SIGTERM (a drain, a preStop or a failed probe), not on an OOM kill'
      : 'exit code 0: the main process exited by itself, not on an OOM kill';
  return `${how}; OOMKilled is carried over from a child process OOM-killed earlier in this container (the runtime reads the cgroup's cumulative oom_kill counter, kubernetes PR #140718)`;
}

function matchNodeKill(c: Candidate, kills: NodeKill[]): NodeKill | null {
  const t = timeMs(c.term.finishedAt);
  if (t === null) return null;
  const near = kills.filter((k) => k.t !== null && Math.abs(k.t - t) <= MATCH_MS);
  const named = (comm: string | null): boolean =>
    comm !== null && (comm === c.container || c.container.startsWith(comm) || comm.startsWith(c.container));
  const byName = near.find((k) => named(k.comm) || k.processes.some((p) => named(p.comm)));
  if (byName) return byName;
  const unused = near.filter((k) => !k.used);
  return unused.length === 1 ? unused[0]! : null;
}

/** Builds kill and eviction records from the pods on the node and the events. */
export function killsFromApi(pods: WirePod[], events: WireEvent[], node: string): KillRecord[] {
  const out: KillRecord[] = [];
  const nk = nodeKills(events);
  for (const c of candidates(pods)) {
    const carried = carriedOverWords(c);
    const m = carried ? null : matchNodeKill(c, nk);
    const statusEv =
      c.term.reason === 'OOMKilled'
        ? `pod status OOMKilled (${c.where}, exit code ${c.term.exitCode ?? '?'})`
        : `pod status (${c.where}): exit code 137 (SIGKILL) with reason ${c.term.reason ?? 'none'}`;
    let cls: KillRecord['class'];
    let evidence: string[];
    if (m && m.global) {
      m.used = true;
      const v = classifyStatusOom({
        reason: c.term.reason ?? null,
        exitCode: c.term.exitCode ?? null,
        nodeEvidence: m.evidence,
      });
      cls = v.class;
      evidence = [statusEv, ...v.evidence.slice(1)];
      if (m.processes.length > 1) evidence.push(nodeKillEvidence(m, c.container)[0]!);
    } else if (carried) {
      cls = 'unknown';
      evidence = [statusEv, carried];
    } else {
      const v = classifyStatusOom({
        reason: c.term.reason ?? null,
        exitCode: c.term.exitCode ?? null,
        nodeEvidence: [],
      });
      cls = v.class;
      evidence = [statusEv, ...v.evidence.slice(1)];
      if (m) {
        m.used = true;
        evidence.push(...nodeKillEvidence(m, c.container));
        if (cls === 'unknown') cls = 'container-limit';
        evidence = evidence.filter((e) => e !== 'no node-level OOM evidence around it');
      }
      if (cls === 'container-limit' && c.limit.source === 'pod') {
        // No limit of its own: the container ran under the pod's limit, the only one that can have been hit.
        cls = 'pod-limit';
        evidence.push(
          `no memory limit of its own: the pod-level limit ${formatQuantity(c.limit.limitBytes!)} (spec.resources) was the one hit`,
        );
      }
    }
    evidence.push(...resizeWords(c.pod, c.limit, timeMs(c.term.finishedAt)));
    const pod = c.pod;
    const uid = pod.metadata?.uid ?? null;
    out.push(
      killRecord({
        id: `oom:${uid ?? pod.metadata?.name}:${c.container}:${c.term.finishedAt ?? c.term.containerID ?? ''}`,
        kind: 'oom',
        t: timeMs(c.term.finishedAt),
        class: cls,
        qosClass: qos(pod.status?.qosClass),
        evidence,
        namespace: pod.metadata?.namespace ?? null,
        pod: pod.metadata?.name ?? null,
        container: c.container,
        containerType: c.containerType,
        limitBytes: c.limit.limitBytes,
        podUid: uid,
        ownerReferences: owners(pod),
        message: c.term.message ?? null,
        kernel: m ? { pid: m.pid, comm: m.comm, oomScoreAdj: m.oomScoreAdj, oomMemcg: null, taskMemcg: null } : null,
        processes: m ? m.processes : [],
      }),
    );
  }
  for (const k of nk) {
    if (k.used) continue;
    out.push(
      killRecord({
        id: `oom:node:${node}:${k.pid ?? ''}:${k.t ?? ''}`,
        kind: 'oom',
        t: k.t,
        class: k.global ? 'system' : 'unknown',
        qosClass: qosFromAdj(k.oomScoreAdj),
        evidence: k.global
          ? nodeKillEvidence(k, null)
          : [
              ...nodeKillEvidence(k, null),
              'memory cgroup OOM: the event does not name the cgroup whose limit was hit; the pod status or the kernel log would',
            ],
        container: k.comm,
        message: k.message,
        kernel: { pid: k.pid, comm: k.comm, oomScoreAdj: k.oomScoreAdj, oomMemcg: null, taskMemcg: null },
        processes: k.processes,
      }),
    );
  }
  out.push(...evictions(pods, events));
  return out.sort((a, b) => (a.t ?? 0) - (b.t ?? 0));
}

function evictions(pods: WirePod[], events: WireEvent[]): KillRecord[] {
  const out = new Map<string, KillRecord>();
  const byName = new Set<string>();
  const pressureEvents = events
    .filter(
      (e) =>
        e.involvedObject?.kind === 'Node' &&
        (e.reason === 'EvictionThresholdMet' || e.reason === 'NodeHasInsufficientMemory'),
    )
    .map((e) => ({ t: eventTime(e), text: `event ${e.reason}: ${short(e.message ?? '')}` }));
  const nodeEvidence = (t: number | null): string[] =>
    t === null
      ? []
      : pressureEvents.filter((e) => e.t !== null && e.t <= t + 5000 && e.t >= t - 600_000).map((e) => e.text);
  const evictedEvents = new Map<string, WireEvent>();
  for (const e of events) {
    if (e.reason !== 'Evicted' || e.involvedObject?.kind !== 'Pod') continue;
    if (e.involvedObject.uid) evictedEvents.set(e.involvedObject.uid, e);
    evictedEvents.set(`${e.involvedObject.namespace}/${e.involvedObject.name}`, e);
  }
  for (const pod of pods) {
    if (pod.status?.reason !== 'Evicted') continue;
    const uid = pod.metadata?.uid ?? null;
    const finished =
      (pod.status.containerStatuses ?? [])
        .map((c) => timeMs(c.state?.terminated?.finishedAt))
        .find((x) => x !== null) ?? null;
    const ev =
      (uid ? evictedEvents.get(uid) : undefined) ??
      evictedEvents.get(`${pod.metadata?.namespace}/${pod.metadata?.name}`);
    byName.add(`${pod.metadata?.namespace}/${pod.metadata?.name}`);
    const t = finished ?? (ev ? eventTime(ev) : null);
    const msg = pod.status.message ?? ev?.message ?? null;
    if (msg && /low on resource: /.test(msg) && !/low on resource: memory/.test(msg)) continue; // disk/PID eviction: not a memory event
    const evidence = [
      `pod status Evicted: ${short(msg ?? '')}`,
      ...(ev ? [`event Evicted: ${short(ev.message ?? '')}`] : []),
      ...nodeEvidence(t),
    ];
    out.set(
      uid ?? `${pod.metadata?.namespace}/${pod.metadata?.name}`,
      killRecord({
        id: `evict:${uid ?? `${pod.metadata?.namespace}/${pod.metadata?.name}`}`,
        kind: 'eviction',
        t,
        class: 'eviction',
        qosClass: qos(pod.status.qosClass),
        evidence,
        namespace: pod.metadata?.namespace ?? null,
        pod: pod.metadata?.name ?? null,
        podUid: uid,
        ownerReferences: owners(pod),
        message: msg,
      }),
    );
  }
  for (const e of events) {
    if (e.reason !== 'Evicted' || e.involvedObject?.kind !== 'Pod') continue;
    const key = e.involvedObject.uid ?? `${e.involvedObject.namespace}/${e.involvedObject.name}`;
    if (e.message && /low on resource: /.test(e.message) && !/low on resource: memory/.test(e.message)) continue;
    const name = `${e.involvedObject.namespace}/${e.involvedObject.name}`;
    if (out.has(key) || byName.has(name)) continue;
    byName.add(name);
    const t = eventTime(e);
    out.set(
      key,
      killRecord({
        id: `evict:${key}`,
        kind: 'eviction',
        t,
        class: 'eviction',
        evidence: [`event Evicted: ${short(e.message ?? '')}`, ...nodeEvidence(t)],
        namespace: e.involvedObject.namespace ?? null,
        pod: e.involvedObject.name ?? null,
        podUid: e.involvedObject.uid ?? null,
        message: e.message ?? null,
      }),
    );
  }
  return [...out.values()];
}
