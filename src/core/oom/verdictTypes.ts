/**
 * The verdict engine's data: PSI samples, phases and classified OOM kills.
 * Produced by psi.ts / phases.ts / kernelLog.ts / oomClass.ts, consumed by the CLI, the
 * cluster layer and the panel. Times are epoch milliseconds unless named otherwise.
 */
import { SETTING_DEFAULTS } from '../../shared/settingsDefaults';

export interface PsiAverages {
  /** Percentages, 0..100, as the kernel prints them. */
  avg10: number;
  avg60: number;
  avg300: number;
  /** Cumulative stall time in microseconds; absent when the source gives only averages. */
  total?: number;
}

export interface PsiSample {
  /** Epoch ms. */
  t: number;
  /** "node", a cgroup path ("/kubepods/burstable/pod…"), "pod:<ns>/<name>", "container:<ns>/<pod>/<name>". */
  scope: string;
  some: PsiAverages;
  /** The kernel omits `full` for some resources; memory always has it. */
  full?: PsiAverages;
  /** Cumulative reclaim counters of the same scope at `t`, where they were read (docs/cli.md "--psi"). */
  counters?: MemoryCounters;
}

/**
 * memory.stat counters a thrash shows in (Documentation/admin-guide/cgroup-v2.rst "memory.stat"): cumulative,
 * in pages (workingset_*, pgscan, pgsteal) or events (pgmajfault). cgroup v1 memory.stat (cgroup-v1/memory.rst)
 * and /proc/vmstat give the same names.
 */
export const STAT_COUNTERS = [
  'workingset_refault_anon',
  'workingset_refault_file',
  'workingset_activate_anon',
  'workingset_activate_file',
  'pgscan',
  'pgsteal',
  'pgmajfault',
  // Pages read back from swap (/proc/vmstat; cgroup v2 memory.stat where the kernel reports it).
  'pswpin',
] as const;
/**
 * memory.events counters (cgroup-v2.rst "memory.events": times the usage hit memory.high / memory.max, OOMs, OOM
 * kills, group kills) and cgroup v1 memory.failcnt (times the usage hit the limit): cumulative event counts.
 */
export const EVENT_COUNTERS = ['high', 'max', 'oom', 'oom_kill', 'oom_group_kill', 'failcnt'] as const;
export type StatCounter = (typeof STAT_COUNTERS)[number];
export type EventCounter = (typeof EVENT_COUNTERS)[number];

/** Cumulative counters of a scope; a counter that was not read is absent. */
export interface MemoryCounters {
  stat?: Partial<Record<StatCounter, number>>;
  events?: Partial<Record<EventCounter, number>>;
}

/** Reclaim activity over one stall point's interval (the difference of two counter readings); null = not read. */
export interface ReclaimDelta {
  /** The interval, s. */
  seconds: number;
  /** workingset_refault_anon + _file, pages. */
  refaults: number | null;
  /** workingset_activate_anon + _file, pages. */
  activations: number | null;
  majfaults: number | null;
  /** pgscan, pages. */
  scans: number | null;
  /** pswpin, pages read back from swap. Optional: readings made before swap-ins were read have none. */
  swapIns?: number | null;
  /** Times the usage hit its limit: memory.events high + max, or v1 failcnt. */
  limitHits: number | null;
}

/** One point of a stall-fraction series (percent of wall time), derived from samples. */
export interface StallPoint {
  t: number;
  somePercent: number;
  fullPercent: number | null;
  /** true when computed from Δtotal/Δt, false when it fell back to avg10. */
  exact: boolean;
  /** Reclaim counters over the same interval, when both samples carried them. */
  reclaim?: ReclaimDelta;
}

/** Tiers, mildest first (docs/verdict.md "Phases"); `healthy` is the time outside every phase. */
export type PhaseName = 'healthy' | 'pressure' | 'thrashing' | 'severe';

export interface PhaseInterval {
  scope: string;
  phase: Exclude<PhaseName, 'healthy'>;
  start: number;
  /** null while the phase is still open at the last sample. */
  end: number | null;
  peakSomePercent: number;
  peakFullPercent: number;
  /** The signals that made the phase: "full 14% for 22s; refaults 3,100 pages/s at the limit". */
  signals: string;
  /**
   * The latest time the phase's stall had provably begun (the first sample in it, less the stall time it shows);
   * what `judgePrecursor` compares with the kill. Equals `start` or is a little later.
   */
  begunBy: number;
}

export interface PhaseSettings {
  pressureSomePercent: number; // 10
  thrashingFullPercent: number; // 10
  thrashingSomePercent: number; // 40
  sustainSeconds: number; // 10
  hysteresisSeconds: number; // 10
  /** Thrashing by corroborating signals: refaults (pages/s) at the limit… */
  thrashingRefaultsPerSecond: number; // 1000
  /** …or major faults (/s) at the limit… */
  thrashingMajfaultsPerSecond: number; // 1000
  /** …with a real stall: mean `some` over the sustain window (%). */
  thrashingStallSomePercent: number; // 5
  /** Severe: `full` above this (%) for `severeSeconds` (systemd-oomd's default kill threshold). */
  severeFullPercent: number; // 60
  severeSeconds: number; // 30
  precursorWindowSeconds: number; // 300
  /** Poll interval used to decide what is a gap (gap > 3 intervals). */
  pollIntervalSeconds: number; // 10
}

/** Every number and its source: docs/verdict.md "Phases". */
export const DEFAULT_PHASE_SETTINGS: PhaseSettings = {
  pressureSomePercent: 10,
  thrashingFullPercent: 10,
  thrashingSomePercent: 40,
  sustainSeconds: 10,
  hysteresisSeconds: 10,
  thrashingRefaultsPerSecond: 1000,
  thrashingMajfaultsPerSecond: 1000,
  thrashingStallSomePercent: 5,
  severeFullPercent: 60,
  severeSeconds: 30,
  precursorWindowSeconds: SETTING_DEFAULTS['phases.precursorWindowSeconds'].default,
  pollIntervalSeconds: 10,
};

export type { OomClass, PrecededBy } from '../killWords';
