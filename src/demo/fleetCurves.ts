/**
 * The curves a generated fleet is drawn with (fleet.ts): PSI rates made of linear bumps over a base, with closed-form
 * totals (so a day of cumulative `…_seconds_total` costs nothing per sample), and working sets through points.
 */

/** A linear rise over `riseMs` to `peak` percent at `endMs`, then a linear fall over `fallMs`. */
export interface Bump {
  endMs: number;
  riseMs: number;
  fallMs: number;
  peak: number;
}

/** A PSI rate (percent of wall time) over time: `base` plus bumps. */
export interface PsiCurve {
  base: number;
  bumps: Bump[];
}

export interface Psi {
  /** "some": time at least one task waited (cAdvisor/node-exporter `…_waiting_seconds_total`). */
  some: PsiCurve;
  /** "full": time all tasks stalled (`…_stalled_seconds_total`). */
  full: PsiCurve;
}

export const flat = (some: number, full: number): Psi => ({
  some: { base: some, bumps: [] },
  full: { base: full, bumps: [] },
});

/** A Psi whose some and full rise together (full = fullShare × some) before `endMs`. */
export function withBump(
  p: Psi,
  endMs: number,
  riseMs: number,
  peak: number,
  fullShare: number,
  fallMs = 120_000,
): Psi {
  return {
    some: { base: p.some.base, bumps: [...p.some.bumps, { endMs, riseMs, fallMs, peak }] },
    full: { base: p.full.base, bumps: [...p.full.bumps, { endMs, riseMs, fallMs, peak: peak * fullShare }] },
  };
}

function bumpAt(b: Bump, t: number): number {
  const a = b.endMs - b.riseMs;
  if (t <= a || t >= b.endMs + b.fallMs) return 0;
  return t <= b.endMs ? (b.peak * (t - a)) / b.riseMs : b.peak * (1 - (t - b.endMs) / b.fallMs);
}

/** ∫ bump dt from −∞ to t, percent·ms. */
function bumpArea(b: Bump, t: number): number {
  const a = b.endMs - b.riseMs;
  if (t <= a) return 0;
  if (t <= b.endMs) return (b.peak * (t - a) ** 2) / (2 * b.riseMs);
  const rise = (b.peak * b.riseMs) / 2;
  const d = Math.min(t - b.endMs, b.fallMs);
  return rise + b.peak * (d - (d * d) / (2 * b.fallMs));
}

/** The rate at t, percent (capped at 100). */
export function rateAt(c: PsiCurve, t: number): number {
  let r = c.base;
  for (const b of c.bumps) r += bumpAt(b, t);
  return Math.min(100, r);
}

/** Stalled seconds between fromMs and toMs (the increase of the `…_seconds_total` counter). */
export function stalledSeconds(c: PsiCurve, fromMs: number, toMs: number): number {
  if (toMs <= fromMs) return 0;
  let area = c.base * (toMs - fromMs);
  for (const b of c.bumps) area += bumpArea(b, toMs) - bumpArea(b, fromMs);
  return area / 100 / 1000;
}

/** Linear interpolation through [tMs, value] points (sorted by time); flat before the first and after the last. */
export function through(points: [number, number][]): (t: number) => number {
  return (t) => {
    if (t <= points[0]![0]) return points[0]![1];
    for (let i = 1; i < points.length; i++) {
      const [t1, v1] = points[i]!;
      if (t <= t1) {
        const [t0, v0] = points[i - 1]!;
        return t1 === t0 ? v1 : v0 + ((v1 - v0) * (t - t0)) / (t1 - t0);
      }
    }
    return points[points.length - 1]![1];
  };
}

/** A deterministic pseudo-random integer from a few integers (no state: the scale fleet is drawn lazily). */
export function mix(...xs: number[]): number {
  let h = 2166136261;
  for (const x of xs) {
    h ^= x & 0xffffffff;
    h = Math.imul(h, 16777619);
    h ^= h >>> 13;
  }
  return h >>> 0;
}

const ALNUM = 'bcdfghjklmnpqrstvwxz2456789';

/** A name suffix as the ReplicaSet / pod name generators draw it (k8s.io/apimachinery rand.String alphabet). */
export function suffix(seed: number, len: number): string {
  let s = '';
  let h = seed;
  for (let i = 0; i < len; i++) {
    h = mix(h, i);
    s += ALNUM[h % ALNUM.length];
  }
  return s;
}

/** A UUID-shaped uid from a seed. */
export function uidOf(seed: number): string {
  const hx = (n: number, len: number): string => mix(seed, n).toString(16).padStart(8, '0').slice(0, len);
  return `${hx(1, 8)}-${hx(2, 4)}-4${hx(3, 3)}-a${hx(4, 3)}-${hx(5, 8)}${hx(6, 4)}`;
}
