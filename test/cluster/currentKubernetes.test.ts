// The live cluster as Kubernetes 1.28–1.36 runs it (issue 14): sidecars, resized and pod-level limits,
// OOMKilled carried over on a drain, the kubelet configuration from configz, PSI node conditions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, value } from './helpers';
import { analyzeNodeOnce } from '../../src/cluster/index';
import { formatAnalyzeNodeText, toAnalyzeNodeJson } from '../../src/cli/analyzeNodeOutput';
import { NO_RESERVED_WORDS, withBudgetWords } from '../../src/cluster/analysis/memoryBudget';
import type { KubeletInfo } from '../../src/cluster/analysis/kubeletConfig';
import type { KillRecord } from '../../src/cluster/analysis/nodeAnalysisTypes';
import { memoryBudget } from '../../src/cluster/analysis/memoryBudget';

/** The budget words with no working-set series (only the reservations speak). */
const withKubeletWords = (k: KillRecord, kubelet: KubeletInfo): KillRecord =>
  withBudgetWords(k, { kubelet, budget: memoryBudget(null, kubelet, []), nodeMemory: [], evictions: [] });

const MI = 1024 * 1024;
const NODE = 'demo-worker-1';
const CONFIGZ = `/api/v1/nodes/${NODE}/proxy/configz`;

void test('sidecar-oom: the native sidecar is the container killed, typed sidecar, with its own limit', async (t) => {
  const h = await harness({ scenario: 'sidecar-oom' });
  t.after(() => h.close());
  const a = value(await h.pollTimes(5));
  assert.equal(a.ooms.length, 1, JSON.stringify(a.ooms.map((k) => k.container)));
  const k = a.ooms[0]!;
  assert.equal(k.container, 'log-shipper');
  assert.equal(k.containerType, 'sidecar');
  assert.equal(k.limitBytes, 64 * MI);
  assert.equal(k.class, 'container-limit');
  const pod = a.pods.find((p) => p.name === k.pod)!;
  assert.deepEqual(
    pod.containers.map((c) => [c.name, c.containerType]),
    [
      ['api', 'container'],
      ['log-shipper', 'sidecar'],
    ],
    'sidecars run beside the containers; a finished init container is not listed',
  );
  assert.match(formatAnalyzeNodeText(a), /shop\/api-7d9f8c6b5-x2k4p\/log-shipper \(sidecar\), limit 64Mi/);
});

void test('resized-pod: the limit in force comes from status resources; a refused decrease is shown as what it is', async (t) => {
  const h = await harness({ scenario: 'resized-pod' });
  t.after(() => h.close());
  const a = value(await h.pollTimes(6));
  const api = a.ooms.find((k) => k.container === 'api')!;
  assert.equal(api.limitBytes, 768 * MI, 'status resources, not the spec 512Mi');
  assert.ok(
    api.evidence.some((e) => /limit in force 768Mi \(status resources\), not the spec's 512Mi/.test(e)),
    api.evidence.join('\n'),
  );
  assert.ok(api.evidence.some((e) => /resize in progress \(PodResizeInProgress, 10 s before the kill\)/.test(e)));
  const worker = a.ooms.find((k) => k.container === 'worker')!;
  assert.equal(worker.limitBytes, 1024 * MI);
  assert.ok(
    worker.evidence.some((e) =>
      /^resize refused \(PodResizeInProgress, reason Error, 20 s before the kill\): attempting to set pod memory limit .*below current usage.*; the old limit stays in force$/.test(
        e,
      ),
    ),
    worker.evidence.join('\n'),
  );
  assert.equal(a.pods.find((p) => p.name === api.pod)!.containers[0]!.limitBytes, 768 * MI, 'the panel line too');
});

void test('pod-level-limit: a container without its own limit ran under the pod limit: pod-limit, limitBytes = the pod limit', async (t) => {
  const h = await harness({ scenario: 'pod-level-limit' });
  t.after(() => h.close());
  const a = value(await h.pollTimes(5));
  const k = a.ooms[0]!;
  assert.equal(k.container, 'api');
  assert.equal(k.class, 'pod-limit');
  assert.equal(k.limitBytes, 1024 * MI);
  assert.ok(k.evidence.some((e) => /pod-level limit 1Gi \(spec.resources\) was the one hit/.test(e)));
  const series = a.series.find((s) => s.scope === `pod:shop/${k.pod}`);
  if (series) assert.equal(series.limitBytes, 1024 * MI, 'the pod line is the pod limit, not a sum');
});

void test('drain-exit-143: OOMKilled with exit 143 is not an OOM kill of that run and never a limit kill', async (t) => {
  const h = await harness({ scenario: 'drain-exit-143' });
  t.after(() => h.close());
  const a = value(await h.pollTimes(5));
  assert.equal(a.ooms.length, 1);
  const k = a.ooms[0]!;
  assert.equal(k.class, 'unknown');
  assert.ok(
    k.evidence.some((e) =>
      /^exit code 143: the container ended on SIGTERM .*OOMKilled is carried over from a child process .*PR #140718/.test(
        e,
      ),
    ),
    k.evidence.join('\n'),
  );
});

