// `npm start` brings up VS Code in the browser with the extension and the demo cluster, and stops every process on SIGTERM.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { launchBrowser, screenshot, type Browser } from '../support/browser';
import type { Page } from 'playwright-core';
import {
  descendants,
  missingTools,
  openFile,
  openProblems,
  openWorkbench,
  packVsix,
  pickQuickItem,
  pidAlive,
  runCommand,
} from '../support/codeServer';

const why = missingTools();
if (why && process.env.CI === 'true') {
  void it('e2e tools are installed under CI', () => assert.fail(`e2e cannot run under CI: ${why}`));
}

/**
 * The demo as README.md tells it: open demo-cluster-shop.yaml, Analyze Node Memory on demo-worker-1, watch the story
 * until report-generator dies (step 21 of thrash-then-system-oom), and the manifest gets the cluster-aware warning on
 * its container (npm start turns oomscope.cluster.diagnostics on). The panel polls every 2 s instead of 10 s: the test
 * wrote that setting into the user settings npm start wrote, before the workbench loaded them.
 */
async function demoStory(page: Page): Promise<void> {
  await openFile(page, 'demo-cluster-shop.yaml');
  await runCommand(page, 'OOMScope: Analyze Node Memory');
  await pickQuickItem(page, 'demo-worker-1', 60_000);
  const problems = await openProblems(page);
  const row = problems.locator('.monaco-list-row', { hasText: 'oom-killed-recently' });
  await row.first().waitFor({ timeout: 240_000 });
  assert.match(
    (await row.first().innerText()).replace(/\s+/g, ' '),
    /OOM-killed 1× in 24 h, once \(node OOM\).* \(last: report-generator-29150420-7xk2q, /,
  );
  await screenshot(page, 'npm-start-demo-cluster-finding');
}

/** A process's command line from /proc, for the message that names what was left running. */
function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '(exited)';
  }
}

/** Resolves with the first match of `re` in the child's stdout, rejects on exit or timeout. */
function waitForOutput(
  child: ChildProcess,
  out: { text: string },
  re: RegExp,
  timeoutMs: number,
): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const m = re.exec(out.text);
      if (m) done(() => resolve(m));
    };
    const timer = setTimeout(
      () =>
        done(() => reject(new Error(`no ${re} in npm start output within ${timeoutMs} ms:\n${out.text.slice(-2000)}`))),
      timeoutMs,
    );
    const onExit = (code: number | null): void =>
      done(() => reject(new Error(`npm start exited (${code}) before printing ${re}:\n${out.text.slice(-2000)}`)));
    const done = (f: () => void): void => {
      clearTimeout(timer);
      child.stdout?.off('data', check);
      child.off('exit', onExit);
      f();
    };
    child.stdout?.on('data', check);
    child.once('exit', onExit);
    check();
  });
}

