/**
 * `analyzeWorkload`: every OOM kill and eviction of one workload's pods, on any node, over a window (docs/workload.md).
 * Requests are narrowed server side: the workload's own label selector and namespace for pods, field selectors for
 * events, Prometheus queries by namespace and pod-name pattern, node data only for the nodes that ran the pods.
 */
import { DEFAULT_PHASE_SETTINGS } from '../../core/oom/verdictTypes';
import type { QosClass } from '../../core/qosClass';
import { containerScope } from '../../shared/scopes';
import type { ClusterAccess, ClusterErrorKind, Result } from '../access/accessTypes';
import { findPrometheus } from '../access/prometheus';
import {
  fetchJobsOf,
  fetchNodeEventsByReason,
  fetchPodByName,
  fetchPodEventsIn,
  fetchPodsBySelector,
  fetchWorkload,
  labelSelectorString,
  type WireWorkload,
} from '../access/workloads';
import type { WireEvent, WirePod } from '../access/wireTypes';
import { killsFromApi } from './apiKills';
import { loadHistory } from './killHistory';
import { livePod } from './livePod';
import { podBelongsTo } from './manifestMatch';
import type { LivePod, SourceState } from './nodeAnalysisTypes';
import { killPsi, podNamePattern, promWorkloadHistory, valueAt, type PromWorkloadHistory } from './promWorkload';
import {
  asWorkloadKill,
  judgeWithPsi,
  withWorkingSetAtKill,
  killsFromPrometheus,
  mergeWorkloadKills,
  counterRose,
} from './workloadKills';
import { workloadContainers, type ContainerFacts } from './workloadStats';
import { readNodeFacts } from './workloadNodeFacts';
import {
  WORKLOAD_KINDS,
  type AnalyzeWorkloadOptions,
  type SourceDisagreement,
  type WorkloadAnalysis,
  type WorkloadKill,
  type WorkloadNode,
  type WorkloadPod,
  type WorkloadRef,
  type WorkloadSourceName,
} from './workloadTypes';

/** Kills judged against fine-grained PSI (one Prometheus query each): the most recent ones. */
export const MAX_JUDGED_KILLS = 12;
/** Nodes read with one GET each: of those running a live pod of the workload, and of those without one (presence). */
const MAX_NODE_CHECKS = 10;
const DAY_MS = 86_400_000;

const state = (r: Result<unknown>, what = ''): SourceState =>
  r.ok
    ? 'ok'
    : r.error.kind === 'forbidden'
      ? `forbidden: ${r.error.message}`
      : r.error.kind === 'not-found'
        ? `unavailable: ${what || r.error.message}`
        : `error: ${r.error.message}`;

/** The label selector the workload's pods are listed with; `null` when the API cannot give one (then: no API pods). */
async function podSelector(
  access: ClusterAccess,
  ref: WorkloadRef,
  obj: WireWorkload,
  signal?: AbortSignal,
): Promise<{ selector: string | null; matchLabels: Record<string, string> | null; jobs?: Result<unknown> }> {
  if (ref.kind === 'CronJob') {
    const uid = obj.metadata?.uid;
    if (!uid) return { selector: null, matchLabels: null };
    const jobs = await fetchJobsOf(access, ref.namespace, uid, signal);
    if (!jobs.ok) return { selector: null, matchLabels: null, jobs };
    const names = jobs.value.map((j) => j.metadata?.name).filter((n): n is string => !!n);
    // Job pods carry batch.kubernetes.io/job-name (Kubernetes 1.27+; job-name before).
    return {
      selector: names.length ? `batch.kubernetes.io/job-name in (${names.join(',')})` : null,
      matchLabels: null,
      jobs,
    };
  }
  return { selector: labelSelectorString(obj.spec?.selector), matchLabels: obj.spec?.selector?.matchLabels ?? null };
}

function podRestarts(p: LivePod): number {
  return p.containers.reduce((a, c) => a + c.restartCount, 0);
}

