import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalQuantity, formatBytes, parseQuantity, quantityBytes, quantityDecimalString, type Quantity } from '../../src/core/quantity';

interface Vectors {
  TestQuantityParse: Array<{ input: string; format: string; value: string }>;
  TestQuantityParse_invalid: string[];
  TestQuantityParseEmit: Array<{ input: string; canonical: string }>;
  TestQuantityString: Array<{ format: string; value: string; canonical: string; alternateInput?: string }>;
  TestParseQuantity: Array<{ input: string; asDec: string; canonical: string }>;
}
const vectors = JSON.parse(readFileSync(join('test', 'fixtures', 'quantity', 'apimachinery-quantity-test-vectors.json'), 'utf8')) as Vectors;

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
  for (const s of ['', '1Gb', '1GB', '512 Mi', '1.5.0', '1K', '1e', 'Mi ', '0x10', '1_000']) assert.equal(parseQuantity(s).ok, false, s);
});

void test('TestQuantityParseEmit: canonical form', () => {
  for (const v of vectors.TestQuantityParseEmit) assert.equal(canonicalQuantity(mustParse(v.input)), v.canonical, v.input);
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
  for (const s of ['1e2147483647', '1e-2147483648', '1e9223372036854775807', '5e-9223372036854775808', '1e99999999999999999999']) {
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
