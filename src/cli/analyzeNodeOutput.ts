/** analyze-node output: the JSON of docs/cli.md (typed in shared/cliJson.ts) and the plain-text report. */
import { classWords, formatDuration, precededWords } from '../core/oom/sentences';
import { formatQuantity } from '../core/quantity';
import { DEFAULT_PHASE_SETTINGS } from '../core/oom/verdictTypes';
import type {
  AnalyzeNodeJson,
  AnalyzeNodeJsonOom,
  AnalyzeNodeJsonKubelet,
  JsonNodeCondition,
  JsonPressure,
} from '../shared/cliJson';
import type { NodeCondition } from '../cluster/access/accessTypes';
import type { KubeletInfo } from '../cluster/analysis/kubeletConfig';
import type { KillRecord, NodeAnalysis, PressureNow } from '../cluster/analysis/nodeAnalysisTypes';
import { killCoverage } from '../cluster/analysis/coverage';

const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());
const r2 = (x: number): number => Math.round(x * 100) / 100;

function avgs(p: PressureNow['some']): PressureNow['some'] {
  return { avg10: r2(p.avg10), avg60: r2(p.avg60), avg300: r2(p.avg300) };
}

function pressureJson(p: PressureNow): JsonPressure {
  return { some: avgs(p.some), full: p.full ? avgs(p.full) : null };
}

function conditionJson(c: NodeCondition | null): JsonNodeCondition | null {
  return c ? { status: c.status, since: iso(c.since) } : null;
}

function kubeletJson(k: KubeletInfo): AnalyzeNodeJsonKubelet {
  return {
    source: k.source,
    kubeReservedMemoryBytes: k.kubeReservedMemoryBytes,
    systemReservedMemoryBytes: k.systemReservedMemoryBytes,
    evictionHardMemoryAvailable: k.evictionHardMemoryAvailable,
    kubepodsLimitBytes: k.kubepodsLimitBytes,
    singleProcessOOMKill: k.singleProcessOOMKill,
    swapBehavior: k.swapBehavior,
    memoryQoS: k.memoryQoS,
  };
}

/** One kill as `analyze-node --format json` prints it (docs/cli.md `ooms[]`). */
export function oomJson(k: KillRecord): AnalyzeNodeJsonOom {
  return {
    namespace: k.namespace,
    pod: k.pod,
    container: k.container,
    // ?? null: kills kept in a history store from before these fields existed.
    containerType: k.containerType ?? null,
    limitBytes: k.limitBytes ?? null,
    time: iso(k.t),
    class: k.class,
    qosClass: k.qosClass,
    precededBy: k.precededBy,
    evidence: k.evidence,
    processes: (k.processes ?? []).map((p) => ({ pid: p.pid, comm: p.comm })),
  };
}

/** The `analyze-node --format json` object (docs/cli.md). */
export function toAnalyzeNodeJson(a: NodeAnalysis): AnalyzeNodeJson {
  const { node: nodeSource, ...rest } = a.sources;
  const sources = nodeSource === 'ok' ? rest : { node: nodeSource, ...rest };
  return {
    version: 1,
    context: a.context,
    node: a.node
      ? {
          name: a.node.name,
          capacityBytes: a.node.capacityBytes,
          allocatableBytes: a.node.allocatableBytes,
          memoryPressure: conditionJson(a.node.memoryPressure),
          systemMemoryContentionPressure: conditionJson(a.node.systemMemoryContentionPressure),
          kubepodsMemoryContentionPressure: conditionJson(a.node.kubepodsMemoryContentionPressure),
          kubelet: kubeletJson(a.kubelet),
          budget: { ...a.budget },
        }
      : null,
    sources,
    pressure: {
      node: a.pressure.node ? pressureJson(a.pressure.node) : null,
      pods: a.pressure.pods.map((p) => ({ namespace: p.namespace, name: p.name, ...pressureJson(p) })),
      scope: a.pressure.scope,
    },
    phases: a.phases.map((p) => ({
      scope: p.scope,
      phase: p.phase,
      start: iso(p.start),
      end: iso(p.end),
      peakSomePercent: r2(p.peakSomePercent),
      peakFullPercent: r2(p.peakFullPercent),
      signals: p.signals,
    })),
    ooms: a.ooms.map(oomJson),
    evictions: a.evictions.map((k) => ({ namespace: k.namespace, pod: k.pod, time: iso(k.t), message: k.message })),
    swap: { ...a.swap },
    containers: a.memoryControls.map((c) => ({
      namespace: c.namespace,
      pod: c.pod,
      container: c.container,
      qosClass: c.qosClass,
      swapLimitBytes: c.swapLimitBytes,
      noSwapReason: c.noSwapReason,
      swapUsageBytes: c.swapUsageBytes,
      memoryHighBytes: c.memoryHighBytes,
    })),
  };
}

