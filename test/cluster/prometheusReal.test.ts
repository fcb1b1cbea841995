// The node analysis against a real Prometheus (test/support/prometheus.ts): history backfilled with promtool and
// read through the test API server's service proxy, and this machine's PSI scraped by a real node-exporter and read
// from Prometheus's URL, down to the panel's snapshot. Skips with one line without the Debian packages (fails under
// CI=true).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as https from 'node:https';
import { freePort } from '../../scripts/codeServer.mjs';
import { harness, value } from './helpers';
import { makeScenario } from '../../src/demo/scenarios';
import { snapshotFromNode } from '../../src/panel/snapshot';
import type { StallPoint } from '../../src/core/oom/verdictTypes';
import {
  promApi,
  prometheusAvailable,
  psiAvailable,
  startNodeExporter,
  startPrometheus,
  type Matrix,
} from '../support/prometheus';

const NODE = makeScenario('quiet').node;
const SOME = 'rate(node_pressure_memory_waiting_seconds_total[1m])';
const FULL = 'rate(node_pressure_memory_stalled_seconds_total[1m])';
/** The window the node analysis asks Prometheus for (src/cluster/analysis/nodePoll.ts backfill: 3 h before the first sample, at 15 s). */
const rangeBefore = (firstMs: number): Record<string, string> => ({
  start: String(Math.floor((firstMs - 3 * 3600_000) / 1000)),
  end: String(Math.floor((firstMs - 1000) / 1000)),
  step: '15',
});

/**
 * GENERATED history, not a recording: node-exporter's two memory PSI counters of one node, every 15 s for 3 h 10 min
 * up to `endMs`: waiting (PSI "some") grows 0.01 s/s (1 %) for the first 2 h 10 min, then 0.25 s/s (25 %); stalled
 * ("full") 0.002 s/s, then 0.08 s/s. Names and HELP as node_exporter 1.5 prints them (collector/pressure_linux.go);
 * `instance` is the node's name and `job` "node-exporter", as kube-prometheus's node-exporter ServiceMonitor relabels
 * them (relabelings: __meta_kubernetes_pod_node_name → instance), which seriesForNode
 * (src/cluster/access/prometheus.ts) matches. OpenMetrics text, as `promtool tsdb create-blocks-from openmetrics` reads.
 */
async function* psiHistory(node: string, endMs: number): AsyncGenerator<string> {
  const endS = Math.floor(endMs / 1000);
  const n = (3 * 3600 + 600) / 15;
  const riseAt = endS - 3600;
  const labels = `{instance="${node}",job="node-exporter"}`;
  const families = [
    { name: 'node_pressure_memory_waiting_seconds', help: 'Total time in seconds that processes have waited for memory', before: 0.01, after: 0.25 }, // prettier-ignore
    { name: 'node_pressure_memory_stalled_seconds', help: 'Total time in seconds no process could make progress due to memory congestion', before: 0.002, after: 0.08 }, // prettier-ignore
  ];
  for (const f of families) {
    yield `# HELP ${f.name} ${f.help}\n# TYPE ${f.name} counter\n`;
    let v = 5000;
    const lines: string[] = [];
    for (let i = n; i >= 0; i--) {
      const t = endS - i * 15;
      v += 15 * (t > riseAt ? f.after : f.before);
      lines.push(`${f.name}_total${labels} ${v.toFixed(3)} ${t}`);
    }
    yield lines.join('\n') + '\n';
  }
  yield '# EOF\n';
}

/** The node series' points from before the first poll (the backfill), and that poll's time. */
function backfilled(points: readonly StallPoint[], firstMs: number): StallPoint[] {
  return points.filter((p) => p.t < firstMs);
}

