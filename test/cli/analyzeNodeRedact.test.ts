/**
 * Credentials inside URLs (user:password@, ?token=) in a kubeconfig `server:` or in --prometheus
 * never reach stdout, stderr or the JSON; the URLs still work (Prometheus gets Basic auth and its query).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './support';
import { startApiServer, type ApiServer } from '../../src/demo/apiServer';

const SECRETS = ['KCSECRETPW', 'KCQUERYSECRET', 'PROMSECRETPW', 'PROMQUERYSECRET', 'kcadmin', 'promadmin'];

async function server(t: { after: (fn: () => Promise<void> | void) => void }): Promise<{ s: ApiServer; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-cli-redact-'));
  const s = await startApiServer({ scenario: 'quiet', dir });
  t.after(async () => {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { s, dir };
}

/** A loopback "Prometheus" answering 500 to everything; records what it was sent. */
async function fakePrometheus(t: {
  after: (fn: () => Promise<void> | void) => void;
}): Promise<{ port: number; seen: { url: string; auth: string | undefined }[] }> {
  const seen: { url: string; auth: string | undefined }[] = [];
  const srv = http.createServer((req, res) => {
    seen.push({ url: req.url ?? '', auth: req.headers.authorization });
    res.writeHead(500, { 'Content-Type': 'text/plain' });
    res.end('injected');
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => srv.close(() => resolve())));
  return { port: (srv.address() as { port: number }).port, seen };
}

function leaks(...texts: string[]): string[] {
  return SECRETS.filter((x) => texts.some((t) => t.includes(x)));
}

void test('kubeconfig server and --prometheus with user:password@ and ?token=: the analysis works and no secret is printed', async (t) => {
  const { s, dir } = await server(t);
  const prom = await fakePrometheus(t);
  const port = new URL(s.url).port;
  const kc = join(dir, 'kc-userinfo');
  writeFileSync(
    kc,
    readFileSync(s.kubeconfigPath, 'utf8').replace(
      `server: ${s.url}`,
      `server: https://kcadmin:KCSECRETPW@127.0.0.1:${port}/?token=KCQUERYSECRET`,
    ),
  );
  const promUrl = `http://promadmin:PROMSECRETPW@127.0.0.1:${prom.port}/prom/?token=PROMQUERYSECRET`;
  for (const format of ['text', 'json']) {
    const r = await runCli([
      'analyze-node',
      'demo-worker-1',
      '--kubeconfig',
      kc,
      '--prometheus',
      promUrl,
      '--format',
      format,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(leaks(r.stdout, r.stderr), [], `${format}: no URL credential in the output`);
    assert.ok(
      r.stdout.includes(
        `Prometheus at http://127.0.0.1:${prom.port}/prom answered HTTP 500; check oomscope.prometheus.url.`,
      ),
      r.stdout,
    );
  }
  // The credentials still did their job: Basic auth from user:password, the base URL's query kept.
  assert.ok(prom.seen.length >= 2);
  for (const q of prom.seen) {
    assert.equal(q.auth, `Basic ${Buffer.from('promadmin:PROMSECRETPW').toString('base64')}`);
    assert.match(q.url, /^\/prom\/api\/v1\/query_range\?token=PROMQUERYSECRET&query=/);
  }
});

void test('an unreachable API server or Prometheus with credentials in the URL: the sentence names the URL without them', async (t) => {
  const { s, dir } = await server(t);
  const kc = join(dir, 'kc-down');
  writeFileSync(
    kc,
    readFileSync(s.kubeconfigPath, 'utf8').replace(
      `server: ${s.url}`,
      'server: https://kcadmin:KCSECRETPW@127.0.0.1:1/?token=KCQUERYSECRET',
    ),
  );
  const down = await runCli(['analyze-node', 'demo-worker-1', '--kubeconfig', kc]);
  assert.equal(down.code, 2);
  assert.equal(
    down.stderr,
    'oomscope analyze-node: Cannot reach the API server at https://127.0.0.1:1 (ECONNREFUSED); check that the cluster is running and that context oomscope-quiet is the right one.\n',
  );
  assert.deepEqual(leaks(down.stdout, down.stderr), []);

  for (const promUrl of ['https://promadmin:PROMSECRETPW@127.0.0.1:1/', 'http://127.0.0.1:1/?token=PROMQUERYSECRET']) {
    const r = await runCli([
      'analyze-node',
      'demo-worker-1',
      '--kubeconfig',
      s.kubeconfigPath,
      '--prometheus',
      promUrl,
      '--format',
      'json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(leaks(r.stdout, r.stderr), [], promUrl);
    const j = JSON.parse(r.stdout) as { sources: Record<string, string> };
    assert.match(
      j.sources.prometheus!,
      /^error: Cannot reach Prometheus at https?:\/\/127\.0\.0\.1:1; check oomscope\.prometheus\.url\.$/,
    );
  }
});
