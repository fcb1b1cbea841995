// The panel on a LimitedSwap + MemoryQoS node and a node with PSI node conditions (issue 14 §7, §8), from real
// analyses of the test API server: the conditions beside MemoryPressure, the scope words, and the swap and
// memory.high table, in dark and light.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { missingSentence } from '../../scripts/prerequisites.mjs';
import { chromiumPath, launchBrowser, screenshot, type Browser } from '../support/browser';
import { openPanel, postToPanel, servePanelPage, type PanelServer } from '../support/panelPage';
import { harness, value } from '../cluster/helpers';
import { snapshotFromNode } from '../../src/panel/snapshot';
import type { PanelSnapshot } from '../../src/shared/panelProtocol';

const missing = chromiumPath() === undefined;
const why = missingSentence(['test']) ?? 'Chromium is not installed';
if (missing && process.env.CI === 'true') throw new Error(`browser tier: ${why}, and CI=true`);

void describe('panel: swap, memory.high and PSI node conditions', { skip: missing ? why : false }, () => {
  let server: PanelServer;
  let browser: Browser;
  before(async () => {
    server = await servePanelPage();
    browser = await launchBrowser({ width: 1200, height: 1400 });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function show(snapshot: PanelSnapshot, theme: 'dark' | 'light'): Promise<Page> {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1200, height: 1400 });
    await openPanel(page, server.url, theme);
    await postToPanel(page, { type: 'snapshot', snapshot });
    await page.waitForFunction((g) => document.body.dataset.snapshotAt === String(g), snapshot.generatedAt, {
      timeout: 10_000,
    });
    return page;
  }

  void test('LimitedSwap with MemoryQoS: each container with swap or memory.high has a row; a throttled one says so', async (t) => {
    const q = await harness({ scenario: 'memory-qos' });
    t.after(() => q.close());
    const qos = await show(snapshotFromNode(value(await q.pollTimes(3)), { live: true }), 'dark');
    const apiQ = qos.locator('#controls-table tr[data-container="shop/api-7d9f8c6b5-x2k4p/api"] td');
    assert.equal(await apiQ.nth(4).textContent(), '486 MiB', 'memory.high 510025728 bytes');
    assert.match((await apiQ.nth(5).textContent()) ?? '', /at memory\.high$/);
    assert.equal(await apiQ.nth(5).getAttribute('class'), 'throttled');
    await qos.locator('#memory-controls').scrollIntoViewIfNeeded();
    await screenshot(qos, 'panel-memory-high-dark');
    await qos.close();
    const h = await harness({ scenario: 'limited-swap' });
    t.after(() => h.close());
    const a = value(await h.pollTimes(3));
    const snapshot = snapshotFromNode(a, { live: true });
    assert.ok(snapshot.memoryControls, 'the snapshot carries the controls');
    for (const theme of ['dark', 'light'] as const) {
      const page = await show(snapshot, theme);
      const section = page.locator('#memory-controls');
      assert.equal(await section.isVisible(), true);
      const api = page.locator('#controls-table tr[data-container="shop/api-7d9f8c6b5-x2k4p/api"] td');
      assert.equal(await api.nth(2).textContent(), '132 MiB', 'swap limit 256Mi / 7.77Gi × 4Gi');
      assert.equal(await api.nth(3).textContent(), '96.0 MiB');
      assert.match(
        (await section.locator('.controls-caption').textContent()) ?? '',
        /swap LimitedSwap · node swap 96.0 MiB in use of 4.0 GiB/,
      );
      assert.equal(
        await page.locator('#conditions [data-condition="MemoryPressure"]').textContent(),
        'MemoryPressure False',
      );
      await section.scrollIntoViewIfNeeded();
      await screenshot(page, `panel-swap-${theme}`);
      await page.close();
    }
  });

  void test('PSI node conditions beside MemoryPressure, with the scope words', async (t) => {
    const h = await harness({ scenario: 'psi-conditions' });
    t.after(() => h.close());
    const a = value(await h.pollTimes(4));
    const snapshot = snapshotFromNode(a, { live: true });
    for (const theme of ['dark', 'light'] as const) {
      const page = await show(snapshot, theme);
      const items = await page.locator('#conditions li').allTextContents();
      assert.deepEqual(items, [
        'MemoryPressure False',
        'SystemMemoryContentionPressure False',
        'KubepodsMemoryContentionPressure True',
      ]);
      assert.equal(
        await page.locator('#conditions [data-condition="KubepodsMemoryContentionPressure"]').getAttribute('class'),
        'condition condition-true',
      );
      const words = await page.locator('#scope-words li').allTextContents();
      assert.ok(
        words.some((w) => /node-allocatable pressure/.test(w)),
        JSON.stringify(words),
      );
      assert.equal(await page.locator('#memory-controls').isVisible(), false, 'no swap, no MemoryQoS: no table');
      await screenshot(page, `panel-psi-conditions-${theme}`);
      await page.close();
    }
  });
});
