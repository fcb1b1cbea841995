// `oomscope lint` on one YAML document larger than the analysis budget (the 43 MB file that made
// lint abort with exit 134): skipped with one line that says why, exit 0; --max-document-size
// checks it anyway; a bad --max-document-size is a usage error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireBuiltCli, runCli } from './support';

let tmp = '';
let file = '';

before(() => {
  requireBuiltCli();
  tmp = mkdtempSync(join(tmpdir(), 'oomscope-cli-large-'));
  // A Pod as pretty JSON with 30,000 more keys (600 KB), with a `#` typed in front of it.
  const pod: Record<string, unknown> = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'x' },
    spec: { containers: [{ name: 'a', resources: { limits: { memory: '128m' } } }] },
  };
  for (let i = 0; i < 30_000; i++) pod[`k${i}`] = 'memory';
  file = join(tmp, 'big-broken.yaml');
  writeFileSync(file, '#' + JSON.stringify(pod, null, 1));
});
after(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

void test('lint skips a document above the limit with one line saying its size, the limit and what to do; exit 0', async () => {
  const r = await runCli(['lint', file], { timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  const skipped = r.stdout.split('\n').filter((l) => l.includes(' skipped  document'));
  assert.equal(skipped.length, 1, r.stdout);
  assert.match(
    skipped[0]!,
    /big-broken\.yaml:1:1 +skipped +document 1: This YAML document is \d{3} KiB; OOMScope checks documents of up to 256 KiB .* run `oomscope lint --max-document-size 1Mi FILE`/,
  );
  assert.match(r.stdout, /1 document skipped/);
});

void test('--max-document-size checks it anyway (here: its YAML syntax error); a size that is not a quantity is a usage error', async () => {
  const r = await runCli(['lint', '--max-document-size', '1Mi', file], { timeoutMs: 120_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /skipped +document 1: YAML syntax error/);
  const bad = await runCli(['lint', '--max-document-size', 'big', file]);
  assert.equal(bad.code, 2);
  assert.match(
    bad.stderr,
    /^oomscope lint: --max-document-size 'big' is not a Kubernetes quantity .*; e\.g\. --max-document-size 8Mi\n$/,
  );
});
