/**
 * One poll of one node, in named steps: fetch every source (each optional), note each source's state,
 * accumulate samples, backfill from Prometheus once, read pods and kills, build series and phases,
 * judge the kills, describe. The steps that read samples live in nodeSeries.ts.
 */
import { DEFAULT_PHASE_SETTINGS, type PhaseSettings } from '../../core/oom/verdictTypes';
import type { NodeInfo } from '../access/accessTypes';
import type {
  AnalyzeNodeOptions,
  KillRecord,
  LivePod,
  NodeAnalysis,
  SourceName,
  SourceState,
} from './nodeAnalysisTypes';
import type { ClusterAccess, ClusterError, Result } from '../access/accessTypes';
import { getNode, toNodeInfo } from '../access/nodes';
import {
  fetchCadvisor,
  fetchConfigz,
  fetchEvents,
  fetchNodeMetrics,
  fetchPods,
  fetchSummary,
} from '../access/fetchers';
import { backfillNodePsi, findPrometheus } from '../access/prometheus';
import type { WireEvent, WirePod } from '../access/wireTypes';
import { fromCadvisor, fromSummary } from './samples';
import { containerScope } from '../../shared/scopes';
import { killsFromApi } from './apiKills';
import { joinKernelReports } from './kernelReports';
import { NodeState } from './nodeState';
import { loadHistory, saveHistory } from './killHistory';
import { notesFor } from './sourceNotes';
import { beginPoll } from '../access/kubeconfig';
import { livePod } from './livePod';
import { kubeletInfo, UNKNOWN_KUBELET } from './kubeletConfig';
import { memoryBudget, withBudgetWords } from './memoryBudget';
import { pressureScopeWords } from './pressureScope';
import { judgeKill, podPressureOf, pressureOf, samplesOf, seriesOf } from './nodeSeries';
import { memoryControlsOf, memoryHighWords, nodeSwapOf, withControlLines } from './swapQos';

export { NodeState, livePod };

type PollOptions = AnalyzeNodeOptions & { intervalSeconds?: number };

function sourceState(e: ClusterError): SourceState {
  if (e.kind === 'forbidden') return `forbidden: ${e.message}`;
  if (e.kind === 'not-found') return `unavailable: ${e.message}`;
  return `error: ${e.message}`;
}

const stateOf = (r: Result<unknown>): SourceState => (r.ok ? 'ok' : sourceState(r.error));

function phaseSettingsOf(opts: PollOptions): PhaseSettings {
  return {
    ...DEFAULT_PHASE_SETTINGS,
    ...opts.phaseSettings,
    pollIntervalSeconds: opts.intervalSeconds ?? opts.phaseSettings?.pollIntervalSeconds ?? 10,
  };
}

/** Step 1: every source at once; Prometheus is looked for only until the backfill is done. */
async function fetchSources(
  access: ClusterAccess,
  nodeName: string,
  state: NodeState,
  opts: PollOptions,
  signal?: AbortSignal,
) {
  const [node, pods, events, summary, cadvisor, metrics, configz, prometheus] = await Promise.all([
    getNode(access, nodeName, signal),
    fetchPods(access, nodeName, signal),
    fetchEvents(access, nodeName, signal),
    fetchSummary(access, nodeName, signal),
    fetchCadvisor(access, nodeName, signal),
    fetchNodeMetrics(access, nodeName, signal),
    fetchConfigz(access, nodeName, signal),
    !state.backfilled ? findPrometheus(access, opts.prometheusUrl, signal) : Promise.resolve(null),
  ]);
  return { node, pods, events, summary, cadvisor, metrics, configz, prometheus };
}
type Fetched = Awaited<ReturnType<typeof fetchSources>>;

/** The node does not exist, the credentials are rejected, or nothing answers: no analysis (the error), else null. */
function fatalError(f: Fetched): Result<NodeAnalysis> | null {
  if (f.node.ok) return null;
  const dead = (r: Result<unknown>): boolean => !r.ok && (r.error.kind === 'unreachable' || r.error.kind === 'timeout');
  if (f.node.error.kind === 'not-found' || f.node.error.kind === 'unauthorized') return f.node;
  if (dead(f.node) && dead(f.pods) && dead(f.events)) return f.node;
  return null;
}

interface Accumulated {
  summaryHasPsi: boolean;
  cadvisorHasPsi: boolean;
  /** cAdvisor container_oom_events_total by container scope. */
  oomEvents: Map<string, number>;
}

/** Step 2: Summary API samples and memory, cAdvisor counters (memory only when the Summary API failed). */
function accumulateSamples(state: NodeState, f: Fetched, now: number): Accumulated {
  const acc: Accumulated = { summaryHasPsi: false, cadvisorHasPsi: false, oomEvents: new Map() };
  if (f.summary.ok) {
    const r = fromSummary(f.summary.value, now);
    acc.summaryHasPsi = r.hasPsi;
    for (const s of r.samples) state.addSample(s);
    for (const m of r.memory) state.addMemory(m);
  }
  if (f.cadvisor.ok) {
    const r = fromCadvisor(f.cadvisor.value, now);
    acc.cadvisorHasPsi = r.hasPsi;
    for (const [scope, p] of r.counters) state.addCounter(scope, p);
    if (!f.summary.ok) for (const m of r.memory) state.addMemory(m);
    for (const [k, v] of r.oomEvents) acc.oomEvents.set(k, v);
  }
  return acc;
}

