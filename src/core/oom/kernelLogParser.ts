/**
 * Kernel OOM reports → events (docs/data-sources.md "Files"). Line-by-line, so a 100 MB log
 * can be streamed through `KernelLogParser` without holding it.
 */
import { blankEvent, blankVictim } from './oomEvent';
import { parseKernelMessage, parseOomKill, splitKernelLine, type KernelMessage } from './kernelLogLine';
import { UserspaceKills } from './userspaceKills';

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
  /** null only for a userspace killer that names a cgroup, not a process (systemd-oomd "Killed /x.scope"). */
  pid: number | null;
  comm: string | null;
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

/** Who killed: the kernel's OOM killer, or a userspace killer acting on memory pressure. */
export type OomKiller = 'kernel' | 'systemd-oomd' | 'earlyoom';

/**
 * A kill of a whole cgroup: the kernel's `memory.oom.group` ("Tasks in <cgroup> are going to be killed"), or
 * systemd-oomd killing a unit. `selectedPid` is the victim the killer chose (null when the report does not show
 * it); `size` counts the processes the report shows killed (null when it cannot tell).
 */
export interface GroupKill {
  cgroup: string;
  selectedPid: number | null;
  size: number | null;
}

/** One OOM report as a person reads it (for a group kill: one per killed process, sharing the report's facts). */
export interface KernelOomEvent {
  /** Epoch ms of the kill (else of the first line): wall-clock prefix, or boot-time anchored; else null. */
  time: number | null;
  /** Seconds since boot from the `[ 1234.567890]` prefix of the same line. */
  monotonicSeconds: number | null;
  killer: OomKiller;
  /** A userspace killer's own reason ("memory pressure for /user.slice being 63.2% > 60.0% for > 30s …"). */
  killerReason: string | null;
  invoker: KernelOomInvoker | null;
  /** As printed in `oom-kill:constraint=…` (≥ 4.19); null on older kernels. */
  constraint: string | null;
  /** 'memcg' for "Memory cgroup out of memory"/memcg lines, 'global' for "Out of memory"/global_oom. */
  oomKind: 'memcg' | 'global' | null;
  /** What the kill line itself says: "Memory cgroup out of memory" (memcg) or "Out of memory" (global). */
  killLineKind: 'memcg' | 'global' | null;
  /** The cgroup whose limit was hit (oom_memcg=, or "limit of B" on old kernels). */
  oomMemcg: string | null;
  globalOom: boolean;
  /** The victim's cgroup (task_memcg=, or "Task in A" on old kernels). */
  taskMemcg: string | null;
  /** taskMemcg or oomMemcg is cut short (the line ended inside it) and no other line gave it whole. */
  cgroupCut: boolean;
  /** How the report was read when it was not whole ("task_memcg cut …; taken from the Tasks in … line"). */
  readingNotes: string[];
  cpuset: string | null;
  victim: KernelOomVictim | null;
  groupKill: GroupKill | null;
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

/** A line that looks like OOM-killer output (docs/cli.md "unreadLines"). */
export interface OomLookingLine {
  line: number;
  text: string;
}

const OOM_LOOKING_RE =
  /invoked oom-killer|Out of memory|oom-kill:|Killed process|killed as a result of limit of|memory\.oom\.group set/;
/** How many OOM-looking lines are kept (all are counted). */
const KEEP_OOM_LINES = 20;
/** Summaries kept waiting for their kill line (grep-filtered logs print them apart). */
const MAX_HELD = 32;

interface Open {
  ev: KernelOomEvent;
  headerSeen: boolean;
  killed: boolean;
  /** Stamp of the first line (fallback for the event time). */
  firstWall: number | null;
  firstMono: number | null;
  selected: { pid: number; comm: string; score: number | null } | null;
  /** pid of the oom-kill: summary, which the kill line must match. */
  summaryPid: number | null;
  /** The summary's text after `oom-kill:` while it is cut (to join its wrapped rest). */
  cutSummary: string | null;
  group: { cgroup: string; members: KernelOomVictim[] } | null;
  /** The cgroup field the summary line was cut in, until another line gives it whole. */
  cutKey: 'taskMemcg' | 'oomMemcg' | null;
}

/** Streaming parser: feed lines in order, collect finished events. */
export class KernelLogParser {
  private open: Open | null = null;
  /** Summary-only reports whose kill line may still come (in start order). */
  private held: Open[] = [];
  /** Finished events waiting behind a held report, so events come out in input order. */
  private ready: { start: number; events: KernelOomEvent[] }[] = [];
  private lineNo = 0;
  private oomLines: OomLookingLine[] = [];
  private oomLineCount = 0;
  private user: UserspaceKills;

