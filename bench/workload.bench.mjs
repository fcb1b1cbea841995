// analyze-workload and triage at fleet scale (issue 15 §6), side by side in one run, against the loopback test API
// server (src/demo, bundled into bench/out/) running in this process with the `fleet-scale` scenario (5,000 nodes,
// 150,000 pods, 200,000 events, 2,000 Deployments and shop/api: 50 pods on 40 nodes), and a real Prometheus holding
// a day of the fleet's history (bench/workloadPrometheus.mjs says which part, at which resolution, and why), reached
// as on a real cluster: the CLI finds its Service and queries it through the API server's service proxy.
//
// Each case is one child process: wall time from here, requests and bytes counted by the API server (Prometheus's
// requests are API server requests too, through its proxy; their bytes are counted by a proxy in front of
// Prometheus), peak RSS and CPU reported by the child at exit (bench/processUsage.mjs).
//   - cli analyze-workload deploy/api -n shop (with Prometheus)
//   - cli triage --since 24h (with Prometheus), and with --no-prometheus
//   - naive: every pod and every event, paged 500 (bench/workloadNaive.mjs, the project's client)
// Prints one JSON line per case, then a markdown table (lines starting with '|') and one JSON line per target with
// pass or fail. Never fails on a target. Without prometheus/promtool it says so in one line and runs the Prometheus
// cases with --no-prometheus. Environment: OOMSCOPE_BENCH_STEP (history resolution, seconds, default 600).
import { usageProbe } from './processUsage.mjs';
import { countingProxy, removeAtExit, startBackfilledPrometheus } from './workloadPrometheus.mjs';
import { missingSentence } from '../scripts/prerequisites.mjs';
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
if (!existsSync(CLI)) {
  console.error(`${CLI} is missing: run \`npm run build\` first`);
  process.exit(1);
}
const STEP = Number(process.env.OOMSCOPE_BENCH_STEP ?? '600');
const OUT = join(ROOT, 'bench', 'out');
mkdirSync(OUT, { recursive: true });
const SERVER = join(OUT, 'workloadServer.cjs');
const CLIENT = join(OUT, 'workloadClient.cjs');
const bundle = (contents, outfile) =>
  esbuild.build({
    stdin: { contents, resolveDir: ROOT, loader: 'ts', sourcefile: 'workload-bench-entry.ts' },
    ...nodeBundleOptions({ external: ['selfsigned'] }),
    outfile,
  });
await bundle(
  "export { startApiServer } from './src/demo/apiServer'; export { fleetOpenMetricsChunks } from './src/demo/fleetMetrics';",
  SERVER,
);
await bundle(
  "export { forEachPage, closeConnections } from './src/cluster/access/http'; export { loadKubeConfig } from './src/cluster/access/kubeconfig';",
  CLIENT,
);
const { startApiServer, fleetOpenMetricsChunks } = createRequire(import.meta.url)(SERVER);

const line = (o) =>
  console.log(JSON.stringify({ bench: 'workload', ...o, loadAvg1m: Math.round(loadavg()[0] * 10) / 10 }));

const missing = missingSentence('test', process.env, ['prometheus']);
if (missing) line({ case: 'skipped: Prometheus', why: `${missing}; the Prometheus cases run with --no-prometheus` });

const dir = mkdtempSync(join(tmpdir(), 'oomscope-bench-workload-'));
removeAtExit(dir);
let prom = null;
const proxy = await countingProxy(() => prom?.url ?? 'http://127.0.0.1:9');
const server = await startApiServer({
  scenario: 'fleet-scale',
  dir,
  autoStep: false,
  ...(missing ? {} : { prometheusUpstream: proxy.url }),
});

/** Runs `args` (a script and its arguments) in a child Node, measured. */
function measure(args) {
  const probe = usageProbe(dir);
  const before = {
    requests: server.requests.total,
    bytes: server.requests.bytes,
    promRequests: proxy.counts.requests,
    promBytes: proxy.counts.bytes,
    promLog: proxy.log.length,
  };
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...probe.flags, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    let err = '';
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => (err = (err + d).slice(-4000)));
    child.on('close', (code) => {
      const wallMs = Math.round(performance.now() - started);
      const usage = probe.read();
      resolve({
        exitCode: code,
        wallMs,
        requests: server.requests.total - before.requests,
        promRequests: proxy.counts.requests - before.promRequests,
        bytesRead: server.requests.bytes - before.bytes + (proxy.counts.bytes - before.promBytes),
        promBytes: proxy.counts.bytes - before.promBytes,
        // The slowest Prometheus requests of the case (where its time went).
        promSlowest: proxy.log
          .slice(before.promLog)
          .sort((a, b) => b.ms - a.ms)
          .slice(0, 3)
          .map((e) => `${e.ms} ms ${Math.round(e.bytes / 1000)} kB ${e.path.replace('/api/v1/', '')} ${e.query}`),
        peakRssMB: usage?.peakRssMB ?? null,
        childCpuMs: usage?.cpuMs ?? null,
        stdout: Buffer.concat(out).toString('utf8'),
        err: err.trim().split('\n')[0] ?? '',
      });
    });
  });
}

const json = (s) => {
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
};

