// Deep import: only the KubeConfig (auth, TLS), not the generated API clients (a smaller, faster bundle).
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import type { ClusterAccess, ClusterOptions, ContextInfo, Result } from './accessTypes';
import { createLimiter, type Limiter } from './limiter';
import { ExecCredentialSource, execConfigOf } from './execCredential';
import { redactUrl } from './redact';

/** What ClusterAccess.internal holds; only src/cluster looks inside. */
export interface AccessInternal {
  kc: KubeConfig;
  limiter: Limiter;
  /** The server URL as written (access.server is its redacted form). */
  serverUrl: string;
  /** The current user's exec credential plugin, run by OOMScope (client-node never sees it). */
  exec: ExecCredentialSource | null;
}

export function accessInternal(access: ClusterAccess): AccessInternal {
  return access.internal as AccessInternal;
}

function readKubeConfig(kubeconfigPath: string | undefined): Result<KubeConfig> {
  const kc = new KubeConfig();
  try {
    if (kubeconfigPath) kc.loadFromFile(kubeconfigPath);
    else kc.loadFromDefault();
  } catch (e) {
    // Never echo the parser's message: it may quote the file (tokens, keys).
    const code = (e as NodeJS.ErrnoException | undefined)?.code;
    const where = kubeconfigPath ?? 'KUBECONFIG / ~/.kube/config';
    const why =
      code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable' : 'is not a valid kubeconfig (YAML)';
    return fail(
      'error',
      `The kubeconfig ${where} ${why}; fix it or set oomscope.kubeconfig / --kubeconfig to another file.`,
    );
  }
  return { ok: true, value: kc };
}

function fail<T>(kind: 'error' | 'not-found', message: string): Result<T> {
  return { ok: false, error: { kind, message } };
}

/** Loads the kubeconfig (explicit path, else KUBECONFIG, else ~/.kube/config) and selects a context. */
export function loadKubeConfig(opts: ClusterOptions = {}): Result<ClusterAccess> {
  const r = readKubeConfig(opts.kubeconfigPath);
  if (!r.ok) return r;
  const kc = r.value;
  const names = kc.getContexts().map((c) => c.name);
  if (opts.context) {
    if (!names.includes(opts.context)) {
      return fail(
        'not-found',
        `Context ${opts.context} is not in the kubeconfig; choose one of: ${names.join(', ') || '(none)'}.`,
      );
    }
    kc.setCurrentContext(opts.context);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) {
    return fail(
      'not-found',
      `The kubeconfig has no usable current context; pick one with --context (available: ${names.join(', ') || 'none'}).`,
    );
  }
  const timeout = opts.requestTimeoutMs ?? 10000;
  const access: ClusterAccess = {
    context: kc.getCurrentContext() || cluster.name,
    server: redactUrl(cluster.server),
    requestTimeoutMs: timeout,
    stats: { requests: 0, bytes: 0 },
    internal: {
      kc,
      limiter: createLimiter(opts.maxInFlight ?? 8),
      serverUrl: cluster.server,
      exec: takeExec(kc, timeout),
    } satisfies AccessInternal,
  };
  return { ok: true, value: access };
}

/**
 * Takes the current user's exec plugin away from client-node (whose ExecAuth has no timeout, no
 * cancel and no cache without expiry) and hands it to an ExecCredentialSource.
 */
function takeExec(kc: KubeConfig, timeoutMs: number): ExecCredentialSource | null {
  const user = kc.getCurrentUser();
  const exec = execConfigOf(user);
  if (!user || !exec) return null;
  const viaProvider = !user.exec;
  kc.users = kc.users.map((u) =>
    u === user ? { ...u, exec: undefined, ...(viaProvider ? { authProvider: undefined } : {}) } : u,
  );
  return new ExecCredentialSource(exec, timeoutMs);
}

/** Marks the start of a poll: an exec credential without expiry is reused within one poll only. */
export function beginPoll(access: ClusterAccess): void {
  accessInternal(access).exec?.beginPoll();
}

/** The contexts of the kubeconfig, for a picker. */
export function listContexts(opts: Pick<ClusterOptions, 'kubeconfigPath'> = {}): Result<ContextInfo[]> {
  const r = readKubeConfig(opts.kubeconfigPath);
  if (!r.ok) return r;
  const current = r.value.getCurrentContext();
  return {
    ok: true,
    value: r.value.getContexts().map((c) => ({
      name: c.name,
      cluster: c.cluster,
      user: c.user,
      namespace: c.namespace ?? null,
      current: c.name === current,
    })),
  };
}
