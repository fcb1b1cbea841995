/**
 * Kernel OOM reports → events (docs/data-sources.md "Files"). Line-by-line, so a 100 MB log
 * can be streamed through `KernelLogParser` without holding it.
 */
import { parseKernelMessage, splitKernelLine, type KernelMessage } from './kernelLogLine';

export { parseKernelLine, parseKernelMessage, splitKernelLine } from './kernelLogLine';
export type { KernelLineStamp, KernelMessage } from './kernelLogLine';

/** The task that ran into the limit ("… invoked oom-killer: …"). */
export interface KernelOomInvoker {
  comm: string;
  pid: number | null;
  gfpMask: string | null;
  order: number | null;
  oomScoreAdj: number | null;
}

/** The killed task ("Killed process …", or the oom-kill: line when that is all there is). */
export interface KernelOomVictim {
  pid: number;
  comm: string;
  uid: number | null;
  oomScoreAdj: number | null;
  totalVmKb: number | null;
  anonRssKb: number | null;
  fileRssKb: number | null;
  shmemRssKb: number | null;
  /** Old kernels' "score S or sacrifice child". */
  score: number | null;
}

/** A row of the "Tasks state" table (memory in pages). */
export interface KernelOomTask {
  pid: number;
  uid: number | null;
  rssPages: number | null;
  oomScoreAdj: number | null;
  name: string;
}

/** One OOM report as a person reads it. */
export interface KernelOomEvent {
  /** Epoch ms of the kill (else of the first line): wall-clock prefix, or boot-time anchored; else null. */
  time: number | null;
  /** Seconds since boot from the `[ 1234.567890]` prefix of the same line. */
  monotonicSeconds: number | null;
  invoker: KernelOomInvoker | null;
  /** As printed in `oom-kill:constraint=…` (≥ 4.19); null on older kernels. */
  constraint: string | null;
  /** 'memcg' for "Memory cgroup out of memory"/memcg lines, 'global' for "Out of memory"/global_oom. */
  oomKind: 'memcg' | 'global' | null;
  /** The cgroup whose limit was hit (oom_memcg=, or "limit of B" on old kernels). */
  oomMemcg: string | null;
  globalOom: boolean;
  /** The victim's cgroup (task_memcg=, or "Task in A" on old kernels). */
  taskMemcg: string | null;
  cpuset: string | null;
  victim: KernelOomVictim | null;
  tasks: KernelOomTask[];
  /** Cgroups named by "Memory cgroup stats for …" (the OOM memcg first, when the report is whole). */
  statsMemcgs: string[];
  memcgLimitKb: number | null;
  memcgUsageKb: number | null;
  /** The report's start (the "invoked oom-killer" header) or its kill line is missing. */
  truncated: boolean;
  /** 1-based first and last line numbers of the report in the input. */
  lines: [number, number];
}

export interface KernelLogOptions {
  /** Epoch ms of boot; anchors `[seconds since boot]` stamps. */
  bootTimeMs?: number;
  /** Year for syslog stamps (they print none): overrides the `nowMs` rule. */
  year?: number;
  /** Epoch ms of "now": a syslog stamp takes the latest year not after it. Without it or `year`, no wall time. */
  nowMs?: number;
}

interface Open {
  ev: KernelOomEvent;
  headerSeen: boolean;
  killed: boolean;
  /** Stamp of the first line (fallback for the event time). */
  firstWall: number | null;
  firstMono: number | null;
  selected: { pid: number; comm: string; score: number | null } | null;
}

/** Streaming parser: feed lines in order, collect finished events. */
export class KernelLogParser {
  private open: Open | null = null;
  private lineNo = 0;

  constructor(private readonly options: KernelLogOptions = {}) {}