function nodePressureSeries(h: PromWorkloadHistory, node: string): WorkloadNode['pressure'] {
  const w = h.nodeWaiting.get(node) ?? [];
  const f = h.nodeStalled.get(node);
  const out: WorkloadNode['pressure'] = [];
  for (let i = 1; i < w.length; i++) {
    const dt = (w[i]!.t - w[i - 1]!.t) / 1000;
    if (dt <= 0) continue;
    const some = Math.min(100, Math.max(0, ((w[i]!.v - w[i - 1]!.v) / dt) * 100));
    const f1 = valueAt(f, w[i]!.t, 1000);
    const f0 = valueAt(f, w[i - 1]!.t, 1000);
    const full = f1 !== null && f0 !== null ? Math.min(100, Math.max(0, ((f1 - f0) / dt) * 100)) : null;
    out.push({ t: w[i]!.t, some, full });
  }
  return out;
}

/** Where kube-state-metrics and cAdvisor disagree about a kill: both are shown. */
function disagreements(h: PromWorkloadHistory | null, kills: WorkloadKill[]): SourceDisagreement[] {
  if (!h || !h.seen.cadvisor) return [];
  const out: SourceDisagreement[] = [];
  for (const k of kills) {
    if (k.kind !== 'oom' || !k.pod || !k.container || k.t === null) continue;
    const rose = counterRose(h.oomEvents.get(`${k.pod}/${k.container}`), k.t, h.stepSeconds);
    if (rose !== 0) continue;
    const said = k.foundIn.includes('api') ? 'the pod status' : 'kube-state-metrics';
    out.push({
      pod: k.pod,
      container: k.container,
      sentence: `${said} says ${k.pod}/${k.container} was OOMKilled at ${new Date(k.t).toISOString().slice(0, 16).replace('T', ' ')}Z, while cAdvisor's container_oom_events_total did not rise: a known cAdvisor gap (google/cadvisor#3015), the OOM-killed container is replaced by a new one whose counter starts again at 0.`,
    });
  }
  return out;
}

