// The language server's analysis of one open document when observations change (src/server/observations.ts,
// DocumentAnalysis): only the YAML documents whose workloads the change concerns are analyzed again, the others keep
// their results (the same objects); an edit after the change gives what a fresh analysis with the new observations
// gives. Observations are GENERATED here (hand-built numbers), the manifests hand-written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SETTINGS } from '../../src/core/manifest/findingTypes';
import type { ObservedWorkload } from '../../src/core/manifest/observed';
import { DocumentAnalysis, type AnalysisSnapshot } from '../../src/server/documentAnalysis';
import { ObservationStore, type ObservationSnapshot } from '../../src/server/observations';
import { manyDeployments } from '../protocol/lspHarness';

const MI = 1024 * 1024;
const TEXT = manyDeployments(40);

function killed(name: string, namespace = 'default'): ObservedWorkload {
  return {
    kind: 'Deployment',
    name,
    namespace,
    context: 'test',
    generatedAt: Date.UTC(2025, 2, 12, 9, 30),
    windowHours: 24,
    nodes: [],
    containers: [
      {
        name: 'app',
        p95Bytes: 200 * MI,
        peakBytes: 300 * MI,
        kills: [
          {
            t: Date.UTC(2025, 2, 12, 8, 0),
            class: 'container-limit',
            precededBy: 'thrashing',
            precedingSeconds: 50,
            precededJudged: true,
            workingSetBytes: 256 * MI,
            limitBytes: 256 * MI,
            pod: `${name}-5d8f-abcde`,
          },
        ],
      },
    ],
  };
}

function observations(workloads: ObservedWorkload[], defaultNamespace = 'default'): ObservationSnapshot {
  const store = new ObservationStore();
  assert.ok(store.set({ context: 'test', defaultNamespace, workloads }, assert.fail));
  return store.snapshot();
}

const run = (obs: ObservationSnapshot) => ({ settings: DEFAULT_SETTINGS, observations: obs });
const clusterIds = (s: AnalysisSnapshot, i: number): string[] =>
  s.results[i]!.findings.map((f) => f.ruleId).filter((id) => /observed|oom-killed/.test(id));

void test('a change of observations analyzes again only the documents of the workloads it concerns', async () => {
  const doc = new DocumentAnalysis();
  const before = await doc.analyze(TEXT, 1, run(observations([])), 'k');
  assert.ok(before);
  const after = await doc.analyze(TEXT, 1, run(observations([killed('svc-7')])), 'k');
  assert.ok(after);
  assert.deepEqual(clusterIds(after, 7), ['oom-killed-recently', 'limit-below-observed-usage']);
  for (let i = 0; i < 40; i++) if (i !== 7) assert.equal(after.results[i], before.results[i], `document ${i} kept`);
  assert.notEqual(after.results[7], before.results[7]);

  // Another workload's observation: svc-7 keeps its result, svc-20 is analyzed again; svc-7 cleared: analyzed again.
  const both = await doc.analyze(TEXT, 1, run(observations([killed('svc-7'), killed('svc-20')])), 'k');
  assert.ok(both);
  assert.equal(both.results[7], after.results[7]);
  assert.deepEqual(clusterIds(both, 20), ['oom-killed-recently', 'limit-below-observed-usage']);
  const cleared = await doc.analyze(TEXT, 1, run(observations([killed('svc-20')])), 'k');
  assert.ok(cleared);
  assert.deepEqual(clusterIds(cleared, 7), []);
  assert.equal(cleared.results[20], both.results[20]);

  // The namespace of an object that names none is the context's: under another one, nothing matches.
  const elsewhere = await doc.analyze(TEXT, 1, run(observations([killed('svc-20')], 'shop')), 'k');
  assert.ok(elsewhere);
  assert.deepEqual(clusterIds(elsewhere, 20), []);
});

void test('an edit after a change of observations analyzes its region only; the next run brings the rest up to date', async () => {
  const doc = new DocumentAnalysis();
  await doc.analyze(TEXT, 1, run(observations([])), 'k');
  // An edit in svc-30's document, while svc-3 (far from it) has just been observed.
  const at = TEXT.indexOf('registry.example/svc:30') + 'registry.example/svc:'.length;
  const edited = `${TEXT.slice(0, at)}9${TEXT.slice(at)}`;
  doc.recordChanges(2, [{ start: at, end: at, newLength: 1 }]);
  const obs = observations([killed('svc-3')]);
  const keystroke = await doc.analyze(edited, 2, run(obs), 'k');
  assert.ok(keystroke);
  assert.deepEqual(clusterIds(keystroke, 3), [], 'svc-3 is far from the edit: kept as it was');
  assert.equal(doc.hasStale(obs), true, 'and the scheduler is told a follow-up run is due');
  // The follow-up run (same version, no edit): what a fresh analysis with these observations gives.
  const got = await doc.analyze(edited, 2, run(obs), 'k');
  const want = await new DocumentAnalysis().analyze(edited, 2, run(obs), 'k');
  assert.ok(got && want);
  assert.deepEqual(
    got.results.map((r) => r.findings.map((f) => `${f.ruleId}@${f.range.start.line}`)),
    want.results.map((r) => r.findings.map((f) => `${f.ruleId}@${f.range.start.line}`)),
  );
  assert.deepEqual(clusterIds(got, 3), ['oom-killed-recently', 'limit-below-observed-usage']);
  assert.equal(doc.hasStale(obs), false);
  assert.equal(got.slices, keystroke.slices, 'the same version is not split again');
});

void test('observations not of the protocol shape are refused with one warning, and the last ones stay', () => {
  const store = new ObservationStore();
  assert.ok(store.set({ context: 'c', defaultNamespace: 'default', workloads: [killed('svc-1')] }, assert.fail));
  const warnings: string[] = [];
  assert.equal(
    store.set({ workloads: 'all' }, (m) => warnings.push(m)),
    false,
  );
  assert.equal(store.snapshot().observed.length, 1);
  const broken = { ...killed('svc-2'), containers: [{ name: 'app', kills: [{ t: 'yesterday' }] }] };
  assert.ok(
    store.set({ context: 'c', defaultNamespace: 'default', workloads: [broken, killed('svc-3')] }, (m) =>
      warnings.push(m),
    ),
  );
  assert.deepEqual(
    store.snapshot().observed.map((w) => w.name),
    ['svc-3'],
  );
  assert.deepEqual(warnings, [
    'oomscope/observedWorkloads: params are not {context, defaultNamespace, workloads: [...]}; ignored',
    "oomscope/observedWorkloads: 1 workload(s) not of the protocol's shape; ignored",
  ]);
});