  constructor(private readonly options: KernelLogOptions = {}) {
    this.user = new UserspaceKills((wall, mono) => this.anchor(wall, mono));
  }

  /** Lines that look like OOM-killer output: how many, and the first few (with their line numbers). */
  oomLookingLines(): { count: number; first: OomLookingLine[] } {
    return { count: this.oomLineCount, first: this.oomLines };
  }

  /** Feeds one line (without its newline); returns the events this line completed. */
  push(line: string): KernelOomEvent[] {
    this.lineNo++;
    const { stamp, message: text } = splitKernelLine(line, this.options);
    if (OOM_LOOKING_RE.test(text)) {
      this.oomLineCount++;
      if (this.oomLines.length < KEEP_OOM_LINES)
        this.oomLines.push({ line: this.lineNo, text: text.trim().slice(0, 300) });
    }
    if (parseKernelMessage(text) === null) {
      this.continueCutSummary(text);
      return [];
    }
    // Re-read from a copy: substrings kept in events must not pin the (possibly 1 MB) chunk the line was cut from.
    const msg = parseKernelMessage((' ' + text).slice(1))!;
    if (msg.kind === 'userspace') {
      for (const e of this.user.push(msg, stamp.wallMs, stamp.monotonicSeconds, this.lineNo))
        this.queue(e.lines[0], [e]);
      return this.emit();
    }
    const cur = this.open;
    if (cur && cur.killed) {
      if (msg.kind === 'reaped' && (cur.ev.victim?.pid === msg.pid || cur.group)) {
        cur.ev.lines[1] = this.lineNo;
        return [];
      }
      if (msg.kind === 'group-tasks' && !cur.group) {
        this.startGroup(cur, msg.cgroup);
        return [];
      }
      if (msg.kind === 'killed' && cur.group) {
        this.addMember(cur, msg);
        return [];
      }
      this.finishOpen();
    } else if (cur) {
      // A second summary, or a kill line of another pid: the open summary's kill line is elsewhere (grep).
      const other =
        (msg.kind === 'oom-kill' && cur.summaryPid !== null) ||
        (msg.kind === 'killed' && cur.summaryPid !== null && cur.summaryPid !== msg.pid && !cur.group);
      if (other) this.hold();
    }
    if (msg.kind === 'killed' && this.attachToHeld(msg, stamp.wallMs, stamp.monotonicSeconds)) return this.emit();
    if (msg.kind === 'body' && !this.open) return this.emit();
    if (msg.kind === 'reaped' && !this.open) return this.emit();
    if (msg.kind === 'invoker') {
      if (this.open) this.finishOpen();
      // A new whole report: summaries still waiting will not get their kill line now.
      while (this.held.length) this.finishHeld(0);
    }
    const o = this.open ?? this.start(stamp.wallMs, stamp.monotonicSeconds, msg.kind === 'invoker');
    o.ev.lines[1] = this.lineNo;
    this.apply(o, msg, stamp.wallMs, stamp.monotonicSeconds);
    return this.emit();
  }

  /** Ends the input; returns the events still open, if any. */
  end(): KernelOomEvent[] {
    if (this.open) this.finishOpen();
    while (this.held.length) this.finishHeld(0);
    for (const e of this.user.end()) this.queue(e.lines[0], [e]);
    return this.emit();
  }

  private queue(start: number, events: KernelOomEvent[]): void {
    this.ready.push({ start, events });
  }

  /** Finished events that no held (earlier) report still waits in front of, in input order. */
  private emit(): KernelOomEvent[] {
    if (this.ready.length === 0) return [];
    const limit = this.held.length ? this.held[0]!.ev.lines[0] : Infinity;
    this.ready.sort((a, b) => a.start - b.start);
    const out: KernelOomEvent[] = [];
    while (this.ready.length && this.ready[0]!.start < limit) out.push(...this.ready.shift()!.events);
    return out;
  }

