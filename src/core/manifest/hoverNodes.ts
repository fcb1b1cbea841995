/**
 * The nodes the hover computes a workload's memory facts for: the nodes that ran it (its observation, grouped by
 * capacity), else the connected node (the newest node panel's), else `oomscope.nodeMemoryCapacity` alone. Node
 * names come from the cluster: they go through mdCode.
 */
import { formatBytes, groupDigits } from '../quantity';
import { formatSize } from '../../shared/humanSize';
import { mdCode } from './markdown';
import type { AnalysisSettings } from './findingTypes';
import type { ObservedWorkload } from './observed';

/** Nodes that share the facts a line depends on; `names` empty: the setting, no node. */
export interface NodeGroup {
  names: string[];
  capacityBytes: bigint;
  swapBehavior: string | null;
  swapCapacityBytes: bigint | null;
}

/** Node names shown per line at most; the rest are counted. */
export const MAX_NAMED_NODES = 5;

function groupBy(nodes: ObservedWorkload['nodes'], key: (n: ObservedWorkload['nodes'][number]) => string): NodeGroup[] {
  const out = new Map<string, NodeGroup>();
  for (const n of [...nodes].sort((a, b) => a.name.localeCompare(b.name))) {
    const k = key(n);
    const g = out.get(k);
    if (g) g.names.push(n.name);
    else
      out.set(k, {
        names: [n.name],
        capacityBytes: BigInt(n.capacityBytes),
        swapBehavior: n.swapBehavior,
        swapCapacityBytes: n.swapCapacityBytes === null ? null : BigInt(n.swapCapacityBytes),
      });
  }
  // Smallest capacity first: the largest oom_score_adj (the kernel's likelier victim) leads.
  return [...out.values()].sort((a, b) =>
    a.capacityBytes < b.capacityBytes ? -1 : a.capacityBytes > b.capacityBytes ? 1 : 0,
  );
}

/** The capacities the Burstable oom_score_adj is computed for, one group each. */
export function capacityGroups(observed: ObservedWorkload | null, settings: AnalysisSettings): NodeGroup[] {
  if (observed && observed.nodes.length > 0) return groupBy(observed.nodes, (n) => String(n.capacityBytes));
  const c = settings.connectedNode;
  if (c)
    return [
      {
        names: [c.node],
        capacityBytes: c.capacityBytes,
        swapBehavior: c.swapBehavior,
        swapCapacityBytes: c.swapCapacityBytes,
      },
    ];
  return [{ names: [], capacityBytes: settings.nodeMemoryCapacityBytes, swapBehavior: null, swapCapacityBytes: null }];
}

/** The LimitedSwap nodes, grouped by what the swap limit depends on (node memory and swap); empty: no swap line. */
export function limitedSwapGroups(observed: ObservedWorkload | null, settings: AnalysisSettings): NodeGroup[] {
  const nodes =
    observed && observed.nodes.length > 0
      ? groupBy(
          observed.nodes.filter((n) => n.swapBehavior === 'LimitedSwap'),
          (n) => `${n.capacityBytes}/${n.swapCapacityBytes}`,
        )
      : capacityGroups(null, settings);
  return nodes.filter((g) => g.names.length > 0 && g.swapBehavior === 'LimitedSwap');
}

/** "node `a`", "nodes `a`, `b`", "nodes `a`, …, `e` and 3 more". */
export function nodeNames(names: readonly string[]): string {
  const shown = names.slice(0, MAX_NAMED_NODES).map(mdCode).join(', ');
  const more = names.length - MAX_NAMED_NODES;
  return `node${names.length === 1 ? '' : 's'} ${shown}${more > 0 ? ` and ${more} more` : ''}`;
}

/** Where the Burstable formula's capacity comes from: the nodes, or the setting. */
export function capacityWhere(g: NodeGroup): string {
  const cap = g.capacityBytes;
  if (g.names.length === 0) return `for a node with ${formatBytes(cap)} (${groupDigits(cap)} bytes) of memory`;
  return `on ${nodeNames(g.names)} (${formatSize(Number(cap))}, ${groupDigits(cap)} bytes)`;
}
