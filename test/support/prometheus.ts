// A real Prometheus (Debian's 2.42, with promtool) and a real node-exporter (1.5) on 127.0.0.1 for the cluster tier.
// History is backfilled with `promtool tsdb create-blocks-from openmetrics`; Prometheus loads the blocks when it
// opens the TSDB, before /-/ready, so they are queried at once. Since 2.39 overlapping blocks are always allowed
// (--storage.tsdb.allow-overlapping-blocks is gone from 2.42's flags), so no flag is needed for blocks that overlap
// the head. Every process started here is stopped by close(), and SIGKILLed when the test process exits.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { freePort } from '../../scripts/codeServer.mjs';
import { missingSentence } from '../../scripts/prerequisites.mjs';

/** A relabel rule, in Prometheus's own keys (relabel_configs of the scrape config). */
export interface Relabel {
  source_labels?: string[];
  target_label?: string;
  regex?: string;
  replacement?: string;
  action?: string;
}

export interface ScrapeJob {
  job: string;
  /** host:port, e.g. 127.0.0.1:9100 */
  targets: string[];
  relabel?: Relabel[];
}

export interface PrometheusOptions {
  /** OpenMetrics text (ending `# EOF`) to backfill before Prometheus starts; several are backfilled in turn. */
  openMetrics?: string | AsyncIterable<string> | (string | Iterable<string> | AsyncIterable<string>)[];
  scrape?: ScrapeJob[];
  /** Scrape interval (and timeout) in seconds, default 15. */
  scrapeIntervalSeconds?: number;
}

export interface Prometheus {
  /** Base URL, http://127.0.0.1:PORT */
  url: string;
  dataDir: string;
  close(): Promise<void>;
}

export interface NodeExporter {
  url: string;
  /** host:port, for a scrape target. */
  address: string;
  close(): Promise<void>;
}

const PACKAGES = ['prometheus', 'prometheus-node-exporter'];

/**
 * True when the binaries are there. Otherwise the test is skipped with one line naming the package, and under
 * CI=true it fails instead (the rule of every tier, test/run.mjs).
 */
export function prometheusAvailable(t: TestContext): boolean {
  return requireOrSkip(t, missingSentence('test', process.env, PACKAGES));
}

/**
 * True when this kernel reports memory PSI (/proc/pressure/memory, which node-exporter's pressure collector reads).
 * Otherwise skip with one line; under CI=true fail, as CI machines are this kind of machine, which has it.
 */
export function psiAvailable(t: TestContext): boolean {
  let why: string | undefined;
  try {
    readFileSync('/proc/pressure/memory', 'utf8');
  } catch (e) {
    why = `this kernel reports no memory PSI (/proc/pressure/memory: ${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`;
  }
  return requireOrSkip(t, why);
}

function requireOrSkip(t: TestContext, why: string | undefined): boolean {
  if (!why) return true;
  if (process.env.CI === 'true') throw new Error(`cluster tier cannot run this under CI=true: ${why}`);
  t.skip(why);
  return false;
}

// Children still running, SIGKILLed if the test process exits or is interrupted before their close(), and the
// folders not yet removed.
const live = new Set<ChildProcess>();
const folders = new Set<string>();
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const killAll = (): void => {
  for (const c of live) c.kill('SIGKILL');
  for (const d of folders) {
    try {
      rmSync(d, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      // A child still writing into it; the OS's temp cleanup gets it.
    }
  }
};
const onSignal = (sig: NodeJS.Signals): void => {
  killAll();
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  process.kill(process.pid, sig);
};
let hooked = false;
function track(c: ChildProcess): void {
  live.add(c);
  c.once('exit', () => live.delete(c));
  if (hooked) return;
  hooked = true;
  process.on('exit', killAll);
  for (const s of SIGNALS) if (process.listenerCount(s) === 0) process.on(s, onSignal);
}

/** Runs a command to its end; rejects with its stderr's tail on failure or after `ms`. */
async function run(cmd: string, args: string[], ms: number): Promise<void> {
  const c = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  track(c);
  let err = '';
  c.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
  const timer = setTimeout(() => c.kill('SIGKILL'), ms);
  const [code, sig] = (await once(c, 'exit')) as [number | null, NodeJS.Signals | null];
  clearTimeout(timer);
  if (code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${sig ?? `exit ${code}`}):\n${err}`);
}

interface Daemon {
  port: number;
  close(): Promise<void>;
}

/**
 * Starts `cmd` on a free loopback port and resolves when its log prints `readyLine` and GET `readyPath` answers 200.
 * A port taken meanwhile by someone else (the process exits saying so) is retried with another, twice.
 */
async function startDaemon(
  cmd: string,
  args: (port: number) => string[],
  readyLine: string,
  readyPath: string,
  ms = 30_000,
): Promise<Daemon> {
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const c = spawn(cmd, args(port), { stdio: ['ignore', 'pipe', 'pipe'] });
    track(c);
    let log = '';
    const exited = once(c, 'exit');
    const ready = new Promise<void>((resolve) => {
      const onData = (d: Buffer): void => {
        log = (log + d.toString()).slice(-8000);
        if (log.includes(readyLine)) resolve();
      };
      c.stdout!.on('data', onData);
      c.stderr!.on('data', onData);
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), ms)));
    const first = await Promise.race([ready.then(() => 'ready' as const), exited.then(() => 'exit' as const), timeout]);
    clearTimeout(timer);
    const close = async (): Promise<void> => {
      if (c.exitCode !== null || c.signalCode !== null) return;
      c.kill('SIGTERM');
      const t = setTimeout(() => c.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    };
    if (first === 'ready') {
      const res = await fetch(`http://127.0.0.1:${port}${readyPath}`, { signal: AbortSignal.timeout(ms) });
      await res.arrayBuffer();
      if (res.status === 200) return { port, close };
      await close();
      throw new Error(`${cmd} logged "${readyLine}" but ${readyPath} answered ${res.status}:\n${log}`);
    }
    await close();
    if (first === 'exit' && /address already in use/.test(log) && attempt < 2) continue;
    throw new Error(`${cmd} did not become ready (${first === 'exit' ? 'it exited' : `${ms} ms`}):\n${log}`);
  }
}