  /** Feeds one line (without its newline); returns the events this line completed. */
  push(line: string): KernelOomEvent[] {
    this.lineNo++;
    const { stamp, message: text } = splitKernelLine(line, this.options);
    if (parseKernelMessage(text) === null) return [];
    // Re-read from a copy: substrings kept in events must not pin the (possibly 1 MB) chunk the line was cut from.
    const msg = parseKernelMessage((' ' + text).slice(1))!;
    const out: KernelOomEvent[] = [];
    const cur = this.open;
    if (cur && cur.killed) {
      if (msg.kind === 'reaped' && cur.ev.victim?.pid === msg.pid) {
        cur.ev.lines[1] = this.lineNo;
        return out;
      }
      out.push(this.finish());
    }
    if (msg.kind === 'body' && !this.open) return out;
    if (msg.kind === 'reaped' && !this.open) return out;
    if (msg.kind === 'invoker' && this.open) out.push(this.finish());
    let o = this.open;
    if (!o) {
      o = this.start(stamp.wallMs, stamp.monotonicSeconds, msg.kind === 'invoker');
    }
    o.ev.lines[1] = this.lineNo;
    this.apply(o, msg, stamp.wallMs, stamp.monotonicSeconds);
    return out;
  }

  /** Ends the input; returns the event still open, if any. */
  end(): KernelOomEvent[] {
    return this.open ? [this.finish()] : [];
  }

  private start(wall: number | null, mono: number | null, header: boolean): Open {
    const o: Open = {
      ev: {
        time: null,
        monotonicSeconds: null,
        invoker: null,
        constraint: null,
        oomKind: null,
        oomMemcg: null,
        globalOom: false,
        taskMemcg: null,
        cpuset: null,
        victim: null,
        tasks: [],
        statsMemcgs: [],
        memcgLimitKb: null,
        memcgUsageKb: null,
        truncated: !header,
        lines: [this.lineNo, this.lineNo],
      },
      headerSeen: header,
      killed: false,
      firstWall: wall,
      firstMono: mono,
      selected: null,
    };
    this.open = o;
    return o;
  }

  private stampEvent(o: Open, wall: number | null, mono: number | null): void {
    o.ev.monotonicSeconds = mono;
    o.ev.time = this.anchor(wall, mono);
  }

  private anchor(wall: number | null, mono: number | null): number | null {
    if (wall !== null) return wall;
    if (mono !== null && this.options.bootTimeMs !== undefined)
      return Math.round(this.options.bootTimeMs + mono * 1000);
    return null;
  }

