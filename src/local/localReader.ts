/**
 * This machine's memory signals: /proc/pressure/memory and /proc/vmstat, a cgroup directory (v2 memory.pressure,
 * memory.current, memory.max, memory.events, memory.stat; v1 usage/limit/oom_control/failcnt/memory.stat where that
 * is all there is) and the kernel log (dmesg, else journalctl -k). Used by `oomscope analyze-log --local` and the panel.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parsePressureText } from '../core/oom/psi';
import {
  EVENT_COUNTERS,
  STAT_COUNTERS,
  type EventCounter,
  type MemoryCounters,
  type PsiSample,
  type StatCounter,
} from '../core/oom/verdictTypes';
import { MAX_INPUT_BYTES, MAX_INPUT_TEXT } from '../shared/inputLimits';

/** A cgroup directory's state at one instant. */
export interface LocalCgroupState {
  dir: string;
  /** Scope name: the path inside its hierarchy ("/kubepods.slice"), as the kernel prints oom_memcg. */
  scope: string;
  pressure: PsiSample | null;
  currentBytes: number | null;
  /** null when unlimited ("max") or unreadable. */
  maxBytes: number | null;
  /** memory.events (v2) or memory.oom_control counters (v1), e.g. {oom: 1, oom_kill: 1}. */
  events: Record<string, number>;
  /** The reclaim counters the phases corroborate thrashing with (`cgroupCounters`); empty when none could be read. */
  counters: MemoryCounters;
}

export interface LocalSample {
  t: number;
  /** /proc/pressure/memory (with /proc/vmstat's counters); null when the kernel has no PSI (or it is disabled). */
  node: PsiSample | null;
  cgroup: LocalCgroupState | null;
}

export interface LocalReadOptions {
  /** A cgroup directory, e.g. /sys/fs/cgroup/kubepods.slice. */
  cgroupDir?: string;
  /** Defaults to /proc/pressure/memory (tests point it elsewhere). */
  pressureFile?: string;
  /** Defaults to /proc/vmstat. */
  vmstatFile?: string;
  now?: () => number;
}

async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return null;
  }
}

function num(text: string | null): number | null {
  if (text === null) return null;
  const n = Number(text.trim());
  return Number.isFinite(n) ? n : null;
}

function counters(text: string | null): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of (text ?? '').split('\n')) {
    const m = /^(\w+)\s+(\d+)$/.exec(line.trim());
    if (m) out[m[1]!] = Number(m[2]);
  }
  return out;
}

let mountsCache: string[] | null = null;
let v1MemoryCache: string | null | undefined;

/** Where the cgroup v1 memory controller is mounted (a hybrid machine: v1 memory, v2 for PSI), or null. */
async function v1MemoryMount(): Promise<string | null> {
  if (v1MemoryCache !== undefined) return v1MemoryCache;
  v1MemoryCache = null;
  for (const line of ((await readText('/proc/self/mountinfo')) ?? '').split('\n')) {
    const parts = line.split(' - ');
    const after = parts[1]?.split(' ') ?? [];
    if (after[0] === 'cgroup' && (after[2] ?? '').split(',').includes('memory'))
      v1MemoryCache = parts[0]!.split(' ')[4]!;
  }
  return v1MemoryCache;
}

const counterDirs = new Map<string, string>();

/**
 * The directory holding a cgroup's memory counters: the directory itself, or, on a hybrid machine where it is the
 * v2 directory (PSI only), the same path in the v1 memory hierarchy.
 */
export async function counterDirOf(dir: string): Promise<string> {
  const known = counterDirs.get(dir);
  if (known) return known;
  let out = dir;
  if ((await readText(`${dir}/memory.stat`)) === null) {
    const mount = await v1MemoryMount();
    const scope = await cgroupScope(dir);
    const alt = mount ? `${mount}${scope === '/' ? '' : scope}` : null;
    if (alt && (await readText(`${alt}/memory.stat`)) !== null) out = alt;
  }
  counterDirs.set(dir, out);
  return out;
}

async function cgroupMounts(): Promise<string[]> {
  if (mountsCache) return mountsCache;
  const text = (await readText('/proc/self/mountinfo')) ?? '';
  const mounts: string[] = [];
  for (const line of text.split('\n')) {
    const parts = line.split(' - ');
    if (parts.length < 2) continue;
    const fstype = parts[1]!.split(' ')[0];
    if (fstype === 'cgroup2' || fstype === 'cgroup') mounts.push(parts[0]!.split(' ')[4]!);
  }
  mountsCache = mounts.sort((a, b) => b.length - a.length);
  return mountsCache;
}

/** The cgroup path of a directory inside its hierarchy: /sys/fs/cgroup/unified/a/b → "/a/b". */
export async function cgroupScope(dir: string): Promise<string> {
  const abs = resolve(dir).replace(/\/+$/, '');
  for (const m of await cgroupMounts()) {
    if (abs === m) return '/';
    if (abs.startsWith(m + '/')) return abs.slice(m.length);
  }
  return abs;
}

