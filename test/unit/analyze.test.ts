import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText, type FileAnalysis } from '../../src/core/manifest/analyze';
import { splitYamlDocuments } from '../../src/core/manifest/splitDocuments';
import { DEFAULT_SETTINGS, type AnalysisSettings } from '../../src/core/manifest/findingTypes';
import { listRuleFixtures, readFixture } from '../support/caretFixtures';
import { assertNoInternalErrors } from '../support/internalErrors';

const WILD = join('test', 'fixtures', 'wild');

function bySlices(text: string, settings: AnalysisSettings = DEFAULT_SETTINGS): FileAnalysis {
  const out: FileAnalysis = { findings: [], objects: [], skipped: [] };
  for (const s of splitYamlDocuments(text)) {
    const r = analyzeText(s.text, settings, { documentIndexBase: s.index, lineOffset: s.startLine });
    out.findings.push(...r.findings);
    out.objects.push(...r.objects);
    out.skipped.push(...r.skipped);
  }
  return out;
}

void test('analyzing document slices equals analyzing the whole file (fixtures and wild manifests)', () => {
  const texts = listRuleFixtures().map(readFixture);
  for (const d of readdirSync(WILD))
    for (const f of readdirSync(join(WILD, d))) texts.push(readFileSync(join(WILD, d, f), 'utf8'));
  texts.push(texts.join('\n---\n'));
  for (const t of texts) {
    const whole = analyzeText(t);
    assertNoInternalErrors(whole);
    assert.deepEqual(bySlices(t), whole);
  }
});

void test('wild manifests: only what a careful reader finds (frontend-check without resources, grafana tmp-plugins)', () => {
  const found: string[] = [];
  let objects = 0;
  for (const d of readdirSync(WILD)) {
    for (const f of readdirSync(join(WILD, d))) {
      const r = analyzeText(readFileSync(join(WILD, d, f), 'utf8'));
      objects += r.objects.length;
      assert.deepEqual(r.skipped, []);
      for (const x of r.findings) found.push(`${d}/${f} ${x.object?.name} ${x.container} ${x.ruleId}`);
    }
  }
  assert.equal(objects, 18);
  assert.deepEqual(found.sort(), [
    'kube-prometheus/grafana-deployment.yaml grafana grafana emptydir-memory-unbounded',
    'online-boutique/kubernetes-manifests.yaml loadgenerator frontend-check memory-request-missing',
  ]);
});

void test('the 2× bursts of Online Boutique are quiet, a tighter ratio setting makes them speak', () => {
  const text = readFileSync(join(WILD, 'online-boutique', 'kubernetes-manifests.yaml'), 'utf8');
  const strict = analyzeText(text, { ...DEFAULT_SETTINGS, maxLimitRequestRatio: 1.5 });
  const ratio = strict.findings.filter((f) => f.ruleId === 'memory-limit-request-ratio');
  assert.ok(ratio.length >= 10, String(ratio.length));
  assert.match(ratio[0]!.message, /2× its request 64Mi \(more than 1\.5×\)/);
});

void test('severity settings: override and off', () => {
  const text = readFixture('memory-limit-missing.yaml');
  assert.equal(analyzeText(text).findings[0]!.severity, 'warning');
  const s = { ...DEFAULT_SETTINGS, severities: { 'memory-limit-missing': 'error' as const } };
  assert.equal(analyzeText(text, s).findings[0]!.severity, 'error');
  const off = { ...DEFAULT_SETTINGS, severities: { 'memory-limit-missing': 'off' as const } };
  assert.deepEqual(analyzeText(text, off).findings, []);
});

void test('heap-exceeds-limit is a warning above 75% and an error at or above the limit', () => {
  const r = analyzeText(readFixture('heap-exceeds-limit.yaml'));
  const sev = r.findings.map((f) => [f.container, f.severity, f.message.split(':')[0]]);
  assert.deepEqual(sev, [
    ['java', 'warning', 'JVM -Xmx900m (900Mi) in container "java" is 87.8% of its memory limit 1Gi'],
    ['java', 'warning', 'JVM -XX'],
    ['node', 'error', 'Node.js --max-old-space-size=2048 (2Gi) in container "node" is equal to its memory limit 2Gi'],
    ['go', 'error', 'GOMEMLIMIT=512MiB (512Mi) in container "go" is equal to its memory limit 512Mi'],
  ]);
});

void test('messages name the fact, the consequence and the QoS class', () => {
  const misses = analyzeText(readFixture('memory-request-missing.yaml')).findings.filter(
    (f) => f.ruleId === 'memory-request-missing',
  );
  assert.equal(
    misses[1]!.message,
    'Container "with-cpu" has no memory request or limit: the scheduler reserves no memory for it, and under node memory pressure all of its usage counts as above request, which moves this Burstable pod up the eviction order.',
  );
  const best = analyzeText(
    'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: report\n',
  ).findings.find((f) => f.ruleId === 'memory-request-missing')!;
  assert.equal(
    best.message,
    'Container "report" has no memory request or limit: the scheduler reserves no memory for it, and the pod is BestEffort: first to be evicted under node memory pressure, and oom_score_adj 1000 makes it the kernel\'s first victim.',
  );
  const frac = analyzeText(readFixture('memory-quantity-fractional.yaml')).findings[0]!;
  assert.equal(
    frac.message,
    'Memory request "128m" of container "app" is 0.128 bytes, not a whole number of bytes: the API server rounds it up to 1 byte ("m" is milli); did you mean 128Mi?',
  );
  const qos = analyzeText(readFixture('qos-class-in-spec.yaml')).findings[0]!;
  assert.match(
    qos.message,
    /this pod will be Burstable \(not Guaranteed\) because container "app" has memory request 256Mi ≠ limit 512Mi/,
  );
  assert.equal(frac.object?.kind, 'Pod');
});

void test('bad input never throws', () => {
  for (const t of [
    '',
    '\u0000\u0001',
    '---\n---\n',
    'kind: Pod\napiVersion: v1\nspec: 5\n',
    'apiVersion: v1\nkind: Pod\nspec:\n  containers: 7\n',
    '{{ broken',
    ': : :',
    'a: *unknown',
    '- [',
    '\ufeffapiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: x\n',
  ]) {
    assertNoInternalErrors(analyzeText(t), JSON.stringify(t));
  }
});