  private apply(o: Open, msg: KernelMessage, wall: number | null, mono: number | null): void {
    const ev = o.ev;
    switch (msg.kind) {
      case 'invoker':
        ev.invoker = {
          comm: msg.comm,
          pid: null,
          gfpMask: msg.gfpMask,
          order: msg.order,
          oomScoreAdj: msg.oomScoreAdj,
        };
        break;
      case 'cpuset':
        ev.cpuset ??= msg.cpuset;
        break;
      case 'cpu':
        if (ev.invoker && ev.invoker.pid === null && ev.invoker.comm.startsWith(msg.comm.slice(0, 15)))
          ev.invoker.pid = msg.pid;
        break;
      case 'oom-kill':
        ev.constraint = msg.constraint;
        ev.cpuset = msg.cpuset ?? ev.cpuset;
        ev.oomMemcg = msg.oomMemcg ?? ev.oomMemcg;
        ev.taskMemcg = msg.taskMemcg ?? ev.taskMemcg;
        ev.globalOom = msg.globalOom;
        ev.oomKind = msg.globalOom ? 'global' : msg.oomMemcg ? 'memcg' : ev.oomKind;
        if (msg.pid !== null && !ev.victim) {
          ev.victim = {
            pid: msg.pid,
            comm: msg.task ?? '',
            uid: msg.uid,
            oomScoreAdj: this.adjFromTable(ev, msg.pid),
            totalVmKb: null,
            anonRssKb: null,
            fileRssKb: null,
            shmemRssKb: null,
            score: null,
          };
        }
        this.stampEvent(o, wall, mono);
        break;
      case 'task-in':
        ev.taskMemcg = msg.taskMemcg;
        ev.oomMemcg = msg.oomMemcg;
        ev.oomKind = 'memcg';
        break;
      case 'memcg-usage':
        ev.memcgUsageKb = msg.usageKb;
        ev.memcgLimitKb = msg.limitKb;
        ev.oomKind ??= 'memcg';
        break;
      case 'memcg-stats':
        ev.statsMemcgs.push(msg.memcg);
        ev.oomKind ??= 'memcg';
        break;
      case 'task-row':
        ev.tasks.push({
          pid: msg.pid,
          uid: msg.uid,
          rssPages: msg.rssPages,
          oomScoreAdj: msg.oomScoreAdj,
          name: msg.name,
        });
        break;
      case 'select':
        o.selected = { pid: msg.pid, comm: msg.comm, score: msg.score };
        if (msg.oomKind) ev.oomKind = ev.globalOom ? 'global' : msg.oomKind;
        if (msg.oomKind === 'global' && ev.constraint === null && ev.oomMemcg === null) ev.globalOom = true;
        this.stampEvent(o, wall, mono);
        break;
      case 'killed': {
        const prev = ev.victim && ev.victim.pid === msg.pid ? ev.victim : null;
        ev.victim = {
          pid: msg.pid,
          comm: msg.comm,
          uid: msg.uid ?? prev?.uid ?? this.uidFromTable(ev, msg.pid),
          oomScoreAdj: msg.oomScoreAdj ?? this.adjFromTable(ev, msg.pid),
          totalVmKb: msg.totalVmKb,
          anonRssKb: msg.anonRssKb,
          fileRssKb: msg.fileRssKb,
          shmemRssKb: msg.shmemRssKb,
          score: o.selected && o.selected.pid === msg.pid ? o.selected.score : null,
        };
        if (msg.oomKind) ev.oomKind = ev.globalOom ? 'global' : msg.oomKind;
        if (msg.oomKind === 'global' && ev.constraint === null && ev.oomMemcg === null) ev.globalOom = true;
        o.killed = true;
        this.stampEvent(o, wall, mono);
        break;
      }
      case 'tasks-header':
      case 'reaped':
      case 'body':
        break;
    }
  }

  private adjFromTable(ev: KernelOomEvent, pid: number): number | null {
    return ev.tasks.find((t) => t.pid === pid)?.oomScoreAdj ?? null;
  }

  private uidFromTable(ev: KernelOomEvent, pid: number): number | null {
    return ev.tasks.find((t) => t.pid === pid)?.uid ?? null;
  }

  private finish(): KernelOomEvent {
    const o = this.open!;
    this.open = null;
    const ev = o.ev;
    if (!o.killed) ev.truncated = true;
    if (!ev.victim && o.selected) {
      ev.victim = {
        pid: o.selected.pid,
        comm: o.selected.comm,
        uid: this.uidFromTable(ev, o.selected.pid),
        oomScoreAdj: this.adjFromTable(ev, o.selected.pid),
        totalVmKb: null,
        anonRssKb: null,
        fileRssKb: null,
        shmemRssKb: null,
        score: o.selected.score,
      };
    }
    if (ev.time === null && ev.monotonicSeconds === null) {
      ev.monotonicSeconds = o.firstMono;
      ev.time = this.anchor(o.firstWall, o.firstMono);
    }
    if (ev.oomMemcg === null && o.headerSeen && ev.oomKind === 'memcg' && ev.statsMemcgs.length > 0) {
      ev.oomMemcg = ev.statsMemcgs[0]!;
    }
    return ev;
  }
}

/** Parses a whole kernel log; unrelated lines are skipped, truncated reports kept (flagged). */
export function parseKernelLog(text: string, options: KernelLogOptions = {}): KernelOomEvent[] {
  const p = new KernelLogParser(options);
  const out: KernelOomEvent[] = [];
  let start = 0;
  while (start <= text.length) {
    let nl = text.indexOf('\n', start);
    if (nl === -1) nl = text.length;
    if (nl > start || nl < text.length) for (const e of p.push(text.slice(start, nl))) out.push(e);
    start = nl + 1;
  }
  for (const e of p.end()) out.push(e);
  return out;
}
