import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { harness, value } from './helpers';
import { formatAnalyzeNodeText, toAnalyzeNodeJson } from '../../src/cli/analyzeNodeOutput';

void test('thrash-then-system-oom: the BestEffort victim of a system OOM, after thrashing, with every piece of evidence', async (t) => {
  const h = await harness({ scenario: 'thrash-then-system-oom' });
  t.after(() => h.close());
  const a = value(await h.pollTimes(26));
  assert.deepEqual(a.sources, {
    node: 'ok',
    pods: 'ok',
    events: 'ok',
    summary: 'ok',
    cadvisor: 'ok',
    metrics: 'ok',
    prometheus: 'ok',
    configz: 'ok',
  });
  assert.equal(a.ooms.length, 1);
  const k = a.ooms[0]!;
  assert.equal(k.namespace, 'batch');
  assert.equal(k.pod, 'report-generator-29150420-7xk2q');
  assert.equal(k.container, 'report-gen');
  assert.equal(k.class, 'system');
  assert.equal(k.qosClass, 'BestEffort');
  assert.equal(k.precededBy, 'thrashing');
  assert.ok(k.precedingSeconds !== null && k.precedingSeconds >= 60, `thrashed ${k.precedingSeconds}s`);
  assert.equal(k.t, h.server.now() - 5 * 10_000 + 0, 'killed at step 21');
  assert.ok(k.evidence.some((e) => e.startsWith('pod status OOMKilled (lastState, exit code 137)')));
  assert.ok(
    k.evidence.some((e) =>
      e.startsWith('event SystemOOM: System OOM encountered, victim process: report-gen, pid: 31337'),
    ),
  );
  assert.ok(k.evidence.some((e) => e.startsWith('event OOMKilling: Out of memory: Killed process 31337 (report-gen)')));
  assert.equal(k.kernel?.oomScoreAdj, 1000);
  assert.equal(k.ownerReferences[0]?.kind, 'Job');
  const thrash = a.phases.filter((p) => p.scope === 'node' && p.phase === 'thrashing');
  assert.equal(thrash.length, 1);
  assert.ok(thrash[0]!.peakFullPercent > 30);
  assert.ok(thrash[0]!.end !== null && thrash[0]!.end <= k.t! + 30_000);
  assert.equal(a.node?.memoryPressure?.status, 'False');
  assert.equal(a.node?.capacityBytes, 8148092 * 1024);
  const node = a.series.find((s) => s.scope === 'node')!;
  assert.ok(node.stall.length >= 26, 'one stall point per poll (plus Prometheus history)');
  assert.ok(
    node.stall.some((p) => p.exact && p.fullPercent !== null && p.fullPercent > 35),
    'exact Δtotal/Δt points during thrashing',
  );
  assert.ok(node.memory.length >= 26);
  assert.equal(node.allocatableBytes, 8136028160);
  assert.ok(
    a.series.some(
      (s) =>
        s.scope === 'pod:shop/api-7d9f8c6b5-x2k4p' &&
        s.limitBytes === 512 * 2 ** 20 &&
        s.requestBytes === 256 * 2 ** 20,
    ),
  );
  assert.equal(a.pods.length, 5);
  assert.deepEqual(a.notes, []);

  const json = toAnalyzeNodeJson(a) as { ooms: object[]; phases: { start: string }[] };
  assert.deepEqual(json.ooms[0], {
    namespace: 'batch',
    pod: 'report-generator-29150420-7xk2q',
    container: 'report-gen',
    containerType: 'container',
    limitBytes: null,
    time: new Date(k.t!).toISOString(),
    class: 'system',
    qosClass: 'BestEffort',
    precededBy: 'thrashing',
    evidence: k.evidence,
    processes: [{ pid: 31337, comm: 'report-gen' }],
  });
  const text = formatAnalyzeNodeText(a);
  assert.match(text, /OOM-KILLED {2}batch\/report-generator-29150420-7xk2q\/report-gen {2}\[BestEffort\]/);
  assert.match(text, /the node ran out of memory; it was the victim, chosen by oom_score_adj 1000/);
  assert.match(text, /thrashing for \d+m( \d+s)? before the kill/);
});

