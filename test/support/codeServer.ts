// code-server + workbench helpers shared by the e2e tests (editor, npm start, the memory panel).
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  watch,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { TestContext } from 'node:test';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { tmpdir } from 'node:os';
import {
  codeServerEntry,
  CODE_SERVER_VERSION,
  installExtension as installVsix,
  start as startCodeServer,
  type CodeServer as Server,
} from '../../scripts/codeServer.mjs';
import { missingSentence, PREREQUISITES } from '../../scripts/prerequisites.mjs';
import { chromiumPath, launchBrowser, type Browser } from './browser';

export {
  codeServerEntry,
  CODE_SERVER_VERSION,
  freePort,
  install,
  installExtension,
  start,
} from '../../scripts/codeServer.mjs';
export type { CodeServer, StartOptions } from '../../scripts/codeServer.mjs';

/**
 * Why the e2e tier cannot run here, or undefined when it can. Under CI=true a missing tool is a failure:
 * call requireTools(t) at the top of a test.
 */
export function missingTools(): string | undefined {
  // The end-to-end tier drives code-server and Chromium; Prometheus is the cluster tier's (prometheusReal.test.ts).
  const own = PREREQUISITES.map((p) => p.pkg).filter((p) => !p.startsWith('prometheus'));
  const packages = missingSentence(codeServerEntry() ? ['test'] : ['code-server', 'test'], process.env, own);
  if (packages) return packages;
  if (!chromiumPath()) return 'Chromium is not installed (apt-get install chromium)';
  if (!codeServerEntry())
    return `code-server ${CODE_SERVER_VERSION} is not installed (node scripts/codeServer.mjs install)`;
  return undefined;
}

/** Skips the test with a one-line reason when a tool is missing; throws instead when CI=true. Returns false on skip. */
export function requireTools(t: TestContext): boolean {
  const why = missingTools();
  if (!why) return true;
  if (process.env.CI === 'true') throw new Error(`e2e cannot run under CI: ${why}`);
  t.skip(why);
  return false;
}

/**
 * Packs the extension with `npm run package` and returns the newest .vsix in the repository root. The e2e files run
 * in parallel processes: the first one packs (holding .test-out/pack.lock), the others wait and reuse its .vsix.
 */
export async function packVsix(repo = process.cwd(), timeoutMs = 300_000): Promise<string> {
  // Once per test run (test/run.mjs gives each run its own folder), so a new run always packs anew.
  const dir = process.env.OOMSCOPE_TEST_RUN_DIR ?? join(repo, '.test-out', `pack-${process.pid}`);
  const lock = join(dir, 'pack.lock');
  const done = join(dir, 'packed-vsix.txt');
  mkdirSync(dir, { recursive: true });
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (existsSync(done)) return readFileSync(done, 'utf8');
    try {
      closeSync(openSync(lock, 'wx'));
      break;
    } catch {
      // Another test process is packing: wait for its lock to go (file-system event), then look again.
      await watchUntil(
        dir,
        () => (existsSync(lock) ? undefined : true),
        end - Date.now(),
        `another test to pack the extension (${lock})`,
      );
    }
  }
  try {
    const before = Date.now();
    const pack = (): ReturnType<typeof spawnSync> =>
      spawnSync('npm', ['run', 'package', '--silent'], { cwd: repo, encoding: 'utf8', timeout: timeoutMs });
    let r = pack();
    // One retry: in a shared working tree another build may rewrite dist/ while vsce zips it.
    if (r.status !== 0) r = pack();
    if (r.status !== 0)
      throw new Error(
        `npm run package failed (exit ${r.status ?? r.signal}): ${`${r.stdout}${r.stderr}`.trim().split('\n').slice(-5).join(' | ')}`,
      );
    const vsix = readdirSync(repo)
      .filter((f) => f.endsWith('.vsix'))
      .map((f) => join(repo, f))
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
    if (!vsix || statSync(vsix).mtimeMs < before - 1000)
      throw new Error('npm run package produced no new .vsix in the repository root');
    writeFileSync(done, vsix);
    return vsix;
  } finally {
    rmSync(lock, { force: true });
  }
}

/** The packed extension installed in code-server on a copy of examples/, open in headless Chromium. */
export interface EditorSession {
  server: Server;
  browser: Browser;
  page: Page;
  /** The copy of examples/ that VS Code has open (safe to edit). */
  workspace: string;
  /** Where the .vsix is installed (`<extensionsDir>/<extensionId()>/`). */
  extensionsDir: string;
  /** `[Extension Host]` console lines seen so far. */
  hostLog: string[];
  close(): Promise<void>;
}

/**
 * Packs (once per test run) and installs the extension, starts code-server on a temp copy of examples/ with these user
 * settings, opens the workbench in Chromium. OOMSCOPE_E2E_VSIX=<file> uses an existing .vsix instead of packing.
 */
