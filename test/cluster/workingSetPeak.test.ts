// The working-set query of the workload analysis (workingSetQuery, src/cluster/analysis/promWorkload.ts) against a
// real Prometheus: a 15-second spike between two query steps is the peak it reports, where the raw selector at the
// same step (what the analysis asked before) misses it; and each container's OOM event counter still comes back
// beside its working set (the `or` keeps both). Skips with one line without Debian's prometheus (fails under CI=true).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { windowStepSeconds, workingSetQuery } from '../../src/cluster/analysis/promWorkload';
import { promApi, prometheusAvailable, startPrometheus, type Matrix } from '../support/prometheus';

const MI = 1024 * 1024;

/**
 * GENERATED history, not a recording: one container's working set every 15 s for 6 h at 200Mi, with one scrape at
 * 900Mi, and its OOM event counter (0, then 1 after the spike). Names and labels as cAdvisor's /metrics/cadvisor
 * prints them (container_memory_working_set_bytes gauge, container_oom_events_total counter; pod, namespace,
 * container, id), in the OpenMetrics text `promtool tsdb create-blocks-from openmetrics` reads.
 */
function history(endS: number, spikeS: number): string {
  const labels = `{namespace="shop",pod="api-7f9c8d-x2k4p",container="api",id="/kubepods/burstable/podabc/cri-containerd-1"}`;
  const ws: string[] = [];
  const oom: string[] = [];
  for (let t = endS - 6 * 3600; t <= endS; t += 15) {
    ws.push(`container_memory_working_set_bytes${labels} ${t === spikeS ? 900 * MI : 200 * MI} ${t}`);
    oom.push(`container_oom_events_total${labels} ${t > spikeS ? 1 : 0} ${t}`);
  }
  return [
    '# HELP container_memory_working_set_bytes Current working set of the container in bytes',
    '# TYPE container_memory_working_set_bytes gauge',
    ...ws,
    '# HELP container_oom_events Count of out of memory events observed for the container',
    '# TYPE container_oom_events counter',
    ...oom,
    '# EOF',
    '',
  ].join('\n');
}

void test('the peak between two query steps is the peak: max_over_time per step, with the OOM counter beside it', async (t) => {
  if (!prometheusAvailable(t)) return;
  const step = windowStepSeconds(24 * 3600_000);
  assert.equal(step, 120, 'a day at the analysis step');
  // Whole minutes, 3 h ago; the spike 45 s after a query step (a 120 s step evaluates at start + k·120).
  const endS = Math.floor(Date.now() / 1000 / 3600) * 3600 - 3 * 3600;
  const start = endS - 5 * 3600;
  const spikeS = start + 40 * step + 45;
  const prom = await startPrometheus({ openMetrics: history(endS, spikeS) });
  t.after(() => prom.close());
  const sel = 'namespace="shop",pod=~"api-[a-z0-9]+-[a-z0-9]+",container!="",container!="POD"';
  const range = { start: String(start), end: String(endS), step: String(step) };
  const max = (m: Matrix): number => Math.max(...m.flatMap((s) => s.values.map(([, v]) => Number(v))));

  const raw = await promApi<{ result: Matrix }>(prom.url, 'query_range', {
    ...range,
    query: `container_memory_working_set_bytes{${sel}}`,
  });
  assert.equal(max(raw.result), 200 * MI, 'the raw selector at a 120 s step never sees the 15 s spike');

  const got = await promApi<{ result: Matrix }>(prom.url, 'query_range', {
    ...range,
    query: workingSetQuery(sel, step),
  });
  const ws = got.result.filter((s) => s.metric.oomscope_metric === 'workingSet');
  const oom = got.result.filter((s) => s.metric.__name__ === 'container_oom_events_total');
  assert.equal(ws.length, 1);
  assert.equal(max(ws), 900 * MI, 'the spike is the peak');
  assert.equal(ws[0]!.metric.pod, 'api-7f9c8d-x2k4p');
  assert.equal(oom.length, 1, 'the counter of the same cgroup is kept beside its working set');
  assert.equal(oom[0]!.values.at(-1)?.[1], '1');
});
