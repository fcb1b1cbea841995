import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../src/core/manifest/analyze';
import { existsSync } from 'node:fs';
import { RULES, RULE_DOCS_BASE } from '../../src/core/manifest/rules/ruleCatalog';
import { expectedFindings, key, listRuleFixtures, readFixture } from '../support/caretFixtures';

const fixtures = listRuleFixtures();

void test('there is a fixture for every static rule (the cluster-aware ones: test/unit/clusterRules.test.ts)', () => {
  for (const r of RULES.filter((x) => x.input === 'manifest'))
    assert.ok(fixtures.includes(`${r.id}.yaml`), `missing test/fixtures/rules/${r.id}.yaml`);
  assert.equal(RULES.length, 15);
  assert.deepEqual(
    RULES.filter((r) => r.input === 'observed-usage').map((r) => r.id),
    ['oom-killed-recently', 'limit-below-observed-usage', 'request-below-observed-usage'],
  );
});

void test('rule catalog: docs/rules/README.md ids and default severities, a documentation page for each', () => {
  assert.deepEqual(Object.fromEntries(RULES.map((r) => [r.id, r.defaultSeverity])), {
    'memory-quantity-invalid': 'error',
    'memory-quantity-fractional': 'error',
    'memory-value-implausible': 'warning',
    'memory-limit-below-request': 'error',
    'memory-limit-missing': 'warning',
    'memory-request-missing': 'warning',
    'memory-request-defaulted': 'information',
    'memory-limit-request-ratio': 'warning',
    'qos-class-in-spec': 'error',
    'heap-exceeds-limit': 'warning',
    'emptydir-memory-unbounded': 'warning',
    'pod-spec-misplaced': 'warning',
    'oom-killed-recently': 'warning',
    'limit-below-observed-usage': 'warning',
    'request-below-observed-usage': 'information',
  });
  for (const r of RULES) {
    assert.equal(r.docs, `${RULE_DOCS_BASE}/${r.id}.md`);
    assert.ok(existsSync(`docs/rules/${r.id}.md`), `docs/rules/${r.id}.md`);
    assert.ok(r.title.length > 10);
  }
});

for (const name of fixtures) {
  void test(`rules fixture ${name}: exactly the marked findings, with exact ranges`, () => {
    const text = readFixture(name);
    const expected = expectedFindings(text).map(key).sort();
    const result = analyzeText(text);
    const actual = result.findings
      .map((f) => {
        assert.equal(f.range.start.line, f.range.end.line, `${f.ruleId} spans lines`);
        return key({
          ruleId: f.ruleId,
          line: f.range.start.line,
          start: f.range.start.character,
          end: f.range.end.character,
        });
      })
      .sort();
    assert.deepEqual(actual, expected);
    for (const f of result.findings) {
      assert.ok(f.message.length > 20 && !f.message.includes('undefined') && !f.message.includes('null'), f.message);
      assert.ok(/[.?]$/.test(f.message), `one sentence: ${f.message}`);
    }
  });
}
