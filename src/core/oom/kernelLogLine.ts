/**
 * One kernel log line: its prefix (raw dmesg, dmesg -T, syslog/journal, ISO, `<N>` priority,
 * VM-log prefixes) and what an OOM report line says (docs/data-sources.md "Files").
 */
import { monthIndex, unwrapRecord, yearlessStamp } from './logFormats';

/** The stamp(s) found in front of a kernel message. */
export interface KernelLineStamp {
  /** Epoch ms from a wall-clock prefix (dmesg -T, syslog, ISO); null when there is none or no year is known. */
  wallMs: number | null;
  /** Seconds since boot from a `[ 1234.567890]` prefix (or a kmsg record, a journal JSON field). */
  monotonicSeconds: number | null;
  /** A wall-clock stamp read by its shape whose month word is in no known locale (`[Xyz Qrs  3 12:00:01 2026]`). */
  wallUnread?: string;
}

/** What one OOM-report line carries. `null` from parseKernelMessage = not part of an OOM report. */
export type KernelMessage =
  | { kind: 'invoker'; comm: string; gfpMask: string | null; order: number | null; oomScoreAdj: number | null }
  | { kind: 'cpuset'; comm: string; cpuset: string }
  | { kind: 'cpu'; pid: number; comm: string }
  | {
      kind: 'oom-kill';
      constraint: string | null;
      cpuset: string | null;
      oomMemcg: string | null;
      globalOom: boolean;
      taskMemcg: string | null;
      task: string | null;
      pid: number | null;
      uid: number | null;
      /** The field the line was cut in (no `pid=` after it, or a value ending in `>`); its value is partial. */
      cutField: string | null;
    }
  | { kind: 'task-in'; taskMemcg: string; oomMemcg: string }
  | { kind: 'memcg-usage'; usageKb: number; limitKb: number }
  | { kind: 'memcg-stats'; memcg: string }
  | { kind: 'tasks-header' }
  | {
      kind: 'task-row';
      pid: number;
      uid: number | null;
      rssPages: number | null;
      oomScoreAdj: number | null;
      name: string;
    }
  /** Old kernels: "… Kill process N (c) score S or sacrifice child" (the selection, before "Killed process"). */
  | { kind: 'select'; oomKind: 'memcg' | 'global' | null; pid: number; comm: string; score: number | null }
  | {
      kind: 'killed';
      oomKind: 'memcg' | 'global' | null;
      pid: number;
      comm: string;
      uid: number | null;
      oomScoreAdj: number | null;
      totalVmKb: number | null;
      anonRssKb: number | null;
      fileRssKb: number | null;
      shmemRssKb: number | null;
    }
  | { kind: 'reaped'; pid: number }
  /** "Tasks in <cgroup> are going to be killed due to memory.oom.group set": the Killed lines after it are members. */
  | { kind: 'group-tasks'; cgroup: string }
  /**
   * A userspace killer's line (systemd-oomd, earlyoom): 'kill' names what it killed, 'reason' why it acts,
   * 'size' how many processes of the unit went (systemd's "systemd-oomd killed N process(es)"), 'pid' the
   * process it picked (oomd's "attempting to kill N"), 'candidate' a full cgroup path of its candidate list.
   */
  | {
      kind: 'userspace';
      killer: 'systemd-oomd' | 'earlyoom';
      what: 'kill' | 'reason' | 'size' | 'pid' | 'candidate';
      pid: number | null;
      comm: string | null;
      cgroup: string | null;
      reason: string | null;
      size: number | null;
    }
  /** Global-OOM body lines (Mem-Info, zones, swap) that carry nothing we use. */
  | { kind: 'body' };

