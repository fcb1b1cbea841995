// "Read Kernel Log from Node…" against the loopback HTTPS API server: one short-lived pod, its log (a real kernel
// log fixture) joined into the kills, and the pod deleted always (success, cancel, failure, deadline).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, value } from './helpers';
import { readNodeKernelLog, type NodeDebugOptions } from '../../src/cluster/access/nodeDebugPod';
import { readKernelReportsWithConsent } from '../../src/cluster/analysis/nodeKernelLog';

const OPTS: NodeDebugOptions = { image: 'busybox:1.37', namespace: 'default', timeoutMs: 5000, pollMs: 20 };
const deletes = (reqs: string[]): string[] => reqs.filter((r) => r.startsWith('DELETE '));
/** One sentence: no full stop followed by another sentence. */
const oneSentence = (s: string): boolean => !/[.;:]\s+[A-Z][a-z]+ /.test(s.replace(/`[^`]*`/g, '')) && s.endsWith('.');

void test('create → Running → log (real fixture) → delete: the kill gains the task table, memcg usage and the group members', async (t) => {
  const h = await harness({ scenario: 'thrash-then-system-oom', initialStep: 22 });
  t.after(() => h.close());
  const before = value(await h.poll());
  const kill = before.ooms.find((k) => k.container === 'report-gen');
  assert.ok(kill, 'the API side sees the report-gen kill');
  assert.ok(!kill.evidence.some((e) => e.startsWith('kernel log')));
  let asked = '';
  const r = await readKernelReportsWithConsent(h.access, h.server.node, OPTS, (title, detail) => {
    asked = `${title}\n${detail}`;
    return Promise.resolve(true);
  });
  assert.notEqual(r, 'declined');
  const read = value(r as Exclude<typeof r, 'declined'>);
  for (const w of [
    'demo-worker-1',
    'namespace default',
    'busybox:1.37',
    'SYSLOG',
    'activeDeadlineSeconds 5',
    'not privileged',
  ])
    assert.ok(asked.includes(w), `the confirmation names ${w}: ${asked}`);
  assert.equal(read.cleanup, null);
  assert.deepEqual(h.server.debugPods.created, [read.podName]);
  assert.equal(deletes(h.server.debugPods.requests).length, 1, 'exactly one DELETE');
  assert.deepEqual(h.server.debugPods.deleted, [read.podName]);
  assert.equal(read.reports.length, 1);

  h.state.kernelReports = read.reports;
  const after = value(await h.poll());
  const joined = after.ooms.find((k) => k.container === 'report-gen')!;
  assert.equal(after.ooms.length, before.ooms.length, 'the report joins the kill, it does not add one');
  assert.equal(joined.class, kill.class);
  assert.ok(
    joined.evidence.includes('kernel log (read from the node): memory usage 7.1Gi of limit 7.1Gi in /kubepods.slice'),
    joined.evidence.join('\n'),
  );
  assert.ok(
    joined.evidence.some((e) =>
      /^kernel log: group kill \(memory\.oom\.group\) of .*pod6b1f0003.*: 5 processes killed: bash \(7788\), nginx \(7620\)/.test(
        e,
      ),
    ),
    joined.evidence.join('\n'),
  );
  assert.ok(joined.evidence.some((e) => /^kernel log: largest of \d+ tasks: bash \(7788\) rss/.test(e)));
  assert.equal(joined.kernel?.memcgLimitBytes, 7464436 * 1024);
  assert.ok((joined.kernel?.tasks?.length ?? 0) > 20);
  assert.equal(joined.kernel?.groupMembers?.length, 5);
});

void test('declined → no request at all', async (t) => {
  const h = await harness({ scenario: 'thrash-then-system-oom', initialStep: 22 });
  t.after(() => h.close());
  const total = h.server.requests.total;
  const r = await readKernelReportsWithConsent(h.access, h.server.node, OPTS, () => Promise.resolve(false));
  assert.equal(r, 'declined');
  assert.equal(h.server.requests.total, total);
  assert.deepEqual(h.server.debugPods.requests, []);
});

void test('cancel while the pod runs → the DELETE is still sent', async (t) => {
  const h = await harness({ scenario: 'thrash-then-system-oom', initialStep: 22 });
  t.after(() => h.close());
  h.server.debugPods.neverFinish = true;
  const ac = new AbortController();
  let gets = 0;
  h.server.debugPods.onRequest = (line) => {
    if (/^GET .*\/pods\/oomscope-[^/]+$/.test(line) && ++gets === 3) ac.abort();
  };
  const r = await readNodeKernelLog(h.access, h.server.node, { ...OPTS, timeoutMs: 60_000, signal: ac.signal });
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.match(
    r.error.message,
    /^Stopped while reading the kernel log of node demo-worker-1 \(pod oomscope-kernel-log-[0-9a-f]+ deleted\)\.$/,
  );
  assert.equal(deletes(h.server.debugPods.requests).length, 1);
  assert.equal(h.server.debugPods.deleted.length, 1);
});

void test('forbidden create → one sentence naming `create pods` in namespace N, no DELETE', async (t) => {
  const h = await harness({ scenario: 'thrash-then-system-oom', initialStep: 22 });
  t.after(() => h.close());
  h.server.setFaults([{ path: '/api/v1/namespaces/default/pods', method: 'POST', kind: '403' }]);
  const r = await readNodeKernelLog(h.access, h.server.node, OPTS);
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.equal(r.error.kind, 'forbidden');
  assert.match(r.error.message, /needs `create pods` in namespace default/);
  assert.ok(oneSentence(r.error.message), r.error.message);
  assert.deepEqual(deletes(h.server.debugPods.requests), []);
});

void test('forbidden log → the sentence names `get pods/log` and the pod is still deleted', async (t) => {
  const h = await harness({ scenario: 'thrash-then-system-oom', initialStep: 22 });
  t.after(() => h.close());
  h.server.setFaults([{ path: '/api/v1/namespaces/default/pods/*/log', kind: '403' }]);
  const r = await readNodeKernelLog(h.access, h.server.node, OPTS);
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.equal(r.error.kind, 'forbidden');
  assert.match(
    r.error.message,
    /needs `get pods\/log` in namespace default; .* \(pod oomscope-kernel-log-[0-9a-f]+ deleted\)\.$/,
  );
  assert.ok(oneSentence(r.error.message), r.error.message);
  assert.equal(deletes(h.server.debugPods.requests).length, 1);
  assert.equal(h.server.debugPods.deleted.length, 1);
});

void test('deadline exceeded (the pod never finishes) → deleted, one sentence', async (t) => {
  const h = await harness({ scenario: 'thrash-then-system-oom', initialStep: 22 });
  t.after(() => h.close());
  h.server.debugPods.neverFinish = true;
  const r = await readNodeKernelLog(h.access, h.server.node, { ...OPTS, timeoutMs: 1000 });
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.equal(r.error.kind, 'timeout');
  assert.match(
    r.error.message,
    /^Pod oomscope-kernel-log-[0-9a-f]+ did not finish within 1 s .*oomscope\.nodeDebug\.image.* \(pod oomscope-kernel-log-[0-9a-f]+ deleted\)\.$/,
  );
  assert.ok(oneSentence(r.error.message), r.error.message);
  assert.equal(h.server.debugPods.deleted.length, 1);
});
