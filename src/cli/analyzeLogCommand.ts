/**
 * `oomscope analyze-log` (docs/cli.md): kernel log (+ PSI series) → classified kills and phases;
 * `--local` records this machine's PSI while watching, then reads its kernel log.
 */
import { KernelLogParser, type KernelOomEvent, type OomLookingLine } from '../core/oom/kernelLogParser';
import { judgeKills, killEvents, type KillVerdict } from '../core/oom/judge';
import { KILL_OWN_RECLAIM_SECONDS, phasesFromSamples } from '../core/oom/phases';
import { psiCoverage } from '../core/oom/psi';
import { formatDuration, groupKillSentence, killSentence, nextSteps } from '../core/oom/sentences';
import { formatQuantity } from '../core/quantity';
import {
  DEFAULT_PHASE_SETTINGS,
  EVENT_COUNTERS,
  STAT_COUNTERS,
  type MemoryCounters,
  type PhaseInterval,
  type PhaseSettings,
  type PsiSample,
} from '../core/oom/verdictTypes';
import { psiSamplesOf, readKernelLog, watchLocal, type LocalSample } from '../local/localReader';
import type { AnalyzeLogJson } from '../shared/cliJson';
import { MAX_INPUT_TEXT } from '../shared/inputLimits';
import { parseCommandArgs, parseDuration } from './commandArgs';
import { STDIN_NAME } from './files';
import { InputError, type InputKind, type InputSource } from './inputBytes';
import { MAX_LINE_CHARS } from './inputLines';
import { inputLines } from './inputText';
import { UsageError, type CliIo, type Subcommand } from './io';

const HELP = `Usage: oomscope analyze-log --kernel-log FILE|- [--psi FILE] [--boot-time ISO] [--format text|json]
       oomscope analyze-log --local [--cgroup DIR] [--watch DURATION] [--interval DURATION] [--format text|json]

Classifies every OOM kill in a kernel log (dmesg raw, -T in any locale or iso; /dev/kmsg;
journalctl -k short, short-iso, short-precise or json; syslog; kubectl debug output; text
pasted from Markdown or chat; mixed line by line) and says
whether memory pressure or thrashing came first (from a PSI series, JSON Lines).
Each input is UTF-8 or UTF-16 text of at most ${MAX_INPUT_TEXT}; kernel log lines over
${MAX_LINE_CHARS / 1024} KiB are skipped with a warning.

Options:
  --kernel-log FILE   kernel log file, or - for stdin
  --psi FILE          PSI samples, one JSON object per line: {"ts", "scope", "some", "full"},
                      optionally with reclaim counters {"stat": {…}, "events": {…}} (docs/cli.md)
  --boot-time ISO     anchors raw [seconds since boot] stamps to wall-clock time
  --year N            year for syslog stamps (default: the latest one not in the future)
  --precursor-window SECONDS   how far back thrashing counts (default 300)
  --local             this machine: record PSI while watching, then read dmesg / journalctl -k
  --cgroup DIR        with --local: also record this cgroup v2 directory (memory.pressure, …)
  --watch DURATION    with --local: how long to record, e.g. 30s, 5m (default 10s)
  --interval DURATION with --local: time between samples (default 1s)
  --format text|json  output format (default text)

Exit codes: 0 no OOM kill found, 1 OOM kills found, 2 usage error or unreadable input
(including lines that look like OOM-killer output of which no kill could be read).
`;

interface Args {
  kernelLog: string | null;
  psi: string | null;
  bootTimeMs: number | undefined;
  year: number | undefined;
  format: 'text' | 'json';
  local: boolean;
  cgroup: string | null;
  watchMs: number;
  intervalMs: number;
  settings: PhaseSettings;
}

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  'kernel-log': { type: 'string' },
  psi: { type: 'string' },
  'boot-time': { type: 'string' },
  year: { type: 'string' },
  'precursor-window': { type: 'string' },
  format: { type: 'string' },
  local: { type: 'boolean' },
  cgroup: { type: 'string' },
  watch: { type: 'string' },
  interval: { type: 'string' },
} as const;

