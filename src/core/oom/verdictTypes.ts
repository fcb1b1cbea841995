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
}

/** One point of a stall-fraction series (percent of wall time), derived from samples. */
export interface StallPoint {
  t: number;
  somePercent: number;
  fullPercent: number | null;
  /** true when computed from Δtotal/Δt, false when it fell back to avg10. */
  exact: boolean;
}

export type PhaseName = 'healthy' | 'pressure' | 'thrashing';

export interface PhaseInterval {
  scope: string;
  phase: Exclude<PhaseName, 'healthy'>;
  start: number;
  /** null while the phase is still open at the last sample. */
  end: number | null;
  peakSomePercent: number;
  peakFullPercent: number;
}

export interface PhaseSettings {
  pressureSomePercent: number; // 10
  thrashingFullPercent: number; // 10
  thrashingSomePercent: number; // 40
  sustainSeconds: number; // 10
  hysteresisSeconds: number; // 10
  precursorWindowSeconds: number; // 300
  /** Poll interval used to decide what is a gap (gap > 3 intervals). */
  pollIntervalSeconds: number; // 10
}

export const DEFAULT_PHASE_SETTINGS: PhaseSettings = {
  pressureSomePercent: 10,
  thrashingFullPercent: 10,
  thrashingSomePercent: 40,
  sustainSeconds: 10,
  hysteresisSeconds: 10,
  precursorWindowSeconds: SETTING_DEFAULTS['phases.precursorWindowSeconds'].default,
  pollIntervalSeconds: 10,
};

export type OomClass =
  | 'container-limit'
  | 'pod-limit'
  | 'node-allocatable'
  | 'ancestor-limit'
  | 'system'
  | 'eviction'
  | 'userspace'
  | 'unknown';

export type PrecededBy = 'thrashing' | 'pressure' | null;
