// Serves the panel page on 127.0.0.1 exactly as the extension builds it: the HTML shell from
// src/panel/html.ts (same function, same CSP, sent both as <meta> and as a header), the webview
// bundle built from webview/main.ts with esbuild.mjs's browser options, and media/panel.css.
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { makeNonce, panelCsp, panelHtml } from '../../src/panel/html';
import type { HostToPanel, PanelToHost, PanelViewState } from '../../src/shared/panelProtocol';

export interface PanelServer {
  /** http://127.0.0.1:<port>/ */
  url: string;
  close(): Promise<void>;
}

async function buildWebview(): Promise<string> {
  const esbuild = await import('esbuild');
  const r = await esbuild.build({
    entryPoints: [join(process.cwd(), 'webview/main.ts')],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    legalComments: 'none',
    logLevel: 'silent',
  });
  return r.outputFiles[0].text;
}

/** `view`: the HTML of the workload panel (src/panel/workloadPanel.ts) instead of the node panel's. */
export async function servePanelPage(opts: { view?: 'workload' } = {}): Promise<PanelServer> {
  const script = await buildWebview();
  const css = readFileSync(join(process.cwd(), 'media/panel.css'), 'utf8');
  let origin = '';
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/') {
      const nonce = makeNonce();
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': panelCsp(origin, nonce),
      });
      res.end(
        panelHtml({
          cspSource: origin,
          nonce,
          scriptUri: `${origin}/dist/webview.js`,
          styleUri: `${origin}/media/panel.css`,
          view: opts.view,
        }),
      );
    } else if (path === '/dist/webview.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      res.end(script);
    } else if (path === '/media/panel.css') {
      res.writeHead(200, { 'content-type': 'text/css; charset=utf-8' });
      res.end(css);
    } else if (path === '/favicon.ico') {
      res.writeHead(204).end();
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** What the page recorded: messages to the host, setState calls, CSP violations. */
interface Recorder {
  posted: PanelToHost[];
  state: PanelViewState | undefined;
  csp: string[];
}

declare global {
  interface Window {
    __oomscope: Recorder;
  }
}

export type ThemeName = 'dark' | 'light' | 'high-contrast';

/** The --vscode-* variables VS Code sets on <html> (Default Dark/Light Modern, High Contrast). */
export const THEMES: Record<ThemeName, { bodyClass: string; vars: Record<string, string> }> = {
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      '--vscode-foreground': '#cccccc',
      '--vscode-descriptionForeground': '#9d9d9d',
      '--vscode-editor-background': '#1f1f1f',
      '--vscode-sideBar-background': '#181818',
      '--vscode-panel-border': '#2b2b2b',
      '--vscode-focusBorder': '#0078d4',
      '--vscode-button-background': '#0078d4',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-hoverBackground': '#026ec1',
      '--vscode-button-secondaryBackground': '#313131',
      '--vscode-button-secondaryForeground': '#cccccc',
      '--vscode-button-secondaryHoverBackground': '#3c3c3c',
      '--vscode-badge-background': '#616161',
      '--vscode-badge-foreground': '#f8f8f8',
      '--vscode-textLink-foreground': '#4daafc',
      '--vscode-textLink-activeForeground': '#4daafc',
      '--vscode-errorForeground': '#f85149',
      '--vscode-list-activeSelectionBackground': '#04395e',
      '--vscode-list-activeSelectionForeground': '#ffffff',
      '--vscode-charts-foreground': '#cccccc',
      '--vscode-charts-red': '#f14c4c',
      '--vscode-charts-blue': '#3794ff',
      '--vscode-charts-yellow': '#cca700',
      '--vscode-charts-orange': '#d18616',
      '--vscode-charts-green': '#89d185',
      '--vscode-charts-purple': '#b180d7',
      '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
      '--vscode-font-size': '13px',
      '--vscode-editor-font-family': '"Droid Sans Mono", monospace',
    },
  },
  light: {
    bodyClass: 'vscode-light',
    vars: {
      '--vscode-foreground': '#3b3b3b',
      '--vscode-descriptionForeground': '#3b3b3b',
      '--vscode-editor-background': '#ffffff',
      '--vscode-sideBar-background': '#f8f8f8',
      '--vscode-panel-border': '#e5e5e5',
      '--vscode-focusBorder': '#005fb8',
      '--vscode-button-background': '#005fb8',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-hoverBackground': '#0258a8',
      '--vscode-button-secondaryBackground': '#e5e5e5',
      '--vscode-button-secondaryForeground': '#3b3b3b',
      '--vscode-button-secondaryHoverBackground': '#cccccc',
      '--vscode-badge-background': '#cccccc',
      '--vscode-badge-foreground': '#3b3b3b',
      '--vscode-textLink-foreground': '#005fb8',
      '--vscode-textLink-activeForeground': '#005fb8',
      '--vscode-errorForeground': '#f85149',
      '--vscode-list-activeSelectionBackground': '#e8e8e8',
      '--vscode-list-activeSelectionForeground': '#000000',
      '--vscode-charts-foreground': '#616161',
      '--vscode-charts-red': '#e51400',
      '--vscode-charts-blue': '#1a85ff',
      '--vscode-charts-yellow': '#bf8803',
      '--vscode-charts-orange': '#d18616',
      '--vscode-charts-green': '#388a34',
      '--vscode-charts-purple': '#652d90',
      '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
      '--vscode-font-size': '13px',
      '--vscode-editor-font-family': '"Droid Sans Mono", monospace',
    },
  },
  'high-contrast': {
    bodyClass: 'vscode-high-contrast',
    vars: {
      '--vscode-foreground': '#ffffff',
      '--vscode-descriptionForeground': '#ffffffb3',
      '--vscode-editor-background': '#000000',
      '--vscode-panel-border': '#6fc3df',
      '--vscode-contrastBorder': '#6fc3df',
      '--vscode-focusBorder': '#f38518',
      '--vscode-button-background': '#000000',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-border': '#6fc3df',
      '--vscode-button-secondaryBackground': '#000000',
      '--vscode-button-secondaryForeground': '#ffffff',
      '--vscode-badge-background': '#000000',
      '--vscode-badge-foreground': '#ffffff',
      '--vscode-textLink-foreground': '#21a6ff',
      '--vscode-charts-foreground': '#ffffff',
      '--vscode-charts-red': '#f48771',
      '--vscode-charts-blue': '#3794ff',
      '--vscode-charts-yellow': '#ffd700',
      '--vscode-charts-orange': '#ff8c00',
      '--vscode-charts-green': '#89d185',
      '--vscode-charts-purple': '#b180d7',
      '--vscode-font-size': '13px',
    },
  },
};