function duration(name: string, v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  const ms = parseDuration(v);
  if (ms === null || ms <= 0) throw new UsageError(`${name} '${v}' is not a duration, e.g. 30s, 5m`);
  return ms;
}

function parseAnalyzeLogArgs(argv: string[]): Args | 'help' {
  const v = parseCommandArgs('analyze-log', argv, OPTIONS, false).values;
  if (v.help) return 'help';
  const a: Args = {
    kernelLog: v['kernel-log'] ?? null,
    psi: v.psi ?? null,
    bootTimeMs: undefined,
    year: undefined,
    format: 'text',
    local: v.local ?? false,
    cgroup: v.cgroup ?? null,
    watchMs: duration('--watch', v.watch, 10000),
    intervalMs: duration('--interval', v.interval, 1000),
    settings: { ...DEFAULT_PHASE_SETTINGS },
  };
  if (v['boot-time'] !== undefined) {
    const ms = Date.parse(v['boot-time']);
    if (!Number.isFinite(ms))
      throw new UsageError(`--boot-time '${v['boot-time']}' is not an ISO-8601 time, e.g. 2026-11-27T17:08:35Z`);
    a.bootTimeMs = ms;
  }
  if (v.year !== undefined) {
    if (!/^\d{4}$/.test(v.year)) throw new UsageError(`--year '${v.year}' is not a year, e.g. 2026`);
    a.year = Number(v.year);
  }
  if (v['precursor-window'] !== undefined) {
    const n = Number(v['precursor-window']);
    if (!Number.isFinite(n) || n < 0)
      throw new UsageError(`--precursor-window '${v['precursor-window']}' is not a number of seconds`);
    a.settings.precursorWindowSeconds = n;
  }
  if (v.format !== undefined) {
    if (v.format !== 'text' && v.format !== 'json')
      throw new UsageError(`--format '${v.format}' is not supported here; use text or json`);
    a.format = v.format;
  }
  if (a.local && a.kernelLog !== null)
    throw new UsageError("--local reads this machine's kernel log; do not combine it with --kernel-log");
  if (!a.local && a.kernelLog === null)
    throw new UsageError(
      "--kernel-log FILE (or - for stdin) is required, or --local; run 'oomscope analyze-log --help'",
    );
  if (!a.local && a.cgroup !== null) throw new UsageError('--cgroup needs --local');
  if (a.kernelLog === '-' && a.psi === '-')
    throw new UsageError('--kernel-log and --psi cannot both be - (standard input); pass one of them as a file');
  return a;
}

/** What --kernel-log reads: lenient (a log may hold invalid bytes, or NULs after a crash). */
const KERNEL_LOG: InputKind = {
  noun: 'a kernel log',
  pass: 'pass the text of dmesg, journalctl -k or syslog',
  tooLarge: 'cut it to the time around the kill (e.g. journalctl -k --since … --until …) and try again',
  policy: 'lenient',
};

/** What --psi reads: JSON Lines, so strict. */
const PSI_SERIES: InputKind = {
  noun: 'a PSI series',
  pass: 'pass PSI samples as JSON Lines',
  tooLarge: 'keep the samples around the kill (e.g. the hour before it) and try again',
  policy: 'strict',
};

function sourceOf(path: string, io: CliIo): InputSource {
  return path === '-' ? { stdin: io.stdin() } : { path };
}

/** "FILE: reason", the input named as on the command line (<stdin> for -). */
function inputFailure(option: string, path: string, e: unknown): never {
  if (e instanceof InputError) throw new UsageError(`${option} ${path === '-' ? STDIN_NAME : path}: ${e.message}`);
  throw e;
}

async function readKernelEvents(
  path: string,
  io: CliIo,
  bootTimeMs: number | undefined,
  year: number | undefined,
  warn: (t: string) => void,
): Promise<KernelRead> {
  const parser = new KernelLogParser({ bootTimeMs, year, nowMs: Date.now() });
  const out: KernelOomEvent[] = [];
  let dropped = 0;
  try {
    for await (const batch of inputLines(sourceOf(path, io), KERNEL_LOG)) {
      for (const line of batch) {
        if (line === null) dropped++;
        for (const e of parser.push(line ?? '')) out.push(e);
      }
    }
  } catch (e) {
    inputFailure('--kernel-log', path, e);
  }
  out.push(...parser.end());
  if (dropped > 0) {
    warn(
      `--kernel-log ${path === '-' ? STDIN_NAME : path}: skipped ${dropped} line${dropped === 1 ? '' : 's'} longer than ${MAX_LINE_CHARS / 1024} KiB (no kernel message is that long)`,
    );
  }
  return { events: out, oomLines: parser.oomLookingLines() };
}