void test('thrash-then-system-oom: Prometheus backfills node PSI from before the first poll', async (t) => {
  const h = await harness({ scenario: 'thrash-then-system-oom' });
  t.after(() => h.close());
  const a = value(await h.poll({ backfillHours: 1 }));
  const node = a.series.find((s) => s.scope === 'node')!;
  assert.equal(a.sources.prometheus, 'ok');
  assert.ok(node.stall.length > 100, `history points: ${node.stall.length}`);
  assert.ok(node.stall[0]!.t <= h.server.now() - 3000_000);
  const quiet = await harness({ scenario: 'quiet' });
  t.after(() => quiet.close());
  const q = value(await quiet.poll());
  assert.match(q.sources.prometheus, /^unavailable: no Prometheus found/);
  assert.ok(q.notes.some((n) => n.includes('oomscope.prometheus.url')));
});

void test('container-limit-crashloop: every OOMKilled restart is kept (pod status shows only the last), container-limit, Burstable', async (t) => {
  const h = await harness({ scenario: 'container-limit-crashloop' });
  t.after(() => h.close());
  const a = value(await h.pollTimes(32));
  assert.equal(a.ooms.length, 6);
  for (const k of a.ooms) {
    assert.equal(k.class, 'container-limit');
    assert.equal(k.qosClass, 'Burstable');
    assert.equal(k.container, 'api');
    assert.ok(k.evidence.some((e) => e === 'no node-level OOM evidence around it'));
    assert.ok(k.precededJudged);
    assert.ok(k.precededBy === 'thrashing' || k.precededBy === 'pressure', `kill at ${k.t}: ${k.precededBy}`);
  }
  assert.equal(a.ooms.filter((k) => !k.fromHistory).length, 1, 'only the latest is still in pod status');
  assert.equal(a.pods.find((p) => p.name.startsWith('api-'))?.restarts, 6);
});

void test('eviction-memory-pressure: an eviction with its message, the node events around it, MemoryPressure True', async (t) => {
  const h = await harness({ scenario: 'eviction-memory-pressure' });
  t.after(() => h.close());
  const a = value(await h.pollTimes(14));
  assert.equal(a.ooms.length, 0, 'exit 137 / Error of an evicted pod is not an OOM kill');
  assert.equal(a.evictions.length, 1);
  const e = a.evictions[0]!;
  assert.equal(e.class, 'eviction');
  assert.equal(e.pod, 'report-generator-29150420-7xk2q');
  assert.equal(e.qosClass, 'BestEffort');
  assert.match(e.message ?? '', /The node was low on resource: memory/);
  assert.ok(e.evidence.some((x) => x.startsWith('event Evicted')));
  assert.ok(e.evidence.some((x) => x.startsWith('event EvictionThresholdMet: Attempting to reclaim memory')));
  assert.ok(e.evidence.some((x) => x.startsWith('event NodeHasInsufficientMemory')));
  assert.equal(a.node?.memoryPressure?.status, 'True');
  assert.equal(a.node?.memoryPressure?.reason, 'KubeletHasInsufficientMemory');
  assert.ok(!a.pods.find((p) => p.name === e.pod) || a.pods.find((p) => p.name === e.pod)?.reason === 'Evicted');
  assert.match(formatAnalyzeNodeText(a), /EVICTED {2}batch\/report-generator-29150420-7xk2q {2}\[BestEffort\]/);
});

