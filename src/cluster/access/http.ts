import * as http from 'node:http';
import * as https from 'node:https';
import type { ClusterAccess, ClusterError, Result } from './accessTypes';
import { accessInternal } from './kubeconfig';
import { killPluginRuns, type ExecCredential, type ExecCredentialSource, type ExecOutcome } from './execCredential';

/** One request to the API server, described well enough to explain its failure. */
export interface RequestSpec {
  /** Path with query, e.g. "/api/v1/nodes/n1". */
  path: string;
  /** RBAC verb and resource, for the sentence of a 403 (e.g. "get", "nodes/proxy"). */
  verb: string;
  resource: string;
  /** What the request is for, as a gerund phrase: "reading the node". */
  what: string;
  /** Overrides the 403 sentence (e.g. the nodes/proxy one). */
  forbidden?: string;
  accept?: string;
  signal?: AbortSignal;
  /** Largest body accepted, default 64 MiB. */
  maxBytes?: number;
  /** Default GET; POST sends `body` as JSON (the node debug pod is the only writer). */
  method?: 'GET' | 'POST' | 'DELETE';
  body?: string;
}

const MAX_BYTES = 64 * 1024 * 1024;

function err(kind: ClusterError['kind'], message: string): Result<never> {
  return { ok: false, error: { kind, message } };
}

function statusError(access: ClusterAccess, spec: RequestSpec, status: number): Result<never> {
  if (status === 401) {
    return err(
      'unauthorized',
      `Unauthorized: the credentials of context ${access.context} were rejected; refresh them (e.g. re-login) and retry.`,
    );
  }
  if (status === 403) {
    return err(
      'forbidden',
      spec.forbidden ??
        `Forbidden: ${spec.what} needs \`${spec.verb}\` on \`${spec.resource}\`; ask your cluster admin for that RBAC permission.`,
    );
  }
  if (status === 404)
    return err(
      'not-found',
      `Not found: ${spec.what} failed because ${spec.path.split('?')[0]} does not exist on this cluster.`,
    );
  if (status === 503 && spec.resource === 'nodes/proxy') {
    return err(
      'unreachable',
      `The API server could not reach the kubelet while ${spec.what} (HTTP 503); check that the node is Ready.`,
    );
  }
  return err(
    'error',
    `The API server failed while ${spec.what} (HTTP ${status}); retry later or check the API server's health.`,
  );
}

function transportError(access: ClusterAccess, spec: RequestSpec, e: unknown): Result<never> {
  const code = (e as NodeJS.ErrnoException | undefined)?.code ?? '';
  if (code === 'OOMSCOPE_TIMEOUT') {
    return err(
      'timeout',
      `Timed out after ${access.requestTimeoutMs} ms while ${spec.what}; the API server or kubelet is slow — retry, or raise oomscope.cluster.requestTimeoutMs.`,
    );
  }
  if (
    code === 'ECONNREFUSED' ||
    code === 'ENOTFOUND' ||
    code === 'EHOSTUNREACH' ||
    code === 'ENETUNREACH' ||
    code === 'EAI_AGAIN'
  ) {
    return err(
      'unreachable',
      `Cannot reach the API server at ${access.server} (${code}); check that the cluster is running and that context ${access.context} is the right one.`,
    );
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up/i.test(String((e as Error | undefined)?.message))) {
    return err(
      'unreachable',
      `The connection to ${access.server} was dropped while ${spec.what}; retry, and check the API server or any proxy in between.`,
    );
  }
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO/i.test(code)) {
    return err(
      'unreachable',
      `The API server at ${access.server} presented a certificate that does not match the kubeconfig (${code}); check certificate-authority of context ${access.context}.`,
    );
  }
  if (code === 'ABORT_ERR') return err('error', `Stopped while ${spec.what}.`);
  return err(
    'unreachable',
    `Request to ${access.server} failed while ${spec.what}${code ? ` (${code})` : ''}; check the connection and retry.`,
  );
}

const agents = new Map<string, https.Agent>();

/** client-node makes a new agent per request; reuse one keep-alive agent per TLS identity instead. */
function keepAliveAgent(o: https.RequestOptions): https.Agent {
  const id = JSON.stringify([
    o.ca,
    o.cert,
    o.key,
    o.pfx,
    o.passphrase,
    o.rejectUnauthorized,
    o.servername,
    o.hostname,
    o.port,
  ]);
  let a = agents.get(id);
  if (!a) {
    if (agents.size > 16) {
      for (const old of agents.values()) old.destroy();
      agents.clear();
    }
    a = new https.Agent({
      keepAlive: true,
      maxSockets: 8,
      ca: o.ca,
      cert: o.cert,
      key: o.key,
      pfx: o.pfx,
      passphrase: o.passphrase,
      ...(o.rejectUnauthorized !== undefined ? { rejectUnauthorized: o.rejectUnauthorized } : {}),
      ...(o.servername ? { servername: o.servername } : {}),
    });
    agents.set(id, a);
  }
  return a;
}