/** ISO 8601 (dmesg --time-format iso, journal short-iso[-precise], RFC 3339 syslog). */
const ISO_RE = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d+))?(Z|[+-]\d\d:?\d\d)?\s+/;
/** syslog / journal short[-precise]: `Mon DD hh:mm:ss[.us] host kernel:`; the month word in any locale. */
const SYSLOG_RE = /^(\p{L}[\p{L}.]{1,6}|\d{1,2}月) +(\d{1,2}) (\d\d):(\d\d):(\d\d)(?:\.(\d+))? +\S+ +kernel: ?/u;
/** dmesg -T by shape: `[<weekday> <month> <day> hh:mm:ss yyyy]`, the words in any locale (`[Di Mär  3 …]`). */
const DMESG_T_RE = /^\[(?:[^\s\]\d][^\s\]]{0,7} +)?([^\s\]]{1,8}) +(\d{1,2}) (\d\d):(\d\d):(\d\d) (\d{4})\] ?/u;
/** journal short-unix: `1709467201.123456 host kernel:`. */
const UNIX_RE = /^(\d{9,11})\.(\d{1,6}) +\S+ +kernel: ?/;
/** RFC 5424: `<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD [MSG]` (https://www.rfc-editor.org/rfc/rfc5424#section-6). */
const RFC5424_RE = /^<\d{1,3}>1 (\S+) \S+ (\S+) (\S+) \S+ (?:-|(?:\[(?:[^\]\\]|\\.)*\])+)(?: |$)\uFEFF?/;
const MONO_RE = /^\[ *(\d+\.\d+)\] ?/;
/** printk caller id after the stamp (CONFIG_PRINTK_CALLER): `[ T9185]`, `[    C3]`. */
const CALLER_RE = /^\[ *[TC]\d+\] ?/;
const PRIO_RE = /^<\d{1,3}>/;
const HOST_KERNEL_RE = /^\S+ +kernel: ?/;
const FACILITY_RE = /^(?:kern|user|daemon|syslog) *:(?:emerg|alert|crit|err|warn|notice|info|debug) *: ?/;
const EMBEDDED_RE = /(?:^|\s)(?=(?:<\d{1,3}>)?\[ *\d+\.\d+\] )/;

function fraction(digits: string | undefined): number {
  return digits ? Math.round(Number(`0.${digits}`) * 1000) : 0;
}

function offsetMs(tz: string | undefined): number {
  if (!tz || tz === 'Z') return 0;
  const m = /^([+-])(\d\d):?(\d\d)$/.exec(tz);
  if (!m) return 0;
  const v = (Number(m[2]) * 60 + Number(m[3])) * 60000;
  return m[1] === '+' ? v : -v;
}

/** How stamps without a year get one: `year` (--year) wins; else the latest year not after `nowMs`. */
export interface StampYear {
  year?: number;
  nowMs?: number;
}

/**
 * Unwraps the record (logFormats.ts: kmsg, journal JSON, Markdown, kubectl rows), then strips
 * every prefix in front of the kernel message and reads its stamps. A syslog/journal stamp has
 * no year: `year`, or the latest year that does not put it after `nowMs`; without either its wall
 * time is null. A stamp whose month word is unknown keeps the line (`wallUnread` holds it).
 * A line that carries no message (a kmsg dictionary line, a code fence, a prompt) gives ''.
 */
export function splitKernelLine(line: string, when?: number | StampYear): { stamp: KernelLineStamp; message: string } {
  const { year, nowMs } = typeof when === 'number' ? { year: when, nowMs: undefined } : (when ?? {});
  const rec = unwrapRecord(line);
  if (rec === null) return { stamp: { wallMs: null, monotonicSeconds: null }, message: '' };
  let rest = rec.text;
  let wallMs: number | null = rec.wallMs;
  let monotonicSeconds: number | null = rec.monotonicSeconds;
  let wallUnread: string | undefined;
  for (let guard = 0; guard < 8; guard++) {
    let m: RegExpExecArray | null;
    const c = rest.charCodeAt(0);
    const digit = c >= 48 && c <= 57;
    if (digit && (m = ISO_RE.exec(rest))) {
      const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) + fraction(m[7]);
      wallMs ??= ms - offsetMs(m[8]);
      rest = rest.slice(m[0].length);
      const host = HOST_KERNEL_RE.exec(rest);
      if (host) rest = rest.slice(host[0].length);
      else if (!MONO_RE.test(rest) && !PRIO_RE.test(rest)) {
        const e = EMBEDDED_RE.exec(rest.slice(0, 120));
        if (e) rest = rest.slice(e.index + e[0].length);
      }
      continue;
    }
    if (digit && (m = UNIX_RE.exec(rest))) {
      wallMs ??= Number(m[1]) * 1000 + fraction(m[2]);
      rest = rest.slice(m[0].length);
      continue;
    }
    if (c > 64 && c !== 91 && c !== 123 && (m = SYSLOG_RE.exec(rest))) {
      const month = monthIndex(m[1]!);
      if (month === null) wallUnread ??= m[0].slice(0, m[0].indexOf(' kernel')).trim();
      else if (wallMs === null) {
        wallMs = yearlessStamp(month, +m[2]!, +m[3]!, +m[4]!, +m[5]!, fraction(m[6]), year, nowMs);
      }
      rest = rest.slice(m[0].length);
      continue;
    }
    if (c === 91 && (m = DMESG_T_RE.exec(rest))) {
      const month = monthIndex(m[1]!);
      if (month === null) wallUnread ??= m[0].trim();
      else wallMs ??= Date.UTC(+m[6]!, month, +m[2]!, +m[3]!, +m[4]!, +m[5]!);
      rest = rest.slice(m[0].length);
      continue;
    }
    if (c === 91 && (m = MONO_RE.exec(rest))) {
      monotonicSeconds ??= Number(m[1]);
      rest = rest.slice(m[0].length);
      const caller = CALLER_RE.exec(rest);
      if (caller) rest = rest.slice(caller[0].length);
      const k = rest.indexOf('kernel:');
      const host = k > 0 && k < 80 ? HOST_KERNEL_RE.exec(rest) : null;
      if (host) rest = rest.slice(host[0].length);
      continue;
    }
    if (c === 60 && (m = RFC5424_RE.exec(rest))) {
      if (m[1] !== '-') {
        const iso = ISO_RE.exec(`${m[1]} `);
        if (iso) {
          const ms = Date.UTC(+iso[1]!, +iso[2]! - 1, +iso[3]!, +iso[4]!, +iso[5]!, +iso[6]!) + fraction(iso[7]);
          wallMs ??= ms - offsetMs(iso[8]);
        }
      }
      rest = rest.slice(m[0].length);
      // Another program's line keeps its name, as in a classic syslog line (`systemd-oomd[412]: …`).
      if (m[2] !== 'kernel') rest = `${m[2]}${m[3] === '-' ? '' : `[${m[3]}]`}: ${rest}`;
      continue;
    }
    if ((m = PRIO_RE.exec(rest)) || (m = FACILITY_RE.exec(rest))) {
      rest = rest.slice(m[0].length);
      continue;
    }
    break;
  }
  const stamp: KernelLineStamp = { wallMs, monotonicSeconds };
  if (wallUnread !== undefined && wallMs === null) stamp.wallUnread = wallUnread;
  return { stamp, message: rest };
}

