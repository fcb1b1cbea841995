import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText, mayContainKubernetes } from '../../src/core/manifest/analyze';
import { splitYamlDocuments } from '../../src/core/manifest/splitDocuments';
import { DEFAULT_SETTINGS } from '../../src/core/manifest/findingTypes';
import { readFixture } from '../support/caretFixtures';

const container = (name: string): string =>
  `containers:\n      - name: ${name}\n        resources: {limits: {memory: 1Gi, cpu: 1}}`;

void test('every pod-carrying kind is found, with name, namespace, document index and the range of its kind', () => {
  const docs = [
    `apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: ns}\nspec:\n  containers:\n  - name: c\n`,
    `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: b, labels: {tier: web}}\nspec:\n  selector: {matchLabels: {app: b}}\n  template:\n    metadata: {labels: {app: b}}\n    spec:\n      ${container('c')}\n`,
    `apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers: [{name: c}]\n`,
    `apiVersion: v1\nkind: PodTemplate\nmetadata: {name: d}\ntemplate:\n  spec:\n    containers: [{name: c}]\n`,
    `apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: e}\nspec:\n  template:\n    spec:\n      ${container('c')}\n`,
    `apiVersion: v1\nkind: Service\nmetadata: {name: f}\nspec: {ports: [{port: 80}]}\n`,
  ];
  const text = docs.join('---\n');
  const r = analyzeText(text);
  assert.deepEqual(
    r.objects.map((o) => [o.kind, o.name, o.namespace, o.document]),
    [
      ['Pod', 'a', 'ns', 0],
      ['Deployment', 'b', null, 1],
      ['CronJob', 'c', null, 2],
      ['PodTemplate', 'd', null, 3],
      ['Rollout', 'e', null, 4],
    ],
  );
  const dep = r.objects[1]!;
  assert.deepEqual(dep.labels, { tier: 'web' });
  assert.deepEqual(dep.podLabels, { app: 'b' });
  assert.deepEqual(dep.selector, { app: 'b' });
  const lines = text.split('\n');
  assert.equal(lines[dep.range.start.line]!.slice(dep.range.start.character, dep.range.end.character), 'Deployment');
});

void test('containers, init containers and sidecars; values in bytes; unparseable values are null', () => {
  const text = `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  initContainers:\n  - name: side\n    restartPolicy: Always\n  - name: setup\n  containers:\n  - name: app\n    resources:\n      requests: {memory: 128Mi}\n      limits: {memory: 1Gb}\n`;
  const o = analyzeText(text).objects[0]!;
  assert.deepEqual(
    o.containers.map((c) => [c.name, c.init, c.sidecar, c.requests.memory, c.limits.memory]),
    [
      ['side', true, true, null, null],
      ['setup', true, false, null, null],
      ['app', false, false, 134217728n, null],
    ],
  );
});

void test('a List (kubectl get -o yaml) contributes each item', () => {
  const text = `apiVersion: v1\nkind: List\nitems:\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: one}\n  spec:\n    template:\n      spec:\n        containers:\n        - name: a\n          resources: {requests: {memory: 128m}, limits: {memory: 1Gi}}\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: two}\n  spec:\n    containers: [{name: b}]\n`;
  const r = analyzeText(text);
  assert.deepEqual(
    r.objects.map((o) => [o.kind, o.name, o.document]),
    [
      ['Deployment', 'one', 0],
      ['Pod', 'two', 0],
    ],
  );
  assert.deepEqual(
    r.findings.map((f) => [f.object?.name, f.ruleId]),
    [
      ['one', 'memory-quantity-fractional'],
      // Neither request nor limit: one finding (memory-request-missing), not two on the same range.
      ['two', 'memory-request-missing'],
    ],
  );
});

void test('JSON-flow documents (kubernetes/website style) are objects too', () => {
  const r = analyzeText(readFixture('json-flow.yaml'));
  assert.equal(r.objects.length, 1);
  assert.equal(r.objects[0]!.name, 'flow');
});

void test('non-Kubernetes YAML produces nothing; Helm and syntax errors are skipped once per document', () => {
  assert.deepEqual(analyzeText(readFixture('not-kubernetes.yaml')).findings, []);
  const r = analyzeText(readFixture('skipped-documents.yaml'));
  assert.deepEqual(
    r.skipped.map((s) => s.document),
    [0, 1],
  );
  assert.match(r.skipped[0]!.reason, /template/);
  assert.match(r.skipped[1]!.reason, /syntax error/);
  assert.deepEqual(
    r.objects.map((o) => o.name),
    ['fine'],
  );
  assert.equal(r.objects[0]!.document, 2);
});

void test('Helm templates that happen to parse: template values are unknown, never judged', () => {
  const text = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: "{{ .Release.Name }}"\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        resources: {{ toYaml .Values.resources }}\n      - name: b\n        resources:\n          requests: {memory: {{ .Values.mem }}}\n          limits: {memory: "{{ .Values.mem }}"}\n`;
  const r = analyzeText(text);
  assert.equal(r.objects.length, 1);
  assert.deepEqual(
    r.findings.map((f) => f.ruleId),
    [],
  );
});

void test('ranges are UTF-16 columns after non-ASCII text', () => {
  const text = `apiVersion: v1\nkind: Pod\nmetadata: {name: "ünïcødé-😀"}\nspec:\n  containers:\n  - {name: "😀😀", resources: {requests: {memory: 128m}, limits: {memory: 1Gi}}}\n`;
  const f = analyzeText(text).findings.find((x) => x.ruleId === 'memory-quantity-fractional')!;
  const line = text.split('\n')[f.range.start.line]!;
  assert.equal(line.slice(f.range.start.character, f.range.end.character), '128m');
  assert.equal(f.container, '😀😀');
});

void test('splitYamlDocuments cuts at --- and ... markers only at column 0', () => {
  const text = '# lead\n---\na: 1\n  ---\nb: |\n  ---\n...\n---\nc: 3\n';
  const s = splitYamlDocuments(text);
  assert.deepEqual(
    s.map((x) => [x.index, x.startLine, x.text]),
    [
      [0, 0, '# lead\n---\na: 1\n  ---\nb: |\n  ---\n...\n'],
      [1, 7, '---\nc: 3\n'],
    ],
  );
  assert.equal(s.map((x) => x.text).join(''), text);
  for (const x of s) assert.equal(text.slice(x.startOffset, x.endOffset), x.text);
});

void test('mayContainKubernetes is a cheap, permissive pre-check', () => {
  assert.equal(mayContainKubernetes('apiVersion: v1\nkind: Pod\n'), true);
  assert.equal(mayContainKubernetes('{"apiVersion": "v1", "kind": "Pod"}'), true);
  assert.equal(mayContainKubernetes('name: x\nmemory: 128m\n'), false);
  assert.equal(mayContainKubernetes(''), false);
});

void test('neither request nor limit: one finding with the fix that adds both; with memory-request-missing off, memory-limit-missing still says it', () => {
  const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx\n';
  const one = analyzeText(text);
  assert.deepEqual(
    one.findings.map((f) => f.ruleId),
    ['memory-request-missing'],
  );
  assert.match(one.findings[0]!.fixes[0]!.title, /Add requests\.memory and limits\.memory/);
  const off = analyzeText(text, {
    ...DEFAULT_SETTINGS,
    severities: { ...DEFAULT_SETTINGS.severities, 'memory-request-missing': 'off' },
  });
  assert.deepEqual(
    off.findings.map((f) => f.ruleId),
    ['memory-limit-missing'],
  );
});