void test('pre-1.33: no psi anywhere — kills still classified, "cannot tell" instead of "sudden", a note on the KubeletPSI gate', async (t) => {
  const h = await harness({ scenario: 'pre-1.33' });
  t.after(() => h.close());
  const a = value(await h.pollTimes(7));
  assert.equal(a.sources.summary, 'ok');
  assert.equal(a.pressure.node, null);
  assert.deepEqual(a.phases, []);
  assert.equal(a.ooms.length, 1);
  assert.equal(a.ooms[0]!.class, 'container-limit');
  assert.equal(a.ooms[0]!.precededJudged, false);
  assert.ok(a.notes.some((n) => n.includes('v1.31.4') && n.includes('KubeletPSI')));
  const text = formatAnalyzeNodeText(a);
  assert.match(text, /cannot tell whether thrashing came first/);
  assert.match(text, /KubeletPSI feature gate/);
  assert.ok(a.series.find((s) => s.scope === 'node')!.memory.length === 7, 'working set still plotted');
});

void test('rbac-no-proxy: 403 on nodes/proxy — the sentence names the verb and resource; events and pod status still give the verdict', async (t) => {
  const h = await harness({ scenario: 'rbac-no-proxy' });
  t.after(() => h.close());
  const a = value(await h.pollTimes(23));
  const sentence = 'Forbidden: reading PSI needs `get` on `nodes/proxy`; showing events and pod status only.';
  assert.equal(a.sources.summary, `forbidden: ${sentence}`);
  assert.equal(a.sources.cadvisor, `forbidden: ${sentence}`);
  assert.equal(a.sources.events, 'ok');
  assert.equal(a.sources.pods, 'ok');
  assert.equal(a.ooms.length, 1);
  assert.equal(a.ooms[0]!.class, 'system');
  assert.equal(a.ooms[0]!.qosClass, 'BestEffort');
  assert.equal(a.ooms[0]!.precededJudged, false);
  assert.ok(a.notes.some((n) => n.includes('`get` on `nodes/proxy`')));
  assert.match(formatAnalyzeNodeText(a), /summary: Forbidden: reading PSI needs `get` on `nodes\/proxy`/);
});

void test('kubectl get pods -A works against the test API server (skipped where kubectl is absent)', async (t) => {
  const probe = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  if (probe.error) {
    t.skip('kubectl is not installed on this machine');
    return;
  }
  const h = await harness({ scenario: 'thrash-then-system-oom' });
  t.after(() => h.close());
  const r = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const c = spawn(
      'kubectl',
      ['--kubeconfig', h.server.kubeconfigPath, 'get', 'pods', '-A', '--request-timeout=10s'],
      { env: { ...process.env, HOME: h.dir } },
    );
    let out = '';
    let err = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => c.kill('SIGKILL'), 20000);
    c.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /batch\s+report-generator-29150420-7xk2q/);
  assert.match(r.out, /shop\s+api-7d9f8c6b5-x2k4p\s+1\/1\s+Running\s+0\s+2h/);
  assert.match(r.out, /^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE/);
});

void test('the npm start demo: starting at step 18 on wall-clock time, the first poll already shows the build-up and the thrashing; the kill follows, judged on that history', async (t) => {
  const h = await harness({
    scenario: 'thrash-then-system-oom',
    initialStep: 18,
    startTime: undefined,
    autoStep: true,
  });
  t.after(() => h.close());
  const first = value(await h.poll());
  assert.ok(Math.abs(h.server.now() - Date.now()) < 60_000, 'virtual time is about wall time');
  assert.ok(
    first.phases.some((p) => p.scope === 'node' && p.phase === 'thrashing'),
    'thrashing visible from the first poll (history + first sample)',
  );
  assert.equal(first.ooms.length, 0);
  let a = first;
  for (let i = 0; i < 5 && a.ooms.length === 0; i++) a = value(await h.poll());
  assert.equal(a.ooms.length, 1);
  assert.equal(a.ooms[0]!.precededBy, 'thrashing');
  assert.equal(a.ooms[0]!.class, 'system');
});