/** Closes the kept-alive connections and kills exec plugins still running (a command line tool calls this before exiting). */
export function closeConnections(): void {
  for (const a of agents.values()) a.destroy();
  agents.clear();
  killPluginRuns();
}

function timeoutError(): NodeJS.ErrnoException {
  const e: NodeJS.ErrnoException = new Error('timeout');
  e.code = 'OOMSCOPE_TIMEOUT';
  return e;
}

/** Resolves with `p`, or with 'timeout' at `deadline` (epoch ms), or 'stopped' when `signal` fires. */
function race<T>(p: Promise<T>, deadline: number, signal: AbortSignal | undefined): Promise<T | 'timeout' | 'stopped'> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done('timeout'), Math.max(0, deadline - Date.now()));
    const onAbort = (): void => done('stopped');
    const done = (v: T | 'timeout' | 'stopped'): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(v);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    p.then(done, (e: unknown) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      reject(e);
    });
  });
}

/** The sentence for a credential the exec plugin did not give; names the command, never its output. */
function execError(
  access: ClusterAccess,
  spec: RequestSpec,
  exec: ExecCredentialSource,
  o: Exclude<ExecOutcome, { ok: true }>,
): Result<never> {
  const plugin = `exec credential plugin \`${exec.exec.command}\``;
  if (o.why === 'stopped') return err('error', `Stopped while ${spec.what}.`);
  if (o.why === 'timeout') {
    return err(
      'timeout',
      `The ${plugin} of context ${access.context} did not answer within ${access.requestTimeoutMs} ms; run it by hand to check that it works (e.g. log in again), or raise oomscope.cluster.requestTimeoutMs / --request-timeout.`,
    );
  }
  return err(
    'unauthorized',
    `Could not get credentials for context ${access.context}: the ${plugin} ${o.detail}; run the plugin's login and retry.`,
  );
}

/** GETs (or POSTs / DELETEs) a path and returns its body as text; every failure is a value. */
export function requestText(access: ClusterAccess, spec: RequestSpec): Promise<Result<string>> {
  const { kc, limiter, serverUrl, exec } = accessInternal(access);
  return limiter.run(async () => {
    if (spec.signal?.aborted) return err('error', `Stopped while ${spec.what}.`);
    // One deadline for the whole request: credentials (an exec plugin, a token refresh) and the HTTP exchange.
    const deadline = Date.now() + access.requestTimeoutMs;
    // The server as written, less user:password@ and ?query (neither is sent, nor ever shown).
    let url: URL;
    try {
      const base = new URL(serverUrl);
      url = new URL(base.origin + base.pathname.replace(/\/+$/, '') + spec.path);
    } catch {
      return err(
        'error',
        `The server of context ${access.context} (${access.server}) is not a valid URL; fix it in the kubeconfig.`,
      );
    }
    const opts: https.RequestOptions = {
      method: spec.method ?? 'GET',
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port || undefined,
      path: url.pathname + url.search,
      headers: {
        Accept: spec.accept ?? 'application/json',
        'User-Agent': 'oomscope',
        ...(spec.body !== undefined
          ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(spec.body) }
          : {}),
      },
    };
    let credential: ExecCredential | null = null;
    if (exec) {
      const o = await exec.get(deadline, spec.signal);
      if (!o.ok) return execError(access, spec, exec, o);
      credential = o.credential;
    }
    try {
      const applied = await race(kc.applyToHTTPSOptions(opts), deadline, spec.signal);
      if (applied === 'stopped') return err('error', `Stopped while ${spec.what}.`);
      if (applied === 'timeout') {
        return err(
          'timeout',
          `Timed out after ${access.requestTimeoutMs} ms while getting the credentials of context ${access.context} (its auth provider did not answer); check it, or raise oomscope.cluster.requestTimeoutMs.`,
        );
      }
    } catch (e) {
      if (url.protocol === 'http:' && /HTTP protocol is not allowed/.test(String((e as Error | undefined)?.message))) {
        return err(
          'error',
          `The server of context ${access.context} (${access.server}) is plain http; use https, or set insecure-skip-tls-verify in the kubeconfig for a local test cluster.`,
        );
      }
      // The auth plugin's message may contain credentials; never echo it.
      return err(
        'unauthorized',
        `Could not get credentials for context ${access.context} (the exec/auth plugin failed); run the plugin's login and retry.`,
      );
    }
    if (credential) {
      if (credential.cert && credential.key) {
        opts.cert = credential.cert;
        opts.key = credential.key;
      }
      if (credential.token) opts.headers = { ...opts.headers, Authorization: `Bearer ${credential.token}` };
    }
    if (url.protocol === 'https:' && !kc.getCurrentCluster()?.proxyUrl) opts.agent = keepAliveAgent(opts);
    access.stats.requests++;
    const lib = url.protocol === 'http:' ? http : https;
    return new Promise<Result<string>>((resolve) => {
      let done = false;
      const finish = (r: Result<string>): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        spec.signal?.removeEventListener('abort', onAbort);
        resolve(r);
      };
      const req = lib.request(opts, (res) => {
        const status = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          access.stats.bytes += c.length;
          if (size > (spec.maxBytes ?? MAX_BYTES)) {
            req.destroy();
            finish(
              err(
                'bad-response',
                `The response to ${spec.what} was larger than ${Math.round((spec.maxBytes ?? MAX_BYTES) / 1048576)} MiB; narrow the request.`,
              ),
            );
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => {
          if (status >= 200 && status < 300) finish({ ok: true, value: Buffer.concat(chunks).toString('utf8') });
          else {
            if (status === 401 && credential) exec?.rejected(credential);
            finish(statusError(access, spec, status));
          }
        });
        res.on('aborted', () =>
          finish(transportError(access, spec, Object.assign(new Error('reset'), { code: 'ECONNRESET' }))),
        );
        res.on('error', (e) => finish(transportError(access, spec, e)));
      });
      const timer = setTimeout(
        () => {
          req.destroy(timeoutError());
        },
        Math.max(1, deadline - Date.now()),
      );
      const onAbort = (): void => {
        req.destroy(Object.assign(new Error('aborted'), { code: 'ABORT_ERR' }));
      };
      spec.signal?.addEventListener('abort', onAbort);
      req.on('error', (e) => finish(transportError(access, spec, e)));
      req.end(spec.body);
    });
  });
}

