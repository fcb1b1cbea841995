/**
 * The `fleet-scale` scenario (GENERATED, for the benchmark): by default 5,000 nodes, 150,000 pods, 200,000 events
 * and 2,000 Deployments of ~75 pods, a few % of them with OOM kills over the day, plus ONE Deployment `shop/api` of
 * exactly 50 pods spread over 40 nodes with kills. Nothing per pod or per event is kept: `pod(i)` and `event(i)`
 * draw them from their index (fleetCurves.ts mix), so the API server can page through them in little memory.
 */
import { flat, mix, suffix, uidOf, withBump, type Psi } from './fleetCurves';
import { container, fleetNode, owner } from './fleetParts';
import type { Fleet, FleetEvent, FleetKill, FleetNode, FleetOwner, FleetPod, FleetScaleOptions } from './fleetTypes';
import type { FleetWorkload } from './fleetTypes';
import { HOUR, MINUTE, RESTART_DELAY_MS } from './fleetTypes';

/** Pods of the one Deployment the benchmark analyzes, and the nodes they are spread over. */
export const SCALE_API_PODS = 50;
export const SCALE_API_NODES = 40;
const API_KILLS: Record<number, FleetKill['class']> = {
  2: 'container-limit',
  9: 'container-limit',
  17: 'system',
  23: 'container-limit',
  31: 'container-limit',
  38: 'container-limit',
  44: 'eviction',
};

interface Ident {
  /** -1: shop/api. */
  w: number;
  j: number;
  name: string;
  namespace: string;
  uid: string;
  node: number;
}

