/** One poll of one node: fetch every source (each optional), accumulate, judge, describe. */
import { medianIntervalSeconds, stallPoints } from '../../core/oom/psi';
import { detectPhases, judgePrecursor } from '../../core/oom/phases';
import {
  DEFAULT_PHASE_SETTINGS,
  type PhaseInterval,
  type PhaseSettings,
  type PsiSample,
} from '../../core/oom/verdictTypes';
import type { QosClass } from '../../core/qosClass';
import type { NodeInfo } from '../access/accessTypes';
import type {
  AnalyzeNodeOptions,
  KillRecord,
  LivePod,
  NodeAnalysis,
  PodPressure,
  PressureNow,
  ScopeSeries,
  SourceName,
  SourceState,
} from './nodeAnalysisTypes';
import type { ClusterAccess, ClusterError, Result } from '../access/accessTypes';
import { getNode, toNodeInfo } from '../access/nodes';
import { fetchCadvisor, fetchEvents, fetchNodeMetrics, fetchPods, fetchSummary } from '../access/fetchers';
import { backfillNodePsi, findPrometheus } from '../access/prometheus';
import { wireMemoryBytes, type WireEvent, type WirePod } from '../access/wireTypes';
import { counterSamples, fromCadvisor, fromSummary } from './samples';
import { containerScope, podScope } from '../../shared/scopes';
import { killsFromApi } from './apiKills';
import { NodeState } from './nodeState';
import { loadHistory, saveHistory } from './killHistory';
import { notesFor } from './sourceNotes';
import { beginPoll } from '../access/kubeconfig';

export { NodeState };

function sourceState(e: ClusterError): SourceState {
  if (e.kind === 'forbidden') return `forbidden: ${e.message}`;
  if (e.kind === 'not-found') return `unavailable: ${e.message}`;
  return `error: ${e.message}`;
}

