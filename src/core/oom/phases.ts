/**
 * Phase timeline per scope (docs/verdict.md "Phases"): healthy / pressure / thrashing, with sustain,
 * hysteresis and the precursor window, all from PhaseSettings.
 */
import { groupByScope, medianIntervalSeconds, stallPoints } from './psi';
import {
  DEFAULT_PHASE_SETTINGS,
  type PhaseInterval,
  type PhaseSettings,
  type PrecededBy,
  type PsiSample,
  type StallPoint,
} from './verdictTypes';

interface Span {
  start: number;
  end: number | null;
}

function spans(
  series: StallPoint[],
  above: (p: StallPoint) => boolean,
  sustainMs: number,
  hysteresisMs: number,
  last: boolean,
): Span[] {
  const out: Span[] = [];
  let runStart: number | null = null;
  let phaseStart: number | null = null;
  let quietStart: number | null = null;
  for (let i = 0; i < series.length; i++) {
    const p = series[i]!;
    const covStart = i === 0 ? p.t : series[i - 1]!.t;
    if (above(p)) {
      quietStart = null;
      runStart ??= covStart;
      if (phaseStart === null && p.t - runStart >= sustainMs) phaseStart = runStart;
    } else {
      runStart = null;
      if (phaseStart !== null) {
        quietStart ??= covStart;
        if (p.t - quietStart >= hysteresisMs) {
          out.push({ start: phaseStart, end: quietStart });
          phaseStart = null;
          quietStart = null;
        }
      }
    }
  }
  if (phaseStart !== null) {
    const lastT = series[series.length - 1]!.t;
    out.push({ start: phaseStart, end: quietStart ?? (last ? null : lastT) });
  }
  return out;
}

function subtract(a: Span, cuts: Span[]): Span[] {
  let parts: Span[] = [a];
  for (const c of cuts) {
    const next: Span[] = [];
    const cEnd = c.end ?? Infinity;
    for (const p of parts) {
      const pEnd = p.end ?? Infinity;
      if (cEnd <= p.start || c.start >= pEnd) {
        next.push(p);
        continue;
      }
      if (c.start > p.start) next.push({ start: p.start, end: c.start });
      if (cEnd < pEnd) next.push({ start: cEnd, end: p.end });
    }
    parts = next;
  }
  return parts;
}

function peaks(series: StallPoint[], s: Span): { some: number; full: number } {
  const end = s.end ?? Infinity;
  let some = 0;
  let full = 0;
  let any = false;
  for (const p of series) {
    if (p.t > s.start && p.t <= end) {
      any = true;
      some = Math.max(some, p.somePercent);
      full = Math.max(full, p.fullPercent ?? 0);
    }
  }
  if (!any) {
    for (const p of series) {
      if (p.t >= s.start && p.t <= end) {
        some = Math.max(some, p.somePercent);
        full = Math.max(full, p.fullPercent ?? 0);
      }
    }
  }
  return { some: Math.round(some * 100) / 100, full: Math.round(full * 100) / 100 };
}

/**
 * Phase intervals of one scope, exclusive in time (thrashing cuts the pressure it sits in).
 * Accepts one series or the series `stallPoints` returns; phases never span a gap.
 */
export function detectPhases(
  points: StallPoint[] | StallPoint[][],
  scope: string,
  settings: PhaseSettings = DEFAULT_PHASE_SETTINGS,
): PhaseInterval[] {
  const all: StallPoint[][] =
    points.length > 0 && Array.isArray(points[0]) ? (points as StallPoint[][]) : [points as StallPoint[]];
  const s = settings;
  const out: PhaseInterval[] = [];
  all.forEach((series, idx) => {
    if (series.length === 0) return;
    const last = idx === all.length - 1;
    const thr = spans(
      series,
      (p) => (p.fullPercent ?? 0) >= s.thrashingFullPercent || p.somePercent >= s.thrashingSomePercent,
      s.sustainSeconds * 1000,
      s.hysteresisSeconds * 1000,
      last,
    );
    const pre = spans(series, (p) => p.somePercent >= s.pressureSomePercent, 0, s.hysteresisSeconds * 1000, last);
    const found: PhaseInterval[] = [];
    for (const t of thr) {
      const pk = peaks(series, t);
      found.push({
        scope,
        phase: 'thrashing',
        start: t.start,
        end: t.end,
        peakSomePercent: pk.some,
        peakFullPercent: pk.full,
      });
    }
    for (const p of pre) {
      for (const part of subtract(p, thr)) {
        if (part.end !== null && part.end <= part.start) continue;
        const pk = peaks(series, part);
        found.push({
          scope,
          phase: 'pressure',
          start: part.start,
          end: part.end,
          peakSomePercent: pk.some,
          peakFullPercent: pk.full,
        });
      }
    }
    found.sort((a, b) => a.start - b.start);
    out.push(...found);
  });
  return out;
}

/**
 * Phases for every scope in a set of samples, sorted by start. With `inferPollInterval`, each
 * scope's poll interval (for gaps) is the median spacing of its samples instead of the setting
 * (a PSI file may come from a 1 s recorder or a 60 s Prometheus query).
 */
