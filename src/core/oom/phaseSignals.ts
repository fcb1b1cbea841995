/**
 * What a phase's samples showed, and the one sentence that names the signals that made it
 * ("full 14% for 22s; refaults 3,100 pages/s at the limit"): docs/verdict.md "Phases".
 */
import { formatDuration } from './sentences';
import type { PhaseName, StallPoint } from './verdictTypes';

/** Which rule made a phase (docs/verdict.md): the stall alone, or the stall corroborated by reclaim counters. */
export type PhaseRule = 'some' | 'full' | 'refaults' | 'swapins' | 'majfaults';

/** Means and rates over the points of one interval. */
export interface PhaseStats {
  seconds: number;
  meanSomePercent: number;
  meanFullPercent: number | null;
  /** Over the points that carried counters; null when none did. */
  refaultsPerSecond: number | null;
  majfaultsPerSecond: number | null;
  swapInsPerSecond: number | null;
  limitHitsPerSecond: number | null;
}

/** Stats of the points in (start, end] (end null = to the last point). */
export function phaseStats(series: readonly StallPoint[], start: number, end: number | null): PhaseStats {
  const stop = end ?? Infinity;
  let wSome = 0;
  let wFull = 0;
  let wAll = 0;
  let fullSeen = false;
  let rs = 0;
  let refaults: number | null = null;
  let majfaults: number | null = null;
  let swapIns: number | null = null;
  let hits: number | null = null;
  let lastT = start;
  for (let i = 0; i < series.length; i++) {
    const p = series[i]!;
    if (p.t <= start || p.t > stop) continue;
    const prevT = i > 0 ? series[i - 1]!.t : p.t;
    const dt = Math.max(0, (p.t - Math.max(prevT, start)) / 1000) || 1e-3;
    wAll += dt;
    wSome += p.somePercent * dt;
    if (p.fullPercent !== null) {
      fullSeen = true;
      wFull += p.fullPercent * dt;
    }
    lastT = p.t;
    const r = p.reclaim;
    if (r && r.seconds > 0) {
      rs += r.seconds;
      if (r.refaults !== null) refaults = (refaults ?? 0) + r.refaults;
      if (r.majfaults !== null) majfaults = (majfaults ?? 0) + r.majfaults;
      if (r.swapIns !== undefined && r.swapIns !== null) swapIns = (swapIns ?? 0) + r.swapIns;
      if (r.limitHits !== null) hits = (hits ?? 0) + r.limitHits;
    }
  }
  const per = (x: number | null): number | null => (x === null || rs <= 0 ? null : x / rs);
  return {
    seconds: ((end ?? lastT) - start) / 1000,
    meanSomePercent: wAll > 0 ? wSome / wAll : 0,
    meanFullPercent: fullSeen && wAll > 0 ? wFull / wAll : null,
    refaultsPerSecond: per(refaults),
    majfaultsPerSecond: per(majfaults),
    swapInsPerSecond: per(swapIns),
    limitHitsPerSecond: per(hits),
  };
}

function pct(x: number): string {
  return `${x < 10 ? Math.round(x * 10) / 10 : Math.round(x)}%`;
}

function count(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}

/**
 * The signals of a phase, e.g. "some 8.6%, full 8.6% for 26s; refaults 9,800 pages/s at the limit (9,900 limit
 * hits/s)". The stall figure is the mean over the phase; counter rates are shown whenever they were recorded.
 */
export function phaseSignals(
  phase: Exclude<PhaseName, 'healthy'>,
  rules: ReadonlySet<PhaseRule>,
  st: PhaseStats,
): string {
  const full = st.meanFullPercent;
  const stall =
    phase === 'pressure' || (!rules.has('full') && full === null)
      ? `some ${pct(st.meanSomePercent)}`
      : rules.has('full') || phase === 'severe'
        ? `full ${pct(full ?? 0)}`
        : `some ${pct(st.meanSomePercent)}${full !== null ? `, full ${pct(full)}` : ''}`;
  const parts = [`${stall} for ${formatDuration(st.seconds)}`];
  const atLimit = st.limitHitsPerSecond !== null && st.limitHitsPerSecond > 0;
  const reclaim: string[] = [];
  if (st.refaultsPerSecond !== null) reclaim.push(`refaults ${count(st.refaultsPerSecond)} pages/s`);
  if (st.swapInsPerSecond !== null && st.swapInsPerSecond > 0)
    reclaim.push(`swap-ins ${count(st.swapInsPerSecond)} pages/s`);
  if (st.majfaultsPerSecond !== null && (rules.has('majfaults') || st.refaultsPerSecond === null))
    reclaim.push(`major faults ${count(st.majfaultsPerSecond)}/s`);
  if (reclaim.length) {
    const hits = atLimit ? ` at the limit (${count(st.limitHitsPerSecond!)} limit hits/s)` : '';
    parts.push(`${reclaim.join(', ')}${hits}`);
  } else if (atLimit) parts.push(`at the limit (${count(st.limitHitsPerSecond!)} limit hits/s)`);
  return parts.join('; ');
}