/** GETs a path and parses JSON; truncated or invalid JSON becomes a bad-response value. */
export async function requestJson<T>(access: ClusterAccess, spec: RequestSpec): Promise<Result<T>> {
  const r = await requestText(access, spec);
  if (!r.ok) return r;
  try {
    const v = JSON.parse(r.value) as unknown;
    if (v === null || typeof v !== 'object') throw new Error('not an object');
    return { ok: true, value: v as T };
  } catch {
    return err('bad-response', `The API server sent invalid JSON while ${spec.what} (truncated or corrupted); retry.`);
  }
}

interface ListPage<T> {
  items?: T[];
  metadata?: { continue?: string };
}

/** Lists every item, following `continue` tokens (limit=pageSize). At most maxPages pages. */
export async function listAll<T>(
  access: ClusterAccess,
  spec: RequestSpec,
  pageSize = 500,
  maxPages = 200,
): Promise<Result<T[]>> {
  const items: T[] = [];
  let cont: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const sep = spec.path.includes('?') ? '&' : '?';
    const path = `${spec.path}${sep}limit=${pageSize}${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`;
    const r = await requestJson<ListPage<T>>(access, { ...spec, path });
    if (!r.ok) return r;
    if (!Array.isArray(r.value.items))
      return err('bad-response', `The API server sent a list without items while ${spec.what}; retry.`);
    items.push(...r.value.items);
    cont = r.value.metadata?.continue || undefined;
    if (!cont) return { ok: true, value: items };
  }
  return { ok: true, value: items };
}

/**
 * Lists page by page, handing each page to `onPage` and keeping none (constant memory, whatever the list's size);
 * stops after `maxPages`. Returns the number of items seen.
 */
export async function forEachPage<T>(
  access: ClusterAccess,
  spec: RequestSpec,
  onPage: (items: T[]) => void,
  pageSize = 500,
  maxPages = 10_000,
): Promise<Result<number>> {
  let cont: string | undefined;
  let seen = 0;
  for (let page = 0; page < maxPages; page++) {
    const sep = spec.path.includes('?') ? '&' : '?';
    const path = `${spec.path}${sep}limit=${pageSize}${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`;
    const r = await requestJson<ListPage<T>>(access, { ...spec, path });
    if (!r.ok) return r;
    if (!Array.isArray(r.value.items))
      return err('bad-response', `The API server sent a list without items while ${spec.what}; retry.`);
    seen += r.value.items.length;
    onPage(r.value.items);
    cont = r.value.metadata?.continue || undefined;
    if (!cont) break;
  }
  return { ok: true, value: seen };
}
