/**
 * The API server paths of the fleet scenarios (apiServer.ts asks these first): nodes, pods, events and the apps/v1,
 * batch/v1 workloads, with label and field selectors and limit/continue paging as kube-apiserver answers them
 * (k8s.io/apiserver/pkg/storage: items in key order, a continue token that is base64 JSON {"v","rv","start"}, 410
 * Expired when it is unknown; metadata.remainingItemCount).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { asTable } from './discovery';
import { DEFAULT_KUBELET_CONFIG } from './scenarios';
import type { Fleet, FleetEvent, FleetPod, FleetWorkload } from './fleetTypes';
import { eventFields, eventObject, nodeObject, podFields, podObject, withinTtl, workloadObject } from './fleetObjects';
import {
  EVENT_FIELDS,
  META_FIELDS,
  NODE_FIELDS,
  parseFieldSelector,
  parseLabelSelector,
  POD_FIELDS,
  SelectorError,
} from './fleetSelectors';

type Send = (res: ServerResponse, code: number, body: unknown) => void;
type StatusFn = (code: number, reason: string, message: string) => object;

const APPS = {
  deployments: 'Deployment',
  statefulsets: 'StatefulSet',
  daemonsets: 'DaemonSet',
  replicasets: 'ReplicaSet',
} as const;
const BATCH = { jobs: 'Job', cronjobs: 'CronJob' } as const;

/** Continue tokens kept (oldest dropped): a list resumed with a dropped one gets 410 Expired, as after compaction. */
const MAX_TOKENS = 256;

/** The `field=value` (or `==`) requirements of a field selector that parseFieldSelector accepted. */
function equalities(selector: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of (selector ?? '').split(',')) {
    const m = /^\s*([^=!\s]+)\s*(==|=)\s*(.*?)\s*$/.exec(r);
    if (m) out[m[1]!] = m[3]!;
  }
  return out;
}

