/**
 * Userspace killers' lines (systemd-oomd, earlyoom; docs/verdict.md "userspace") → kill events, class
 * `userspace`: what was killed, by whom, and the reason the killer itself printed.
 */
import type { KernelMessage } from './kernelLogLine';
import type { KernelOomEvent } from './kernelLogParser';
import { blankEvent, blankVictim } from './oomEvent';

type UserspaceMessage = Extract<KernelMessage, { kind: 'userspace' }>;

/** How many cgroup paths of oomd's candidate list are kept (to restore a path it printed abbreviated). */
const MAX_CANDIDATES = 64;

/** Assembles userspace kills line by line; a kill stays open for its follow-up lines (unit size, wrapped reason). */
export class UserspaceKills {
  private open: KernelOomEvent | null = null;
  private reason: { killer: UserspaceMessage['killer']; text: string } | null = null;
  private candidates: string[] = [];
  private oomdPid: number | null = null;

  constructor(private readonly anchor: (wall: number | null, mono: number | null) => number | null) {}

  /** Feeds one userspace line; returns the kills it completed. */
  push(msg: UserspaceMessage, wall: number | null, mono: number | null, line: number): KernelOomEvent[] {
    const o = this.open;
    switch (msg.what) {
      case 'reason':
        if (o && o.killer === 'systemd-oomd' && msg.killer === 'systemd-oomd' && o.killerReason === null) {
          o.killerReason = msg.reason;
          o.lines[1] = line;
        } else this.reason = { killer: msg.killer, text: msg.reason! };
        return [];
      case 'candidate':
        this.candidates.push(msg.cgroup!);
        if (this.candidates.length > MAX_CANDIDATES) this.candidates.shift();
        return [];
      case 'pid':
        this.oomdPid = msg.pid;
        return [];
      case 'size': {
        const g = o?.groupKill;
        if (!o || !g || !(g.cgroup === msg.cgroup || g.cgroup.endsWith('/' + msg.cgroup))) return [];
        g.size = msg.size;
        o.lines[1] = line;
        return this.end();
      }
      case 'kill': {
        if (o && msg.killer === 'earlyoom' && o.killer === 'earlyoom' && o.victim?.pid === msg.pid) {
          // earlyoom signals the same process again when it has not exited: still one kill.
          o.lines[1] = line;
          return [];
        }
        const out = this.end();
        this.open = msg.killer === 'earlyoom' ? this.earlyoom(msg, wall, mono, line) : this.oomd(msg, wall, mono, line);
        return out;
      }
    }
  }

  /** Ends the input (or the open kill); returns the kill still open. */
  end(): KernelOomEvent[] {
    const o = this.open;
    this.open = null;
    return o ? [o] : [];
  }

  private base(killer: UserspaceMessage['killer'], wall: number | null, mono: number | null, line: number) {
    return { ...blankEvent(killer, line), time: this.anchor(wall, mono), monotonicSeconds: mono };
  }

  private earlyoom(msg: UserspaceMessage, wall: number | null, mono: number | null, line: number): KernelOomEvent {
    const ev = this.base('earlyoom', wall, mono, line);
    ev.victim = blankVictim(msg.pid, msg.comm);
    const why = this.reason?.killer === 'earlyoom' ? this.reason.text : null;
    ev.killerReason = why ? `${why} (sent ${msg.reason})` : `sent ${msg.reason}`;
    this.reason = null;
    return ev;
  }

  private oomd(msg: UserspaceMessage, wall: number | null, mono: number | null, line: number): KernelOomEvent {
    const ev = this.base('systemd-oomd', wall, mono, line);
    let cgroup = msg.cgroup!;
    const cut = cgroup.indexOf('/.../');
    if (cut >= 0) {
      // "Marked /user.slice/.../app-x.scope": the candidate list above it printed the path whole.
      const head = cgroup.slice(0, cut + 1);
      const tail = cgroup.slice(cut + 4);
      const whole = [...this.candidates].reverse().find((c) => c.startsWith(head) && c.endsWith(tail));
      if (whole) {
        ev.readingNotes.push(
          `systemd-oomd printed the path abbreviated (${cgroup}); taken whole from its candidate list`,
        );
        cgroup = whole;
      }
    }
    ev.taskMemcg = cgroup;
    ev.victim = blankVictim(this.oomdPid, null);
    ev.groupKill = { cgroup, selectedPid: this.oomdPid, size: null };
    ev.killerReason = msg.reason ?? (this.reason?.killer === 'systemd-oomd' ? this.reason.text : null);
    this.oomdPid = null;
    this.reason = null;
    this.candidates = [];
    return ev;
  }
}
