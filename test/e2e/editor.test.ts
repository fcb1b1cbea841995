// The packed extension inside a real VS Code (code-server) driven by headless Chromium: what a user sees.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { screenshot } from '../support/browser';
import {
  extensionId,
  goTo,
  missingTools,
  openFile,
  openProblems,
  pickCodeAction,
  resultsDir,
  squiggleLines,
  startEditorSession,
  waitForFile,
  webviewFrame,
  type EditorSession,
} from '../support/codeServer';

const FRACTIONAL = 'deployment-memory-128m-fractional.yaml';
const BEST_EFFORT = 'pod-besteffort-no-resources.yaml';
const GUARANTEED = 'pod-guaranteed.yaml';

/** 1-based numbers of the lines of `text` that match `re`. */
function linesMatching(text: string, re: RegExp): number[] {
  return text.split('\n').flatMap((l, i) => (re.test(l) ? [i + 1] : []));
}

const why = missingTools();
if (why && process.env.CI === 'true') {
  void it('e2e tools are installed under CI', () => assert.fail(`e2e cannot run under CI: ${why}`));
}

void describe('OOMScope in VS Code (code-server + Chromium)', { skip: why ?? false, timeout: 600_000 }, () => {
  let session: EditorSession | undefined;
  let page: Page;
  let workspace: string;

  before(async () => {
    session = await startEditorSession();
    ({ page, workspace } = session);
  });

  afterEach(async (t) => {
    if (page)
      await page.screenshot({ path: join(resultsDir('e2e'), `last-${t.name.replace(/\W+/g, '-').slice(0, 60)}.png`) });
  });

  after(async () => {
    if (session) {
      writeFileSync(join(resultsDir('e2e'), 'code-server.log'), session.server.log());
      if (session.hostLog.length)
        writeFileSync(join(resultsDir('e2e'), 'extension-host.log'), session.hostLog.join('\n'));
    }
    await session?.close();
  });

  void it('squiggles the fractional memory values, and only those, as errors', async () => {
    await openFile(page, FRACTIONAL);
    const expected = linesMatching(readFileSync(join(workspace, FRACTIONAL), 'utf8'), /^\s*memory:\s*128m\s*$/);
    assert.ok(expected.length >= 1, `${FRACTIONAL} no longer has a "memory: 128m" line`);
    await page
      .locator('.editor-group-container.active .squiggly-error')
      .nth(expected.length - 1)
      .waitFor({ timeout: 120_000 });
    await screenshot(page, 'editor-fractional-squiggles');
    assert.deepEqual(await squiggleLines(page, 'error'), expected);
  });

  void it('lists the findings with their rule ids in the Problems panel', async () => {
    const panel = await openProblems(page);
    const expected = linesMatching(readFileSync(join(workspace, FRACTIONAL), 'utf8'), /^\s*memory:\s*128m\s*$/);
    const rows = panel.locator('.monaco-list-row', { hasText: 'memory-quantity-fractional' });
    await rows.nth(expected.length - 1).waitFor({ timeout: 30_000 });
    const texts = await rows.allInnerTexts();
    for (const line of expected) {
      assert.ok(
        texts.some((t) => t.includes(`Ln ${line},`)),
        `no Problems row for line ${line}: ${JSON.stringify(texts)}`,
      );
    }
    assert.ok(
      texts.every((t) => t.includes('oomscope')),
      `rows without source "oomscope": ${JSON.stringify(texts)}`,
    );
    await screenshot(page, 'editor-problems-panel');
    await page.keyboard.press('Control+Shift+M');
  });

  void it('warns on a container with no memory request or limit (BestEffort)', async () => {
    await openFile(page, BEST_EFFORT);
    const line = linesMatching(readFileSync(join(workspace, BEST_EFFORT), 'utf8'), /^\s*- name: shell\s*$/);
    assert.equal(line.length, 1, `${BEST_EFFORT} no longer has one "- name: shell" line`);
    await page.locator('.editor-group-container.active .squiggly-warning').first().waitFor({ timeout: 60_000 });
    assert.ok((await squiggleLines(page, 'warning')).includes(line[0]), `no warning squiggle on line ${line[0]}`);
    const panel = await openProblems(page);
    await panel.locator('.monaco-list-row', { hasText: 'memory-request-missing' }).first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'editor-besteffort-warning');
    await page.keyboard.press('Control+Shift+M');
  });

  void it("hovering `resources` names the pod's QoS class", async () => {
    await openFile(page, GUARANTEED);
    const [line] = linesMatching(readFileSync(join(workspace, GUARANTEED), 'utf8'), /^\s*resources:\s*$/);
    assert.ok(line, `${GUARANTEED} has no "resources:" line`);
    const column = readFileSync(join(workspace, GUARANTEED), 'utf8').split('\n')[line - 1].indexOf('resources') + 1;
    const box = await goTo(page, line, column + 2);
    await page.mouse.move(box.x + 2, box.y + box.height / 2);
    const hover = page.locator('.monaco-hover:visible', { hasText: 'Guaranteed' });
    await hover.first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'editor-hover-qos');
    await page.keyboard.press('Escape');
  });

  void it('a quick fix from the light bulb turns 128m into 128Mi on disk', async () => {
    await openFile(page, FRACTIONAL);
    const file = join(workspace, FRACTIONAL);
    const before = readFileSync(file, 'utf8');
    const [line] = linesMatching(before, /^\s*memory:\s*128m\s*$/);
    const column = before.split('\n')[line - 1].indexOf('128m') + 1;
    await page.locator('.editor-group-container.active .squiggly-error').first().waitFor({ timeout: 60_000 });
    await goTo(page, line, column + 1);
    await page
      .locator('.editor-group-container.active .lightBulbWidget')
      .waitFor({ state: 'visible', timeout: 30_000 });
    await page.keyboard.press('Control+.');
    await page
      .locator('.action-widget .monaco-list-row', { hasText: '128Mi' })
      .first()
      .waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'editor-quick-fix-menu');
    await pickCodeAction(page, '128Mi');
    await page.keyboard.press('Control+S');
    const lines = before.split('\n');
    lines[line - 1] = lines[line - 1].replace('128m', '128Mi');
    const expected = lines.join('\n');
    // Wait for the saved text (a read in the middle of the save sees a partly written file); on a
    // timeout compare what is on disk, so the failure shows the difference.
    const after = await waitForFile(file, (t) => t === expected, 30_000).catch(() => readFileSync(file, 'utf8'));
    assert.equal(after, expected);
    await screenshot(page, 'editor-after-quick-fix');
  });

  void it('the extension page shows the README with every screenshot the .vsix carries', async () => {
    // npm run package puts the screenshots of the last e2e run into the packed README as data:
    // URLs (none on a fresh clone's first run); each one must load on the extension page.
    const readme = readFileSync(join(session!.extensionsDir, extensionId(), 'readme.md'), 'utf8');
    const carried = readme.match(/\]\(data:image\/png;base64,/g)?.length ?? 0;
    await page.locator('.activitybar .codicon-extensions-view-icon').first().click();
    await page.keyboard.type('@installed oomscope');
    await page.locator('.extension-list-item', { hasText: 'OOMScope' }).first().click({ timeout: 30_000 });
    // The README is a webview: wait for its text, then for each screenshot image to have loaded.
    const frame = webviewFrame(page);
    await frame
      .locator('body', { hasText: 'Was this pod killed by its own memory limit' })
      .waitFor({ timeout: 60_000 });
    const images = frame.locator('img[src^="data:image/png"]');
    for (let i = 0; i < carried; i++) {
      await images.nth(i).waitFor({ timeout: 30_000 });
      await images.nth(i).evaluate(
        (img: HTMLImageElement) =>
          img.complete ||
          new Promise((resolve) => {
            img.addEventListener('load', resolve, { once: true });
            img.addEventListener('error', resolve, { once: true });
          }),
      );
    }
    const widths = await images.evaluateAll((all) => all.map((img) => (img as HTMLImageElement).naturalWidth));
    await screenshot(page, 'editor-extension-page');
    assert.equal(
      widths.length,
      carried,
      `the packed README has ${carried} screenshots, the page shows ${widths.length}`,
    );
    assert.ok(
      widths.every((w) => w > 0),
      `a screenshot did not load: widths ${JSON.stringify(widths)}`,
    );
  });
});
