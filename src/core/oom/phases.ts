/**
 * Phase timeline per scope (docs/verdict.md "Phases"): healthy / pressure / thrashing / severe, from the
 * stall alone or corroborated by reclaim counters, with sustain, hysteresis and the precursor window, all
 * from PhaseSettings; and the one precursor rule (`judgePrecursor`).
 */
import { phaseSignals, phaseStats, type PhaseRule } from './phaseSignals';
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
  /** Index of the first point above the bar in the phase. */
  first: number;
}

function spans(
  series: StallPoint[],
  above: (p: StallPoint, i: number) => boolean,
  sustainMs: number,
  hysteresisMs: number,
  last: boolean,
): Span[] {
  const out: Span[] = [];
  let runStart: number | null = null;
  let runFirst = 0;
  let phaseStart: number | null = null;
  let phaseFirst = 0;
  let quietStart: number | null = null;
  for (let i = 0; i < series.length; i++) {
    const p = series[i]!;
    const covStart = i === 0 ? p.t : series[i - 1]!.t;
    if (above(p, i)) {
      quietStart = null;
      if (runStart === null) {
        runStart = covStart;
        runFirst = i;
      }
      if (phaseStart === null && p.t - runStart >= sustainMs) {
        phaseStart = runStart;
        phaseFirst = runFirst;
      }
    } else {
      runStart = null;
      if (phaseStart !== null) {
        quietStart ??= covStart;
        if (p.t - quietStart >= hysteresisMs) {
          out.push({ start: phaseStart, end: quietStart, first: phaseFirst });
          phaseStart = null;
          quietStart = null;
        }
      }
    }
  }
  if (phaseStart !== null) {
    const lastT = series[series.length - 1]!.t;
    out.push({ start: phaseStart, end: quietStart ?? (last ? null : lastT), first: phaseFirst });
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
      if (c.start > p.start) next.push({ start: p.start, end: c.start, first: p.first });
      if (cEnd < pEnd) next.push({ start: cEnd, end: p.end, first: p.first });
    }
    parts = next;
  }
  return parts;
}

/** Overlapping or touching spans merged into one. */
function union(list: Span[]): Span[] {
  const sorted = [...list].sort((a, b) => a.start - b.start);
  const out: Span[] = [];
  for (const s of sorted) {
    const prev = out[out.length - 1];
    if (prev && (prev.end === null || s.start <= prev.end)) {
      if (prev.end !== null) prev.end = s.end === null ? null : Math.max(prev.end, s.end);
      if (s.first < prev.first) prev.first = s.first;
    } else out.push({ ...s });
  }
  return out;
}