function int(s: string | undefined): number | null {
  if (s === undefined) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

function kb(message: string, key: string): number | null {
  const m = new RegExp(`${key}:(\\d+)kB`).exec(message);
  return m ? Number(m[1]) : null;
}

function oomKindOf(prefix: string | undefined): 'memcg' | 'global' | null {
  if (!prefix) return null;
  return prefix.startsWith('Memory cgroup') ? 'memcg' : 'global';
}

const INVOKER_RE = /^(.+?) invoked oom-killer: gfp_mask=(0x[0-9a-fA-F]+(?:\([^)]*\))?)(?:,|$)(.*)$/;
const CPUSET_RE = /^(.+?) cpuset=(\S+) mems_allowed=\S*$/;
const CPU_RE = /^CPU: \d+ (?:UID: \d+ )?PID: (\d+) Comm: /;
const TASK_IN_RE = /^Task in (\S+) killed as a result of limit of (\S+)/;
const USAGE_RE = /^memory: usage (\d+)kB, limit (\d+)kB/;
const STATS_RE = /^Memory cgroup stats for (\S*?):?(?: |$)/;
const TASKS_HEADER_RE = /^(?:Tasks state \(memory values in pages\):|\[ *pid *\] +uid +tgid )/;
const TASK_ROW_RE = /^\[ *(\d+)\] +((?:-?\d+ +){5,})(\S.*)$/;
const KILL_RE =
  /^(?:(Memory cgroup out of memory|Out of memory(?: \([^)]*\))?): )?(Kill(?:ed)?) process (\d+) \((.*?)\)(?=[ ,]|$)(.*)$/;
const GROUP_TASKS_RE = /^Tasks in (\S+) are going to be killed due to memory\.oom\.group set/;
const REAPED_RE = /^oom_reaper: reaped process (\d+) /;
const BODY_RE =
  /^(?:Mem-Info:|Node \d+ |lowmem_reserve\[\]|\d+ total pagecache pages|\d+ pages (?:in swap cache|RAM|HighMem|reserved)|Swap cache stats|Free swap|Total swap|active_anon:|Out of memory and no killable processes)/;

