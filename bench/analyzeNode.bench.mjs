// analyze-node and the node picker at scale, against the loopback test API server
// (src/demo, bundled into bench/out/) running in this process:
// (1) one poll in-process (dist/cluster.js analyzeNodeOnce) on a node with 110 pods and 5,000
//     events, cold then warm (the server's CPU is in the same process);
// (2) `node dist/cli.js analyze-node` (one spawn, JSON output discarded) — wall time from the
//     parent, requests counted by the server, peak RSS and CPU reported by the child at exit
//     (a --require preload);
// (3) listNodes on a cluster of 1,000 nodes (dist/cluster.js), cold then warm.
// Prints one JSON line per case; never asserts a time.
import { usageProbe } from './processUsage.mjs';
import * as esbuild from 'esbuild';
import { nodeBundleOptions } from '../buildOptions.mjs';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const CLUSTER = join(ROOT, 'dist', 'cluster.js');
for (const f of [CLI, CLUSTER]) {
  if (!existsSync(f)) {
    console.error(`${f} is missing: run \`npm run build\` first`);
    process.exit(1);
  }
}
mkdirSync(join(ROOT, 'bench', 'out'), { recursive: true });
const SERVER = join(ROOT, 'bench', 'out', 'apiServer.cjs');
await esbuild.build({
  entryPoints: [join(ROOT, 'src', 'demo', 'apiServer.ts')],
  ...nodeBundleOptions({ external: ['selfsigned'] }),
  outfile: SERVER,
});
const require = createRequire(import.meta.url);
const { startApiServer } = require(SERVER);
const cluster = require(CLUSTER);

const dir = mkdtempSync(join(tmpdir(), 'oomscope-bench-node-'));
const PODS = 110;
const EVENTS = 5000;
const NODES = 1000;
const server = await startApiServer({
  scenario: 'scale',
  dir,
  scale: { pods: PODS, events: EVENTS, nodes: NODES },
  autoStep: false,
});
for (let i = 0; i < 4; i++) server.step();

function spawnCli(args) {
  const probe = usageProbe(dir);
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...probe.flags, CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = 0;
    let err = '';
    child.stdout.on('data', (d) => (out += d.length));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      const wallMs = Math.round(performance.now() - started);
      const usage = probe.read();
      resolve({
        code,
        wallMs,
        outBytes: out,
        err: err.trim().split('\n')[0] ?? '',
        peakRssMB: usage?.peakRssMB ?? null,
        cpuMs: usage?.cpuMs ?? null,
      });
    });
  });
}

function line(o) {
  console.log(JSON.stringify({ bench: 'analyzeNode', ...o, loadAvg1m: Math.round(loadavg()[0] * 10) / 10 }));
}

try {
  // (2) the poll in-process.
  let before = 0;
  const acc = cluster.loadKubeConfig({ kubeconfigPath: server.kubeconfigPath });
  if (!acc.ok) throw new Error(acc.error.message);
  for (const phase of ['cold', 'warm']) {
    before = server.requests.total;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const a = await cluster.analyzeNodeOnce(acc.value, server.node, {});
    const ms = Math.round(performance.now() - t0);
    line({
      case: `in-process analyzeNodeOnce (${phase})`,
      pods: PODS,
      events: EVENTS,
      ok: a.ok,
      wallMs: ms,
      cpuMsClientAndServer: Math.round((process.cpuUsage(c0).user + process.cpuUsage(c0).system) / 1000),
      requests: server.requests.total - before,
      ooms: a.ok ? a.value.ooms.length : null,
      series: a.ok ? a.value.series.length : null,
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    });
  }

  // (1) the CLI, one process (after the server has built its objects once, so its time is the client's).
  before = server.requests.total;
  const r = await spawnCli(['analyze-node', server.node, '--kubeconfig', server.kubeconfigPath, '--format', 'json']);
  line({
    case: 'cli analyze-node',
    pods: PODS,
    events: EVENTS,
    nodesInCluster: NODES,
    exitCode: r.code,
    wallMs: r.wallMs,
    childCpuMs: r.cpuMs,
    requests: server.requests.total - before,
    peakRssMB: r.peakRssMB,
    jsonBytes: r.outBytes,
    target: '< 2000 ms',
    ...(r.code ? { error: r.err } : {}),
  });

  // (3) the node picker.
  for (const phase of ['cold', 'warm']) {
    before = server.requests.total;
    const t0 = performance.now();
    const n = await cluster.listNodes(acc.value);
    const ms = Math.round(performance.now() - t0);
    line({
      case: `listNodes (${phase})`,
      nodes: n.ok ? n.value.length : null,
      wallMs: ms,
      requests: server.requests.total - before,
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      target: '< 1000 ms',
    });
  }
} finally {
  cluster.closeConnections();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}
