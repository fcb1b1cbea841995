// pod-spec-misplaced on Pods, whose misplaced `containers:` sits in column 0 (no caret fixture can mark it): the
// seed article's example as published, its indentation lost (test/fixtures/SOURCES.md), and a Pod whose spec is
// there but whose containers sit at the top level.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText } from '../../src/core/manifest/analyze';

void test("the seed article's Pod, pasted with its indentation lost: one warning instead of silence", () => {
  const text = readFileSync(join('test', 'fixtures', 'seed', 'seed-article-pod-indentation-lost.yaml'), 'utf8');
  const r = analyzeText(text);
  assert.deepEqual(
    r.findings.map((f) => `${f.range.start.line}:${f.range.start.character} ${f.severity} ${f.ruleId}`),
    ['5:0 warning pod-spec-misplaced'],
  );
  assert.match(r.findings[0]!.message, /has `containers:` at `containers`, but a Pod keeps it at `spec.containers`/);
  assert.match(r.findings[0]!.message, /indentation was probably lost/);
  // Not an object with a pod spec: no QoS class is claimed for it.
  assert.equal(r.objects.length, 0);
});

void test('a Pod whose spec is there but whose containers sit at the top level', () => {
  const r = analyzeText(
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  restartPolicy: Never\ncontainers:\n- name: c\n  image: nginx\n',
  );
  assert.deepEqual(
    r.findings.map((f) => f.ruleId),
    ['pod-spec-misplaced'],
  );
});

void test('a well-placed Pod, and a Pod without containers anywhere, get no pod-spec-misplaced', () => {
  const fine = analyzeText('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n');
  assert.ok(!fine.findings.some((f) => f.ruleId === 'pod-spec-misplaced'));
  const none = analyzeText('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  restartPolicy: Never\n');
  assert.deepEqual(none.findings, []);
});
