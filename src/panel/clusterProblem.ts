/**
 * Why the manifest has no cluster-aware findings now (docs/cluster-diagnostics.md): the cluster is offline, forbids
 * reading the workload, or is slow. Pure: from one workload analysis's outcome to the status bar's reason.
 */
import type { ClusterErrorKind } from '../cluster/access/accessTypes';

export interface ClusterProblem {
  kind: 'offline' | 'forbidden' | 'slow';
  message: string;
}

export type AnalysisOutcome =
  | { ok: false; error: { kind: ClusterErrorKind; message: string } }
  | { ok: true; value: { sources: { workload: string } } };

/**
 * The problem an analysis of `what` shows, or null when the cluster answered. `abortedAfterMs`: the analysis was
 * stopped for taking longer than that. An error that says nothing of the cluster (a bad answer of one source) keeps
 * the problem seen before (`previous`).
 */
export function clusterProblem(
  what: string,
  outcome: AnalysisOutcome,
  abortedAfterMs: number | null,
  previous: ClusterProblem | null,
): ClusterProblem | null {
  if (abortedAfterMs !== null)
    return { kind: 'slow', message: `reading ${what} took more than ${abortedAfterMs / 1000} s` };
  if (outcome.ok) {
    const w = outcome.value.sources.workload;
    return w.startsWith('forbidden') ? { kind: 'forbidden', message: `${what}: ${w}` } : null;
  }
  const { kind, message } = outcome.error;
  if (kind === 'forbidden' || kind === 'unauthorized') return { kind: 'forbidden', message };
  if (kind === 'unreachable') return { kind: 'offline', message };
  if (kind === 'timeout') return { kind: 'slow', message };
  return previous;
}

/** The status bar's words for a problem. */
export const PROBLEM_WORDS: Record<ClusterProblem['kind'], string> = {
  offline: 'the cluster does not answer',
  forbidden: 'the cluster forbids reading the workload',
  slow: 'the cluster answers too slowly',
};
