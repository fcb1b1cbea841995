// Input words and consistency (reliability D15, D16): UTF-16 is read (PowerShell writes it), binary is
// named binary, the same bytes get the same answer as a path and on stdin, and a folder, an
// unreadable file or a too-deep document are said in words, never an errno or "internal error".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, ROOT, requireBuiltCli, runCli, type CliRun } from './support';

const MANIFEST = readFileSync(join(FIXTURES, 'fractional-and-huge.yaml'), 'utf8');
const KILL_LOG = readFileSync(join(ROOT, 'test', 'fixtures', 'kernel-oom', 'recorded-burst.log'), 'utf8');

let tmp = '';
before(() => {
  requireBuiltCli();
  tmp = mkdtempSync(join(tmpdir(), 'oomscope-encodings-'));
});
after(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

function utf16(text: string, order: 'le' | 'be', bom: boolean): Buffer {
  const le = Buffer.from((bom ? '\ufeff' : '') + text, 'utf16le');
  return order === 'le' ? le : le.swap16();
}

/** Deterministic bytes that are not text (a linear congruential generator); `noNul` leaves out 0. */
function noise(n: number, noNul: boolean): Buffer {
  const out = Buffer.alloc(n);
  let x = 12345;
  for (let i = 0; i < n; i++) {
    do x = (x * 1103515245 + 12345) >>> 0;
    while (noNul && x >>> 24 === 0);
    out[i] = x >>> 24;
  }
  return out;
}

/** Runs the same bytes as a file NAME and as `-`; returns both runs with the input's name made equal. */
async function pathAndStdin(args: (input: string) => string[], name: string, bytes: Buffer): Promise<[CliRun, CliRun]> {
  writeFileSync(join(tmp, name), bytes);
  const asPath = await runCli(args(name), { cwd: tmp });
  const asStdin = await runCli(args('-'), { cwd: tmp, input: bytes });
  const same = (r: CliRun): CliRun => ({
    ...r,
    stdout: r.stdout.replaceAll(`"${name}"`, '"<stdin>"'),
    stderr: r.stderr.replaceAll(name, '<stdin>'),
  });
  return [same(asPath), asStdin];
}

void test('lint reads UTF-16 (LE and BE, with or without a BOM) like UTF-8, as a path and on stdin', async () => {
  const utf8 = await runCli(['lint', '--format', 'json', '-'], { input: MANIFEST });
  assert.equal(utf8.code, 1, utf8.stderr);
  for (const [order, bom] of [
    ['le', true],
    ['le', false],
    ['be', true],
    ['be', false],
  ] as const) {
    const [asPath, asStdin] = await pathAndStdin(
      (p) => ['lint', '--format', 'json', p],
      `utf16${order}${bom ? '-bom' : ''}.yaml`,
      utf16(MANIFEST, order, bom),
    );
    for (const r of [asPath, asStdin]) {
      assert.equal(r.stderr, '', `${order} bom=${bom}: ${r.stderr}`);
      assert.equal(r.code, 1);
      assert.deepEqual(
        JSON.parse(r.stdout),
        JSON.parse(utf8.stdout),
        `UTF-16${order.toUpperCase()} bom=${bom}: same findings, same ranges`,
      );
    }
  }
});

void test('analyze-log reads a UTF-16 kernel log: the kill is found, never "No OOM kills found"', async () => {
  const utf8 = await runCli(['analyze-log', '--kernel-log', '-', '--format', 'json'], { input: KILL_LOG });
  assert.equal(utf8.code, 1);
  for (const bom of [true, false]) {
    const [asPath, asStdin] = await pathAndStdin(
      (p) => ['analyze-log', '--kernel-log', p, '--format', 'json'],
      `utf16${bom ? '-bom' : ''}.log`,
      utf16(KILL_LOG, 'le', bom),
    );
    for (const r of [asPath, asStdin]) {
      assert.equal(r.code, 1, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout), JSON.parse(utf8.stdout));
    }
  }
});

void test('lint: the same bytes give the same answer as a path and on stdin; binary, another encoding and damaged UTF-16 in words', async () => {
  const cases: Array<[string, Buffer, RegExp]> = [
    [
      'nul.yaml',
      Buffer.concat([Buffer.from('apiVersion: v1\n'), Buffer.from([0, 1, 2, 0])]),
      /is a binary file \(it contains NUL bytes\), not a YAML manifest; pass a YAML file/,
    ],
    ['noise.yaml', noise(256 * 1024, true), /is a binary file \(most of it is not text\), not a YAML manifest/],
    [
      'latin1.yaml',
      Buffer.from(MANIFEST.replace('name: api', 'name: caf\xe9'), 'latin1'),
      /is not UTF-8 or UTF-16 text .*; save it as UTF-8 and try again/,
    ],
    [
      'cut-utf16.yaml',
      utf16(MANIFEST, 'le', true).subarray(0, 301),
      /looks like UTF-16LE text but is cut or damaged .*; save it as UTF-8/,
    ],
  ];
  for (const [name, bytes, re] of cases) {
    const [asPath, asStdin] = await pathAndStdin((p) => ['lint', p], name, bytes);
    assert.deepEqual(asPath, asStdin, name);
    assert.equal(asStdin.code, 2, name);
    assert.equal(asStdin.stderr.trim().split('\n').length, 1, asStdin.stderr);
    assert.match(asStdin.stderr, new RegExp(`^oomscope lint: <stdin>: ${re.source}`), name);
  }
  const [bomPath, bomStdin] = await pathAndStdin(
    (p) => ['lint', '--format', 'json', p],
    'bom.yaml',
    Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(MANIFEST)]),
  );
  assert.deepEqual(bomPath, bomStdin);
  assert.equal(bomStdin.code, 1, 'a UTF-8 BOM is removed, the findings are there');
});

