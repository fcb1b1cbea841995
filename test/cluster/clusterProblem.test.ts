// Why the manifest has no cluster-aware findings (src/panel/clusterProblem.ts, shown in the status bar): a real workload
// analysis against the loopback test API server that forbids the workload (403), is gone (connection refused), or
// answers too slowly (a response held past the request timeout); and null when it answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeWorkload } from '../../src/cluster/analysis/workloadApi';
import { clusterProblem } from '../../src/panel/clusterProblem';
import { harness } from './helpers';

const CRON = { kind: 'CronJob', name: 'report-generator', namespace: 'batch' } as const;
const WHAT = 'CronJob/report-generator in batch';
const CRON_PATH = '/apis/batch/v1/namespaces/batch/cronjobs/report-generator';

void test('the cluster answers: no problem, and an earlier one is cleared', async (t) => {
  const h = await harness({ scenario: 'thrash-then-system-oom', initialStep: 25 });
  t.after(() => h.close());
  const r = await analyzeWorkload(h.access, CRON, { prometheus: false });
  assert.equal(clusterProblem(WHAT, r, null, { kind: 'offline', message: 'before' }), null);
});

void test('forbidden: the API server refuses the workload (403), in its own sentence', async (t) => {
  const h = await harness({
    scenario: 'thrash-then-system-oom',
    initialStep: 25,
    faults: [{ path: CRON_PATH, kind: '403' }],
  });
  t.after(() => h.close());
  const r = await analyzeWorkload(h.access, CRON, { prometheus: false });
  const p = clusterProblem(WHAT, r, null, null);
  assert.equal(p?.kind, 'forbidden');
  assert.match(p!.message, /forbidden|cannot get|permission/i);
});

void test('offline: nothing listens at the server address any more', async (t) => {
  const h = await harness({ scenario: 'thrash-then-system-oom', initialStep: 25 });
  t.after(() => h.close());
  await h.server.close();
  const r = await analyzeWorkload(h.access, CRON, { prometheus: false });
  const p = clusterProblem(WHAT, r, null, null);
  assert.equal(p?.kind, 'offline', JSON.stringify(r));
});

void test('slow: the workload is answered after the request timeout', async (t) => {
  const h = await harness({
    scenario: 'thrash-then-system-oom',
    initialStep: 25,
    requestTimeoutMs: 500,
    faults: [{ path: CRON_PATH, kind: 'slow', delayMs: 5000 }],
  });
  t.after(() => h.close());
  const r = await analyzeWorkload(h.access, CRON, { prometheus: false });
  const p = clusterProblem(WHAT, r, null, null);
  assert.equal(p?.kind, 'slow', JSON.stringify(r));
  assert.deepEqual(clusterProblem(WHAT, r, 30_000, null), {
    kind: 'slow',
    message: 'reading CronJob/report-generator in batch took more than 30 s',
  });
});