export function makeScaleFleet(now: number, opts: FleetScaleOptions): Fleet {
  const N = Math.max(SCALE_API_NODES, opts.nodes ?? 5000);
  const P = Math.max(SCALE_API_PODS, opts.pods ?? 150_000);
  const W = Math.max(1, opts.workloads ?? 2000);
  const E = Math.max(0, opts.events ?? 200_000);
  const G = P - SCALE_API_PODS;
  const nodeName = (i: number): string => `node-${String(i).padStart(5, '0')}`;
  // Per workload (index w + 1; -1 is shop/api): its namespace, names and owners, drawn once.
  const nsOf: string[] = [];
  const nameOf: string[] = [];
  const hashOf: string[] = [];
  for (let w = -1; w < W; w++) {
    nsOf.push(w < 0 ? 'shop' : `team-${String(Math.floor(w / 50)).padStart(2, '0')}`);
    nameOf.push(w < 0 ? 'api' : `svc-${String(w).padStart(4, '0')}`);
    hashOf.push(w < 0 ? '7d9f8c6b5' : suffix(mix(w, 1), 10));
  }
  const ns = (w: number): string => nsOf[w + 1]!;
  const deployName = (w: number): string => nameOf[w + 1]!;
  const hash = (w: number): string => hashOf[w + 1]!;
  const start = (w: number): number => Math.floor((w * G) / W);
  const podsOf = (w: number): number => (w < 0 ? SCALE_API_PODS : start(w + 1) - start(w));

  const ident = (i: number): Ident => {
    let w = -1;
    let j = i;
    if (i >= SCALE_API_PODS) {
      const g = i - SCALE_API_PODS;
      w = Math.min(W - 1, Math.floor((g * W) / G));
      while (w < W - 1 && start(w + 1) <= g) w++;
      while (w > 0 && start(w) > g) w--;
      j = g - start(w);
    }
    const node = w < 0 ? Math.floor(((j % SCALE_API_NODES) * N) / SCALE_API_NODES) : mix(w, j, 2) % N;
    return {
      w,
      j,
      name: `${deployName(w)}-${hash(w)}-${suffix(mix(w, j, 3), 5)}`,
      namespace: ns(w),
      uid: uidOf(mix(i, 9)),
      node,
    };
  };
  const indexOf = (w: number, j: number): number => (w < 0 ? j : SCALE_API_PODS + start(w) + j);

  // Kills: the shop/api ones, and a few % of the other workloads with a kill on every 8th pod or so.
  const kills: FleetKill[] = [];
  const killAt = new Map<number, FleetKill>();
  const addKill = (i: number, tMs: number, cls: FleetKill['class']): void => {
    const id = ident(i);
    const k: FleetKill = {
      namespace: id.namespace,
      pod: id.name,
      node: nodeName(id.node),
      container: 'app',
      tMs,
      reason: cls === 'eviction' ? 'Evicted' : 'OOMKilled',
      exitCode: 137,
      class: cls,
      ...(cls === 'eviction' ? { usageBytes: 240 * 1024 * 1024 } : {}),
    };
    kills.push(k);
    killAt.set(i, k);
  };
  for (const [j, cls] of Object.entries(API_KILLS)) addKill(Number(j), now - (Number(j) / 2) * HOUR, cls);
  for (let w = 0; w < W; w++) {
    if (mix(w, 77) % 100 >= 4) continue;
    for (let j = 0; j < podsOf(w); j++) {
      if (mix(w, j, 4) % 8 !== 0) continue;
      const t = now - (1 + (mix(w, j, 5) % 22)) * HOUR - (mix(w, j, 6) % 60) * MINUTE;
      addKill(indexOf(w, j), t, mix(w, j, 7) % 5 === 0 ? 'system' : 'container-limit');
    }
  }
  kills.sort((a, b) => a.tMs - b.tMs);

  const nodePsi = new Map<number, Psi>();
  for (const [i, k] of killAt) {
    if (k.class !== 'system' && k.class !== 'eviction') continue;
    const n = ident(i).node;
    nodePsi.set(n, withBump(nodePsi.get(n) ?? flat(0.4, 0.1), k.tMs, 6 * MINUTE, 55, 0.5));
  }
  const nodes: FleetNode[] = [];
  for (let i = 0; i < N; i++) nodes.push(fleetNode(nodeName(i), 1000 + i, now, nodePsi.get(i) ?? flat(0.4, 0.1)));

  const ownersOf: [FleetOwner, FleetOwner][] = [];
  const labelsOf: Record<string, string>[] = [];
  for (let w = -1; w < W; w++) {
    ownersOf.push([
      owner('ReplicaSet', `${deployName(w)}-${hash(w)}`, mix(w, 11)),
      owner('Deployment', deployName(w), mix(w, 12)),
    ]);
    labelsOf.push({ app: deployName(w), 'pod-template-hash': hash(w) });
  }
  const owners = (w: number): [FleetOwner, FleetOwner] => ownersOf[w + 1]!;
  const podAt = (i: number): FleetPod => {
    const id = ident(i);
    const k = killAt.get(i);
    const base = 90 + (mix(id.w, id.j, 8) % 60);
    const ws = (t: number): number => {
      const wave = base + 8 * Math.sin(t / (37 * MINUTE) + id.j);
      if (!k || t < k.tMs - 20 * MINUTE) return wave;
      if (t <= k.tMs)
        return (
          wave + ((k.class === 'container-limit' ? 256 : 200) - wave) * ((t - (k.tMs - 20 * MINUTE)) / (20 * MINUTE))
        );
      return t < k.tMs + RESTART_DELAY_MS ? 0 : wave * 0.8;
    };
    const psi = k ? withBump(flat(0.05, 0.01), k.tMs, 2 * MINUTE, 60, 0.6, 20_000) : flat(0.05, 0.01);
    const n = nodes[id.node]!;
    return {
      name: id.name,
      uid: id.uid,
      namespace: id.namespace,
      node: n.name,
      labels: labelsOf[id.w + 1]!,
      owners: owners(id.w),
      containers: [
        container('app', 128, 256, ws, psi),
        container('log-shipper', 32, 64, () => 40, flat(0, 0), 'sidecar'),
      ],
      qos: 'Burstable',
      restartPolicy: 'Always',
      startMs: now - 3 * 24 * HOUR,
      endMs: null,
      live: true,
      hostIP: n.internalIP,
      podIP: `10.${64 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`,
    };
  };

  const workloads: FleetWorkload[] = [];
  const tplOf = (w: number): FleetWorkload['containers'] =>
    podAt(indexOf(w, 0)).containers.map(({ name, type, image, request, limit }) => ({
      name,
      type,
      image,
      request,
      limit,
    }));
  for (let w = -1; w < W; w++) {
    const [rs, d] = owners(w);
    const common = {
      namespace: ns(w),
      containers: tplOf(w),
      replicas: podsOf(w),
      createdMs: now - 30 * 24 * HOUR,
      live: true,
    };
    workloads.push({ kind: 'Deployment', name: d.name, uid: d.uid, selector: { app: d.name }, owner: null, ...common });
    workloads.push({
      kind: 'ReplicaSet',
      name: rs.name,
      uid: rs.uid,
      selector: { app: d.name, 'pod-template-hash': hash(w) },
      owner: d,
      ...common,
    });
  }

  // Events: the restarts after kills within the TTL first, then the day-to-day noise of a big cluster, all in the last hour.
  const killEvents: FleetEvent[] = [];
  for (const [i, k] of killAt) {
    if (k.tMs < now - HOUR) continue;
    const id = ident(i);
    const ev = (reason: string, message: string, dt: number): FleetEvent => ({
      kind: 'Pod',
      name: id.name,
      namespace: id.namespace,
      uid: id.uid,
      apiVersion: 'v1',
      reason,
      type: reason === 'Evicted' ? 'Warning' : 'Normal',
      component: 'kubelet',
      host: k.node,
      message,
      tMs: k.tMs + dt,
    });
    if (k.reason === 'Evicted') killEvents.push(ev('Evicted', 'The node was low on resource: memory. ', 0));
    else
      killEvents.push(
        ev('Pulled', 'Container image "registry.example.com/app:1.4.2" already present on machine', 9_000),
        ev('Started', 'Started container app', 10_000),
      );
  }
  const NODE_REASONS = ['NodeHasSufficientMemory', 'NodeHasNoDiskPressure', 'NodeReady', 'RegisteredNode', 'Starting'];
  const POD_REASONS = ['Scheduled', 'Pulled', 'Created', 'Started'];
  const eventAt = (i: number): FleetEvent => {
    if (i < killEvents.length) return killEvents[i]!;
    const tMs = now - Math.floor(((i + 1) * (HOUR - MINUTE)) / Math.max(1, E));
    if (i % 5 < 2) {
      const n = nodes[mix(i, 21) % N]!;
      const reason = NODE_REASONS[i % NODE_REASONS.length]!;
      return {
        kind: 'Node',
        name: n.name,
        namespace: 'default',
        uid: n.uid,
        apiVersion: 'v1',
        reason,
        type: 'Normal',
        component: 'kubelet',
        host: n.name,
        message: `Node ${n.name} status is now: ${reason}`,
        tMs,
      };
    }
    const id = ident(mix(i, 22) % P);
    const reason = POD_REASONS[i % POD_REASONS.length]!;
    const scheduler = reason === 'Scheduled';
    return {
      kind: 'Pod',
      name: id.name,
      namespace: id.namespace,
      uid: id.uid,
      apiVersion: 'v1',
      reason,
      type: 'Normal',
      component: scheduler ? 'default-scheduler' : 'kubelet',
      host: scheduler ? '' : nodeName(id.node),
      message: scheduler
        ? `Successfully assigned ${id.namespace}/${id.name} to ${nodeName(id.node)}`
        : `${reason} container app`,
      tMs,
    };
  };

  return {
    name: 'fleet-scale',
    now,
    nodes,
    workloads,
    podCount: P,
    pod: podAt,
    findPod: (namespace, name) => {
      const m = /^(api|svc-(\d{4}))-/.exec(name);
      if (!m) return undefined;
      const w = m[1] === 'api' ? -1 : Number(m[2]);
      if (w >= W || ns(w) !== namespace) return undefined;
      for (let j = 0; j < podsOf(w); j++) {
        const i = indexOf(w, j);
        if (ident(i).name === name) return podAt(i);
      }
      return undefined;
    },
    podsInNamespace: (namespace) => {
      const out: number[] = [];
      for (let w = -1; w < W; w++) if (ns(w) === namespace) for (let j = 0; j < podsOf(w); j++) out.push(indexOf(w, j));
      return out;
    },
    kills,
    eventCount: Math.max(E, killEvents.length),
    event: eventAt,
  };
}
