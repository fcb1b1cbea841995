/**
 * PSI samples and stall fractions (docs/verdict.md "From PSI samples to stall fractions"):
 * exact Δtotal/Δt (µs) where totals exist, avg10 otherwise; counter resets and gaps split series;
 * the reclaim counters (refaults, major faults, limit hits) of the same interval ride along.
 */
import type { MemoryCounters, PsiAverages, PsiSample, ReclaimDelta, StallPoint } from './verdictTypes';

const LINE_RE = /^(some|full)\s+(.*)$/;

function parseAverages(fields: string): PsiAverages | null {
  const v: Record<string, number> = {};
  for (const f of fields.trim().split(/\s+/)) {
    const eq = f.indexOf('=');
    if (eq <= 0) continue;
    const n = Number(f.slice(eq + 1));
    if (f.slice(eq + 1) === '' || !Number.isFinite(n) || n < 0) return null;
    v[f.slice(0, eq)] = n;
  }
  if (v.avg10 === undefined || v.avg60 === undefined || v.avg300 === undefined) return null;
  const out: PsiAverages = { avg10: v.avg10, avg60: v.avg60, avg300: v.avg300 };
  if (v.total !== undefined) out.total = v.total;
  return out;
}

/** `/proc/pressure/memory` or a cgroup's `memory.pressure` → a sample; null when there is no `some` line. */
export function parsePressureText(text: string, t: number, scope: string): PsiSample | null {
  let some: PsiAverages | null = null;
  let full: PsiAverages | null = null;
  for (const raw of text.split('\n')) {
    const m = LINE_RE.exec(raw.trim());
    if (!m) continue;
    const a = parseAverages(m[2]!);
    if (!a) continue;
    if (m[1] === 'some') some ??= a;
    else full ??= a;
  }
  if (!some) return null;
  return full ? { t, scope, some, full } : { t, scope, some };
}

/** Kubelet Summary API `psi` object ({some, full} each {total (µs), avg10, avg60, avg300}). */
export interface SummaryPsi {
  some?: { total?: number; avg10?: number; avg60?: number; avg300?: number };
  full?: { total?: number; avg10?: number; avg60?: number; avg300?: number };
}

function fromSummary(a: SummaryPsi['some']): PsiAverages | null {
  if (!a) return null;
  const num = (x: unknown): number => (typeof x === 'number' && Number.isFinite(x) ? x : 0);
  const out: PsiAverages = { avg10: num(a.avg10), avg60: num(a.avg60), avg300: num(a.avg300) };
  if (typeof a.total === 'number' && Number.isFinite(a.total)) out.total = a.total;
  return out;
}

/** Summary API `psi` → a sample; null when the object has no `some`. */
export function psiFromSummary(psi: SummaryPsi | null | undefined, t: number, scope: string): PsiSample | null {
  const some = fromSummary(psi?.some);
  if (!some) return null;
  const full = fromSummary(psi?.full);
  return full ? { t, scope, some, full } : { t, scope, some };
}

/** One scrape of cumulative stall counters in seconds (cAdvisor `container_pressure_memory_*_seconds_total`, node-exporter). */
export interface StallCounterPoint {
  t: number;
  /** `…_waiting_seconds_total` = some. */
  waitingSeconds: number;
  /** `…_stalled_seconds_total` = full; null when absent. */
  stalledSeconds: number | null;
}

/**
 * Counter scrapes → samples with totals in µs. Averages are unknown from counters, so avg10 is
 * filled with the rate since the previous scrape (0 for the first) and avg60/avg300 equal it.
 */
export function samplesFromCounters(points: StallCounterPoint[], scope: string): PsiSample[] {
  const out: PsiSample[] = [];
  const sorted = [...points].sort((a, b) => a.t - b.t);
  let prev: StallCounterPoint | null = null;
  for (const p of sorted) {
    const dtS = prev ? (p.t - prev.t) / 1000 : 0;
    const rate = (cur: number, old: number | null): number =>
      old !== null && dtS > 0 && cur >= old ? Math.min(100, ((cur - old) / dtS) * 100) : 0;
    const someRate = rate(p.waitingSeconds, prev ? prev.waitingSeconds : null);
    const sample: PsiSample = {
      t: p.t,
      scope,
      some: { avg10: someRate, avg60: someRate, avg300: someRate, total: Math.round(p.waitingSeconds * 1e6) },
    };
    if (p.stalledSeconds !== null) {
      const fullRate = rate(p.stalledSeconds, prev ? prev.stalledSeconds : null);
      sample.full = { avg10: fullRate, avg60: fullRate, avg300: fullRate, total: Math.round(p.stalledSeconds * 1e6) };
    }
    out.push(sample);
    prev = p;
  }
  return out;
}

/** Groups samples by scope, each group sorted by time. */
export function groupByScope(samples: PsiSample[]): Map<string, PsiSample[]> {
  const m = new Map<string, PsiSample[]>();
  for (const s of samples) {
    let g = m.get(s.scope);
    if (!g) m.set(s.scope, (g = []));
    g.push(s);
  }
  for (const g of m.values()) g.sort((a, b) => a.t - b.t);
  return m;
}

