/**
 * The values the cluster-aware rules judge and their fixes write, from observed usage (docs/rules/oom-killed-recently.md
 * "Margins"). One place for the margins and their anchors:
 *   - KRR's simple strategy sets the memory limit (and request) to the peak working set plus
 *     `memory_buffer_percentage`, default 15 (robusta-dev/krr robusta_krr/strategies/simple.py, SimpleStrategySettings).
 *   - VPA's recommender, after an OOM kill, records max(used + `--oom-min-bump-up-bytes`, used × `--oom-bump-up-ratio`),
 *     defaults 100 × 1024 × 1024 and 1.2 (kubernetes/autoscaler vertical-pod-autoscaler/pkg/recommender/model/
 *     aggregations_config.go DefaultOOMMinBumpUp, DefaultOOMBumpUpRatio).
 * Values are rounded up to whole Mi.
 */
import { formatQuantity } from '../../quantity';
import type { ObservedContainer, ObservedKill, ObservedWorkload } from '../observed';
import type { ContainerModel } from '../model';
import type { RuleContext } from './ruleContext';

const MI = 1024 * 1024;
/** KRR simple strategy: peak + 15 %. */
export const PEAK_BUFFER_PERCENT = 15;
/** VPA recommender after an OOM kill: × 1.2, at least + 100Mi. */
export const OOM_BUMP_UP_RATIO = 1.2;
export const OOM_MIN_BUMP_UP_BYTES = 100 * MI;
/** limit-below-observed-usage: the limit is at most this many percent above the peak. */
export const LIMIT_HEADROOM_PERCENT = 10;

/** A value to write: bytes (whole Mi), its quantity text, and where it comes from ("peak 611Mi + 15%"). */
export interface ObservedValue {
  bytes: bigint;
  text: string;
  reason: string;
}

export function ceilMi(bytes: number): bigint {
  return BigInt(Math.ceil(bytes / MI - 1e-9)) * BigInt(MI);
}

const mi = (bytes: bigint): string => `${bytes / BigInt(MI)}Mi`;

/** The observation of container `c` of the object the rule looks at; null without one. */
export function observedContainer(ctx: RuleContext, c: ContainerModel | null): ObservedContainer | null {
  if (!ctx.observed || !c || c.name === null) return null;
  return ctx.observed.containers.find((o) => o.name === c.name) ?? null;
}

/** The last kill at the container's own limit, and the usage it was killed at (its working set, else that limit). */
function lastOwnLimitKill(o: ObservedContainer): { kill: ObservedKill; usedBytes: number } | null {
  for (let i = o.kills.length - 1; i >= 0; i--) {
    const k = o.kills[i]!;
    if (k.class !== 'container-limit') continue;
    const used = Math.max(k.workingSetBytes ?? 0, k.limitBytes ?? 0);
    if (used > 0) return { kill: k, usedBytes: used };
  }
  return null;
}

/**
 * The limit that covers what was observed: the peak working set + 15 % (KRR), and, after a kill at its own limit, the
 * usage at that kill bumped as VPA does (max(× 1.2, + 100Mi)); the larger, rounded up to Mi. null without data.
 */
export function observedLimit(o: ObservedContainer): ObservedValue | null {
  const candidates: { bytes: number; reason: string }[] = [];
  if (o.peakBytes !== null && o.peakBytes > 0)
    candidates.push({
      bytes: o.peakBytes * (1 + PEAK_BUFFER_PERCENT / 100),
      reason: `peak ${formatQuantity(o.peakBytes)} + ${PEAK_BUFFER_PERCENT}%`,
    });
  const last = lastOwnLimitKill(o);
  if (last) {
    const ratio = last.usedBytes * OOM_BUMP_UP_RATIO;
    const plus = last.usedBytes + OOM_MIN_BUMP_UP_BYTES;
    const at = `working set at the last OOM kill ${formatQuantity(last.usedBytes)}`;
    candidates.push(
      ratio >= plus
        ? { bytes: ratio, reason: `${at} + ${Math.round((OOM_BUMP_UP_RATIO - 1) * 100)}%` }
        : { bytes: plus, reason: `${at} + ${formatQuantity(OOM_MIN_BUMP_UP_BYTES)}` },
    );
  }
  if (candidates.length === 0) return null;
  const best = candidates.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const bytes = ceilMi(best.bytes);
  return { bytes, text: mi(bytes), reason: best.reason };
}

/** The request that covers the usage of 95 % of the window: the p95 working set, rounded up to Mi. */
export function observedRequest(o: ObservedContainer, windowHours: number): ObservedValue | null {
  if (o.p95Bytes === null || o.p95Bytes <= 0) return null;
  const bytes = ceilMi(o.p95Bytes);
  return { bytes, text: mi(bytes), reason: `p95 of the working set over ${windowHours} h` };
}

export function windowWords(w: ObservedWorkload): string {
  return `${w.windowHours} h`;
}
