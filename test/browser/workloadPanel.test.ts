// The workload panel (webview/workload*.ts) in headless Chromium, fed what src/panel/workloadPanel.ts posts: the
// snapshot that snapshotFromWorkload builds from a GENERATED WorkloadAnalysis (test/support/workloadSample.ts).
// And the node panel's "Pods of this manifest" link to it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { missingSentence } from '../../scripts/prerequisites.mjs';
import { chromiumPath, launchBrowser, type Browser } from '../support/browser';
import { openPanel, postToPanel, recorded, servePanelPage, THEMES, type PanelServer } from '../support/panelPage';
import { demoSnapshot } from '../support/panelSnapshots';
import { MI, SAMPLE, workloadSample } from '../support/workloadSample';
import { snapshotFromWorkload } from '../../src/panel/workloadSnapshot';
import type { HostToWorkload } from '../../src/shared/workloadProtocol';
import type { HostToPanel } from '../../src/shared/panelProtocol';
import { formatSize } from '../../src/shared/humanSize';

const NOW = Date.UTC(2026, 10, 27, 17, 30, 0);
const DAY = 24 * 3600_000;
const missing = chromiumPath() === undefined;
const why = missingSentence(['test']) ?? 'Chromium is not installed';
if (missing && process.env.CI === 'true') throw new Error(`browser tier: ${why}, and CI=true`);
if (missing) console.log(`browser tier skipped: ${why}`);

