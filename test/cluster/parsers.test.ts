import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parsePrometheusText } from '../../src/cluster/access/prometheusText';
import { fromCadvisor, fromSummary } from '../../src/cluster/analysis/samples';
import { killsFromApi } from '../../src/cluster/analysis/apiKills';
import {
  wireMemoryBytes as quantityBytes,
  type WireEvent,
  type WirePod,
  type WireSummary,
} from '../../src/cluster/access/wireTypes';

const FIX = join(process.cwd(), 'test', 'fixtures', 'cluster');
const read = (f: string): string => readFileSync(join(FIX, f), 'utf8');

void test('Prometheus text: the real cAdvisor exposition parses, with labels, values and timestamps', () => {
  const samples = parsePrometheusText(read('cadvisor-testdata-prometheus_metrics.prom'));
  assert.ok(samples.length > 100);
  const oom = samples.find((s) => s.name === 'container_oom_events_total');
  assert.deepEqual(oom, {
    name: 'container_oom_events_total',
    labels: {
      container_env_foo_env: 'prod',
      container_label_foo_label: 'bar',
      id: 'testcontainer',
      image: 'test',
      name: 'testcontaineralias',
      zone_name: 'hello',
    },
    value: 0,
    timestamp: 1395066363000,
  });
  const stalled = samples.find((s) => s.name === 'container_pressure_memory_stalled_seconds_total');
  assert.ok(stalled && stalled.value > 0);
  const ws = samples.find((s) => s.name === 'container_memory_working_set_bytes');
  assert.equal(ws?.value, 9);
  const only = parsePrometheusText(
    read('cadvisor-testdata-prometheus_metrics.prom'),
    new Set(['container_oom_events_total']),
  );
  assert.ok(only.length >= 1 && only.every((s) => s.name === 'container_oom_events_total'));
});

void test('Prometheus text: escapes, special values, no labels, malformed lines are skipped', () => {
  const text = [
    '# HELP x help with "quotes"',
    'a{l="x\\"y\\\\z\\nw",m=""} 1.5e3',
    'b 7 1700000000000',
    'c{l="v"} NaN',
    'd +Inf',
    'e{l="unterminated} 3',
    'f{l="x"}',
    '  ',
    'g{ l = "spaced" , } -2',
    '9bad 1',
  ].join('\n');
  const s = parsePrometheusText(text);
  assert.deepEqual(
    s.map((x) => x.name),
    ['a', 'b', 'c', 'd', 'g'],
  );
  assert.deepEqual(s[0]!.labels, { l: 'x"y\\z\nw', m: '' });
  assert.equal(s[0]!.value, 1500);
  assert.equal(s[1]!.timestamp, 1700000000000);
  assert.ok(Number.isNaN(s[2]!.value));
  assert.equal(s[3]!.value, Infinity);
  assert.deepEqual(s[4]!.labels, { l: 'spaced' });
});

void test('Prometheus text: random input never throws', () => {
  let seed = 7;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const alphabet = 'ab_{}="\\, \n#0123456789.eE+-NaInf';
  for (let i = 0; i < 300; i++) {
    let t = '';
    for (let k = 0; k < 80; k++) t += alphabet[Math.floor(rnd() * alphabet.length)];
    assert.doesNotThrow(() => parsePrometheusText(t));
  }
});

void test('kubelet cAdvisor series: pod-cgroup (container="") and container scopes, PSI counters in seconds', () => {
  const text = [
    'container_pressure_memory_waiting_seconds_total{container="",id="/kubepods/burstable/podu1",image="",name="",namespace="shop",pod="api-1"} 12.5 1700000000000',
    'container_pressure_memory_stalled_seconds_total{container="",id="/kubepods/burstable/podu1",image="",name="",namespace="shop",pod="api-1"} 4.25 1700000000000',
    'container_pressure_memory_waiting_seconds_total{container="api",id="/kubepods/burstable/podu1/c1",image="i",name="c1",namespace="shop",pod="api-1"} 10 1700000000000',
    'container_memory_working_set_bytes{container="api",id="/kubepods/burstable/podu1/c1",image="i",name="c1",namespace="shop",pod="api-1"} 268435456 1700000000000',
    'container_oom_events_total{container="api",id="/kubepods/burstable/podu1/c1",image="i",name="c1",namespace="shop",pod="api-1"} 3 1700000000000',
    'container_memory_working_set_bytes{id="/"} 999',
  ].join('\n');
  const r = fromCadvisor(text, 0);
  assert.equal(r.hasPsi, true);
  assert.deepEqual(r.counters.get('pod:shop/api-1'), { t: 1700000000000, waitingSeconds: 12.5, stalledSeconds: 4.25 });
  assert.deepEqual(r.counters.get('container:shop/api-1/api'), {
    t: 1700000000000,
    waitingSeconds: 10,
    stalledSeconds: null,
  });
  assert.equal(r.oomEvents.get('container:shop/api-1/api'), 3);
  assert.deepEqual(r.memory, [{ scope: 'container:shop/api-1/api', t: 1700000000000, workingSetBytes: 268435456 }]);
});

