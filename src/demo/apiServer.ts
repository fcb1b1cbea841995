/**
 * A loopback HTTPS Kubernetes API server for tests, benchmarks and the `npm start` demo.
 * CA and server certificate are generated at start (never written except the CA cert inside
 * the kubeconfig); a bearer token is required (401 otherwise).
 */
import * as https from 'node:https';
import * as http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { makeScenario } from './scenarios';
import { World } from './world';
import { asTable, discovery } from './discovery';
import type { ApiServer, ApiServerOptions, Fault } from './demoTypes';
import { debugPodHandler, type DebugPodLog } from './debugPods';
import { isFleetScenario, makeFleet } from './fleet';
import { fleetRouter } from './fleetRoutes';
import { parseLabelSelector } from './fleetSelectors';
import { workloadRoute } from './worldWorkloads';
import { nodeExporterRange, workingSetRange } from './syntheticPrometheus';

export type * from './demoTypes';

async function makeCerts(): Promise<{ ca: string; cert: string; key: string }> {
  const notBeforeDate = new Date(Date.now() - 3600_000);
  const notAfterDate = new Date(Date.now() + 7 * 86400_000);
  const ca = await generate([{ name: 'commonName', value: 'oomscope-test-ca' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const server = await generate([{ name: 'commonName', value: 'oomscope-test-apiserver' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
  return { ca: ca.cert, cert: server.cert, key: server.private };
}

function kubeconfigText(url: string, caPem: string, token: string, context: string): string {
  const ca = Buffer.from(caPem).toString('base64');
  return [
    'apiVersion: v1',
    'kind: Config',
    `current-context: ${context}`,
    'clusters:',
    `- name: ${context}`,
    '  cluster:',
    `    server: ${url}`,
    `    certificate-authority-data: ${ca}`,
    'users:',
    '- name: oomscope-tester',
    '  user:',
    `    token: ${token}`,
    'contexts:',
    `- name: ${context}`,
    '  context:',
    `    cluster: ${context}`,
    '    user: oomscope-tester',
    '    namespace: default',
    `- name: ${context}-other`,
    '  context:',
    `    cluster: ${context}`,
    '    user: oomscope-tester',
    '',
  ].join('\n');
}

const status = (code: number, reason: string, message: string): object => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message,
  reason,
  code,
});

/** Parses "a=b,c=d" field/label selectors (equality only, as the paths here need). */
function selector(s: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (!s) return out;
  for (const part of s.split(',')) {
    const m = /^([^=!]+)==?(.*)$/.exec(part.trim());
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

function field(obj: unknown, path: string): string | undefined {
  let v: unknown = obj;
  for (const k of path.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return v === undefined || v === null ? undefined : String(v);
}

/** A fault's path is exact, or a glob whose `*` matches anything (a trailing `*`: a prefix); `method` narrows it. */
function faultMatches(f: Fault, method: string, path: string): boolean {
  if (f.method && f.method !== method) return false;
  if (!f.path.includes('*')) return path === f.path;
  const parts = f.path.split('*').map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`).test(path);
}

/**
 * The API server's service proxy (`kubectl get --raw /api/v1/namespaces/monitoring/services/prometheus-k8s:web/proxy/api/v1/query`):
 * the request goes to the Service's endpoint (here `upstream`) as `<upstream><rest>?<query>`, and its answer comes back
 * as it is, streamed (status, Content-Type, body). An endpoint that cannot be reached is a 503 Status whose message
 * starts "error trying to reach service:", as the real one's (k8s.io/apimachinery/pkg/util/proxy/upgradeaware.go,
 * and k8s.io/apiserver's proxy responder; pkg/registry/core/service/proxy.go routes services/proxy to it).
 */
function proxyToService(res: ServerResponse, upstream: string, rest: string, search: string): void {
  const target = new URL(upstream.replace(/\/+$/, '') + rest + search);
  const out = http.get(target, { headers: { Accept: '*/*' } }, (up) => {
    const type = up.headers['content-type'];
    res.writeHead(up.statusCode ?? 502, type ? { 'Content-Type': type } : {});
    up.pipe(res);
  });
  out.on('error', (e) => {
    if (res.headersSent) return void res.destroy();
    const text = JSON.stringify(status(503, 'ServiceUnavailable', `error trying to reach service: ${e.message}`));
    res.writeHead(503, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  });
  res.on('close', () => out.destroy());
}

export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const fleetName = isFleetScenario(opts.scenario) ? opts.scenario : null;
  // A fleet scenario plays on its own nodes (fleetRoutes.ts); the single-node world underneath keeps only the
  // Prometheus Service and the paths the fleet does not serve.
  const scenario = makeScenario(isFleetScenario(opts.scenario) ? 'quiet' : opts.scenario, opts.scale);
  // A real Prometheus behind the service proxy: every scenario then lists its Service.
  if (fleetName || opts.prometheusUpstream) scenario.prometheus = true;
  const stepSeconds = opts.stepSeconds ?? 10;
  const initialStep = Math.max(0, Math.floor(opts.initialStep ?? 0));
  const world = new World(scenario, opts.startTime ?? Date.now() - initialStep * stepSeconds * 1000, stepSeconds);
  const fleet = fleetName ? makeFleet(fleetName, world.startTime, opts.fleet) : null;
  const token = randomBytes(24).toString('hex');
  const context = `oomscope-${opts.scenario}`;
  const certs = await makeCerts();
  let faults: Fault[] = opts.faults ?? [];
  const autoStep = opts.autoStep ?? true;
  // Auto-stepping advances before serving each summary, so the first summary is step 0.
  let step = autoStep ? initialStep - 1 : initialStep;
  const requests = { total: 0, byPath: {} as Record<string, number>, bytes: 0 };
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const cur = (): number => Math.max(0, step);
  const listCache = new Map<string, object[]>();

  const send = (res: ServerResponse, code: number, body: unknown, type = 'application/json'): void => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    requests.bytes += Buffer.byteLength(text);
    res.writeHead(code, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  };

  const list = (res: ServerResponse, kind: string, items: () => object[], url: URL, cacheKey: string): void => {
    const limit = Number(url.searchParams.get('limit') ?? '0');
    const cont = url.searchParams.get('continue');
    let start = 0;
    let all: object[];
    if (cont) {
      const m = /^(\d+):(.*)$/.exec(Buffer.from(cont, 'base64').toString('utf8'));
      const cached = m ? listCache.get(m[2]!) : undefined;
      if (!m || !cached)
        return send(
          res,
          410,
          status(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result.'),
        );
      start = Number(m[1]);
      all = cached;
    } else {
      all = items();
      if (limit > 0) listCache.set(cacheKey, all);
    }
    const page = limit > 0 ? all.slice(start, start + limit) : all.slice(start);
    const next =
      limit > 0 && start + limit < all.length
        ? Buffer.from(`${start + limit}:${cacheKey}`).toString('base64')
        : undefined;
    if (wantsTable && (kind === 'Pod' || kind === 'Node')) {
      return send(res, 200, {
        ...asTable(kind, page, world.t(cur())),
        metadata: { resourceVersion: String(1000 + cur()), ...(next ? { continue: next } : {}) },
      });
    }
    send(res, 200, {
      kind: `${kind}List`,
      apiVersion: 'v1',
      metadata: {
        resourceVersion: String(1000 + cur()),
        ...(next ? { continue: next, remainingItemCount: all.length - start - page.length } : {}),
      },
      items: page,
    });
  };

  const filtered = (items: object[], url: URL): object[] => {
    const fs = selector(url.searchParams.get('fieldSelector'));
    // Label selectors in the API server's grammar (equality and set-based: fleetSelectors.ts); a malformed one matches nothing.
    let ls: (l: Record<string, string>) => boolean;
    try {
      ls = parseLabelSelector(url.searchParams.get('labelSelector'));
    } catch {
      ls = () => false;
    }
    return items.filter(
      (o) =>
        Object.entries(fs).every(([k, v]) => (field(o, k) ?? '') === v) &&
        ls((o as { metadata?: { labels?: Record<string, string> } }).metadata?.labels ?? {}),
    );
  };

  const prometheusRange = (url: URL): object => {
    const q = url.searchParams.get('query') ?? '';
    const start = Number(url.searchParams.get('start'));
    const end = Number(url.searchParams.get('end'));
    const stepS = Math.max(1, Number(url.searchParams.get('step') ?? '60'));
    const stepAt = (t: number): number => Math.floor((t * 1000 - world.startTime) / (stepSeconds * 1000));
    const ws = workingSetRange(world, q, start, end, stepS, stepAt, cur());
    if (ws) return { status: 'success', data: { resultType: 'matrix', result: ws } };
    const ne = nodeExporterRange(world, q, start, end, stepS, stepAt, cur());
    if (ne) return { status: 'success', data: { resultType: 'matrix', result: ne } };
    const series: { metric: Record<string, string>; values: [number, string][] }[] = [];
    // The synthetic Prometheus knows the node panel's two rate queries, the containers' working sets and the
    // workload analysis's node-exporter queries (syntheticPrometheus.ts); any other query (kube-state-metrics) gets
    // an empty matrix, as from a Prometheus without that exporter.
    const known = /^rate\(node_pressure_memory_(waiting|stalled)_seconds_total\[1m\]\)$/.test(q);
    const kind = !known ? null : /memory_stalled/.test(q) ? 'full' : 'some';
    if (kind && /node_pressure/.test(q)) {
      const values: [number, string][] = [];
      const now = world.t(cur()) / 1000;
      for (let t = start; t <= Math.min(end, now) && values.length < 11000; t += stepS) {
        const s = Math.floor((t * 1000 - world.startTime) / (stepSeconds * 1000));
        const r = s < 0 ? { some: 1 + (Math.abs(s) % 3), full: 0.3 } : scenario.nodeRate(s);
        values.push([t, String((kind === 'some' ? r.some : r.full) / 100)]);
      }
      series.push({ metric: { node: scenario.node, instance: `${scenario.node}:9100` }, values });
    }
    return { status: 'success', data: { resultType: 'matrix', result: series } };
  };

  const debugPods: DebugPodLog = { requests: [], created: [], deleted: [], neverFinish: false };
  const debugPod = debugPodHandler(scenario, world, cur, debugPods, send, status, opts.kernelLog);
  const fleetRoute = fleet ? fleetRouter(fleet, send, status) : null;

  let wantsTable = false;
  const route = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    const p = url.pathname;
    wantsTable = /as=Table/.test(req.headers.accept ?? '');
    const d = discovery(p);
    if (d) return send(res, 200, d);
    const w = workloadRoute(p, scenario.pods, new Date(world.startTime - 3 * 86400_000).toISOString());
    if (w) return send(res, w.status, w.body);
    let m: RegExpExecArray | null;
    if (p === '/api/v1/nodes') {
      const s = cur();
      return list(
        res,
        'Node',
        () =>
          filtered(
            world.nodeNames().map((n) => world.node(n, s)),
            url,
          ),
        url,
        `nodes@${s}@${url.search}`,
      );
    }
    if ((m = /^\/api\/v1\/nodes\/([^/]+)$/.exec(p))) {
      if (!world.nodeNames().includes(m[1]!))
        return send(res, 404, status(404, 'NotFound', `nodes "${m[1]}" not found`));
      return send(res, 200, world.node(m[1]!, cur()));
    }
    if ((m = /^\/api\/v1\/nodes\/([^/]+)\/proxy\/(stats\/summary|metrics\/cadvisor|configz)$/.exec(p))) {
      if (scenario.noProxy) {
        return send(
          res,
          403,
          status(
            403,
            'Forbidden',
            `nodes "${m[1]}" is forbidden: User "oomscope-tester" cannot get resource "nodes/proxy" in API group "" at the cluster scope`,
          ),
        );
      }
      if (m[2] === 'configz') {
        // The kubelet's /configz: {"kubeletconfig": KubeletConfiguration} (cmd/kubelet/app/server.go initConfigz).
        if (m[1] !== scenario.node || scenario.kubeletConfig === null)
          return send(res, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
        return send(res, 200, { kubeletconfig: scenario.kubeletConfig });
      }
      if (m[1] !== scenario.node) return send(res, 404, status(404, 'NotFound', `nodes "${m[1]}" not found`));
      if (m[2] === 'stats/summary') {
        if (autoStep) step++;
        return send(res, 200, world.summary(cur()));
      }
      return send(res, 200, world.cadvisor(cur()), 'text/plain; version=0.0.4; charset=utf-8');
    }
    if ((m = /^\/api\/v1\/(?:namespaces\/([^/]+)\/)?pods$/.exec(p))) {
      const s = cur();
      const ns = m[1];
      const items = (): object[] =>
        filtered(
          scenario.pods.filter((x) => !ns || x.namespace === ns).map((x) => world.pod(x, s)),
          url,
        );
      return list(res, 'Pod', items, url, `pods@${s}@${ns ?? ''}@${url.searchParams.get('fieldSelector') ?? ''}`);
    }
    if ((m = /^\/api\/v1\/(?:namespaces\/([^/]+)\/)?events$/.exec(p))) {
      const s = cur();
      const ns = m[1];
      const items = (): object[] =>
        filtered(
          world.events(s).filter((e) => !ns || (e as { metadata: { namespace: string } }).metadata.namespace === ns),
          url,
        );
      return list(res, 'Event', items, url, `events@${s}@${ns ?? ''}@${url.searchParams.get('fieldSelector') ?? ''}`);
    }
    if (p === '/api/v1/services' || /^\/api\/v1\/namespaces\/[^/]+\/services$/.test(p)) {
      const items = scenario.prometheus
        ? [
            {
              kind: 'Service',
              apiVersion: 'v1',
              metadata: {
                name: 'prometheus-k8s',
                namespace: 'monitoring',
                labels: { 'app.kubernetes.io/name': 'prometheus' },
              },
              spec: { ports: [{ name: 'web', port: 9090, targetPort: 'web' }] },
            },
          ]
        : [];
      return list(res, 'Service', () => filtered(items, url), url, 'services');
    }
    if (
      opts.prometheusUpstream &&
      req.method === 'GET' &&
      (m =
        /^\/api\/v1\/namespaces\/monitoring\/services\/(?:https?:)?prometheus-k8s(?::web|:9090)?\/proxy(\/.*)?$/.exec(
          p,
        ))
    ) {
      return proxyToService(res, opts.prometheusUpstream, m[1] ?? '/', url.search);
    }
    if (
      scenario.prometheus &&
      /^\/api\/v1\/namespaces\/monitoring\/services\/(?:https?:)?prometheus-k8s(?::web|:9090)?\/proxy\/api\/v1\/query_range$/.test(
        p,
      )
    ) {
      return send(res, 200, prometheusRange(url));
    }
    if ((m = /^\/apis\/metrics\.k8s\.io\/v1beta1\/nodes\/([^/]+)$/.exec(p))) {
      if (m[1] !== scenario.node)
        return send(res, 404, status(404, 'NotFound', `nodes.metrics.k8s.io "${m[1]}" not found`));
      const sum = world.summary(cur()) as { node: { memory: { workingSetBytes: number } } };
      return send(res, 200, {
        kind: 'NodeMetrics',
        apiVersion: 'metrics.k8s.io/v1beta1',
        metadata: { name: m[1] },
        timestamp: new Date(world.t(cur())).toISOString(),
        window: '10.0s',
        usage: { cpu: '812m', memory: `${Math.round(sum.node.memory.workingSetBytes / 1024)}Ki` },
      });
    }
    send(res, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
  };

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    requests.total++;
    requests.byPath[url.pathname] = (requests.byPath[url.pathname] ?? 0) + 1;
    if (req.headers.authorization !== `Bearer ${token}`) {
      return send(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
    }
    const fault = faults.find((f) => faultMatches(f, req.method ?? 'GET', url.pathname));
    if (fault) {
      switch (fault.kind) {
        case '403':
          return send(
            res,
            403,
            status(403, 'Forbidden', `forbidden: User "oomscope-tester" cannot get path "${url.pathname}"`),
          );
        case '404':
          return send(res, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
        case '500':
          return send(res, 500, status(500, 'InternalError', 'Internal error occurred: injected fault'));
        case 'drop':
          req.socket.destroy();
          return;
        case 'slow': {
          const timer = setTimeout(() => {
            timers.delete(timer);
            if (!res.destroyed) route(req, res, url);
          }, fault.delayMs ?? 30000);
          timers.add(timer);
          return;
        }
        case 'truncate': {
          const orig = res.end.bind(res);
          const fake = res as unknown as {
            writeHead: (c: number, h: Record<string, string | number>) => void;
            end: (t: string) => void;
          };
          const origHead = res.writeHead.bind(res);
          fake.writeHead = (c, h) => {
            const { 'Content-Length': _drop, ...rest } = h;
            void _drop;
            origHead(c, rest);
          };
          fake.end = (t: string) => orig(t.slice(0, Math.max(1, Math.floor(t.length / 2))));
          return route(req, res, url);
        }
      }
    }
    if (debugPod(req, res, url)) return;
    if (fleetRoute?.(req, res, url)) return;
    route(req, res, url);
  };

  const server = https.createServer({ key: certs.key, cert: certs.cert }, (req, res) => {
    try {
      handler(req, res);
    } catch (e) {
      send(res, 500, status(500, 'InternalError', e instanceof Error ? e.message : 'error'));
    }
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  const url = `https://127.0.0.1:${port}`;
  mkdirSync(opts.dir, { recursive: true });
  const kubeconfigPath = join(opts.dir, 'kubeconfig');
  writeFileSync(kubeconfigPath, kubeconfigText(url, certs.ca, token, context), { mode: 0o600 });

  let closed = false;
  return {
    url,
    kubeconfigPath,
    token,
    context,
    node: fleet ? fleet.nodes[0]!.name : scenario.node,
    fleet,
    step: () => {
      step++;
    },
    get stepIndex() {
      return cur();
    },
    now: () => world.t(cur()),
    setFaults: (f) => {
      faults = f;
    },
    requests,
    debugPods,
    close: async () => {
      if (closed) return;
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await done;
    },
  };
}
