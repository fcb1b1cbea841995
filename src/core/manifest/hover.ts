/**
 * Hover text for memory settings: QoS class and reason, oom_score_adj, node-pressure behaviour,
 * exact bytes. Everything taken from the manifest goes through mdText/mdCode, so a name like
 * `![x](https://…)` shows as text and loads nothing.
 */
import { LineIndex } from './lineIndex';
import {
  parseManifest,
  type ContainerModel,
  type ManifestObject,
  type QuantityField,
  type ResourcesModel,
} from './model';
import { computePodQos, containerOomScoreAdj, type QosResult } from './qos';
import { formatBytes, groupDigits, quantityDecimalString } from '../quantity';
import { qosPodOf } from './qosInput';
import { mdCode, mdText } from './markdown';
import type { HoverResult } from './analyze';
import type { AnalysisSettings, Position } from './findingTypes';
import type { ObservedWorkload } from './observed';
import { capacityGroups, capacityWhere, limitedSwapGroups, nodeNames, type NodeGroup } from './hoverNodes';
import { noSwapReason, swapLimitBytes } from '../kubeletMemory';
import { formatSize } from '../../shared/humanSize';
import type { QosPod } from './qos';

interface Target {
  start: number;
  end: number;
  container: ContainerModel | null;
  field: QuantityField | null;
}

function inside(offset: number, start: number, end: number): boolean {
  return offset >= start && offset <= end && end > start;
}

function targetsOf(res: ResourcesModel | null, container: ContainerModel | null): Target[] {
  if (!res) return [];
  const out: Target[] = [{ start: res.keyStart, end: res.keyEnd, container, field: null }];
  for (const list of [res.requests, res.limits]) {
    if (!list) continue;
    out.push({ start: list.keyStart, end: list.keyEnd, container, field: null });
    const m = list.memory;
    if (m) {
      out.push({ start: m.keyStart, end: m.keyEnd, container, field: m });
      if (m.node) out.push({ start: m.valueStart, end: m.valueEnd, container, field: m });
    }
  }
  return out;
}

function findTarget(obj: ManifestObject, offset: number): Target | null {
  const all: Target[] = [...targetsOf(obj.podSpec.resources, null)];
  for (const c of obj.podSpec.containers) {
    if (c.name !== null) all.push({ start: c.nameStart, end: c.nameEnd, container: c, field: null });
    all.push(...targetsOf(c.resources, c));
  }
  for (const t of all) if (inside(offset, t.start, t.end)) return t;
  return null;
}

/**
 * The container's swap on LimitedSwap nodes (kubeletMemory.ts, as the kubelet computes it); null on any other node,
 * or without one: the hover then says nothing of swap.
 */
function swapText(pod: QosPod, qos: QosResult['qosClass'], index: number, node: NodeGroup): string | null {
  if (node.swapBehavior !== 'LimitedSwap') return null;
  const c = pod.containers[index]!;
  const num = (b: bigint | null): number | null => (b === null ? null : Number(b));
  // The API server defaults a missing request to the limit.
  const input = {
    swapBehavior: node.swapBehavior,
    podQos: qos,
    requestBytes: num(c.requests.memoryBytes ?? c.limits.memoryBytes),
    limitBytes: num(c.limits.memoryBytes),
    priorityClassName: pod.priorityClassName,
    priority: null,
    nodeMemoryBytes: Number(node.capacityBytes),
    nodeSwapBytes: num(node.swapCapacityBytes),
  };
  const why = noSwapReason(input);
  const on = `Swap of "${mdText(c.name ?? '?')}" on LimitedSwap ${nodeNames(node.names)}`;
  if (why !== null) return `${on}: **none** (${mdText(why)}).`;
  const limit = swapLimitBytes(input);
  if (limit === null)
    return `${on}: its share of the node's swap (request / node memory × node swap); the node's swap capacity is unknown.`;
  return `${on}: \`memory.swap.max\` **${formatSize(limit)}** (${groupDigits(BigInt(limit))} bytes) = request ${formatSize(input.requestBytes ?? 0)} / node memory ${formatSize(input.nodeMemoryBytes)} × node swap ${formatSize(input.nodeSwapBytes ?? 0)}.`;
}

