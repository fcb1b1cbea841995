// `oomscope analyze-workload` and `oomscope triage` as a pipeline runs them (node dist/cli.js): against the fleet
// cluster of the test API server (GENERATED, src/demo/fleet.ts) with a real Prometheus behind its service proxy
// (test/support/fleetHistory.ts), and without one; the JSON validated against the closed schemas of docs/cli.md.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { ANALYZE_WORKLOAD_JSON_SCHEMA, TRIAGE_JSON_SCHEMA } from '../../src/shared/cliJson';
import type { AnalyzeWorkloadJson, TriageJson } from '../../src/shared/cliJson';
import type { ApiServer } from '../../src/demo/apiServer';
import { prometheusAvailable, type Prometheus } from '../support/prometheus';
import { startFleetCluster, type FleetCluster } from '../support/fleetHistory';
import { runCli } from './support';

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv);
const validWorkload = ajv.compile(ANALYZE_WORKLOAD_JSON_SCHEMA);
const validTriage = ajv.compile(TRIAGE_JSON_SCHEMA);

let fleet: FleetCluster;
let server: ApiServer;
let prom: Prometheus | null = null;

before(async () => {
  fleet = await startFleetCluster();
  server = fleet.server;
  prom = fleet.prom;
});

after(() => fleet?.close());

void test('analyze-workload --format json: exit 1 with the kills, valid against the schema, with Prometheus and without', async (t) => {
  const noProm = await runCli(['analyze-workload', 'deploy/api', '-n', 'shop', '--kubeconfig', server.kubeconfigPath, '--no-prometheus', '--format', 'json']); // prettier-ignore
  assert.equal(noProm.code, 1, noProm.stderr);
  assert.ok(validWorkload(JSON.parse(noProm.stdout)), ajv.errorsText(validWorkload.errors));
  const j0 = JSON.parse(noProm.stdout) as AnalyzeWorkloadJson;
  assert.equal(j0.ooms.length, 2);
  // The nodes' memory and swap (the Node objects and fleet-c's kubelet configz), in the JSON as in the analysis.
  assert.deepEqual(
    j0.nodes.find((n) => n.name === 'fleet-c'),
    {
      name: 'fleet-c',
      present: true,
      pods: j0.nodes.find((n) => n.name === 'fleet-c')!.pods,
      capacityBytes: 16 * 1024 ** 3,
      swapCapacityBytes: 4 * 1024 ** 3,
      swapBehavior: 'LimitedSwap',
    },
  );
  assert.match(j0.sources.prometheus!, /^unavailable: not looked for/);
  if (!prometheusAvailable(t) || !prom) return;
  const r = await runCli(['analyze-workload', 'Deployment/api', '--namespace=shop', '--kubeconfig', server.kubeconfigPath, '--format', 'json']); // prettier-ignore
  assert.equal(r.code, 1, r.stderr);
  assert.ok(validWorkload(JSON.parse(r.stdout)), ajv.errorsText(validWorkload.errors));
  const j = JSON.parse(r.stdout) as AnalyzeWorkloadJson;
  assert.deepEqual(
    j.ooms.map((k) => [k.pod, k.node, k.class]),
    [
      ['api-7d9f8c6b5-z9y8x', 'fleet-gone', 'container-limit'],
      ['api-7d9f8c6b5-d3e4f', 'fleet-b', 'system'],
      ['api-7d9f8c6b5-a1b2c', 'fleet-a', 'container-limit'],
    ],
  );
  assert.equal(j.nodes.find((n) => n.name === 'fleet-gone')?.present, false);
});

void test('analyze-workload text: the kills in words, the gone node named, the sources', async (t) => {
  if (!prometheusAvailable(t) || !prom) return;
  const r = await runCli(['analyze-workload', 'deploy/api', '-n', 'shop', '--kubeconfig', server.kubeconfigPath]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /^Deployment\/api in namespace shop · context /);
  assert.match(r.stdout, /OOM kills and evictions \(3 OOM kills, 1 eviction\):/);
  assert.match(
    r.stdout,
    /OOM-KILLED {2}shop\/api-7d9f8c6b5-z9y8x\/api, limit 512Mi .* on fleet-gone, working set 5\d\d(\.\d)?Mi {2}\[prometheus\]/,
  );
  assert.match(r.stdout, /system: the node ran out of memory/);
  assert.match(r.stdout, /thrashing for \d+s before the kill|thrashing for \dm/);
  assert.match(r.stdout, /fleet-gone \(no longer in the cluster\)/);
  assert.match(
    r.stdout,
    /Where the sources disagree:\n {2}- the pod status says api-7d9f8c6b5-d3e4f\/api was OOMKilled/,
  );
});

void test('triage --format json: ranked workloads, valid; exit 1; and usage errors are exit 2', async (t) => {
  const api = await runCli(['triage', '--kubeconfig', server.kubeconfigPath, '--no-prometheus', '--format', 'json']);
  assert.equal(api.code, 1, api.stderr);
  assert.ok(validTriage(JSON.parse(api.stdout)), ajv.errorsText(validTriage.errors));
  assert.equal((JSON.parse(api.stdout) as TriageJson).via, 'api');
  const bad = await runCli(['analyze-workload', 'service/api', '--kubeconfig', server.kubeconfigPath]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown kind 'service'/);
  const since = await runCli(['triage', '--since', 'yesterday', '--kubeconfig', server.kubeconfigPath]);
  assert.equal(since.code, 2);
  assert.match(since.stderr, /invalid --since 'yesterday'/);
  if (!prometheusAvailable(t) || !prom) return;
  const r = await runCli(['triage', '--since', '24h', '--kubeconfig', server.kubeconfigPath, '--format', 'json']);
  assert.equal(r.code, 1, r.stderr);
  assert.ok(validTriage(JSON.parse(r.stdout)), ajv.errorsText(validTriage.errors));
  const j = JSON.parse(r.stdout) as TriageJson;
  assert.equal(j.via, 'prometheus');
  assert.deepEqual(j.workloads[0], {
    kind: 'Deployment',
    name: 'api',
    namespace: 'shop',
    ooms: 3,
    evictions: 1,
    dominantClass: 'container-limit',
    afterThrashingShare: j.workloads[0]!.afterThrashingShare,
  });
  const text = await runCli(['triage', '--kubeconfig', server.kubeconfigPath]);
  assert.match(text.stdout, /^ {4}3 {6}1 {2}shop\/Deployment\/api {2,}own limit/m);
});
