import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, FIXTURES, runCli, validateSarif, requireBuiltCli } from './support';
import { version } from '../../package.json';

interface JsonFinding {
  file: string;
  ruleId: string;
  severity: string;
  message: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  object: { kind: string; name: string | null; namespace: string | null; document: number } | null;
  container: string | null;
}
interface JsonContainer {
  name: string | null;
  init: boolean;
  sidecar: boolean;
  requests: { memory: number | string | null };
  limits: { memory: number | string | null };
  oomScoreAdj: number | null;
}
interface JsonObject {
  file: string;
  document: number;
  kind: string;
  name: string | null;
  namespace: string | null;
  qosClass: string | null;
  containers: JsonContainer[];
}
interface LintJson {
  version: number;
  findings: JsonFinding[];
  objects: JsonObject[];
}

const rel = (name: string): string => `test/fixtures/cli/${name}`;
let tmp = '';

before(() => {
  requireBuiltCli();
  tmp = mkdtempSync(join(tmpdir(), 'oomscope-cli-test-'));
});
after(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function lintJson(
  args: string[],
  opts: Parameters<typeof runCli>[1] = {},
): Promise<{ code: number | null; json: LintJson; stderr: string }> {
  const r = await runCli(['lint', '--format', 'json', ...args], opts);
  let json: LintJson;
  try {
    json = JSON.parse(r.stdout) as LintJson;
  } catch {
    throw new Error(`stdout is not JSON (exit ${r.code}): ${r.stdout.slice(0, 300)} / stderr: ${r.stderr}`);
  }
  return { code: r.code, json, stderr: r.stderr };
}

function positionOf(file: string, needle: string): { line: number; character: number } {
  const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
  const line = lines.findIndex((l) => l.includes(needle));
  assert.ok(line >= 0, `${needle} not in ${file}`);
  return { line, character: lines[line]!.indexOf(needle) };
}

void test('--version prints the package version', async () => {
  const r = await runCli(['--version']);
  assert.equal(r.code, 0);
  assert.equal(r.stdout.trim(), version);
});

void test('lint --help shows the options and exits 0; an unknown option is a usage error (exit 2, one line)', async () => {
  const help = await runCli(['lint', '--help']);
  assert.equal(help.code, 0);
  for (const opt of ['--format', '--node-memory', '--rule', '--max-warnings'])
    assert.ok(help.stdout.includes(opt), opt);
  const bad = await runCli(['lint', '--colour', rel('burstable-warnings-only.yaml')]);
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
  assert.match(bad.stderr, /--colour/);
});

void test('JSON: the docs/cli.md shape, exact ranges, byte values as integers, > 2^53 as strings, unparseable as null', async () => {
  const file = rel('fractional-and-huge.yaml');
  const { code, json } = await lintJson([file]);
  assert.equal(code, 1, 'a fractional memory value is an error');
  assert.equal(json.version, 1);
  const fractional = json.findings.find((f) => f.ruleId === 'memory-quantity-fractional');
  assert.ok(fractional, JSON.stringify(json.findings.map((f) => f.ruleId)));
  const value = positionOf(file, 'memory: 128m');
  const start = { line: value.line, character: value.character + 'memory: '.length };
  assert.deepEqual(fractional.range, { start, end: { line: start.line, character: start.character + 4 } });
  assert.equal(fractional.file, file);
  assert.equal(fractional.severity, 'error');
  assert.deepEqual(fractional.object, { kind: 'Deployment', name: 'api', namespace: 'shop', document: 0 });
  assert.equal(fractional.container, 'api');
  assert.ok(fractional.message.length > 20);
  const invalid = json.findings.find((f) => f.ruleId === 'memory-quantity-invalid');
  assert.ok(invalid, 'the 1Gb request is invalid');
  assert.equal(invalid.container, 'cache');
  assert.equal(json.objects.length, 1);
  const [obj] = json.objects;
  assert.deepEqual(
    Object.keys(obj!).sort(),
    ['containers', 'document', 'file', 'kind', 'name', 'namespace', 'qosClass'].sort(),
  );
  const api = obj!.containers.find((c) => c.name === 'api')!;
  assert.equal(api.requests.memory, 134217728);
  assert.equal(api.limits.memory, 1, 'the API server rounds 128m up to 1 byte');
  const cache = obj!.containers.find((c) => c.name === 'cache')!;
  assert.equal(cache.requests.memory, null);
  assert.equal(cache.limits.memory, '4611686018427387904');
  assert.deepEqual(Object.keys(cache).sort(), ['init', 'limits', 'name', 'oomScoreAdj', 'requests', 'sidecar']);
});

void test('exit codes: 0 without errors, 1 with errors, --max-warnings N counts warnings', async () => {
  const clean = await runCli(['lint', 'examples/clean-deployment-well-written.yaml']);
  assert.equal(clean.code, 0, clean.stdout + clean.stderr);
  const warnOnly = rel('burstable-warnings-only.yaml');
  const w = await lintJson([warnOnly]);
  assert.equal(w.code, 0);
  const warnings = w.json.findings.filter((f) => f.severity === 'warning').length;
  assert.ok(warnings >= 1, 'the metrics container has no memory limit');
  assert.equal(w.json.findings.filter((f) => f.severity === 'error').length, 0);
  const strict = await runCli(['lint', '--max-warnings', String(warnings - 1), warnOnly]);
  assert.equal(strict.code, 1);
  assert.match(strict.stderr, /max-warnings/);
  assert.equal((await runCli(['lint', '--max-warnings', String(warnings), warnOnly])).code, 0);
  assert.equal((await runCli(['lint', rel('fractional-and-huge.yaml')])).code, 1);
});

void test('--rule RULE=off silences a rule; an unknown rule is a usage error', async () => {
  const file = rel('fractional-and-huge.yaml');
  const off = await lintJson(['--rule', 'memory-quantity-fractional=off', file]);
  assert.equal(off.json.findings.filter((f) => f.ruleId === 'memory-quantity-fractional').length, 0);
  const warn = await lintJson(['--rule', 'memory-limit-missing=error', rel('burstable-warnings-only.yaml')]);
  assert.equal(warn.code, 1, 'raised to error, the missing limit fails the run');
  assert.ok(warn.json.findings.some((f) => f.ruleId === 'memory-limit-missing' && f.severity === 'error'));
  const unknown = await runCli(['lint', '--rule', 'no-such-rule=off', file]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown rule 'no-such-rule'/);
  assert.equal(unknown.stdout, '');
});

void test('--node-memory changes the Burstable oom_score_adj (1000 - 1000*request/capacity)', async () => {
  const file = rel('burstable-warnings-only.yaml');
  const adj = async (args: string[]): Promise<number | null> => {
    const { json } = await lintJson([...args, file]);
    return json.objects[0]!.containers.find((c) => c.name === 'worker')!.oomScoreAdj;
  };
  const gi = 1024 ** 3;
  assert.equal(await adj([]), 1000 - Math.floor((1000 * gi) / (16 * gi)));
  assert.equal(await adj(['--node-memory', '4Gi']), 1000 - Math.floor((1000 * gi) / (4 * gi)));
  assert.equal(await adj(['--node-memory', '64G']), 1000 - Math.floor((1000 * gi) / 64e9));
  const bad = await runCli(['lint', '--node-memory', '16 GB', file]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--node-memory '16 GB'/);
});

void test('real QoS fixtures: Guaranteed is -997, BestEffort is 1000 (JSON-flow YAML too)', async () => {
  const { json } = await lintJson([rel('real/website-qos-pod.yaml'), rel('real/website-qos-pod-3.yaml')]);
  const byName = new Map(json.objects.map((o) => [o.name, o]));
  assert.equal(byName.get('qos-demo')?.qosClass, 'Guaranteed');
  assert.equal(byName.get('qos-demo')?.containers[0]?.oomScoreAdj, -997);
  assert.equal(byName.get('qos-demo-3')?.qosClass, 'BestEffort');
  assert.equal(byName.get('qos-demo-3')?.containers[0]?.oomScoreAdj, 1000);
});

void test('a real multi-document file (Online Boutique): every workload listed, deliberate 2x bursts stay quiet', async () => {
  const file = rel('real/online-boutique-kubernetes-manifests.yaml');
  const { code, json } = await lintJson([file]);
  assert.equal(code, 0, 'no errors in a well-maintained manifest');
  assert.ok(json.objects.length >= 11, `objects: ${json.objects.length}`);
  assert.ok(json.objects.every((o) => o.file === file && o.kind === 'Deployment'));
  assert.equal(json.findings.filter((f) => f.ruleId === 'memory-limit-request-ratio').length, 0);
  const loadgen = json.findings.filter((f) => f.object?.name === 'loadgenerator');
  assert.ok(
    loadgen.some((f) => f.container === 'frontend-check'),
    'the init container without resources is flagged',
  );
});

void test('SARIF: validates against the SARIF 2.1.0 schema, one result per finding, relative URIs, 1-based regions', async () => {
  const json = await lintJson(['examples/']);
  const r = await runCli(['lint', '--format', 'sarif', 'examples/']);
  assert.equal(r.code, 1);
  const log = JSON.parse(r.stdout) as {
    version: string;
    runs: {
      tool: {
        driver: {
          name: string;
          version: string;
          informationUri: string;
          rules: { id: string; helpUri: string; defaultConfiguration: { level: string } }[];
        };
      };
      results: {
        ruleId: string;
        level: string;
        locations: {
          physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } };
        }[];
      }[];
    }[];
  };
  assert.deepEqual(validateSarif(log), []);
  assert.equal(log.runs.length, 1);
  const run = log.runs[0]!;
  assert.equal(run.tool.driver.name, 'oomscope');
  assert.equal(run.tool.driver.version, version);
  assert.ok(run.tool.driver.rules.length >= 11);
  for (const rule of run.tool.driver.rules) assert.match(rule.helpUri, new RegExp(`^https://.*${rule.id}`));
  assert.equal(run.results.length, json.json.findings.length);
  const first = json.json.findings[0]!;
  const res = run.results[0]!;
  assert.equal(res.ruleId, first.ruleId);
  assert.equal(res.level, first.severity === 'information' ? 'note' : first.severity);
  assert.equal(res.locations[0]!.physicalLocation.artifactLocation.uri, first.file);
  assert.equal(res.locations[0]!.physicalLocation.region.startLine, first.range.start.line + 1);
  assert.equal(res.locations[0]!.physicalLocation.region.startColumn, first.range.start.character + 1);
});

