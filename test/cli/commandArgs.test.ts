/** The shared argument parser (src/cli/commandArgs.ts): the same one-line usage errors, exit 2, from every command. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCommandArgs, parseDuration } from '../../src/cli/commandArgs';
import { UsageError } from '../../src/cli/io';
import { ROOT, runCli } from './support';
import { join } from 'node:path';

const LOG = join(ROOT, 'test', 'fixtures', 'kernel-oom', 'recorded-burst.log');

void test('every command reports a parseArgs failure as one line naming the option and its --help', async () => {
  const cases: Array<[string[], string]> = [
    [
      ['analyze-log', '--kernel-log'],
      "oomscope analyze-log: --kernel-log needs a value; run 'oomscope analyze-log --help' for the options",
    ],
    [
      ['analyze-log', '--kernel-log', LOG, '--precursor-window', '-1'],
      "oomscope analyze-log: --precursor-window needs a value; write --precursor-window=VALUE for a value that starts with -; run 'oomscope analyze-log --help' for the options",
    ],
    [
      ['analyze-log', '--kernel-log', LOG, 'extra'],
      "oomscope analyze-log: unexpected argument 'extra'; run 'oomscope analyze-log --help' for the options",
    ],
    [
      ['analyze-log', '--local=yes'],
      "oomscope analyze-log: --local does not take a value; run 'oomscope analyze-log --help' for the options",
    ],
    [
      ['analyze-log', '--kernel-log', LOG, '--bogus'],
      "oomscope analyze-log: unknown option '--bogus'; run 'oomscope analyze-log --help' for the options",
    ],
    [
      ['analyze-node', 'n1', '--bogus'],
      "oomscope analyze-node: unknown option '--bogus'; run 'oomscope analyze-node --help' for the options",
    ],
    [['lint', '--bogus'], "oomscope lint: unknown option '--bogus'; run 'oomscope lint --help' for the options"],
  ];
  for (const [args, line] of cases) {
    const r = await runCli(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr, `${line}\n`);
    assert.equal(r.stdout, '');
  }
});

void test('analyze-log through parseArgs: --name=VALUE, -h, a negative value written with =, the last repeat wins', async () => {
  const r = await runCli([
    'analyze-log',
    `--kernel-log=${LOG}`,
    '--format=json',
    '--format',
    'json',
    '--precursor-window=0',
  ]);
  assert.equal(r.code, 1, r.stderr);
  assert.equal((JSON.parse(r.stdout) as { version: number }).version, 1);
  const h = await runCli(['analyze-log', '-h']);
  assert.equal(h.code, 0);
  assert.match(h.stdout, /^Usage: oomscope analyze-log/);
  const neg = await runCli(['analyze-log', '--kernel-log', LOG, '--precursor-window=-1']);
  assert.equal(neg.code, 2);
  assert.equal(neg.stderr, "oomscope analyze-log: --precursor-window '-1' is not a number of seconds\n");
});

void test('parseCommandArgs types the values and throws UsageError; parseDuration reads s, m, h, ms and bare seconds', () => {
  const p = parseCommandArgs(
    'x',
    ['--a', '1', '-b', 'pos'],
    { a: { type: 'string' }, b: { type: 'boolean', short: 'b' } },
    true,
  );
  assert.deepEqual({ ...p.values }, { a: '1', b: true });
  assert.deepEqual(p.positionals, ['pos']);
  assert.throws(
    () => parseCommandArgs('x', ['pos'], {}, false),
    (e) =>
      e instanceof UsageError && e.message === "unexpected argument 'pos'; run 'oomscope x --help' for the options",
  );
  assert.deepEqual(['30s', '5m', '1h', '250ms', '10', '1.5s', 'soon', '-1s'].map(parseDuration), [
    30000,
    300000,
    3600000,
    250,
    10000,
    1500,
    null,
    null,
  ]);
});
