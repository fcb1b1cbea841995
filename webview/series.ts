/** A chart point as chart.js reads it with `parsing: false`: x in epoch ms, y NaN at a gap. */
export interface XY {
  x: number;
  y: number;
}

/** Most points one series hands to chart.js; the decimation plugin thins further to the width. */
export const MAX_POINTS_PER_SERIES = 2000;

/** Median spacing of sorted x values (the poll interval), or null with fewer than 2 points. */
export function typicalInterval(xs: readonly number[]): number | null {
  if (xs.length < 2) return null;
  const step = Math.max(1, Math.floor(xs.length / 200));
  const deltas: number[] = [];
  for (let i = step; i < xs.length; i += step) deltas.push((xs[i] - xs[i - step]) / step);
  deltas.sort((a, b) => a - b);
  return deltas[Math.floor(deltas.length / 2)] || null;
}

/**
 * Sorted {x,y} with a NaN point inside every gap longer than 3 intervals (chart.js breaks the
 * line there), capped at `max` points by keeping each bucket's min and max.
 */
export function toChartPoints<T>(
  items: readonly T[],
  x: (item: T) => number,
  y: (item: T) => number | null,
  max = MAX_POINTS_PER_SERIES,
): XY[] {
  let ordered = true;
  for (let i = 1; i < items.length && ordered; i++) ordered = x(items[i - 1]) <= x(items[i]);
  const sorted = ordered ? items : [...items].sort((a, b) => x(a) - x(b));
  const xs = sorted.map(x);
  const interval = typicalInterval(xs);
  const gap = interval === null ? Infinity : interval * 3;
  const raw: XY[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (i > 0 && xs[i] - xs[i - 1] > gap) raw.push({ x: (xs[i] + xs[i - 1]) / 2, y: NaN });
    const value = y(sorted[i]);
    raw.push({ x: xs[i], y: value === null ? NaN : value });
  }
  return cap(raw, max);
}

function cap(points: XY[], max: number): XY[] {
  if (points.length <= max) return points;
  let gaps = 0;
  for (const p of points) if (Number.isNaN(p.y)) gaps++;
  // Each bucket keeps its min and max, and at most one gap marker (gaps are few).
  const buckets = Math.max(1, Math.floor((max - Math.min(gaps, max / 2)) / 2));
  const size = points.length / buckets;
  const out: XY[] = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor(b * size);
    const to = Math.min(points.length, Math.floor((b + 1) * size));
    let lo: XY | null = null;
    let hi: XY | null = null;
    let gapPoint: XY | null = null;
    for (let i = from; i < to; i++) {
      const p = points[i];
      if (Number.isNaN(p.y)) {
        gapPoint ??= p;
        continue;
      }
      if (!lo || p.y < lo.y) lo = p;
      if (!hi || p.y > hi.y) hi = p;
    }
    const keep = [lo, hi, gapPoint].filter((p): p is XY => p !== null);
    keep.sort((a, b2) => a.x - b2.x);
    for (const p of keep) if (out[out.length - 1] !== p) out.push(p);
  }
  return out;
}

export function extentX(series: readonly XY[][]): { min: number; max: number } | null {
  let min = Infinity;
  let max = -Infinity;
  for (const s of series) {
    if (s.length === 0) continue;
    min = Math.min(min, s[0].x);
    max = Math.max(max, s[s.length - 1].x);
  }
  return min === Infinity ? null : { min, max };
}
