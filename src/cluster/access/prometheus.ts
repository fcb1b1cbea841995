/** Prometheus history backfill: node PSI rates over the last hours, by URL or through the API-server service proxy. */
import type { PsiSample } from '../../core/oom/verdictTypes';
import type { ClusterAccess, Result } from './accessTypes';
import { listAll, requestJson } from './http';
import { redactUrl } from './redact';

interface WireService {
  metadata?: { name?: string; namespace?: string };
  spec?: { ports?: { name?: string; port?: number }[] };
}

/**
 * Where to send query_range: a base URL (direct; `label` is its redacted form, the only one shown)
 * or a service proxy path on the API server.
 */
export type PrometheusTarget =
  { kind: 'url'; url: string; label: string } | { kind: 'proxy'; path: string; label: string };

export async function findPrometheus(
  access: ClusterAccess,
  prometheusUrl: string | undefined,
  signal?: AbortSignal,
): Promise<Result<PrometheusTarget | null>> {
  if (prometheusUrl) return { ok: true, value: { kind: 'url', url: prometheusUrl, label: redactUrl(prometheusUrl) } };
  const r = await listAll<WireService>(access, {
    path: `/api/v1/services?labelSelector=${encodeURIComponent('app.kubernetes.io/name=prometheus')}`,
    verb: 'list',
    resource: 'services',
    what: 'looking for a Prometheus Service',
    signal,
  });
  if (!r.ok) return r;
  const svc = r.value.find((s) => s.metadata?.name && s.metadata.namespace);
  if (!svc) return { ok: true, value: null };
  const port = svc.spec?.ports?.find((p) => p.name === 'web') ?? svc.spec?.ports?.[0];
  const name = `${svc.metadata!.name!}${port?.port ? `:${port.port}` : ''}`;
  return {
    ok: true,
    value: {
      kind: 'proxy',
      path: `/api/v1/namespaces/${svc.metadata!.namespace!}/services/${name}/proxy`,
      label: `${svc.metadata!.namespace!}/${svc.metadata!.name!}`,
    },
  };
}

/** A Prometheus API answer (query and query_range): a matrix, a vector or a scalar. */
export interface PromAnswer {
  status?: string;
  error?: string;
  data?: {
    resultType?: string;
    result?: { metric?: Record<string, string>; values?: [number, string][]; value?: [number, string] }[];
  };
}

type PromRange = PromAnswer;

/** GET <api>?<qs> on Prometheus, through the service proxy or directly; every failure is a value. */
async function promGet(
  access: ClusterAccess,
  target: PrometheusTarget,
  api: 'api/v1/query_range' | 'api/v1/query',
  qs: string,
  signal?: AbortSignal,
): Promise<Result<PromAnswer>> {
  if (target.kind === 'proxy') {
    return requestJson<PromAnswer>(access, {
      path: `${target.path}/${api}?${qs}`,
      verb: 'get',
      resource: 'services/proxy',
      what: `querying Prometheus ${target.label}`,
      signal,
    });
  }
  const where = `Prometheus at ${target.label}`;
  const req = directRequest(target.url, api, qs);
  if (!req)
    return {
      ok: false,
      error: { kind: 'error', message: `${where} is not a valid http(s) URL; check oomscope.prometheus.url.` },
    };
  try {
    const res = await fetch(req.url, {
      headers: req.headers,
      signal: signal
        ? AbortSignal.any([signal, AbortSignal.timeout(access.requestTimeoutMs)])
        : AbortSignal.timeout(access.requestTimeoutMs),
    });
    access.stats.requests++;
    const text = await res.text();
    access.stats.bytes += Buffer.byteLength(text);
    if (!res.ok && res.status !== 400 && res.status !== 422)
      return {
        ok: false,
        error: { kind: 'error', message: `${where} answered HTTP ${res.status}; check oomscope.prometheus.url.` },
      };
    try {
      return { ok: true, value: JSON.parse(text) as PromAnswer };
    } catch {
      return {
        ok: false,
        error: {
          kind: 'bad-response',
          message: `${where} sent invalid JSON; check that oomscope.prometheus.url is the Prometheus base URL.`,
        },
      };
    }
  } catch (e) {
    const timeout = (e as Error | undefined)?.name === 'TimeoutError';
    return {
      ok: false,
      error: timeout
        ? {
            kind: 'timeout',
            message: `${where} did not answer within ${access.requestTimeoutMs} ms; check oomscope.prometheus.url.`,
          }
        : { kind: 'unreachable', message: `Cannot reach ${where}; check oomscope.prometheus.url.` },
    };
  }
}

