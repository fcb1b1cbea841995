/**
 * Scenario definitions for the loopback test API server: a node, its pods, and a timeline
 * (PSI rates, working sets, incidents) indexed by step. The world (world.ts) derives the
 * Kubernetes objects, events, Summary API and cAdvisor text from it.
 */
import type { ScenarioName } from './demoTypes';

export type Qos = 'Guaranteed' | 'Burstable' | 'BestEffort';

export interface ContainerDef {
  name: string;
  /** Regular by default; init and sidecar go to spec.initContainers (sidecar: `restartPolicy: Always`, KEP-753), ephemeral to spec.ephemeralContainers; each has its own status list. */
  type?: 'init' | 'sidecar' | 'ephemeral';
  request?: string;
  limit?: string;
  /** The limit in status.containerStatuses[].resources when it differs from the spec (in-place resize, KEP-1287). */
  statusLimit?: string;
  /** Working set in MiB at a step. */
  workingSetMi: (step: number) => number;
  /** Swap in use in MiB at a step (Summary API containers[].swap, since 1.28); absent: no swap stats. */
  swapMi?: (step: number) => number;
}

export interface PodDef {
  namespace: string;
  name: string;
  uid: string;
  qos: Qos;
  owner?: { kind: string; name: string };
  labels: Record<string, string>;
  containers: ContainerDef[];
  /** Pod-level limit, spec.resources.limits.memory (KEP-2837). */
  podLimit?: string;
  /** A resize condition in status.conditions from `step` on (staging/src/k8s.io/api/core/v1/types.go PodCondition). */
  resize?: { step: number; type: 'PodResizeInProgress' | 'PodResizePending'; reason?: string; message?: string };
  /** spec.priorityClassName (and the admission-set spec.priority for the two critical classes). */
  priorityClassName?: string;
  /** PSI rates of the pod cgroup, percent of wall time. */
  rate?: (step: number) => { some: number; full: number };
}

