// The fast block reader against `yaml`'s Composer: whenever the reader answers, its tree must be
// the Composer's (node kinds, values, quoting, ranges the core reads), and the analysis must be
// the same finding for finding. Inputs: every manifest in the repository (as written, without
// its comment lines, with CRLF line ends), generated manifests, and random mutations of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { Composer, isMap, isPair, isScalar, isSeq } from 'yaml';
import { readBlockYaml } from '../../src/core/manifest/blockYaml';
import { splitYamlDocuments } from '../../src/core/manifest/splitDocuments';
import { analyzeText } from '../../src/core/manifest/analyze';
import { newCstParser } from '../../src/core/manifest/cstParser';

type Shape = unknown;

/** What the core may read of a node: kind, flow, scalar value (as type + text), source, quoting, range[0..1]. */
function shape(node: unknown): Shape {
  if (node === null || node === undefined) return null;
  const range = (node as { range?: number[] }).range;
  const at = range ? [range[0], range[1]] : null;
  if (isMap(node)) return { map: node.items.map(shape), flow: Boolean(node.flow), at };
  if (isSeq(node)) return { seq: node.items.map(shape), flow: Boolean(node.flow), at };
  if (isPair(node)) return { key: shape(node.key), value: shape(node.value) };
  if (isScalar(node))
    return { value: `${typeof node.value}:${String(node.value)}`, source: node.source, type: node.type, at };
  return { other: String(node) };
}

function composed(text: string): { errors: number; root: unknown }[] {
  const composer = new Composer({ keepSourceTokens: false, uniqueKeys: false, prettyErrors: false, strict: false });
  return [...composer.compose(newCstParser().parse(text), true, text.length)].map((d) => ({
    errors: d.errors.length,
    root: d.contents,
  }));
}

/** Checks one document text; returns true when the fast reader answered. */
function agree(text: string): boolean {
  const fast = readBlockYaml(text);
  if (!fast) return false;
  const docs = composed(text);
  assert.equal(docs.length, 1, `the reader answered for ${docs.length} documents:\n${text}`);
  assert.equal(docs[0]!.errors, 0, `the reader answered for a document yaml rejects:\n${text}`);
  assert.deepEqual(shape(fast), shape(docs[0]!.root), `trees differ for:\n${text}`);
  return true;
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out.sort();
}

const FILES = [...yamlFiles('examples'), ...yamlFiles(join('test', 'fixtures'))];
const variants = (text: string): string[] => [
  text,
  text.replace(/^[ ]*#.*(\r?\n|$)/gm, ''),
  text.replace(/\r?\n/g, '\r\n'),
];

void test("on every manifest of the repository the reader either declines or builds the Composer's tree", () => {
  let answered = 0;
  let documents = 0;
  for (const file of FILES) {
    for (const text of variants(readFileSync(file, 'utf8'))) {
      for (const slice of splitYamlDocuments(text)) {
        documents++;
        if (agree(slice.text)) answered++;
      }
    }
  }
  // Most manifests are plain block YAML: the reader must actually be exercised.
  assert.ok(answered > documents / 3, `reader answered ${answered} of ${documents} documents`);
});

void test('analysis with the reader equals analysis with the Composer alone, on every manifest', () => {
  for (const file of FILES) {
    for (const text of variants(readFileSync(file, 'utf8'))) {
      assert.deepEqual(analyzeText(text), analyzeText(text, undefined, { blockReader: false }), file);
    }
  }
});

void test('the reader declines what it does not model', () => {
  const declined = [
    'a: &x 1\nb: *x\n',
    'a: !!str 1\n',
    'a: |\n  text\n',
    'a: >-\n  text\n',
    'a:\n\tb: 1\n',
    'a: "esc\\"aped"\n',
    'a: "multi\n  line"\n',
    'a: plain\n  continued\n',
    'a: [1, [2]]\n',
    'a: [x: 1]\n',
    'a: [, x]\n',
    'a: {b: 1}\n',
    'a: 1\n# inside\nb: 2\n',
    '%YAML 1.2\n---\na: 1\n',
    'a: 1\n---\nb: 2\n',
    'a: 1\n...\n',
    'a: b: c\n',
    '- a\n- b\n',
    'a:\n  - - x\n',
    'a:\n    b: 1\n  c: 2\n',
    '? a\n: b\n',
    'a : 1\n',
    '{a: 1}\n',
    'plain\n',
    'a: 1\n- b\n',
    '\uFEFFa: 1\n',
  ];
  for (const text of declined) assert.equal(readBlockYaml(text), null, JSON.stringify(text));
  assert.ok(
    agree(
      "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    args: [\"-Xmx1g\", 'it''s']\n".replace(
        "[\"-Xmx1g\", 'it''s']",
        "\n    - \"-Xmx1g\"\n    - 'it''s'",
      ),
    ),
  );
});

const KEYS = [
  'name',
  'memory',
  'cpu',
  'requests',
  'limits',
  'resources',
  'containers',
  'image',
  'value',
  'true',
  '1',
  'null',
  '"quoted"',
  "'single'",
  'app.kubernetes.io/name',
  'a-b',
  'x:y',
];
const SCALARS = [
  '["java", -jar, \'app.jar\']',
  '[ ]',
  '[x,]',
  '[-Xmx2g, "-XX:+UseG1GC"]',
  '[http://x:80, 1, true, ~]',
  '128Mi',
  '1Gi',
  '0.5',
  '512',
  '1e3',
  '0x1F',
  '0o17',
  '.inf',
  '-.Inf',
  '.nan',
  'true',
  'False',
  'null',
  '~',
  'NULL',
  '"512Mi"',
  "'1Gi'",
  "'it''s'",
  '""',
  '{}',
  '[]',
  '{ }',
  'http://x:80/y',
  'a#b',
  'plain text here',
  '-Xmx2g',
  '+1',
  'yes',
  'on',
  '010',
  '1_000',
  '12:30',
];

/** A random block document built the way manifests are written (indentation 2 or 4, compact or indented sequences). */
const blockDoc = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...SCALARS),
    fc
      .array(fc.tuple(fc.constantFrom(...KEYS), tie('node')), { minLength: 1, maxLength: 4 })
      .map((pairs) => JSON.stringify({ map: pairs })),
    fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((items) => JSON.stringify({ seq: items })),
  ),
})).node;

