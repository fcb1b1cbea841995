/** analyze-workload and triage output: the JSON of docs/cli.md (typed in shared/cliJson.ts) and the text reports. */
import { classShortWords } from '../core/oom/sentences';
import { formatQuantity } from '../core/quantity';
import type { AnalyzeWorkloadJson, AnalyzeWorkloadJsonKill, TriageJson } from '../shared/cliJson';
import type { Triage, WorkloadAnalysis, WorkloadKill } from '../cluster/analysis/workloadTypes';
import { clock, killLines, oomJson } from './analyzeNodeOutput';

const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());
const r2 = (x: number): number => Math.round(x * 100) / 100;

function killJson(k: WorkloadKill): AnalyzeWorkloadJsonKill {
  return {
    ...oomJson(k),
    node: k.node,
    foundIn: k.foundIn,
    workingSetAtKillBytes: k.workingSetAtKillBytes,
    nodePressure: k.nodePressure
      ? {
          someMaxPercent: r2(k.nodePressure.someMaxPercent),
          fullMaxPercent: k.nodePressure.fullMaxPercent === null ? null : r2(k.nodePressure.fullMaxPercent),
        }
      : null,
    message: k.message,
  };
}

export function toAnalyzeWorkloadJson(a: WorkloadAnalysis): AnalyzeWorkloadJson {
  return {
    version: 1,
    context: a.context,
    since: iso(a.since)!,
    until: iso(a.generatedAt)!,
    workload: { ...a.workload },
    selector: a.selector,
    qosClass: a.qosClass,
    pods: a.pods.map((p) => ({ name: p.name, node: p.node, phase: p.phase, restarts: p.restarts, live: p.live })),
    ooms: a.ooms.map(killJson),
    evictions: a.evictions.map(killJson),
    containers: a.containers.map((c) => ({
      name: c.name,
      containerType: c.containerType,
      requestBytes: c.requestBytes,
      limitBytes: c.limitBytes,
      workingSet: c.workingSet ? { ...c.workingSet } : null,
      atKills: c.atKills.map((x) => ({ time: iso(x.t), bytes: x.bytes })),
    })),
    nodes: a.nodes.map((n) => ({
      name: n.name,
      present: n.present,
      pods: n.pods,
      capacityBytes: n.capacityBytes,
      swapCapacityBytes: n.swapCapacityBytes,
      swapBehavior: n.swapBehavior,
    })),
    disagreements: a.disagreements.map((d) => ({ ...d })),
    sources: { ...a.sources },
    notes: a.notes,
  };
}

const bytes = (n: number | null | undefined): string => (n === null || n === undefined ? '–' : formatQuantity(n));
const hours = (ms: number): string =>
  ms % 86_400_000 === 0 ? `${ms / 86_400_000}d` : `${Math.round(ms / 3_600_000)}h`;

function sourceLines(sources: Record<string, string>): string[] {
  const out = [
    `Sources: ${Object.entries(sources)
      .map(([k, v]) => `${k} ${v === 'ok' ? 'ok' : v.split(':')[0]}`)
      .join(', ')}`,
  ];
  // The exporters' "no Prometheus" repeats the prometheus line: said once.
  for (const [k, v] of Object.entries(sources))
    if (v !== 'ok' && v !== 'unavailable: no Prometheus') out.push(`  ${k}: ${v.replace(/^\w+: /, '')}`);
  return out;
}