void test('analyze-log: binary input is exit 2 in words (path and stdin alike); invalid bytes and NULs in a real log are tolerated', async () => {
  for (const [name, bytes] of [
    ['noise.log', noise(256 * 1024, false)],
    ['noise-nonul.log', noise(256 * 1024, true)],
  ] as const) {
    const [asPath, asStdin] = await pathAndStdin((p) => ['analyze-log', '--kernel-log', p], name, bytes);
    assert.deepEqual(asPath, asStdin, name);
    assert.equal(asStdin.code, 2, name);
    assert.equal(asStdin.stdout, '', 'never "No OOM kills found" for a binary file');
    assert.match(
      asStdin.stderr,
      /^oomscope analyze-log: --kernel-log <stdin>: is a binary file \(most of it is not text\), not a kernel log; pass the text of dmesg, journalctl -k or syslog\n$/,
    );
  }
  // A log with a Latin-1 byte in a name and a hole of NULs (what a crash leaves in syslog) is still read.
  const damaged = Buffer.concat([
    Buffer.from(KILL_LOG.replace('python3', 'pyth\xf6n3'), 'latin1'),
    Buffer.alloc(4096),
    Buffer.from('\n'),
  ]);
  const [asPath, asStdin] = await pathAndStdin(
    (p) => ['analyze-log', '--kernel-log', p, '--format', 'json'],
    'damaged.log',
    damaged,
  );
  assert.deepEqual(asPath, asStdin);
  assert.equal(asStdin.code, 1, asStdin.stderr);
  assert.equal((JSON.parse(asStdin.stdout) as { ooms: unknown[] }).ooms.length, 1);
});

void test('a folder as --kernel-log or --psi, and both as stdin: one sentence, exit 2, no "internal error"', async () => {
  const dir = join(tmp, 'logs');
  mkdirSync(dir, { recursive: true });
  const log = join(tmp, 'kill.log');
  writeFileSync(log, KILL_LOG);
  const cases: Array<[string[], RegExp]> = [
    [
      ['--kernel-log', dir],
      /^oomscope analyze-log: --kernel-log .*logs: is a folder; pass a file, or - for standard input\n$/,
    ],
    [
      ['--kernel-log', log, '--psi', dir],
      /^oomscope analyze-log: --psi .*logs: is a folder; pass a file, or - for standard input\n$/,
    ],
    [['--kernel-log', '-', '--psi', '-'], /--kernel-log and --psi cannot both be - \(standard input\)/],
  ];
  for (const [args, re] of cases) {
    const r = await runCli(['analyze-log', ...args]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, re);
    assert.equal(r.stdout, '');
  }
});

void test('an unreadable file: "permission denied" in words for lint and analyze-log', async (t) => {
  // Not root: a file with mode 000. Root reads any such file, but not a write-only sysctl (procfs checks the owner bits).
  let unreadable: string | null = null;
  if (process.getuid?.() !== 0) {
    unreadable = join(tmp, 'secret.yaml');
    writeFileSync(unreadable, MANIFEST);
    chmodSync(unreadable, 0);
  } else if (existsSync('/proc/sys/vm/compact_memory')) {
    unreadable = '/proc/sys/vm/compact_memory';
  }
  let denied = false;
  try {
    if (unreadable) accessSync(unreadable, constants.R_OK);
  } catch {
    denied = true;
  }
  if (!unreadable || !denied) {
    t.skip('running as root without a write-only /proc/sys file: no file here is unreadable');
    return;
  }
  const lint = await runCli(['lint', unreadable], { cwd: tmp });
  assert.equal(lint.code, 2);
  assert.match(lint.stderr, /: cannot read: permission denied; check the file permissions\n$/);
  const log = await runCli(['analyze-log', '--kernel-log', unreadable]);
  assert.equal(log.code, 2);
  assert.match(
    log.stderr,
    /^oomscope analyze-log: --kernel-log .*: cannot read: permission denied; check the file permissions\n$/,
  );
  assert.doesNotMatch(lint.stderr + log.stderr, /EACCES|EPERM/);
});

void test('a document nested deeper than the YAML parser can go is skipped in words, not as a "syntax error"', async () => {
  const file = join(tmp, 'deep.yaml');
  writeFileSync(
    file,
    'apiVersion: v1\nkind: Pod\nmetadata: {name: d}\nspec:\n  containers:\n  ' + '- '.repeat(10000) + 'x\n',
  );
  const r = await runCli(['lint', 'deep.yaml'], { cwd: tmp });
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    /deep\.yaml:6:\d+ +skipped +document 1: nested too deeply for the YAML parser to read: this document was not checked for memory settings/,
  );
  assert.doesNotMatch(r.stdout, /RESOURCE_EXHAUSTION|syntax error/);
});