/** Analyzes one workload over the window; fails only when the workload can be read from no source at all. */
export async function analyzeWorkload(
  access: ClusterAccess,
  ref: WorkloadRef,
  opts: AnalyzeWorkloadOptions = {},
): Promise<Result<WorkloadAnalysis>> {
  if (!(WORKLOAD_KINDS as readonly string[]).includes(ref.kind))
    return {
      ok: false,
      error: {
        kind: 'error',
        message: `Unknown workload kind '${ref.kind}'; use one of ${WORKLOAD_KINDS.join(', ')}.`,
      },
    };
  const signal = opts.signal;
  const end = Date.now();
  const since = end - (opts.sinceMs ?? DAY_MS);
  const sources: Record<WorkloadSourceName, SourceState> = {
    workload: 'ok',
    pods: 'ok',
    events: 'ok',
    history: opts.historyDir ? 'ok' : 'unavailable: no history store (the extension keeps one; the CLI does not)',
    prometheus: 'ok',
    'kube-state-metrics': 'ok',
    cadvisor: 'ok',
    'node-exporter': 'ok',
  };
  const notes: string[] = [];

  // 1. The workload and its pods, through its own selector.
  let selector: string | null = null;
  let matchLabels: Record<string, string> | null = null;
  let wirePods: WirePod[] = [];
  /** Why the workload could not be read, when it could not: what an analysis that found nothing at all fails with. */
  let workloadError: ClusterErrorKind | null = null;
  if (ref.kind === 'Pod') {
    selector = null;
    const r = await fetchPodByName(access, ref.namespace, ref.name, signal);
    if (!r.ok && r.error.kind === 'unreachable') return r;
    if (!r.ok) workloadError = r.error.kind;
    sources.workload = r.ok ? (r.value.length ? 'ok' : 'unavailable: the pod no longer exists') : state(r);
    sources.pods = sources.workload;
    if (r.ok) wirePods = r.value;
  } else {
    const w = await fetchWorkload(access, ref.kind, ref.namespace, ref.name, signal);
    if (!w.ok && (w.error.kind === 'unreachable' || w.error.kind === 'unauthorized')) return w;
    if (!w.ok) workloadError = w.error.kind;
    sources.workload = state(
      w,
      `${ref.kind}/${ref.name} does not exist in namespace ${ref.namespace} (any history comes from Prometheus)`,
    );
    if (w.ok) {
      const s = await podSelector(access, ref, w.value, signal);
      selector = s.selector;
      matchLabels = s.matchLabels;
      if (s.jobs && !s.jobs.ok) sources.pods = state(s.jobs);
    }
    if (selector) {
      const r = await fetchPodsBySelector(
        access,
        ref.namespace,
        selector,
        `listing the pods of ${ref.kind}/${ref.name}`,
        signal,
      );
      sources.pods = state(r);
      if (r.ok) wirePods = r.value;
    } else if (sources.pods === 'ok')
      sources.pods = w.ok ? 'unavailable: no live pods to list' : 'unavailable: the workload could not be read';
  }
  const query = { kind: ref.kind, name: ref.name, selector: matchLabels, podLabels: {} };
  const pods = wirePods.filter((p) => podBelongsTo(query, livePod(p)));
  const live = pods.map(livePod);
  const podNames = new Set(live.map((p) => p.name));
  const nodeOf = new Map(pods.map((p) => [p.metadata?.name ?? '', p.spec?.nodeName ?? null]));

  // 2. Events: the namespace's pod events, and the nodes' OOM events by reason (few, whatever the cluster's size).
  const [podEvents, oomKilling, systemOom] = await Promise.all([
    fetchPodEventsIn(access, ref.namespace, signal),
    fetchNodeEventsByReason(access, 'OOMKilling', signal),
    fetchNodeEventsByReason(access, 'SystemOOM', signal),
  ]);
  sources.events = state(podEvents);
  const nodesLive = [...new Set([...nodeOf.values()].filter((n): n is string => !!n))];
  const ownEvents = (podEvents.ok ? podEvents.value : []).filter((e) => podNames.has(e.involvedObject?.name ?? ''));
  const nodeEvents = [...(oomKilling.ok ? oomKilling.value : []), ...(systemOom.ok ? systemOom.value : [])];
  const apiKills: WorkloadKill[] = [];
  for (const node of nodesLive) {
    const onNode = pods.filter((p) => p.spec?.nodeName === node);
    const names = new Set(onNode.map((p) => p.metadata?.name));
    const events: WireEvent[] = [
      ...nodeEvents.filter((e) => e.involvedObject?.name === node),
      ...ownEvents.filter((e) => names.has(e.involvedObject?.name)),
    ];
    for (const k of killsFromApi(onNode, events, node))
      if (k.pod && podNames.has(k.pod) && (k.t === null || k.t >= since))
        apiKills.push(asWorkloadKill(k, node, ['api']));
  }

  // 3. Prometheus: kube-state-metrics, cAdvisor and node-exporter over the window.
  let h: PromWorkloadHistory | null = null;
  const target = opts.prometheus === false ? null : await findPrometheus(access, opts.prometheusUrl, signal);
  const promMissing = (why: string): void => {
    sources.prometheus = `unavailable: ${why}`;
    for (const s of ['kube-state-metrics', 'cadvisor', 'node-exporter'] as const)
      sources[s] = 'unavailable: no Prometheus';
  };
  if (target === null) promMissing('not looked for (--no-prometheus)');
  else if (!target.ok) promMissing(target.error.message);
  else if (target.value === null)
    promMissing(
      'no Prometheus found (no Service labelled app.kubernetes.io/name=prometheus; set oomscope.prometheus.url or --prometheus)',
    );
  else {
    const r = await promWorkloadHistory(
      access,
      target.value,
      ref.namespace,
      podNamePattern(ref.kind, ref.name),
      nodesLive,
      since,
      end,
      signal,
    );
    if (!r.ok) promMissing(r.error.message);
    else {
      h = r.value;
      if (!h.seen.ksm) sources['kube-state-metrics'] = 'unavailable: no kube-state-metrics series for these pods';
      if (!h.seen.cadvisor)
        sources.cadvisor = 'unavailable: no cAdvisor series (container_memory_working_set_bytes) for these pods';
      if (!h.seen.nodeExporter)
        sources['node-exporter'] = 'unavailable: no node-exporter series for the nodes that ran them';
    }
  }
  if (!h)
    notes.push(
      "Without Prometheus, history is limited to the API server's: events for about an hour, and each container's last termination in its pod's status.",
    );
  // A pod only Prometheus knows belongs when kube_pod_info's created_by names the workload (podBelongsTo, as for live pods).
  const promBelongs = (pod: string): boolean => {
    if (podNames.has(pod)) return true;
    const info = h?.pods.get(pod);
    if (!info) return false;
    if (ref.kind === 'Pod') return pod === ref.name;
    const ghost: LivePod = {
      namespace: ref.namespace,
      name: pod,
      uid: info.uid ?? '',
      qosClass: null,
      labels: {},
      ownerReferences: info.createdByKind
        ? [{ apiVersion: '', kind: info.createdByKind, name: info.createdByName ?? '', uid: '', controller: true }]
        : [],
      phase: null,
      reason: null,
      restarts: 0,
      podLimitBytes: null,
      containers: [],
    };
    return podBelongsTo({ ...query, selector: null }, ghost);
  };
  const promKills = h ? killsFromPrometheus(h, ref.namespace, promBelongs) : [];

  // 4. The history store of the nodes involved.
  const nodeNames = new Set<string>(nodesLive);
  for (const [pod, info] of h?.pods ?? []) if (info.node && promBelongs(pod)) nodeNames.add(info.node);
  const historyKills: WorkloadKill[] = [];
  if (opts.historyDir)
    for (const node of nodeNames)
      for (const k of loadHistory(opts.historyDir, access.context, node))
        if (
          k.namespace === ref.namespace &&
          k.pod &&
          (podNames.has(k.pod) || promBelongs(k.pod)) &&
          (k.t ?? 0) >= since
        )
          historyKills.push(asWorkloadKill(k, node, ['history']));

  const tolerance = Math.max(120_000, 2 * (h?.stepSeconds ?? 60) * 1000);
  let kills = mergeWorkloadKills([apiKills, promKills, historyKills], tolerance).filter(
    (k) => k.t === null || k.t >= since,
  );

  // 5. What came before each kill: the container's and the node's PSI around it, finer than the window's step.
  if (h && target?.ok && target.value) {
    const t = target.value;
    const recent = kills
      .filter((k) => k.kind === 'oom' && k.t !== null && k.pod && k.container)
      .sort((a, b) => b.t! - a.t!)
      .slice(0, MAX_JUDGED_KILLS);
    const before = (DEFAULT_PHASE_SETTINGS.precursorWindowSeconds + 60) * 1000;
    const judged = await Promise.all(
      recent.map(async (k) => {
        const c = await killPsi(
          access,
          t,
          { namespace: ref.namespace, pod: k.pod!, container: k.container!, node: k.node },
          k.t!,
          k.t! - before,
          k.t! + 30_000,
          { container: containerScope(ref.namespace, k.pod!, k.container!), node: 'node' },
          signal,
        );
        if (!c.ok) return k;
        const fine = c.value.workingSetBytes !== null ? withWorkingSetAtKill(k, h!, c.value.workingSetBytes) : k;
        return judgeWithPsi(fine, c.value);
      }),
    );
    const byId = new Map(judged.map((k) => [k.id, k]));
    kills = kills.map((k) => byId.get(k.id) ?? k);
    const skipped = kills.filter((k) => k.kind === 'oom').length - recent.length;
    if (skipped > 0)
      notes.push(
        `${skipped} older OOM kill${skipped > 1 ? 's were' : ' was'} not judged against PSI (only the ${MAX_JUDGED_KILLS} most recent are); narrow --since to judge them.`,
      );
  }

  // 6. Pods, nodes, containers.
  const workloadPods: WorkloadPod[] = live.map((p) => ({
    name: p.name,
    uid: p.uid || null,
    node: nodeOf.get(p.name) ?? null,
    phase: p.phase,
    restarts: podRestarts(p),
    live: true,
  }));
  for (const [pod, info] of h?.pods ?? []) {
    if (podNames.has(pod) || !promBelongs(pod) || info.lastT < since) continue;
    const restarts = [...(h?.restarts ?? [])].filter(([k]) => k.startsWith(`${pod}/`)).reduce((a, [, v]) => a + v, 0);
    workloadPods.push({ name: pod, uid: info.uid, node: info.node, phase: null, restarts, live: false });
  }
  for (const k of kills)
    if (k.pod && !workloadPods.some((p) => p.name === k.pod))
      workloadPods.push({ name: k.pod, uid: k.podUid, node: k.node, phase: null, restarts: 0, live: false });
  for (const k of kills) if (k.node) nodeNames.add(k.node);

  // Each node's memory and swap (for the hover's oom_score_adj and swap limit), and whether a node without a live pod
  // of the workload still exists: one GET each, at most MAX_NODE_CHECKS of either, configz only on a swap node.
  const present = new Set(nodesLive);
  const unknownNodes = [...nodeNames].filter((n) => !present.has(n)).slice(0, MAX_NODE_CHECKS);
  const read = await readNodeFacts(
    access,
    [...[...nodesLive].sort().slice(0, MAX_NODE_CHECKS), ...unknownNodes],
    signal,
  );
  const factsOf = new Map(read.map((f) => [f.name, f]));
  for (const f of read) if (f.state === 'found') present.add(f.name);
  const gone = read.filter((f) => f.state === 'gone').map((f) => f.name);
  if (gone.length)
    notes.push(
      `Node${gone.length > 1 ? 's' : ''} ${gone.join(', ')} no longer exist${gone.length > 1 ? '' : 's'}: what happened there comes from Prometheus${opts.historyDir ? ' and the history store' : ''}.`,
    );
  const nodes: WorkloadNode[] = [...nodeNames].sort().map((name) => ({
    name,
    present: present.has(name),
    pods: workloadPods.filter((p) => p.node === name).map((p) => p.name),
    capacityBytes: factsOf.get(name)?.capacityBytes ?? null,
    swapCapacityBytes: factsOf.get(name)?.swapCapacityBytes ?? null,
    swapBehavior: factsOf.get(name)?.swapBehavior ?? null,
    pressure: h ? nodePressureSeries(h, name) : [],
  }));

  const facts: ContainerFacts[] = [];
  const newest = [...live].reverse();
  for (const p of newest)
    for (const c of p.containers)
      if (!facts.some((f) => f.name === c.name))
        facts.push({
          name: c.name,
          containerType: c.containerType,
          requestBytes: c.requestBytes,
          limitBytes: c.limitBytes,
        });
  if (h)
    for (const [key, limit] of h.limits) {
      const [pod, name] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
      if (!promBelongs(pod) || facts.some((f) => f.name === name)) continue;
      facts.push({ name, containerType: 'container', requestBytes: h.requests.get(key) ?? null, limitBytes: limit });
    }
  const ws = new Map([...(h?.workingSet ?? [])].filter(([k]) => promBelongs(k.slice(0, k.indexOf('/')))));
  const { containers, series } = workloadContainers(ref.namespace, `${ref.kind}/${ref.name}`, facts, ws, kills);
  if (!ws.size && h)
    notes.push('No working-set series (cAdvisor) for these pods: the containers table has no p50/p95/max.');

  const qosClass: QosClass | null = live.find((p) => p.qosClass)?.qosClass ?? null;
  if (sources.workload !== 'ok' && sources.pods !== 'ok' && !h && kills.length === 0 && workloadPods.length === 0) {
    const why = sources.workload.replace(/^\w+: /, '');
    // Forbidden or timed out stays so (the editor's status bar says which); otherwise the workload is not there.
    const kind = workloadError === 'forbidden' || workloadError === 'timeout' ? workloadError : 'not-found';
    return { ok: false, error: { kind, message: `Cannot analyze ${ref.kind}/${ref.name}: ${why}` } };
  }
  return {
    ok: true,
    value: {
      version: 1,
      context: access.context,
      generatedAt: end,
      since,
      workload: { ...ref },
      selector,
      qosClass,
      pods: workloadPods,
      ooms: kills.filter((k) => k.kind === 'oom'),
      evictions: kills.filter((k) => k.kind === 'eviction'),
      containers,
      nodes,
      series,
      sources,
      disagreements: disagreements(h, kills),
      notes,
    },
  };
}