void test('examples/: one manifest per rule, every static rule fires somewhere, the clean file has no findings', async () => {
  const { json } = await lintJson(['examples']);
  const fired = new Set(json.findings.map((f) => f.ruleId));
  for (const id of [
    'memory-quantity-invalid',
    'memory-quantity-fractional',
    'memory-value-implausible',
    'memory-limit-below-request',
    'memory-limit-missing',
    'memory-request-missing',
    'memory-request-defaulted',
    'memory-limit-request-ratio',
    'qos-class-in-spec',
    'heap-exceeds-limit',
    'emptydir-memory-unbounded',
    'pod-spec-misplaced',
  ]) {
    assert.ok(fired.has(id), `no example fires ${id}`);
  }
  assert.deepEqual(
    json.findings.filter((f) => f.file.includes('clean-') || f.file.includes('pod-guaranteed')),
    [],
  );
  assert.deepEqual(
    json.findings.filter((f) => f.file.includes('helm-template')),
    [],
  );
  assert.ok(!json.findings.some((f) => f.file.includes('multi-document') && f.object?.kind === 'ConfigMap'));
});

void test('text output for people: file:line:col, severity, rule, message, a summary line, no colour in a pipe', async () => {
  const file = rel('fractional-and-huge.yaml');
  const r = await runCli(['lint', file]);
  const lines = r.stdout.trimEnd().split('\n');
  const value = positionOf(file, 'memory: 128m');
  const start = { line: value.line, character: value.character + 'memory: '.length };
  assert.ok(
    lines.some(
      (l) =>
        l.startsWith(`${file}:${start.line + 1}:${start.character + 1}  error`) &&
        l.includes('memory-quantity-fractional'),
    ),
    r.stdout,
  );
  assert.match(lines.at(-1)!, /^\d+ errors?, \d+ warnings?(, \d+ info)? in 1 file \(1 object\)$/);
  assert.ok(!r.stdout.includes('\u001b['));
});

