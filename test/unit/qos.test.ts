import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText } from '../../src/core/manifest/analyze';
import { DEFAULT_SETTINGS } from '../../src/core/manifest/findingTypes';

const fixture = (name: string): string => readFileSync(join('test', 'fixtures', 'qos', name), 'utf8');

// Expected classes: kubernetes/website docs page quality-service-pod.md, as recorded in test/fixtures/SOURCES.md.
const EXPECTED: Record<string, string> = {
  'website-qos-pod.yaml': 'Guaranteed',
  'website-qos-pod-2.yaml': 'Burstable',
  'website-qos-pod-3.yaml': 'BestEffort',
  'website-qos-pod-4.yaml': 'Burstable',
  'website-qos-pod-5.yaml': 'Guaranteed',
  'website-pod-level-resources.yaml': 'Burstable',
  'website-memory-request-limit-2.yaml': 'Burstable',
};

void test('kubernetes/website QoS examples classify as the docs say', () => {
  for (const [file, cls] of Object.entries(EXPECTED)) {
    const r = analyzeText(fixture(file));
    assert.equal(r.objects.length, 1, file);
    assert.equal(r.objects[0]!.qosClass, cls, file);
    assert.equal(r.skipped.length, 0, file);
  }
});

void test('oom_score_adj: Guaranteed −997, BestEffort 1000, Burstable formula with pod-level share (16Gi node)', () => {
  const adj = (file: string): Array<number | null> =>
    analyzeText(fixture(file)).objects[0]!.containers.map((c) => c.oomScoreAdj);
  assert.deepEqual(adj('website-qos-pod.yaml'), [-997]);
  assert.deepEqual(adj('website-qos-pod-3.yaml'), [1000]);
  // 200Mi request: 1000 − 1000·209715200/17179869184 = 1000 − 12 = 988
  assert.deepEqual(adj('website-qos-pod-4.yaml'), [988, 999]);
  // pod request 100Mi, containers 50Mi + 0 → 25Mi extra each: 75Mi → 996, 25Mi → 999
  assert.deepEqual(adj('website-pod-level-resources.yaml'), [996, 999]);
  const small = analyzeText(fixture('website-qos-pod-4.yaml'), {
    ...DEFAULT_SETTINGS,
    nodeMemoryCapacityBytes: 1024n * 1024n * 1024n,
  });
  assert.deepEqual(
    small.objects[0]!.containers.map((c) => c.oomScoreAdj),
    [805, 999],
  );
});

const pod = (spec: string): string => `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n${spec}`;
const cls = (spec: string): string | null => analyzeText(pod(spec)).objects[0]!.qosClass;

void test('requests default from limits; cpu and memory both needed for Guaranteed; init containers count', () => {
  assert.equal(cls('  containers:\n  - name: a\n    resources: {limits: {memory: 1Gi, cpu: 500m}}\n'), 'Guaranteed');
  assert.equal(cls('  containers:\n  - name: a\n    resources: {limits: {memory: 1Gi}}\n'), 'Burstable');
  assert.equal(
    cls('  containers:\n  - name: a\n    resources: {limits: {memory: 1Gi, cpu: 1}, requests: {cpu: 1000m}}\n'),
    'Guaranteed',
  );
  assert.equal(cls('  containers:\n  - name: a\n    resources: {limits: {ephemeral-storage: 1Gi}}\n'), 'BestEffort');
  assert.equal(
    cls('  initContainers:\n  - name: i\n  containers:\n  - name: a\n    resources: {limits: {memory: 1Gi, cpu: 1}}\n'),
    'Burstable',
  );
  assert.equal(
    cls(
      '  containers:\n  - name: a\n    resources: {limits: {memory: 1Gi, cpu: 1}}\n  - name: b\n    resources: {limits: {memory: 2Gi, cpu: 2}}\n',
    ),
    'Guaranteed',
  );
});

void test('pod-level resources decide the class when set (requests defaulted from pod limits)', () => {
  assert.equal(cls('  resources: {limits: {memory: 1Gi, cpu: 1}}\n  containers:\n  - name: a\n'), 'Guaranteed');
  assert.equal(
    cls(
      '  resources: {limits: {memory: 1Gi, cpu: 1}}\n  containers:\n  - name: a\n    resources: {requests: {memory: 100Mi, cpu: 100m}}\n',
    ),
    'Burstable',
  );
  assert.equal(
    cls(
      '  resources: {requests: {memory: 1Gi}}\n  containers:\n  - name: a\n    resources: {limits: {memory: 1Gi, cpu: 1}}\n',
    ),
    'Burstable',
  );
});

void test('a sidecar gets at most the adj of the smallest regular container; clamp to [3, 999]; node-critical −997', () => {
  const text = pod(
    '  initContainers:\n  - name: side\n    restartPolicy: Always\n    resources: {requests: {memory: 64Mi}}\n  - name: init\n    resources: {requests: {memory: 8Gi}}\n  containers:\n  - name: big\n    resources: {requests: {memory: 4Gi}}\n  - name: huge\n    resources: {requests: {memory: 20Gi}}\n',
  );
  const o = analyzeText(text).objects[0]!;
  assert.equal(o.qosClass, 'Burstable');
  assert.deepEqual(
    o.containers.map((c) => [c.name, c.init, c.sidecar, c.oomScoreAdj]),
    [
      ['side', true, true, 750],
      ['init', true, false, 500],
      ['big', false, false, 750],
      ['huge', false, false, 3],
    ],
  );
  const tiny = analyzeText(pod('  containers:\n  - name: a\n    resources: {requests: {memory: 1Mi}}\n')).objects[0]!;
  assert.equal(tiny.containers[0]!.oomScoreAdj, 999);
  const crit = analyzeText(
    pod(
      '  priorityClassName: system-node-critical\n  containers:\n  - name: a\n    resources: {requests: {memory: 1Mi}}\n',
    ),
  ).objects[0]!;
  assert.equal(crit.containers[0]!.oomScoreAdj, -997);
});
