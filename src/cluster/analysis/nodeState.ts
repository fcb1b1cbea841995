/** What a poller accumulates across polls for one node: samples, counters, working sets, kills. */
import type { KernelReport } from './kernelReports';
import type { StallCounterPoint } from '../../core/oom/psi';
import type { PsiSample } from '../../core/oom/verdictTypes';
import type { KillRecord } from './nodeAnalysisTypes';
import type { MemoryPointAt } from './samples';

/** 12 h at a 10 s poll. */
const MAX_POINTS = 4320;

function pushBounded<T extends { t: number }>(list: T[], item: T): void {
  const last = list[list.length - 1];
  if (last && item.t <= last.t) {
    if (item.t === last.t) list[list.length - 1] = item;
    else {
      list.push(item);
      list.sort((a, b) => a.t - b.t);
    }
  } else list.push(item);
  if (list.length > MAX_POINTS) list.splice(0, list.length - MAX_POINTS);
}

export class NodeState {
  readonly samples = new Map<string, PsiSample[]>();
  readonly counters = new Map<string, StallCounterPoint[]>();
  readonly memory = new Map<string, { t: number; workingSetBytes: number }[]>();
  readonly kills = new Map<string, KillRecord>();
  backfilled = false;
  /** The node's kernel OOM reports, when its kernel log was read on request (kernelReports.ts). */
  kernelReports: KernelReport[] = [];
  polls = 0;

  addSample(s: PsiSample): void {
    let l = this.samples.get(s.scope);
    if (!l) this.samples.set(s.scope, (l = []));
    pushBounded(l, s);
  }

  addCounter(scope: string, p: StallCounterPoint): void {
    let l = this.counters.get(scope);
    if (!l) this.counters.set(scope, (l = []));
    pushBounded(l, p);
  }

  addMemory(p: MemoryPointAt): void {
    let l = this.memory.get(p.scope);
    if (!l) this.memory.set(p.scope, (l = []));
    pushBounded(l, { t: p.t, workingSetBytes: p.workingSetBytes });
  }

  /** Merges this poll's records: new ones are added, known ones refreshed, missing ones kept as history. */
  mergeKills(seen: KillRecord[]): boolean {
    let changed = false;
    const ids = new Set(seen.map((k) => k.id));
    for (const k of seen) {
      const old = this.kills.get(k.id);
      if (!old) changed = true;
      else if (old.evidence.length < k.evidence.length) changed = true;
      const evidence = old ? [...new Set([...k.evidence, ...old.evidence])] : k.evidence;
      this.kills.set(k.id, { ...k, evidence, fromHistory: false });
    }
    // A kill first seen from a node event alone (`oom:node:…`, the pod's status not updated yet in that poll) is the
    // same kill as a pod's record that now names the same process: the pod's record replaces it, never beside it.
    const explained = (k: KillRecord): boolean =>
      k.id.startsWith('oom:node:') &&
      k.kernel?.pid != null &&
      seen.some(
        (s) =>
          s.id !== k.id &&
          s.kernel?.pid === k.kernel!.pid &&
          s.t !== null &&
          k.t !== null &&
          Math.abs(s.t - k.t) <= 90_000,
      );
    for (const [id, k] of this.kills) {
      if (ids.has(id)) continue;
      if (explained(k)) {
        this.kills.delete(id);
        changed = true;
      } else if (!k.fromHistory) this.kills.set(id, { ...k, fromHistory: true });
    }
    return changed;
  }
}
