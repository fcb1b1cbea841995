// Hover over LSP on a hostile manifest: the server answers MarkupContent (markdown) in which the
// names and values from the file render as text, so no image is fetched and no link is offered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HoverRequest, MarkupKind, type MarkupContent } from 'vscode-languageserver/node';
import MarkdownIt from 'markdown-it';
import { positionOf, startInProcess, withTimeout } from './lspHarness';

const TEXT = `apiVersion: v1
kind: Pod
metadata:
  name: "p ![x](https://attacker.example/pixel.png?pod) <img src=https://attacker.example/i.png>"
spec:
  containers:
  - name: "a ![x](https://attacker.example/pixel.png) [link](command:workbench.action.terminal.new) <b>bold</b>"
    resources:
      limits:
        memory: 1Gi
      requests:
        memory: "128Mi ![q](https://attacker.example/q.png)"
`;

void test("hover on a hostile container name and value: markdown whose only markup is the server's own", async (t) => {
  const client = startInProcess();
  client.settings = { severities: {}, maxLimitRequestRatio: 3, nodeMemoryCapacity: '16Gi', defaultMemory: '256Mi' };
  t.after(() => client.close());
  await client.initialize();
  const uri = 'file:///ws/hostile.yaml';
  const published = client.nextDiagnostics(uri);
  client.open(uri, TEXT);
  await published;
  const md = new MarkdownIt({ html: true, linkify: true });
  for (const [needle, delta] of [
    ['"a ![x]', 2],
    ['memory: 1Gi', 9],
    ['"128Mi', 2],
  ] as const) {
    const hover = await withTimeout(
      client.conn.sendRequest(HoverRequest.type, {
        textDocument: { uri },
        position: positionOf(TEXT, needle, 1, delta),
      }),
      10_000,
      `hover at ${needle}`,
    );
    assert.ok(hover, needle);
    const contents = hover.contents as MarkupContent;
    assert.equal(contents.kind, MarkupKind.Markdown);
    const html = md.render(contents.value);
    assert.doesNotMatch(html, /<img|<a[ >]|<b>|href|src=/i, `${needle}:\n${html}`);
    assert.match(
      html,
      /!\[x\]\(https:\/\/attacker\.example\/pixel\.png\) \[link\]\(command:workbench\.action\.terminal\.new\) &lt;b&gt;bold&lt;\/b&gt;/,
      needle,
    );
  }
});
