// The pure parts of the workload analysis (docs/workload.md): selectors as the API server parses them, the pod-name
// patterns sent to Prometheus, the window's step, working-set statistics, and the merging and classifying of a kill
// seen by two sources. The whole engine against the fleet cluster and a real Prometheus: test/cluster/workload*.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { labelSelectorString } from '../../src/cluster/access/workloads';
import {
  nodeOfSeries,
  podNamePattern,
  windowStepSeconds,
  type PromWorkloadHistory,
} from '../../src/cluster/analysis/promWorkload';
import { percentile, workingSetStats } from '../../src/cluster/analysis/workloadStats';
import { killRecord } from '../../src/cluster/analysis/apiKills';
import { asWorkloadKill, mergeWorkloadKills, nodeFactsAtKill } from '../../src/cluster/analysis/workloadKills';
import { parseWorkloadArg, parseSince } from '../../src/cli/analyzeWorkloadCommand';
import { diedSelector, triageDetailQueries } from '../../src/cluster/analysis/triage';

const Mi = 1024 * 1024;

void test('labelSelectorString writes matchLabels and matchExpressions as labels.Parse reads them', () => {
  assert.equal(
    labelSelectorString({
      matchLabels: { app: 'api', tier: 'web' },
      matchExpressions: [
        { key: 'env', operator: 'In', values: ['prod', 'canary'] },
        { key: 'legacy', operator: 'DoesNotExist' },
        { key: 'zone', operator: 'NotIn', values: ['a'] },
        { key: 'team', operator: 'Exists' },
      ],
    }),
    'app=api,tier=web,env in (prod,canary),!legacy,zone notin (a),team',
  );
  assert.equal(labelSelectorString({}), null, 'an empty selector selects nothing here, never everything');
  assert.equal(labelSelectorString(undefined), null);
});

void test('pod-name patterns follow what each controller generates, and escape the name', () => {
  const re = (kind: string, name: string): RegExp => new RegExp(`^(?:${podNamePattern(kind, name)})$`);
  assert.ok(re('Deployment', 'api').test('api-7d9f8c6b5-x2k4p'));
  assert.ok(!re('Deployment', 'api').test('api-gateway-7d9f8c6b5-x2k4p'), 'another Deployment with a longer name');
  assert.ok(re('StatefulSet', 'cache').test('cache-2'));
  assert.ok(!re('StatefulSet', 'cache').test('cache-x'));
  assert.ok(re('CronJob', 'report-generator').test('report-generator-29150420-k7x2m'));
  assert.ok(re('Pod', 'a.b').test('a.b') && !re('Pod', 'a.b').test('axb'), 'a dot is literal');
});

void test('the window is about 720 steps of at least 30 s', () => {
  assert.equal(windowStepSeconds(86_400_000), 120);
  assert.equal(windowStepSeconds(3_600_000), 30);
  assert.equal(windowStepSeconds(7 * 86_400_000), 840);
});

void test('working-set statistics are nearest-rank percentiles', () => {
  const v = Array.from({ length: 100 }, (_, i) => (i + 1) * Mi);
  assert.deepEqual(workingSetStats(v), { p50: 50 * Mi, p95: 95 * Mi, max: 100 * Mi });
  assert.equal(percentile([7], 95), 7);
  assert.equal(workingSetStats([]), null);
});

void test('a node-exporter series belongs to a node by node, kubernetes_node or instance less its port', () => {
  assert.equal(nodeOfSeries({ instance: 'fleet-a:9100' }), 'fleet-a');
  assert.equal(nodeOfSeries({ instance: '10.0.0.1:9100', node: 'fleet-b' }), 'fleet-b');
  assert.equal(nodeOfSeries({ instance: 'fleet-c' }), 'fleet-c');
});

function history(oomKill: { t: number; v: number }[]): PromWorkloadHistory {
  return {
    stepSeconds: 120,
    pods: new Map(),
    terminations: [],
    evictions: [],
    restarts: new Map(),
    limits: new Map(),
    requests: new Map(),
    workingSet: new Map(),
    oomEvents: new Map(),
    nodeWaiting: new Map(),
    nodeStalled: new Map(),
    nodeOomKill: new Map([['fleet-b', oomKill]]),
    seen: { ksm: true, cadvisor: true, nodeExporter: true },
  };
}

