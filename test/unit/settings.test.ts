// Hostile workspace settings (every oomscope analysis setting is resource-scoped, so a workspace
// can set it): each invalid field falls back to its default with one warning, and no value a
// workspace writes turns the findings into an internal error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveSettings } from '../../src/server/serverSettings';
import { analyzeText } from '../../src/core/manifest/analyze';
import { DEFAULT_SETTINGS } from '../../src/core/manifest/findingTypes';

function resolve(wire: unknown): { value: ReturnType<typeof resolveSettings>['value']; warnings: string[] } {
  const warnings: string[] = [];
  const { value } = resolveSettings(wire, (m) => warnings.push(m));
  return { value, warnings };
}

const OVERCOMMIT =
  'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    resources:\n      requests: {memory: 64Mi}\n      limits: {memory: 8Gi}\n';

void test('maxLimitRequestRatio: any finite ratio is safe in the rule, up to Number.MAX_VALUE', () => {
  for (const ratio of [1, 3, 127.9, 1e12, 1.8e305, 1e308, Number.MAX_VALUE]) {
    const r = analyzeText(OVERCOMMIT, { ...DEFAULT_SETTINGS, maxLimitRequestRatio: ratio });
    assert.deepEqual(r.skipped, [], String(ratio));
    assert.equal(
      r.findings.some((f) => f.ruleId === 'memory-limit-request-ratio'),
      ratio < 128,
      String(ratio),
    );
  }
  // The largest ratio usable values can have: 2^63−1 bytes over 1Mi, about 8.8e12; the cap stays above it.
  const extreme = OVERCOMMIT.replace('{memory: 64Mi}', '{memory: 1Mi}').replace('{memory: 8Gi}', '{memory: 8Ei}');
  const fires = (ratio: number): boolean =>
    analyzeText(extreme, { ...DEFAULT_SETTINGS, maxLimitRequestRatio: ratio }).findings.some(
      (f) => f.ruleId === 'memory-limit-request-ratio',
    );
  assert.deepEqual([5e12, 8.7e12, 8.8e12, 9e12, 1e300].map(fires), [true, true, false, false, false]);
  // Outside what serverSettings.ts lets through, the rule is quiet rather than wrong.
  for (const ratio of [0, -1, NaN, Infinity])
    assert.deepEqual(analyzeText(OVERCOMMIT, { ...DEFAULT_SETTINGS, maxLimitRequestRatio: ratio }).skipped, []);
});

void test("the report's payloads: each bad field gives its default and one warning; good fields are kept", () => {
  const hostile = JSON.parse(
    '{"severities": {"__proto__": "off", "constructor": "error", "memory-request-missing": "bogus", "memory-limit-missing": "off"}, "maxLimitRequestRatio": "x", "nodeMemoryCapacity": 5, "defaultMemory": "1Gi\\n    evil: true"}',
  ) as unknown;
  const a = resolve(hostile);
  assert.deepEqual(a.value, { ...DEFAULT_SETTINGS, severities: { 'memory-limit-missing': 'off' } });
  assert.equal(Object.getPrototypeOf(a.value.severities), Object.prototype);
  assert.equal(a.warnings.length, 6, a.warnings.join('\n'));
  assert.ok(a.warnings.some((w) => w.startsWith('oomscope.severity.__proto__: no such rule')));
  assert.ok(a.warnings.some((w) => w.startsWith('oomscope.defaults.memory: "1Gi\\n    evil: true" is not')));

  const b = resolve({ severities: null, maxLimitRequestRatio: -1, nodeMemoryCapacity: '0', defaultMemory: '0' });
  assert.deepEqual(b.value, DEFAULT_SETTINGS);
  assert.equal(b.warnings.length, 3);

  const c = resolve({
    severities: [],
    maxLimitRequestRatio: 1e308,
    nodeMemoryCapacity: '99999999999999999999Ei',
    defaultMemory: '1e3',
  });
  assert.equal(c.value.maxLimitRequestRatio, 1e308);
  assert.equal(
    c.value.nodeMemoryCapacityBytes,
    (1n << 63n) - 1n,
    'binary-SI is capped at 2^63−1, as apimachinery parses it',
  );
  assert.equal(
    c.value.defaultMemory,
    '256Mi',
    '1e3 is 1000 bytes, below 1Mi: the fix would write an implausible value',
  );
  assert.equal(c.warnings.length, 2);

  for (const bad of ['"256Mi"', '0x10', '1Gi # c', '-1Gi', '1.5', '1e308', '9'.repeat(100), `${'1'.repeat(70)}Mi`]) {
    const d = resolve({ defaultMemory: bad });
    assert.equal(d.value.defaultMemory, '256Mi', bad);
    assert.equal(d.warnings.length, 1, bad);
    assert.ok(d.warnings[0]!.length < 250, 'a long value is shortened in the log line');
  }
  assert.equal(resolve({ defaultMemory: '+1Gi' }).value.defaultMemory, '+1Gi');
  for (const ratio of [NaN, Infinity, -Infinity, 0.5, '3', null, [3], { n: 3 }]) {
    const e = resolve({ maxLimitRequestRatio: ratio });
    assert.equal(e.value.maxLimitRequestRatio, 3, String(ratio));
    assert.equal(e.warnings.length, 1, String(ratio));
  }
  for (const cap of ['1', '512Ki', '-16Gi', '1e30', '16GB', 16])
    assert.equal(
      resolve({ nodeMemoryCapacity: cap }).value.nodeMemoryCapacityBytes,
      DEFAULT_SETTINGS.nodeMemoryCapacityBytes,
      String(cap),
    );
  assert.equal(resolve({ nodeMemoryCapacity: '32Gi' }).value.nodeMemoryCapacityBytes, 32n * 1024n ** 3n);
});

void test('settings that are not an object are the defaults, with a warning', () => {
  for (const wire of ['a string', 42, [1, 2], true]) {
    const r = resolve(wire);
    assert.deepEqual(r.value, DEFAULT_SETTINGS);
    assert.equal(r.warnings.length, 1, JSON.stringify(wire));
  }
  assert.deepEqual(resolve(null), { value: DEFAULT_SETTINGS, warnings: [] });
});

void test('whatever resolveSettings lets through analyzes without an internal error', () => {
  const text =
    OVERCOMMIT +
    '---\napiVersion: v1\nkind: Pod\nmetadata: {name: q}\nspec:\n  containers:\n  - name: b\n    args: ["-Xmx2g"]\n';
  for (const wire of [
    { maxLimitRequestRatio: 1e308 },
    { maxLimitRequestRatio: Number.MAX_VALUE, defaultMemory: '8Ei', nodeMemoryCapacity: '8Ei' },
    { defaultMemory: '1Mi', nodeMemoryCapacity: '1Mi' },
  ]) {
    const r = analyzeText(text, resolve(wire).value);
    assert.deepEqual(r.skipped, [], JSON.stringify(wire));
    assert.ok(r.findings.length > 0);
  }
});