type Tree = string | { map?: [string, string][]; seq?: string[] };

function render(
  encoded: string,
  indent: number,
  step: number,
  compactSeq: boolean,
  comment: boolean,
  dashInline: boolean,
): string {
  const out: string[] = [];
  const pad = (n: number): string => ' '.repeat(n);
  const tail = comment ? ' # note' : '';
  const parse = (node: string): Tree => (node.startsWith('{"') ? (JSON.parse(node) as Tree) : node);
  /** Writes `head` (`key:` or `-` at column `col`) and the node under it. */
  const write = (node: string, col: number, head: string): void => {
    const p = parse(node);
    const dash = head.trimStart().startsWith('-');
    if (typeof p === 'string') {
      out.push(`${head} ${p}${tail}`);
      return;
    }
    out.push(head);
    if (p.map) {
      const c = col + (dash ? 2 : step);
      for (const [k, v] of p.map) write(v, c, `${pad(c)}${k}:`);
    } else {
      const c = dash ? col + 2 : compactSeq ? col : col + step;
      for (const it of p.seq ?? []) write(it, c, `${pad(c)}-`);
    }
  };
  const top = parse(encoded);
  const root = typeof top !== 'string' && top.map ? top.map : [['root', encoded] as [string, string]];
  for (const [k, v] of root) write(v, indent, `${pad(indent)}${k}:`);
  let text = out.join('\n') + '\n';
  // `-` then its map on the next line, or its first key on the dash line: manifests use both.
  if (dashInline) text = text.replace(/^( *)-\n\1  (?=\S)/gm, '$1- ');
  return text;
}

const generated = fc
  .tuple(blockDoc, fc.constantFrom(0, 2), fc.constantFrom(2, 4), fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean())
  .map(([doc, indent, step, compact, comment, crlf, dashInline]) => {
    const text = render(doc, indent, step, compact, comment, dashInline);
    return crlf ? text.replace(/\n/g, '\r\n') : text;
  });

const MUTATIONS = [
  ' ',
  '  ',
  '\n',
  ':',
  '- ',
  '#',
  '"',
  "'",
  '{',
  '}',
  '[',
  ']',
  '&a',
  '*a',
  '!',
  '|',
  '>',
  '\t',
  '---',
  '...',
  '%',
  '\r',
  '?',
  ',',
  'x',
  '0',
];
const mutated = fc
  .tuple(
    fc.oneof(generated, fc.constantFrom(...FILES.map((f) => readFileSync(f, 'utf8').replace(/^[ ]*#.*\n/gm, '')))),
    fc.nat(),
    fc.nat({ max: 4 }),
    fc.constantFrom(...MUTATIONS),
  )
  .map(([text, at, del, ins]) => {
    const i = at % (text.length + 1);
    return text.slice(0, i) + ins + text.slice(Math.min(text.length, i + del));
  });

void test("generated block documents: the reader answers and builds the Composer's tree", () => {
  let answered = 0;
  fc.assert(
    fc.property(generated, (text) => {
      if (agree(text)) answered++;
    }),
    { numRuns: 1500 },
  );
  assert.ok(answered > 500, `reader answered ${answered} of 1500`);
});

void test('mutated documents: the reader declines or agrees with the Composer (never a different tree)', () => {
  fc.assert(
    fc.property(mutated, (text) => {
      for (const slice of splitYamlDocuments(text)) agree(slice.text);
    }),
    { numRuns: 4000 },
  );
});