void test("the node's oom_kill counter with the container far below its limit is node-level evidence; at its limit it is not", () => {
  const t = Date.parse('2026-12-01T10:00:00Z');
  const h = history([
    { t: t - 240_000, v: 4 },
    { t: t - 120_000, v: 4 },
    { t: t + 120_000, v: 5 },
    { t: t + 240_000, v: 5 },
  ]);
  const below = nodeFactsAtKill(h, 'fleet-b', t, 300 * Mi, 512 * Mi);
  assert.equal(below.nodeEvidence.length, 1);
  assert.match(
    below.nodeEvidence[0]!,
    /rose by 1 .* below 90% of its own limit: the kill came from the node or a parent cgroup/,
  );
  const atLimit = nodeFactsAtKill(h, 'fleet-b', t, 510 * Mi, 512 * Mi);
  assert.equal(atLimit.nodeEvidence.length, 0);
  assert.ok(atLimit.evidence.some((e) => /oom_kill counter/.test(e)));
  assert.equal(nodeFactsAtKill(history([]), 'fleet-b', t, 300 * Mi, 512 * Mi).nodeEvidence.length, 0);
});

void test('the API and Prometheus records of one kill merge, and node evidence from Prometheus makes it a system OOM', () => {
  const t = Date.parse('2026-12-01T10:00:00Z');
  const api = asWorkloadKill(
    killRecord({
      id: 'oom:uid-1:api:2026-12-01T10:00:00Z',
      kind: 'oom',
      t,
      class: 'container-limit',
      evidence: ['pod status OOMKilled (lastState, exit code 137)', 'no node-level OOM evidence around it'],
      namespace: 'shop',
      pod: 'api-7d9f8c6b5-d3e4f',
      container: 'api',
      limitBytes: 512 * Mi,
    }),
    'fleet-b',
    ['api'],
  );
  const prom = {
    ...asWorkloadKill(
      killRecord({
        id: 'oom:uid-1:api:prom:1',
        kind: 'oom',
        t: t + 60_000,
        class: 'system',
        evidence: [
          'node fleet-b: … while the container was below 90% of its own limit: the kill came from the node or a parent cgroup',
        ],
        namespace: 'shop',
        pod: 'api-7d9f8c6b5-d3e4f',
        container: 'api',
      }),
      'fleet-b',
      ['prometheus'],
    ),
    workingSetAtKillBytes: 300 * Mi,
  };
  const other = { ...prom, id: 'x', t: t + 3_600_000 };
  const merged = mergeWorkloadKills([[api], [prom, other]], 240_000);
  assert.equal(merged.length, 2, 'the same kill once; an hour later is another kill');
  const k = merged[0]!;
  assert.deepEqual(k.foundIn, ['api', 'prometheus']);
  assert.equal(k.class, 'system');
  assert.equal(k.workingSetAtKillBytes, 300 * Mi);
  assert.ok(!k.evidence.includes('no node-level OOM evidence around it'));
});

void test('KIND/NAME takes kubectl short names; --since is bounded', () => {
  assert.deepEqual(parseWorkloadArg('deploy/api'), { kind: 'Deployment', name: 'api' });
  assert.deepEqual(parseWorkloadArg('CronJob/report-generator'), { kind: 'CronJob', name: 'report-generator' });
  assert.throws(() => parseWorkloadArg('api'), /expected KIND\/NAME/);
  assert.throws(() => parseWorkloadArg('service/api'), /unknown kind 'service'/);
  assert.equal(parseSince('6h'), 6 * 3_600_000);
  assert.throws(() => parseSince('40d'), /1m to 31d/);
});

void test('the triage narrows its subqueries to the pods that died, by name up to 300 pods, else by namespace', () => {
  const few = diedSelector([
    { namespace: 'shop', pod: 'api-1.x' },
    { namespace: 'batch', pod: 'job-2' },
  ]);
  assert.equal(few, ',namespace=~"batch|shop",pod=~"api-1\\\\.x|job-2"');
  const many = diedSelector(Array.from({ length: 301 }, (_, i) => ({ namespace: 'shop', pod: `p-${i}` })));
  assert.equal(many, ',namespace=~"shop"');
  const q = triageDetailQueries(86_400_000, few);
  for (const [name, text] of Object.entries(q))
    assert.ok(text.includes('namespace=~"batch|shop"'), `${name} is narrowed: ${text}`);
  assert.match(q.afterThrashing!, /increase\(kube_pod_container_status_restarts_total\{namespace=~"batch\|shop",pod=~/);
});