/** The median spacing of sample times, in seconds (the poll interval when none is configured). */
export function medianIntervalSeconds(samples: PsiSample[]): number | null {
  const d: number[] = [];
  for (let i = 1; i < samples.length; i++) {
    const x = samples[i]!.t - samples[i - 1]!.t;
    if (x > 0) d.push(x);
  }
  if (d.length === 0) return null;
  d.sort((a, b) => a - b);
  return d[Math.floor(d.length / 2)]! / 1000;
}

function clampPct(x: number): number {
  return x < 0 ? 0 : x > 100 ? 100 : x;
}

function exactFraction(a: PsiAverages | undefined, b: PsiAverages | undefined, dtUs: number): number | null {
  if (!a || !b || a.total === undefined || b.total === undefined) return null;
  return clampPct(((b.total - a.total) / dtUs) * 100);
}

function fallbackPoint(s: PsiSample): StallPoint {
  return {
    t: s.t,
    somePercent: clampPct(s.some.avg10),
    fullPercent: s.full ? clampPct(s.full.avg10) : null,
    exact: false,
  };
}

function isReset(a: PsiSample, b: PsiSample): boolean {
  const dec = (x: PsiAverages | undefined, y: PsiAverages | undefined): boolean =>
    x?.total !== undefined && y?.total !== undefined && y.total < x.total;
  return dec(a.some, b.some) || dec(a.full, b.full);
}

/** Δ of the sum of some counters between two readings; null when either lacks one, or one went backwards. */
function counterDelta(
  a: Record<string, number | undefined> | undefined,
  b: Record<string, number | undefined> | undefined,
  keys: readonly string[],
): number | null {
  if (!a || !b) return null;
  let sum = 0;
  let any = false;
  for (const k of keys) {
    const x = a[k];
    const y = b[k];
    if (x === undefined || y === undefined) continue;
    if (y < x) return null;
    sum += y - x;
    any = true;
  }
  return any ? sum : null;
}

/** The reclaim activity between two counter readings (`limitHits`: memory.events high + max, else v1 failcnt). */
export function reclaimDelta(a: MemoryCounters, b: MemoryCounters, seconds: number): ReclaimDelta {
  const v2hits = counterDelta(a.events, b.events, ['high', 'max']);
  return {
    seconds,
    refaults: counterDelta(a.stat, b.stat, ['workingset_refault_anon', 'workingset_refault_file']),
    activations: counterDelta(a.stat, b.stat, ['workingset_activate_anon', 'workingset_activate_file']),
    majfaults: counterDelta(a.stat, b.stat, ['pgmajfault']),
    scans: counterDelta(a.stat, b.stat, ['pgscan']),
    swapIns: counterDelta(a.stat, b.stat, ['pswpin']),
    limitHits: v2hits ?? counterDelta(a.events, b.events, ['failcnt']),
  };
}

/**
 * Samples of ONE scope → stall-fraction series. A series breaks at a counter reset (a total
 * decreasing) and at a gap longer than 3 poll intervals. The first point of each series falls
 * back to avg10; the others are exact Δtotal/Δt where totals exist.
 */
export function stallPoints(samples: PsiSample[], pollIntervalSeconds?: number): StallPoint[][] {
  const sorted = [...samples].filter((s) => Number.isFinite(s.t)).sort((a, b) => a.t - b.t);
  const poll = pollIntervalSeconds ?? medianIntervalSeconds(sorted) ?? 10;
  const maxGapMs = 3 * poll * 1000;
  const out: StallPoint[][] = [];
  let cur: StallPoint[] = [];
  let prev: PsiSample | null = null;
  for (const s of sorted) {
    if (prev && s.t === prev.t) continue;
    if (!prev || s.t - prev.t > maxGapMs || isReset(prev, s)) {
      if (cur.length) out.push(cur);
      cur = [fallbackPoint(s)];
      prev = s;
      continue;
    }
    const dtUs = (s.t - prev.t) * 1000;
    const some = exactFraction(prev.some, s.some, dtUs);
    const full = exactFraction(prev.full, s.full, dtUs);
    const point: StallPoint =
      some === null
        ? fallbackPoint(s)
        : { t: s.t, somePercent: some, fullPercent: full ?? (s.full ? clampPct(s.full.avg10) : null), exact: true };
    if (prev.counters && s.counters) point.reclaim = reclaimDelta(prev.counters, s.counters, dtUs / 1e6);
    cur.push(point);
    prev = s;
  }
  if (cur.length) out.push(cur);
  return out;
}

/** The time a scope's samples cover, as `judgePrecursor` (core/oom/phases.ts) reads it. */
export interface PsiCoverage {
  first: number;
  last: number;
  /** Every sample time, ascending. */
  times: number[];
  /** The longest stretch without a sample that still counts as recorded (3 poll intervals). */
  toleranceMs: number;
}

/** Coverage per scope (poll interval = the given one, else each scope's median spacing). */
export function psiCoverage(samples: PsiSample[], pollIntervalSeconds?: number): Map<string, PsiCoverage> {
  const out = new Map<string, PsiCoverage>();
  for (const [scope, group] of groupByScope(samples)) {
    const poll = pollIntervalSeconds ?? medianIntervalSeconds(group) ?? 10;
    out.set(scope, {
      first: group[0]!.t,
      last: group[group.length - 1]!.t,
      times: group.map((g) => g.t),
      toleranceMs: 3 * poll * 1000,
    });
  }
  return out;
}