void test('Summary API: the real pre-1.33 capture has memory but no psi; a psi block becomes a sample with total in µs', () => {
  const summary = JSON.parse(read('otel-kubeletstats-stats-summary-minikube.json')) as WireSummary;
  const r = fromSummary(summary, 0);
  assert.equal(r.hasPsi, false);
  assert.equal(r.samples.length, 0);
  const node = r.memory.find((m) => m.scope === 'node');
  assert.equal(node?.t, Date.parse('2020-04-20T22:52:27Z'));
  assert.ok(
    r.memory.some((m) => m.scope === 'pod:kube-system/kube-scheduler-minikube' && m.workingSetBytes === 12230656),
  );
  assert.ok(
    r.memory.some(
      (m) =>
        m.scope === 'container:kube-system/kube-scheduler-minikube/kube-scheduler' && m.workingSetBytes === 11640832,
    ),
  );

  const withPsi = structuredClone(summary) as WireSummary;
  withPsi.node!.memory!.psi = {
    some: { total: 5814748, avg10: 0.12, avg60: 1.98, avg300: 1.22 },
    full: { total: 4786857, avg10: 0.1, avg60: 1.57, avg300: 0.97 },
  };
  const p = fromSummary(withPsi, 0);
  assert.equal(p.hasPsi, true);
  assert.deepEqual(p.samples[0], {
    t: Date.parse('2020-04-20T22:52:27Z'),
    scope: 'node',
    some: { avg10: 0.12, avg60: 1.98, avg300: 1.22, total: 5814748 },
    full: { avg10: 0.1, avg60: 1.57, avg300: 0.97, total: 4786857 },
  });
});

void test('Summary API: garbage shapes do not throw', () => {
  for (const bad of [
    {},
    { pods: 'x' },
    { node: { memory: { psi: 'no' } } },
    { pods: [{ podRef: {} }, null].filter(Boolean) },
  ]) {
    assert.doesNotThrow(() => fromSummary(bad as WireSummary, 0));
  }
});

const pod = (name: string, status: object, qosClass = 'Burstable'): WirePod =>
  ({ metadata: { name, namespace: 'ns', uid: `uid-${name}` }, status: { qosClass, ...status } }) as WirePod;
const nodeEvent = (reason: string, message: string, at: string): WireEvent => ({
  involvedObject: { kind: 'Node', name: 'n1' },
  reason,
  message,
  type: 'Warning',
  lastTimestamp: at,
});

void test('verdicts: real containerStatuses with OOMKilled in `state` → container-limit from pod status alone', () => {
  const statuses = parseYaml(read('pr-flyteplugins-50-containerStatuses-OOMKilled.yaml')) as {
    containerStatuses: object[];
  };
  const kills = killsFromApi([pod('flyte', { containerStatuses: statuses.containerStatuses })], [], 'n1');
  assert.equal(kills.length, 1);
  assert.equal(kills[0]!.class, 'container-limit');
  assert.equal(kills[0]!.t, Date.parse('2020-02-05T19:50:15Z'));
  assert.equal(kills[0]!.container, 'f0601d8477447476d919-oom-task-0');
  assert.match(kills[0]!.evidence[0]!, /pod status OOMKilled \(state, exit code 137\)/);
});

