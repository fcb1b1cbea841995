/** Most points per series the extension sends to the webview (it thins further to the width). */
export const MAX_SENT_POINTS = 2000;

/**
 * Keeps at most `max` points of a time-sorted series: per bucket the points with the lowest
 * and highest value, so peaks survive. Points before/after a gap stay (their bucket keeps them
 * when they are extremes; the webview breaks lines at gaps from the timestamps).
 */
export function capSeries<T extends { t: number }>(
  points: readonly T[],
  value: (p: T) => number,
  max = MAX_SENT_POINTS,
): T[] {
  const sorted = isSorted(points) ? points : [...points].sort((a, b) => a.t - b.t);
  if (sorted.length <= max) return [...sorted];
  const buckets = Math.max(1, Math.floor(max / 2));
  const size = sorted.length / buckets;
  const out: T[] = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor(b * size);
    const to = Math.min(sorted.length, Math.floor((b + 1) * size));
    let lo = from;
    let hi = from;
    for (let i = from; i < to; i++) {
      if (value(sorted[i]) < value(sorted[lo])) lo = i;
      if (value(sorted[i]) > value(sorted[hi])) hi = i;
    }
    out.push(sorted[Math.min(lo, hi)]);
    if (lo !== hi) out.push(sorted[Math.max(lo, hi)]);
  }
  return out;
}

function isSorted<T extends { t: number }>(points: readonly T[]): boolean {
  for (let i = 1; i < points.length; i++) if (points[i - 1].t > points[i].t) return false;
  return true;
}
