/**
 * A WorkloadAnalysis → the WorkloadSnapshot the workload view renders. Only the fields of workloadProtocol.ts are
 * copied (never the analysis object itself), every list and series is bounded (a workload over a week can have
 * thousands of pods and kills), and free text goes out with its URLs redacted. No vscode here.
 */
import type { KillRecord } from '../cluster/analysis/nodeAnalysisTypes';
import type { WorkloadAnalysis, WorkloadKill } from '../cluster/analysis/workloadTypes';
import { redactUrl } from '../cluster/access/redact';
import { classWords } from '../core/oom/sentences';
import { DEFAULT_PHASE_SETTINGS } from '../core/oom/verdictTypes';
import type {
  WorkloadKillRow,
  WorkloadLine,
  WorkloadNodeRow,
  WorkloadSnapshot,
  WorkloadTarget,
} from '../shared/workloadProtocol';
import { capSeries, MAX_SENT_POINTS } from './downsample';
import { precededText } from './snapshot';
import { windowLabel } from './workloadRef';

/** What one snapshot carries at most; what is left out is said in a note. */
export const WORKLOAD_LIMITS = {
  kills: 500,
  pods: 1000,
  containers: 50,
  /** Working-set lines (one per container). */
  series: 50,
  nodes: 500,
  /** Nodes whose pressure is drawn: those with kills first. */
  pressureNodes: 40,
  podsPerNode: 5,
  evidence: 20,
  atKills: 200,
  notes: 50,
  disagreements: 100,
  text: 1000,
  points: MAX_SENT_POINTS,
} as const;

/** One line of free text as it may be shown: URLs without credentials, query or fragment; at most `max` chars. */
export function safeText(s: string, max: number = WORKLOAD_LIMITS.text): string {
  const redacted = s.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, (u) => redactUrl(u));
  return redacted.length > max ? `${redacted.slice(0, max - 1)}…` : redacted;
}

const str = (s: string | null | undefined): string | null => (typeof s === 'string' ? safeText(s, 253) : null);
const num = (n: number | null | undefined): number | null => (typeof n === 'number' && Number.isFinite(n) ? n : null);

function killRow(k: WorkloadKill, windowSeconds: number): WorkloadKillRow {
  const limitKb =
    (k.class === 'container-limit' || k.class === 'pod-limit') && k.limitBytes ? k.limitBytes / 1024 : null;
  return {
    id: safeText(k.id, 200),
    kind: k.kind,
    t: num(k.t),
    class: k.class,
    classText: classWords({ class: k.class, limitKb, oomScoreAdj: k.kernel?.oomScoreAdj ?? null }),
    pod: str(k.pod),
    node: str(k.node),
    container: str(k.container),
    containerType: k.containerType,
    qosClass: k.qosClass,
    limitBytes: num(k.limitBytes),
    workingSetAtKillBytes: num(k.workingSetAtKillBytes),
    precededBy: k.precededBy,
    precededText: precededText(k as KillRecord, windowSeconds),
    nodePressure: k.nodePressure
      ? { someMaxPercent: k.nodePressure.someMaxPercent, fullMaxPercent: num(k.nodePressure.fullMaxPercent) }
      : null,
    evidence: k.evidence.slice(0, WORKLOAD_LIMITS.evidence).map((e) => safeText(e)),
    foundIn: k.foundIn.map((f) => safeText(f, 40)),
  };
}

/** The newest `max` kills, newest first. */
function newest(kills: readonly WorkloadKill[], max: number): WorkloadKill[] {
  return [...kills].sort((a, b) => (b.t ?? -Infinity) - (a.t ?? -Infinity)).slice(0, max);
}

function lines(a: WorkloadAnalysis): WorkloadLine[] {
  return a.series
    .filter((s) => s.memory.length > 0)
    .slice(0, WORKLOAD_LIMITS.series)
    .map((s) => ({
      scope: safeText(s.scope, 600),
      label: safeText(s.label, 300),
      points: capSeries(s.memory, (p) => p.workingSetBytes, WORKLOAD_LIMITS.points).map((p) => ({
        t: p.t,
        workingSetBytes: p.workingSetBytes,
      })),
      ...(num(s.requestBytes) !== null ? { requestBytes: s.requestBytes } : {}),
      ...(num(s.limitBytes) !== null ? { limitBytes: s.limitBytes } : {}),
    }));
}

