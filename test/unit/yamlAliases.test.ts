// YAML aliases and merge keys, read as the API server reads them (sigs.k8s.io/yaml → goyaml.v2):
// resolved values, findings at the alias, no quick fix inside an anchor, rejected documents.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText, hoverAt } from '../../src/core/manifest/analyze';
import type { Finding } from '../../src/core/manifest/findingTypes';

const POD = (spec: string, extra = ''): string =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n${extra}spec:\n${spec}`;

const rules = (findings: Finding[]): string[] => findings.map((f) => `${f.ruleId}@${f.container}`).sort();

function lineOf(text: string, needle: string, nth = 0): number {
  const lines = text.split('\n');
  let seen = 0;
  for (let i = 0; i < lines.length; i++) if (lines[i]!.includes(needle) && seen++ === nth) return i;
  throw new Error(`no ${needle}`);
}

void test('the report\'s repro: `limits: *lim` and `<<: *lim` carry the 128m limit (Burstable, fractional at the alias), no false "missing"', () => {
  const repro =
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: alias\nx-defaults: &lim\n  memory: 128m\nspec:\n  containers:\n  - name: a\n    resources:\n      limits: *lim\n  - name: b\n    resources:\n      limits:\n        <<: *lim\n';
  const r = analyzeText(repro);
  assert.equal(r.objects[0]!.qosClass, 'Burstable');
  assert.deepEqual(
    r.objects[0]!.containers.map((c) => c.limits.memory),
    [1n, 1n],
  );
  assert.deepEqual(rules(r.findings), [
    'memory-quantity-fractional@a',
    'memory-quantity-fractional@b',
    'memory-request-defaulted@a',
    'memory-request-defaulted@b',
  ]);
  const [fa, fb] = r.findings.filter((f) => f.ruleId === 'memory-quantity-fractional');
  // At the aliases, not at the anchor's `memory: 128m` on line 5.
  assert.deepEqual(fa!.range, { start: { line: 10, character: 14 }, end: { line: 10, character: 18 } });
  assert.deepEqual(fb!.range, { start: { line: 14, character: 12 }, end: { line: 14, character: 16 } });
  // Changing the anchored value would change both containers (and x-defaults): no quick fix.
  assert.deepEqual(fa!.fixes, []);
  assert.deepEqual(fb!.fixes, []);
});

void test('merge keys apply in document order as goyaml.v2 does: a key after `<<` wins, a merged key overrides one before it, earlier maps of a list win', () => {
  const anchors = 'x-a: &a {memory: 1Gi}\nx-b: &b {memory: 2Gi}\n';
  const spec = [
    '  containers:',
    '  - name: after',
    '    resources: {limits: {<<: *a, memory: 3Gi}}',
    '  - name: before',
    '    resources: {limits: {memory: 3Gi, <<: *a}}',
    '  - name: list',
    '    resources: {limits: {<<: [*a, *b]}}',
    '  - name: inline',
    '    resources:',
    '      limits:',
    '        <<: {memory: 4Gi}',
    '  - name: nested',
    '    resources:',
    '      <<: {limits: *b}',
    '',
  ].join('\n');
  const r = analyzeText(POD(spec, anchors));
  const gi = 1024n ** 3n;
  assert.deepEqual(
    r.objects[0]!.containers.map((c) => [c.name, c.limits.memory]),
    [
      ['after', 3n * gi],
      ['before', gi],
      ['list', gi],
      ['inline', 4n * gi],
      ['nested', 2n * gi],
    ],
  );
  assert.deepEqual(
    r.findings.filter((f) => f.ruleId === 'memory-limit-missing'),
    [],
  );
});

void test('a container name through an alias is the name, in findings, objects and hovers', () => {
  const text = POD(
    '  containers:\n  - name: &n web\n    resources: {limits: {memory: 1Gi}}\n  - name: *n\n    image: x\n',
  );
  const r = analyzeText(text);
  assert.deepEqual(
    r.objects[0]!.containers.map((c) => c.name),
    ['web', 'web'],
  );
  const missing = r.findings.find((f) => f.ruleId === 'memory-request-missing');
  assert.ok(missing);
  assert.equal(missing.container, 'web');
  assert.match(missing.message, /^Container "web" has no memory request/);
  // The finding sits on `*n`, and its quick fix adds resources to that container only (its own map is not shared).
  assert.deepEqual(missing.range, { start: { line: 8, character: 10 }, end: { line: 8, character: 12 } });
  assert.equal(missing.fixes.length, 1);
  const h = hoverAt(text, { line: 8, character: 11 });
  assert.ok(h);
  assert.match(h.markdown, /container "web"/);
});

void test("an anchored value used in place is reported there, but gets no quick fix: the anchor's other users would change too", () => {
  const text = POD(
    '  containers:\n  - name: a\n    resources:\n      limits: &l {memory: 1Gb}\n  - name: b\n    resources:\n      limits: *l\n',
  );
  const r = analyzeText(text);
  const invalid = r.findings.filter((f) => f.ruleId === 'memory-quantity-invalid');
  assert.deepEqual(
    invalid.map((f) => [f.container, f.range.start.line, f.range.start.character]),
    [
      ['a', 8, 26],
      ['b', 11, 14],
    ],
  );
  for (const f of invalid) {
    assert.deepEqual(f.fixes, [], `${f.container}: ${f.fixes.map((x) => x.title).join()}`);
    assert.match(f.message, /Did you mean 1Gi or 1G\?/);
  }
  // Without the alias the same value gets its fixes back.
  const alone = analyzeText(POD('  containers:\n  - name: a\n    resources:\n      limits: &l {memory: 1Gb}\n'));
  assert.deepEqual(
    alone.findings.find((f) => f.ruleId === 'memory-quantity-invalid')!.fixes.map((x) => x.title),
    ['Change to 1Gi', 'Change to 1G'],
  );
});

void test('no key is added to a mapping with a merge key, nor into a shared one', () => {
  // A key added next to `<<` could override what the merge brings in (goyaml.v2 replaces, it does not deep-merge).
  const merged = POD('  containers:\n  - name: a\n    <<: {image: x}\n');
  const f1 = analyzeText(merged).findings.find((f) => f.ruleId === 'memory-request-missing');
  assert.ok(f1);
  assert.deepEqual(f1.fixes, []);
  const plain = analyzeText(POD('  containers:\n  - name: a\n    image: x\n'));
  assert.equal(plain.findings.find((f) => f.ruleId === 'memory-request-missing')!.fixes.length, 1);
  const mergedResources = POD('  containers:\n  - name: a\n    resources:\n      <<: {requests: {cpu: 1}}\n');
  const f2 = analyzeText(mergedResources).findings.find((f) => f.ruleId === 'memory-request-missing');
  assert.ok(f2);
  assert.deepEqual(f2.fixes, []);
  const shared = POD('  containers:\n  - &c\n    name: a\n    image: x\n  - <<: *c\n    name: b\n');
  const r = analyzeText(shared);
  assert.deepEqual(
    r.findings.filter((f) => f.ruleId === 'memory-request-missing').map((f) => [f.container, f.fixes.length]),
    [
      ['a', 0],
      ['b', 0],
    ],
  );
});

void test('documents the API server rejects are skipped with the reason: unknown alias, an anchor containing itself, a merge of a scalar', () => {
  const cases: Array<[string, RegExp]> = [
    [POD('  containers:\n  - name: a\n    resources: {limits: *nope}\n'), /alias \*nope names no anchor before it/],
    [POD('  containers: &c\n  - name: a\n    sidecars: *c\n'), /anchor &c contains an alias to itself/],
    [
      POD('  containers:\n  - name: a\n    resources:\n      limits:\n        <<: 1Gi\n'),
      /merge key << needs a map or a list of maps/,
    ],
  ];
  for (const [text, reason] of cases) {
    const r = analyzeText(text);
    assert.deepEqual(r.findings, [], text);
    assert.equal(r.skipped.length, 1, text);
    assert.match(r.skipped[0]!.reason, reason);
    assert.match(r.skipped[0]!.reason, /the API server rejects this document; it was not checked for memory settings$/);
  }
});

void test("the block reader and yaml's Composer agree on merge keys", () => {
  const text = POD(
    '  containers:\n  - name: a\n    resources:\n      limits:\n        <<:\n          memory: 128m\n        cpu: 1\n',
  );
  assert.deepEqual(analyzeText(text), analyzeText(text, undefined, { blockReader: false }));
  const r = analyzeText(text);
  assert.deepEqual(rules(r.findings), ['memory-quantity-fractional@a', 'memory-request-defaulted@a']);
  // In place (no alias): the fix edits the merged value where it is written.
  const fix = r.findings.find((f) => f.ruleId === 'memory-quantity-fractional')!.fixes[0];
  assert.equal(fix?.title, 'Change to 128Mi');
  assert.equal(fix?.edits[0]?.range.start.line, lineOf(text, 'memory: 128m'));
});

void test('a billion-laughs document costs no expansion: nested aliases are followed, never copied', () => {
  let text =
    'apiVersion: v1\nkind: Pod\nmetadata: {name: bomb}\nx0: &a0 {name: c, resources: {limits: {memory: 1Gi}}}\n';
  for (let i = 1; i <= 30; i++)
    text += `x${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]\n`;
  text += 'spec:\n  containers: [*a0, *a0, *a0]\n  initContainers: *a30\n';
  const r = analyzeText(text);
  assert.equal(r.objects.length, 1);
  // initContainers is a list of lists, not of containers: only the three regular containers count.
  assert.equal(r.objects[0]!.containers.length, 3);
});

void test("real-world: the aerospike chart's pod template labels come through its &AerospikeDeploymentLabels anchor", () => {
  const text = readFileSync(join('test', 'fixtures', 'rendered', 'aerospike-statefulset-excerpt.yaml'), 'utf8');
  const r = analyzeText(text);
  assert.equal(r.skipped.length, 0);
  const o = r.objects[0]!;
  assert.deepEqual(o.podLabels, {
    app: 'aerospike',
    chart: 'aerospike-5.0.0',
    release: 'demo',
    'unique-app': 'demo-aerospike',
  });
  assert.deepEqual(o.podLabels, o.labels);
  assert.deepEqual(rules(r.findings), ['memory-request-missing@aerospike']);
});
