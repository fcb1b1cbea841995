import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer, type ApiServer, type ApiServerOptions } from '../support/apiServer/index';
import { loadKubeConfig, type ClusterAccess, type NodeAnalysis, type Result } from '../../src/cluster/index';
import { NodeState, pollNode } from '../../src/cluster/analyzeNode';
import type { AnalyzeNodeOptions } from '../../src/cluster/types';

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
  const acc = loadKubeConfig({ kubeconfigPath: server.kubeconfigPath, requestTimeoutMs: opts.requestTimeoutMs ?? 5000 });
  if (!acc.ok) throw new Error(acc.error.message);
  const h: Harness = {
    server, access: acc.value, dir, state: new NodeState(),
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
