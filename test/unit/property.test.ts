import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzeText, hoverAt } from '../../src/core/manifest/analyze';
import { splitYamlDocuments } from '../../src/core/manifest/splitDocuments';
import { canonicalQuantity, parseQuantity, quantityBytes, quantityDecimalString } from '../../src/core/quantity';
import { listRuleFixtures, readFixture } from '../support/caretFixtures';
import { assertNoInternalErrors } from '../support/internalErrors';

const FRAGMENTS = [
  'apiVersion: v1\n',
  'kind: Pod\n',
  'kind: Deployment\n',
  'metadata: {name: x}\n',
  'spec:\n',
  '  template:\n',
  '    spec:\n',
  '  containers:\n',
  '  - name: a\n',
  '    resources:\n',
  '      requests:\n',
  '      limits:\n',
  '        memory: 128m\n',
  '        memory: 1Gi\n',
  '        memory: "512 Mi"\n',
  '        memory:\n',
  '        cpu: 1\n',
  '    resources: {}\n',
  '{',
  '}',
  '[',
  ']',
  '---\n',
  '...\n',
  '# comment\n',
  '  qosClass: Guaranteed\n',
  '    args: [-Xmx2g]\n',
  '  volumes: [{name: v, emptyDir: {medium: Memory}}]\n',
  '{{ .Values.x }}\n',
  '\t',
  ' ',
  ':',
  '"',
  "'",
  '&a ',
  '*a\n',
  '!!str ',
  '|\n',
  '>-\n',
  '\r\n',
  '😀',
  '\u0000',
];

const yamlish = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 60 }).map((parts) => parts.join(''));

const mutatedFixture = fc
  .tuple(fc.constantFrom(...listRuleFixtures()), fc.nat(), fc.nat({ max: 20 }), fc.string({ maxLength: 8 }))
  .map(([name, at, del, ins]) => {
    const t = readFixture(name);
    const i = at % (t.length + 1);
    return t.slice(0, i) + ins + t.slice(Math.min(t.length, i + del));
  });

void test('random YAML-ish text never throws out of the core; slices reassemble and agree with the whole', () => {
  fc.assert(
    fc.property(
      fc.oneof(yamlish, mutatedFixture, fc.string({ maxLength: 200 })),
      fc.nat({ max: 40 }),
      fc.nat({ max: 40 }),
      (text, line, character) => {
        const whole = analyzeText(text);
        assertNoInternalErrors(whole);
        const slices = splitYamlDocuments(text);
        assert.equal(slices.map((s) => s.text).join(''), text);
        const parts = slices.map((s) =>
          analyzeText(s.text, undefined, { documentIndexBase: s.index, lineOffset: s.startLine }),
        );
        assert.deepEqual(
          parts.flatMap((p) => p.findings),
          whole.findings,
        );
        assert.deepEqual(
          parts.flatMap((p) => p.objects),
          whole.objects,
        );
        hoverAt(text, { line, character });
      },
    ),
    { numRuns: 400 },
  );
});

const QUANTITY_CHARS = [...'0123456789.+-eEinumkKMGTP Ki'];

void test('random quantity strings never throw; valid ones round-trip through their canonical form', () => {
  fc.assert(
    fc.property(
      fc.oneof(fc.string({ unit: fc.constantFrom(...QUANTITY_CHARS), maxLength: 24 }), fc.string({ maxLength: 12 })),
      (s) => {
        const r = parseQuantity(s);
        if (!r.ok) return;
        quantityBytes(r.quantity);
        const canon = canonicalQuantity(r.quantity);
        const again = parseQuantity(canon);
        assert.ok(again.ok, `canonical ${canon} of ${s} does not parse`);
        assert.equal(quantityDecimalString(again.quantity), quantityDecimalString(r.quantity), `${s} → ${canon}`);
        assert.equal(canonicalQuantity(again.quantity), canon);
      },
    ),
    { numRuns: 3000 },
  );
});
