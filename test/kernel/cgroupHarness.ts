// Real memory cgroups for the kernel tier: a cgroup v2 memory controller where the machine has
// one, else a cgroup v1 memory cgroup for the limit plus a v2 cgroup (same name) for PSI.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';

const V1_MEMORY = '/sys/fs/cgroup/memory';
const V2_HYBRID = '/sys/fs/cgroup/unified';
const V2_ROOT = '/sys/fs/cgroup';
export const WORKLOAD = join(process.cwd(), 'test', 'kernel', 'workload.py');

export interface Layout {
  mode: 'v2' | 'v1+v2psi' | 'v1';
  /** Where limits are set. */
  limitRoot: string;
  /** Where PSI is read (v2), or null (then /proc/pressure/memory). */
  psiRoot: string | null;
}

function readOr(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** The layout this machine supports, or why the tier cannot run. */
export function detectLayout(): Layout | string {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (typeof process.getuid === 'function' && process.getuid() !== 0)
    return 'not root: creating memory cgroups needs root';
  const which = spawnSyncOk('python3', ['-c', 'pass']);
  if (!which) return 'python3 not found (the workloads are python scripts)';
  const v2controllers = readOr(join(V2_ROOT, 'cgroup.controllers'));
  if (v2controllers !== null && /\bmemory\b/.test(v2controllers))
    return { mode: 'v2', limitRoot: V2_ROOT, psiRoot: V2_ROOT };
  if (existsSync(join(V1_MEMORY, 'memory.limit_in_bytes'))) {
    const hybrid = existsSync(join(V2_HYBRID, 'cgroup.procs')) ? V2_HYBRID : null;
    return { mode: hybrid ? 'v1+v2psi' : 'v1', limitRoot: V1_MEMORY, psiRoot: hybrid };
  }
  return 'no cgroup memory controller (neither cgroup v2 "memory" nor /sys/fs/cgroup/memory)';
}

function spawnSyncOk(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore', timeout: 10000 });
  return r.status === 0;
}

/** Skips (or, under CI=true, fails) when the machine cannot run the kernel tier. */
export function layoutOrSkip(t: TestContext): Layout | null {
  const l = detectLayout();
  if (typeof l !== 'string') return l;
  if (process.env.CI === 'true') throw new Error(`kernel tier cannot run in CI: ${l}`);
  t.skip(`kernel tier skipped: ${l}`);
  return null;
}

export interface Cgroup {
  /** Path inside the hierarchy, as the kernel prints oom_memcg ("/oomscope-test-…"). */
  path: string;
  limitDir: string;
  psiDir: string | null;
}

/** Creates a cgroup (optionally under a parent) with an optional memory limit. */
export function makeCgroup(layout: Layout, path: string, limitBytes: number | null): Cgroup {
  const limitDir = join(layout.limitRoot, path);
  const psiDir = layout.psiRoot ? join(layout.psiRoot, path) : null;
  if (layout.mode === 'v2') {
    const parent = join(limitDir, '..');
    const ctl = readOr(join(parent, 'cgroup.subtree_control')) ?? '';
    if (!/\bmemory\b/.test(ctl)) writeFileSync(join(parent, 'cgroup.subtree_control'), '+memory');
  }
  mkdirSync(limitDir, { recursive: true });
  if (psiDir && psiDir !== limitDir) mkdirSync(psiDir, { recursive: true });
  if (limitBytes !== null) {
    if (layout.mode === 'v2') {
      writeFileSync(join(limitDir, 'memory.max'), String(limitBytes));
      if (existsSync(join(limitDir, 'memory.swap.max'))) writeFileSync(join(limitDir, 'memory.swap.max'), '0');
    } else {
      writeFileSync(join(limitDir, 'memory.limit_in_bytes'), String(limitBytes));
    }
  }
  return { path, limitDir, psiDir };
}

/** Removes cgroups deepest first; processes must be gone. Errors are collected, not thrown. */
export function removeCgroups(cgs: Cgroup[]): string[] {
  const errors: string[] = [];
  const dirs = new Set<string>();
  for (const c of cgs) {
    dirs.add(c.limitDir);
    if (c.psiDir) dirs.add(c.psiDir);
  }
  for (const d of [...dirs].sort((a, b) => b.length - a.length)) {
    if (!existsSync(d)) continue;
    try {
      rmdirSync(d);
    } catch (e) {
      errors.push(`${d}: ${(e as Error).message}`);
    }
  }
  return errors;
}

/** Removes leftovers of an earlier aborted run (empty cgroups only). */
export function removeStale(layout: Layout, prefix: string): void {
  for (const root of [layout.limitRoot, layout.psiRoot]) {
    if (!root) continue;
    for (const name of readdirSync(root)) {
      if (!name.startsWith(prefix)) continue;
      const dir = join(root, name);
      for (const sub of readdirSync(dir, { withFileTypes: true })) {
        if (sub.isDirectory())
          try {
            rmdirSync(join(dir, sub.name));
          } catch {
            /* busy: leave it */
          }
      }
      try {
        rmdirSync(dir);
      } catch {
        /* busy: leave it */
      }
    }
  }
}

export interface Workload {
  child: ChildProcess;
  pid: number;
  /** Resolves with the exit signal/code; never rejects. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves when the workload prints `word`; rejects on exit first or after `timeoutMs`. */
  waitFor(word: string, timeoutMs: number): Promise<void>;
  stderr(): string;
}

/** Starts workload.py inside the cgroup (both hierarchies), with an oom_score_adj. */
export function spawnWorkload(cg: Cgroup, args: string[], oomScoreAdj = 0): Workload {
  const join2 = [cg.limitDir, cg.psiDir].filter((d): d is string => d !== null && d !== undefined);
  const unique = [...new Set(join2)];
  const script = [
    ...unique.map((d) => `echo $$ > '${d}/cgroup.procs'`),
    `echo ${oomScoreAdj} > /proc/$$/oom_score_adj`,
    `exec python3 -u '${WORKLOAD}' "$@"`,
  ].join(' && ');
  const child = spawn('sh', ['-c', script, 'sh', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters: Array<{ word: string; resolve: () => void }> = [];
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    for (const w of waiters.splice(0)) {
      if (out.includes(w.word)) w.resolve();
      else waiters.push(w);
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
    child.once('exit', (code, signal) => res({ code, signal })),
  );
  return {
    child,
    pid: child.pid!,
    exited,
    stderr: () => err,
    waitFor(word, timeoutMs) {
      return new Promise<void>((resolve, reject) => {
        if (out.includes(word)) return resolve();
        const timer = setTimeout(
          () => reject(new Error(`workload did not print '${word}' within ${timeoutMs} ms; stderr: ${err}`)),
          timeoutMs,
        );
        waiters.push({
          word,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
        void exited.then((x) => {
          clearTimeout(timer);
          if (!out.includes(word))
            reject(new Error(`workload exited (${x.signal ?? x.code}) before printing '${word}'; stderr: ${err}`));
        });
      });
    },
  };
}

/** Waits for exit with a timeout (rejects on timeout). */
export function exitWithin(
  w: Workload,
  timeoutMs: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`workload ${w.pid} still running after ${timeoutMs} ms`)),
      timeoutMs,
    );
    void w.exited.then((x) => {
      clearTimeout(timer);
      resolve(x);
    });
  });
}

/** Kills a workload if it still runs and waits for it to be gone. */
export async function stopWorkload(w: Workload): Promise<void> {
  if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
  await exitWithin(w, 10000).catch(() => undefined);
}

/** Seconds since boot (the clock of raw dmesg stamps). */
export function uptimeSeconds(): number {
  return Number(readFileSync('/proc/uptime', 'utf8').split(/\s+/)[0]);
}