/** What the kernel log gave: its reports, and the lines that look like OOM-killer output. */
interface KernelRead {
  events: KernelOomEvent[];
  oomLines: { count: number; first: OomLookingLine[] };
}

function psiAverages(v: unknown, where: string): PsiSample['some'] {
  if (typeof v !== 'object' || v === null)
    throw new UsageError(`${where}: expected an object {avg10, avg60, avg300, total}`);
  const o = v as Record<string, unknown>;
  const n = (k: string, required: boolean): number | undefined => {
    const x = o[k];
    if (x === undefined && !required) return undefined;
    if (typeof x !== 'number' || !Number.isFinite(x) || x < 0)
      throw new UsageError(`${where}.${k}: expected a non-negative number`);
    return x;
  };
  const out: PsiSample['some'] = {
    avg10: n('avg10', false) ?? 0,
    avg60: n('avg60', false) ?? 0,
    avg300: n('avg300', false) ?? 0,
  };
  const total = n('total', false);
  if (total !== undefined) out.total = total;
  if (o.avg10 === undefined && total === undefined) throw new UsageError(`${where}: needs total or avg10`);
  return out;
}

/** The optional "stat" or "events" object of a PSI line: known counters only, each a non-negative integer. */
function counterObject<K extends string>(
  v: unknown,
  names: readonly K[],
  where: string,
): Partial<Record<K, number>> | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new UsageError(`${where}: expected an object of cumulative counters, e.g. {"${names[0]}": 1234}`);
  const out: Partial<Record<K, number>> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (!(names as readonly string[]).includes(k))
      throw new UsageError(`${where}.${k}: not a known counter (known: ${names.join(', ')})`);
    if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0)
      throw new UsageError(`${where}.${k}: expected a non-negative integer (a cumulative counter)`);
    out[k as K] = x;
  }
  return out;
}