void test('a folder is walked for *.yaml/*.yml, skipping node_modules and .git; paths are relative to cwd', async () => {
  const dir = join(tmp, 'walk');
  const pod = readFileSync(join(FIXTURES, 'real', 'website-qos-pod-3.yaml'));
  for (const p of ['k8s/a.yaml', 'k8s/nested/b.yml', 'node_modules/dep/c.yaml', '.git/d.yaml', 'k8s/notes.txt']) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), pod);
  }
  const { code, json } = await lintJson(['k8s'], { cwd: dir });
  assert.equal(code, 0);
  assert.deepEqual(json.objects.map((o) => o.file).sort(), ['k8s/a.yaml', 'k8s/nested/b.yml']);
  const up = await lintJson(['.'], { cwd: join(dir, 'k8s', 'nested') });
  assert.deepEqual(
    up.json.objects.map((o) => o.file),
    ['b.yml'],
  );
  const empty = join(tmp, 'no-yaml');
  mkdirSync(empty, { recursive: true });
  const none = await runCli(['lint', empty]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no \*\.yaml or \*\.yml files/);
});

void test('stdin: - reads a manifest from standard input', async () => {
  const input = readFileSync(join(FIXTURES, 'fractional-and-huge.yaml'));
  const { code, json } = await lintJson(['-'], { input });
  assert.equal(code, 1);
  assert.ok(json.findings.length > 0);
  assert.ok(json.findings.every((f) => f.file === '<stdin>'));
  assert.equal(json.objects[0]?.name, 'api');
});