  private hold(): void {
    this.held.push(this.open!);
    this.open = null;
    if (this.held.length > MAX_HELD) this.finishHeld(0);
  }

  private finishHeld(i: number): void {
    const [o] = this.held.splice(i, 1);
    this.queue(o!.ev.lines[0], this.finish(o!));
  }

  private finishOpen(): void {
    const o = this.open!;
    this.open = null;
    this.queue(o.ev.lines[0], this.finish(o));
  }

  /** A kill line whose summary was printed earlier, apart from it (grep-filtered logs): paired by pid and task. */
  private attachToHeld(msg: Extract<KernelMessage, { kind: 'killed' }>, wall: number | null, mono: number | null) {
    const i = this.held.findIndex(
      (h) => h.summaryPid === msg.pid && (!h.ev.victim?.comm || msg.comm.startsWith(h.ev.victim.comm.slice(0, 15))),
    );
    if (i === -1) return false;
    const h = this.held[i]!;
    h.ev.lines[1] = this.lineNo;
    this.apply(h, msg, wall, mono);
    this.finishHeld(i);
    return true;
  }

  /** The wrapped rest of a cut `oom-kill:` summary ("c-b2ec8e25d012,task_memcg=…,task=manager,pid=966"). */
  private continueCutSummary(text: string): void {
    const o = this.open;
    const rest = text.trim();
    if (!o || o.cutSummary === null || o.killed || !/^[^\s=,]*,[a-z_]+=/.test(rest)) return;
    const joined = parseOomKill(o.cutSummary + rest);
    o.ev.lines[1] = this.lineNo;
    o.ev.readingNotes = o.ev.readingNotes.filter((n) => !n.startsWith('oom-kill: line cut'));
    o.ev.cgroupCut = false;
    o.cutKey = null;
    this.apply(o, joined, null, null, true);
    o.ev.readingNotes.push('oom-kill: line wrapped in two; read as one');
  }

  private startGroup(o: Open, cgroup: string): void {
    o.group = { cgroup, members: [] };
    o.ev.lines[1] = this.lineNo;
    this.restoreCut(o, cgroup, '"Tasks in … are going to be killed" line');
  }

  private addMember(o: Open, msg: Extract<KernelMessage, { kind: 'killed' }>): void {
    o.ev.lines[1] = this.lineNo;
    const seen = o.ev.victim?.pid === msg.pid || o.group!.members.some((m) => m.pid === msg.pid);
    if (seen) return;
    o.group!.members.push({
      pid: msg.pid,
      comm: msg.comm,
      uid: msg.uid ?? this.uidFromTable(o.ev, msg.pid),
      oomScoreAdj: msg.oomScoreAdj ?? this.adjFromTable(o.ev, msg.pid),
      totalVmKb: msg.totalVmKb,
      anonRssKb: msg.anonRssKb,
      fileRssKb: msg.fileRssKb,
      shmemRssKb: msg.shmemRssKb,
      score: null,
    });
    if (msg.oomKind) {
      o.ev.killLineKind ??= msg.oomKind;
      o.ev.oomKind ??= msg.oomKind;
    }
  }

  /** The cut taskMemcg/oomMemcg (the field the summary line ended in) is replaced by `full` when it continues it. */
  private restoreCut(o: Open, full: string, where: string): void {
    const key = o.cutKey;
    const cut = key ? o.ev[key] : null;
    if (!key || cut === null || full.length <= cut.length || !full.startsWith(cut)) return;
    const ev = o.ev;
    const name = key === 'taskMemcg' ? 'task_memcg' : 'oom_memcg';
    ev[key] = full;
    ev.cgroupCut = false;
    o.cutKey = null;
    ev.readingNotes = ev.readingNotes.filter((n) => !n.startsWith('oom-kill: line cut'));
    ev.readingNotes.push(`${name} is cut short in the oom-kill: line; taken whole from the ${where}`);
  }