async function writeText(file: string, text: string | Iterable<string> | AsyncIterable<string>): Promise<void> {
  if (typeof text === 'string') return writeFileSync(file, text);
  const out = createWriteStream(file);
  for await (const chunk of text) if (!out.write(chunk)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

/** A real Prometheus on 127.0.0.1: backfilled from `openMetrics` (if given), scraping `scrape` (if given). */
export async function startPrometheus(opts: PrometheusOptions = {}): Promise<Prometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-prometheus-'));
  folders.add(dir);
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  try {
    const texts =
      opts.openMetrics === undefined ? [] : Array.isArray(opts.openMetrics) ? opts.openMetrics : [opts.openMetrics];
    for (const [i, text] of texts.entries()) {
      const file = join(dir, `backfill-${i}.om.txt`);
      await writeText(file, text);
      await run('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', file, dataDir], 120_000);
      rmSync(file, { force: true });
    }
    const interval = `${opts.scrapeIntervalSeconds ?? 15}s`;
    // JSON is YAML: the config file Prometheus reads, in its documented keys (docs/configuration/configuration.md).
    const config = {
      global: { scrape_interval: interval, scrape_timeout: interval, evaluation_interval: interval },
      scrape_configs: (opts.scrape ?? []).map((j) => ({
        job_name: j.job,
        static_configs: [{ targets: j.targets }],
        ...(j.relabel ? { relabel_configs: j.relabel } : {}),
      })),
    };
    const configFile = join(dir, 'prometheus.yml');
    writeFileSync(configFile, JSON.stringify(config, null, 2));
    const d = await startDaemon(
      'prometheus',
      (port) => [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${dataDir}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--storage.tsdb.retention.time=30d',
      ],
      'Server is ready to receive web requests.',
      '/-/ready',
    );
    return {
      url: `http://127.0.0.1:${d.port}`,
      dataDir,
      close: async () => {
        await d.close();
        rmSync(dir, { recursive: true, force: true });
        folders.delete(dir);
      },
    };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    folders.delete(dir);
    throw e;
  }
}

/** A real node-exporter on 127.0.0.1 with only the memory collectors OOMScope reads (PSI, vmstat, meminfo). */
export async function startNodeExporter(): Promise<NodeExporter> {
  const d = await startDaemon(
    'prometheus-node-exporter',
    (port) => [
      `--web.listen-address=127.0.0.1:${port}`,
      '--collector.disable-defaults',
      '--collector.pressure',
      '--collector.vmstat',
      '--collector.meminfo',
    ],
    'Listening on',
    '/metrics',
  );
  return { url: `http://127.0.0.1:${d.port}`, address: `127.0.0.1:${d.port}`, close: d.close };
}

/** GET <url>/api/v1/<path>?<params> of a Prometheus; the parsed answer (throws unless status "success"). */
export async function promApi<T = unknown>(url: string, path: string, params: Record<string, string>): Promise<T> {
  const res = await fetch(`${url}/api/v1/${path}?${new URLSearchParams(params).toString()}`, {
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await res.json()) as { status?: string; data?: T; error?: string };
  if (body.status !== 'success') throw new Error(`Prometheus ${path} answered ${res.status}: ${body.error ?? ''}`);
  return body.data as T;
}

/** A matrix answer: one series' [seconds, "value"] pairs, by label set. */
export type Matrix = { metric: Record<string, string>; values: [number, string][] }[];