export function livePod(p: WirePod): LivePod {
  const q = p.status?.qosClass;
  const statuses = p.status?.containerStatuses ?? [];
  return {
    namespace: p.metadata?.namespace ?? '',
    name: p.metadata?.name ?? '',
    uid: p.metadata?.uid ?? '',
    qosClass: q === 'Guaranteed' || q === 'Burstable' || q === 'BestEffort' ? (q as QosClass) : null,
    labels: p.metadata?.labels ?? {},
    ownerReferences: (p.metadata?.ownerReferences ?? []).map((o) => ({
      apiVersion: o.apiVersion ?? '',
      kind: o.kind ?? '',
      name: o.name ?? '',
      uid: o.uid ?? '',
      controller: o.controller === true,
    })),
    phase: p.status?.phase ?? null,
    reason: p.status?.reason ?? null,
    restarts: statuses.reduce((s, c) => s + (c.restartCount ?? 0), 0),
    containers: (p.spec?.containers ?? []).map((c) => {
      const st = statuses.find((s) => s.name === c.name);
      return {
        name: c.name ?? '',
        requestBytes: wireMemoryBytes(c.resources?.requests?.memory),
        limitBytes: wireMemoryBytes(c.resources?.limits?.memory),
        restartCount: st?.restartCount ?? 0,
        containerId: st?.containerID?.replace(/^[a-z-]+:\/\//, '') ?? null,
      };
    }),
  };
}

/** Samples of a scope: Summary API samples, else samples from cAdvisor counters. */
function samplesOf(state: NodeState, scope: string): PsiSample[] {
  const s = state.samples.get(scope);
  if (s && s.length) return s;
  const c = state.counters.get(scope);
  return c && c.length ? counterSamples(c, scope) : [];
}

function pressureOf(samples: PsiSample[]): PressureNow | null {
  const last = samples[samples.length - 1];
  if (!last) return null;
  const avg = (a: { avg10: number; avg60: number; avg300: number }): PressureNow['some'] => ({
    avg10: a.avg10,
    avg60: a.avg60,
    avg300: a.avg300,
  });
  return { some: avg(last.some), full: last.full ? avg(last.full) : null };
}

/** The spacing a scope's samples are judged with: the poll interval, or their median spacing when wider. */
function spacingOf(samples: PsiSample[], settings: PhaseSettings): number {
  return Math.max(settings.pollIntervalSeconds, medianIntervalSeconds(samples) ?? 0);
}

/** `judgePrecursor` on the first scope whose PSI covers the kill: the node first for node-level kills, else the container, pod, node. */
function judge(
  kill: KillRecord,
  state: NodeState,
  phasesByScope: Map<string, PhaseInterval[]>,
  settings: PhaseSettings,
): KillRecord {
  if (kill.t === null) return { ...kill, precededBy: null, precedingSeconds: null, precededJudged: false };
  const t = kill.t;
  const nodeFirst = kill.class === 'system' || kill.class === 'node-allocatable' || kill.class === 'eviction';
  const own =
    kill.namespace && kill.pod
      ? [
          ...(kill.container ? [containerScope(kill.namespace, kill.pod, kill.container)] : []),
          podScope(kill.namespace, kill.pod),
        ]
      : [];
  const order = nodeFirst ? ['node', ...own] : [...own, 'node'];
  for (const scope of order) {
    const samples = samplesOf(state, scope);
    const psi = {
      times: samples.map((s) => s.t),
      toleranceMs: 3 * spacingOf(samples, settings) * 1000,
      phases: phasesByScope.get(scope) ?? [],
    };
    const r = judgePrecursor(t, psi, settings);
    if (r.judged) return { ...kill, precededBy: r.precededBy, precedingSeconds: r.seconds, precededJudged: true };
  }
  return { ...kill, precededBy: null, precedingSeconds: null, precededJudged: false };
}

/** Polls every source once into `state` and returns the whole analysis so far. */
export async function pollNode(
  access: ClusterAccess,
  nodeName: string,
  state: NodeState,
  opts: AnalyzeNodeOptions & { intervalSeconds?: number },
  signal?: AbortSignal,
): Promise<Result<NodeAnalysis>> {
  const settings: PhaseSettings = {
    ...DEFAULT_PHASE_SETTINGS,
    ...opts.phaseSettings,
    pollIntervalSeconds: opts.intervalSeconds ?? opts.phaseSettings?.pollIntervalSeconds ?? 10,
  };
  if (state.polls === 0)
    for (const k of loadHistory(opts.historyDir, access.context, nodeName)) state.kills.set(k.id, k);
  state.polls++;
  beginPoll(access);
  const now = Date.now();
  const wantBackfill = !state.backfilled;
  const [nodeR, podsR, eventsR, summaryR, cadvisorR, metricsR, promTarget] = await Promise.all([
    getNode(access, nodeName, signal),
    fetchPods(access, nodeName, signal),
    fetchEvents(access, nodeName, signal),
    fetchSummary(access, nodeName, signal),
    fetchCadvisor(access, nodeName, signal),
    fetchNodeMetrics(access, nodeName, signal),
    wantBackfill ? findPrometheus(access, opts.prometheusUrl, signal) : Promise.resolve(null),
  ]);
  if (!nodeR.ok) {
    // The node does not exist, the credentials are rejected, or nothing answers: no analysis.
    const dead = (r: Result<unknown>): boolean =>
      !r.ok && (r.error.kind === 'unreachable' || r.error.kind === 'timeout');
    if (nodeR.error.kind === 'not-found' || nodeR.error.kind === 'unauthorized') return nodeR;
    if (dead(nodeR) && dead(podsR) && dead(eventsR)) return nodeR;
  }
  const sources = {} as Record<SourceName, SourceState>;
  sources.node = nodeR.ok ? 'ok' : sourceState(nodeR.error);
  const node: NodeInfo | null = nodeR.ok ? toNodeInfo(nodeR.value) : null;
  sources.pods = podsR.ok ? 'ok' : sourceState(podsR.error);
  sources.events = eventsR.ok ? 'ok' : sourceState(eventsR.error);
  sources.summary = summaryR.ok ? 'ok' : sourceState(summaryR.error);
  sources.cadvisor = cadvisorR.ok ? 'ok' : sourceState(cadvisorR.error);
  sources.metrics = metricsR.ok ? 'ok' : sourceState(metricsR.error);

  let summaryHasPsi = false;
  if (summaryR.ok) {
    const r = fromSummary(summaryR.value, now);
    summaryHasPsi = r.hasPsi;
    for (const s of r.samples) state.addSample(s);
    for (const m of r.memory) state.addMemory(m);
  }
  let cadvisorHasPsi = false;
  const oomEvents = new Map<string, number>();
  if (cadvisorR.ok) {
    const r = fromCadvisor(cadvisorR.value, now);
    cadvisorHasPsi = r.hasPsi;
    for (const [scope, p] of r.counters) state.addCounter(scope, p);
    if (!summaryR.ok) for (const m of r.memory) state.addMemory(m);
    for (const [k, v] of r.oomEvents) oomEvents.set(k, v);
  }

  if (promTarget === null) {
    sources.prometheus = state.backfilled ? 'ok' : 'unavailable: no Prometheus found';
  } else if (!promTarget.ok) {
    sources.prometheus = sourceState(promTarget.error);
  } else if (promTarget.value === null) {
    sources.prometheus =
      'unavailable: no Prometheus found (no Service labelled app.kubernetes.io/name=prometheus; set oomscope.prometheus.url)';
    state.backfilled = true;
  } else {
    const hours = opts.backfillHours ?? 3;
    const first = state.samples.get('node')?.[0]?.t ?? now;
    const r = await backfillNodePsi(access, promTarget.value, nodeName, first - hours * 3600_000, first - 1000, signal);
    if (r.ok) {
      for (const s of r.value) state.addSample(s);
      sources.prometheus = 'ok';
      state.backfilled = true;
    } else sources.prometheus = sourceState(r.error);
  }
  if (sources.prometheus === 'unavailable: no Prometheus found' && state.backfilled) sources.prometheus = 'ok';

  const wirePods: WirePod[] = podsR.ok ? podsR.value : [];
  const events: WireEvent[] = eventsR.ok ? eventsR.value : [];
  const pods = wirePods.map(livePod);
  const seen = podsR.ok || eventsR.ok ? killsFromApi(wirePods, events, nodeName) : [];
  for (const k of seen) {
    if (k.namespace && k.pod && k.container) {
      const n = oomEvents.get(containerScope(k.namespace, k.pod, k.container));
      if (n) k.evidence.push(`cAdvisor container_oom_events_total = ${n}`);
    }
  }
  const changed = state.mergeKills(seen);

  // Series, phases, pressure.
  const scopes = new Set<string>(['node', ...state.samples.keys(), ...state.counters.keys(), ...state.memory.keys()]);
  const phasesByScope = new Map<string, PhaseInterval[]>();
  const series: ScopeSeries[] = [];
  const podByScope = new Map(pods.map((p) => [podScope(p.namespace, p.name), p]));
  const phases: PhaseInterval[] = [];
  for (const scope of scopes) {
    const samples = samplesOf(state, scope);
    const pts = samples.length ? stallPoints(samples, spacingOf(samples, settings)) : [];
    const ph = pts.length ? detectPhases(pts, scope, settings) : [];
    phasesByScope.set(scope, ph);
    if (!scope.startsWith('container:')) phases.push(...ph);
    const s: ScopeSeries = {
      scope,
      label: scope === 'node' ? `node ${nodeName}` : scope.replace(/^(pod|container):/, ''),
      stall: pts.flat(),
      memory: state.memory.get(scope) ?? [],
    };
    if (scope === 'node' && node?.allocatableBytes) s.allocatableBytes = node.allocatableBytes;
    const pod = podByScope.get(scope);
    if (pod) {
      const sum = (f: (c: LivePod['containers'][number]) => number | null): number | undefined =>
        pod.containers.every((c) => f(c) !== null) && pod.containers.length
          ? pod.containers.reduce((a, c) => a + f(c)!, 0)
          : undefined;
      const req = sum((c) => c.requestBytes);
      const lim = sum((c) => c.limitBytes);
      if (req !== undefined) s.requestBytes = req;
      if (lim !== undefined) s.limitBytes = lim;
    }
    if (scope.startsWith('container:')) {
      const [ns, podName, cname] = scope.slice('container:'.length).split('/');
      const c = podByScope.get(podScope(ns!, podName!))?.containers.find((x) => x.name === cname);
      if (c?.requestBytes) s.requestBytes = c.requestBytes;
      if (c?.limitBytes) s.limitBytes = c.limitBytes;
    }
    if (s.stall.length || s.memory.length) series.push(s);
  }
  const rank = (sc: string): number => (sc === 'node' ? 0 : sc.startsWith('pod:') ? 1 : 2);
  series.sort((a, b) => rank(a.scope) - rank(b.scope) || a.scope.localeCompare(b.scope));
  phases.sort((a, b) => a.start - b.start || a.scope.localeCompare(b.scope));

  const kills = [...state.kills.values()]
    .map((k) => judge(k, state, phasesByScope, settings))
    .sort((a, b) => (a.t ?? 0) - (b.t ?? 0));
  if (changed) saveHistory(opts.historyDir, access.context, nodeName, kills);

  const latestT = Math.max(
    0,
    ...[...state.samples.values(), ...state.counters.values()].map((l) => l[l.length - 1]?.t ?? 0),
  );
  const podPressure: PodPressure[] = [];
  for (const p of pods) {
    const samples = samplesOf(state, podScope(p.namespace, p.name));
    const last = samples[samples.length - 1];
    if (!last || last.t < latestT - 3 * spacingOf(samples, settings) * 1000) continue;
    const pr = pressureOf(samples);
    if (pr) podPressure.push({ namespace: p.namespace, name: p.name, ...pr });
  }
  podPressure.sort((a, b) => b.some.avg10 - a.some.avg10);

  const analysis: NodeAnalysis = {
    version: 1,
    context: access.context,
    generatedAt: now,
    node,
    sources,
    pressure: { node: pressureOf(samplesOf(state, 'node')), pods: podPressure },
    phases,
    ooms: kills.filter((k) => k.kind === 'oom'),
    evictions: kills.filter((k) => k.kind === 'eviction'),
    series,
    pods,
    notes: [],
  };
  analysis.notes = notesFor(analysis, { summaryHasPsi, cadvisorHasPsi });
  return { ok: true, value: analysis };
}

/** Polls a node once (no history kept between calls unless historyDir is given). */
export function analyzeNodeOnce(
  access: ClusterAccess,
  node: string,
  opts: AnalyzeNodeOptions = {},
  signal?: AbortSignal,
): Promise<Result<NodeAnalysis>> {
  return pollNode(access, node, new NodeState(), opts, signal);
}
