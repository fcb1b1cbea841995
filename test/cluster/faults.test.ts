import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { harness, value } from './helpers';
import { analyzeNodeOnce, listContexts, listNodes, loadKubeConfig, type SourceName } from '../../src/cluster/index';
import { formatAnalyzeNodeText, toAnalyzeNodeJson } from '../../src/cli/analyzeNodeOutput';
import type { Fault } from '../../src/demo/apiServer';

const NODE = 'demo-worker-1';
const PATHS: [SourceName, string][] = [
  ['summary', `/api/v1/nodes/${NODE}/proxy/stats/summary`],
  ['cadvisor', `/api/v1/nodes/${NODE}/proxy/metrics/cadvisor`],
  ['events', '/api/v1/events'],
  ['pods', '/api/v1/pods'],
  ['metrics', `/apis/metrics.k8s.io/v1beta1/nodes/${NODE}`],
  ['prometheus', '/api/v1/services'],
  ['node', `/api/v1/nodes/${NODE}`],
  ['configz', `/api/v1/nodes/${NODE}/proxy/configz`],
];
const KINDS: Fault['kind'][] = ['403', '500', 'slow', 'drop', 'truncate'];

/** The sentence a fault must produce (what the user should do). */
const EXPECT: Record<Fault['kind'], RegExp> = {
  '403': /^forbidden: Forbidden: .* needs `(get|list)` on `[a-z0-9./]+`/,
  '404': /^unavailable: /,
  '500': /^error: The API server failed while .* \(HTTP 500\); retry later/,
  slow: /^error: Timed out after 1500 ms while .*; .*raise oomscope\.cluster\.requestTimeoutMs/,
  drop: /^error: The connection to https:\/\/127\.0\.0\.1:\d+ was dropped while .*; retry/,
  truncate: /^error: The API server sent invalid JSON while .* \(truncated or corrupted\); retry/,
};

void test('every source failing on its own, with every fault: no hang, no crash, the other sources still show, the sentence says what to do', async (t) => {
  const h = await harness({ scenario: 'thrash-then-system-oom', requestTimeoutMs: 1500 });
  t.after(() => h.close());
  const outputs: string[] = [];
  for (const [source, path] of PATHS) {
    for (const kind of KINDS) {
      if (source === 'cadvisor' && kind === 'truncate') continue; // text, not JSON: a cut exposition is still parseable
      h.server.setFaults([{ path, kind, delayMs: 5000 }]);
      const started = Date.now();
      const r = await analyzeNodeOnce(h.access, NODE, { backfillHours: 0.01 });
      assert.ok(Date.now() - started < 6000, `${source}/${kind} took ${Date.now() - started} ms`);
      const a = value(r);
      outputs.push(JSON.stringify(a), formatAnalyzeNodeText(a), JSON.stringify(toAnalyzeNodeJson(a)));
      const state = a.sources[source];
      assert.match(state, EXPECT[kind], `${source}/${kind}: ${state}`);
      for (const [other] of PATHS) {
        if (other === source) continue;
        if (source === 'summary' && other === 'prometheus') continue; // backfill anchors on the first sample
        assert.equal(a.sources[other], 'ok', `${source}/${kind} broke ${other}: ${a.sources[other]}`);
      }
      if (source !== 'events' && source !== 'pods') assert.equal(a.pods.length, 5);
      if (source === 'node') assert.equal(a.node, null);
      else assert.equal(a.node?.name, NODE);
      if (source === 'summary') {
        assert.ok(
          a.series.some((s) => s.scope.startsWith('pod:') && s.memory.length > 0),
          'cAdvisor still gives working sets',
        );
      }
    }
  }
  h.server.setFaults([]);
  for (const o of outputs) assert.ok(!o.includes(h.server.token), 'the token never appears in any output');
});

void test('cAdvisor metrics alone (Summary API failing) still give pod PSI from the counters across polls', async (t) => {
  const h = await harness({
    scenario: 'thrash-then-system-oom',
    faults: [{ path: `/api/v1/nodes/${NODE}/proxy/stats/summary`, kind: '500' }],
  });
  t.after(() => h.close());
  const a = value(await h.pollTimes(16));
  const pod = a.series.find((s) => s.scope === 'pod:batch/report-generator-29150420-7xk2q')!;
  assert.ok(pod.stall.length >= 15);
  assert.ok(
    pod.stall.some((p) => p.exact && p.somePercent > 40),
    'Δcounter/Δt during thrashing',
  );
  assert.ok(a.phases.some((p) => p.scope === 'pod:batch/report-generator-29150420-7xk2q' && p.phase === 'thrashing'));
});

void test('a server that is down: one sentence, kind unreachable, quickly', async (t) => {
  const h = await harness({ scenario: 'quiet' });
  t.after(() => h.close());
  await h.server.close();
  const r = await analyzeNodeOnce(h.access, NODE);
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.equal(r.error.kind, 'unreachable');
  assert.match(
    r.error.message,
    /^Cannot reach the API server at https:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\); check that the cluster is running and that context oomscope-quiet is the right one\.$/,
  );
  const nodes = await listNodes(h.access);
  assert.equal(nodes.ok, false);
});

void test('a slow API server: every request times out, the analysis fails in about one timeout, not one per request', async (t) => {
  const h = await harness({
    scenario: 'quiet',
    requestTimeoutMs: 300,
    faults: [{ path: '/*', kind: 'slow', delayMs: 10000 }],
  });
  t.after(() => h.close());
  const started = Date.now();
  const r = await analyzeNodeOnce(h.access, NODE);
  assert.ok(Date.now() - started < 2000, `${Date.now() - started} ms`);
  assert.equal(r.ok, false);
  if (!r.ok) assert.match(r.error.message, /^Timed out after 300 ms while reading node demo-worker-1;/);
});