/** What Prometheus itself answers, as the stall points the analysis should hold (percent, 0…100). */
function expectedPoints(some: Matrix, full: Matrix): { t: number; somePercent: number; fullPercent: number | null }[] {
  assert.equal(some.length, 1, `one waiting series: ${JSON.stringify(some.map((s) => s.metric))}`);
  const fullAt = new Map((full[0]?.values ?? []).map(([t, v]) => [t, Number(v)]));
  const pct = (x: number): number => Math.min(100, Math.max(0, x * 100));
  return some[0]!.values.map(([t, v]) => {
    const f = fullAt.get(t);
    return { t: t * 1000, somePercent: pct(Number(v)), fullPercent: f === undefined ? null : pct(f) };
  });
}

void test('backfilled history in a real Prometheus reaches the node analysis through the API server service proxy', async (t) => {
  if (!prometheusAvailable(t)) return;
  const first = Math.floor(Date.now() / 1000) * 1000;
  const prom = await startPrometheus({ openMetrics: psiHistory(NODE, first - 15_000) });
  t.after(() => prom.close());
  // No prometheusUrl: the analysis finds the monitoring/prometheus-k8s Service and queries through its proxy.
  const h = await harness({ scenario: 'quiet', startTime: first, prometheusUpstream: prom.url });
  t.after(() => h.close());
  assert.equal(h.server.node, NODE);

  const a = value(await h.poll());
  assert.equal(a.sources.prometheus, 'ok');
  const proxied =
    h.server.requests.byPath['/api/v1/namespaces/monitoring/services/prometheus-k8s:9090/proxy/api/v1/query_range'];
  assert.equal(proxied, 2, 'the some and full queries went through the service proxy');
  const node = a.series.find((s) => s.scope === 'node');
  assert.ok(node, 'a node series');
  const got = backfilled(node.stall, first);

  const [some, full] = await Promise.all([
    promApi<{ result: Matrix }>(prom.url, 'query_range', { query: SOME, ...rangeBefore(first) }),
    promApi<{ result: Matrix }>(prom.url, 'query_range', { query: FULL, ...rangeBefore(first) }),
  ]);
  const want = expectedPoints(some.result, full.result);
  assert.ok(want.length >= 700, `Prometheus has ${want.length} points of 3 h at 15 s`);
  assert.deepEqual(
    got.map((p) => ({ t: p.t, somePercent: p.somePercent, fullPercent: p.fullPercent })),
    want,
  );
  // The generated rise, as Prometheus's rate() computes it: 1 % / 0.2 % before, 25 % / 8 % in the last hour.
  const at = (ms: number): StallPoint => got.reduce((b, p) => (Math.abs(p.t - ms) < Math.abs(b.t - ms) ? p : b));
  const early = at(first - 2.5 * 3600_000);
  const late = at(first - 1800_000);
  assert.ok(Math.abs(early.somePercent - 1) < 1e-6 && Math.abs(early.fullPercent! - 0.2) < 1e-6, JSON.stringify(early));
  assert.ok(Math.abs(late.somePercent - 25) < 1e-6 && Math.abs(late.fullPercent! - 8) < 1e-6, JSON.stringify(late));
  assert.ok(got[0]!.t <= first - 3 * 3600_000 + 60_000, 'the history starts 3 h before the first poll');
});