void describe('npm start', { skip: why ?? false, timeout: 600_000 }, () => {
  let child: ChildProcess | undefined;
  let browser: Browser | undefined;
  let stateDir: string;
  const out = { text: '' };

  before(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'oomscope-start-'));
  });

  after(async () => {
    await browser?.close();
    if (child && child.exitCode === null && child.signalCode === null) {
      for (const pid of descendants(child.pid as number))
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      child.kill('SIGKILL');
    }
    rmSync(stateDir, { recursive: true, force: true });
  });

  void it('serves the workbench on examples/ with the extension and the demo kubeconfig, then stops every child on SIGTERM', async () => {
    const vsix = await packVsix();
    child = spawn(process.execPath, ['scripts/start.mjs', '--vsix', vsix], {
      env: { ...process.env, OOMSCOPE_START_DIR: stateDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (b: Buffer) => {
      out.text += b.toString();
    });
    child.stderr?.on('data', (b: Buffer) => {
      out.text += b.toString();
    });
    const [, url] = await waitForOutput(
      child,
      out,
      /OOMScope in VS Code: (http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+)/,
      180_000,
    );
    assert.ok(url.endsWith(`folder=${encodeURIComponent(join(process.cwd(), 'examples'))}`), url);

    const settings = JSON.parse(readFileSync(join(stateDir, 'user-data', 'User', 'settings.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    if (existsSync('src/demo/apiServer.ts')) {
      const [, kubeconfig] =
        /demo cluster: https:\/\/127\.0\.0\.1:\d+ \(scenario thrash-then-system-oom, kubeconfig (\S+)\)/.exec(
          out.text,
        ) ?? [];
      assert.ok(kubeconfig, `npm start did not start the demo cluster:\n${out.text.slice(-2000)}`);
      assert.equal(settings['oomscope.kubeconfig'], kubeconfig);
      assert.match(readFileSync(kubeconfig, 'utf8'), /server: https:\/\/127\.0\.0\.1:\d+/);
    }

    if (existsSync('src/demo/apiServer.ts')) {
      assert.equal(settings['oomscope.cluster.diagnostics'], true, 'npm start turns the cluster-aware findings on');
      const file = join(stateDir, 'user-data', 'User', 'settings.json');
      writeFileSync(file, JSON.stringify({ ...settings, 'oomscope.refreshIntervalSeconds': 2 }, null, 2));
    }
    browser = await launchBrowser();
    await openWorkbench(browser.page, url);
    await openFile(browser.page, 'deployment-memory-128m-fractional.yaml');
    await browser.page.locator('.editor-group-container.active .squiggly-error').first().waitFor({ timeout: 120_000 });
    await screenshot(browser.page, 'npm-start-workbench');
    if (existsSync('src/demo/apiServer.ts')) await demoStory(browser.page);
    await browser.close();
    browser = undefined;

    const pid = child.pid as number;
    const children = descendants(pid);
    assert.ok(
      children.length >= 2,
      `expected code-server and its server processes under npm start, found ${children.length}`,
    );
    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    const code = await Promise.race([
      exited,
      new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 30_000).unref()),
    ]);
    assert.equal(code, 0, `npm start did not exit 0 within 30 s of SIGTERM:\n${out.text.slice(-1000)}`);
    // npm start stops code-server's whole process group and waits for it before it exits, so by
    // its exit every descendant must already be gone: no waiting here.
    const left = children.filter(pidAlive).map((p) => `${p}: ${commandLine(p)}`);
    assert.deepEqual(left, [], 'processes left running after npm start exited');
  });
});

void it(
  'npm start -- --desktop runs the desktop `code` on PATH with the extension development path and examples/',
  { timeout: 300_000 },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'oomscope-desktop-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    const record = join(dir, 'code-args.txt');
    // A stand-in for the desktop `code` launcher: records its arguments and returns, as the real one does.
    writeFileSync(join(bin, 'code'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${record}'\n`);
    chmodSync(join(bin, 'code'), 0o755);
    const child = spawn(process.execPath, ['scripts/start.mjs', '--desktop'], {
      env: {
        ...process.env,
        PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`,
        OOMSCOPE_START_DIR: join(dir, 'state'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = { text: '' };
    child.stdout?.on('data', (b: Buffer) => {
      out.text += b.toString();
    });
    child.stderr?.on('data', (b: Buffer) => {
      out.text += b.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    t.after(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    const demo = existsSync('src/demo/apiServer.ts');
    if (demo) {
      await waitForOutput(child, out, /desktop VS Code opened; set "oomscope.kubeconfig": "([^"]+)"/, 240_000);
      child.kill('SIGTERM');
    }
    const code = await Promise.race([
      exited,
      new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 240_000).unref()),
    ]);
    assert.equal(code, 0, out.text.slice(-2000));
    assert.deepEqual(readFileSync(record, 'utf8').trim().split('\n'), [
      `--extensionDevelopmentPath=${process.cwd()}`,
      join(process.cwd(), 'examples'),
    ]);
  },
);
