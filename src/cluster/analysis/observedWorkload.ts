/**
 * A workload analysis as the cluster-aware rules of the manifest engine read it (src/core/manifest/observed.ts), and
 * the bounded run of analyses `oomscope lint --context` makes for the workloads of its files.
 */
import type { ObservedContainer, ObservedNode, ObservedWorkload } from '../../core/manifest/observed';
import type { ClusterAccess } from '../access/accessTypes';
import { analyzeWorkload } from './workloadAnalysis';
import type { AnalyzeWorkloadOptions, WorkloadAnalysis, WorkloadRef } from './workloadTypes';

/** Workloads analyzed per lint run at most, and analyses in flight at once. */
export const MAX_OBSERVED_WORKLOADS = 50;
export const OBSERVE_IN_FLIGHT = 4;

export function toObservedWorkload(a: WorkloadAnalysis): ObservedWorkload {
  const single = a.containers.length === 1 ? a.containers[0]!.name : null;
  const containers: ObservedContainer[] = a.containers.map((c) => ({
    name: c.name,
    p95Bytes: c.workingSet?.p95 ?? null,
    peakBytes: c.workingSet?.max ?? null,
    kills: a.ooms
      // A kill no pod status names a container of (a node event alone) is the only container's, if there is one.
      .filter((k) => (k.container ?? single) === c.name)
      .sort((x, y) => (x.t ?? 0) - (y.t ?? 0))
      .map((k) => ({
        t: k.t,
        class: k.class,
        precededBy: k.precededBy,
        precedingSeconds: k.precedingSeconds,
        precededJudged: k.precededJudged,
        workingSetBytes: k.workingSetAtKillBytes,
        limitBytes: k.limitBytes,
        pod: k.pod,
      })),
  }));
  const nodes: ObservedNode[] = a.nodes.flatMap((n) =>
    n.capacityBytes === null
      ? []
      : [
          {
            name: n.name,
            capacityBytes: n.capacityBytes,
            swapBehavior: n.swapBehavior,
            swapCapacityBytes: n.swapCapacityBytes,
          },
        ],
  );
  return {
    kind: a.workload.kind,
    name: a.workload.name,
    namespace: a.workload.namespace,
    context: a.context,
    generatedAt: a.generatedAt,
    windowHours: Math.round((a.generatedAt - a.since) / 3_600_000),
    containers,
    nodes,
  };
}

export interface Observations {
  observed: ObservedWorkload[];
  /** One sentence per reason cluster findings are missing (unreachable, forbidden, over the bound); empty when none. */
  problems: string[];
}

/**
 * Analyzes up to MAX_OBSERVED_WORKLOADS workloads, OBSERVE_IN_FLIGHT at a time. The first failure that no other
 * workload would escape (unreachable, unauthorized) stops the rest; a workload the cluster does not have gives no
 * observation and no problem (it is not deployed there).
 */
export async function observeWorkloads(
  access: ClusterAccess,
  refs: readonly WorkloadRef[],
  opts: AnalyzeWorkloadOptions = {},
): Promise<Observations> {
  const observed: ObservedWorkload[] = [];
  const problems = new Set<string>();
  const todo = refs.slice(0, MAX_OBSERVED_WORKLOADS);
  if (refs.length > todo.length)
    problems.add(
      `${refs.length} workloads in the files; cluster findings cover the first ${MAX_OBSERVED_WORKLOADS} (lint fewer files for the others)`,
    );
  const stop = new AbortController();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < todo.length && !stop.signal.aborted) {
      const ref = todo[next++]!;
      const r = await analyzeWorkload(access, ref, { ...opts, signal: stop.signal });
      if (!r.ok) {
        if (stop.signal.aborted) return;
        problems.add(r.error.message);
        if (r.error.kind === 'unreachable' || r.error.kind === 'unauthorized' || r.error.kind === 'timeout')
          stop.abort();
        continue;
      }
      const w = r.value.sources.workload;
      if (w.startsWith('forbidden')) problems.add(`${ref.kind}/${ref.name} in ${ref.namespace}: ${w}`);
      if (r.value.pods.length === 0 && r.value.ooms.length === 0 && !w.startsWith('ok')) continue;
      observed.push(toObservedWorkload(r.value));
    }
  };
  await Promise.all(Array.from({ length: Math.min(OBSERVE_IN_FLIGHT, todo.length) }, worker));
  return { observed, problems: [...problems] };
}
