/**
 * "OOMScope: Memory Triage" in words: one quick-pick line per ranked workload, and what to say when there is
 * none. Pure (the command in src/extension/workloadCommands.ts shows them).
 */
import { classShortWords } from '../core/oom/sentences';
import type { Triage, TriageRow, WorkloadRef } from '../cluster/analysis/workloadTypes';
import { safeText } from './workloadSnapshot';

const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;

/** "shop/Deployment/api — 3 OOM kills, 1 eviction · own limit · 67% after thrashing". */
export function triageLine(row: TriageRow): string {
  const counts = [
    row.ooms > 0 || row.evictions === 0 ? plural(row.ooms, 'OOM kill') : null,
    row.evictions > 0 ? plural(row.evictions, 'eviction') : null,
  ]
    .filter((x) => x !== null)
    .join(', ');
  const parts = [counts];
  // Evictions only: the counts already say so.
  if (row.dominantClass && !(row.dominantClass === 'eviction' && row.ooms === 0))
    parts.push(classShortWords(row.dominantClass));
  parts.push(
    row.afterThrashingShare === null
      ? 'no PSI around the kills'
      : `${Math.round(row.afterThrashingShare * 100)}% after thrashing`,
  );
  return safeText(`${row.namespace}/${row.kind}/${row.name} — ${parts.join(' · ')}`, 400);
}

export interface TriageItem {
  label: string;
  ref: WorkloadRef;
}

export function triageItems(t: Triage): TriageItem[] {
  return t.workloads.map((w) => ({
    label: triageLine(w),
    ref: { kind: w.kind, name: w.name, namespace: w.namespace },
  }));
}

/** Where the ranking came from, in words (shown with every triage). */
export function triageVia(t: Triage): string {
  if (t.via !== 'api') return 'ranked from Prometheus (kube-state-metrics, cAdvisor, node-exporter)';
  // A Prometheus that was found but failed is not "no Prometheus" (its error is in the sources and notes).
  const why = t.sources.prometheus?.startsWith('error') ? 'Prometheus failed' : 'no Prometheus';
  return `history limited to the API server's (${why}: pods' last terminations and the events' one-hour TTL)`;
}

/** The message of an empty triage: none found, where from, and the notes. */
export function emptyTriageMessage(t: Triage, windowText: string): string {
  const notes = t.notes.slice(0, 5).map((n) => safeText(n, 300));
  return [
    `No workload of context ${t.context} had an OOM kill or an eviction in the last ${windowText}; ${triageVia(t)}.`,
    ...notes,
  ].join(' ');
}
