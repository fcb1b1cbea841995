/**
 * What a pod's in-place resize (KEP-1287, GA 1.35) says about a kill. Condition shapes from
 * staging/src/k8s.io/api/core/v1/types.go (PodResizePending: reason `Deferred` or `Infeasible`;
 * PodResizeInProgress: present while the kubelet actuates an allocated resize, reason `Error` with a
 * message when actuation failed, e.g. a memory-limit decrease below current usage, which the kubelet
 * skips — KEP-1287 "Memory limit decreases").
 */
import { formatQuantity } from '../../core/quantity';
import { timeMs, type WirePod } from '../access/wireTypes';
import type { LimitInForce } from './podContainers';

/** A kill this close to a resize condition's transition is said to follow (or precede) the resize. */
export const RESIZE_NEAR_MS = 5 * 60_000;

const ago = (ms: number): string => (ms < 120_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`);

/** Evidence sentences on the limit in force and the pod's resize state at kill time `t`. */
export function resizeWords(pod: WirePod, limit: LimitInForce, t: number | null): string[] {
  const out: string[] = [];
  if (limit.source === 'status' && limit.specLimitBytes !== null && limit.specLimitBytes !== limit.limitBytes)
    out.push(
      `limit in force ${formatQuantity(limit.limitBytes!)} (status resources), not the spec's ${formatQuantity(limit.specLimitBytes)}: a resize is not applied yet`,
    );
  for (const c of pod.status?.conditions ?? []) {
    if (c.status !== 'True') continue;
    const since = timeMs(c.lastTransitionTime);
    const near = t !== null && since !== null && Math.abs(t - since) <= RESIZE_NEAR_MS;
    const when =
      near && t !== null && since !== null
        ? t >= since
          ? `, ${ago(t - since)} before the kill`
          : `, ${ago(since - t)} after the kill`
        : '';
    const msg = c.message ? `: ${c.message}` : '';
    if (c.type === 'PodResizeInProgress' && c.reason === 'Error')
      out.push(`resize refused (PodResizeInProgress, reason Error${when})${msg}; the old limit stays in force`);
    else if (c.type === 'PodResizeInProgress') out.push(`resize in progress (PodResizeInProgress${when})`);
    else if (c.type === 'PodResizePending')
      out.push(
        `resize not applied (PodResizePending, reason ${c.reason ?? 'none'}${when})${msg}; the old limit stays in force`,
      );
  }
  return out;
}