export interface Incident {
  step: number;
  kind: 'system-oom' | 'container-oom' | 'eviction';
  pod: string;
  container: string;
  pid: number;
  /** The terminated exit code, default 137 (e.g. 143: SIGTERM on a drain, with OOMKilled carried over). */
  exitCode?: number;
  /**
   * A group kill (memory.oom.group, cgroup v2, kubelet 1.28+): the processes of the container the kernel kills,
   * the selected victim (`pid`, `container` as comm) first. Each gets one node-problem-detector OOMKilling event
   * "Memory cgroup out of memory: Killed process …" with the container's oom_score_adj (Azure/AKS#5434: three
   * such events of one container, one minute, one oom_score_adj; mm/oom_kill.c `oom_kill_memcg_member`).
   */
  group?: { pid: number; comm: string }[];
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
  /**
   * What configz returns under "kubeletconfig" (KubeletConfiguration v1beta1); null: the path 404s. Default:
   * a kubeadm-like kubelet with no reservations (DEFAULT_KUBELET_CONFIG).
   */
  kubeletConfig: object | null;
  /** The PSI node conditions (KEP-5394, alpha 1.36) at a step; absent: the node reports none. */
  contention?: (step: number) => { system: boolean; kubepods: boolean };
  /** Node swap in MiB: status.nodeInfo.swap.capacity (1.30+) and the Summary API node.swap; absent: no swap. */
  swapMi?: number;
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

/**
 * A kubelet's configz body as a default kubeadm node has it: defaulted KubeletConfiguration v1beta1
 * (field names from staging/src/k8s.io/kubelet/config/v1beta1/types.go; defaults from
 * pkg/kubelet/apis/config/v1beta1/defaults.go: evictionHard memory.available 100Mi, enforceNodeAllocatable
 * ["pods"], memoryThrottlingFactor 0.9, failSwapOn true); no kube- or system-reserved.
 */
export const DEFAULT_KUBELET_CONFIG: object = {
  kind: 'KubeletConfiguration',
  apiVersion: 'kubelet.config.k8s.io/v1beta1',
  enableServer: true,
  cgroupDriver: 'systemd',
  evictionHard: {
    'imagefs.available': '15%',
    'memory.available': '100Mi',
    'nodefs.available': '10%',
    'nodefs.inodesFree': '5%',
  },
  evictionPressureTransitionPeriod: '5m0s',
  enforceNodeAllocatable: ['pods'],
  failSwapOn: true,
  memorySwap: {},
  memoryThrottlingFactor: 0.9,
  singleProcessOOMKill: false,
  featureGates: {},
};

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
    kubeletConfig: DEFAULT_KUBELET_CONFIG,
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

export function makeScenario(
  name: Exclude<ScenarioName, 'fleet' | 'fleet-scale'>,
  scale?: { pods?: number; events?: number; nodes?: number },
): Scenario {
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
    case 'sidecar-oom': {
      // A native sidecar (GA 1.33) with a small limit is OOM-killed beside its healthy main container.
      const s = base(name, () => 0);
      s.kubeletVersion = 'v1.34.2';
      const api = s.pods[0]!;
      api.containers.push({
        name: 'log-shipper',
        type: 'sidecar',
        request: '32Mi',
        limit: '64Mi',
        workingSetMi: () => 60,
      });
      api.containers.push({ name: 'migrate', type: 'init', request: '64Mi', limit: '128Mi', workingSetMi: () => 0 });
      s.incidents = [{ step: 3, kind: 'container-oom', pod: api.name, container: 'log-shipper', pid: 5123 }];
      return s;
    }
    case 'resized-pod': {
      // In-place resize (GA 1.35): api runs under 768Mi (status) while its spec says 512Mi; worker's decrease is refused.
      const s = base(name, () => 0);
      s.kubeletVersion = 'v1.35.1';
      const api = s.pods[0]!;
      api.containers[0]!.statusLimit = '768Mi';
      api.resize = { step: 2, type: 'PodResizeInProgress' };
      const worker = s.pods[1]!;
      worker.resize = {
        step: 2,
        type: 'PodResizeInProgress',
        reason: 'Error',
        // The kubelet's message when it skips a decrease below current usage (KEP-1287 "Memory limit decreases").
        message: 'attempting to set pod memory limit (536870912) below current usage (838860800)',
      };
      s.incidents = [
        { step: 3, kind: 'container-oom', pod: api.name, container: 'api', pid: 4480 },
        { step: 4, kind: 'container-oom', pod: worker.name, container: 'worker', pid: 4490 },
      ];
      return s;
    }
    case 'pod-level-limit': {
      // Pod-level resources (beta, on since 1.34): the containers have no limits of their own; the pod has 1Gi.
      const s = base(name, () => 0);
      const api = s.pods[0]!;
      api.podLimit = '1Gi';
      api.containers = [
        { name: 'api', request: '256Mi', workingSetMi: () => 700 },
        { name: 'cache', request: '128Mi', workingSetMi: () => 300 },
      ];
      s.incidents = [{ step: 3, kind: 'container-oom', pod: api.name, container: 'api', pid: 4470 }];
      return s;
    }
    case 'drain-exit-143': {
      // kubernetes PR #140718: a drain's SIGTERM ends the container (143), the runtime still says OOMKilled.
      const s = base(name, () => 0);
      const api = s.pods[0]!;
      s.incidents = [{ step: 3, kind: 'container-oom', pod: api.name, container: 'api', pid: 4460, exitCode: 143 }];
      return s;
    }
    case 'group-kill-events': {
      // A gunicorn container killed whole (memory.oom.group): the victim worker, then the master, another worker, a
      // shell; the victim is printed again in the member list (its rss already reaped), as real reports show.
      const s = base(name, () => 0);
      s.kubeletVersion = 'v1.34.2';
      const api = s.pods[0]!;
      s.incidents = [
        {
          step: 3,
          kind: 'container-oom',
          pod: api.name,
          container: 'api',
          pid: 4471,
          group: [
            { pid: 4471, comm: 'gunicorn' },
            { pid: 4470, comm: 'gunicorn' },
            { pid: 4472, comm: 'gunicorn' },
            { pid: 4469, comm: 'sh' },
            { pid: 4471, comm: 'gunicorn' },
          ],
        },
      ];
      return s;
    }
    case 'eviction-race': {
      // Fast growth against a default kubelet (evictionHard memory.available 100Mi, no reservations): report-gen
      // grows 2.1GiB in the 20 s before the kernel's system OOM; the kubelet, polling every 10 s, evicts nothing.
      const s = base(name, () => 0);
      const report = s.pods[2]!;
      report.containers[0]!.workingSetMi = (step) =>
        step <= 18 ? 3250 : step === 19 ? 4300 : step === 20 ? 5400 : 400;
      s.incidents = [{ step: 21, kind: 'system-oom', pod: report.name, container: 'report-gen', pid: 31337 }];
      return s;
    }
    case 'configz-reserved': {
      // A node with reservations and swap: 512Mi kube-reserved, 256Mi system-reserved, LimitedSwap, single-process OOM kill.
      const s = base(name, () => 0);
      // node.status.allocatable = capacity − kube-reserved − system-reserved − hard eviction (512 + 256 + 200 Mi).
      s.allocatableKi = s.capacityKi - (512 + 256 + 200) * 1024;
      s.kubeletConfig = {
        ...DEFAULT_KUBELET_CONFIG,
        kubeReserved: { cpu: '100m', memory: '512Mi' },
        systemReserved: { cpu: '100m', memory: '256Mi' },
        evictionHard: { 'memory.available': '200Mi', 'nodefs.available': '10%' },
        enforceNodeAllocatable: ['pods'],
        failSwapOn: false,
        memorySwap: { swapBehavior: 'LimitedSwap' },
        singleProcessOOMKill: true,
        featureGates: { MemoryQoS: true },
      };
      return s;
    }
    case 'psi-conditions': {
      // KEP-5394 (alpha 1.36): kubepods under contention from step 3, the system slice quiet.
      const s = base(name, (step) => (step >= 3 ? 0.5 : 0));
      s.kubeletVersion = 'v1.36.0';
      s.kubeletConfig = { ...DEFAULT_KUBELET_CONFIG, featureGates: { PSINodeCondition: true } };
      s.contention = (step) => ({ system: false, kubepods: step >= 3 });
      return s;
    }
    case 'limited-swap': {
      // NodeSwap GA 1.34, LimitedSwap (KEP-2400): 4Gi of swap on the 8Gi node. api (Burstable, 256Mi request) gets
      // 256Mi/7.77Gi × 4Gi; worker (Guaranteed), report-gen (BestEffort) and coredns (system-cluster-critical) none.
      const s = base(name, () => 0);
      s.kubeletConfig = { ...DEFAULT_KUBELET_CONFIG, failSwapOn: false, memorySwap: { swapBehavior: 'LimitedSwap' } };
      s.swapMi = 4096;
      const api = s.pods[0]!;
      api.containers[0]!.swapMi = () => 96;
      for (const p of s.pods.slice(1)) for (const c of p.containers) c.swapMi = () => 0;
      s.pods.find((p) => p.name.startsWith('coredns'))!.priorityClassName = 'system-cluster-critical';
      return s;
    }
    case 'memory-qos': {
      // MemoryQoS (KEP-2570, alpha): api (256Mi request, 512Mi limit) has memory.high = 256Mi + 0.9 × 256Mi rounded
      // down to a page; its working set sits above it, with its own PSI high and the node quiet.
      const s = base(name, () => 0);
      s.kubeletConfig = { ...DEFAULT_KUBELET_CONFIG, featureGates: { MemoryQoS: true } };
      const api = s.pods[0]!;
      api.containers[0]!.workingSetMi = () => 490;
      api.rate = () => ({ some: 30, full: 12 });
      return s;
    }
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
