/**
 * The panel's HTML shell. Pure (no vscode import) so the browser tests serve exactly what the
 * extension serves, under the same Content-Security-Policy.
 */
import { randomBytes } from 'node:crypto';

export interface PanelHtmlInput {
  /** `webview.cspSource` (or the test server's origin). */
  cspSource: string;
  /** URI of dist/webview.js as the webview may load it. */
  scriptUri: string;
  /** URI of media/panel.css. */
  styleUri: string;
  /** Fresh per render; from {@link makeNonce}. */
  nonce: string;
  /** Which view webview/main.ts builds: the node panel (default) or the workload panel. */
  view?: 'node' | 'workload';
}

/** 128 bits from the OS CSPRNG, base64 without padding. */
export function makeNonce(): string {
  return randomBytes(16).toString('base64').replace(/=+$/, '');
}

/** The policy: no unsafe-*, no connect-src, scripts only with the nonce. */
export function panelCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

const escapeAttr = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The document; everything visible is built by dist/webview.js from snapshot messages. */
export function panelHtml(input: PanelHtmlInput): string {
  const csp = escapeAttr(panelCsp(input.cspSource, input.nonce));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${escapeAttr(input.styleUri)}">
<title>${input.view === 'workload' ? 'Workload memory' : 'Node memory'}</title>
</head>
<body>
<main id="app" data-view="${input.view === 'workload' ? 'workload' : 'node'}" aria-live="polite"><p class="placeholder">Loading…</p></main>
<script nonce="${escapeAttr(input.nonce)}" src="${escapeAttr(input.scriptUri)}"></script>
</body>
</html>
`;
}
