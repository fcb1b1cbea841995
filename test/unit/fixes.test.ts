import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { analyzeText } from '../../src/core/manifest/analyze';
import { applyEdits } from '../../src/core/manifest/edits';
import { LineIndex } from '../../src/core/manifest/lineIndex';
import { DEFAULT_SETTINGS, type Finding, type QuickFix } from '../../src/core/manifest/findingTypes';
import { listRuleFixtures, readFixture } from '../support/caretFixtures';

function apply(text: string, fix: QuickFix): string {
  return applyEdits(text, fix.edits, new LineIndex(text));
}

const fkey = (f: Finding): string => `${f.ruleId}|${f.object?.document}|${f.container}`;

function errorDocs(text: string): number {
  return parseAllDocuments(text).filter((d) => d.errors.length > 0).length;
}

function comments(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => /#.*$/.exec(l)?.[0])
    .filter((c): c is string => !!c && !/^#\s*\^/.test(c));
}

/** Applies the fix and checks what docs/rules/README.md promises: finding gone, YAML valid, comments kept, nothing else touched. */
function checkFix(name: string, text: string, f: Finding, fix: QuickFix): string {
  const before = analyzeText(text);
  const after = apply(text, fix);
  const res = analyzeText(after);
  const label = `${name}: "${fix.title}" for ${f.ruleId}`;
  assert.equal(errorDocs(after), errorDocs(text), `${label} broke the YAML:\n${after}`);
  const count = (list: Finding[], k: string): number => list.filter((x) => fkey(x) === k).length;
  assert.ok(
    count(res.findings, fkey(f)) < count(before.findings, fkey(f)),
    `${label} did not remove the finding:\n${after}`,
  );
  for (const x of res.findings)
    assert.ok(
      before.findings.some((b) => fkey(b) === fkey(x)),
      `${label} introduced ${x.ruleId}: ${x.message}`,
    );
  const cs = comments(after).join('\n');
  for (const c of comments(text)) assert.ok(cs.includes(c), `${label} lost comment ${c}`);
  for (const e of fix.edits) {
    assert.ok(
      e.range.end.line - e.range.start.line <= 1,
      `${label}: edit spans ${e.range.start.line}-${e.range.end.line}`,
    );
    assert.ok(e.newText.split('\n').length <= 7, `${label}: edit too large`);
  }
  assert.equal(res.objects.length, before.objects.length);
  return after;
}

void test('every quick fix in the rule fixtures applies cleanly and removes its finding', () => {
  let checked = 0;
  for (const name of listRuleFixtures()) {
    const text = readFixture(name);
    for (const f of analyzeText(text).findings)
      for (const fix of f.fixes) {
        checkFix(name, text, f, fix);
        checked++;
      }
  }
  assert.ok(checked >= 15, `only ${checked} fixes checked`);
});

const POD = (body: string): string => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${body}`;

function onlyFix(text: string, ruleId: string, title?: RegExp): { finding: Finding; fix: QuickFix } {
  const f = analyzeText(text).findings.find((x) => x.ruleId === ruleId);
  assert.ok(f, `no ${ruleId} in\n${text}`);
  const fix = title ? f.fixes.find((x) => title.test(x.title)) : f.fixes[0];
  assert.ok(fix, `no fix for ${ruleId}: ${f.fixes.map((x) => x.title).join(', ')}`);
  return { finding: f, fix };
}

void test('128m → 128Mi keeps quotes and the trailing comment', () => {
  const text = POD(
    '  containers:\n  - name: a\n    resources:\n      requests:\n        memory: "128m" # oops\n      limits:\n        memory: 128Mi\n',
  );
  const { finding, fix } = onlyFix(text, 'memory-quantity-fractional');
  assert.equal(fix.title, 'Change to 128Mi');
  assert.equal(checkFix('quoted', text, finding, fix), text.replace('"128m"', '"128Mi"'));
});

void test('1Gb offers 1Gi (preferred) and 1G; "512 Mi" becomes 512Mi', () => {
  const text = POD(
    '  containers:\n  - name: a\n    resources:\n      requests:\n        memory: 1Gb\n      limits:\n        memory: 512 Mi\n',
  );
  const fs = analyzeText(text).findings.filter((f) => f.ruleId === 'memory-quantity-invalid');
  assert.deepEqual(
    fs.map((f) => f.fixes.map((x) => x.title)),
    [['Change to 1Gi', 'Change to 1G'], ['Change to 512Mi']],
  );
  assert.equal(fs[0]!.fixes[0]!.isPreferred, true);
  assert.equal(apply(text, fs[0]!.fixes[1]!), text.replace('1Gb', '1G'));
  assert.equal(apply(text, fs[1]!.fixes[0]!), text.replace('512 Mi', '512Mi'));
});

void test("add limits.memory equal to the request, in the file's 4-space indentation", () => {
  const text = POD(
    '    containers:\n    -   name: a\n        resources:\n            requests:\n                memory: 300Mi # keep\n                cpu: 100m\n        image: nginx\n',
  ).replace('spec:\n', 'spec:\n');
  const { finding, fix } = onlyFix(text, 'memory-limit-missing');
  const after = checkFix('indent4', text, finding, fix);
  assert.ok(
    after.includes(
      '                cpu: 100m\n            limits:\n                memory: 300Mi\n        image: nginx\n',
    ),
    after,
  );
});

void test('flow mappings: `resources: {}` and `limits: {cpu: 1}` get flow insertions', () => {
  const t1 = POD('  containers:\n  - name: a\n    resources: {}\n');
  const { finding: f1, fix: x1 } = onlyFix(t1, 'memory-request-missing');
  assert.equal(
    checkFix('empty-flow', t1, f1, x1),
    t1.replace('resources: {}', 'resources: {requests: {memory: 256Mi}, limits: {memory: 256Mi}}'),
  );
  const t2 = POD(
    '  containers:\n  - name: a\n    resources:\n      requests: {memory: 1Gi, cpu: 500m}\n      limits: {cpu: 1}\n',
  );
  const { finding: f2, fix: x2 } = onlyFix(t2, 'memory-limit-missing');
  assert.equal(checkFix('flow-limits', t2, f2, x2), t2.replace('limits: {cpu: 1}', 'limits: {cpu: 1, memory: 1Gi}'));
});

void test('JSON-style documents get JSON-quoted insertions', () => {
  const text =
    '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "j"},\n "spec": {"containers": [{"name": "c", "resources": {"requests": {"memory": "64Mi"}}}]}}\n';
  const { finding, fix } = onlyFix(text, 'memory-limit-missing');
  assert.equal(
    checkFix('json', text, finding, fix),
    text.replace('{"requests": {"memory": "64Mi"}}', '{"requests": {"memory": "64Mi"}, "limits": {"memory": "64Mi"}}'),
  );
});

void test('a container with no resources gets a whole block after its last key; CRLF kept', () => {
  const text = POD('  containers:\n  - name: a\n    image: nginx # pinned later\n  restartPolicy: Always\n').replace(
    /\n/g,
    '\r\n',
  );
  const { finding, fix } = onlyFix(text, 'memory-request-missing');
  const after = checkFix('crlf', text, finding, fix);
  assert.ok(
    after.includes(
      '    image: nginx # pinned later\r\n    resources:\r\n      requests:\r\n        memory: 256Mi\r\n      limits:\r\n        memory: 256Mi\r\n  restartPolicy: Always',
    ),
    JSON.stringify(after),
  );
  const custom = analyzeText(text, { ...DEFAULT_SETTINGS, defaultMemory: '1Gi' }).findings.find(
    (f) => f.ruleId === 'memory-request-missing',
  );
  assert.match(custom!.fixes[0]!.title, /1Gi/);
});

void test('an empty `limits:` key gets its memory line underneath', () => {
  const text = POD(
    '  containers:\n  - name: a\n    resources:\n      requests:\n        memory: 64Mi\n      limits:\n  - name: b\n    resources: {limits: {memory: 1Gi}, requests: {memory: 1Gi}}\n',
  );
  const { finding, fix } = onlyFix(text, 'memory-limit-missing');
  assert.ok(checkFix('null-limits', text, finding, fix).includes('      limits:\n        memory: 64Mi\n  - name: b'));
});

void test('raise limit / lower request; ratio fixes; qosClass line removed', () => {
  const t1 = POD(
    '  containers:\n  - name: a\n    resources:\n      requests:\n        memory: 512Mi\n      limits:\n        memory: 256Mi\n',
  );
  assert.equal(
    apply(t1, onlyFix(t1, 'memory-limit-below-request', /Raise/).fix),
    t1.replace('memory: 256Mi', 'memory: 512Mi'),
  );
  assert.equal(
    apply(t1, onlyFix(t1, 'memory-limit-below-request', /Lower/).fix),
    t1.replace('memory: 512Mi', 'memory: 256Mi'),
  );
  const t2 = POD(
    '  containers:\n  - name: a\n    resources:\n      requests:\n        memory: 100Mi\n      limits:\n        memory: 1Gi\n',
  );
  assert.equal(
    apply(t2, onlyFix(t2, 'memory-limit-request-ratio', /3 ×/).fix),
    t2.replace('memory: 1Gi', 'memory: 300Mi'),
  );
  assert.equal(
    apply(t2, onlyFix(t2, 'memory-limit-request-ratio', /request equal/).fix),
    t2.replace('memory: 100Mi', 'memory: 1Gi'),
  );
  const t3 = POD(
    '  qosClass: Guaranteed\n  containers:\n  - name: a\n    resources: {limits: {memory: 1Gi, cpu: 1}}\n',
  );
  const { finding, fix } = onlyFix(t3, 'qos-class-in-spec');
  assert.equal(checkFix('qos', t3, finding, fix), t3.replace('  qosClass: Guaranteed\n', ''));
});

void test('no fix is offered when a safe minimal edit is impossible', () => {
  const text = POD(
    '  containers:\n  - qosClass: Burstable\n    name: a\n    resources: {limits: {memory: 1Gi, cpu: 1}}\n',
  );
  const f = analyzeText(text).findings.find((x) => x.ruleId === 'qos-class-in-spec');
  assert.ok(f);
  assert.deepEqual(f.fixes, []);
  const t2 = POD(
    '  containers:\n  - name: a\n    resources:\n      requests:\n        memory: 1.5\n      limits:\n        memory: 2Gi\n',
  );
  const f2 = analyzeText(t2).findings.find((x) => x.ruleId === 'memory-quantity-fractional');
  assert.ok(f2);
  assert.deepEqual(f2.fixes, []);
});

void test("fix edits are in the caller's coordinates when a slice is analyzed with lineOffset", () => {
  const text = POD(
    '  containers:\n  - name: a\n    resources:\n      requests:\n        memory: 128m\n      limits:\n        memory: 128Mi\n',
  );
  const whole = analyzeText(text).findings[0]!;
  const shifted = analyzeText(text, DEFAULT_SETTINGS, { lineOffset: 40, documentIndexBase: 3 }).findings[0]!;
  assert.equal(shifted.range.start.line, whole.range.start.line + 40);
  assert.equal(shifted.fixes[0]!.edits[0]!.range.start.line, whole.fixes[0]!.edits[0]!.range.start.line + 40);
  assert.equal(shifted.object?.document, 3);
});
