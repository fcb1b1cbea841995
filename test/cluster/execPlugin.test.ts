/**
 * Exec credential plugins against the loopback API server, in process: one run per poll (or per
 * expiry), shared by concurrent requests; a hanging plugin is bounded by the request timeout and
 * killed with its children on timeout and on cancel; its output never reaches a sentence.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  execKubeconfig,
  harness,
  killPids,
  pluginScript,
  processesWithArgv,
  uniqueSleepSeconds,
  value,
  waitUntil,
} from './helpers';
import { analyzeNodeOnce, createNodePoller, loadKubeConfig } from '../../src/cluster/index';
import { NodeState, pollNode } from '../../src/cluster/analysis/nodePoll';

const NODE = 'demo-worker-1';
const runsIn = (file: string): number =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0;

/** A plugin that appends a line to `runs` on every run and prints a credential (with `expiry` when given). */
function countingPlugin(dir: string, token: string, expiry?: string): { command: string; runs: string } {
  const runs = join(dir, `runs-${Math.random().toString(36).slice(2)}`);
  const status = JSON.stringify({ token, ...(expiry ? { expirationTimestamp: expiry } : {}) });
  const command = pluginScript(
    dir,
    `count-${Math.random().toString(36).slice(2)}.sh`,
    [
      `echo run >> '${runs}'`,
      `printf '%s' '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":${status}}'`,
    ].join('\n'),
  );
  return { command, runs };
}

void test('a plugin whose credential has no expirationTimestamp runs once per poll, not once per request, and the polls work', async (t) => {
  const h = await harness({ scenario: 'thrash-then-system-oom' });
  t.after(() => h.close());
  const p = countingPlugin(h.dir, h.server.token);
  const access = value(
    loadKubeConfig({
      kubeconfigPath: execKubeconfig(h.server, h.dir, 'kc-count', { command: p.command }),
      requestTimeoutMs: 5000,
    }),
  );
  const state = new NodeState();
  const before = h.server.requests.total;
  for (let i = 1; i <= 3; i++) {
    const a = value(await pollNode(access, NODE, state, {}));
    assert.equal(a.sources.pods, 'ok');
    assert.equal(a.sources.summary, 'ok');
    assert.equal(runsIn(p.runs), i, `after poll ${i}`);
  }
  assert.ok(h.server.requests.total - before >= 3 * 7, 'each poll made several requests, all with the one credential');
});

void test('a credential with an expirationTimestamp is reused until then; one already expired is used for one poll only', async (t) => {
  const h = await harness({ scenario: 'quiet' });
  t.after(() => h.close());
  const later = countingPlugin(h.dir, h.server.token, new Date(Date.now() + 3600_000).toISOString());
  const fresh = value(
    loadKubeConfig({ kubeconfigPath: execKubeconfig(h.server, h.dir, 'kc-later', { command: later.command }) }),
  );
  const s1 = new NodeState();
  for (let i = 0; i < 3; i++) assert.equal(value(await pollNode(fresh, NODE, s1, {})).sources.pods, 'ok');
  assert.equal(runsIn(later.runs), 1, 'valid for an hour: one run for three polls');

  const past = countingPlugin(h.dir, h.server.token, '2020-01-01T00:00:00Z');
  const stale = value(
    loadKubeConfig({ kubeconfigPath: execKubeconfig(h.server, h.dir, 'kc-past', { command: past.command }) }),
  );
  const s2 = new NodeState();
  for (let i = 0; i < 3; i++) value(await pollNode(stale, NODE, s2, {}));
  assert.equal(runsIn(past.runs), 3, 'expired on arrival: once per poll, never once per request');
});

void test('a credential the API server rejects (401) is not reused: the next poll runs the plugin again', async (t) => {
  const h = await harness({ scenario: 'quiet' });
  t.after(() => h.close());
  const p = countingPlugin(h.dir, 'not-the-token', new Date(Date.now() + 3600_000).toISOString());
  const access = value(
    loadKubeConfig({ kubeconfigPath: execKubeconfig(h.server, h.dir, 'kc-wrong', { command: p.command }) }),
  );
  for (let i = 0; i < 2; i++) {
    const r = await analyzeNodeOnce(access, NODE);
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.error.kind, 'unauthorized');
  }
  assert.equal(runsIn(p.runs), 2);
});