/**
 * Opens the panel page with a stubbed acquireVsCodeApi (records postMessage / setState) and the
 * given theme applied the way VS Code applies it (variables on <html>, class on <body>).
 * Resolves when the webview has posted `ready`.
 */
export async function openPanel(
  page: Page,
  url: string,
  theme: ThemeName = 'dark',
  state?: PanelViewState,
): Promise<void> {
  await page.addInitScript(
    ({ vars, bodyClass, initialState }) => {
      const rec = { posted: [] as unknown[], state: initialState as unknown, csp: [] as string[] };
      (window as unknown as { __oomscope: unknown }).__oomscope = rec;
      (window as unknown as { acquireVsCodeApi: unknown }).acquireVsCodeApi = () => ({
        postMessage: (m: unknown) => rec.posted.push(m),
        getState: () => rec.state,
        setState: (s: unknown) => {
          rec.state = s;
        },
      });
      document.addEventListener('securitypolicyviolation', (e) =>
        rec.csp.push(`${e.violatedDirective} ${e.blockedURI}`),
      );
      // Init scripts run before <html> exists: apply the theme as the parser creates it.
      let varsSet = false;
      const apply = (): boolean => {
        if (!varsSet && document.documentElement) {
          for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v);
          varsSet = true;
        }
        if (document.body) document.body.classList.add(bodyClass);
        return !!document.body;
      };
      if (!apply()) {
        new MutationObserver((_m, obs) => {
          if (apply()) obs.disconnect();
        }).observe(document, { childList: true, subtree: true });
      }
    },
    { vars: THEMES[theme].vars, bodyClass: THEMES[theme].bodyClass, initialState: state },
  );
  await page.goto(url);
  await page.waitForFunction(() => window.__oomscope.posted.some((m) => m.type === 'ready'), undefined, {
    timeout: 15_000,
  });
}

/** Posts a message as the extension does (webview.postMessage → window message event); sent as JSON text (fast for big snapshots). */
export async function postToPanel(page: Page, message: HostToPanel): Promise<void> {
  await page.evaluate((json) => window.postMessage(JSON.parse(json), '*'), JSON.stringify(message));
}

export function recorded(page: Page): Promise<Recorder> {
  return page.evaluate(() => JSON.parse(JSON.stringify(window.__oomscope)) as Recorder);
}

/** Switches theme as VS Code does: swap the body class and the variables on <html>. */
export async function switchTheme(page: Page, theme: ThemeName): Promise<void> {
  await page.evaluate(
    ({ vars, bodyClass }) => {
      // VS Code replaces the whole variable set: drop the previous theme's variables first.
      const style = document.documentElement.style;
      for (const name of Array.from(style)) if (name.startsWith('--vscode-')) style.removeProperty(name);
      for (const [k, v] of Object.entries(vars)) style.setProperty(k, v);
      document.body.classList.remove(
        'vscode-dark',
        'vscode-light',
        'vscode-high-contrast',
        'vscode-high-contrast-light',
      );
      document.body.classList.add(bodyClass);
    },
    { vars: THEMES[theme].vars, bodyClass: THEMES[theme].bodyClass },
  );
}