void test('verdicts: exit 137 with reason Error (issue 53669) is a system OOM only when a SystemOOM event is near it', () => {
  const text = read('issue-kubernetes-53669-lastState-exit137-reason-Error-fragment.json');
  const lastState = JSON.parse(`{${text.trim().replace(/,$/, '')}}`) as { lastState: object };
  const p = pod('java', { containerStatuses: [{ name: 'java', restartCount: 1, lastState: lastState.lastState }] });
  const alone = killsFromApi([p], [], 'n1');
  assert.equal(alone.length, 1, 'exit 137 alone is listed, as unknown');
  assert.equal(alone[0]!.class, 'unknown', 'exit 137 alone is not claimed as an OOM kill');
  assert.ok(
    alone[0]!.evidence.some((e) => /^missing: .*SystemOOM event.*kernel log/.test(e)),
    'says what would decide it',
  );
  assert.ok(
    alone[0]!.evidence.some((e) => /userspace OOM killer \(systemd-oomd, earlyoom\) is a possible cause/.test(e)),
    'names a userspace killer as a possible cause (issue 13 §9)',
  );
  const withEvent = killsFromApi(
    [p],
    [nodeEvent('SystemOOM', 'System OOM encountered, victim process: java, pid: 4242', '2017-10-10T17:41:57Z')],
    'n1',
  );
  assert.equal(withEvent.length, 1);
  assert.equal(withEvent[0]!.class, 'system');
  assert.equal(withEvent[0]!.pod, 'java');
  assert.ok(withEvent[0]!.evidence.some((e) => e.includes('exit code 137 (SIGKILL) with reason Error')));
  assert.ok(withEvent[0]!.evidence.some((e) => e.startsWith('event SystemOOM')));
});

void test('verdicts: OOMKilled with exit code 0 (issue 131530) is not an OOM kill of that run: a child was killed earlier', () => {
  const text = read('issue-kubernetes-131530-describe-OOMKilled-exit0.txt');
  assert.match(text, /Reason:\s+OOMKilled/);
  assert.match(text, /Exit Code:\s+0/);
  const p = pod('app', {
    containerStatuses: [
      { name: 'app', state: { terminated: { reason: 'OOMKilled', exitCode: 0, finishedAt: '2025-04-29T06:10:51Z' } } },
    ],
  });
  const k = killsFromApi([p], [], 'n1');
  assert.equal(k[0]!.class, 'unknown', 'never a limit kill');
  assert.ok(k[0]!.evidence.some((e) => /exit code 0: .*OOMKilled is carried over from a child process/.test(e)));
});

void test('verdicts: an evicted pod status (cosmos-operator 185) is an eviction with its message and QoS', () => {
  const status = parseYaml(read('issue-cosmos-operator-185-evicted-pod-status-fragment.yaml')) as Record<
    string,
    unknown
  >;
  const k = killsFromApi(
    [{ metadata: { name: 'cosmos-0', namespace: 'cosmos', uid: 'u-c' }, status } as WirePod],
    [],
    'n1',
  );
  assert.equal(k.length, 1);
  assert.equal(k[0]!.kind, 'eviction');
  assert.equal(k[0]!.class, 'eviction');
  assert.equal(k[0]!.qosClass, 'Burstable');
  assert.match(k[0]!.message ?? '', /low on resource: memory/);
});

void test('verdicts: SystemOOM + OOMKilling (kernel line parsed) with no pod → one system kill with pid, comm and oom_score_adj', () => {
  const ev = [
    nodeEvent('SystemOOM', 'System OOM encountered, victim process: stress, pid: 4481', '2026-11-27T17:30:00Z'),
    nodeEvent(
      'OOMKilling',
      'Out of memory: Killed process 4481 (stress) total-vm:1000kB, anon-rss:900kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:100kB oom_score_adj:1000',
      '2026-11-27T17:30:01Z',
    ),
  ];
  const k = killsFromApi([], ev, 'n1');
  assert.equal(k.length, 1);
  assert.equal(k[0]!.class, 'system');
  assert.equal(k[0]!.qosClass, 'BestEffort', 'oom_score_adj 1000 is BestEffort');
  assert.deepEqual(k[0]!.kernel, { pid: 4481, comm: 'stress', oomScoreAdj: 1000, oomMemcg: null, taskMemcg: null });
  assert.equal(k[0]!.evidence.length, 2);
});

