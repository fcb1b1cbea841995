/**
 * Where memory pressure sits, in words (issue 14 §8; research users-and-peers §3.3): a pod's own PSI
 * high with the node quiet is self-inflicted (its own limit, or memory.high with MemoryQoS); kubepods
 * under contention is node-allocatable pressure; the system slice under contention is system daemons.
 * The node scopes come from the PSI node conditions (KEP-5394) when the kubelet reports them.
 */
import type { NodeInfo } from '../access/accessTypes';
import type { PodPressure, PressureNow } from './nodeAnalysisTypes';

/** PSI some avg10 (percent) at which a scope counts as under pressure, and below which the node counts as quiet. */
export const HIGH_SOME_PERCENT = 10;

export function pressureScopeWords(node: NodeInfo | null, nodeNow: PressureNow | null, pods: PodPressure[]): string[] {
  const out: string[] = [];
  const kubepods = node?.kubepodsMemoryContentionPressure?.status === 'True';
  const system = node?.systemMemoryContentionPressure?.status === 'True';
  if (system)
    out.push(
      'SystemMemoryContentionPressure: the system slice is stalled on memory — system daemons (kubelet, runtime, journald…) are short of memory, not the pods.',
    );
  if (kubepods)
    out.push(
      'KubepodsMemoryContentionPressure: the pods together are stalled on memory — node-allocatable pressure (kubepods near its limit); pods below their own limits suffer too.',
    );
  const nodeQuiet = !system && !kubepods && (nodeNow === null || nodeNow.some.avg10 < HIGH_SOME_PERCENT);
  const high = pods.filter((p) => p.some.avg10 >= HIGH_SOME_PERCENT);
  if (nodeQuiet && nodeNow !== null && high.length)
    out.push(
      `${high
        .slice(0, 3)
        .map((p) => `${p.namespace}/${p.name}`)
        .join(
          ', ',
        )}${high.length > 3 ? ` and ${high.length - 3} more` : ''}: high memory PSI with a quiet node — self-inflicted (its own limit, or memory.high with MemoryQoS), not node pressure.`,
    );
  return out;
}

/**
 * The PSI node conditions for the node picker, beside MemoryPressure: only those the node reports (absent is not
 * "False": the gate is alpha), a True one with a warning icon. "" when the node reports none.
 */
export function contentionWords(n: {
  systemMemoryContentionPressure: string | null;
  kubepodsMemoryContentionPressure: string | null;
}): string {
  const parts: string[] = [];
  for (const [name, status] of [
    ['SystemMemoryContentionPressure', n.systemMemoryContentionPressure],
    ['KubepodsMemoryContentionPressure', n.kubepodsMemoryContentionPressure],
  ] as const)
    if (status === 'True') parts.push(`$(warning) ${name}`);
    else if (status !== null) parts.push(`${name} ${status}`);
  return parts.length ? ` · ${parts.join(' · ')}` : '';
}