/** Reads the fields of an `oom-kill:` summary (the text after `oom-kill:`), whole or cut short. */
export function parseOomKill(body: string): KernelMessage {
  const fields = new Map<string, string>();
  let globalOom = false;
  let last: string | null = null;
  let cutField: string | null = null;
  for (const part of body.trimEnd().split(/,(?=[a-z_]+=|global_oom(?:,|$))/)) {
    if (part === 'global_oom') {
      globalOom = true;
      continue;
    }
    const eq = part.indexOf('=');
    if (eq > 0) {
      let value = part.slice(eq + 1);
      if (value.endsWith('>')) {
        value = value.slice(0, -1);
        cutField = part.slice(0, eq);
      }
      last = part.slice(0, eq);
      fields.set(last, value);
    }
  }
  // A whole summary ends with task=…,pid=…,uid=…; without pid= its last field stopped where the line did.
  if (!fields.has('pid') && last !== null) cutField ??= last;
  return {
    kind: 'oom-kill',
    constraint: fields.get('constraint') ?? null,
    cpuset: fields.get('cpuset') ?? null,
    oomMemcg: fields.get('oom_memcg') ?? null,
    globalOom,
    taskMemcg: fields.get('task_memcg') ?? null,
    task: fields.get('task') ?? null,
    pid: int(fields.get('pid')),
    uid: int(fields.get('uid')),
    cutField,
  };
}

/** Reads one kernel message (prefix already stripped, e.g. an `OOMKilling` event message). */
export function parseKernelMessage(message: string): KernelMessage | null {
  const msg = message.trim();
  if (msg.length === 0) return null;
  let m: RegExpExecArray | null;
  if (msg.startsWith('oom-kill:')) return parseOomKill(msg.slice('oom-kill:'.length));
  if (msg.includes('ill') && (m = KILL_RE.exec(msg))) {
    const pid = Number(m[3]);
    const comm = m[4]!;
    const tail = m[5]!;
    if (m[2] === 'Kill') {
      const score = /score (-?\d+)/.exec(tail);
      return { kind: 'select', oomKind: oomKindOf(m[1]), pid, comm, score: score ? Number(score[1]) : null };
    }
    const uid = /UID:? ?(\d+)/.exec(tail);
    const adj = /oom_score_adj:(-?\d+)/.exec(tail);
    return {
      kind: 'killed',
      oomKind: oomKindOf(m[1]),
      pid,
      comm,
      uid: uid ? Number(uid[1]) : null,
      oomScoreAdj: adj ? Number(adj[1]) : null,
      totalVmKb: kb(tail, 'total-vm'),
      anonRssKb: kb(tail, 'anon-rss'),
      fileRssKb: kb(tail, 'file-rss'),
      shmemRssKb: kb(tail, 'shmem-rss'),
    };
  }
  if (msg.includes(' invoked oom-killer') && (m = INVOKER_RE.exec(msg))) {
    const order = /order=(-?\d+)/.exec(m[3]!);
    const adj = /oom_score_adj=(-?\d+)/.exec(m[3]!);
    return {
      kind: 'invoker',
      comm: m[1]!,
      gfpMask: m[2]!,
      order: order ? Number(order[1]) : null,
      oomScoreAdj: adj ? Number(adj[1]) : null,
    };
  }
  const first = msg.charCodeAt(0);
  if (first === 91 && (m = TASK_ROW_RE.exec(msg))) {
    const nums = m[2]!.trim().split(/ +/).map(Number);
    return {
      kind: 'task-row',
      pid: Number(m[1]),
      uid: nums[0] ?? null,
      rssPages: nums[3] ?? null,
      oomScoreAdj: nums[nums.length - 1] ?? null,
      name: m[3]!.trimEnd(),
    };
  }
  if (first === 84 && (m = TASK_IN_RE.exec(msg))) return { kind: 'task-in', taskMemcg: m[1]!, oomMemcg: m[2]! };
  if (first === 84 && (m = GROUP_TASKS_RE.exec(msg))) return { kind: 'group-tasks', cgroup: m[1]! };
  if (first === 109 && (m = USAGE_RE.exec(msg)))
    return { kind: 'memcg-usage', usageKb: Number(m[1]), limitKb: Number(m[2]) };
  if (first === 77 && (m = STATS_RE.exec(msg))) return { kind: 'memcg-stats', memcg: m[1] || '/' };
  if ((first === 84 || first === 91) && TASKS_HEADER_RE.test(msg)) return { kind: 'tasks-header' };
  if (first === 111 && (m = REAPED_RE.exec(msg))) return { kind: 'reaped', pid: Number(m[1]) };
  if (first === 67 && (m = CPU_RE.exec(msg))) {
    const rest = msg.slice(m[0].length);
    const cut = [' Not tainted', ' Tainted:'].map((x) => rest.indexOf(x)).filter((i) => i >= 0);
    const comm = (cut.length ? rest.slice(0, Math.min(...cut)) : rest).trimEnd();
    return comm ? { kind: 'cpu', pid: Number(m[1]), comm } : null;
  }
  if (msg.includes(' cpuset=') && (m = CPUSET_RE.exec(msg))) return { kind: 'cpuset', comm: m[1]!, cpuset: m[2]! };
  if (BODY_RE.test(msg)) return { kind: 'body' };
  return parseUserspaceKiller(msg);
}