void test('unreadable input: a missing path exits 2 with one line naming it, the other files are still linted', async () => {
  const r = await lintJson(['does/not/exist.yaml', rel('burstable-warnings-only.yaml')]);
  assert.equal(r.code, 2);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /does\/not\/exist\.yaml/);
  assert.match(lines[0]!, /no such file/);
  assert.equal(r.json.objects.length, 1);
});

void test('an empty file: no findings, exit 0', async () => {
  const f = join(tmp, 'empty.yaml');
  writeFileSync(f, '');
  const r = await runCli(['lint', f], { cwd: tmp });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), '0 errors, 0 warnings in 1 file (0 objects)');
  const j = await lintJson(['empty.yaml'], { cwd: tmp });
  assert.deepEqual(j.json, { version: 1, findings: [], objects: [] });
});

void test('a binary file and a non-UTF-8 file: one clear line each, exit 2, no crash', async () => {
  const bin = join(tmp, 'image.yaml');
  writeFileSync(
    bin,
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]),
  );
  const latin1 = join(tmp, 'latin1.yaml');
  writeFileSync(latin1, Buffer.from('apiVersion: v1\nkind: Pod\nmetadata:\n  name: caf\xe9\n', 'latin1'));
  const r = await runCli(['lint', 'image.yaml', 'latin1.yaml'], { cwd: tmp });
  assert.equal(r.code, 2);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 2, r.stderr);
  assert.match(lines[0]!, /image\.yaml.*binary/);
  assert.match(lines[1]!, /latin1\.yaml.*UTF-8/);
  assert.ok(!r.stderr.includes('internal error'));
  const piped = await runCli(['lint', '-'], { input: Buffer.from([1, 0, 2, 0]) });
  assert.equal(piped.code, 2);
  assert.match(piped.stderr, /<stdin>.*binary/);
});

