/**
 * Scenario definitions for the loopback test API server: a node, its pods, and a timeline
 * (PSI rates, working sets, incidents) indexed by step. The world (world.ts) derives the
 * Kubernetes objects, events, Summary API and cAdvisor text from it.
 */
import type { ScenarioName } from './demoTypes';

export type Qos = 'Guaranteed' | 'Burstable' | 'BestEffort';

export interface ContainerDef {
  name: string;
  request?: string;
  limit?: string;
  /** Working set in MiB at a step. */
  workingSetMi: (step: number) => number;
}

export interface PodDef {
  namespace: string;
  name: string;
  uid: string;
  qos: Qos;
  owner?: { kind: string; name: string };
  labels: Record<string, string>;
  containers: ContainerDef[];
  /** PSI rates of the pod cgroup, percent of wall time. */
  rate?: (step: number) => { some: number; full: number };
}

export interface Incident {
  step: number;
  kind: 'system-oom' | 'container-oom' | 'eviction';
  pod: string;
  container: string;
  pid: number;
}

export interface Scenario {
  name: ScenarioName;
  node: string;
  kubeletVersion: string;
  capacityKi: number;
  allocatableKi: number;
  /** Kubelet Summary API carries psi (KubeletPSI gate on, 1.34+). */
  psi: boolean;
  /** A Prometheus Service exists in the cluster. */
  prometheus: boolean;
  /** nodes/proxy is forbidden to the test user. */
  noProxy: boolean;
  pods: PodDef[];
  nodeRate: (step: number) => { some: number; full: number };
  memoryPressure: (step: number) => boolean;
  incidents: Incident[];
  /** Extra nodes in the cluster (node picker). */
  extraNodes: number;
  /** Extra node events (benchmark). */
  extraEvents: number;
}

const uid = (n: number): string =>
  `6b1f${n.toString(16).padStart(4, '0')}-1c2d-4e5f-8a9b-${(0xc0ffee000000 + n).toString(16)}`;
const ramp = (step: number, from: number, to: number, a: number, b: number): number =>
  step <= from ? a : step >= to ? b : a + ((b - a) * (step - from)) / (to - from);

function demoPods(thrash: (s: number) => number): PodDef[] {
  return [
    {
      namespace: 'shop',
      name: 'api-7d9f8c6b5-x2k4p',
      uid: uid(1),
      qos: 'Burstable',
      owner: { kind: 'ReplicaSet', name: 'api-7d9f8c6b5' },
      labels: { app: 'api', 'pod-template-hash': '7d9f8c6b5' },
      containers: [{ name: 'api', request: '256Mi', limit: '512Mi', workingSetMi: (s) => 300 + 40 * thrash(s) }],
      rate: (s) => ({ some: 2 + 30 * thrash(s), full: 1 + 20 * thrash(s) }),
    },
    {
      namespace: 'shop',
      name: 'checkout-worker-5c8d7f9b4-q7m2n',
      uid: uid(2),
      qos: 'Guaranteed',
      owner: { kind: 'ReplicaSet', name: 'checkout-worker-5c8d7f9b4' },
      labels: { app: 'checkout-worker', 'pod-template-hash': '5c8d7f9b4' },
      containers: [{ name: 'worker', request: '1Gi', limit: '1Gi', workingSetMi: (s) => 700 + 150 * thrash(s) }],
      rate: (s) => ({ some: 1 + 25 * thrash(s), full: 15 * thrash(s) }),
    },
    {
      namespace: 'batch',
      name: 'report-generator-29150420-7xk2q',
      uid: uid(3),
      qos: 'BestEffort',
      owner: { kind: 'Job', name: 'report-generator-29150420' },
      labels: { 'job-name': 'report-generator-29150420', app: 'report-generator' },
      containers: [{ name: 'report-gen', workingSetMi: (s) => 400 + 2600 * thrash(s) }],
      rate: (s) => ({ some: 3 + 55 * thrash(s), full: 2 + 45 * thrash(s) }),
    },
    {
      namespace: 'monitoring',
      name: 'node-exporter-8hz5w',
      uid: uid(4),
      qos: 'Burstable',
      owner: { kind: 'DaemonSet', name: 'node-exporter' },
      labels: { 'app.kubernetes.io/name': 'node-exporter' },
      containers: [{ name: 'node-exporter', request: '32Mi', limit: '128Mi', workingSetMi: () => 24 }],
      rate: (s) => ({ some: 5 * thrash(s), full: 2 * thrash(s) }),
    },
    {
      namespace: 'kube-system',
      name: 'coredns-6f6b679f8f-lm9cz',
      uid: uid(5),
      qos: 'Burstable',
      owner: { kind: 'ReplicaSet', name: 'coredns-6f6b679f8f' },
      labels: { 'k8s-app': 'kube-dns', 'pod-template-hash': '6f6b679f8f' },
      containers: [{ name: 'coredns', request: '70Mi', limit: '170Mi', workingSetMi: () => 38 }],
      rate: (s) => ({ some: 4 * thrash(s), full: 1 * thrash(s) }),
    },
  ];
}