const formatBytes = (n: number | null | undefined): string => (n === null || n === undefined ? '?' : formatQuantity(n));

export const clock = (t: number | null): string =>
  t === null
    ? 'time unknown'
    : new Date(t)
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, 'Z');
const pct = (x: number | null | undefined): string =>
  x === null || x === undefined ? '–' : `${Math.round(x * 10) / 10}%`;

/** A kill's four lines in the text reports (analyze-node, analyze-workload). */
export function killLines(k: KillRecord): string[] {
  const who = k.pod
    ? `${k.namespace}/${k.pod}${k.container ? `/${k.container}` : ''}${k.containerType && k.containerType !== 'container' ? ` (${k.containerType})` : ''}${k.limitBytes ? `, limit ${formatQuantity(k.limitBytes)}` : ''}`
    : `process ${k.kernel?.comm ?? '?'}${k.kernel?.pid ? ` (pid ${k.kernel.pid})` : ''}, pod unknown`;
  const head = `  ${clock(k.t)}  ${k.kind === 'eviction' ? 'EVICTED' : 'OOM-KILLED'}  ${who}${k.qosClass ? `  [${k.qosClass}]` : ''}${k.fromHistory ? '  (from history)' : ''}`;
  const words = classWords({ class: k.class, oomScoreAdj: k.kernel?.oomScoreAdj ?? null });
  const before = k.precededJudged
    ? precededWords(k.precededBy, k.precedingSeconds, DEFAULT_PHASE_SETTINGS.precursorWindowSeconds)
    : 'no PSI around the kill: cannot tell whether thrashing came first';
  return [head, `    ${k.class}: ${words}`, `    ${before}`, `    evidence: ${k.evidence.join('; ')}`];
}

/** The swap and memory.high lines: only what differs from a node without swap and MemoryQoS. */
function swapQosLines(a: NodeAnalysis): string[] {
  const out: string[] = [];
  const sw = a.swap;
  if (sw.behavior === 'LimitedSwap' || (sw.usageBytes ?? 0) > 0)
    out.push(
      `Swap: ${sw.behavior ?? 'behavior unknown'}, capacity ${formatBytes(sw.capacityBytes)}, in use ${formatBytes(sw.usageBytes)}`,
    );
  for (const c of a.memoryControls) {
    const parts: string[] = [];
    if (c.swapLimitBytes) parts.push(`swap limit ${formatQuantity(c.swapLimitBytes)}`);
    if (c.swapUsageBytes) parts.push(`swap in use ${formatQuantity(c.swapUsageBytes)}`);
    if (c.memoryHighBytes !== null) parts.push(`memory.high ${formatQuantity(c.memoryHighBytes)}`);
    if (parts.length) out.push(`  ${c.namespace}/${c.pod}/${c.container}: ${parts.join(', ')}`);
  }
  return out;
}

