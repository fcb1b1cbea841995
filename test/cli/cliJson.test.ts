/**
 * The public JSON of the three commands (src/shared/cliJson.ts, docs/cli.md): real runs of
 * `node dist/cli.js` on fixtures, and analyze-node against the loopback test API server, are
 * validated against the closed JSON Schemas that sit next to the types.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { ANALYZE_LOG_JSON_SCHEMA, ANALYZE_NODE_JSON_SCHEMA, LINT_JSON_SCHEMA } from '../../src/shared/cliJson';
import { startApiServer } from '../../src/demo/apiServer';
import { FIXTURES, ROOT, runCli } from './support';

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv);
const validators = {
  lint: ajv.compile(LINT_JSON_SCHEMA),
  'analyze-log': ajv.compile(ANALYZE_LOG_JSON_SCHEMA),
  'analyze-node': ajv.compile(ANALYZE_NODE_JSON_SCHEMA),
} satisfies Record<string, ValidateFunction>;

function assertValid(command: keyof typeof validators, stdout: string, what: string): void {
  const validate = validators[command];
  const ok = validate(JSON.parse(stdout));
  assert.ok(ok, `${command} ${what}: ${ajv.errorsText(validate.errors, { separator: '\n' })}`);
}

const K = (f: string): string => join(ROOT, 'test', 'fixtures', 'kernel-oom', f);
const P = (f: string): string => join(ROOT, 'test', 'fixtures', 'psi', f);
const bootOf = (name: string): string =>
  (JSON.parse(readFileSync(P(`recorded-${name}.meta.json`), 'utf8')) as { bootTime: string }).bootTime;

void test('the schemas are closed: an unknown field, a missing one or a wrong value is rejected', () => {
  const lint = { version: 1, findings: [], objects: [] };
  assert.ok(validators.lint(lint));
  assert.ok(!validators.lint({ ...lint, extra: true }), 'an unknown field');
  assert.ok(!validators.lint({ version: 1, findings: [] }), 'a missing field');
  assert.ok(!validators.lint({ ...lint, version: 2 }), 'another version');
  const log = { version: 1, ooms: [], phases: [], incompleteReports: [], unreadLines: [], unreadLineCount: 0 };
  assert.ok(validators['analyze-log'](log), 'local is optional');
  assert.ok(
    !validators['analyze-log']({
      ...log,
      phases: [
        {
          scope: 'node',
          phase: 'healthy',
          start: null,
          end: null,
          peakSomePercent: 0,
          peakFullPercent: 0,
          durationSeconds: null,
        },
      ],
    }),
  );
});

void test('lint --format json on the fixtures (real manifests, huge quantities as strings) matches LintJson', async () => {
  const r = await runCli(['lint', '--format', 'json', FIXTURES]);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  assertValid('lint', r.stdout, 'on test/fixtures/cli');
  const j = JSON.parse(r.stdout) as {
    findings: unknown[];
    objects: { containers: { limits: { memory: unknown } }[] }[];
  };
  assert.ok(j.findings.length > 0 && j.objects.length > 0, 'the sample is not empty');
  assert.ok(
    j.objects.some((o) => o.containers.some((c) => typeof c.limits.memory === 'string')),
    'a byte count past 2^53 is a string',
  );
  const empty = await runCli(['lint', '--format', 'json', '-'], { input: '' });
  assertValid('lint', empty.stdout, 'on empty input');
});

void test('analyze-log --format json matches AnalyzeLogJson: judged, unjudged, global, truncated', async () => {
  const runs: [string, string[]][] = [
    [
      'with PSI',
      [
        '--kernel-log',
        K('recorded-thrash-then-grow.log'),
        '--psi',
        P('recorded-thrash-then-grow.jsonl'),
        '--boot-time',
        bootOf('thrash-then-grow'),
      ],
    ],
    [
      'burst',
      ['--kernel-log', K('recorded-burst.log'), '--psi', P('recorded-burst.jsonl'), '--boot-time', bootOf('burst')],
    ],
    [
      'PSI with reclaim counters',
      [
        '--kernel-log',
        K('recorded-refault-thrash.log'),
        '--psi',
        P('recorded-refault-thrash.jsonl'),
        '--boot-time',
        bootOf('refault-thrash'),
      ],
    ],
    ['without PSI', ['--kernel-log', K('recorded-siblings-parent-limit.log')]],
    ['global OOM', ['--kernel-log', K('issue-stress-ng-177-global-oom-excerpt.log')]],
    ['old kernel', ['--kernel-log', K('cadvisor-oomparser-memcg-oom-kernel-3.13.log'), '--year', '2024']],
  ];
  let sawPhase = false;
  for (const [what, args] of runs) {
    const r = await runCli(['analyze-log', ...args, '--format', 'json']);
    assert.equal(r.code, 1, `${what}: ${r.stderr}`);
    assertValid('analyze-log', r.stdout, what);
    sawPhase ||= (JSON.parse(r.stdout) as { phases: unknown[] }).phases.length > 0;
  }
  assert.ok(sawPhase, 'the samples include phases');
  const head = readFileSync(K('recorded-burst.log'), 'utf8')
    .split('\n')
    .filter((l) => !/Killed process|oom-kill:/.test(l))
    .join('\n');
  const truncated = await runCli(['analyze-log', '--kernel-log', '-', '--format', 'json'], { input: head });
  assertValid('analyze-log', truncated.stdout, 'a report without its kill line');
  assert.ok(
    (JSON.parse(truncated.stdout) as { incompleteReports: unknown[] }).incompleteReports.length > 0,
    'the sample has an incomplete report',
  );
});

void test('analyze-node --format json against the test API server matches AnalyzeNodeJson, also with sources missing', async (t) => {
  for (const scenario of [
    'thrash-then-system-oom',
    'rbac-no-proxy',
    'container-limit-crashloop',
    'quiet',
    'sidecar-oom',
    'resized-pod',
    'pod-level-limit',
    'drain-exit-143',
    'configz-reserved',
    'psi-conditions',
    'limited-swap',
    'memory-qos',
    'group-kill-events',
    'eviction-race',
  ] as const) {
    const dir = mkdtempSync(join(tmpdir(), 'oomscope-cli-json-'));
    const s = await startApiServer({ startTime: Date.parse('2026-11-27T17:00:00Z'), scenario, autoStep: false, dir });
    t.after(async () => {
      await s.close();
      rmSync(dir, { recursive: true, force: true });
    });
    for (let i = 0; i < 25; i++) s.step();
    const r = await runCli(['analyze-node', 'demo-worker-1', '--kubeconfig', s.kubeconfigPath, '--format', 'json']);
    assert.ok(r.code === 0 || r.code === 1, `${scenario}: ${r.stderr}`);
    assertValid('analyze-node', r.stdout, scenario);
  }
});

const C = (f: string): string => join(ROOT, 'test', 'fixtures', 'oom-corpus', f);

void test('analyze-log on a report header only: exit 2, unreadLines in the JSON (valid), never "no OOM kills"', async () => {
  const log = C('issue-kubernetes-98157-syslog-kernel-3.10-el7-header-only.log');
  const r = await runCli(['analyze-log', '--kernel-log', log, '--format', 'json']);
  assert.equal(r.code, 2, r.stderr);
  assertValid('analyze-log', r.stdout, 'header only');
  const j = JSON.parse(r.stdout) as {
    ooms: unknown[];
    unreadLines: { line: number; text: string }[];
    unreadLineCount: number;
  };
  assert.deepEqual(j.ooms, []);
  assert.equal(j.unreadLineCount, 1);
  assert.equal(j.unreadLines[0]!.line, 1);
  assert.match(j.unreadLines[0]!.text, /^yum invoked oom-killer: /);
  const t = await runCli(['analyze-log', '--kernel-log', log]);
  assert.equal(t.code, 2);
  assert.match(
    t.stdout,
    /No OOM kill could be read, but 1 line looks like OOM-killer output; the first, line 1: yum invoked/,
  );
  assert.doesNotMatch(t.stdout, /No OOM kills found/);
});

void test('analyze-log JSON of a group kill, a userspace kill and a cut report matches AnalyzeLogJson', async () => {
  const group = await runCli([
    'analyze-log',
    '--kernel-log',
    C('repo-vijayrod-demo-znode-memory-group-kill-besteffort-kubepods-limit-5.15.log'),
    '--format',
    'json',
  ]);
  assert.equal(group.code, 1, group.stderr);
  assertValid('analyze-log', group.stdout, 'group kill');
  const g = JSON.parse(group.stdout) as { ooms: { pid: number; groupKill: unknown; pod: unknown }[]; unreadLines: [] };
  assert.deepEqual(
    g.ooms.map((o) => o.pid),
    [7788, 7620, 7656, 7657, 7712],
  );
  for (const o of g.ooms) assert.deepEqual(o.pod, { uid: 'a5d8fdd1-1369-469e-8a7d-2c1047529435' });
  assert.deepEqual(g.unreadLines, []);
  const text = await runCli([
    'analyze-log',
    '--kernel-log',
    C('repo-vijayrod-demo-znode-memory-group-kill-besteffort-kubepods-limit-5.15.log'),
  ]);
  assert.match(text.stdout, /5 OOM kills found in 1 event\./);
  assert.match(text.stdout, /OOM KILL: 5 processes of container 9192cb33411f killed together \(memory\.oom\.group\)\./);
  for (const f of [
    'issue-systemd-23606-systemd-oomd-killed-scope-syslog.log',
    'issue-cadvisor-2417-kernel-5.0-cgroupfs-oom-kill-line-wrapped.log',
  ]) {
    const r = await runCli(['analyze-log', '--kernel-log', C(f), '--format', 'json']);
    assert.equal(r.code, 1, `${f}: ${r.stderr}`);
    assertValid('analyze-log', r.stdout, f);
  }
});