void describe('workload panel webview in Chromium', { skip: missing ? 'Chromium is not installed' : false }, () => {
  let workloadServer: PanelServer;
  let nodeServer: PanelServer;
  let browser: Browser;
  const consoleErrors: string[] = [];

  before(async () => {
    workloadServer = await servePanelPage({ view: 'workload' });
    nodeServer = await servePanelPage();
    browser = await launchBrowser({ width: 1300, height: 1400 });
  });
  after(async () => {
    await browser?.close();
    await workloadServer?.close();
    await nodeServer?.close();
  });

  async function freshPage(url: string): Promise<Page> {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1300, height: 1400 });
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    await openPanel(page, url, 'dark');
    return page;
  }

  async function showSample(page: Page): Promise<void> {
    const snapshot = snapshotFromWorkload(workloadSample(NOW), { sinceMs: DAY });
    // The workload view's message; sent as the host sends it (postToPanel is typed for the node panel's).
    const message: HostToWorkload = { type: 'workloadSnapshot', snapshot };
    await postToPanel(page, message as unknown as HostToPanel);
    await page.waitForFunction((t) => document.body.dataset.snapshotAt === String(t), NOW, { timeout: 10_000 });
  }

  const attr = (page: Page, sel: string, name: string): Promise<string | null> => page.locator(sel).getAttribute(name);

  void test('one working-set line per container, each against its own limit and request, with the kills marked', async () => {
    const page = await freshPage(workloadServer.url);
    await showSample(page);
    const chart = '#workload-memory-chart';
    assert.equal(await attr(page, chart, 'data-datasets'), '2', 'api + log-shipper');
    const colours = JSON.parse((await attr(page, chart, 'data-series-colors')) ?? '[]') as string[];
    assert.equal(new Set(colours).size, 2, `two colours: ${colours.join(', ')}`);
    const refs = JSON.parse((await attr(page, chart, 'data-references')) ?? '[]') as {
      label: string;
      color: string;
      limitBytes: number | null;
      requestBytes: number | null;
    }[];
    assert.deepEqual(
      refs.map((r) => [r.label, r.limitBytes, r.requestBytes]),
      SAMPLE.containers.map((c) => [c.name, c.limitBytes, c.requestBytes]),
    );
    // Each limit line has its own container's colour, so the eye pairs them.
    refs.forEach((r, i) => assert.equal(r.color, colours[i], `${r.label}: limit in the line's colour`));
    assert.equal(await attr(page, chart, 'data-kill-markers'), '4', '3 OOM kills + 1 eviction, all dated');
    const killColours = JSON.parse((await attr(page, chart, 'data-kill-colors')) ?? '[]') as string[];
    assert.ok(killColours.includes(THEMES.dark.vars['--vscode-charts-orange']), 'own-limit kills are orange');
    assert.ok(killColours.includes(THEMES.dark.vars['--vscode-charts-red']), 'the system OOM is red');
    // The node pressure chart: one line per node with PSI (some + full each), the same kills.
    const pressure = '#workload-pressure-chart';
    assert.equal(await attr(page, pressure, 'data-node-lines'), '2');
    assert.equal(await attr(page, pressure, 'data-datasets'), '4');
    assert.equal(await attr(page, pressure, 'data-kill-markers'), '4');
    const painted = await page.evaluate(() => {
      const c = document.getElementById('workload-memory-chart') as HTMLCanvasElement;
      const d = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? new Uint8ClampedArray();
      const seen = new Set<number>();
      for (let i = 0; i < d.length && seen.size < 50; i += 97 * 4) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
      return seen.size;
    });
    assert.ok(painted > 3, `chart painted with ${painted} colours`);
    const rec = await recorded(page);
    assert.deepEqual(rec.csp, [], 'no CSP violations');
    assert.deepEqual(consoleErrors, [], 'no console errors');
    assert.equal((rec.state as unknown as { view?: string } | undefined)?.view, 'workload');
    const shot = join(tmpdir(), 'oomscope-workload-panel.png');
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`workload panel screenshot: ${shot}`);
    await page.close();
  });

  void test('the kills table says in words what killed each pod, and where it was found', async () => {
    const page = await freshPage(workloadServer.url);
    await showSample(page);
    const rows = page.locator('#kills-table tbody tr');
    assert.equal(await rows.count(), 3);
    const text = async (id: string): Promise<string> =>
      (await page.locator(`#kills-table tr[data-kill-id="${id}"]`).textContent()) ?? '';
    const k1 = await text('k1');
    assert.match(k1, /hit its own 512Mi limit/);
    assert.match(k1, /thrashing for 2m 10s before the kill/);
    assert.ok(k1.includes(formatSize(509 * MI)), 'working set at the kill');
    assert.match(k1, /api, prometheus/, 'found in');
    assert.match(k1, /node PSI peak: some 13% · full 4\.0%/);
    assert.match(await text('k2'), /log-shipper \(sidecar\).*hit its own 128Mi limit/);
    const k3 = await text('k3');
    assert.match(k3, /the node ran out of memory/);
    assert.match(k3, new RegExp(SAMPLE.goneNode));
    assert.match(k3, /under memory pressure \(no thrashing\) for 4m before the kill/);
    // Newest first.
    assert.deepEqual(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-kill-id'))), [
      'k1',
      'k2',
      'k3',
    ]);
    // Evidence is folded until opened.
    const evidence = page.locator('#kills-table tr[data-kill-id="k1"] details.evidence');
    assert.equal(await evidence.getAttribute('open'), null);
    await evidence.locator('summary').click();
    assert.match((await evidence.textContent()) ?? '', /pod status OOMKilled \(lastState, exit 137\)/);
    const eviction = (await page.locator('#evictions-table tr[data-kill-id="e1"]').textContent()) ?? '';
    assert.match(eviction, /evicted by the kubelet under node memory pressure/);
    assert.match(eviction, /before the eviction/);
    await page.close();
  });

  void test('the gone pod is marked, the missing source says why, disagreements and containers are listed', async () => {
    const page = await freshPage(workloadServer.url);
    await showSample(page);
    const gone = page.locator(`#workload-pods-table tr[data-pod="${SAMPLE.gonePod}"]`);
    assert.equal(await gone.getAttribute('data-live'), 'false');
    assert.match((await gone.textContent()) ?? '', /gone \(history only\)/);
    const live = page.locator(`#workload-pods-table tr[data-pod="${SAMPLE.livePod}"]`);
    assert.match((await live.textContent()) ?? '', /live/);
    const chip = page.locator(`.chip[data-source="${SAMPLE.missingSource}"]`);
    assert.equal(await chip.getAttribute('data-state'), 'forbidden');
    assert.equal(((await chip.locator('.chip-text').textContent()) ?? '').trim(), SAMPLE.missingSentence);
    assert.equal(await page.locator('.chip[data-state="ok"]').count(), 7);
    // The chip shortens the sentence; the list below the chips says it whole.
    assert.equal(
      await page.locator(`#missing-sources li[data-source="${SAMPLE.missingSource}"]`).textContent(),
      `${SAMPLE.missingSource} forbidden: ${SAMPLE.missingSentence}`,
    );
    assert.equal(await page.locator('#missing-sources li').count(), 1);
    assert.match((await page.locator('#disagreements').textContent()) ?? '', /container_oom_events_total stayed 0/);
    assert.equal(await page.locator('#disagreements-card').isVisible(), true);
    const api = (await page.locator('#containers-table tr[data-container="api"]').textContent()) ?? '';
    for (const mi of [256, 512, 210, 460, 509]) assert.ok(api.includes(formatSize(mi * MI)), `${mi} MiB in ${api}`);
    assert.ok(api.includes(`${formatSize(509 * MI)} (99% of limit)`), api);
    const nodes = (await page.locator('#nodes').textContent()) ?? '';
    assert.match(nodes, new RegExp(`${SAMPLE.goneNode} — gone from the API server`));
    assert.match(
      (await page.locator('#title').textContent()) ?? '',
      /Deployment\/api · namespace shop · context kind-demo/,
    );
    assert.match((await page.locator('.meta').textContent()) ?? '', /last 24 h/);
    await page.locator('#refresh').click();
    assert.ok((await recorded(page)).posted.some((m) => (m as { type: string }).type === 'refresh'));
    await page.close();
  });

  void test('the node panel: "Analyze workload" once per workload of the manifest, posting that workload', async () => {
    const page = await freshPage(nodeServer.url);
    const base = demoSnapshot(NOW);
    // A second pod of Deployment/api: still one link for the workload.
    const snapshot = {
      ...base,
      manifestPods: [...base.manifestPods, { ...base.manifestPods[0], pod: 'api-7d9f8c6b5-zz9p1' }],
    };
    await postToPanel(page, { type: 'snapshot', snapshot });
    await page.waitForFunction((t) => document.body.dataset.snapshotAt === String(t), NOW, { timeout: 10_000 });
    const links = page.locator('#pods-table .analyze-workload');
    assert.equal(await links.count(), 2, 'Deployment/api and Deployment/checkout-worker');
    await page.locator('#pods-table tr', { hasText: 'checkout-worker' }).locator('.analyze-workload').click();
    const posted = (await recorded(page)).posted.filter((m) => m.type === 'analyzeWorkload');
    assert.deepEqual(posted, [{ type: 'analyzeWorkload', workload: 'Deployment/checkout-worker', namespace: 'shop' }]);
    assert.deepEqual((await recorded(page)).csp, []);
    await page.close();
  });
});