function pressureText(qos: QosResult['qosClass']): string {
  const mine =
    qos === 'BestEffort'
      ? "This pod is **BestEffort**: it is among the first to be evicted, and with `oom_score_adj` 1000 its processes are the kernel's first choice."
      : qos === 'Burstable'
        ? 'This pod is **Burstable**: it is evicted after BestEffort pods when its usage exceeds its requests (ranked by usage above request); the kernel prefers it over Guaranteed pods.'
        : 'This pod is **Guaranteed**: it is evicted last, and with `oom_score_adj` −997 the kernel kills it only when nothing else is left. It can still be OOM-killed by its own limit.';
  return `**Under node memory pressure:** the kubelet evicts BestEffort pods first, then Burstable pods using more than their request (largest usage above request first), Guaranteed pods last. If the kernel's OOM killer acts first, it kills the process with the highest \`oom_score\` (memory share × 1000 + \`oom_score_adj\`). ${mine}`;
}

function quantityText(f: QuantityField): string {
  const shown = `**${mdCode(f.text ?? '')}**`;
  if (f.templated) return `${shown}: template value, not evaluated.`;
  if (!f.parse || !f.parse.ok) return `${shown} is not a valid Kubernetes quantity: the API server rejects it.`;
  if (f.outOfRange === 'negative')
    return `${shown} is negative: the API server rejects it (memory must be greater than or equal to 0).`;
  if (f.outOfRange === 'overflow')
    return `${shown} is more than 2^63−1 bytes: the API server stores it, but the scheduler and the kubelet cannot use it (their 64-bit conversion overflows).`;
  const exact = quantityDecimalString(f.parse.quantity);
  if (f.bytes === null) return `${shown} = ${exact} bytes.`;
  if (!f.whole)
    return `${shown} = ${exact} bytes: not a whole number of bytes; the API server rounds it up to ${groupDigits(f.bytes)} byte${f.bytes === 1n ? '' : 's'}.`;
  const f2 = formatBytes(f.bytes);
  const unit = f2.endsWith('bytes') ? '' : ` (${f2.replace(/^.*\((.*)\)$/, '$1')})`;
  return `${shown} = ${groupDigits(f.bytes)} bytes${unit}.`;
}

/**
 * Hover inside one document slice; `position` is in the caller's coordinates (lineOffset included). `observe` gives
 * the object's observation, whose nodes come before the connected node and the setting.
 */
export function hoverInSlice(
  text: string,
  position: Position,
  document: number,
  lineOffset: number,
  settings: AnalysisSettings,
  observe: (obj: ManifestObject) => ObservedWorkload | null = () => null,
): HoverResult | null {
  const lines = new LineIndex(text, lineOffset);
  const offset = lines.offsetAt(position);
  const model = parseManifest(text, document);
  for (const obj of model.objects) {
    const t = findTarget(obj, offset);
    if (!t) continue;
    const pod = qosPodOf(obj);
    const qos = computePodQos(pod);
    const parts: string[] = [];
    parts.push(`**QoS class: ${qos.qosClass}** — ${mdText(qos.reason)}.`);
    const observed = observe(obj);
    const groups = capacityGroups(observed, settings);
    const containers = t.container ? [t.container] : obj.podSpec.containers;
    const adjLines = containers.flatMap((c) => {
      const i = obj.podSpec.containers.indexOf(c);
      const who = `\`oom_score_adj\` of ${c.sidecar ? 'sidecar' : c.init ? 'init container' : 'container'} "${mdText(c.name ?? '?')}"`;
      // Only the Burstable value depends on the node's capacity: one line per capacity then, one line otherwise.
      return (qos.qosClass === 'Burstable' ? groups : groups.slice(0, 1)).map((g) => {
        const adj = containerOomScoreAdj(pod, qos.qosClass, i, g.capacityBytes);
        const notes = adj.notes.length > 0 ? `; ${mdText(adj.notes.join('; '))}` : '';
        const formula = qos.qosClass === 'Burstable' ? ` — \`${adj.formula}\` ${capacityWhere(g)}${notes}` : '';
        return `${who}: **${adj.value}**${formula}`;
      });
    });
    if (adjLines.length > 0) parts.push(adjLines.join('  \n'));
    const swapNodes = limitedSwapGroups(observed, settings);
    const swapLines = containers
      .flatMap((c) => swapNodes.map((g) => swapText(pod, qos.qosClass, obj.podSpec.containers.indexOf(c), g)))
      .filter((l): l is string => l !== null);
    if (swapLines.length > 0) parts.push(swapLines.join('  \n'));
    parts.push(pressureText(qos.qosClass));
    if (t.field) parts.push(quantityText(t.field));
    return { markdown: parts.join('\n\n'), range: lines.range(t.start, t.end) };
  }
  return null;
}