void test('a 20 MB file is linted in one run', async () => {
  const doc = readFileSync(join(FIXTURES, 'burstable-warnings-only.yaml'), 'utf8');
  const copies = Math.ceil((20 * 1024 * 1024) / Buffer.byteLength(doc + '---\n'));
  const f = join(tmp, 'big.yaml');
  writeFileSync(f, Array.from({ length: copies }, () => doc).join('---\n'));
  try {
    const r = await runCli(['lint', '--format', 'json', 'big.yaml'], { cwd: tmp, timeoutMs: 240_000 });
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout) as LintJson;
    assert.equal(json.objects.length, copies);
    assert.equal(json.objects.at(-1)!.document, copies - 1);
    assert.ok(json.findings.length >= copies);
  } finally {
    rmSync(f, { force: true });
  }
});

void test('npx oomscope --version works through the package bin entry', async () => {
  const { spawnSync } = await import('node:child_process');
  // A private npm cache, so that a stale npx cache entry of this checkout cannot decide the result.
  const cache = join(tmp, 'npm-cache');
  const r = spawnSync('npx', ['--no-install', 'oomscope', '--version'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: {
      ...process.env,
      npm_config_cache: cache,
      npm_config_update_notifier: 'false',
      npm_config_fund: 'false',
      npm_config_audit: 'false',
    },
  });
  assert.equal(r.status, 0, `${r.error?.message ?? ''} ${r.stderr}`);
  assert.equal(r.stdout.trim(), version);
});

void test('colour on a terminal (through util-linux `script`), none with NO_COLOR', async (t) => {
  const { spawnSync } = await import('node:child_process');
  const probe = spawnSync('script', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    if (process.env.CI === 'true') assert.fail('util-linux `script` is needed to give the CLI a terminal');
    t.skip('no util-linux `script` on this machine to give the CLI a terminal');
    return;
  }
  requireBuiltCli();
  const cmd = `'${process.execPath}' '${join(ROOT, 'dist', 'cli.js')}' lint examples/deployment-limit-below-request.yaml`;
  const run = (env: NodeJS.ProcessEnv) =>
    spawnSync('script', ['-qec', cmd, '/dev/null'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, NO_COLOR: '', ...env },
    });
  const tty = run({});
  assert.equal(tty.status, 1, tty.stderr);
  assert.ok(tty.stdout.includes('\u001b[31merror\u001b[39m'), JSON.stringify(tty.stdout.slice(0, 200)));
  const noColor = run({ NO_COLOR: '1' });
  assert.equal(noColor.status, 1);
  assert.ok(noColor.stdout.includes('error'));
  assert.ok(!noColor.stdout.includes('\u001b['));
});

void test('a named pipe (process substitution, e.g. <(helm template chart/)) is read like a file', async () => {
  const { spawnSync } = await import('node:child_process');
  const fifo = join(tmp, 'rendered.yaml');
  const mk = spawnSync('mkfifo', [fifo]);
  if (mk.status !== 0) {
    if (process.env.CI === 'true') assert.fail('mkfifo is needed for this test');
    return;
  }
  const { writeFile, open } = await import('node:fs/promises');
  const { constants } = await import('node:fs');
  const child = runCli(['lint', '--format', 'json', fifo], { cwd: tmp });
  let written = false;
  // The write blocks until the CLI opens the pipe; if the CLI never does, open it ourselves so nothing hangs.
  const write = writeFile(fifo, readFileSync(join(ROOT, 'examples', 'deployment-limit-below-request.yaml'))).then(
    () => {
      written = true;
    },
  );
  const r = await child;
  const readByCli = written;
  if (!written) await (await open(fifo, constants.O_RDONLY | constants.O_NONBLOCK)).close();
  await write;
  assert.ok(readByCli, 'the CLI read the pipe');
  assert.equal(r.code, 1, r.stderr);
  const json = JSON.parse(r.stdout) as LintJson;
  assert.deepEqual(
    json.findings.map((f) => [f.file, f.ruleId]),
    [['rendered.yaml', 'memory-limit-below-request']],
  );
});