void test("this machine's PSI, scraped by a real node-exporter into a real Prometheus, reaches the analysis and the panel snapshot unmodified", async (t) => {
  if (!prometheusAvailable(t) || !psiAvailable(t)) return;
  const exporter = await startNodeExporter();
  t.after(() => exporter.close());
  // The node-exporter ServiceMonitor's relabeling in kube-prometheus: the target's node name becomes `instance`.
  const prom = await startPrometheus({
    scrapeIntervalSeconds: 1,
    scrape: [
      { job: 'node-exporter', targets: [exporter.address], relabel: [{ target_label: 'instance', replacement: NODE }] },
    ],
  });
  t.after(() => prom.close());

  // Scrape until the analysis's window holds a rate point. `first` lies 3 s back so every scrape stamped inside the
  // window (scrape timeout 1 s) is stored before the analysis asks.
  let first = 0;
  let some: Matrix = [];
  const end = Date.now() + 40_000;
  for (;;) {
    first = Math.floor((Date.now() - 3000) / 1000) * 1000; // whole seconds, as the Summary API stamps the first sample
    some = (await promApi<{ result: Matrix }>(prom.url, 'query_range', { query: SOME, ...rangeBefore(first) })).result;
    if ((some[0]?.values.length ?? 0) >= 1) break;
    assert.ok(Date.now() < end, 'Prometheus scraped no PSI rate within 40 s');
    // No event to wait on: Prometheus is asked again after one scrape interval (1 s), until the deadline.
    await new Promise((r) => setTimeout(r, 1000));
  }
  assert.equal(some[0]!.metric.instance, NODE);

  const h = await harness({ scenario: 'quiet', startTime: first });
  t.after(() => h.close());
  const a = value(await h.poll({ prometheusUrl: prom.url }));
  assert.equal(a.sources.prometheus, 'ok');
  const got = backfilled(a.series.find((s) => s.scope === 'node')!.stall, first);

  // What Prometheus itself answers for rate(…[1m]) at each of those times.
  const instant = async (q: string, ms: number): Promise<number | null> => {
    const r = await promApi<{ result: { value: [number, string] }[] }>(prom.url, 'query', {
      query: q.replace('[1m]', `{instance="${NODE}"}[1m]`),
      time: String(ms / 1000),
    });
    return r.result[0] ? Number(r.result[0].value[1]) : null;
  };
  const want = await Promise.all(
    some[0]!.values.map(async ([s]) => {
      const [sv, fv] = await Promise.all([instant(SOME, s * 1000), instant(FULL, s * 1000)]);
      return { t: s * 1000, somePercent: sv! * 100, fullPercent: fv === null ? null : fv * 100 };
    }),
  );
  assert.ok(want.length >= 1);
  assert.deepEqual(
    got.map((p) => ({ t: p.t, somePercent: p.somePercent, fullPercent: p.fullPercent })),
    want,
  );

  // The panel gets the same points.
  const snap = snapshotFromNode(a, { live: true });
  const panelNode = snap.stall.find((s) => s.scope === 'node');
  assert.ok(panelNode, 'the panel has a node stall series');
  assert.deepEqual(backfilled(panelNode.points, first), got);
});

/** GET on the test API server with its kubeconfig's CA and token: status and body. */
function getRaw(server: { kubeconfigPath: string; url: string; token: string }, path: string) {
  const ca = Buffer.from(
    /certificate-authority-data: (\S+)/.exec(readFileSync(server.kubeconfigPath, 'utf8'))![1]!,
    'base64',
  );
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    https
      .get(`${server.url}${path}`, { ca, headers: { Authorization: `Bearer ${server.token}` } }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

void test('a Prometheus Service whose endpoint does not answer: the proxy answers 503 "error trying to reach service", the analysis goes on without history', async (t) => {
  const port = await freePort();
  const h = await harness({ scenario: 'quiet', prometheusUpstream: `http://127.0.0.1:${port}` });
  t.after(() => h.close());
  const r = await getRaw(
    h.server,
    '/api/v1/namespaces/monitoring/services/prometheus-k8s:web/proxy/api/v1/query?query=up',
  );
  assert.equal(r.status, 503);
  const st = JSON.parse(r.body) as { kind: string; code: number; message: string };
  assert.equal(st.kind, 'Status');
  assert.match(st.message, /^error trying to reach service: connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
  const a = value(await h.poll());
  assert.match(a.sources.prometheus, /^error: .*querying Prometheus monitoring\/prometheus-k8s \(HTTP 503\)/);
  assert.ok(a.series.find((s) => s.scope === 'node')!.stall.length >= 1, 'the live PSI is still there');
});
