import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Parser } from 'yaml';
import { newCstParser } from '../../src/core/manifest/cstParser';
import { listRuleFixtures, readFixture } from '../support/caretFixtures';

const FRAGMENTS = [
  'apiVersion: v1\n',
  'kind: Pod\n',
  'metadata: {name: x, "labels": {"a": "b"}}\n',
  'spec:\n',
  '  containers:\n',
  '  - name: a\n',
  '    resources:\n',
  '      limits:\n',
  '        memory: 128m\n',
  '        memory:\n',
  '---\n',
  '...\n',
  '--- |\n',
  '# c\n',
  '%YAML 1.2\n',
  '{',
  '}',
  '[',
  ']',
  ',',
  '? ',
  '&a ',
  '*a\n',
  '!!str ',
  '|\n',
  '>-\n',
  '  folded\n',
  '\r\n',
  '\r',
  '\t',
  ' ',
  ':',
  '"',
  "'",
  '😀',
  '\u0000',
  '{{ .Values.x }}\n',
];

function tokens(parser: Parser, text: string): string {
  return JSON.stringify([...parser.parse(text)]);
}

void test("the quiet CST parser yields exactly the tokens of yaml's Parser (fixtures and random YAML-ish text)", () => {
  for (const name of listRuleFixtures()) {
    const text = readFixture(name);
    assert.equal(tokens(newCstParser(), text), tokens(new Parser(), text), name);
  }
  const yamlish = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 80 }).map((parts) => parts.join(''));
  fc.assert(
    fc.property(fc.oneof(yamlish, fc.string({ maxLength: 200 })), (text) => {
      assert.equal(tokens(newCstParser(), text), tokens(new Parser(), text));
    }),
    { numRuns: 500 },
  );
});

void test("the quiet CST parser reports line starts like yaml's Parser", () => {
  const text = 'a: 1\r\nb:\n  - c\n\n---\nd: [e,\n f]\n';
  const seen: number[][] = [[], []];
  for (const _ of newCstParser((o) => seen[0]!.push(o)).parse(text));
  for (const _ of new Parser((o) => seen[1]!.push(o)).parse(text));
  assert.deepEqual(seen[0], seen[1]);
  assert.ok(seen[1]!.length >= 7);
});