/** A pseudo-file read now, synchronously (a few µs for /proc and cgroup files); null when unreadable. */
function readTextNow(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function pick<K extends string>(names: readonly K[], value: (k: K) => number | undefined): Partial<Record<K, number>> {
  const out: Partial<Record<K, number>> = {};
  for (const k of names) {
    const v = value(k);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

function nonEmpty<T extends object>(o: T): T | undefined {
  return Object.keys(o).length > 0 ? o : undefined;
}

/** The counter files of a cgroup, read at one instant (null = absent). */
export interface CgroupCounterTexts {
  stat: string | null;
  events: string | null;
  failcnt: string | null;
}

/** Reads a cgroup's counter files now (synchronously, as its PSI is: see readLocalSample). */
export function readCgroupCounterTexts(dir: string): CgroupCounterTexts {
  return {
    stat: readTextNow(`${dir}/memory.stat`),
    events: readTextNow(`${dir}/memory.events`),
    failcnt: readTextNow(`${dir}/memory.failcnt`),
  };
}

/**
 * A cgroup's reclaim counters. cgroup v2 (Documentation/admin-guide/cgroup-v2.rst): memory.stat
 * `workingset_refault_anon/file`, `workingset_activate_anon/file`, `pgscan`, `pgsteal`, `pgmajfault` (hierarchical),
 * memory.events `high`, `max`, `oom`, `oom_kill`, `oom_group_kill`. cgroup v1 (Documentation/admin-guide/cgroup-v1/
 * memory.rst): memory.stat `total_*` (hierarchical; the same names, without workingset_activate, pgscan and pgsteal
 * on most kernels) and memory.failcnt (times the usage hit the limit). A missing file or field is absent.
 */
export function cgroupCounters(t: CgroupCounterTexts): MemoryCounters {
  const stat = counters(t.stat);
  const ev = counters(t.events);
  const v1 = t.events === null;
  const out: MemoryCounters = {};
  const st = nonEmpty(pick<StatCounter>(STAT_COUNTERS, (k) => stat[`total_${k}`] ?? stat[k]));
  if (st) out.stat = st;
  const fail = num(t.failcnt);
  const events = nonEmpty(
    pick<EventCounter>(EVENT_COUNTERS, (k) => (k === 'failcnt' ? (fail ?? undefined) : v1 ? undefined : ev[k])),
  );
  if (events) out.events = events;
  return out;
}

/**
 * The node's reclaim counters from /proc/vmstat (the same names as cgroup v2 memory.stat; `pgscan`/`pgsteal` are
 * the sums of the kswapd, direct, khugepaged and proactive counts). The node has no limit events.
 */
export function vmstatCounters(text: string | null): MemoryCounters {
  if (text === null) return {};
  const v = counters(text);
  const sum = (prefix: string): number | undefined => {
    const parts = ['kswapd', 'direct', 'khugepaged', 'proactive'].map((w) => v[`${prefix}_${w}`]);
    return parts.some((x) => x !== undefined) ? parts.reduce<number>((a, x) => a + (x ?? 0), 0) : undefined;
  };
  const st = nonEmpty(pick<StatCounter>(STAT_COUNTERS, (k) => (k === 'pgscan' || k === 'pgsteal' ? sum(k) : v[k])));
  return st ? { stat: st } : {};
}

/**
 * Reads one cgroup directory (v2 files first, v1 memory-controller files as fallback). `pressureText`: its
 * memory.pressure as already read at `t` (see readLocalSample), and `counterTexts` its counter files; read here
 * when not given.
 */
export async function readCgroupState(
  dir: string,
  t: number,
  pressureText?: string | null,
  counterTexts?: CgroupCounterTexts,
): Promise<LocalCgroupState> {
  const scope = await cgroupScope(dir);
  const texts = counterTexts ?? readCgroupCounterTexts(dir);
  const [pressure, current, max, events, v1usage, v1limit, v1oom] = await Promise.all([
    pressureText !== undefined ? pressureText : readText(`${dir}/memory.pressure`),
    readText(`${dir}/memory.current`),
    readText(`${dir}/memory.max`),
    readText(`${dir}/memory.events`),
    readText(`${dir}/memory.usage_in_bytes`),
    readText(`${dir}/memory.limit_in_bytes`),
    readText(`${dir}/memory.oom_control`),
  ]);
  const maxText = max ?? v1limit;
  let maxBytes = maxText === null || maxText.trim() === 'max' ? null : num(maxText);
  if (maxBytes !== null && maxBytes >= 2 ** 62) maxBytes = null;
  return {
    dir,
    scope,
    pressure: pressure === null ? null : parsePressureText(pressure, t, scope),
    currentBytes: num(current ?? v1usage),
    maxBytes,
    events: counters(events ?? v1oom),
    counters: cgroupCounters(texts),
  };
}

/**
 * One sample of this machine (and of a cgroup directory when given). The PSI files are read synchronously right
 * at the sample's stamp, so that a stall fraction — Δtotal over the time between two stamps — is exact even when
 * the sample itself is late (a CPU-starved event loop, a busy thread pool: a thrashing machine is a loaded one).
 * An async read would land tens to hundreds of milliseconds after its stamp under load, a different lag each time.
 */
export async function readLocalSample(opts: LocalReadOptions = {}): Promise<LocalSample> {
  const counterDir = opts.cgroupDir ? await counterDirOf(opts.cgroupDir) : null;
  const t = (opts.now ?? Date.now)();
  const nodeText = readTextNow(opts.pressureFile ?? '/proc/pressure/memory');
  const vmstat = readTextNow(opts.vmstatFile ?? '/proc/vmstat');
  const cgroupPressure = opts.cgroupDir ? readTextNow(`${opts.cgroupDir}/memory.pressure`) : null;
  const cgroupTexts = counterDir ? readCgroupCounterTexts(counterDir) : undefined;
  const cgroup = opts.cgroupDir ? await readCgroupState(opts.cgroupDir, t, cgroupPressure, cgroupTexts) : null;
  const node = nodeText === null ? null : parsePressureText(nodeText, t, 'node');
  const nodeCounters = vmstatCounters(vmstat);
  if (node && nodeCounters.stat) node.counters = nodeCounters;
  return { t, node, cgroup };
}

/** The PSI samples in local samples (node and cgroup scopes), each with its scope's reclaim counters. */
export function psiSamplesOf(samples: LocalSample[]): PsiSample[] {
  const out: PsiSample[] = [];
  for (const s of samples) {
    if (s.node) out.push(s.node);
    const c = s.cgroup;
    if (c?.pressure) {
      const hasCounters = c.counters.stat !== undefined || c.counters.events !== undefined;
      out.push(hasCounters ? { ...c.pressure, counters: c.counters } : c.pressure);
    }
  }
  return out;
}

export interface WatchOptions extends LocalReadOptions {
  durationMs: number;
  intervalMs: number;
  signal?: AbortSignal;
  onSample?: (s: LocalSample) => void;
}

/** Samples every `intervalMs` for `durationMs` (or until aborted); resolves with all samples. */
export function watchLocal(opts: WatchOptions): Promise<LocalSample[]> {
  const samples: LocalSample[] = [];
  const started = Date.now();
  return new Promise((resolveAll, reject) => {
    let timer: NodeJS.Timeout | null = null;
    const done = (): void => {
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', done);
      resolveAll(samples);
    };
    const tick = (): void => {
      readLocalSample(opts).then(
        (s) => {
          samples.push(s);
          opts.onSample?.(s);
          const elapsed = Date.now() - started;
          if (opts.signal?.aborted || elapsed >= opts.durationMs) return done();
          const next = Math.min(opts.intervalMs, opts.durationMs - elapsed);
          timer = setTimeout(tick, Math.max(0, next));
        },
        (e: unknown) => {
          opts.signal?.removeEventListener('abort', done);
          reject(e instanceof Error ? e : new Error(String(e)));
        },
      );
    };
    if (opts.signal?.aborted) return resolveAll(samples);
    opts.signal?.addEventListener('abort', done, { once: true });
    tick();
  });
}

/** Epoch ms of boot, from /proc/uptime (monotonic kernel-log stamps count from it). */
export async function bootTimeMs(): Promise<number | null> {
  const up = await readText('/proc/uptime');
  const s = up ? Number(up.split(/\s+/)[0]) : NaN;
  return Number.isFinite(s) ? Date.now() - s * 1000 : null;
}

function run(cmd: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((res, rej) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: MAX_INPUT_BYTES, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err && (err as { code?: unknown }).code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
        rej(
          new Error(
            `${cmd} ${args.join(' ')} printed more than ${MAX_INPUT_TEXT}, the most OOMScope reads from one input`,
          ),
        );
      } else if (err) rej(new Error(`${cmd} ${args.join(' ')}: ${(stderr || err.message).trim().split('\n')[0]}`));
      else res(stdout);
    });
  });
}

export interface LocalKernelLog {
  text: string;
  source: 'dmesg' | 'journalctl';
  /** Anchors raw dmesg `[seconds]` stamps. */
  bootTimeMs: number | null;
}

/** The kernel log of this boot: `dmesg`, or `journalctl -k` where dmesg is restricted. */
export async function readKernelLog(timeoutMs = 20000): Promise<LocalKernelLog> {
  const boot = await bootTimeMs();
  try {
    return { text: await run('dmesg', [], timeoutMs), source: 'dmesg', bootTimeMs: boot };
  } catch (dmesgErr) {
    try {
      const text = await run('journalctl', ['-k', '-b', '-o', 'short-iso-precise', '--no-pager', '-q'], timeoutMs);
      return { text, source: 'journalctl', bootTimeMs: boot };
    } catch (jErr) {
      throw new Error(
        `cannot read the kernel log: ${(dmesgErr as Error).message}; ${(jErr as Error).message} (run as root, or allow dmesg: sysctl kernel.dmesg_restrict=0)`,
      );
    }
  }
}