export async function startEditorSession(
  opts: { settings?: Record<string, unknown>; env?: Record<string, string> } = {},
): Promise<EditorSession> {
  const root = mkdtempSync(join(tmpdir(), 'oomscope-e2e-'));
  const workspace = join(root, 'examples');
  cpSync('examples', workspace, { recursive: true });
  const extensionsDir = join(root, 'extensions');
  let server: Server | undefined;
  let browser: Browser | undefined;
  const close = async (): Promise<void> => {
    await browser?.close();
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  };
  try {
    const vsix = process.env.OOMSCOPE_E2E_VSIX ?? (await packVsix());
    installVsix(vsix, extensionsDir);
    server = await startCodeServer({
      workspace,
      extensionsDir,
      root: join(root, 'code-server'),
      settings: opts.settings,
      env: opts.env,
    });
    browser = await launchBrowser();
    const hostLog = extensionHostLog(browser.page);
    await openWorkbench(browser.page, server.folderUrl(workspace));
    return { server, browser, page: browser.page, workspace, extensionsDir, hostLog, close };
  } catch (e) {
    if (server) writeFileSync(join(resultsDir('e2e'), 'code-server-failed-start.log'), server.log());
    await close();
    throw e;
  }
}

/** Version from package.json: the installed extension folder is `<publisher>.<name>-<version>`. */
export function extensionId(repo = process.cwd()): string {
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {
    publisher: string;
    name: string;
    version: string;
  };
  return `${pkg.publisher}.${pkg.name}-${pkg.version}`;
}

/** Opens the workbench URL and waits until VS Code has rendered it. */
export async function openWorkbench(page: Page, url: string, timeoutMs = 90_000): Promise<void> {
  await page.goto(url, { timeout: timeoutMs });
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: timeoutMs });
  await page
    .locator('.explorer-folders-view .monaco-list-row')
    .first()
    .waitFor({ state: 'visible', timeout: timeoutMs });
}

/** Opens a workspace file through Quick Open (Ctrl+P) and waits for its editor tab to be active. */
export async function openFile(page: Page, name: string, timeoutMs = 30_000): Promise<void> {
  await page.mouse.move(0, 0);
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: timeoutMs });
  await input.fill(name);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first();
  await row.waitFor({ timeout: timeoutMs });
  await row.click();
  await page.locator(`.tabs-container .tab.active[aria-label^="${name}"]`).waitFor({ timeout: timeoutMs });
  await page
    .locator('.editor-instance .monaco-editor .view-lines')
    .first()
    .waitFor({ state: 'visible', timeout: timeoutMs });
}

/** Opens the command palette (F1) and runs the command with this exact title, e.g. "OOMScope: Analyze Node Memory". */
export async function runCommand(page: Page, title: string, timeoutMs = 30_000): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: timeoutMs });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ timeout: timeoutMs });
  await row.click();
  await input.waitFor({ state: 'hidden', timeout: timeoutMs }).catch(() => undefined);
}

/** Picks the row of an open QuickPick whose text contains `text`. */
export async function pickQuickItem(page: Page, text: string, timeoutMs = 30_000): Promise<void> {
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: text }).first();
  await row.waitFor({ state: 'visible', timeout: timeoutMs });
  await row.click();
}

/** The content frame of the active webview panel. */
export function webviewFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

/** Opens the Problems panel (Ctrl+Shift+M) and returns its locator. */
export async function openProblems(page: Page, timeoutMs = 30_000): Promise<Locator> {
  await page.keyboard.press('Control+Shift+M');
  const panel = page.locator('.markers-panel');
  await panel.waitFor({ state: 'visible', timeout: timeoutMs });
  return panel;
}

/** Text of every visible row in the Problems panel. */
export async function problemRows(page: Page): Promise<string[]> {
  return page.locator('.markers-panel .monaco-list-row').allInnerTexts();
}

/** Collects `[Extension Host]` console lines of the page (extension-host console.log reaches the page). */
export function extensionHostLog(page: Page): string[] {
  const lines: string[] = [];
  page.on('console', (m) => {
    const text = m.text();
    if (text.includes('[Extension Host]')) lines.push(text);
  });
  return lines;
}

/** A folder under test-results/ for logs a failed run leaves behind. */
export function resultsDir(name: string): string {
  const dir = join(process.cwd(), 'test-results', name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** True when a process with this pid exists (not a zombie). */
export function pidAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Every descendant pid of `pid`, read from /proc. */
export function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(e), ppid);
    } catch {
      // exited while we read
    }
  }
  const out: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const p = queue.shift() as number;
    for (const [child, pp] of parent)
      if (pp === p && !out.includes(child)) {
        out.push(child);
        queue.push(child);
      }
  }
  return out;
}

/**
 * Moves the cursor of the active editor with Go to Line (Ctrl+G, "line:column") and returns the cursor's box,
 * so a test can point the mouse at that text.
 */
export async function goTo(
  page: Page,
  line: number,
  column: number,
  timeoutMs = 30_000,
): Promise<{ x: number; y: number; width: number; height: number }> {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: timeoutMs });
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden', timeout: timeoutMs });
  const lineNumber = page.locator('.editor-group-container.active .margin-view-overlays .active-line-number');
  await lineNumber.filter({ hasText: new RegExp(`^${line}$`) }).waitFor({ timeout: timeoutMs });
  const box = await page.locator('.editor-group-container.active .cursors-layer .cursor').first().boundingBox();
  if (!box) throw new Error('the editor cursor is not visible');
  return box;
}

