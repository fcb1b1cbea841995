/**
 * "No OOM kills" only when it was read: with pods and events unreadable (403, 500, truncated JSON,
 * plain http) analyze-node says "cannot tell" and exits 2; with one of them missing the headline names it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './support';
import { startApiServer, type ApiServer, type ApiServerOptions } from '../../src/demo/apiServer';

async function server(
  t: { after: (fn: () => Promise<void> | void) => void },
  opts: Omit<ApiServerOptions, 'dir'>,
): Promise<{ s: ApiServer; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-cli-coverage-'));
  const s = await startApiServer({ startTime: Date.parse('2026-11-27T17:00:00Z'), ...opts, dir });
  t.after(async () => {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { s, dir };
}

const CANNOT_TELL = 'Cannot tell whether there were OOM kills or evictions: pods and events could not be read.';

void test('every source failing (403, 500, truncated JSON): "cannot tell" with the sources\' sentences, exit 2, never "No OOM kills"', async (t) => {
  const { s } = await server(t, { scenario: 'quiet' });
  const want: Record<string, RegExp> = {
    '403':
      /pods: Forbidden: listing the pods on node demo-worker-1 needs `list` on `pods`; ask your cluster admin for that RBAC permission; events: Forbidden: listing the events of node demo-worker-1 needs `list` on `events`/,
    '500':
      /pods: The API server failed while listing the pods on node demo-worker-1 \(HTTP 500\); retry later or check the API server's health; events: The API server failed while listing the events/,
    truncate:
      /pods: The API server sent invalid JSON while listing the pods on node demo-worker-1 \(truncated or corrupted\); retry; events: The API server sent invalid JSON/,
  };
  for (const kind of ['403', '500', 'truncate'] as const) {
    s.setFaults([{ path: '/*', kind }]);
    const text = await runCli(['analyze-node', 'demo-worker-1', '--kubeconfig', s.kubeconfigPath]);
    assert.equal(text.code, 2, `${kind}: ${text.stderr}`);
    assert.ok(!text.stdout.includes('No OOM kills'), kind);
    assert.ok(text.stdout.split('\n').includes(CANNOT_TELL), `${kind}: headline\n${text.stdout}`);
    const lines = text.stderr.split('\n').filter(Boolean);
    assert.equal(lines.length, 1, text.stderr);
    assert.match(
      lines[0]!,
      /^oomscope analyze-node: cannot tell whether node demo-worker-1 had OOM kills or evictions: pods and events could not be read \(/,
    );
    assert.match(lines[0]!, want[kind]!);

    const json = await runCli(['analyze-node', 'demo-worker-1', '--kubeconfig', s.kubeconfigPath, '--format', 'json']);
    assert.equal(json.code, 2, kind);
    const j = JSON.parse(json.stdout) as { sources: Record<string, string>; ooms: unknown[] };
    assert.ok(j.sources.pods !== 'ok' && j.sources.events !== 'ok' && j.sources.node !== undefined, kind);
    assert.deepEqual(j.ooms, []);
    assert.match(json.stderr, /^oomscope analyze-node: cannot tell whether node demo-worker-1/);
  }
});

void test('a plain http server: every source says so, and the result is "cannot tell" (exit 2)', async (t) => {
  const { s, dir } = await server(t, { scenario: 'quiet' });
  const kc = join(dir, 'kc-http');
  writeFileSync(
    kc,
    readFileSync(s.kubeconfigPath, 'utf8').replace(`server: ${s.url}`, `server: ${s.url.replace('https:', 'http:')}`),
  );
  const r = await runCli(['analyze-node', 'demo-worker-1', '--kubeconfig', kc]);
  assert.equal(r.code, 2, r.stderr);
  assert.ok(r.stdout.split('\n').includes(CANNOT_TELL), r.stdout);
  assert.match(
    r.stderr,
    /pods: The server of context oomscope-quiet \(http:\/\/127\.0\.0\.1:\d+\) is plain http; use https/,
  );
});

void test('one kill source missing: the headline names it and what it would show; exit stays 0 (or 1 with kills)', async (t) => {
  const { s } = await server(t, { scenario: 'quiet', faults: [{ path: '/api/v1/events', kind: '403' }] });
  const r = await runCli(['analyze-node', 'demo-worker-1', '--kubeconfig', s.kubeconfigPath]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.ok(
    r.stdout
      .split('\n')
      .includes(
        'No OOM kills or evictions seen on this node. The events source could not be read, so node OOM events and evictions may be missing.',
      ),
    r.stdout,
  );

  const k = await server(t, {
    scenario: 'thrash-then-system-oom',
    autoStep: false,
    faults: [{ path: '/api/v1/pods', kind: '500' }],
  });
  for (let i = 0; i < 25; i++) k.s.step();
  const killed = await runCli(['analyze-node', 'demo-worker-1', '--kubeconfig', k.s.kubeconfigPath]);
  assert.equal(killed.code, 1, killed.stderr);
  assert.match(
    killed.stdout,
    /^OOM kills and evictions \(1\): The pods source could not be read, so container OOM kills \(pod status OOMKilled\) may be missing\.$/m,
  );
});
