// `oomscope lint --context` as a pipeline runs it (node dist/cli.js): the manifest of the fleet's shop/Deployment/api
// (test/fixtures/cli/shop-api-deployment.yaml, written for this test) against the fleet cluster of the test API server
// (GENERATED, src/demo/fleet.ts) with a real Prometheus behind its service proxy (test/support/fleetHistory.ts): the
// cluster-aware findings on the `512Mi` range, in JSON (valid against the lint schema) and SARIF (valid against SARIF
// 2.1.0, the new rule ids in the rules list); an unreachable cluster leaves the static findings and one stderr line.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { LINT_JSON_SCHEMA, type LintJson } from '../../src/shared/cliJson';
import { startApiServer, type ApiServer } from '../../src/demo/apiServer';
import { prometheusAvailable, type Prometheus } from '../support/prometheus';
import { startFleetCluster, type FleetCluster } from '../support/fleetHistory';
import { FIXTURES, runCli, validateSarif } from './support';

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv);
const validLint = ajv.compile(LINT_JSON_SCHEMA);
const FILE = join(FIXTURES, 'shop-api-deployment.yaml');
const lines = readFileSync(FILE, 'utf8').split('\n');
const LIMIT_LINE = lines.findIndex((l) => l.includes('memory: 512Mi'));
const LIMIT_RANGE = {
  start: { line: LIMIT_LINE, character: lines[LIMIT_LINE]!.indexOf('512Mi') },
  end: { line: LIMIT_LINE, character: lines[LIMIT_LINE]!.indexOf('512Mi') + 5 },
};

let fleet: FleetCluster;
let server: ApiServer;
let prom: Prometheus | null = null;

before(async () => {
  fleet = await startFleetCluster();
  server = fleet.server;
  prom = fleet.prom;
});

after(() => fleet?.close());

const ctx = (): string[] => ['--context', 'oomscope-fleet', '--kubeconfig', server.kubeconfigPath];

void test('lint --context --format json: oom-killed-recently and limit-below-observed-usage on the 512Mi range, valid JSON', async (t) => {
  if (!prometheusAvailable(t) || !prom) return;
  const r = await runCli(['lint', ...ctx(), FILE, '--format', 'json'], { timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  const j = JSON.parse(r.stdout) as LintJson;
  assert.ok(validLint(j), ajv.errorsText(validLint.errors));
  const oom = j.findings.filter((f) => f.ruleId === 'oom-killed-recently');
  assert.equal(oom.length, 1, r.stdout);
  assert.deepEqual(oom[0]!.range, LIMIT_RANGE);
  assert.equal(oom[0]!.severity, 'warning');
  assert.equal(oom[0]!.container, 'api');
  assert.match(
    oom[0]!.message,
    /^OOM-killed 3× in 24 h, twice at its own 512Mi limit after \d+s–\dm( \d+s)? of thrashing, once \(node OOM\) after \dm( \d+s)? of thrashing; peak working set 51\d(\.\d)?Mi \(last: api-7d9f8c6b5-a1b2c, (today|yesterday) \d\d:\d\d UTC\)\.$/,
  );
  const lim = j.findings.filter((f) => f.ruleId === 'limit-below-observed-usage');
  assert.equal(lim.length, 1, r.stdout);
  assert.deepEqual(lim[0]!.range, LIMIT_RANGE);
  assert.match(lim[0]!.message, /^The 512Mi limit of container "api" leaves less than 10% above its peak working set/);
  // The request (256Mi) is below the p95 of the fleet's api (~310Mi): information, on the request's value.
  const req = j.findings.filter((f) => f.ruleId === 'request-below-observed-usage');
  assert.deepEqual(
    req.map((f) => [
      f.severity,
      f.range.start.line,
      lines[f.range.start.line]!.slice(f.range.start.character, f.range.end.character),
    ]),
    [['information', lines.findIndex((l) => l.includes('memory: 256Mi')), '256Mi']],
  );
  // The text format shows the same findings.
  const text = await runCli(['lint', ...ctx(), FILE], { timeoutMs: 60_000 });
  assert.match(text.stdout, /:\d+:23 {2}warning {2}oom-killed-recently {2}OOM-killed 3× in 24 h/);
});

void test('lint --context --format sarif: valid SARIF 2.1.0, the cluster-aware rule ids in the rules list and results', async (t) => {
  if (!prometheusAvailable(t) || !prom) return;
  const r = await runCli(['lint', ...ctx(), FILE, '--format', 'sarif'], { timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stderr);
  const log = JSON.parse(r.stdout) as {
    runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; locations: unknown[] }[] }[];
  };
  assert.deepEqual(validateSarif(log), []);
  const ids = log.runs[0]!.tool.driver.rules.map((x) => x.id);
  for (const id of ['oom-killed-recently', 'limit-below-observed-usage', 'request-below-observed-usage'])
    assert.ok(ids.includes(id), id);
  const results = log.runs[0]!.results.map((x) => x.ruleId);
  assert.ok(results.includes('oom-killed-recently') && results.includes('limit-below-observed-usage'), results.join());
});

void test('lint --context on an unreachable cluster: the static findings, one stderr line, the static exit code', async (t) => {
  const downDir = mkdtempSync(join(tmpdir(), 'oomscope-cli-lint-down-'));
  t.after(() => rmSync(downDir, { recursive: true, force: true }));
  const s = await startApiServer({ scenario: 'fleet', dir: downDir });
  const kubeconfig = s.kubeconfigPath;
  await s.close();
  // A manifest with a static warning (no limit): its finding prints, the exit code is the static one (0: no errors).
  const noLimit = join(FIXTURES, 'burstable-warnings-only.yaml');
  const stat = await runCli(['lint', noLimit, '--format', 'json']);
  const r = await runCli(['lint', '--context', 'oomscope-fleet', '--kubeconfig', kubeconfig, noLimit, FILE, '--format', 'json']); // prettier-ignore
  assert.equal(r.code, stat.code);
  const j = JSON.parse(r.stdout) as LintJson;
  assert.ok(validLint(j), ajv.errorsText(validLint.errors));
  assert.deepEqual(
    j.findings.filter((f) => f.file.endsWith('burstable-warnings-only.yaml')),
    (JSON.parse(stat.stdout) as LintJson).findings,
  );
  assert.ok(!j.findings.some((f) => f.ruleId === 'oom-killed-recently'));
  assert.match(
    r.stderr,
    /^oomscope lint: no cluster findings from context oomscope-fleet: Cannot reach the API server at https:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)[^\n]*\n$/,
  );
  // Usage: the cluster options need --context; a bad --since is a usage error.
  const lone = await runCli(['lint', '--since', '24h', FILE]);
  assert.equal(lone.code, 2);
  assert.equal(lone.stderr, 'oomscope lint: --since is an option of --context; add --context NAME\n');
  const since = await runCli(['lint', '--context', 'x', '--kubeconfig', kubeconfig, '--since', 'soon', FILE]);
  assert.equal(since.code, 2);
  assert.match(since.stderr, /invalid --since 'soon'/);
});