function overlaps(a: Span, b: Span): boolean {
  return a.start < (b.end ?? Infinity) && b.start < (a.end ?? Infinity);
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
 * The latest time the stall of a span had provably begun: its first sample after `start` shows
 * `some`% of the time since the sample before stalled, so the stall began at least that long before it.
 */
function begunBy(series: StallPoint[], s: Span): number {
  let i = series.findIndex((p) => p.t > s.start);
  if (i < 0) i = series.length - 1;
  const q = series[i]!;
  const prevT = i > 0 ? series[i - 1]!.t : q.t;
  const stalledMs = (q.somePercent / 100) * (q.t - prevT);
  return Math.min(q.t, Math.max(s.start, q.t - stalledMs));
}

/**
 * Thrashing by corroborating signals at point i, over the sustain window that ends there (the window must be
 * recorded whole): the usage hit its limit, pages were read back (refaults, or swap-ins on a swapping node, at the
 * refault rate) or major faults climbed at a high rate, and the mean `some` stall was real. What systemd-oomd and Meta's oomd require before they act: a stall
 * together with reclaim activity.
 */
function corroborated(series: StallPoint[], i: number, s: PhaseSettings): boolean {
  const from = series[i]!.t - s.sustainSeconds * 1000;
  let secs = 0;
  let stallSecs = 0;
  let hits = 0;
  let refaults = 0;
  let majfaults = 0;
  let swapIns = 0;
  let counted = 0;
  let whole = false;
  for (let j = i; j >= 1; j--) {
    const p = series[j]!;
    const prevT = series[j - 1]!.t;
    const dt = (p.t - prevT) / 1000;
    secs += dt;
    stallSecs += (p.somePercent / 100) * dt;
    const r = p.reclaim;
    if (r) {
      counted += r.seconds;
      hits += r.limitHits ?? 0;
      refaults += r.refaults ?? 0;
      majfaults += r.majfaults ?? 0;
      swapIns += r.swapIns ?? 0;
    }
    if (prevT <= from) {
      whole = true;
      break;
    }
  }
  if (!whole || secs <= 0 || counted <= 0 || hits <= 0) return false;
  if ((stallSecs / secs) * 100 < s.thrashingStallSomePercent) return false;
  return (
    refaults / counted >= s.thrashingRefaultsPerSecond ||
    swapIns / counted >= s.thrashingRefaultsPerSecond ||
    majfaults / counted >= s.thrashingMajfaultsPerSecond
  );
}

/** A point whose interval shows reclaim at the limit together with a stall. */
function reclaiming(p: StallPoint): boolean {
  const r = p.reclaim;
  const readBack = (r?.refaults ?? 0) > 0 || (r?.swapIns ?? 0) > 0 || (r?.majfaults ?? 0) > 0;
  return !!r && (r.limitHits ?? 0) > 0 && readBack && p.somePercent > 0;
}

/**
 * Corroborated spans start inside the first window that proved them, where its run of reclaim at the limit
 * (`reclaiming` points, back to back up to that window's end) began.
 */
function corroboratedSpans(series: StallPoint[], s: PhaseSettings, last: boolean): Span[] {
  const ok = series.map((_, i) => corroborated(series, i, s));
  return spans(series, (_, i) => ok[i]!, 0, s.hysteresisSeconds * 1000, last).map((sp) => {
    const from = series[sp.first]!.t - s.sustainSeconds * 1000;
    let k = sp.first;
    while (k > 1 && series[k - 1]!.t > from && reclaiming(series[k - 1]!)) k--;
    return { ...sp, start: series[k - 1]?.t ?? series[k]!.t, first: k };
  });
}

/** Which rule of the list of rule spans made an interval. */
function rulesOf(part: Span, byRule: ReadonlyArray<[PhaseRule, Span[]]>): Set<PhaseRule> {
  const out = new Set<PhaseRule>();
  for (const [rule, list] of byRule) if (list.some((x) => overlaps(x, part))) out.add(rule);
  return out;
}

/**
 * Phase intervals of one scope, exclusive in time (severe cuts the thrashing it sits in, thrashing the pressure).
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
  const sustain = s.sustainSeconds * 1000;
  const hyst = s.hysteresisSeconds * 1000;
  const out: PhaseInterval[] = [];
  all.forEach((series, idx) => {
    if (series.length === 0) return;
    const last = idx === all.length - 1;
    const byFull = spans(series, (p) => (p.fullPercent ?? 0) >= s.thrashingFullPercent, sustain, hyst, last);
    const bySome = spans(series, (p) => p.somePercent >= s.thrashingSomePercent, sustain, hyst, last);
    const byCounters = corroboratedSpans(series, s, last);
    const severe = spans(series, (p) => (p.fullPercent ?? 0) > s.severeFullPercent, s.severeSeconds * 1000, hyst, last);
    const thr = union([...byFull, ...bySome, ...byCounters]);
    const pre = spans(series, (p) => p.somePercent >= s.pressureSomePercent, 0, hyst, last);
    const counterRule = series.some((p) => (p.reclaim?.refaults ?? 0) > 0)
      ? 'refaults'
      : series.some((p) => (p.reclaim?.swapIns ?? 0) > 0)
        ? 'swapins'
        : 'majfaults';
    const byRule: Array<[PhaseRule, Span[]]> = [
      ['full', byFull],
      ['some', bySome],
      [counterRule, byCounters],
    ];
    const found: PhaseInterval[] = [];
    const add = (phase: PhaseInterval['phase'], part: Span, rules: Set<PhaseRule>): void => {
      if (part.end !== null && part.end <= part.start) return;
      const pk = peaks(series, part);
      found.push({
        scope,
        phase,
        start: part.start,
        end: part.end,
        peakSomePercent: pk.some,
        peakFullPercent: pk.full,
        signals: phaseSignals(phase, rules, phaseStats(series, part.start, part.end)),
        begunBy: begunBy(series, part),
      });
    };
    for (const v of severe) add('severe', v, new Set(['full']));
    for (const t of thr) for (const part of subtract(t, severe)) add('thrashing', part, rulesOf(part, byRule));
    for (const p of pre) for (const part of subtract(p, [...thr, ...severe])) add('pressure', part, new Set(['some']));
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

const TIER_RANK: Record<PhaseInterval['phase'], number> = { pressure: 0, thrashing: 1, severe: 2 };

/**
 * What preceded a kill at `killTime` among phases the PSI can see: the latest phase of the highest tier touching
 * the precursor window (severe, then thrashing, then pressure), else nothing. A phase whose stall had not provably
 * begun KILL_OWN_RECLAIM_SECONDS before the kill (`begunBy`) is part of the kill, not its precursor: that one is
 * returned as `own`, the latest such phase that began by the kill.
 */
function precursorAndOwn(
  killTime: number,
  phases: readonly PhaseInterval[],
  settings: PhaseSettings,
): { best: PhaseInterval | null; own: PhaseInterval | null } {
  const from = killTime - settings.precursorWindowSeconds * 1000;
  let best: PhaseInterval | null = null;
  let own: PhaseInterval | null = null;
  const latestStart = killTime - KILL_OWN_RECLAIM_SECONDS * 1000;
  for (const p of phases) {
    if (p.begunBy > latestStart) {
      if (p.start <= killTime && (!own || p.start > own.start)) own = p;
      continue;
    }
    if (p.end !== null && p.end < from) continue;
    if (!best || TIER_RANK[p.phase] > TIER_RANK[best.phase] || (p.phase === best.phase && p.start > best.start)) {
      best = p;
    }
  }
  return { best, own };
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
  /** A severe phase is `thrashing` here; `phase.phase` keeps the tier. */
  precededBy: PrecededBy;
  phase: PhaseInterval | null;
  /** How long the preceding phase had lasted at the kill (s); null when none. */
  seconds: number | null;
  /** The kill's own reclaim: a phase that began within KILL_OWN_RECLAIM_SECONDS of the kill; null when none. */
  ownReclaim: PhaseInterval | null;
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
 * When covered: the latest phase of the highest tier touching the precursor window (severe, thrashing,
 * pressure), else null (sudden). A phase whose stall had not provably begun KILL_OWN_RECLAIM_SECONDS
 * before the kill (`begunBy`) is the kill's own reclaim (`ownReclaim`), not its precursor.
 */
export function judgePrecursor(
  killTime: number,
  psi: ScopePsi,
  settings: PhaseSettings = DEFAULT_PHASE_SETTINGS,
): PrecursorJudgement {
  if (!psiCoversKill(killTime, psi.times, psi.toleranceMs, settings))
    return { judged: false, precededBy: null, phase: null, seconds: null, ownReclaim: null };
  const { best: phase, own } = precursorAndOwn(killTime, psi.phases, settings);
  return {
    judged: true,
    precededBy: phase ? (phase.phase === 'pressure' ? 'pressure' : 'thrashing') : null,
    phase,
    seconds: phase ? phaseSecondsBefore(phase, killTime) : null,
    ownReclaim: own,
  };
}

/** Seconds a phase lasted before `until` (the kill), for "thrashing for 2m 10s before the kill". */
export function phaseSecondsBefore(phase: PhaseInterval, until: number): number {
  const end = phase.end === null ? until : Math.min(phase.end, until);
  return Math.max(0, (end - phase.start) / 1000);
}