/** query_range from `start` to `end` (epoch ms) every `stepS` seconds. */
export function queryRange(
  access: ClusterAccess,
  target: PrometheusTarget,
  query: string,
  start: number,
  end: number,
  stepS: number,
  signal?: AbortSignal,
): Promise<Result<PromAnswer>> {
  const qs = `query=${encodeURIComponent(query)}&start=${Math.floor(start / 1000)}&end=${Math.floor(end / 1000)}&step=${stepS}`;
  return promGet(access, target, 'api/v1/query_range', qs, signal);
}

/** An instant query at `time` (epoch ms). */
export function queryInstant(
  access: ClusterAccess,
  target: PrometheusTarget,
  query: string,
  time: number,
  signal?: AbortSignal,
): Promise<Result<PromAnswer>> {
  const qs = `query=${encodeURIComponent(query)}&time=${(time / 1000).toFixed(3)}`;
  return promGet(access, target, 'api/v1/query', qs, signal);
}

/**
 * base + path + query. The base URL's own query (e.g. ?token=…) is kept, and its user:password
 * becomes Basic authentication (fetch refuses URLs with credentials). Null when base is not http(s).
 */
export function directRequest(
  base: string,
  path: string,
  query: string,
): { url: string; headers: Record<string, string> } | null {
  let u: URL;
  try {
    u = new URL(base);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  const headers: Record<string, string> = {};
  if (u.username || u.password) {
    const plain = (x: string): string => {
      try {
        return decodeURIComponent(x);
      } catch {
        return x;
      }
    };
    headers.Authorization = `Basic ${Buffer.from(`${plain(u.username)}:${plain(u.password)}`).toString('base64')}`;
  }
  u.username = '';
  u.password = '';
  u.hash = '';
  u.pathname = `${u.pathname.replace(/\/+$/, '')}/${path}`;
  u.search = [u.search.replace(/^\?/, ''), query].filter(Boolean).join('&');
  return { url: u.toString(), headers };
}

function seriesForNode(r: PromRange, node: string): [number, string][] | null {
  const result = r.data?.result ?? [];
  const hit = result.find(
    (s) =>
      s.metric?.node === node ||
      s.metric?.instance === node ||
      s.metric?.instance?.startsWith(`${node}:`) ||
      s.metric?.kubernetes_node === node,
  );
  return hit?.values ?? null;
}

/** Node PSI history as samples (averages only: the rate over 1 m, in percent). */
export async function backfillNodePsi(
  access: ClusterAccess,
  target: PrometheusTarget,
  node: string,
  start: number,
  end: number,
  signal?: AbortSignal,
): Promise<Result<PsiSample[]>> {
  const stepS = Math.max(15, Math.ceil((end - start) / 1000 / 10000));
  const [some, full] = await Promise.all([
    queryRange(access, target, 'rate(node_pressure_memory_waiting_seconds_total[1m])', start, end, stepS, signal),
    queryRange(access, target, 'rate(node_pressure_memory_stalled_seconds_total[1m])', start, end, stepS, signal),
  ]);
  if (!some.ok) return some;
  if (some.value.status !== 'success')
    return {
      ok: false,
      error: {
        kind: 'bad-response',
        message:
          'Prometheus answered the PSI query with an error; check that node-exporter runs with the pressure collector.',
      },
    };
  const s = seriesForNode(some.value, node) ?? [];
  const f = full.ok
    ? new Map((seriesForNode(full.value, node) ?? []).map(([t, v]) => [t, Number(v)]))
    : new Map<number, number>();
  const out: PsiSample[] = [];
  for (const [t, v] of s) {
    const pct = Math.min(100, Math.max(0, Number(v) * 100));
    if (!Number.isFinite(pct)) continue;
    const fv = f.get(t);
    const sample: PsiSample = { t: t * 1000, scope: 'node', some: { avg10: pct, avg60: pct, avg300: pct } };
    if (fv !== undefined && Number.isFinite(fv)) {
      const fp = Math.min(100, Math.max(0, fv * 100));
      sample.full = { avg10: fp, avg60: fp, avg300: fp };
    }
    out.push(sample);
  }
  return { ok: true, value: out };
}