const OOMD_PREFIX_RE = /(?:^|\s)systemd-oomd(?:\[\d+\])?: +/;
const EARLYOOM_PREFIX_RE = /(?:^|\s)earlyoom(?:\[\d+\])?: +/;
const OOMD_KILLED_RE = /^(?:Killed|Marked) (\/\S*)(?: for killing)?(?: due to (.*))?$/;
const OOMD_REASON_RE = /^(Memory pressure for \/\S* is .*|Swap used .*)$/;
const OOMD_PID_RE = /^oomd attempting to kill (\d+) with \w+/;
const OOMD_PATH_RE = /^Path: (\/\S+)$/;
const OOMD_SIZE_RE = /(?:^|\s)(\S+): systemd-oomd killed (\d+) process\(es\) in this unit/;
const EARLYOOM_KILL_RE = /^sending (SIGTERM|SIGKILL) to process (\d+)(?: uid \d+)? "([^"]*)"/;
const EARLYOOM_REASON_RE = /^(low memory! at or below .*)$/;

function userspace(
  killer: 'systemd-oomd' | 'earlyoom',
  what: 'kill' | 'reason' | 'size' | 'pid' | 'candidate',
  f: { pid?: number; comm?: string; cgroup?: string; reason?: string; size?: number },
): KernelMessage {
  return {
    kind: 'userspace',
    killer,
    what,
    pid: f.pid ?? null,
    comm: f.comm ?? null,
    cgroup: f.cgroup ?? null,
    reason: f.reason ?? null,
    size: f.size ?? null,
  };
}

/**
 * systemd-oomd and earlyoom lines (docs/verdict.md "userspace"). Their syslog/journal prefix is not a kernel
 * prefix, so the program name is looked for in the message; earlyoom's own stderr lines carry none.
 */
function parseUserspaceKiller(msg: string): KernelMessage | null {
  let m: RegExpExecArray | null;
  if (msg.includes('systemd-oomd')) {
    if ((m = OOMD_SIZE_RE.exec(msg))) return userspace('systemd-oomd', 'size', { cgroup: m[1]!, size: Number(m[2]) });
    const p = OOMD_PREFIX_RE.exec(msg);
    if (!p) return null;
    const body = msg.slice(p.index + p[0].length).trim();
    if ((m = OOMD_KILLED_RE.exec(body)))
      return userspace('systemd-oomd', 'kill', { cgroup: m[1]!, ...(m[2] ? { reason: m[2] } : {}) });
    if ((m = OOMD_REASON_RE.exec(body))) return userspace('systemd-oomd', 'reason', { reason: m[1]! });
    if ((m = OOMD_PID_RE.exec(body))) return userspace('systemd-oomd', 'pid', { pid: Number(m[1]) });
    if ((m = OOMD_PATH_RE.exec(body))) return userspace('systemd-oomd', 'candidate', { cgroup: m[1]! });
    return null;
  }
  if (msg.includes('due to memory pressure for ')) {
    if ((m = OOMD_KILLED_RE.exec(msg)))
      return userspace('systemd-oomd', 'kill', { cgroup: m[1]!, ...(m[2] ? { reason: m[2] } : {}) });
    // The second half of a wrapped "Killed /x.scope\n  due to memory pressure for …" line.
    if ((m = /^due to (memory pressure for .*)$/.exec(msg)))
      return userspace('systemd-oomd', 'reason', { reason: m[1]! });
  }
  const e = EARLYOOM_PREFIX_RE.exec(msg);
  const body = e
    ? msg.slice(e.index + e[0].length).trim()
    : msg.replace(/^(?:[A-Z][a-z]{2} +\d{1,2} )?\d\d:\d\d:\d\d: /, '');
  if (body.startsWith('sending SIG') && (m = EARLYOOM_KILL_RE.exec(body)))
    return userspace('earlyoom', 'kill', { pid: Number(m[2]), comm: m[3]!, reason: m[1]! });
  if (body.startsWith('low memory!') && (m = EARLYOOM_REASON_RE.exec(body)))
    return userspace('earlyoom', 'reason', { reason: m[1]! });
  return null;
}

/** Stamps and message of one full log line (prefix included). */
export function parseKernelLine(
  line: string,
  when?: number | StampYear,
): { stamp: KernelLineStamp; message: KernelMessage | null } {
  const { stamp, message } = splitKernelLine(line, when);
  return { stamp, message: parseKernelMessage(message) };
}