const results = {};
try {
  // The server's one-time event index (fleetRoutes.ts), built before measuring, as a real API server's watch cache is.
  const client = createRequire(import.meta.url)(CLIENT);
  const acc = client.loadKubeConfig({ kubeconfigPath: server.kubeconfigPath, requestTimeoutMs: 60_000 });
  if (!acc.ok) throw new Error(acc.error.message);
  const spec = { path: '/api/v1/events', verb: 'list', resource: 'events', what: 'warming up' };
  await client.forEachPage(acc.value, spec, () => {}, 1, 1);
  client.closeConnections();
  if (!missing) {
    prom = await startBackfilledPrometheus(server.fleet, fleetOpenMetricsChunks, STEP);
    line({
      case: 'backfill',
      resolutionSeconds: STEP,
      window: '24h',
      historyPods: prom.pods,
      historyNodes: prom.nodes,
      inputMB: Math.round(prom.inputBytes / 1e6),
      generateMs: prom.generateMs,
      backfillMs: prom.backfillMs,
      prometheusStartMs: prom.startMs,
      target: '< 120000 ms',
      note: 'history: the pods that died, all of shop/api and their nodes; the families the commands query (bench/workloadPrometheus.mjs)',
    });
  }
  const noProm = missing ? ['--no-prometheus'] : [];
  const kube = ['--kubeconfig', server.kubeconfigPath, '--format', 'json'];
  /** @type {[string, string[]][]} */
  const cases = [
    ['analyze-workload', [CLI, 'analyze-workload', 'deploy/api', '-n', 'shop', ...kube, ...noProm]],
    ['triage (Prometheus)', [CLI, 'triage', '--since', '24h', ...kube, ...noProm]],
    ['triage --no-prometheus', [CLI, 'triage', '--since', '24h', ...kube, '--no-prometheus']],
    ['naive: every pod and event', [join(ROOT, 'bench', 'workloadNaive.mjs'), CLIENT, server.kubeconfigPath]],
  ];
  for (const [name, args] of cases) {
    const r = await measure(args);
    const out = json(r.stdout);
    const what =
      name === 'analyze-workload'
        ? { pods: out?.pods?.length, ooms: out?.ooms?.length, evictions: out?.evictions?.length }
        : name.startsWith('triage')
          ? { workloads: out?.workloads?.length, via: out?.via }
          : { pods: out?.pods, events: out?.events };
    const { stdout, err, ...m } = r;
    void stdout;
    results[name] = { ...m, via: out?.via };
    line({
      case: name,
      withPrometheus: !missing && !args.includes('--no-prometheus') && !name.startsWith('naive'),
      ...m,
      ...what,
      ...(out?.sources?.prometheus ? { prometheus: out.sources.prometheus } : {}),
      ...(out === null || out?.error ? { error: out?.error ?? err } : {}),
    });
  }
} finally {
  await prom?.close();
  await proxy.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}

// The targets of issue 15 §6.
const naive = results['naive: every pod and event'];
const fewer = (r) => (r && naive && r.bytesRead > 0 ? Math.round((naive.bytesRead / r.bytesRead) * 10) / 10 : null);
const aw = results['analyze-workload'];
const tp = results['triage (Prometheus)'];
const targets = [
  ['analyze-workload', 'wall time < 3 s', aw?.wallMs, (v) => v < 3000, 'ms'],
  ['analyze-workload', 'requests < 50', aw?.requests, (v) => v < 50, ''],
  ['analyze-workload', '≥ 20× fewer bytes than naive', fewer(aw), (v) => v >= 20, '×'],
  ['triage (Prometheus)', 'wall time < 5 s', tp?.wallMs, (v) => v < 5000, 'ms'],
  ['triage (Prometheus)', 'peak RSS < 200 MB', tp?.peakRssMB, (v) => v < 200, 'MB'],
  ['triage (Prometheus)', '≥ 20× fewer bytes than naive', fewer(tp), (v) => v >= 20, '×'],
];
const mb = (b) => (b === undefined ? '–' : `${(b / 1e6).toFixed(b < 1e6 ? 3 : 1)} MB`);
const viaNote = missing ? ' (no Prometheus: run with --no-prometheus)' : '';
console.log('');
console.log(
  `| case | wall | requests (Prometheus) | bytes read | peak RSS | ×fewer bytes than naive |${missing ? '' : ` history: ${STEP} s`}`,
);
console.log('|---|---|---|---|---|---|');
for (const [name, r] of Object.entries(results))
  console.log(
    `| ${name}${name === 'analyze-workload' || name === 'triage (Prometheus)' ? viaNote : ''}${r.via === 'api' && name === 'triage (Prometheus)' && !missing ? ' (fell back to the pod list: a Prometheus query failed)' : ''} | ${r.wallMs} ms | ${r.requests} (${r.promRequests}) | ${mb(r.bytesRead)} | ${r.peakRssMB ?? '–'} MB | ${r === naive ? '1' : (fewer(r) ?? '–')} |`,
  );
console.log('');
console.log('| target | value | result |');
console.log('|---|---|---|');
const verdicts = targets.map(([who, what, v, ok, unit]) => {
  const pass = v === undefined || v === null ? null : ok(v);
  return { target: `${who}: ${what}`, value: v ?? null, unit, pass };
});
for (const t of verdicts)
  console.log(
    `| ${t.target} | ${t.value ?? '–'} ${t.unit} | ${t.pass === null ? 'not measured' : t.pass ? 'pass' : 'FAIL'} |`,
  );
console.log('');
for (const { unit, ...t } of verdicts) line({ ...t, ...(unit ? { unit } : {}) });