  private start(wall: number | null, mono: number | null, header: boolean): Open {
    const o: Open = {
      ev: { ...blankEvent('kernel', this.lineNo), truncated: !header },
      headerSeen: header,
      killed: false,
      firstWall: wall,
      firstMono: mono,
      selected: null,
      summaryPid: null,
      cutSummary: null,
      group: null,
      cutKey: null,
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

  private apply(o: Open, msg: KernelMessage, wall: number | null, mono: number | null, joined = false): void {
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
        o.summaryPid = msg.pid;
        o.cutSummary = null;
        if (msg.cutField === 'oom_memcg' || msg.cutField === 'task_memcg') {
          ev.cgroupCut = true;
          o.cutKey = msg.cutField === 'oom_memcg' ? 'oomMemcg' : 'taskMemcg';
          o.cutSummary = this.summaryText(msg);
          ev.readingNotes.push(`oom-kill: line cut short inside ${msg.cutField}`);
        } else if (msg.pid === null) o.cutSummary = this.summaryText(msg);
        if (msg.pid !== null && (!ev.victim || ev.victim.pid !== msg.pid)) {
          ev.victim = {
            ...blankVictim(msg.pid, msg.task ?? null),
            uid: msg.uid,
            oomScoreAdj: this.adjFromTable(ev, msg.pid),
          };
        }
        if (!joined) this.stampEvent(o, wall, mono);
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
        this.restoreCut(o, msg.memcg, '"Memory cgroup stats for …" line');
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
        if (msg.oomKind) ev.killLineKind = msg.oomKind;
        if (msg.oomKind === 'global' && ev.constraint === null && ev.oomMemcg === null) ev.globalOom = true;
        this.stampEvent(o, wall, mono);
        break;
      case 'group-tasks':
        // Before any kill line (the excerpt starts here): every kill line that follows is a member.
        this.startGroup(o, msg.cgroup);
        o.killed = true;
        break;
      case 'killed': {
        if (o.group && ev.victim?.pid !== msg.pid) {
          this.addMember(o, msg);
          this.stampEvent(o, wall, mono);
          break;
        }
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
        if (msg.oomKind) ev.killLineKind = msg.oomKind;
        if (msg.oomKind === 'global' && ev.constraint === null && ev.oomMemcg === null) ev.globalOom = true;
        o.killed = true;
        o.cutSummary = null;
        this.stampEvent(o, wall, mono);
        break;
      }
      case 'tasks-header':
      case 'reaped':
      case 'body':
      case 'userspace':
        break;
    }
  }

  /** The text after `oom-kill:` of a summary, rebuilt from its fields (for joining a wrapped rest). */
  private summaryText(msg: Extract<KernelMessage, { kind: 'oom-kill' }>): string {
    const f: string[] = [];
    if (msg.constraint !== null) f.push(`constraint=${msg.constraint}`);
    if (msg.cpuset !== null) f.push(`cpuset=${msg.cpuset}`);
    if (msg.oomMemcg !== null) f.push(`oom_memcg=${msg.oomMemcg}`);
    if (msg.globalOom) f.push('global_oom');
    if (msg.taskMemcg !== null) f.push(`task_memcg=${msg.taskMemcg}`);
    if (msg.task !== null) f.push(`task=${msg.task}`);
    return f.join(',');
  }

  private adjFromTable(ev: KernelOomEvent, pid: number): number | null {
    return ev.tasks.find((t) => t.pid === pid)?.oomScoreAdj ?? null;
  }

  private uidFromTable(ev: KernelOomEvent, pid: number): number | null {
    return ev.tasks.find((t) => t.pid === pid)?.uid ?? null;
  }

  /** The report's events: one, or for a group kill one per killed process (the selected victim first). */
  private finish(o: Open): KernelOomEvent[] {
    const ev = o.ev;
    if (!o.killed) ev.truncated = true;
    if (!ev.victim && o.selected) {
      ev.victim = {
        ...blankVictim(o.selected.pid, o.selected.comm),
        uid: this.uidFromTable(ev, o.selected.pid),
        oomScoreAdj: this.adjFromTable(ev, o.selected.pid),
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
    if (!o.group) return [ev];
    const selectedPid = ev.victim?.pid ?? null;
    ev.taskMemcg ??= o.group.cgroup;
    ev.groupKill = {
      cgroup: o.group.cgroup,
      selectedPid,
      size: selectedPid === null ? null : 1 + o.group.members.length,
    };
    const out: KernelOomEvent[] = ev.victim ? [ev] : [];
    for (const m of o.group.members) out.push({ ...ev, victim: m });
    return out.length ? out : [ev];
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
