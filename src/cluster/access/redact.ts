/**
 * The one place URLs are made safe to print: every sentence, chip and log line that names the
 * API server, Prometheus or a file shows it through `redactUrl` (no user:password@, no ?query, no #fragment).
 */

/** "https://admin:pw@host:6443/k8s/?token=x" → "https://host:6443/k8s". Never throws. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.protocol === 'http:' || u.protocol === 'https:')
      return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    // Not a URL the WHATWG parser takes: cut by shape below.
  }
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^/?#@]*@/i, '$1').replace(/[?#].*$/s, '');
}
