/**
 * `oomscope lint --context C`: the observed usage of the workloads of the linted files, for the cluster-aware rules
 * (docs/cli.md "lint"). Failures are one line on stderr each; the static findings print regardless.
 */
import type { ObservedWorkload } from '../core/manifest/observed';
import { closeConnections, listContexts, loadKubeConfig, observeWorkloads, WORKLOAD_KINDS } from '../cluster/index';
import type { WorkloadRef } from '../cluster/index';
import { parseSince } from './analyzeWorkloadCommand';
import type { LintOptions } from './lintArgs';
import type { LintedFile } from './lintReport';

export interface LintObservations {
  observed: ObservedWorkload[];
  /** Namespace of an object that names none: the context's, else `default` (as kubectl apply). */
  defaultNamespace: string;
}

/** The workloads of the files, once each, in file order. */
function workloadRefs(files: readonly LintedFile[], defaultNamespace: string): WorkloadRef[] {
  const seen = new Set<string>();
  const out: WorkloadRef[] = [];
  for (const f of files)
    for (const o of f.analysis.objects) {
      if (o.name === null || !(WORKLOAD_KINDS as readonly string[]).includes(o.kind)) continue;
      const ref = { kind: o.kind, name: o.name, namespace: o.namespace ?? defaultNamespace };
      const key = `${ref.namespace}/${ref.kind}/${ref.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(ref);
    }
  return out;
}

/** Observes the files' workloads in `opts.context`; null (after saying why on stderr) when the cluster gives nothing. */
export async function lintObservations(
  opts: LintOptions,
  files: readonly LintedFile[],
  stderr: (t: string) => void,
): Promise<LintObservations | null> {
  if (opts.context === null) return null;
  const sinceMs = parseSince(opts.since ?? undefined);
  const say = (why: string): null => {
    stderr(`oomscope lint: no cluster findings from context ${opts.context}: ${why}\n`);
    return null;
  };
  const kubeconfigPath = opts.kubeconfig ?? undefined;
  const acc = loadKubeConfig({ kubeconfigPath, context: opts.context });
  if (!acc.ok) return say(acc.error.message);
  const contexts = listContexts({ kubeconfigPath });
  const defaultNamespace =
    (contexts.ok ? contexts.value.find((c) => c.name === acc.value.context)?.namespace : null) ?? 'default';
  const refs = workloadRefs(files, defaultNamespace);
  if (refs.length === 0) return { observed: [], defaultNamespace };
  try {
    const r = await observeWorkloads(acc.value, refs, {
      sinceMs,
      prometheusUrl: opts.prometheus ?? undefined,
      prometheus: opts.noPrometheus ? false : undefined,
    });
    for (const p of r.problems) say(p);
    return { observed: r.observed, defaultNamespace };
  } finally {
    closeConnections();
  }
}
