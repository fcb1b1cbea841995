/** From the accumulated samples of a node: each scope's series and phases, the current pressure, and each kill judged against PSI. */
import { medianIntervalSeconds, stallPoints } from '../../core/oom/psi';
import { detectPhases, judgePrecursor } from '../../core/oom/phases';
import type { PhaseInterval, PhaseSettings, PsiSample } from '../../core/oom/verdictTypes';
import type { NodeInfo } from '../access/accessTypes';
import type { KillRecord, LivePod, PodPressure, PressureNow, ScopeSeries } from './nodeAnalysisTypes';
import { containerScope, podScope } from '../../shared/scopes';
import { counterSamples } from './samples';
import type { NodeState } from './nodeState';

/** Samples of a scope: Summary API samples, else samples from cAdvisor counters. */
export function samplesOf(state: NodeState, scope: string): PsiSample[] {
  const s = state.samples.get(scope);
  if (s && s.length) return s;
  const c = state.counters.get(scope);
  return c && c.length ? counterSamples(c, scope) : [];
}

export function pressureOf(samples: PsiSample[]): PressureNow | null {
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
export function judgeKill(
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

/** The request and limit lines of a pod or container scope. */
function requestAndLimit(s: ScopeSeries, podByScope: Map<string, LivePod>): void {
  const pod = podByScope.get(s.scope);
  if (pod) {
    const sum = (f: (c: LivePod['containers'][number]) => number | null): number | undefined =>
      pod.containers.every((c) => f(c) !== null) && pod.containers.length
        ? pod.containers.reduce((a, c) => a + f(c)!, 0)
        : undefined;
    const req = sum((c) => c.requestBytes);
    const lim = pod.podLimitBytes ?? sum((c) => c.limitBytes);
    if (req !== undefined) s.requestBytes = req;
    if (lim !== undefined) s.limitBytes = lim;
  }
  if (s.scope.startsWith('container:')) {
    const [ns, podName, cname] = s.scope.slice('container:'.length).split('/');
    const c = podByScope.get(podScope(ns!, podName!))?.containers.find((x) => x.name === cname);
    if (c?.requestBytes) s.requestBytes = c.requestBytes;
    if (c?.limitBytes) s.limitBytes = c.limitBytes;
  }
}

export interface NodeSeries {
  /** Node, then pods, then containers. */
  series: ScopeSeries[];
  /** Node and pod phases, by start (container phases are only in phasesByScope). */
  phases: PhaseInterval[];
  phasesByScope: Map<string, PhaseInterval[]>;
}

/** Every scope with samples: its stall points, phases, memory, and request/limit/allocatable lines. */
export function seriesOf(
  state: NodeState,
  pods: LivePod[],
  node: NodeInfo | null,
  nodeName: string,
  settings: PhaseSettings,
): NodeSeries {
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
    requestAndLimit(s, podByScope);
    if (s.stall.length || s.memory.length) series.push(s);
  }
  const rank = (sc: string): number => (sc === 'node' ? 0 : sc.startsWith('pod:') ? 1 : 2);
  series.sort((a, b) => rank(a.scope) - rank(b.scope) || a.scope.localeCompare(b.scope));
  phases.sort((a, b) => a.start - b.start || a.scope.localeCompare(b.scope));
  return { series, phases, phasesByScope };
}

/** Current PSI of the pods whose samples are recent (within three spacings of the latest sample), most stalled first. */
export function podPressureOf(state: NodeState, pods: LivePod[], settings: PhaseSettings): PodPressure[] {
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
  return podPressure.sort((a, b) => b.some.avg10 - a.some.avg10);
}