export function phasesFromSamples(
  samples: PsiSample[],
  settings: PhaseSettings = DEFAULT_PHASE_SETTINGS,
  options: { inferPollInterval?: boolean } = {},
): PhaseInterval[] {
  const out: PhaseInterval[] = [];
  for (const [scope, group] of groupByScope(samples)) {
    const poll = options.inferPollInterval
      ? (medianIntervalSeconds(group) ?? settings.pollIntervalSeconds)
      : settings.pollIntervalSeconds;
    out.push(...detectPhases(stallPoints(group, poll), scope, settings));
  }
  return out.sort((a, b) => a.start - b.start || a.scope.localeCompare(b.scope));
}

/**
 * Pressure that begins this close before a kill is the kill's own reclaim — the kernel reclaiming on its way to
 * the OOM — not what preceded it: one PSI averaging period (kernel/sched/psi.c, PSI_FREQ = 2 s).
 */
export const KILL_OWN_RECLAIM_SECONDS = 2;

/**
 * What preceded a kill at `killTime` among phases the PSI can see: the latest thrashing interval
 * touching the precursor window, else the latest pressure interval, else nothing. A phase that began
 * less than KILL_OWN_RECLAIM_SECONDS before the kill is part of the kill, not its precursor.
 */
function latestPrecursor(
  killTime: number,
  phases: readonly PhaseInterval[],
  settings: PhaseSettings,
): PhaseInterval | null {
  const from = killTime - settings.precursorWindowSeconds * 1000;
  let best: PhaseInterval | null = null;
  const latestStart = killTime - KILL_OWN_RECLAIM_SECONDS * 1000;
  for (const p of phases) {
    if (p.start > latestStart) continue;
    if (p.end !== null && p.end < from) continue;
    if (
      !best ||
      (p.phase === 'thrashing' && best.phase !== 'thrashing') ||
      (p.phase === best.phase && p.start > best.start)
    ) {
      best = p;
    }
  }
  return best;
}

/** The PSI recorded for one scope, as a kill is judged on it. */
export interface ScopePsi {
  /** Sample times of the scope, ascending (epoch ms). */
  times: readonly number[];
  /** The longest gap between two samples that still counts as recorded (three poll intervals). */
  toleranceMs: number;
  /** The scope's phases (`detectPhases` on the same samples). */
  phases: readonly PhaseInterval[];
}

/** What came before a kill; `judged` false = "cannot tell" (then precededBy null does not mean sudden). */
export interface PrecursorJudgement {
  judged: boolean;
  precededBy: PrecededBy;
  phase: PhaseInterval | null;
  /** How long the preceding phase had lasted at the kill (s); null when none. */
  seconds: number | null;
}

/**
 * Whether `times` record the precursor window before `killTime` without a hole: from the window's
 * start (or the first sample, when recording began inside the window) to the kill, no stretch
 * longer than `toleranceMs` passes without a sample.
 */
export function psiCoversKill(
  killTime: number,
  times: readonly number[],
  toleranceMs: number,
  settings: PhaseSettings = DEFAULT_PHASE_SETTINGS,
): boolean {
  const from = killTime - settings.precursorWindowSeconds * 1000;
  let seen: number | null = null;
  for (const t of times) {
    if (t > killTime) break;
    if (t < from) {
      seen = t;
      continue;
    }
    if (seen !== null && t - Math.max(seen, from) > toleranceMs) return false;
    seen = t;
  }
  return seen !== null && killTime - Math.max(seen, from) <= toleranceMs;
}

/**
 * Was this kill preceded by thrashing? The one judgement behind `analyze-log --psi`, the cluster
 * analysis and the panel.
 *
 * Coverage rule (README: "cannot tell, never sudden"): a kill is judged on a scope only when that
 * scope's PSI records the precursor window before the kill without a hole (`psiCoversKill`: no
 * stretch longer than `toleranceMs` without a sample between the window's start, or the first
 * sample, and the kill). A kill from before the recording, after it stopped, or inside a gap (a
 * recorder that stalled while the node thrashed) is not judged: "cannot tell", never "sudden".
 *
 * When covered: the latest thrashing phase touching the precursor window, else the latest
 * pressure phase, else null (sudden). A phase that began less than KILL_OWN_RECLAIM_SECONDS
 * before the kill is the kill's own reclaim, not its precursor.
 */
export function judgePrecursor(
  killTime: number,
  psi: ScopePsi,
  settings: PhaseSettings = DEFAULT_PHASE_SETTINGS,
): PrecursorJudgement {
  if (!psiCoversKill(killTime, psi.times, psi.toleranceMs, settings))
    return { judged: false, precededBy: null, phase: null, seconds: null };
  const phase = latestPrecursor(killTime, psi.phases, settings);
  return {
    judged: true,
    precededBy: phase ? phase.phase : null,
    phase,
    seconds: phase ? phaseSecondsBefore(phase, killTime) : null,
  };
}

/** Seconds a phase lasted before `until` (the kill), for "thrashing for 2m 10s before the kill". */
export function phaseSecondsBefore(phase: PhaseInterval, until: number): number {
  const end = phase.end === null ? until : Math.min(phase.end, until);
  return Math.max(0, (end - phase.start) / 1000);
}
