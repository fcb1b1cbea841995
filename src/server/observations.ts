/**
 * The server's end of `oomscope/observedWorkloads`: the observed usage of the workloads of the open manifests, as the
 * extension last sent it, for the cluster-aware rules (docs/rules/oom-killed-recently.md and its siblings).
 *
 * A change of observations does not invalidate every document's analysis: each analyzed YAML document remembers the
 * workloads it holds and a digest of their observations, and only a document whose digest changed is analyzed again
 * (see DocumentAnalysis). A keystroke in a file of 1,000 documents therefore costs what it cost before, however
 * often the cluster is read.
 */
import type { ObservedKill, ObservedWorkload } from '../core/manifest/observed';
import type { ObservedWorkloadsParams } from '../shared/lspProtocol';

/** A workload of a YAML document, as its manifest names it (namespace null: the context's default applies). */
export interface WorkloadKey {
  kind: string;
  name: string | null;
  namespace: string | null;
}

/** The observations one analysis run reads: fixed for the run, so every document of it agrees. */
export interface ObservationSnapshot {
  readonly generation: number;
  readonly observed: readonly ObservedWorkload[];
  readonly defaultNamespace: string;
  /** The observations that apply to these workloads, as one string ('' when none does). */
  digestOf(keys: readonly WorkloadKey[]): string;
}

/** More workloads than this in one notification: the rest are ignored, with one warning. */
export const MAX_OBSERVED_WORKLOADS = 500;

/** No observations: static analysis only. */
export const NO_OBSERVATIONS: ObservationSnapshot = {
  generation: 0,
  observed: [],
  defaultNamespace: 'default',
  digestOf: () => '',
};

export class ObservationStore {
  private current: ObservationSnapshot = NO_OBSERVATIONS;

  snapshot(): ObservationSnapshot {
    return this.current;
  }

  /** Takes a notification's params; false (with one warning) when they are not what the protocol says. */
  set(params: unknown, warn: (message: string) => void): boolean {
    const parsed = parseParams(params, warn);
    if (!parsed) return false;
    const byKey = new Map<string, string>();
    for (const w of parsed.workloads) byKey.set(keyOf(w.kind, w.namespace, w.name), JSON.stringify(w));
    const defaultNamespace = parsed.defaultNamespace;
    this.current = {
      generation: this.current.generation + 1,
      observed: parsed.workloads,
      defaultNamespace,
      digestOf: (keys) => {
        if (byKey.size === 0) return '';
        let out = '';
        for (const k of keys) {
          if (k.name === null) continue;
          const d = byKey.get(keyOf(k.kind, k.namespace ?? defaultNamespace, k.name));
          if (d) out += `${d}\n`;
        }
        return out;
      },
    };
    return true;
  }
}

const keyOf = (kind: string, namespace: string, name: string): string => `${kind}\u0000${namespace}\u0000${name}`;

const isStr = (x: unknown): x is string => typeof x === 'string' && x.length > 0 && x.length <= 253;
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isNumOrNull = (x: unknown): boolean => x === null || isNum(x);
const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function validKill(k: unknown): k is ObservedKill {
  return (
    isObj(k) &&
    isNumOrNull(k.t) &&
    typeof k.class === 'string' &&
    (k.precededBy === null || k.precededBy === 'thrashing' || k.precededBy === 'pressure') &&
    isNumOrNull(k.precedingSeconds) &&
    typeof k.precededJudged === 'boolean' &&
    isNumOrNull(k.workingSetBytes) &&
    isNumOrNull(k.limitBytes) &&
    (k.pod === null || isStr(k.pod))
  );
}

function validNode(n: unknown): boolean {
  return (
    isObj(n) &&
    isStr(n.name) &&
    isNum(n.capacityBytes) &&
    n.capacityBytes > 0 &&
    (n.swapBehavior === null || isStr(n.swapBehavior)) &&
    isNumOrNull(n.swapCapacityBytes)
  );
}

function validWorkload(w: unknown): w is ObservedWorkload {
  return (
    isObj(w) &&
    isStr(w.kind) &&
    isStr(w.name) &&
    isStr(w.namespace) &&
    isStr(w.context) &&
    isNum(w.generatedAt) &&
    isNum(w.windowHours) &&
    Array.isArray(w.containers) &&
    w.containers.every(
      (c: unknown) =>
        isObj(c) &&
        isStr(c.name) &&
        isNumOrNull(c.p95Bytes) &&
        isNumOrNull(c.peakBytes) &&
        Array.isArray(c.kills) &&
        c.kills.every(validKill),
    ) &&
    Array.isArray(w.nodes) &&
    w.nodes.every(validNode)
  );
}

function parseParams(
  params: unknown,
  warn: (message: string) => void,
): { defaultNamespace: string; workloads: ObservedWorkload[] } | null {
  if (!isObj(params) || !isStr(params.defaultNamespace) || !Array.isArray(params.workloads)) {
    warn('oomscope/observedWorkloads: params are not {context, defaultNamespace, workloads: [...]}; ignored');
    return null;
  }
  const p = params as unknown as ObservedWorkloadsParams;
  const all = p.workloads as unknown[];
  const workloads = all.slice(0, MAX_OBSERVED_WORKLOADS).filter(validWorkload);
  const dropped = Math.min(all.length, MAX_OBSERVED_WORKLOADS) - workloads.length;
  if (dropped > 0) warn(`oomscope/observedWorkloads: ${dropped} workload(s) not of the protocol's shape; ignored`);
  if (all.length > MAX_OBSERVED_WORKLOADS)
    warn(`oomscope/observedWorkloads: ${all.length} workloads; the first ${MAX_OBSERVED_WORKLOADS} are used`);
  return { defaultNamespace: p.defaultNamespace, workloads };
}