void test('configz with reservations: kube-/system-reserved, eviction, kubepods limit, swap, single-process OOM kill, MemoryQoS', async (t) => {
  const h = await harness({ scenario: 'configz-reserved' });
  t.after(() => h.close());
  const a = value(await h.poll());
  assert.equal(a.sources.configz, 'ok');
  const cap = 8148092 * 1024;
  assert.deepEqual(toAnalyzeNodeJson(a).node?.kubelet, {
    source: 'configz',
    kubeReservedMemoryBytes: 512 * MI,
    systemReservedMemoryBytes: 256 * MI,
    evictionHardMemoryAvailable: '200Mi',
    kubepodsLimitBytes: cap - 768 * MI,
    singleProcessOOMKill: true,
    swapBehavior: 'LimitedSwap',
    memoryQoS: true,
  });
  assert.equal(a.kubelet.failSwapOn, false);
  assert.equal(a.kubelet.memoryThrottlingFactor, 0.9);
});

void test('configz without reservations: a node-allocatable OOM is said to be in effect a system OOM', async (t) => {
  const h = await harness({ scenario: 'sidecar-oom' });
  t.after(() => h.close());
  const a = value(await h.pollTimes(5));
  assert.equal(a.kubelet.kubeReservedMemoryBytes, 0);
  assert.equal(a.kubelet.systemReservedMemoryBytes, 0);
  assert.equal(a.kubelet.kubepodsLimitBytes, 8148092 * 1024, 'kubepods could take the whole node');
  const k = { ...a.ooms[0]!, class: 'node-allocatable' as const };
  assert.deepEqual(withKubeletWords(k, a.kubelet).evidence.slice(-1), [NO_RESERVED_WORDS]);
  assert.equal(withKubeletWords(withKubeletWords(k, a.kubelet), a.kubelet).evidence.length, k.evidence.length + 1);
  assert.ok(!withKubeletWords(a.ooms[0]!, a.kubelet).evidence.includes(NO_RESERVED_WORDS), 'a limit kill is not');
});

void test('configz faults: 403, 404, truncated, slow each give one sentence, no hang, and everything else still works', async (t) => {
  const h = await harness({ scenario: 'sidecar-oom', requestTimeoutMs: 1500 });
  t.after(() => h.close());
  for (let i = 0; i < 5; i++) h.server.step();
  const expect: [string, RegExp][] = [
    [
      '403',
      /^forbidden: Forbidden: reading the kubelet configuration needs `get` on `nodes\/proxy`; verdicts go without/,
    ],
    ['404', /^unavailable: The kubelet of node demo-worker-1 does not serve \/configz; verdicts go without/],
    ['truncate', /^error: The API server sent invalid JSON while reading the kubelet configuration/],
    ['slow', /^error: Timed out after 1500 ms while reading the kubelet configuration/],
  ];
  for (const [kind, re] of expect) {
    h.server.setFaults([{ path: CONFIGZ, kind: kind as '403', delayMs: 5000 }]);
    const started = Date.now();
    const a = value(await analyzeNodeOnce(h.access, NODE, { backfillHours: 0.01 }));
    assert.ok(Date.now() - started < 6000, `${kind} took ${Date.now() - started} ms`);
    assert.match(a.sources.configz, re, kind);
    assert.equal(a.kubelet.source, null);
    assert.equal(toAnalyzeNodeJson(a).node?.kubelet.kubeReservedMemoryBytes, null);
    for (const s of ['node', 'pods', 'events', 'summary', 'cadvisor'] as const) assert.equal(a.sources[s], 'ok', kind);
    assert.equal(a.ooms[0]?.containerType, 'sidecar', `${kind}: the kill is still judged`);
    const text = formatAnalyzeNodeText(a);
    assert.equal(text.split('\n').filter((l) => l.startsWith('  configz: ')).length, 1, text);
  }
});

void test('psi-conditions: SystemMemoryContentionPressure and KubepodsMemoryContentionPressure beside MemoryPressure, in words', async (t) => {
  const h = await harness({ scenario: 'psi-conditions' });
  t.after(() => h.close());
  const calm = value(await h.poll());
  assert.equal(calm.node?.kubepodsMemoryContentionPressure?.status, 'False');
  assert.equal(calm.node?.systemMemoryContentionPressure?.status, 'False');
  assert.ok(!calm.pressure.scope.some((w) => /Kubepods/.test(w)));
  const a = value(await h.pollTimes(4));
  assert.equal(a.node?.kubepodsMemoryContentionPressure?.status, 'True');
  assert.equal(a.kubelet.psiNodeCondition, true);
  assert.ok(a.pressure.scope.some((w) => /^KubepodsMemoryContentionPressure: .*node-allocatable pressure/.test(w)));
  assert.ok(!a.pressure.scope.some((w) => /self-inflicted/.test(w)), 'the node is not quiet');
  const j = toAnalyzeNodeJson(a);
  assert.equal(j.node?.kubepodsMemoryContentionPressure?.status, 'True');
  assert.match(
    formatAnalyzeNodeText(a),
    /PSI node conditions: SystemMemoryContentionPressure False, KubepodsMemoryContentionPressure True/,
  );
});