/** Parses one PSI JSON line (docs/cli.md); throws UsageError naming the line. */
export function parsePsiLine(line: string, where: string): PsiSample {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    throw new UsageError(`${where}: not JSON; each line must be one PSI sample object`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new UsageError(`${where}: expected a JSON object`);
  const o = v as Record<string, unknown>;
  const t = typeof o.ts === 'number' ? o.ts : typeof o.ts === 'string' ? Date.parse(o.ts) : NaN;
  if (!Number.isFinite(t)) throw new UsageError(`${where}: "ts" must be epoch milliseconds or an ISO-8601 string`);
  if (o.scope !== undefined && typeof o.scope !== 'string') throw new UsageError(`${where}: "scope" must be a string`);
  const s: PsiSample = {
    t,
    scope: (o.scope as string | undefined) ?? 'node',
    some: psiAverages(o.some, `${where}: some`),
  };
  if (o.full !== undefined) s.full = psiAverages(o.full, `${where}: full`);
  const stat = counterObject(o.stat, STAT_COUNTERS, `${where}: stat`);
  const events = counterObject(o.events, EVENT_COUNTERS, `${where}: events`);
  if (stat || events) {
    const c: MemoryCounters = {};
    if (stat) c.stat = stat;
    if (events) c.events = events;
    s.counters = c;
  }
  return s;
}

async function readPsi(path: string, io: CliIo): Promise<PsiSample[]> {
  const out: PsiSample[] = [];
  const name = path === '-' ? STDIN_NAME : path;
  let n = 0;
  try {
    for await (const batch of inputLines(sourceOf(path, io), PSI_SERIES)) {
      for (const line of batch) {
        n++;
        if (line === null)
          throw new UsageError(
            `${name} line ${n}: longer than ${MAX_LINE_CHARS / 1024} KiB; each line must be one PSI sample object`,
          );
        if (line.trim() === '') continue;
        out.push(parsePsiLine(line, `${name} line ${n}`));
      }
    }
  } catch (e) {
    inputFailure('--psi', path, e);
  }
  return out;
}

function iso(t: number | null): string | null {
  return t === null ? null : new Date(t).toISOString();
}

interface Report {
  kills: KillVerdict[];
  /** OOM-looking lines when no kill could be read from them (count 0 otherwise). */
  unread: { count: number; first: OomLookingLine[] };
  incomplete: KernelOomEvent[];
  phases: PhaseInterval[];
  psiScopes: string[];
  settings: PhaseSettings;
  local?: { source: string; samples: LocalSample[]; cgroup: string | null };
}

function toJson(r: Report): AnalyzeLogJson {
  const out: AnalyzeLogJson = {
    version: 1,
    ooms: r.kills.map((k) => {
      const e = k.event;
      const v = e.victim!;
      return {
        time: iso(e.time),
        monotonicSeconds: e.monotonicSeconds,
        pid: v.pid,
        comm: v.comm,
        killer: e.killer,
        killerReason: e.killerReason,
        groupKill: e.groupKill ? { ...e.groupKill } : null,
        cgroupCut: e.cgroupCut,
        constraint: e.constraint,
        oomMemcg: e.oomMemcg,
        taskMemcg: e.taskMemcg,
        class: k.class,
        oomScoreAdj: v.oomScoreAdj,
        anonRssKb: v.anonRssKb,
        fileRssKb: v.fileRssKb,
        shmemRssKb: v.shmemRssKb,
        pod: k.podUid ? { uid: k.podUid } : null,
        containerId: k.containerId,
        precededBy: k.precededBy,
        uid: v.uid,
        totalVmKb: v.totalVmKb,
        memcgLimitKb: e.memcgLimitKb,
        globalOom: e.globalOom,
        invoker: e.invoker,
        evidence: k.evidence,
        psiScope: k.psiScope,
        precededForSeconds: k.precedingSeconds,
        notJudged: k.notJudged,
        truncated: e.truncated,
        lines: e.lines,
      };
    }),
    phases: r.phases.map((p) => ({
      scope: p.scope,
      phase: p.phase,
      start: iso(p.start),
      end: iso(p.end),
      peakSomePercent: p.peakSomePercent,
      peakFullPercent: p.peakFullPercent,
      signals: p.signals,
      durationSeconds: p.end === null ? null : (p.end - p.start) / 1000,
    })),
    incompleteReports: r.incomplete.map((e) => ({
      time: iso(e.time),
      monotonicSeconds: e.monotonicSeconds,
      lines: e.lines,
      invoker: e.invoker,
      note: 'OOM report without a kill line (truncated)',
    })),
    unreadLines: r.unread.first.map((l) => ({ line: l.line, text: l.text })),
    unreadLineCount: r.unread.count,
  };
  if (r.local) {
    const last = r.local.samples[r.local.samples.length - 1];
    out.local = {
      kernelLogSource: r.local.source,
      samples: r.local.samples.length,
      cgroup: last?.cgroup
        ? {
            dir: last.cgroup.dir,
            scope: last.cgroup.scope,
            currentBytes: last.cgroup.currentBytes,
            maxBytes: last.cgroup.maxBytes,
            events: last.cgroup.events,
          }
        : null,
    };
  }
  return out;
}

function stamp(e: KernelOomEvent): string {
  if (e.time !== null) return new Date(e.time).toISOString();
  if (e.monotonicSeconds !== null) return `${e.monotonicSeconds.toFixed(3)}s after boot`;
  return `line ${e.lines[0]}`;
}

function toText(r: Report): string {
  const L: string[] = [];
  const w = r.settings.precursorWindowSeconds;
  if (r.local) {
    L.push(`This machine: ${r.local.samples.length} PSI samples recorded; kernel log from ${r.local.source}.`);
    if (!r.local.samples.some((s) => s.node))
      L.push('No /proc/pressure/memory here (a kernel without PSI, or booted with psi=0): node pressure is unknown.');
    const c = r.local.samples[r.local.samples.length - 1]?.cgroup;
    if (c && c.pressure === null)
      L.push(`No memory.pressure in ${c.dir} (not a cgroup v2 directory?): its own pressure is unknown.`);
    if (c) {
      const ev = Object.entries(c.events)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      L.push(
        `cgroup ${c.scope}: using ${c.currentBytes !== null ? formatQuantity(c.currentBytes) : 'unknown'} of ${c.maxBytes !== null ? formatQuantity(c.maxBytes) : 'no limit'}${ev ? `; events: ${ev}` : ''}.`,
      );
    }
    L.push('');
  }
  const nKills = r.kills.length;
  const events = killEvents(r.kills);
  if (r.unread.count > 0) {
    const f = r.unread.first[0]!;
    L.push(
      `No OOM kill could be read, but ${r.unread.count} line${r.unread.count === 1 ? '' : 's'} look${r.unread.count === 1 ? 's' : ''} like OOM-killer output; the first, line ${f.line}: ${f.text}`,
      'The report may be cut, or in a format this version does not read: pass the whole report (dmesg, journalctl -k).',
    );
  } else if (nKills === 0) L.push('No OOM kills found in the kernel log.');
  else
    L.push(
      `${nKills} OOM kill${nKills === 1 ? '' : 's'} found${events.length < nKills ? ` in ${events.length} event${events.length === 1 ? '' : 's'}` : ''}.`,
    );
  if (r.psiScopes.length === 0)
    L.push('No PSI data given: whether thrashing came first cannot be told (pass --psi FILE).');
  else L.push(`PSI scopes: ${r.psiScopes.join(', ')}.`);
  type Item = { t: number; order: number; text: string[] };
  const items: Item[] = [];
  const own = new Set(r.kills.map((k) => k.ownReclaim).filter((p) => p !== null));
  const label = { severe: 'SEVERE   ', thrashing: 'THRASHING', pressure: 'pressure ' } as const;
  for (const p of r.phases) {
    const dur = p.end === null ? 'still open' : formatDuration((p.end - p.start) / 1000);
    items.push({
      t: p.start,
      order: 0,
      text: [
        `${iso(p.start)}  ${label[p.phase]} on ${p.scope} for ${dur} (peak some ${p.peakSomePercent}%, full ${p.peakFullPercent}%)${own.has(p) ? " — the kill's own reclaim" : ''}`,
        `    signals: ${p.signals}`,
      ],
    });
  }
  events.forEach((members, i) => {
    const k = members[0]!;
    const e = k.event;
    const lines =
      members.length > 1 || (e.groupKill && e.killer === 'kernel')
        ? [
            `${stamp(e)}  OOM KILL: ${groupKillSentence(members)}.`,
            `    selected: ${killSentence(k, w)}`,
            `    killed: ${members
              .slice(0, 20)
              .map((m) => `pid ${m.event.victim!.pid} (${m.event.victim!.comm})`)
              .join(', ')}${members.length > 20 ? `, and ${members.length - 20} more (all in --format json)` : ''}`,
          ]
        : [`${stamp(e)}  OOM KILL: ${killSentence(k, w)}.`];
    lines.push(`    class: ${k.class}${k.psiScope && !k.notJudged ? `; judged on PSI of ${k.psiScope}` : ''}`);
    if (k.precedingPhase) lines.push(`    before it: ${k.precedingPhase.phase}, ${k.precedingPhase.signals}`);
    if (k.ownReclaim)
      lines.push(
        `    its own reclaim: ${k.ownReclaim.signals} (began within ${KILL_OWN_RECLAIM_SECONDS}s of the kill: part of it, not what preceded it)`,
      );
    if (e.taskMemcg)
      lines.push(
        `    cgroup ${e.taskMemcg}${k.podUid ? ` (pod ${k.podUid}${k.containerId ? `, container ${k.containerId.slice(0, 12)}` : ''})` : ''}`,
      );
    const v = e.victim!;
    const mem = [
      v.anonRssKb !== null ? `anon ${formatQuantity(v.anonRssKb * 1024)}` : null,
      v.fileRssKb !== null ? `file ${formatQuantity(v.fileRssKb * 1024)}` : null,
    ].filter(Boolean);
    if (mem.length) lines.push(`    victim memory: ${mem.join(', ')}`);
    for (const ev of k.evidence) lines.push(`    evidence: ${ev}`);
    for (const s of nextSteps(k.class, k.notJudged ? undefined : k.precededBy)) lines.push(`    next: ${s}`);
    items.push({ t: e.time ?? Number.MAX_SAFE_INTEGER - nKills + i, order: 1, text: lines });
  });
  items.sort((a, b) => a.t - b.t || a.order - b.order);
  if (items.length) {
    L.push('', 'Timeline:');
    for (const it of items) L.push(...it.text);
  }
  if (r.incomplete.length) {
    L.push(
      '',
      `${r.incomplete.length} OOM report${r.incomplete.length === 1 ? '' : 's'} without a kill line (truncated): ${r.incomplete.map((e) => `lines ${e.lines[0]}–${e.lines[1]}`).join(', ')}.`,
    );
  }
  return L.join('\n') + '\n';
}

function report(read: KernelRead, samples: PsiSample[], settings: PhaseSettings, inferPollInterval: boolean): Report {
  const phases = phasesFromSamples(samples, settings, { inferPollInterval });
  const coverage = psiCoverage(samples, inferPollInterval ? undefined : settings.pollIntervalSeconds);
  const events = read.events;
  const kills = judgeKills(events, phases, coverage, settings);
  return {
    kills,
    unread: kills.length === 0 ? read.oomLines : { count: 0, first: [] },
    incomplete: events.filter((e) => !e.victim),
    phases,
    psiScopes: [...coverage.keys()],
    settings,
  };
}

function print(r: Report, a: Args, io: CliIo): number {
  io.stdout(a.format === 'json' ? JSON.stringify(toJson(r), null, 2) + '\n' : toText(r));
  if (r.unread.count > 0) {
    const n = r.unread.count;
    io.stderr(
      `oomscope analyze-log: no OOM kill could be read from ${n} line${n === 1 ? '' : 's'} that look${n === 1 ? 's' : ''} like OOM-killer output (first: line ${r.unread.first[0]!.line}); pass the whole report\n`,
    );
    return 2;
  }
  return r.kills.length > 0 ? 1 : 0;
}

export const analyzeLog: Subcommand = async (argv, io) => {
  const a = parseAnalyzeLogArgs(argv);
  if (a === 'help') {
    io.stdout(HELP);
    return 0;
  }
  if (a.local) {
    const ac = new AbortController();
    const stop = (): void => ac.abort();
    process.once('SIGINT', stop);
    let samples: LocalSample[];
    try {
      if (a.format === 'text') io.stderr(`recording memory pressure for ${formatDuration(a.watchMs / 1000)}…\n`);
      samples = await watchLocal({
        cgroupDir: a.cgroup ?? undefined,
        durationMs: a.watchMs,
        intervalMs: a.intervalMs,
        signal: ac.signal,
      });
    } finally {
      process.removeListener('SIGINT', stop);
    }
    if (a.cgroup && samples.every((s) => s.cgroup?.pressure === null && s.cgroup.currentBytes === null)) {
      throw new UsageError(
        `cannot read ${a.cgroup}: no memory.pressure or memory.current there; give a cgroup v2 directory`,
      );
    }
    let log;
    try {
      log = await readKernelLog();
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const parser = new KernelLogParser({ bootTimeMs: log.bootTimeMs ?? undefined, year: a.year, nowMs: Date.now() });
    const events: KernelOomEvent[] = [];
    for (const line of log.text.split('\n')) events.push(...parser.push(line));
    events.push(...parser.end());
    const settings = { ...a.settings, pollIntervalSeconds: a.intervalMs / 1000 };
    const r = report({ events, oomLines: parser.oomLookingLines() }, psiSamplesOf(samples), settings, false);
    r.local = { source: log.source, samples, cgroup: a.cgroup };
    return print(r, a, io);
  }
  const read = await readKernelEvents(a.kernelLog!, io, a.bootTimeMs, a.year, (t) =>
    io.stderr(`oomscope analyze-log: ${t}\n`),
  );
  const samples = a.psi ? await readPsi(a.psi, io) : [];
  const settings = { ...a.settings };
  return print(report(read, samples, settings, true), a, io);
};
