// The panel page in headless Chromium, fed the messages the extension posts. Snapshots are
// hand-written (test/support/panelSnapshots.ts) following the shapes src/panel/snapshot.ts builds.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { missingSentence } from '../../scripts/prerequisites.mjs';
import { chromiumPath, launchBrowser, screenshot, type Browser } from '../support/browser';
import {
  openPanel,
  postToPanel,
  recorded,
  servePanelPage,
  switchTheme,
  THEMES,
  type PanelServer,
} from '../support/panelPage';
import { DEMO, demoSnapshot, largeSnapshot } from '../support/panelSnapshots';
import { harness, value } from '../cluster/helpers';
import type { NodeAnalysis } from '../../src/cluster/index';
import { snapshotFromNode } from '../../src/panel/snapshot';
import { formatSize } from '../../src/shared/humanSize';

const NOW = Date.UTC(2026, 10, 27, 17, 30, 0);
const missing = chromiumPath() === undefined;
const why = missingSentence(['test']) ?? 'Chromium is not installed';
if (missing && process.env.CI === 'true') throw new Error(`browser tier: ${why}, and CI=true`);
if (missing) console.log(`browser tier skipped: ${why}`);

void describe('panel webview in Chromium', { skip: missing ? 'Chromium is not installed' : false }, () => {
  let server: PanelServer;
  let browser: Browser;
  const consoleErrors: string[] = [];

  before(async () => {
    server = await servePanelPage();
    browser = await launchBrowser({ width: 1200, height: 1400 });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function freshPage(theme: 'dark' | 'light' = 'dark', width = 1200): Promise<Page> {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width, height: 1400 });
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    await openPanel(page, server.url, theme);
    return page;
  }

  async function showDemo(page: Page): Promise<void> {
    await postToPanel(page, { type: 'snapshot', snapshot: demoSnapshot(NOW) });
    await page.waitForFunction((t) => document.body.dataset.snapshotAt === String(t), NOW, { timeout: 10_000 });
  }

  const attr = (page: Page, sel: string, name: string): Promise<string | null> => page.locator(sel).getAttribute(name);

  void test('draws the pressure chart with phase boxes and kill markers under the strict CSP', async () => {
    const page = await freshPage('dark');
    await showDemo(page);
    assert.equal(await attr(page, '#stall-chart', 'data-phase-boxes'), String(DEMO.phaseBoxesNode));
    assert.equal(await attr(page, '#stall-chart', 'data-kill-markers'), String(DEMO.killMarkers));
    assert.equal(await attr(page, '#stall-chart', 'data-datasets'), '2', 'node some + node full');
    // chart.js really painted: the canvas holds more than one colour.
    const colours = await page.evaluate(() => {
      const c = document.getElementById('stall-chart') as HTMLCanvasElement;
      const d = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? new Uint8ClampedArray();
      const seen = new Set<number>();
      for (let i = 0; i < d.length && seen.size < 50; i += 97 * 4) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
      return { size: seen.size, width: c.width, height: c.height };
    });
    assert.ok(colours.width > 300 && colours.height > 150, `canvas ${colours.width}x${colours.height}`);
    assert.ok(colours.size > 3, `canvas painted with ${colours.size} colours`);
    const killColours = JSON.parse((await attr(page, '#stall-chart', 'data-kill-colors')) ?? '[]') as string[];
    assert.ok(killColours.includes(THEMES.dark.vars['--vscode-charts-red']), 'system OOM line is red');
    assert.ok(killColours.includes(THEMES.dark.vars['--vscode-charts-orange']), 'own-limit kill line is orange');
    const rec = await recorded(page);
    assert.deepEqual(rec.csp, [], 'no CSP violations');
    assert.deepEqual(consoleErrors, [], 'no console errors');
    assert.equal(rec.state?.target?.kind, 'node');
    await screenshot(page, 'panel-dark');
    await page.close();
  });

  void test('a real analysis (test API server, thrash-then-system-oom) renders the system OOM after thrashing', async (t) => {
    const h = await harness({ scenario: 'thrash-then-system-oom' });
    t.after(() => h.close());
    let a: NodeAnalysis | null = null;
    for (let i = 0; i < 40 && !(a?.ooms.some((k) => k.class === 'system') ?? false); i++) a = value(await h.poll());
    for (let i = 0; i < 6; i++) a = value(await h.poll());
    assert.ok(a);
    const snapshot = snapshotFromNode(a, { live: true });
    const page = await freshPage('dark');
    await postToPanel(page, { type: 'snapshot', snapshot });
    await page.waitForFunction((g) => document.body.dataset.snapshotAt === String(g), snapshot.generatedAt, {
      timeout: 10_000,
    });
    const nodeBoxes = snapshot.phases.filter((p) => p.scope === 'node').length;
    assert.ok(nodeBoxes >= 1);
    assert.equal(await attr(page, '#stall-chart', 'data-phase-boxes'), String(nodeBoxes));
    assert.equal(
      await attr(page, '#stall-chart', 'data-kill-markers'),
      String(snapshot.kills.filter((k) => k.t !== null).length),
    );
    const row = page.locator('#timeline > li[data-class="system"]');
    assert.equal(await row.count(), 1);
    const text = (await row.textContent()) ?? '';
    assert.match(text, /report-generator-29150420-7xk2q/);
    assert.match(text, /the node ran out of memory/);
    assert.match(text, /QoS BestEffort/);
    assert.match(text, /thrashing for \d/);
    assert.deepEqual((await recorded(page)).csp, []);
    await screenshot(page, 'panel-scenario-dark');
    await page.close();
  });

  void test('the timeline says in words what killed each pod, with Go to manifest', async () => {
    const page = await freshPage('dark');
    await showDemo(page);
    const rows = page.locator('#timeline > li');
    assert.equal(await rows.count(), DEMO.timelineRows);
    const texts = await rows.allTextContents();
    const system = texts.find((t) => t.includes('report-generator')) ?? '';
    assert.match(system, /victim of node memory pressure/);
    assert.match(system, /QoS BestEffort/);
    assert.match(system, /thrashing for 5m 0s before the kill/);
    assert.match(system, /System OOM encountered/);
    const api = texts.find((t) => t.includes('api-7d9f8c6b5-x2k4p')) ?? '';
    assert.match(api, /hit its own 512Mi limit/);
    assert.match(api, /sudden/);
    assert.match(texts.find((t) => t.includes('cleanup-')) ?? '', /Eviction.*evicted by the kubelet/s);
    assert.match(texts[texts.length - 1], /time unknown/, 'undated kill listed last');
    assert.equal(await page.getByRole('button', { name: 'Go to manifest' }).count(), 2);
    await rows.filter({ hasText: 'api-7d9f8c6b5-x2k4p' }).getByRole('button', { name: 'Go to manifest' }).click();
    const rec = await recorded(page);
    assert.deepEqual(rec.posted.at(-1), { type: 'goToManifest', uri: DEMO.manifestUri, line: 11 });
    const chips = await page
      .locator('.chip')
      .evaluateAll((els) => els.map((e) => `${(e as HTMLElement).dataset.source}=${(e as HTMLElement).dataset.state}`));
    assert.ok(
      chips.includes('cadvisor=forbidden') && chips.includes('prometheus=unavailable') && chips.includes('summary=ok'),
      chips.join(' '),
    );
    assert.match(
      (await page.locator('.chip[data-source="cadvisor"]').getAttribute('title')) ?? '',
      /needs get on nodes\/proxy/,
    );
    await page.close();
  });

  void test('switching theme recolours the datasets', async () => {
    const page = await freshPage('dark');
    await showDemo(page);
    const before = JSON.parse((await attr(page, '#stall-chart', 'data-series-colors')) ?? '[]') as string[];
    assert.equal(before[0], THEMES.dark.vars['--vscode-charts-blue']);
    await switchTheme(page, 'light');
    const lightBlue = THEMES.light.vars['--vscode-charts-blue'];
    await page.waitForFunction(
      (c) => (JSON.parse(document.getElementById('stall-chart')?.dataset.seriesColors ?? '[]') as string[])[0] === c,
      lightBlue,
      { timeout: 5000 },
    );
    const killColours = JSON.parse((await attr(page, '#stall-chart', 'data-kill-colors')) ?? '[]') as string[];
    assert.ok(killColours.includes(THEMES.light.vars['--vscode-charts-red']), 'kill lines recoloured too');
    await page.locator('.card').first().scrollIntoViewIfNeeded();
    await screenshot(page, 'panel-light');
    await switchTheme(page, 'high-contrast');
    await page.waitForFunction(
      (c) => (JSON.parse(document.getElementById('stall-chart')?.dataset.seriesColors ?? '[]') as string[])[0] === c,
      THEMES['high-contrast'].vars['--vscode-charts-blue'],
      { timeout: 5000 },
    );
    await screenshot(page, 'panel-high-contrast');
    await page.close();
  });

  void test('opens on the latest OOM kill and its precursor window, not on the last hour; a range button still gives its range', async () => {
    const page = await freshPage('dark');
    const snapshot = demoSnapshot(NOW);
    // The latest OOM kill (an eviction came after it: the kill is the story).
    const latest = Math.max(...snapshot.kills.filter((k) => k.kind !== 'eviction').map((k) => k.t ?? -Infinity));
    assert.ok(snapshot.kills.some((k) => k.kind === 'eviction' && (k.t ?? 0) > latest));
    await postToPanel(page, { type: 'snapshot', snapshot });
    await page.waitForFunction((t) => document.body.dataset.snapshotAt === String(t), NOW, { timeout: 10_000 });
    const visible = async (): Promise<{ min: number; max: number }> => {
      await page.getByRole('button', { name: 'CSV' }).click();
      const last = (await recorded(page)).posted.filter((m) => m.type === 'export').at(-1);
      assert.ok(last?.type === 'export' && last.range);
      return last.range;
    };
    const opened = await visible();
    const windowMs = snapshot.precursorWindowSeconds * 1000;
    assert.ok(
      opened.min <= latest - windowMs,
      `opens before the precursor window (${opened.min} > ${latest - windowMs})`,
    );
    assert.ok(opened.max > latest, 'the kill is inside, not on the right edge');
    assert.ok(
      opened.max - opened.min < 20 * 60_000,
      `a story-sized range, not the hour (${opened.max - opened.min} ms)`,
    );
    assert.ok(NOW - opened.max > 10 * 60_000, 'not squeezed against the end of the data');
    assert.equal(await page.locator('button.range[aria-pressed="true"]').count(), 0, 'no range button claims it');
    await screenshot(page, 'panel-opens-on-latest-kill');
    await page.locator('button.range', { hasText: '1 h' }).click();
    const hour = await visible();
    assert.ok(Math.abs(hour.max - hour.min - 60 * 60_000) < 1000, `1 h button: ${hour.max - hour.min} ms`);
    await page.close();
  });

  void test('a live panel moves to a kill that arrives after it opened, until the user chooses a range', async () => {
    const page = await freshPage('dark');
    const full = demoSnapshot(NOW);
    const post = async (snapshot: typeof full, at: number): Promise<void> => {
      await postToPanel(page, { type: 'snapshot', snapshot: { ...snapshot, generatedAt: at } });
      await page.waitForFunction((t) => document.body.dataset.snapshotAt === String(t), at, { timeout: 10_000 });
    };
    const visible = async (): Promise<{ min: number; max: number }> => {
      await page.getByRole('button', { name: 'CSV' }).click();
      const last = (await recorded(page)).posted.filter((m) => m.type === 'export').at(-1);
      assert.ok(last?.type === 'export' && last.range);
      return last.range;
    };
    const latest = Math.max(...full.kills.filter((k) => k.kind !== 'eviction').map((k) => k.t ?? -Infinity));
    // Opened before any kill: the whole history.
    await post({ ...full, kills: [] }, NOW);
    const before = await visible();
    assert.ok(before.max - before.min > 60 * 60_000, `whole history first (${before.max - before.min} ms)`);
    // The kill arrives: the range moves to it and its precursor window.
    await post(full, NOW + 1);
    const moved = await visible();
    assert.ok(moved.min <= latest - full.precursorWindowSeconds * 1000 && moved.max > latest, 'moved to the kill');
    assert.ok(moved.max - moved.min < 20 * 60_000, `a story-sized range (${moved.max - moved.min} ms)`);
    // The user picks 1 h; a newer kill does not take the range away from them.
    await page.locator('button.range', { hasText: '1 h' }).click();
    const later = { ...full.kills.find((k) => k.kind !== 'eviction')!, id: 'oom-later', t: NOW - 2 * 60_000 };
    await post({ ...full, kills: [...full.kills, later] }, NOW + 2);
    const kept = await visible();
    assert.ok(Math.abs(kept.max - kept.min - 60 * 60_000) < 1000, `the user's 1 h stays (${kept.max - kept.min} ms)`);
    await page.close();
  });

  void test('export posts CSV/JSON requests with the visible range and the chart as a PNG data URL', async () => {
    const page = await freshPage('dark');
    await showDemo(page);
    await page.getByRole('button', { name: 'CSV' }).click();
    await page.getByRole('button', { name: 'JSON' }).click();
    await page.getByRole('button', { name: 'PNG' }).click();
    const exports = (await recorded(page)).posted.filter((m) => m.type === 'export');
    assert.deepEqual(
      exports.map((m) => m.type === 'export' && m.format),
      ['csv', 'json', 'png'],
    );
    for (const m of exports) {
      assert.ok(m.type === 'export' && m.range && m.range.max > m.range.min, 'range sent');
      assert.ok(m.type === 'export' && m.scopes?.includes('node'));
    }
    const png = exports[2].type === 'export' ? (exports[2].data ?? '') : '';
    assert.match(png, /^data:image\/png;base64,/);
    assert.ok(png.length > 5000, `PNG data URL of ${png.length} chars`);
    await postToPanel(page, { type: 'exportDone', path: '/tmp/worker-1.csv' });
    await page.getByText('Saved /tmp/worker-1.csv').waitFor({ timeout: 5000 });
    await page.close();
  });

  void test('live toggle, refresh and range buttons post and keep view state', async () => {
    const page = await freshPage('dark');
    await showDemo(page);
    const live = page.locator('#live');
    assert.equal(await live.getAttribute('aria-pressed'), 'true');
    await live.click();
    assert.equal(await live.getAttribute('aria-pressed'), 'false');
    await page.getByRole('button', { name: 'Refresh' }).click();
    let rec = await recorded(page);
    assert.deepEqual(rec.posted.slice(-2), [{ type: 'setLive', live: false }, { type: 'refresh' }]);
    assert.equal(rec.state?.live, false);
    // 2 h of history: 15 m, 1 h and 6 h enabled, 24 h not yet.
    const enabled = await page
      .locator('button.range')
      .evaluateAll((els) => els.map((e) => !(e as HTMLButtonElement).disabled));
    assert.deepEqual(enabled, [true, true, true, false]);
    await page.getByRole('button', { name: '15 m' }).click();
    const span = await page.evaluate(() => {
      const c = document.getElementById('stall-chart') as HTMLCanvasElement & { dataset: DOMStringMap };
      return c.dataset;
    });
    assert.ok(span);
    rec = await recorded(page);
    assert.equal(rec.state?.rangeMinutes, 15);
    await page.getByRole('button', { name: 'CSV' }).click();
    rec = await recorded(page);
    const last = rec.posted.at(-1);
    assert.ok(last?.type === 'export' && last.range);
    assert.ok(
      Math.abs(last.range.max - last.range.min - 15 * 60_000) < 1000,
      `visible span ${last.range.max - last.range.min}`,
    );
    // Keyboard: Tab reaches the buttons; Enter on Reset zoom clears the range.
    await page.locator('#reset-zoom').focus();
    await page.keyboard.press('Enter');
    rec = await recorded(page);
    assert.equal(rec.state?.rangeMinutes, null);
    await page.close();
  });

  void test('picking a manifest pod shows its request and limit and its phases', async () => {
    const page = await freshPage('dark');
    await showDemo(page);
    assert.equal(await attr(page, '#memory-chart', 'data-reference-lines'), 'allocatable');
    await page.locator('#pods-table').getByRole('button', { name: 'api-7d9f8c6b5-x2k4p' }).click();
    await page.waitForFunction(
      () => document.getElementById('memory-chart')?.dataset.referenceLines === 'request,limit',
      undefined,
      { timeout: 5000 },
    );
    assert.equal(await attr(page, '#stall-chart', 'data-phase-boxes'), String(DEMO.phaseBoxesWithApi));
    assert.match(
      (await page.locator('#memory-title').textContent()) ?? '',
      /api-7d9f8c6b5-x2k4p vs its request and limit/,
    );
    await page.locator('#pods-table').getByRole('button', { name: 'Deployment/api' }).click();
    const rec = await recorded(page);
    assert.deepEqual(rec.posted.at(-1), { type: 'goToManifest', uri: DEMO.manifestUri, line: 1 });
    await page.close();
  });

  void test('readable at half the window width', async () => {
    const page = await freshPage('dark', 560);
    await showDemo(page);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.ok(overflow <= 0, `horizontal overflow of ${overflow}px`);
    await screenshot(page, 'panel-narrow');
    await page.close();
  });

  void test('24 h at 10 s for the node and 30 pods stays bounded', async () => {
    const page = await freshPage('dark');
    // Built inside the page (same function): only postMessage + rendering is timed.
    await page.evaluate(`window.__build = ${largeSnapshot.toString()}`);
    const firstMs = await page.evaluate(async (now) => {
      const snapshot = (window as unknown as { __build: typeof largeSnapshot }).__build(now, 30);
      const t0 = performance.now();
      // The panel's own listener was added first, so this one runs once it has rendered.
      await new Promise<void>((resolve) => {
        window.addEventListener('message', () => resolve(), { once: true });
        window.postMessage({ type: 'snapshot', snapshot }, '*');
      });
      return Math.round(performance.now() - t0);
    }, NOW);
    assert.equal(await page.evaluate(() => document.body.dataset.snapshotAt), String(NOW));
    const snap = largeSnapshot(NOW, 30);
    // Show every scope: 31 scopes x (some + full).
    await page.locator('.scopes summary').click();
    const boxes = page.locator('.scope-list input');
    assert.equal(await boxes.count(), 31);
    const allMs = await page.evaluate(() => {
      const t0 = performance.now();
      const inputs = Array.from(document.querySelectorAll<HTMLInputElement>('.scope-list input')).filter(
        (i) => !i.checked,
      );
      for (const i of inputs) {
        i.checked = true;
        i.dispatchEvent(new Event('change'));
      }
      return Math.round(performance.now() - t0);
    });
    assert.equal(await attr(page, '#stall-chart', 'data-datasets'), '62');
    const zoomMs = await page.evaluate(() => {
      const t0 = performance.now();
      (document.querySelector('button.range') as HTMLButtonElement).click();
      return Math.round(performance.now() - t0);
    });
    const points = Number(await attr(page, '#stall-chart', 'data-points'));
    assert.ok(points <= 62 * 2000, `${points} points handed to chart.js`);
    assert.ok(points > 0);
    const inputPoints = snap.stall.reduce((n, s) => n + s.points.length * 2, 0);
    console.log(
      JSON.stringify({
        bench: 'panel-render',
        series: 62,
        inputPoints,
        chartPoints: points,
        firstSnapshotMs: firstMs,
        allScopesMs: allMs,
        rangeClickMs: zoomMs,
      }),
    );
    assert.deepEqual((await recorded(page)).csp, []);
    await page.close();
  });
  void test('memory budget: capacity → reservations, eviction threshold → allocatable / kubepods limit, against the working set', async (t) => {
    const h = await harness({ scenario: 'configz-reserved' });
    t.after(() => h.close());
    const a = value(await h.pollTimes(3));
    const snapshot = snapshotFromNode(a, { live: true });
    const MI = 1024 * 1024;
    const cap = 8148092 * 1024;
    assert.equal(snapshot.budget?.kubepodsLimitBytes, cap - 768 * MI);
    for (const theme of ['dark', 'light'] as const) {
      const page = await freshPage(theme);
      await postToPanel(page, { type: 'snapshot', snapshot });
      await page.waitForFunction((g) => document.body.dataset.snapshotAt === String(g), snapshot.generatedAt, {
        timeout: 10_000,
      });
      const section = page.locator('#budget');
      assert.equal(await section.isVisible(), true);
      const cells = await page
        .locator('#budget-table tr')
        .evaluateAll((rows) =>
          rows.map((r) => [r.querySelector('th')?.textContent, r.querySelector('td')?.textContent]),
        );
      assert.deepEqual(cells, [
        ['capacity', '7.8 GiB'],
        ['− system-reserved', '256 MiB'],
        ['− kube-reserved', '512 MiB'],
        ['= kubepods limit', '7.0 GiB'],
        ['− eviction threshold (hard)', '200 MiB'],
        ['= allocatable', '6.8 GiB'],
        ['working set', formatSize(a.budget.workingSetBytes!)],
      ]);
      const widths = await page
        .locator('#budget .budget-seg')
        .evaluateAll((segs) => segs.map((x) => [x.getAttribute('data-segment'), (x as HTMLElement).style.width]));
      const pct = (n: number): string => `${((100 * n) / cap).toFixed(2)}%`;
      assert.deepEqual(widths, [
        ['allocatable', pct(cap - 968 * MI)],
        ['eviction threshold', pct(200 * MI)],
        ['kube-reserved', pct(512 * MI)],
        ['system-reserved', pct(256 * MI)],
      ]);
      assert.equal(
        await page.locator('#budget [data-marker="kubepods limit"]').evaluate((m) => (m as HTMLElement).style.left),
        pct(cap - 768 * MI),
      );
      assert.deepEqual((await recorded(page)).csp, []);
      await section.scrollIntoViewIfNeeded();
      await screenshot(page, `panel-memory-budget-${theme}`);
      await page.close();
    }
  });

  void test('memory budget: hidden without a node, says why when configz is unreadable', async () => {
    const page = await freshPage('dark');
    await showDemo(page);
    assert.equal(await page.locator('#budget').isVisible(), false, 'the demo snapshot carries no budget');
    const snap = {
      ...demoSnapshot(NOW + 1),
      generatedAt: NOW + 1,
      budget: {
        capacityBytes: 8 * 1024 ** 3,
        systemReservedBytes: null,
        kubeReservedBytes: null,
        evictionHardBytes: null,
        allocatableBytes: 7.5 * 1024 ** 3,
        kubepodsLimitBytes: null,
        workingSetBytes: 3 * 1024 ** 3,
      },
    };
    await postToPanel(page, { type: 'snapshot', snapshot: snap });
    await page.waitForFunction((g) => document.body.dataset.snapshotAt === String(g), NOW + 1, { timeout: 10_000 });
    assert.match((await page.locator('#budget').textContent()) ?? '', /configz\) could not be read/);
    assert.equal(await page.locator('#budget-table tr:nth-child(2) td').textContent(), 'unknown');
    await page.close();
  });
});
