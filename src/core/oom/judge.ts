/**
 * Kernel OOM events + PSI phases → one verdict per kill: class, evidence, what came before it.
 * Shared by `oomscope analyze-log` and the panel.
 */
import { parseCgroupPath } from './cgroupPath';
import type { GroupKill, KernelOomEvent } from './kernelLogParser';
import { classifyKernelOom } from './classify';
import { judgePrecursor } from './phases';
import type { PsiCoverage } from './psi';
import {
  DEFAULT_PHASE_SETTINGS,
  type OomClass,
  type PhaseInterval,
  type PhaseSettings,
  type PrecededBy,
} from './verdictTypes';

/** A classified kill, judged against the phases of the scope that matches it. */
export interface KillVerdict {
  event: KernelOomEvent;
  class: OomClass;
  evidence: string[];
  podUid: string | null;
  containerId: string | null;
  /** The PSI scope the kill was judged on; null when none matched (or no PSI, or no time). */
  psiScope: string | null;
  /** null = sudden, or not judged (see `judged`). */
  precededBy: PrecededBy;
  /** The phase that preceded it, and for how long before the kill it had lasted. */
  precedingPhase: PhaseInterval | null;
  precedingSeconds: number | null;
  /** The kill's own reclaim: a phase that began within KILL_OWN_RECLAIM_SECONDS of it (shown as part of it). */
  ownReclaim: PhaseInterval | null;
  /**
   * Why precededBy could not be judged: 'no-psi', 'no-time', 'no-scope', 'no-coverage' (the PSI
   * series does not record the window before the kill: see `judgePrecursor`); null when judged.
   */
  notJudged: 'no-psi' | 'no-time' | 'no-scope' | 'no-coverage' | null;
}

/** The PSI scope a kill is judged on (docs/verdict.md): oomMemcg, else taskMemcg, else "node", else the only scope. */
export function scopeForKill(ev: KernelOomEvent, scopes: ScopeSet): string | null {
  const norm = (s: string | null): string | null => (s === null ? null : s.length > 1 ? s.replace(/\/+$/, '') : s);
  for (const c of [norm(ev.oomMemcg), norm(ev.taskMemcg), 'node']) if (c !== null && scopes.has(c)) return c;
  if (scopes.size === 1) return [...scopes.keys()][0]!;
  return null;
}

/** Scope names (a Set), or scope → coverage (a Map from `psiCoverage`). */
export type ScopeSet = ReadonlySet<string> | ReadonlyMap<string, PsiCoverage>;

/**
 * Judges every event that names a victim; `psiScopes` = `psiCoverage(samples)`, the scopes PSI was
 * given for (empty = no PSI). What came before each kill is `judgePrecursor`'s answer on its scope.
 */
export function judgeKills(
  events: KernelOomEvent[],
  phases: PhaseInterval[],
  psiScopes: ReadonlyMap<string, PsiCoverage>,
  settings: PhaseSettings = DEFAULT_PHASE_SETTINGS,
): KillVerdict[] {
  const out: KillVerdict[] = [];
  for (const ev of events) {
    if (!ev.victim) continue;
    const v = classifyKernelOom(ev);
    const info = ev.taskMemcg ? parseCgroupPath(ev.taskMemcg) : ev.oomMemcg ? parseCgroupPath(ev.oomMemcg) : null;
    const k: KillVerdict = {
      event: ev,
      class: v.class,
      evidence: v.evidence,
      podUid: info?.podUid ?? null,
      containerId: info?.containerId ?? null,
      psiScope: null,
      precededBy: null,
      precedingPhase: null,
      precedingSeconds: null,
      ownReclaim: null,
      notJudged: null,
    };
    if (psiScopes.size === 0) k.notJudged = 'no-psi';
    else if (ev.time === null) k.notJudged = 'no-time';
    else {
      const scope = scopeForKill(ev, psiScopes);
      const cov = scope === null ? undefined : psiScopes.get(scope);
      if (scope === null || !cov) k.notJudged = 'no-scope';
      else {
        k.psiScope = scope;
        const r = judgePrecursor(
          ev.time,
          { times: cov.times, toleranceMs: cov.toleranceMs, phases: phases.filter((p) => p.scope === scope) },
          settings,
        );
        if (!r.judged) k.notJudged = 'no-coverage';
        k.precededBy = r.precededBy;
        k.precedingPhase = r.phase;
        k.precedingSeconds = r.seconds;
        k.ownReclaim = r.ownReclaim;
      }
    }
    out.push(k);
  }
  return out;
}

/**
 * Kills as the events a person sees: the members of one kernel group kill (memory.oom.group, sharing one
 * `groupKill`) form one event, the selected victim first; every other kill is an event of its own.
 */
export function killEvents(kills: KillVerdict[]): KillVerdict[][] {
  const out: KillVerdict[][] = [];
  const byGroup = new Map<GroupKill, KillVerdict[]>();
  for (const k of kills) {
    const g = k.event.killer === 'kernel' ? k.event.groupKill : null;
    if (!g) {
      out.push([k]);
      continue;
    }
    let list = byGroup.get(g);
    if (!list) {
      list = [];
      byGroup.set(g, list);
      out.push(list);
    }
    list.push(k);
  }
  return out;
}
