import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hoverAt } from '../../src/core/manifest/analyze';
import { DEFAULT_SETTINGS, type Position } from '../../src/core/manifest/findingTypes';
import { mdCode, mdText } from '../../src/core/manifest/markdown';
import MarkdownIt from 'markdown-it';

const TEXT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  template:
    spec:
      containers:
      - name: api
        resources:
          requests:
            memory: 128Mi
          limits:
            memory: 256Mi
      - name: helper
        resources:
          requests: {memory: 128m}
`;

function at(word: string, nth = 0, text = TEXT): Position {
  const lines = text.split('\n');
  let seen = 0;
  for (let line = 0; line < lines.length; line++) {
    const c = lines[line]!.indexOf(word);
    if (c >= 0 && seen++ === nth) return { line, character: c + 1 };
  }
  throw new Error(`no ${word}`);
}

void test('hover on a memory value: QoS class with reason, oom_score_adj formula, pressure behaviour, exact bytes', () => {
  const h = hoverAt(TEXT, at('128Mi'));
  assert.ok(h);
  assert.match(h.markdown, /\*\*QoS class: Burstable\*\* — container "api" has memory request 128Mi ≠ limit 256Mi/);
  assert.match(
    h.markdown,
    /`oom_score_adj` of container "api": \*\*993\*\* — `1000 − \(1000 × 134217728\) \/ 17179869184 = 993`/,
  );
  assert.match(h.markdown, /16Gi/);
  assert.match(h.markdown, /evicts BestEffort pods first/);
  assert.match(h.markdown, /`128Mi`\*\* = 134,217,728 bytes \(128Mi\)/);
  assert.deepEqual(h.range, { start: { line: 10, character: 20 }, end: { line: 10, character: 25 } });
});

void test('hover on a fractional value shows the exact decimal and the rounding', () => {
  const h = hoverAt(TEXT, at('128m}'));
  assert.ok(h);
  assert.match(h.markdown, /0\.128 bytes: not a whole number of bytes; the API server rounds it up to 1 byte/);
  assert.match(h.markdown, /container "helper": \*\*999\*\*/);
});

void test('hover on resources / requests / limits / memory keys and on the container name', () => {
  const name = at('- name: api');
  for (const [word, pos] of [
    ['resources', at('resources')],
    ['requests', at('requests')],
    ['limits', at('limits')],
    ['memory', at('memory')],
    ['name', { line: name.line, character: name.character + 8 }],
  ] as const) {
    const h = hoverAt(TEXT, pos);
    assert.ok(h, word);
    assert.match(h.markdown, /QoS class: Burstable/, word);
    assert.match(h.markdown, /container "api"/, word);
  }
  assert.equal(hoverAt(TEXT, at('apiVersion')), null);
  assert.equal(hoverAt(TEXT, { line: 99, character: 0 }), null);
});

void test('node capacity setting and lineOffset are honoured; Guaranteed and BestEffort are exact', () => {
  const h = hoverAt(TEXT, at('128Mi'), { ...DEFAULT_SETTINGS, nodeMemoryCapacityBytes: 1024n ** 3n });
  assert.match(h!.markdown, /\*\*875\*\*/);
  const shifted = hoverAt(TEXT, { line: at('128Mi').line + 10, character: at('128Mi').character }, DEFAULT_SETTINGS, {
    lineOffset: 10,
  });
  assert.equal(shifted!.range.start.line, 20);
  const g =
    'apiVersion: v1\nkind: Pod\nmetadata: {name: g}\nspec:\n  containers:\n  - name: g\n    resources: {limits: {memory: 1Gi, cpu: 1}}\n';
  assert.match(hoverAt(g, { line: 5, character: 10 })?.markdown ?? '', /Guaranteed[\s\S]*\*\*-997\*\*/);
  const b = 'apiVersion: v1\nkind: Pod\nmetadata: {name: b}\nspec:\n  containers:\n  - name: b\n';
  assert.match(hoverAt(b, { line: 5, character: 10 })?.markdown ?? '', /BestEffort[\s\S]*\*\*1000\*\*/);
});

void test('hover explains the sidecar cap of policy.go', () => {
  const s =
    'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  initContainers:\n  - name: side\n    restartPolicy: Always\n    resources: {requests: {memory: 64Mi}}\n  containers:\n  - name: big\n    resources: {requests: {memory: 4Gi}}\n';
  const h = hoverAt(s, { line: 5, character: 10 });
  assert.match(
    h!.markdown,
    /sidecar "side": \*\*750\*\* — `1000 − \(1000 × 67108864\) \/ 17179869184 = 997` .*capped at 750/,
  );
});

const HOSTILE = `apiVersion: v1
kind: Pod
metadata:
  name: "p ![x](https://attacker.example/pixel.png?pod) <img src=https://attacker.example/i.png>"
spec:
  containers:
  - name: "a ![x](https://attacker.example/pixel.png) [link](command:workbench.action.terminal.new) <b>bold</b> www.attacker.example \`code\` *em*"
    resources:
      limits:
        memory: 1Gi
      requests:
        memory: "128Mi \`\` ![q](https://attacker.example/q.png)"
`;

void test('names and values from the manifest render as text: no image, link, autolink or HTML from file content', () => {
  // Rendered the strictest way (HTML and bare-URL linking on), the hover's links and images are only our own.
  const md = new MarkdownIt({ html: true, linkify: true });
  for (const word of ['"a ![x]', 'memory: 1Gi', 'memory: "128Mi']) {
    const h = hoverAt(HOSTILE, at(word, 0, HOSTILE));
    assert.ok(h, word);
    const html = md.render(h.markdown);
    assert.doesNotMatch(html, /<img|<a[ >]|<b>|<em>|href|src=/i, `${word}:\n${html}`);
    assert.match(
      html,
      /a !\[x\]\(https:\/\/attacker\.example\/pixel\.png\) \[link\]\(command:workbench\.action\.terminal\.new\) &lt;b&gt;bold&lt;\/b&gt; www\.attacker\.example `code` \*em\*/,
      word,
    );
  }
  const value = hoverAt(HOSTILE, at('memory: "128Mi', 0, HOSTILE))!;
  assert.match(md.render(value.markdown), /<code>128Mi `` !\[q\]\(https:\/\/attacker\.example\/q\.png\)<\/code>/);
});

void test('code spans are fenced longer than any backtick run inside; line breaks and very long text do not escape the line', () => {
  assert.equal(mdCode('1Gi'), '`1Gi`');
  assert.equal(mdCode('a`b'), '``a`b``');
  assert.equal(mdCode('`x'), '`` `x ``');
  assert.equal(mdCode(''), '` `');
  assert.equal(mdText('a\n# heading\r\n- item'), 'a \\# heading - item');
  assert.ok(mdText('x'.repeat(1000)).length < 210);
  const md = new MarkdownIt();
  for (const s of ['a`b', '``x``', '` `', ' lead', 'trail ', '`', '```js'])
    assert.equal(md.renderInline(mdCode(s)), `<code>${s.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</code>`, s);
});