/** In the open light-bulb menu (Ctrl+.), moves the focus with the arrow keys to the action containing `text` and runs it. */
export async function pickCodeAction(page: Page, text: string, timeoutMs = 30_000): Promise<void> {
  const rows = page.locator('.action-widget .monaco-list-row.action');
  await rows.first().waitFor({ state: 'visible', timeout: timeoutMs });
  const count = await rows.count();
  for (let i = 0; i <= count; i++) {
    const focused = page.locator('.action-widget .monaco-list-row.action.focused');
    if ((await focused.count()) === 1 && (await focused.innerText()).includes(text)) {
      await page.keyboard.press('Enter');
      await page.locator('.action-widget').waitFor({ state: 'hidden', timeout: timeoutMs });
      return;
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`no code action containing "${text}" among: ${JSON.stringify(await rows.allInnerTexts())}`);
}

/** Line numbers (1-based, ascending, unique) that carry an error or warning squiggle in the active editor. */
export async function squiggleLines(page: Page, kind: 'error' | 'warning' | 'info'): Promise<number[]> {
  return page.evaluate((cls) => {
    const editor = document.querySelector('.editor-group-container.active .monaco-editor');
    if (!editor) return [];
    const numbers = Array.from(editor.querySelectorAll('.margin-view-overlays .line-numbers')).map((e) => {
      const r = e.getBoundingClientRect();
      return { n: Number(e.textContent), top: r.top, bottom: r.bottom };
    });
    const lines = new Set<number>();
    for (const s of Array.from(editor.querySelectorAll(`.${cls}`))) {
      const r = s.getBoundingClientRect();
      const mid = (r.top + r.bottom) / 2;
      const hit = numbers.find((l) => mid >= l.top && mid < l.bottom);
      if (hit) lines.add(hit.n);
    }
    return [...lines].sort((a, b) => a - b);
  }, `squiggly-${kind}`);
}

/**
 * Resolves with the first non-undefined value of `check`, run now and on every change in `dir`
 * (fs.watch events, no polling); rejects after timeoutMs saying what it waited for.
 */
export function watchUntil<T>(dir: string, check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const watcher = watch(dir);
    const timer = setTimeout(
      () => finish(() => reject(new Error(`waited ${timeoutMs} ms for ${what}`))),
      Math.max(0, timeoutMs),
    );
    const finish = (f: () => void): void => {
      clearTimeout(timer);
      watcher.close();
      f();
    };
    const look = (): void => {
      let v: T | undefined;
      try {
        v = check();
      } catch (e) {
        finish(() => reject(e as Error));
        return;
      }
      if (v !== undefined) finish(() => resolve(v));
    };
    watcher.on('change', look);
    watcher.on('error', (e) => finish(() => reject(e)));
    look();
  });
}

/** Waits until the file's text satisfies `ok` (re-read on every change in its folder) and returns it. */
export function waitForFile(path: string, ok: (text: string) => boolean, timeoutMs: number): Promise<string> {
  return watchUntil(
    dirname(path),
    () => {
      const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
      return ok(text) ? text : undefined;
    },
    timeoutMs,
    `${path} to change as expected`,
  );
}

/**
 * The content frame of the webview panel whose `selector` element shows `text`, when several webviews are visible at
 * once (a node panel and a workload panel side by side): each ready webview is looked at in turn, each for a short
 * bounded wait on that element, until one shows it or `timeoutMs` has passed.
 */
export async function webviewFrameShowing(
  page: Page,
  selector: string,
  text: string,
  timeoutMs = 60_000,
): Promise<FrameLocator> {
  const end = Date.now() + timeoutMs;
  const frames = page.locator('iframe.webview.ready');
  for (;;) {
    const n = await frames.count();
    for (let i = 0; i < n; i++) {
      const frame = frames.nth(i).contentFrame().frameLocator('#active-frame');
      const hit = frame.locator(selector, { hasText: text });
      const left = end - Date.now();
      if (left <= 0) break;
      try {
        await hit.first().waitFor({ state: 'visible', timeout: Math.min(left, 2_000) });
        return frames.nth(i).contentFrame().frameLocator('#active-frame');
      } catch {
        // not this webview (or not yet): the next one
      }
    }
    if (Date.now() >= end) throw new Error(`no webview shows ${selector} "${text}" after ${timeoutMs} ms`);
    if (n === 0) await frames.first().waitFor({ state: 'attached', timeout: Math.max(1, end - Date.now()) });
  }
}

/** Closes the editor tab whose label starts with `label` (its close button) and waits for the tab to go. */
export async function closeEditorTab(page: Page, label: string, timeoutMs = 30_000): Promise<void> {
  const tab = page.locator(`.tabs-container .tab[aria-label^="${label}"]`).first();
  await tab.hover({ timeout: timeoutMs });
  await tab.locator('.tab-actions .action-label').first().click({ timeout: timeoutMs });
  await tab.waitFor({ state: 'detached', timeout: timeoutMs });
}
