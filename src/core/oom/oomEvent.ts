/** Blank OOM events and victims: the one place their fields are listed (the kernel parser and the userspace killers fill them in). */
import type { KernelOomEvent, KernelOomVictim } from './kernelLogParser';

/** An event with nothing read yet, for `killer`, starting at input line `line`. */
export function blankEvent(killer: KernelOomEvent['killer'], line: number): KernelOomEvent {
  return {
    time: null,
    monotonicSeconds: null,
    killer,
    killerReason: null,
    invoker: null,
    constraint: null,
    oomKind: null,
    killLineKind: null,
    oomMemcg: null,
    globalOom: false,
    taskMemcg: null,
    cgroupCut: false,
    readingNotes: [],
    cpuset: null,
    victim: null,
    groupKill: null,
    tasks: [],
    statsMemcgs: [],
    memcgLimitKb: null,
    memcgUsageKb: null,
    truncated: false,
    lines: [line, line],
  };
}

/** A victim known only by pid and comm. */
export function blankVictim(pid: number | null, comm: string | null): KernelOomVictim {
  return {
    pid,
    comm,
    uid: null,
    oomScoreAdj: null,
    totalVmKb: null,
    anonRssKb: null,
    fileRssKb: null,
    shmemRssKb: null,
    score: null,
  };
}