function nodeRows(a: WorkloadAnalysis): WorkloadNodeRow[] {
  const killed = new Set([...a.ooms, ...a.evictions].map((k) => k.node).filter((n) => n !== null));
  // Nodes with kills first (their pressure is what the chart is for), then by name.
  const ordered = [...a.nodes]
    .sort((x, y) => Number(killed.has(y.name)) - Number(killed.has(x.name)) || x.name.localeCompare(y.name))
    .slice(0, WORKLOAD_LIMITS.nodes);
  return ordered.map((n, i) => ({
    name: safeText(n.name, 253),
    present: n.present,
    pods: n.pods.slice(0, WORKLOAD_LIMITS.podsPerNode).map((p) => safeText(p, 253)),
    podCount: n.pods.length,
    pressure:
      i < WORKLOAD_LIMITS.pressureNodes
        ? capSeries(n.pressure, (p) => p.some, WORKLOAD_LIMITS.points).map((p) => ({
            t: p.t,
            some: p.some,
            full: num(p.full),
          }))
        : [],
  }));
}

/** "Showing the newest 500 of 1 200 OOM kills." when a list was cut. */
function cut(what: string, shown: number, total: number): string[] {
  return total > shown ? [`The panel shows ${shown} of ${total} ${what}.`] : [];
}

export interface WorkloadSnapshotOptions {
  sinceMs: number;
  precursorWindowSeconds?: number;
}

/** A workload's analysis → the panel's snapshot. */
export function snapshotFromWorkload(a: WorkloadAnalysis, opts: WorkloadSnapshotOptions): WorkloadSnapshot {
  const window = opts.precursorWindowSeconds ?? DEFAULT_PHASE_SETTINGS.precursorWindowSeconds;
  const L = WORKLOAD_LIMITS;
  const ref = { kind: a.workload.kind, name: a.workload.name, namespace: a.workload.namespace };
  const target: WorkloadTarget = { kind: 'workload', context: a.context, workload: ref, sinceMs: opts.sinceMs };
  const withData = a.series.filter((s) => s.memory.length > 0).length;
  const drawnPressure = a.nodes.filter((n) => n.pressure.length > 0).length;
  const notes = [
    ...a.notes.slice(0, L.notes).map((n) => safeText(n)),
    ...cut('OOM kills (the newest)', Math.min(L.kills, a.ooms.length), a.ooms.length),
    ...cut('evictions (the newest)', Math.min(L.kills, a.evictions.length), a.evictions.length),
    ...cut('pods', Math.min(L.pods, a.pods.length), a.pods.length),
    ...cut('containers', Math.min(L.containers, a.containers.length), a.containers.length),
    ...cut('working-set lines', Math.min(L.series, withData), withData),
    ...cut('nodes', Math.min(L.nodes, a.nodes.length), a.nodes.length),
    ...(drawnPressure > L.pressureNodes
      ? [`The pressure chart draws ${L.pressureNodes} of the ${drawnPressure} nodes with PSI (those with kills first).`]
      : []),
  ];
  const sources: Record<string, WorkloadSnapshot['sources'][string]> = {};
  for (const [name, state] of Object.entries(a.sources))
    sources[safeText(name, 40)] = safeText(state) as WorkloadSnapshot['sources'][string];
  return {
    title: `${ref.kind}/${ref.name} · namespace ${ref.namespace} · context ${a.context}`,
    target,
    generatedAt: a.generatedAt,
    since: a.since,
    windowLabel: windowLabel(opts.sinceMs),
    precursorWindowSeconds: window,
    selector: str(a.selector),
    qosClass: a.qosClass,
    sources,
    ooms: newest(a.ooms, L.kills).map((k) => killRow(k, window)),
    evictions: newest(a.evictions, L.kills).map((k) => killRow(k, window)),
    containers: a.containers.slice(0, L.containers).map((c) => ({
      name: safeText(c.name, 253),
      containerType: c.containerType,
      requestBytes: num(c.requestBytes),
      limitBytes: num(c.limitBytes),
      workingSet: c.workingSet ? { p50: c.workingSet.p50, p95: c.workingSet.p95, max: c.workingSet.max } : null,
      atKills: c.atKills.slice(-L.atKills).map((x) => ({ t: num(x.t), bytes: num(x.bytes) })),
    })),
    pods: a.pods.slice(0, L.pods).map((p) => ({
      name: safeText(p.name, 253),
      node: str(p.node),
      phase: str(p.phase),
      restarts: p.restarts,
      live: p.live,
    })),
    series: lines(a),
    nodes: nodeRows(a),
    disagreements: a.disagreements.slice(0, L.disagreements).map((d) => ({
      pod: safeText(d.pod, 253),
      container: str(d.container),
      sentence: safeText(d.sentence),
    })),
    notes,
  };
}