export function fleetRouter(
  fleet: Fleet,
  send: Send,
  status: StatusFn,
): (req: IncomingMessage, res: ServerResponse, url: URL) => boolean {
  const rv = String(900_000 + (fleet.now % 100_000));
  const tokens = new Map<string, { keys: Int32Array; offset: number }>();
  let lists = 0;

  /** One page of the matches (indices into an item space), with a continue token for the rest. */
  const page = <T>(
    res: ServerResponse,
    url: URL,
    kind: string,
    apiVersion: string,
    all: () => Int32Array,
    at: (i: number) => T,
    name: (x: T) => string,
    toObject: (x: T) => object,
    req: IncomingMessage,
  ): void => {
    const limit = Math.max(0, Number(url.searchParams.get('limit') ?? '0') || 0);
    const cont = url.searchParams.get('continue');
    let keys: Int32Array;
    let offset = 0;
    if (cont) {
      const t = tokens.get(cont);
      if (!t)
        return send(
          res,
          410,
          status(
            410,
            'Expired',
            'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
          ),
        );
      keys = t.keys;
      offset = t.offset;
    } else keys = all();
    const end = limit > 0 ? Math.min(keys.length, offset + limit) : keys.length;
    const items: T[] = [];
    for (let k = offset; k < end; k++) items.push(at(keys[k]!));
    let next: string | undefined;
    if (end < keys.length) {
      lists++;
      const start = `${name(at(keys[end]!))}\u0000`;
      next = Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: Number(rv) + lists, start })).toString('base64');
      tokens.set(next, { keys, offset: end });
      if (tokens.size > MAX_TOKENS) tokens.delete(tokens.keys().next().value!);
    }
    const objects = items.map(toObject);
    const meta = { resourceVersion: rv, ...(next ? { continue: next, remainingItemCount: keys.length - end } : {}) };
    if (/as=Table/.test(req.headers.accept ?? '') && (kind === 'Pod' || kind === 'Node'))
      return send(res, 200, { ...asTable(kind, objects, fleet.now), metadata: meta });
    send(res, 200, { kind: `${kind}List`, apiVersion, metadata: meta, items: objects });
  };

  const matching = (n: number, ok: (i: number) => boolean): Int32Array => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) if (ok(i)) out.push(i);
    return Int32Array.from(out);
  };
  const notFound = (res: ServerResponse, resource: string, name: string): void =>
    send(res, 404, status(404, 'NotFound', `${resource} "${name}" not found`));

  const livePods = (ns: string | undefined, url: URL): (() => Int32Array) => {
    const labels = parseLabelSelector(url.searchParams.get('labelSelector'));
    const fields = parseFieldSelector<FleetPod>(url.searchParams.get('fieldSelector'), POD_FIELDS, (p) =>
      podFields(fleet, p),
    );
    const ok = (p: FleetPod): boolean => p.live && (!ns || p.namespace === ns) && labels(p.labels) && fields(p);
    const some = ns && fleet.podsInNamespace ? fleet.podsInNamespace(ns) : null;
    if (some) return () => Int32Array.from(some.filter((i) => ok(fleet.pod(i))));
    return () => matching(fleet.podCount, (i) => ok(fleet.pod(i)));
  };

  // Each event's namespace, involvedObject.kind and reason, and whether it is within the TTL, drawn once at the first
  // event list (fleet.event(i) builds an event from its index, ~2 µs each: 0.5 s a scan of 200,000). A list whose field
  // selector asks for equal values of those fields then builds only the events that have them, as a real API server
  // filters its watch cache without decoding every object again.
  let eventKeys: { ns: string[]; kind: string[]; reason: string[]; live: Uint8Array } | null = null;
  const keysOfEvents = (): NonNullable<typeof eventKeys> => {
    if (eventKeys) return eventKeys;
    const n = fleet.eventCount;
    const k = {
      ns: new Array<string>(n),
      kind: new Array<string>(n),
      reason: new Array<string>(n),
      live: new Uint8Array(n),
    };
    for (let i = 0; i < n; i++) {
      const e = fleet.event(i);
      k.ns[i] = e.namespace;
      k.kind[i] = e.kind;
      k.reason[i] = e.reason;
      k.live[i] = withinTtl(fleet, e) ? 1 : 0;
    }
    return (eventKeys = k);
  };

  const events = (ns: string | undefined, url: URL): (() => Int32Array) => {
    const selector = url.searchParams.get('fieldSelector');
    const fields = parseFieldSelector<FleetEvent>(selector, EVENT_FIELDS, eventFields);
    const labels = parseLabelSelector(url.searchParams.get('labelSelector'));
    const eq = equalities(selector);
    const wantNs = ns ?? eq['metadata.namespace'];
    const wantKind = eq['involvedObject.kind'];
    const wantReason = eq['reason'];
    return () => {
      const k = keysOfEvents();
      // The keys only narrow what the full matcher then decides, so the answer is the scan's.
      return matching(
        fleet.eventCount,
        (i) =>
          k.live[i] === 1 &&
          (wantNs === undefined || k.ns[i] === wantNs) &&
          (wantKind === undefined || k.kind[i] === wantKind) &&
          (wantReason === undefined || k.reason[i] === wantReason) &&
          labels({}) &&
          fields(fleet.event(i)),
      );
    };
  };

  const workloads = (kind: FleetWorkload['kind'], ns: string | undefined, url: URL): (() => Int32Array) => {
    const labels = parseLabelSelector(url.searchParams.get('labelSelector'));
    const fields = parseFieldSelector<FleetWorkload>(url.searchParams.get('fieldSelector'), META_FIELDS, (w) => ({
      'metadata.name': w.name,
      'metadata.namespace': w.namespace,
    }));
    return () =>
      matching(fleet.workloads.length, (i) => {
        const w = fleet.workloads[i]!;
        return (
          w.live &&
          w.kind === kind &&
          (!ns || w.namespace === ns) &&
          labels({ app: w.selector['app'] ?? w.name }) &&
          fields(w)
        );
      });
  };

  const presentNodes = fleet.nodes.filter((n) => n.present);

  return (req, res, url) => {
    if ((req.method ?? 'GET') !== 'GET') return false;
    const p = url.pathname;
    let m: RegExpExecArray | null;
    try {
      if (p === '/api/v1/nodes') {
        const labels = parseLabelSelector(url.searchParams.get('labelSelector'));
        const fields = parseFieldSelector<{ name: string }>(
          url.searchParams.get('fieldSelector'),
          NODE_FIELDS,
          (n) => ({
            'metadata.name': n.name,
            'spec.unschedulable': 'false',
          }),
        );
        const all = (): Int32Array =>
          matching(presentNodes.length, (i) => {
            const n = presentNodes[i]!;
            return (
              fields(n) &&
              labels({ 'kubernetes.io/hostname': n.name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' })
            );
          });
        page(
          res,
          url,
          'Node',
          'v1',
          all,
          (i) => presentNodes[i]!,
          (n) => n.name,
          (n) => nodeObject(fleet, n),
          req,
        );
        return true;
      }
      if ((m = /^\/api\/v1\/nodes\/([^/]+)$/.exec(p))) {
        const n = presentNodes.find((x) => x.name === m![1]);
        if (!n) notFound(res, 'nodes', m[1]!);
        else send(res, 200, nodeObject(fleet, n));
        return true;
      }
      if ((m = /^\/api\/v1\/nodes\/([^/]+)\/proxy\/configz$/.exec(p))) {
        // The kubelet's /configz of a swap node ({"kubeletconfig": …}, cmd/kubelet/app/server.go initConfigz); the
        // other fleet nodes' kubelets are not served (404), as before.
        const n = presentNodes.find((x) => x.name === m![1]);
        if (!n?.swap) return false;
        const memorySwap = { swapBehavior: n.swap.behavior };
        send(res, 200, { kubeletconfig: { ...DEFAULT_KUBELET_CONFIG, failSwapOn: false, memorySwap } });
        return true;
      }
      if ((m = /^\/api\/v1\/(?:namespaces\/([^/]+)\/)?pods$/.exec(p))) {
        const key = (x: FleetPod): string => (m![1] ? x.name : `${x.namespace}/${x.name}`);
        page(
          res,
          url,
          'Pod',
          'v1',
          livePods(m[1], url),
          (i) => fleet.pod(i),
          key,
          (x) => podObject(fleet, x),
          req,
        );
        return true;
      }
      if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)$/.exec(p))) {
        const x = fleet.findPod(m[1]!, m[2]!);
        if (!x || !x.live) notFound(res, 'pods', m[2]!);
        else send(res, 200, podObject(fleet, x));
        return true;
      }
      if ((m = /^\/api\/v1\/(?:namespaces\/([^/]+)\/)?events$/.exec(p))) {
        const key = (e: FleetEvent): string => eventFields(e)['metadata.name']!;
        page(res, url, 'Event', 'v1', events(m[1], url), (i) => fleet.event(i), key, eventObject, req);
        return true;
      }
      if ((m = /^\/apis\/(apps|batch)\/v1\/(?:namespaces\/([^/]+)\/)?([a-z]+)(?:\/([^/]+))?$/.exec(p))) {
        const [, group, ns, resource, name] = m;
        const kinds: Record<string, FleetWorkload['kind']> = group === 'apps' ? APPS : BATCH;
        const kind = kinds[resource!];
        if (!kind) return false;
        if (name !== undefined) {
          const w = ns
            ? fleet.workloads.find((x) => x.live && x.kind === kind && x.namespace === ns && x.name === name)
            : undefined;
          const groupName = `${resource}.${group}`;
          if (!w) notFound(res, groupName, name);
          else send(res, 200, workloadObject(fleet, w));
          return true;
        }
        const key = (w: FleetWorkload): string => (ns ? w.name : `${w.namespace}/${w.name}`);
        page(
          res,
          url,
          kind,
          `${group}/v1`,
          workloads(kind, ns, url),
          (i) => fleet.workloads[i]!,
          key,
          (w) => workloadObject(fleet, w),
          req,
        );
        return true;
      }
      if (p === '/api/v1/namespaces') {
        const names = [
          ...new Set([...fleet.workloads.map((w) => w.namespace), 'default', 'kube-system', 'monitoring']),
        ].sort();
        send(res, 200, {
          kind: 'NamespaceList',
          apiVersion: 'v1',
          metadata: { resourceVersion: rv },
          items: names.map((n) => ({
            kind: 'Namespace',
            apiVersion: 'v1',
            metadata: { name: n },
            status: { phase: 'Active' },
          })),
        });
        return true;
      }
    } catch (e) {
      if (!(e instanceof SelectorError)) throw e;
      send(res, 400, status(400, 'BadRequest', e.message));
      return true;
    }
    return false;
  };
}
