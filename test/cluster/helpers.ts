import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer, type ApiServer, type ApiServerOptions } from '../../src/demo/apiServer';
import { loadKubeConfig, type ClusterAccess, type NodeAnalysis, type Result } from '../../src/cluster/index';
import { NodeState, pollNode } from '../../src/cluster/analysis/nodePoll';
import type { AnalyzeNodeOptions } from '../../src/cluster/analysis/nodeAnalysisTypes';

export interface Harness {
  server: ApiServer;
  access: ClusterAccess;
  dir: string;
  /** Steps the scenario, polls once, returns the result. */
  poll(opts?: AnalyzeNodeOptions): Promise<Result<NodeAnalysis>>;
  /** Polls `n` times (one scenario step each), returns the last result. */
  pollTimes(n: number, opts?: AnalyzeNodeOptions): Promise<Result<NodeAnalysis>>;
  state: NodeState;
  close(): Promise<void>;
}

/** A test API server on a virtual clock plus a loaded kube context; every poll is one step (10 s). */
export async function harness(opts: Omit<ApiServerOptions, 'dir'> & { requestTimeoutMs?: number }): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-cluster-'));
  const server = await startApiServer({ autoStep: false, startTime: Date.parse('2026-11-27T17:00:00Z'), ...opts, dir });
  const acc = loadKubeConfig({
    kubeconfigPath: server.kubeconfigPath,
    requestTimeoutMs: opts.requestTimeoutMs ?? 5000,
  });
  if (!acc.ok) throw new Error(acc.error.message);
  const h: Harness = {
    server,
    access: acc.value,
    dir,
    state: new NodeState(),
    async poll(o = {}) {
      const r = await pollNode(acc.value, server.node, h.state, o);
      server.step();
      return r;
    },
    async pollTimes(n, o = {}) {
      let r: Result<NodeAnalysis> | null = null;
      for (let i = 0; i < n; i++) r = await h.poll(o);
      return r!;
    },
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

export function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.kind}: ${r.error.message}`);
  return r.value;
}

/** The server's kubeconfig with its token replaced by an `exec` stanza (YAML lines under `user:`), written to dir/name. */
export function execKubeconfig(
  server: ApiServer,
  dir: string,
  name: string,
  exec: { command: string; args?: string[]; apiVersion?: string },
): string {
  const lines = [
    '    exec:',
    `      apiVersion: ${exec.apiVersion ?? 'client.authentication.k8s.io/v1beta1'}`,
    `      command: ${JSON.stringify(exec.command)}`,
    ...(exec.args ? [`      args: ${JSON.stringify(exec.args)}`] : []),
    '      interactiveMode: Never',
  ];
  const path = join(dir, name);
  writeFileSync(
    path,
    readFileSync(server.kubeconfigPath, 'utf8').replace(`    token: ${server.token}`, lines.join('\n')),
    { mode: 0o600 },
  );
  return path;
}

/** A shell script plugin at dir/name (mode 755). */
export function pluginScript(dir: string, name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return path;
}

/** Live processes (zombies excluded: their cmdline is empty) whose argv is exactly `argv`. Linux /proc. */
export function processesWithArgv(argv: string[]): number[] {
  const want = argv.join('\0');
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0$/, '') === want) out.push(Number(name));
    } catch {
      // Gone meanwhile.
    }
  }
  return out;
}

/** Resolves once `cond()` holds; rejects after `ms`. Checks every 20 ms. */
export async function waitUntil(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Kills (SIGKILL) the given processes that still run; for a test's cleanup of what it started. */
export function killPids(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/** A number unlikely to be any other process's `sleep` argument, so /proc can find the plugin. */
export function uniqueSleepSeconds(): string {
  return String(100000 + Math.floor(Math.random() * 800000));
}
