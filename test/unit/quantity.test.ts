import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  canonicalQuantity,
  formatBytes,
  memoryBytes,
  parseQuantity,
  quantityBytes,
  quantityDecimalString,
  type Quantity,
} from '../../src/core/quantity';
import { analyzeText } from '../../src/core/manifest/analyze';

interface Vectors {
  TestQuantityParse: Array<{ input: string; format: string; value: string }>;
  TestQuantityParse_invalid: string[];
  TestQuantityParseEmit: Array<{ input: string; canonical: string }>;
  TestQuantityString: Array<{ format: string; value: string; canonical: string; alternateInput?: string }>;
  TestParseQuantity: Array<{ input: string; asDec: string; canonical: string }>;
}
const vectors = JSON.parse(
  readFileSync(join('test', 'fixtures', 'quantity', 'apimachinery-quantity-test-vectors.json'), 'utf8'),
) as Vectors;

function mustParse(s: string): Quantity {
  const r = parseQuantity(s);
  assert.ok(r.ok, `expected ${JSON.stringify(s)} to parse`);
  return r.quantity;
}

void test('TestQuantityParse: value and format, also with + and - signs', () => {
  assert.equal(vectors.TestQuantityParse.length, 96);
  for (const v of vectors.TestQuantityParse) {
    const q = mustParse(v.input);
    assert.equal(quantityDecimalString(q), v.value, v.input);
    assert.equal(q.format, v.format, `${v.input} format`);
    const plus = mustParse('+' + v.input);
    assert.equal(quantityDecimalString(plus), v.value, '+' + v.input);
    const minus = mustParse('-' + v.input);
    assert.equal(quantityDecimalString(minus), v.value === '0' ? '0' : '-' + v.value, '-' + v.input);
  }
});

void test('TestQuantityParse invalid inputs are rejected', () => {
  assert.equal(vectors.TestQuantityParse_invalid.length, 11);
  for (const s of vectors.TestQuantityParse_invalid) assert.equal(parseQuantity(s).ok, false, s);
  for (const s of ['', '1Gb', '1GB', '512 Mi', '1.5.0', '1K', '1e', 'Mi ', '0x10', '1_000'])
    assert.equal(parseQuantity(s).ok, false, s);
});

void test('TestQuantityParseEmit: canonical form', () => {
  for (const v of vectors.TestQuantityParseEmit)
    assert.equal(canonicalQuantity(mustParse(v.input)), v.canonical, v.input);
});

void test('TestQuantityString: canonical form of value+format, and alternate inputs', () => {
  for (const v of vectors.TestQuantityString) {
    const q = { ...mustParse(v.value), format: v.format as Quantity['format'] };
    assert.equal(canonicalQuantity(q), v.canonical, `${v.value} ${v.format}`);
    if (v.alternateInput) assert.equal(canonicalQuantity(mustParse(v.alternateInput)), v.canonical, v.alternateInput);
  }
});

void test('TestParseQuantity: big numbers exactly', () => {
  for (const v of vectors.TestParseQuantity) {
    const q = mustParse(v.input);
    assert.equal(quantityDecimalString(q), v.asDec, v.input);
    assert.equal(canonicalQuantity(q), v.canonical || v.input, v.input);
  }
});

void test('byte values: whole or fractional (rounded up)', () => {
  assert.deepEqual(quantityBytes(mustParse('128Mi')), { bytes: 134217728n, whole: true });
  assert.deepEqual(quantityBytes(mustParse('128m')), { bytes: 1n, whole: false });
  assert.deepEqual(quantityBytes(mustParse('0.5')), { bytes: 1n, whole: false });
  assert.deepEqual(quantityBytes(mustParse('1.5')), { bytes: 2n, whole: false });
  assert.deepEqual(quantityBytes(mustParse('1e9')), { bytes: 1000000000n, whole: true });
  assert.deepEqual(quantityBytes(mustParse('1.5Gi')), { bytes: 1610612736n, whole: true });
  assert.deepEqual(quantityBytes(mustParse('9Ei')), { bytes: 9223372036854775807n, whole: true });
  assert.equal(quantityBytes(mustParse('1e999999999')).bytes, null);
});

void test('huge exponents neither hang nor throw', () => {
  for (const s of [
    '1e2147483647',
    '1e-2147483648',
    '1e9223372036854775807',
    '5e-9223372036854775808',
    '1e99999999999999999999',
  ]) {
    const r = parseQuantity(s);
    if (r.ok) {
      canonicalQuantity(r.quantity);
      quantityBytes(r.quantity);
    }
  }
  assert.equal(quantityDecimalString(mustParse('1e-2147483648')), '0.000000001');
});

void test('formatBytes for messages', () => {
  assert.equal(formatBytes(134217728n), '128Mi');
  assert.equal(formatBytes(1610612736n), '1.5Gi');
  assert.equal(formatBytes(536870913n), '536870913 bytes (~512Mi)');
  assert.equal(formatBytes(512n), '512 bytes');
  assert.equal(formatBytes(1000000000n), '1000000000 bytes (~953.67Mi)');
});

void test('memory bytes as Kubernetes uses them: negative is rejected, above 2^63−1 overflows Quantity.Value(), binary-SI is capped first', () => {
  const max = (1n << 63n) - 1n;
  const mem = (s: string) => memoryBytes(mustParse(s));
  assert.deepEqual(mem('-1Gi'), { bytes: null, whole: false, outOfRange: 'negative' });
  assert.deepEqual(mem('-0'), { bytes: 0n, whole: true, outOfRange: null });
  assert.deepEqual(mem(max.toString()), { bytes: max, whole: true, outOfRange: null });
  assert.equal(mem((max + 1n).toString()).outOfRange, 'overflow');
  assert.equal(mem('1e19').outOfRange, 'overflow');
  assert.equal(mem('1e308').outOfRange, 'overflow');
  assert.equal(mem(`1${'9'.repeat(400)}`).outOfRange, 'overflow');
  assert.equal(mem('1e2147483647').outOfRange, 'overflow');
  assert.equal(mem('9223372036854775807.5').outOfRange, 'overflow');
  // apimachinery caps a binary-SI quantity at 2^63−1 while parsing ("8Ei" parses as 2^63−1): usable.
  assert.deepEqual(mem('8Ei'), { bytes: max, whole: true, outOfRange: null });
  assert.deepEqual(mem('99999999999999999999Ei'), { bytes: max, whole: true, outOfRange: null });
  assert.deepEqual(mem('0.5'), { bytes: 1n, whole: false, outOfRange: null });
});

void test('docs/cli.md contract: 1e308, a 401-digit integer and -1Gi are null in objects and each has a finding', () => {
  for (const v of ['1e308', `1${'9'.repeat(400)}`, '-1Gi', '1e19']) {
    const text = `apiVersion: v1\nkind: Pod\nmetadata: {name: q}\nspec:\n  containers:\n  - name: a\n    resources:\n      requests: {memory: 64Mi}\n      limits: {memory: ${v}}\n`;
    const r = analyzeText(text);
    assert.equal(r.objects[0]!.containers[0]!.limits.memory, null, v);
    const at = r.findings.filter((f) => f.range.start.line === 8);
    assert.deepEqual(
      at.map((f) => f.ruleId),
      [v === '-1Gi' ? 'memory-quantity-invalid' : 'memory-value-implausible'],
      v,
    );
    assert.equal(r.skipped.length, 0);
  }
});
