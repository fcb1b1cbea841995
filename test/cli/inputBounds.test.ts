// Bounded input (reliability D3, D5): endless devices and pipes end with one sentence and exit 2,
// within a bounded time and memory; a huge line in a kernel log is skipped with a warning, never a stack trace.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdtempSync,
  openSync,
  closeSync,
  readFileSync,
  rmSync,
  writeFileSync,
  ftruncateSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ROOT, requireBuiltCli, rssProbe, runCli } from './support';

const LIMIT = /larger than 64 MiB, the most oomscope reads from one input/;
/** Far above what a 64 MiB read needs (the unbounded reads grew by about 300 MB/s). */
const MAX_RSS_MB = 1024;
const KILL_LOG = join(ROOT, 'test', 'fixtures', 'kernel-oom', 'recorded-burst.log');

let tmp = '';
before(() => {
  requireBuiltCli();
  tmp = mkdtempSync(join(tmpdir(), 'oomscope-bounds-'));
});
after(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** `yes 'a: b'`: an endless stream of one line, made here so the test needs no shell. */
function endless(line: string): Readable {
  const chunk = Buffer.from(line.repeat(Math.ceil(65536 / line.length)));
  return new Readable({
    read() {
      this.push(chunk);
    },
  });
}

function assertOneLine(stderr: string, re: RegExp): void {
  assert.equal(stderr.trim().split('\n').length, 1, stderr);
  assert.match(stderr, re);
  assert.doesNotMatch(stderr, /internal error|^\s+at /m);
}

void test("lint - with an endless stdin (yes 'a: b'): stops at 64 MiB, exit 2, says the limit and to split the file", async () => {
  const probe = rssProbe(tmp, 'yes-lint');
  const r = await runCli(['lint', '-'], { input: endless('a: b\n'), nodeArgs: probe.nodeArgs, timeoutMs: 30_000 });
  assert.equal(r.code, 2, r.stderr);
  assertOneLine(
    r.stderr,
    /^oomscope lint: <stdin>: is larger than 64 MiB, the most oomscope reads from one input; split it into smaller files/,
  );
  const rss = probe.maxRssMb();
  assert.ok(rss !== null && rss < MAX_RSS_MB, `peak RSS ${rss} MB`);
});

void test('analyze-log --kernel-log - and --psi - with an endless stdin: exit 2 at the limit, not a hang', async () => {
  const probe = rssProbe(tmp, 'yes-log');
  const log = await runCli(['analyze-log', '--kernel-log', '-'], {
    input: endless('[  1.0] eth0: link up\n'),
    nodeArgs: probe.nodeArgs,
    timeoutMs: 30_000,
  });
  assert.equal(log.code, 2, log.stderr);
  assertOneLine(
    log.stderr,
    /^oomscope analyze-log: --kernel-log <stdin>: is larger than 64 MiB.*; cut it to the time around the kill/,
  );
  assert.equal(log.stdout, '', 'never "No OOM kills found" for input that was not read to its end');
  const rss = probe.maxRssMb();
  assert.ok(rss !== null && rss < MAX_RSS_MB, `peak RSS ${rss} MB`);
  const sample = JSON.stringify({ ts: 1, some: { avg10: 0, avg60: 0, avg300: 0, total: 1 } }) + '\n';
  const psi = await runCli(['analyze-log', '--kernel-log', KILL_LOG, '--psi', '-'], {
    input: endless(sample),
    timeoutMs: 30_000,
  });
  assert.equal(psi.code, 2, psi.stderr);
  assertOneLine(psi.stderr, /--psi <stdin>: is larger than 64 MiB.*; keep the samples around the kill/);
});

void test('/dev/zero as a path and on stdin: lint and analyze-log end at once, binary, exit 2', async (t) => {
  if (!existsSync('/dev/zero')) {
    t.skip('no /dev/zero on this system');
    return;
  }
  const probe = rssProbe(tmp, 'zero');
  const lintPath = await runCli(['lint', '/dev/zero'], { nodeArgs: probe.nodeArgs, timeoutMs: 30_000 });
  assert.equal(lintPath.code, 2);
  assertOneLine(
    lintPath.stderr,
    /^oomscope lint: \/dev\/zero: is a binary file \(it contains NUL bytes\), not a YAML manifest/,
  );
  const rss = probe.maxRssMb();
  assert.ok(rss !== null && rss < MAX_RSS_MB, `peak RSS ${rss} MB`);
  const zeros = (): Readable => endless('\0');
  const lintStdin = await runCli(['lint', '-'], { input: zeros(), timeoutMs: 30_000 });
  assert.equal(lintStdin.code, 2);
  assertOneLine(lintStdin.stderr, /^oomscope lint: <stdin>: is a binary file/);
  for (const [args, input] of [
    [['--kernel-log', '/dev/zero'], undefined],
    [['--kernel-log', '-'], zeros()],
  ] as const) {
    const r = await runCli(['analyze-log', ...args], { input, timeoutMs: 30_000 });
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assertOneLine(
      r.stderr,
      /^oomscope analyze-log: --kernel-log (\/dev\/zero|<stdin>): is a binary file \(most of it is not text\), not a kernel log/,
    );
    assert.equal(r.stdout, '');
  }
});

void test('a regular file over 64 MiB is refused before it is read, for lint, --kernel-log and --psi', async () => {
  // Sparse: 64 MiB + 1 byte of hole, no disk used. Its content would be NULs, so "larger" proves it was not read.
  const big = join(tmp, 'big.yaml');
  const fd = openSync(big, 'w');
  ftruncateSync(fd, 64 * 1024 * 1024 + 1);
  closeSync(fd);
  try {
    const lint = await runCli(['lint', 'big.yaml'], { cwd: tmp });
    assert.equal(lint.code, 2);
    assertOneLine(lint.stderr, /^oomscope lint: big\.yaml: /);
    assert.match(lint.stderr, LIMIT);
    const log = await runCli(['analyze-log', '--kernel-log', big]);
    assert.equal(log.code, 2);
    assert.match(log.stderr, LIMIT);
    const psi = await runCli(['analyze-log', '--kernel-log', KILL_LOG, '--psi', big]);
    assert.equal(psi.code, 2);
    assert.match(psi.stderr, LIMIT);
  } finally {
    rmSync(big, { force: true });
  }
});

void test('a kernel log with a line far over the per-line cap: the line is skipped with a counted warning, the kill is still found', async () => {
  // 4 MiB without a newline, then a real report; the cap is 64 KiB, so the line is dropped as it streams.
  const huge = 'a'.repeat(4 * 1024 * 1024);
  const text = `${huge}\n${readFileSync(KILL_LOG, 'utf8')}${huge}`;
  const file = join(tmp, 'huge-line.log');
  writeFileSync(file, text);
  try {
    for (const [args, input] of [
      [['--kernel-log', file], undefined],
      [['--kernel-log', '-'], text],
    ] as const) {
      const r = await runCli(['analyze-log', ...args, '--format', 'json'], { input });
      assert.equal(r.code, 1, `the kill is found: ${r.stderr}`);
      assertOneLine(r.stderr, /: skipped 2 lines longer than 64 KiB \(no kernel message is that long\)\n$/);
      const out = JSON.parse(r.stdout) as { ooms: { comm: string; lines: [number, number] }[] };
      assert.equal(out.ooms.length, 1);
      assert.ok(out.ooms[0]!.lines[0] > 1, 'line numbers still count the skipped line');
    }
    const psi = join(tmp, 'huge-line.jsonl');
    writeFileSync(psi, `${JSON.stringify({ ts: 1, some: { avg10: 0, avg60: 0, avg300: 0, total: 1 } })}\n${huge}\n`);
    const r = await runCli(['analyze-log', '--kernel-log', KILL_LOG, '--psi', psi]);
    assert.equal(r.code, 2);
    assertOneLine(r.stderr, /huge-line\.jsonl line 2: longer than 64 KiB; each line must be one PSI sample object/);
  } finally {
    rmSync(file, { force: true });
  }
});