void test(
  'a hanging plugin: every source ends at the request timeout with the plugin sentence, one run, and no process left',
  { timeout: 30_000 },
  async (t) => {
    const h = await harness({ scenario: 'quiet' });
    t.after(() => h.close());
    const seconds = uniqueSleepSeconds();
    const argv = ['/bin/sleep', seconds];
    t.after(() => killPids(processesWithArgv(argv)));
    const access = value(
      loadKubeConfig({
        kubeconfigPath: execKubeconfig(h.server, h.dir, 'kc-hang', { command: '/bin/sleep', args: [seconds] }),
        requestTimeoutMs: 800,
      }),
    );
    const r = await analyzeNodeOnce(access, NODE);
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.error.kind, 'timeout');
    assert.equal(
      r.error.message,
      'The exec credential plugin `/bin/sleep` of context oomscope-quiet did not answer within 800 ms; run it by hand to check that it works (e.g. log in again), or raise oomscope.cluster.requestTimeoutMs / --request-timeout.',
    );
    await waitUntil(() => processesWithArgv(argv).length === 0, 3000, 'the plugin to be killed');
    assert.equal(h.server.requests.total, 0, 'nothing was sent without a credential');
  },
);

void test(
  'closing the panel (poller.stop) while the plugin hangs kills the plugin and the children it started',
  { timeout: 30_000 },
  async (t) => {
    const h = await harness({ scenario: 'quiet' });
    t.after(() => h.close());
    const seconds = uniqueSleepSeconds();
    const argv = ['/bin/sleep', seconds];
    t.after(() => killPids(processesWithArgv(argv)));
    // A script whose child holds its pipes: killing the script alone would leave the child running.
    const command = pluginScript(h.dir, 'hang.sh', `/bin/sleep ${seconds}\necho '{}'`);
    const access = value(
      loadKubeConfig({
        kubeconfigPath: execKubeconfig(h.server, h.dir, 'kc-hang-sh', { command }),
        requestTimeoutMs: 60_000,
      }),
    );
    const poller = createNodePoller(access, NODE, { intervalSeconds: 10 });
    const first = poller.pollNow();
    await waitUntil(() => processesWithArgv(argv).length === 1, 5000, 'the plugin to start');
    poller.stop();
    await waitUntil(() => processesWithArgv(argv).length === 0, 3000, 'the plugin and its child to be killed');
    const r = await first;
    assert.equal(r.ok, true, 'the poll in flight ends (its sources say it was stopped)');
    if (r.ok) assert.match(r.value.sources.pods, /^error: Stopped while listing the pods/);
  },
);

void test('a plugin that fails or prints garbage: one sentence naming the plugin, never its output', async (t) => {
  const h = await harness({ scenario: 'quiet' });
  t.after(() => h.close());
  const cases: [string, string[], RegExp][] = [
    [
      'sh',
      ['-c', 'echo leaked-secret-abc >&2; echo leaked-secret-abc; exit 1'],
      /the exec credential plugin `sh` exited with code 1;/,
    ],
    [
      'sh',
      ['-c', 'echo "{leaked-secret-abc"'],
      /the exec credential plugin `sh` did not print an ExecCredential \(JSON\);/,
    ],
    [
      'sh',
      ['-c', 'echo \'{"status":{"expirationTimestamp":"leaked-secret-abc"}}\''],
      /printed an ExecCredential with neither a token nor a client certificate and key;/,
    ],
    [
      '/no/such/plugin-leaked-secret-abc',
      [],
      /the exec credential plugin `\/no\/such\/plugin-leaked-secret-abc` was not found;/,
    ],
  ];
  for (const [command, args, want] of cases) {
    const access = value(
      loadKubeConfig({ kubeconfigPath: execKubeconfig(h.server, h.dir, 'kc-bad', { command, args }) }),
    );
    const r = await analyzeNodeOnce(access, NODE);
    assert.equal(r.ok, false);
    if (r.ok) continue;
    assert.equal(r.error.kind, 'unauthorized');
    assert.match(r.error.message, /^Could not get credentials for context oomscope-quiet: /);
    assert.match(r.error.message, want);
    assert.match(r.error.message, /; run the plugin's login and retry\.$/);
    if (!command.includes('leaked')) assert.ok(!JSON.stringify(r).includes('leaked-secret-abc'));
  }
});