void test('verdicts: the real NPD memcg OOMKilling line (old kernel) is a memory-cgroup kill, not a system OOM', () => {
  const line = read('website-assign-memory-resource-OOMKilling-node-event.txt')
    .trim()
    .replace(/^Warning OOMKilling /, '');
  const k = killsFromApi([], [nodeEvent('OOMKilling', line, '2026-11-27T17:30:00Z')], 'n1');
  assert.equal(k.length, 1);
  assert.notEqual(k[0]!.class, 'system');
  assert.equal(k[0]!.kernel?.pid, 4481);
  assert.equal(k[0]!.kernel?.comm, 'stress');
  const p = pod('stress', {
    containerStatuses: [
      {
        name: 'stress',
        lastState: { terminated: { reason: 'OOMKilled', exitCode: 137, finishedAt: '2026-11-27T17:30:02Z' } },
      },
    ],
  });
  const merged = killsFromApi([p], [nodeEvent('OOMKilling', line, '2026-11-27T17:30:00Z')], 'n1');
  assert.equal(merged.length, 1, 'the event merges into the pod kill');
  assert.equal(merged[0]!.class, 'container-limit');
  assert.ok(merged[0]!.evidence.some((e) => e.startsWith('event OOMKilling')));
});

void test('verdicts: evictions for ephemeral-storage (PR 111597 messages, old and new format) are not memory events', () => {
  const msgs = read('pr-kubernetes-111597-eviction-message-before-after.txt')
    .trim()
    .split('\n')
    .map((l) => l.replace(/^'|'$/g, ''));
  assert.equal(msgs.length, 2);
  for (const m of msgs) {
    assert.deepEqual(
      killsFromApi([pod('hello-pod', { phase: 'Failed', reason: 'Evicted', message: m })], [], 'n1'),
      [],
    );
    const ev: WireEvent = {
      involvedObject: { kind: 'Pod', name: 'hello-pod', namespace: 'ns' },
      reason: 'Evicted',
      message: m,
      lastTimestamp: '2026-11-27T17:00:00Z',
    };
    assert.deepEqual(killsFromApi([], [ev], 'n1'), []);
  }
  const memory = msgs[1]!.replaceAll('ephemeral-storage', 'memory');
  assert.equal(
    killsFromApi([pod('hello-pod', { phase: 'Failed', reason: 'Evicted', message: memory })], [], 'n1')[0]?.class,
    'eviction',
  );
});

void test('quantities: node capacity forms', () => {
  assert.equal(quantityBytes('8148092Ki'), 8148092 * 1024);
  assert.equal(quantityBytes('16Gi'), 16 * 2 ** 30);
  assert.equal(quantityBytes('93478772582'), 93478772582);
  assert.equal(quantityBytes('1e9'), 1e9);
  assert.equal(quantityBytes('128M'), 128e6);
  assert.equal(quantityBytes('garbage'), null);
  assert.equal(quantityBytes(undefined), null);
  // Read by core/quantity.ts as Kubernetes reads it, not as a float: forms the API server accepts,
  // rounding up, and values that are not a memory size at all.
  assert.equal(quantityBytes('1.'), 1);
  assert.equal(quantityBytes('1.5m'), 1);
  assert.equal(quantityBytes('0.1Gi'), Math.ceil(0.1 * 2 ** 30));
  assert.equal(quantityBytes('-1Gi'), null, 'negative');
  assert.equal(quantityBytes('1e30'), null, 'beyond int64 (a float read gave 1e30)');
});

void test('verdicts: old-format SystemOOM events (PR 78174, no victim named) still make a system kill that merges with the pod it hit', () => {
  const rows = read('pr-kubernetes-78174-describe-node-SystemOOM-before.txt')
    .split('\n')
    .filter((l) => /\bSystemOOM\b/.test(l));
  assert.equal(rows.length, 3);
  const message = rows[0]!.replace(/^.*kubelet, node1\s+/, '').trim();
  assert.equal(message, 'System OOM encountered');
  const k = killsFromApi([], [nodeEvent('SystemOOM', message, '2026-11-27T17:30:00Z')], 'n1');
  assert.equal(k.length, 1);
  assert.equal(k[0]!.class, 'system');
  assert.equal(k[0]!.kernel?.pid, null);
  const p = pod(
    'web',
    {
      containerStatuses: [
        {
          name: 'web',
          lastState: { terminated: { reason: 'OOMKilled', exitCode: 137, finishedAt: '2026-11-27T17:30:03Z' } },
        },
      ],
    },
    'BestEffort',
  );
  const merged = killsFromApi([p], [nodeEvent('SystemOOM', message, '2026-11-27T17:30:00Z')], 'n1');
  assert.equal(merged.length, 1);
  assert.equal(merged[0]!.pod, 'web');
  assert.equal(merged[0]!.class, 'system');
});