function base(name: ScenarioName, thrash: (s: number) => number): Scenario {
  return {
    name,
    node: 'demo-worker-1',
    kubeletVersion: 'v1.34.2',
    capacityKi: 8148092,
    allocatableKi: 7945340,
    psi: true,
    prometheus: false,
    noProxy: false,
    pods: demoPods(thrash),
    nodeRate: (s) => ({ some: 1.5 + 58 * thrash(s), full: 0.5 + 42 * thrash(s) }),
    memoryPressure: () => false,
    incidents: [],
    extraNodes: 0,
    extraEvents: 0,
  };
}

/** thrash level 0..1: calm 0–5, pressure builds 6–11, thrashing 12–20, kill at 21, calm after. */
const thrashCurve = (s: number): number =>
  s <= 5
    ? 0
    : s <= 11
      ? ramp(s, 5, 11, 0, 0.35)
      : s <= 20
        ? ramp(s, 11, 14, 0.35, 1)
        : s <= 23
          ? ramp(s, 20, 23, 0.6, 0.05)
          : 0;

export function makeScenario(name: ScenarioName, scale?: { pods?: number; events?: number; nodes?: number }): Scenario {
  switch (name) {
    case 'thrash-then-system-oom': {
      const s = base(name, thrashCurve);
      s.prometheus = true;
      s.memoryPressure = (step) => step >= 15 && step < 24;
      s.incidents = [
        { step: 21, kind: 'system-oom', pod: 'report-generator-29150420-7xk2q', container: 'report-gen', pid: 31337 },
      ];
      return s;
    }
    case 'container-limit-crashloop': {
      const s = base(name, () => 0);
      const api = s.pods[0]!;
      api.containers[0]!.workingSetMi = (step) => 200 + ((step * 60) % 320);
      api.rate = (step) => ({ some: step % 5 >= 3 ? 35 : 4, full: step % 5 >= 3 ? 22 : 1 });
      s.incidents = [5, 10, 15, 20, 25, 30].map((step) => ({
        step,
        kind: 'container-oom' as const,
        pod: api.name,
        container: 'api',
        pid: 4400 + step,
      }));
      return s;
    }
    case 'eviction-memory-pressure': {
      const s = base(name, (step) => ramp(step, 3, 10, 0, 0.3) * (step <= 14 ? 1 : 0.2));
      s.memoryPressure = (step) => step >= 8 && step < 16;
      s.incidents = [
        { step: 12, kind: 'eviction', pod: 'report-generator-29150420-7xk2q', container: 'report-gen', pid: 0 },
      ];
      return s;
    }
    case 'pre-1.33': {
      const s = makeScenario('container-limit-crashloop');
      s.name = name;
      s.psi = false;
      s.kubeletVersion = 'v1.31.4';
      return s;
    }
    case 'rbac-no-proxy': {
      const s = makeScenario('thrash-then-system-oom');
      s.name = name;
      s.noProxy = true;
      s.prometheus = false;
      return s;
    }
    case 'quiet':
      return base(name, () => 0);
    case 'scale': {
      const s = base(name, (step) => ramp(step, 0, 6, 0.1, 0.5));
      const pods = scale?.pods ?? 110;
      for (let i = s.pods.length; i < pods; i++) {
        const burst = i % 3 === 0;
        s.pods.push({
          namespace: `team-${i % 12}`,
          name: `svc-${i}-6d4cf56db6-${(1e5 + i).toString(36)}`,
          uid: uid(100 + i),
          qos: burst ? 'Burstable' : i % 3 === 1 ? 'Guaranteed' : 'BestEffort',
          owner: { kind: 'ReplicaSet', name: `svc-${i}-6d4cf56db6` },
          labels: { app: `svc-${i}` },
          containers: [
            {
              name: 'app',
              request: i % 3 === 2 ? undefined : '128Mi',
              limit: i % 3 === 2 ? undefined : burst ? '256Mi' : '128Mi',
              workingSetMi: (st) => 60 + ((i * 7 + st) % 50),
            },
            {
              name: 'sidecar',
              request: i % 3 === 2 ? undefined : '32Mi',
              limit: i % 3 === 2 ? undefined : '32Mi',
              workingSetMi: () => 12,
            },
          ],
          rate: (st) => ({ some: (i % 10) + st, full: (i % 5) + st / 2 }),
        });
      }
      s.incidents = [
        { step: 2, kind: 'system-oom', pod: s.pods[2]!.name, container: 'report-gen', pid: 31337 },
        { step: 1, kind: 'container-oom', pod: s.pods[0]!.name, container: 'api', pid: 4401 },
      ];
      s.extraNodes = (scale?.nodes ?? 1000) - 1;
      s.extraEvents = scale?.events ?? 5000;
      return s;
    }
  }
}