export function formatAnalyzeWorkloadText(a: WorkloadAnalysis): string {
  const w = a.workload;
  const out: string[] = [];
  out.push(
    `${w.kind}/${w.name} in namespace ${w.namespace} · context ${a.context} · last ${hours(a.generatedAt - a.since)} (since ${clock(a.since)})`,
  );
  const live = a.pods.filter((p) => p.live).length;
  out.push(
    `Pods: ${a.pods.length} (${live} live${a.pods.length > live ? `, ${a.pods.length - live} gone` : ''}) on ${a.nodes.length} node${a.nodes.length === 1 ? '' : 's'}${a.qosClass ? ` · QoS ${a.qosClass}` : ''}${a.selector ? ` · selector ${a.selector}` : ''}`,
  );
  out.push('');
  const kills = [...a.ooms, ...a.evictions].sort((x, y) => (x.t ?? 0) - (y.t ?? 0));
  if (!kills.length) out.push('No OOM kills or evictions of this workload in the window.');
  else {
    out.push(
      `OOM kills and evictions (${a.ooms.length} OOM kill${a.ooms.length === 1 ? '' : 's'}, ${a.evictions.length} eviction${a.evictions.length === 1 ? '' : 's'}):`,
    );
    for (const k of kills) {
      const lines = killLines(k);
      lines[0] += `  on ${k.node ?? 'node unknown'}${k.workingSetAtKillBytes !== null ? `, working set ${bytes(k.workingSetAtKillBytes)}` : ''}  [${k.foundIn.join(', ')}]`;
      if (k.nodePressure)
        lines.splice(
          3,
          0,
          `    node PSI before it: some up to ${Math.round(k.nodePressure.someMaxPercent)}%${k.nodePressure.fullMaxPercent !== null ? `, full up to ${Math.round(k.nodePressure.fullMaxPercent)}%` : ''}`,
        );
      out.push(...lines);
    }
  }
  out.push('');
  out.push('Containers (working set over the window):');
  for (const c of a.containers) {
    const ws = c.workingSet;
    const at = c.atKills.filter((x) => x.bytes !== null).map((x) => bytes(x.bytes));
    out.push(
      `  ${c.name}${c.containerType !== 'container' ? ` (${c.containerType})` : ''}: request ${bytes(c.requestBytes)}, limit ${bytes(c.limitBytes)}; ${ws ? `p50 ${bytes(ws.p50)}, p95 ${bytes(ws.p95)}, max ${bytes(ws.max)}` : 'no working-set history'}${at.length ? `; at kills ${at.join(', ')}` : ''}`,
    );
  }
  out.push('');
  out.push('Pods:');
  for (const p of a.pods)
    out.push(
      `  ${p.name}  ${p.node ?? 'node unknown'}  ${p.live ? (p.phase ?? 'phase unknown') : 'gone'}  restarts ${p.restarts}`,
    );
  out.push('Nodes:');
  for (const n of a.nodes) {
    const peak = n.pressure.length ? Math.max(...n.pressure.map((p) => p.some)) : null;
    out.push(
      `  ${n.name}${n.present ? '' : ' (no longer in the cluster)'}: ${n.pods.length} pod${n.pods.length === 1 ? '' : 's'}${peak !== null ? `, node PSI some up to ${Math.round(peak)}%` : ''}`,
    );
  }
  if (a.disagreements.length) {
    out.push('', 'Where the sources disagree:');
    for (const d of a.disagreements) out.push(`  - ${d.sentence}`);
  }
  out.push('', ...sourceLines(a.sources));
  if (a.notes.length) for (const n of a.notes) out.push(`  - ${n}`);
  return out.join('\n') + '\n';
}

export function toTriageJson(t: Triage): TriageJson {
  return {
    version: 1,
    context: t.context,
    since: iso(t.since)!,
    until: iso(t.generatedAt)!,
    via: t.via,
    workloads: t.workloads.map((w) => ({ ...w })),
    sources: { ...t.sources } as Record<string, string>,
    notes: t.notes,
  };
}

export function formatTriageText(t: Triage): string {
  const out = [
    `Memory triage · context ${t.context} · last ${hours(t.generatedAt - t.since)} · via ${t.via === 'prometheus' ? 'Prometheus' : 'the API server'}`,
    '',
  ];
  if (!t.workloads.length) out.push('No workload had an OOM kill or an eviction in the window.');
  else {
    out.push('  OOM  EVICT  WORKLOAD                                   CLASS                 AFTER THRASHING');
    for (const w of t.workloads) {
      const cls = w.dominantClass ? classShortWords(w.dominantClass) : '–';
      out.push(
        `  ${String(w.ooms).padStart(3)}  ${String(w.evictions).padStart(5)}  ${`${w.namespace}/${w.kind}/${w.name}`.padEnd(42)} ${cls.slice(0, 21).padEnd(21)} ${w.afterThrashingShare === null ? 'cannot tell' : `${Math.round(w.afterThrashingShare * 100)}%`}`,
      );
    }
    out.push(
      '',
      `Analyze one: oomscope analyze-workload KIND/NAME -n NAMESPACE --since ${hours(t.generatedAt - t.since)}`,
    );
  }
  out.push('', ...sourceLines(t.sources as Record<string, string>));
  for (const n of t.notes) out.push(`  - ${n}`);
  return out.join('\n') + '\n';
}
