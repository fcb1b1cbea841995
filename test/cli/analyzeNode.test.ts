import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './support';
import { startApiServer, type ApiServer, type ApiServerOptions } from '../../src/demo/apiServer';

async function server(
  t: { after: (fn: () => Promise<void> | void) => void },
  opts: Omit<ApiServerOptions, 'dir'>,
): Promise<ApiServer> {
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-cli-node-'));
  const s = await startApiServer({ startTime: Date.parse('2026-11-27T17:00:00Z'), ...opts, dir });
  t.after(async () => {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return s;
}

const noToken = (s: ApiServer, ...texts: string[]): void => {
  for (const x of texts) assert.ok(!x.includes(s.token), 'the bearer token never appears in output');
};

void test('analyze-node --format json: exactly the docs/cli.md shape; the system OOM, its class, QoS and evidence', async (t) => {
  const s = await server(t, { scenario: 'thrash-then-system-oom', autoStep: false });
  for (let i = 0; i < 25; i++) s.step();
  const r = await runCli(['analyze-node', 'demo-worker-1', '--kubeconfig', s.kubeconfigPath, '--format', 'json']);
  assert.equal(r.code, 1, `a kill was found, so exit 1 (as analyze-log and lint): ${r.stderr}`);
  assert.equal(r.stderr, '');
  noToken(s, r.stdout, r.stderr);
  const j = JSON.parse(r.stdout) as Record<string, unknown> & {
    node: Record<string, unknown>;
    sources: Record<string, string>;
    pressure: {
      node: { some: Record<string, number>; full: Record<string, number> };
      pods: Record<string, unknown>[];
      scope: string[];
    };
    phases: Record<string, unknown>[];
    ooms: Record<string, unknown>[];
    evictions: unknown[];
  };
  assert.deepEqual(Object.keys(j), [
    'version',
    'context',
    'node',
    'sources',
    'pressure',
    'phases',
    'ooms',
    'evictions',
    'swap',
    'containers',
  ]);
  assert.equal(j.version, 1);
  assert.equal(j.context, 'oomscope-thrash-then-system-oom');
  assert.deepEqual(j.node, {
    name: 'demo-worker-1',
    capacityBytes: 8343646208,
    allocatableBytes: 8136028160,
    memoryPressure: { status: 'False', since: '2026-11-27T17:04:00.000Z' },
    systemMemoryContentionPressure: null,
    kubepodsMemoryContentionPressure: null,
    // The demo kubelet's configz: kubeadm defaults, no reservations (src/demo/scenarios.ts DEFAULT_KUBELET_CONFIG).
    kubelet: {
      source: 'configz',
      kubeReservedMemoryBytes: 0,
      systemReservedMemoryBytes: 0,
      evictionHardMemoryAvailable: '100Mi',
      kubepodsLimitBytes: 8343646208,
      singleProcessOOMKill: false,
      swapBehavior: null,
      memoryQoS: null,
    },
    budget: {
      capacityBytes: 8343646208,
      systemReservedBytes: 0,
      kubeReservedBytes: 0,
      evictionHardBytes: 100 * 1024 * 1024,
      allocatableBytes: 8136028160,
      kubepodsLimitBytes: 8343646208,
      workingSetBytes: (j.node.budget as { workingSetBytes: number }).workingSetBytes,
    },
  });
  assert.ok((j.node.budget as { workingSetBytes: number }).workingSetBytes > 0);
  assert.deepEqual(j.sources, {
    pods: 'ok',
    events: 'ok',
    summary: 'ok',
    cadvisor: 'ok',
    metrics: 'ok',
    prometheus: 'ok',
    configz: 'ok',
  });
  assert.deepEqual(Object.keys(j.pressure.node.some), ['avg10', 'avg60', 'avg300']);
  assert.deepEqual(Object.keys(j.pressure.pods[0]!), ['namespace', 'name', 'some', 'full']);
  assert.ok(Array.isArray(j.pressure.scope));
  assert.equal(j.ooms.length, 1);
  const k = j.ooms[0]!;
  assert.deepEqual(Object.keys(k), [
    'namespace',
    'pod',
    'container',
    'containerType',
    'limitBytes',
    'time',
    'class',
    'qosClass',
    'precededBy',
    'evidence',
    'processes',
  ]);
  assert.deepEqual(k.processes, [{ pid: 31337, comm: 'report-gen' }]);
  assert.equal(k.time, '2026-11-27T17:03:30.000Z');
  assert.equal(k.class, 'system');
  assert.equal(k.qosClass, 'BestEffort');
  assert.equal(k.precededBy, 'thrashing', 'judged on the Prometheus history before the first poll');
  assert.ok((k.evidence as string[]).some((e) => e.startsWith('event SystemOOM')));
  assert.ok(j.phases.some((p) => p.scope === 'node' && p.phase === 'thrashing' && typeof p.start === 'string'));
  assert.deepEqual(j.evictions, []);
});

void test('analyze-node text: three lines of situation, each kill with its verdict, then what missing sources would add', async (t) => {
  const s = await server(t, { scenario: 'rbac-no-proxy', autoStep: false });
  for (let i = 0; i < 22; i++) s.step();
  const r = await runCli(['analyze-node', 'demo-worker-1', '--kubeconfig', s.kubeconfigPath]);
  assert.equal(r.code, 1, r.stderr);
  noToken(s, r.stdout, r.stderr);
  const lines = r.stdout.split('\n');
  assert.equal(lines[0], 'Node demo-worker-1 · context oomscope-rbac-no-proxy · kubelet v1.34.2');
  assert.match(
    lines[1]!,
    /^Memory: capacity 7\.8Gi, allocatable 7\.6Gi, working set \?; MemoryPressure True since 2026-11-27 17:02:30Z \(KubeletHasInsufficientMemory\)$/,
  );
  assert.equal(lines[2], 'PSI: not available (see below)');
  assert.match(
    r.stdout,
    /OOM-KILLED {2}batch\/report-generator-29150420-7xk2q\/report-gen {2}\[BestEffort\]\n {4}system: the node ran out of memory; it was the victim, chosen by oom_score_adj 1000\n {4}no PSI around the kill: cannot tell whether thrashing came first/,
  );
  assert.match(
    r.stdout,
    /summary: Forbidden: reading PSI needs `get` on `nodes\/proxy`; showing events and pod status only\./,
  );
  assert.match(
    r.stdout,
    /What the missing sources would add:\n {2}- PSI \(memory stall over time, thrashing phases, "thrashing before the kill"\): grant `get` on `nodes\/proxy`/,
  );
});

void test('analyze-node --watch polls until the duration is over and reports kills seen along the way', async (t) => {
  const s = await server(t, { scenario: 'container-limit-crashloop', autoStep: true });
  const r = await runCli(
    [
      'analyze-node',
      'demo-worker-1',
      '--kubeconfig',
      s.kubeconfigPath,
      '--watch',
      '4s',
      '--interval',
      '0.1s',
      '--format',
      'json',
    ],
    { timeoutMs: 30000 },
  );
  assert.equal(r.code, 1, r.stderr);
  noToken(s, r.stdout, r.stderr);
  const j = JSON.parse(r.stdout) as { ooms: { class: string; precededBy: string | null }[]; phases: unknown[] };
  assert.ok(s.stepIndex >= 6, `polled ${s.stepIndex} times`);
  assert.ok(j.ooms.length >= 1);
  assert.ok(j.ooms.every((k) => k.class === 'container-limit'));
  assert.ok(j.phases.length >= 1);
});

void test('analyze-node: no reachable API server exits 2 with one line; usage errors exit 2', async (t) => {
  const s = await server(t, { scenario: 'quiet' });
  const kubeconfig = s.kubeconfigPath;
  await s.close();
  const down = await runCli(['analyze-node', 'demo-worker-1', '--kubeconfig', kubeconfig]);
  assert.equal(down.code, 2);
  assert.equal(down.stdout, '');
  assert.match(
    down.stderr,
    /^oomscope analyze-node: Cannot reach the API server at https:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\); check that the cluster is running and that context oomscope-quiet is the right one\.\n$/,
  );
  noToken(s, down.stdout, down.stderr);

  const missing = await runCli(['analyze-node', '--kubeconfig', kubeconfig]);
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr, "oomscope analyze-node: missing NODE; list them with 'kubectl get nodes'\n");
  const badWatch = await runCli(['analyze-node', 'n', '--watch', 'soon']);
  assert.equal(badWatch.code, 2);
  assert.equal(badWatch.stderr, "oomscope analyze-node: invalid --watch 'soon'; use e.g. 30s, 5m or 1h\n");
  const ctx = await runCli(['analyze-node', 'n', '--kubeconfig', kubeconfig, '--context', 'prod']);
  assert.equal(ctx.code, 2);
  assert.equal(
    ctx.stderr,
    'oomscope analyze-node: Context prod is not in the kubeconfig; choose one of: oomscope-quiet, oomscope-quiet-other.\n',
  );
  const help = await runCli(['analyze-node', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: oomscope analyze-node NODE \[options\]/);
});

void test('analyze-node: KUBECONFIG and --context pick the cluster; a failing source never fails the command', async (t) => {
  const s = await server(t, {
    scenario: 'pre-1.33',
    faults: [
      { path: '/apis/metrics.k8s.io/v1beta1/nodes/demo-worker-1', kind: '500' },
      { path: '/api/v1/events', kind: 'truncate' },
    ],
  });
  const r = await runCli(
    ['analyze-node', 'demo-worker-1', '--context', 'oomscope-pre-1.33-other', '--format', 'json'],
    { env: { KUBECONFIG: s.kubeconfigPath } },
  );
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as {
    context: string;
    sources: Record<string, string>;
    ooms: unknown[];
    evictions: unknown[];
  };
  assert.equal(
    r.code,
    j.ooms.length + j.evictions.length > 0 ? 1 : 0,
    'exit 1 exactly when kills or evictions were found',
  );
  assert.equal(j.context, 'oomscope-pre-1.33-other');
  assert.match(
    j.sources.metrics!,
    /^error: The API server failed while reading metrics\.k8s\.io for node demo-worker-1 \(HTTP 500\)/,
  );
  assert.match(
    j.sources.events!,
    /^error: The API server sent invalid JSON while listing the events of node demo-worker-1/,
  );
  assert.equal(j.sources.pods, 'ok');
  noToken(s, r.stdout, r.stderr);
});
