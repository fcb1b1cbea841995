// The one size judgement that keeps the analysis of a large YAML document within the memory budget:
// which documents are skipped, the sentence that says why (size, limit, what to do), which ones are
// skipped silently, and that lint's --max-document-size (maxDocumentChars) moves the limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText, hoverAt } from '../../src/core/manifest/analyze';
import { MAX_DOCUMENT_CHARS, oversizedDocument } from '../../src/core/manifest/documentBudget';

const POD =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    resources:\n      limits:\n        memory: 128m\n';

/** A Pod padded with `key: value` lines to about `chars` characters. */
function bigPod(chars: number): string {
  const lines: string[] = [POD];
  for (let i = 0, n = POD.length; n < chars; i++) {
    const line = `k${i}: memory\n`;
    lines.push(line);
    n += line.length;
  }
  return lines.join('');
}

void test('a document up to the limit is analyzed; one character more is skipped with one information that says the size, the limit and what to do', () => {
  const fits = bigPod(MAX_DOCUMENT_CHARS - 20);
  assert.ok(fits.length <= MAX_DOCUMENT_CHARS);
  assert.equal(oversizedDocument(fits), null);
  assert.deepEqual(
    analyzeText(fits)
      .findings.map((f) => f.ruleId)
      .filter((id) => id === 'memory-quantity-fractional'),
    ['memory-quantity-fractional'],
  );

  const big = fits + 'x'.repeat(MAX_DOCUMENT_CHARS + 1 - fits.length);
  assert.equal(big.length, MAX_DOCUMENT_CHARS + 1);
  const r = analyzeText(big);
  assert.deepEqual(r.findings, []);
  assert.deepEqual(r.objects, []);
  assert.equal(r.skipped.length, 1);
  const [skipped] = r.skipped;
  assert.match(
    skipped!.reason,
    /^This YAML document is 257 KiB; OOMScope checks documents of up to 256 KiB \(larger ones take too much memory\), so it was not checked for memory settings\. /,
  );
  assert.match(
    skipped!.reason,
    /Split it into several documents \(---\), or run `oomscope lint --max-document-size 512Ki FILE`/,
  );
  assert.deepEqual(skipped!.range, {
    start: { line: 0, character: 0 },
    end: { line: 0, character: 'apiVersion: v1'.length },
  });
});

void test('the other documents of the file are still analyzed, and the skipped one is placed at its first line', () => {
  const text = `${POD}---\n${bigPod(3 * MAX_DOCUMENT_CHARS)}---\n${POD}`;
  const r = analyzeText(text);
  assert.equal(r.objects.length, 2);
  assert.deepEqual(
    r.skipped.map((s) => [s.document, s.range.start.line]),
    [[1, POD.split('\n').length - 1]],
  );
  assert.match(r.skipped[0]!.reason, /is 769 KiB;.*--max-document-size 1Mi /);
});

void test('a dense flow collection is judged by its entries: 16 characters of the limit per comma', () => {
  const entries = MAX_DOCUMENT_CHARS / 16;
  // n items: n - 1 commas (the Pod itself has none).
  const flow = (n: number): string =>
    POD.replace('  - name: a\n', `  - name: a\n    args: [${Array.from({ length: n }, () => '1').join(',')}]\n`);
  assert.equal(oversizedDocument(flow(entries + 1)), null, `${entries} commas fit`);
  const over = oversizedDocument(flow(entries + 2));
  assert.ok(over);
  assert.match(
    over.reason,
    /^This YAML document has more than 16,384 comma-separated flow entries \(\[1, 2\], \{a: 1, b: 2\}\); OOMScope checks documents of up to 256 KiB with at most that many/,
  );
  assert.match(over.reason, /--max-document-size 512Ki FILE/);
  assert.equal(over.report, true);
});

void test('documents that cannot carry a pod spec are skipped without a word: no containers, ConfigMaps, Secrets, CRDs', () => {
  const pad = '#'.repeat(MAX_DOCUMENT_CHARS);
  for (const text of [
    `apiVersion: v1\nkind: Service\nmetadata: {name: s}\n${pad}\n`,
    `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: dashboards}\ndata:\n  k8s.json: '{"title": "containers"}'\n${pad}\n`,
    `apiVersion: v1\nkind: "Secret"\ndata: {containers: eA==}\n${pad}\n`,
    `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition # an operator's CRD\nspec:\n  containers: {}\n${pad}\n`,
  ]) {
    assert.equal(oversizedDocument(text)?.report, false, text.slice(0, 40));
    assert.deepEqual(analyzeText(text).skipped, []);
  }
});

void test('maxDocumentChars (lint --max-document-size) moves the limit both ways', () => {
  const big = bigPod(2 * MAX_DOCUMENT_CHARS);
  assert.equal(analyzeText(big, undefined, { maxDocumentChars: 4 * MAX_DOCUMENT_CHARS }).objects.length, 1);
  assert.equal(analyzeText(POD, undefined, { maxDocumentChars: 64 }).skipped.length, 1);
});

void test('hover on a skipped document answers nothing (it is not parsed)', () => {
  const big = bigPod(2 * MAX_DOCUMENT_CHARS);
  const at = { line: 7, character: 6 };
  assert.equal(hoverAt(big, at), null);
  assert.match(hoverAt(big, at, undefined, { maxDocumentChars: 4 * MAX_DOCUMENT_CHARS })?.markdown ?? '', /QoS class/);
});