void test('rejected credentials (401): the sentence names the context and never the token', async (t) => {
  const h = await harness({ scenario: 'quiet' });
  t.after(() => h.close());
  const bad = join(h.dir, 'bad-kubeconfig');
  writeFileSync(bad, readFileSync(h.server.kubeconfigPath, 'utf8').replace(h.server.token, 'not-the-token'));
  const acc = value(loadKubeConfig({ kubeconfigPath: bad }));
  const r = await analyzeNodeOnce(acc, NODE);
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.equal(r.error.kind, 'unauthorized');
  assert.equal(
    r.error.message,
    'Unauthorized: the credentials of context oomscope-quiet were rejected; refresh them (e.g. re-login) and retry.',
  );
  assert.ok(!r.error.message.includes('not-the-token'));
});

void test('an unknown node: not-found with what to do', async (t) => {
  const h = await harness({ scenario: 'quiet' });
  t.after(() => h.close());
  const r = await analyzeNodeOnce(h.access, 'no-such-node');
  assert.equal(r.ok, false);
  if (!r.ok)
    assert.equal(
      r.error.message,
      'Node no-such-node does not exist in context oomscope-quiet; list the nodes with `kubectl get nodes`.',
    );
});

void test('kubeconfig problems are one sentence and never quote the file', async (t) => {
  const h = await harness({ scenario: 'quiet' });
  t.after(() => h.close());
  const missing = loadKubeConfig({ kubeconfigPath: join(h.dir, 'nope') });
  assert.equal(missing.ok, false);
  if (!missing.ok)
    assert.match(
      missing.error.message,
      /^The kubeconfig .*nope does not exist; fix it or set oomscope\.kubeconfig \/ --kubeconfig to another file\.$/,
    );
  const broken = join(h.dir, 'broken');
  writeFileSync(broken, `${readFileSync(h.server.kubeconfigPath, 'utf8')}\n  : [unbalanced ${h.server.token}`);
  const b = loadKubeConfig({ kubeconfigPath: broken });
  assert.equal(b.ok, false);
  if (!b.ok) {
    assert.match(b.error.message, /is not a valid kubeconfig/);
    assert.ok(!b.error.message.includes(h.server.token));
  }
  const ctx = loadKubeConfig({ kubeconfigPath: h.server.kubeconfigPath, context: 'prod' });
  assert.equal(ctx.ok, false);
  if (!ctx.ok)
    assert.equal(
      ctx.error.message,
      'Context prod is not in the kubeconfig; choose one of: oomscope-quiet, oomscope-quiet-other.',
    );
  assert.deepEqual(value(listContexts({ kubeconfigPath: h.server.kubeconfigPath })), [
    { name: 'oomscope-quiet', cluster: 'oomscope-quiet', user: 'oomscope-tester', namespace: 'default', current: true },
    {
      name: 'oomscope-quiet-other',
      cluster: 'oomscope-quiet',
      user: 'oomscope-tester',
      namespace: null,
      current: false,
    },
  ]);
  const other = value(loadKubeConfig({ kubeconfigPath: h.server.kubeconfigPath, context: 'oomscope-quiet-other' }));
  assert.equal(other.context, 'oomscope-quiet-other');
  assert.ok(value(await analyzeNodeOnce(other, NODE)).node);
});

void test('listing 1,000 nodes pages through limit/continue and sorts by name', async (t) => {
  const h = await harness({ scenario: 'scale', scale: { pods: 10, events: 0, nodes: 1000 } });
  t.after(() => h.close());
  const before = h.server.requests.total;
  const nodes = value(await listNodes(h.access));
  assert.equal(nodes.length, 1000);
  assert.equal(h.server.requests.total - before, 2, 'two pages of 500');
  assert.deepEqual(
    nodes.map((n) => n.name),
    [...nodes.map((n) => n.name)].sort((a, b) => a.localeCompare(b)),
  );
  const demo = nodes.find((n) => n.name === NODE)!;
  assert.deepEqual(demo, {
    name: NODE,
    memoryPressure: 'False',
    systemMemoryContentionPressure: null,
    kubepodsMemoryContentionPressure: null,
    capacityBytes: 8148092 * 1024,
    allocatableBytes: 8136028160,
    ready: true,
    kubeletVersion: 'v1.34.2',
  });
});

void test('an exec credential plugin that fails: one sentence, nothing of what the plugin printed', async (t) => {
  const h = await harness({ scenario: 'quiet' });
  t.after(() => h.close());
  const text = readFileSync(h.server.kubeconfigPath, 'utf8').replace(
    `    token: ${h.server.token}`,
    [
      '    exec:',
      '      apiVersion: client.authentication.k8s.io/v1',
      '      command: sh',
      '      args: ["-c", "echo leaked-secret-abc >&2; echo leaked-secret-abc; exit 1"]',
      '      interactiveMode: Never',
    ].join('\n'),
  );
  const path = join(h.dir, 'exec-kubeconfig');
  writeFileSync(path, text);
  const acc = value(loadKubeConfig({ kubeconfigPath: path }));
  const r = await analyzeNodeOnce(acc, NODE);
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.equal(r.error.kind, 'unauthorized');
  assert.equal(
    r.error.message,
    "Could not get credentials for context oomscope-quiet: the exec credential plugin `sh` exited with code 1; run the plugin's login and retry.",
  );
  assert.ok(!JSON.stringify(r).includes('leaked-secret-abc'));
});