/** Step 3: node PSI from before the first sample, once; returns the prometheus source state. */
async function backfill(
  access: ClusterAccess,
  nodeName: string,
  state: NodeState,
  f: Fetched,
  opts: PollOptions,
  now: number,
  signal?: AbortSignal,
): Promise<SourceState> {
  const target = f.prometheus;
  if (target === null) return state.backfilled ? 'ok' : 'unavailable: no Prometheus found';
  if (!target.ok) return sourceState(target.error);
  if (target.value === null) {
    state.backfilled = true;
    return 'unavailable: no Prometheus found (no Service labelled app.kubernetes.io/name=prometheus; set oomscope.prometheus.url)';
  }
  const hours = opts.backfillHours ?? 3;
  const first = state.samples.get('node')?.[0]?.t ?? now;
  const r = await backfillNodePsi(access, target.value, nodeName, first - hours * 3600_000, first - 1000, signal);
  if (!r.ok) return sourceState(r.error);
  for (const s of r.value) state.addSample(s);
  state.backfilled = true;
  return 'ok';
}

/** Step 4: the pods, and the kills of pod status and events merged into the state; true when the kills changed. */
function podsAndKills(
  state: NodeState,
  f: Fetched,
  nodeName: string,
  oomEvents: Map<string, number>,
): { pods: LivePod[]; changed: boolean } {
  const wirePods: WirePod[] = f.pods.ok ? f.pods.value : [];
  const events: WireEvent[] = f.events.ok ? f.events.value : [];
  const seen = f.pods.ok || f.events.ok ? killsFromApi(wirePods, events, nodeName) : [];
  for (const k of seen) {
    if (k.namespace && k.pod && k.container) {
      const n = oomEvents.get(containerScope(k.namespace, k.pod, k.container));
      if (n) k.evidence.push(`cAdvisor container_oom_events_total = ${n}`);
    }
  }
  return { pods: wirePods.map(livePod), changed: state.mergeKills(seen) };
}

/** Polls every source once into `state` and returns the whole analysis so far. */
export async function pollNode(
  access: ClusterAccess,
  nodeName: string,
  state: NodeState,
  opts: PollOptions,
  signal?: AbortSignal,
): Promise<Result<NodeAnalysis>> {
  const settings = phaseSettingsOf(opts);
  if (state.polls === 0)
    for (const k of loadHistory(opts.historyDir, access.context, nodeName)) state.kills.set(k.id, k);
  state.polls++;
  beginPoll(access);
  const now = Date.now();

  const f = await fetchSources(access, nodeName, state, opts, signal);
  const fatal = fatalError(f);
  if (fatal) return fatal;
  const node: NodeInfo | null = f.node.ok ? toNodeInfo(f.node.value) : null;
  const acc = accumulateSamples(state, f, now);
  const sources: Record<SourceName, SourceState> = {
    node: stateOf(f.node),
    pods: stateOf(f.pods),
    events: stateOf(f.events),
    summary: stateOf(f.summary),
    cadvisor: stateOf(f.cadvisor),
    metrics: stateOf(f.metrics),
    configz: stateOf(f.configz),
    prometheus: await backfill(access, nodeName, state, f, opts, now, signal),
  };
  if (sources.prometheus === 'unavailable: no Prometheus found' && state.backfilled) sources.prometheus = 'ok';

  const { pods, changed } = podsAndKills(state, f, nodeName, acc.oomEvents);
  const { series, phases, phasesByScope } = seriesOf(state, pods, node, nodeName, settings);
  const kubelet =
    f.configz.ok && f.configz.value.kubeletconfig
      ? kubeletInfo(f.configz.value.kubeletconfig, node?.capacityBytes ?? null)
      : UNKNOWN_KUBELET;
  const nodeMemory = state.memory.get('node') ?? [];
  const budget = memoryBudget(node, kubelet, nodeMemory);
  const judged = joinKernelReports([...state.kills.values()], state.kernelReports, nodeName).map((k) =>
    judgeKill(k, state, phasesByScope, settings),
  );
  const evictions = judged.filter((k) => k.kind === 'eviction');
  const kills: KillRecord[] = judged
    .map((k) => withBudgetWords(k, { kubelet, budget, nodeMemory, evictions }))
    .sort((a, b) => (a.t ?? 0) - (b.t ?? 0));
  if (changed) saveHistory(opts.historyDir, access.context, nodeName, kills);

  const nodeNow = pressureOf(samplesOf(state, 'node'));
  const podPressure = podPressureOf(state, pods, settings);
  const wireNode = f.node.ok ? f.node.value : null;
  const summary = f.summary.ok ? f.summary.value : null;
  const swap = nodeSwapOf(wireNode, summary, kubelet);
  const memoryControls = memoryControlsOf(f.pods.ok ? f.pods.value : [], wireNode, summary, kubelet, swap);
  withControlLines(series, memoryControls);
  const analysis: NodeAnalysis = {
    version: 1,
    context: access.context,
    generatedAt: now,
    node,
    kubelet,
    budget,
    sources,
    pressure: {
      node: nodeNow,
      pods: podPressure,
      scope: [...pressureScopeWords(node, nodeNow, podPressure), ...memoryHighWords(memoryControls)],
    },
    phases,
    ooms: kills.filter((k) => k.kind === 'oom'),
    evictions: kills.filter((k) => k.kind === 'eviction'),
    series,
    pods,
    swap,
    memoryControls,
    notes: [],
  };
  analysis.notes = notesFor(analysis, acc);
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