/** The `analyze-node` text report. */
export function formatAnalyzeNodeText(a: NodeAnalysis): string {
  const out: string[] = [];
  const n = a.node;
  const name = n?.name ?? '(node unreadable)';
  const nodeWs = a.series.find((s) => s.scope === 'node')?.memory.at(-1)?.workingSetBytes ?? null;
  out.push(`Node ${name} · context ${a.context}${n?.kubeletVersion ? ` · kubelet ${n.kubeletVersion}` : ''}`);
  const mp = n?.memoryPressure;
  out.push(
    `Memory: capacity ${formatBytes(n?.capacityBytes)}, allocatable ${formatBytes(n?.allocatableBytes)}, working set ${formatBytes(nodeWs)}; ` +
      (mp
        ? `MemoryPressure ${mp.status}${mp.since !== null ? ` since ${clock(mp.since)}` : ''}${mp.reason ? ` (${mp.reason})` : ''}`
        : 'MemoryPressure unknown'),
  );
  const contention = [
    ['SystemMemoryContentionPressure', n?.systemMemoryContentionPressure],
    ['KubepodsMemoryContentionPressure', n?.kubepodsMemoryContentionPressure],
  ] as const;
  const shown = contention.filter(([, c]) => c);
  if (shown.length) out.push(`PSI node conditions: ${shown.map(([name, c]) => `${name} ${c!.status}`).join(', ')}`);
  const k = a.kubelet;
  if (k.source === 'configz')
    out.push(
      `Kubelet: kube-reserved ${formatBytes(k.kubeReservedMemoryBytes)}, system-reserved ${formatBytes(k.systemReservedMemoryBytes)}, kubepods limit ${formatBytes(k.kubepodsLimitBytes)}, eviction hard ${k.evictionHardMemoryAvailable ?? '?'}; ${k.singleProcessOOMKill === true ? 'single-process OOM kill' : k.singleProcessOOMKill === false ? 'group OOM kill (memory.oom.group)' : 'OOM kill mode unknown'}; swap ${k.swapBehavior ?? 'unknown'}${k.memoryQoS ? '; MemoryQoS on' : ''}`,
    );
  out.push(...swapQosLines(a));
  const b = a.budget;
  if (b.kubepodsLimitBytes !== null || b.evictionHardBytes !== null)
    out.push(
      `Budget: capacity ${formatBytes(b.capacityBytes)} − system-reserved ${formatBytes(b.systemReservedBytes)} − kube-reserved ${formatBytes(b.kubeReservedBytes)} = kubepods limit ${formatBytes(b.kubepodsLimitBytes)}; − eviction hard ${formatBytes(b.evictionHardBytes)} = allocatable ${formatBytes(b.allocatableBytes)}; working set ${formatBytes(b.workingSetBytes)}`,
    );
  const p = a.pressure.node;
  const open = a.phases.filter((x) => x.scope === 'node' && x.end === null).at(-1);
  const last = a.phases.filter((x) => x.scope === 'node').at(-1);
  const phaseText = open
    ? `${open.phase} since ${clock(open.start)} (peak some ${pct(open.peakSomePercent)}, full ${pct(open.peakFullPercent)})`
    : last
      ? `last ${last.phase} ${clock(last.start)} for ${formatDuration(((last.end ?? last.start) - last.start) / 1000)}`
      : 'no pressure phases seen';
  const top = a.pressure.pods[0];
  out.push(
    p
      ? `PSI now (avg10): some ${pct(p.some.avg10)}, full ${pct(p.full?.avg10)}; ${phaseText}${top && top.some.avg10 > 0 ? `; most stalled pod ${top.namespace}/${top.name} (some ${pct(top.some.avg10)})` : ''}`
      : 'PSI: not available (see below)',
  );
  for (const w of a.pressure.scope) out.push(w);
  out.push('');
  const kills = [...a.ooms, ...a.evictions].sort((x, y) => (x.t ?? 0) - (y.t ?? 0));
  const coverage = killCoverage(a);
  if (coverage.cannotTell) out.push(coverage.sentence!);
  else if (kills.length === 0)
    out.push(['No OOM kills or evictions seen on this node.', coverage.sentence].filter(Boolean).join(' '));
  else {
    out.push(`OOM kills and evictions (${kills.length}):${coverage.sentence ? ` ${coverage.sentence}` : ''}`);
    for (const k of kills) out.push(...killLines(k));
  }
  out.push('');
  out.push(
    `Sources: ${Object.entries(a.sources)
      .map(([k, v]) => `${k} ${v === 'ok' ? 'ok' : v.split(':')[0]}`)
      .join(', ')}`,
  );
  const failed = Object.entries(a.sources).filter(([, v]) => v !== 'ok');
  for (const [k, v] of failed) out.push(`  ${k}: ${v.replace(/^\w+: /, '')}`);
  if (a.notes.length) {
    out.push('What the missing sources would add:');
    for (const note of a.notes) out.push(`  - ${note}`);
  }
  return out.join('\n') + '\n';
}
