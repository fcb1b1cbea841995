/** Derives Kubernetes wire objects from a scenario at a step (virtual time). */
import { jobPodLabels } from './worldWorkloads';
import type { ContainerDef, Incident, PodDef, Scenario } from './scenarios';

const MI = 1024 * 1024;

export interface PsiNow {
  some: { total: number; avg10: number; avg60: number; avg300: number };
  full: { total: number; avg10: number; avg60: number; avg300: number };
}

/** Cumulative PSI for a rate function, memoized per scope. */
class PsiTrack {
  private states: PsiNow[] = [];
  constructor(
    private readonly rate: (step: number) => { some: number; full: number },
    private readonly stepSeconds: number,
    private readonly seedTotal: number,
  ) {}
  at(step: number): PsiNow {
    const k = Math.max(0, step);
    while (this.states.length <= k) {
      const i = this.states.length;
      const prev = this.states[i - 1];
      const r = this.rate(i);
      const dt = this.stepSeconds;
      const ema = (old: number, v: number, win: number): number =>
        old * Math.exp(-dt / win) + v * (1 - Math.exp(-dt / win));
      const one = (o: PsiNow['some'] | undefined, v: number): PsiNow['some'] => ({
        total: Math.round((o?.total ?? this.seedTotal) + v * 1e4 * dt),
        avg10: round2(ema(o?.avg10 ?? v, v, 10)),
        avg60: round2(ema(o?.avg60 ?? v, v, 60)),
        avg300: round2(ema(o?.avg300 ?? v, v, 300)),
      });
      this.states.push({ some: one(prev?.some, r.some), full: one(prev?.full, r.full) });
    }
    return this.states[k]!;
  }
}

const round2 = (x: number): number => Math.round(x * 100) / 100;
const iso = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
const hex = (n: number, len: number): string => {
  let s = '';
  let x = n * 2654435761;
  while (s.length < len) {
    x = (x * 1103515245 + 12345) % 2147483648;
    s += x.toString(16);
  }
  return s.slice(0, len);
};

export class World {
  private readonly psi = new Map<string, PsiTrack>();

  constructor(
    readonly scenario: Scenario,
    readonly startTime: number,
    readonly stepSeconds: number,
  ) {}

  t(step: number): number {
    return this.startTime + step * this.stepSeconds * 1000;
  }

  private track(key: string, rate: (s: number) => { some: number; full: number }): PsiTrack {
    let tr = this.psi.get(key);
    if (!tr) {
      tr = new PsiTrack(rate, this.stepSeconds, 5_000_000 + key.length * 1_234_567);
      this.psi.set(key, tr);
    }
    return tr;
  }

  nodePsi(step: number): PsiNow {
    return this.track('node', this.scenario.nodeRate).at(step);
  }

  podPsi(pod: PodDef, step: number): PsiNow {
    return this.track(pod.uid, pod.rate ?? (() => ({ some: 0, full: 0 }))).at(step);
  }

  incidentsUpTo(step: number): Incident[] {
    return this.scenario.incidents.filter((i) => i.step <= step);
  }

  containerId(pod: PodDef, container: string, restarts: number): string {
    return hex(pod.uid.length * 31 + container.length * 7 + restarts * 13 + pod.name.length, 64);
  }

  evicted(pod: PodDef, step: number): Incident | undefined {
    return this.incidentsUpTo(step).find((i) => i.kind === 'eviction' && i.pod === pod.name);
  }

  memoryPressureSince(step: number): { status: boolean; since: number } {
    const status = this.scenario.memoryPressure(step);
    let s = step;
    while (s > 0 && this.scenario.memoryPressure(s - 1) === status) s--;
    return { status, since: s === 0 ? this.startTime - 3 * 86400_000 : this.t(s) };
  }

  node(name: string, step: number): object {
    const sc = this.scenario;
    const main = name === sc.node;
    const mp = main ? this.memoryPressureSince(step) : { status: false, since: this.startTime - 86400_000 };
    const cond = (type: string, status: boolean, reason: string, message: string, since: number): object => ({
      type,
      status: status ? 'True' : 'False',
      lastHeartbeatTime: iso(this.t(step)),
      lastTransitionTime: iso(since),
      reason,
      message,
    });
    const old = this.startTime - 3 * 86400_000;
    return {
      kind: 'Node',
      apiVersion: 'v1',
      metadata: {
        name,
        uid: `node-${hex(name.length * 97 + name.charCodeAt(name.length - 1), 8)}`,
        creationTimestamp: iso(old),
        labels: {
          'kubernetes.io/hostname': name,
          'kubernetes.io/os': 'linux',
          'node.kubernetes.io/instance-type': 'e2-standard-2',
        },
      },
      spec: { podCIDR: '10.244.1.0/24' },
      status: {
        capacity: { cpu: '2', memory: `${sc.capacityKi}Ki`, pods: '110', 'ephemeral-storage': '101430960Ki' },
        allocatable: { cpu: '1930m', memory: `${sc.allocatableKi}Ki`, pods: '110', 'ephemeral-storage': '93478772582' },
        conditions: [
          cond(
            'MemoryPressure',
            mp.status,
            mp.status ? 'KubeletHasInsufficientMemory' : 'KubeletHasSufficientMemory',
            mp.status ? 'kubelet has insufficient memory available' : 'kubelet has sufficient memory available',
            mp.since,
          ),
          // KEP-5394 (alpha 1.36) PSI node conditions, when the scenario's kubelet reports them.
          ...(main && sc.contention
            ? [
                cond(
                  'SystemMemoryContentionPressure',
                  sc.contention(step).system,
                  sc.contention(step).system ? 'SystemMemoryContention' : 'NoSystemMemoryContention',
                  'system.slice memory PSI',
                  old,
                ),
                cond(
                  'KubepodsMemoryContentionPressure',
                  sc.contention(step).kubepods,
                  sc.contention(step).kubepods ? 'KubepodsMemoryContention' : 'NoKubepodsMemoryContention',
                  'kubepods memory PSI',
                  old,
                ),
              ]
            : []),
          cond('DiskPressure', false, 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure', old),
          cond('PIDPressure', false, 'KubeletHasSufficientPID', 'kubelet has sufficient PID available', old),
          cond('Ready', true, 'KubeletReady', 'kubelet is posting ready status', old),
        ],
        nodeInfo: {
          kubeletVersion: sc.kubeletVersion,
          kubeProxyVersion: sc.kubeletVersion,
          containerRuntimeVersion: 'containerd://1.7.24',
          kernelVersion: '6.1.0-28-cloud-amd64',
          osImage: 'Debian GNU/Linux 12 (bookworm)',
          operatingSystem: 'linux',
          architecture: 'amd64',
          // NodeSwapStatus (core/v1 NodeSystemInfo.swap, 1.30+): the node's swap in bytes.
          ...(sc.swapMi ? { swap: { capacity: sc.swapMi * MI } } : {}),
        },
      },
    };
  }

  nodeNames(): string[] {
    const names = [this.scenario.node];
    for (let i = 1; i <= this.scenario.extraNodes; i++) names.push(`pool-${Math.floor(i / 100)}-node-${i}`);
    return names;
  }

  pod(p: PodDef, step: number): object {
    const ev = this.evicted(p, step);
    const old = this.startTime - 2 * 3600_000;
    const statuses = p.containers.map((c) => {
      const ooms = this.incidentsUpTo(step).filter(
        (i) => i.pod === p.name && i.container === c.name && i.kind !== 'eviction',
      );
      const last = ooms[ooms.length - 1];
      const restarts = ooms.length;
      const cid = `containerd://${this.containerId(p, c.name, restarts)}`;
      const terminated = last
        ? {
            terminated: {
              exitCode: last.exitCode ?? 137,
              reason: 'OOMKilled',
              startedAt: iso(last.step === 0 ? old : this.t(Math.max(0, last.step - 4))),
              finishedAt: iso(this.t(last.step)),
              containerID: `containerd://${this.containerId(p, c.name, restarts - 1)}`,
            },
          }
        : {};
      let state: object = { running: { startedAt: iso(last ? this.t(last.step) + 1000 : old) } };
      // A plain init container ran to completion before the others started.
      if (c.type === 'init')
        state = {
          terminated: {
            exitCode: 0,
            reason: 'Completed',
            startedAt: iso(old),
            finishedAt: iso(old + 5000),
            containerID: cid,
          },
        };
      else if (ev)
        state = {
          terminated: {
            exitCode: 137,
            reason: 'Error',
            startedAt: iso(old),
            finishedAt: iso(this.t(ev.step)),
            containerID: cid,
          },
        };
      else if (last && restarts >= 2 && step - last.step <= 1)
        state = {
          waiting: {
            reason: 'CrashLoopBackOff',
            message: `back-off 20s restarting failed container=${c.name} pod=${p.name}_${p.namespace}(${p.uid})`,
          },
        };
      return {
        name: c.name,
        ready: !ev,
        restartCount: restarts,
        image: `registry.example.com/${c.name}:1.4.2`,
        imageID: '',
        containerID: cid,
        started: !ev,
        state,
        lastState: terminated,
        // The resources in force (in-place resize, KEP-1287): here only when they differ from the spec.
        ...(c.statusLimit
          ? {
              resources: {
                ...(c.request ? { requests: { memory: c.request } } : {}),
                limits: { memory: c.statusLimit },
              },
            }
          : {}),
      };
    });
    const resources = (c: PodDef['containers'][number]): object => ({
      ...(c.request ? { requests: { memory: c.request, cpu: '100m' } } : {}),
      ...(c.limit ? { limits: { memory: c.limit } } : {}),
    });
    const ofType = <T>(list: T[], type: ContainerDef['type']): T[] =>
      list.filter((_, i) => p.containers[i]!.type === type);
    const specOf = (c: ContainerDef): object => ({
      name: c.name,
      image: `registry.example.com/${c.name}:1.4.2`,
      resources: resources(c),
      ...(c.type === 'sidecar' ? { restartPolicy: 'Always' } : {}),
    });
    const initSpecs = p.containers.filter((c) => c.type === 'init' || c.type === 'sidecar').map(specOf);
    const initStatuses = statuses.filter((_, i) => ['init', 'sidecar'].includes(p.containers[i]!.type ?? ''));
    const ephemeral = ofType(p.containers, 'ephemeral');
    const conditions =
      p.resize && step >= p.resize.step
        ? [
            {
              type: p.resize.type,
              status: 'True',
              lastProbeTime: null,
              lastTransitionTime: iso(this.t(p.resize.step)),
              ...(p.resize.reason ? { reason: p.resize.reason } : {}),
              ...(p.resize.message ? { message: p.resize.message } : {}),
            },
          ]
        : [];
    const lists = {
      containerStatuses: ofType(statuses, undefined),
      ...(initStatuses.length ? { initContainerStatuses: initStatuses } : {}),
      ...(ephemeral.length ? { ephemeralContainerStatuses: ofType(statuses, 'ephemeral') } : {}),
      ...(conditions.length ? { conditions } : {}),
    };
    return {
      kind: 'Pod',
      apiVersion: 'v1',
      metadata: {
        name: p.name,
        namespace: p.namespace,
        uid: p.uid,
        labels: jobPodLabels(p),
        creationTimestamp: iso(old),
        ownerReferences: p.owner
          ? [
              {
                apiVersion: p.owner.kind === 'Job' ? 'batch/v1' : 'apps/v1',
                kind: p.owner.kind,
                name: p.owner.name,
                uid: `owner-${p.uid}`,
                controller: true,
                blockOwnerDeletion: true,
              },
            ]
          : [],
      },
      spec: {
        nodeName: this.scenario.node,
        restartPolicy: p.owner?.kind === 'Job' ? 'OnFailure' : 'Always',
        containers: ofType(p.containers, undefined).map(specOf),
        ...(initSpecs.length ? { initContainers: initSpecs } : {}),
        ...(ephemeral.length ? { ephemeralContainers: ephemeral.map(specOf) } : {}),
        ...(p.podLimit ? { resources: { limits: { memory: p.podLimit } } } : {}),
        // The Priority admission plugin sets spec.priority from the class (2000000000 for system-cluster-critical).
        ...(p.priorityClassName
          ? {
              priorityClassName: p.priorityClassName,
              priority: p.priorityClassName === 'system-node-critical' ? 2000001000 : 2000000000,
            }
          : {}),
      },
      status: ev
        ? {
            phase: 'Failed',
            reason: 'Evicted',
            qosClass: p.qos,
            startTime: iso(old),
            message: evictionMessage(p),
            ...lists,
          }
        : {
            phase: 'Running',
            qosClass: p.qos,
            startTime: iso(old),
            hostIP: '10.128.0.12',
            podIP: '10.244.1.17',
            ...lists,
          },
    };
  }

  private readonly eventCache = new Map<number, object[]>();

  events(step: number): object[] {
    let cached = this.eventCache.get(step);
    if (!cached) this.eventCache.set(step, (cached = this.makeEvents(step)));
    return cached;
  }

  private makeEvents(step: number): object[] {
    const sc = this.scenario;
    const out: object[] = [];
    let n = 0;
    const ev = (
      kind: 'Node' | 'Pod',
      name: string,
      ns: string,
      reason: string,
      type: string,
      component: string,
      message: string,
      at: number,
      uid: string,
    ): void => {
      n++;
      out.push({
        kind: 'Event',
        apiVersion: 'v1',
        metadata: {
          name: `${name}.${hex(n * 7919 + at / 1000, 16)}`,
          namespace: ns,
          uid: `ev-${hex(n * 104729 + at / 1000, 12)}`,
          creationTimestamp: iso(at),
        },
        involvedObject: { kind, name, namespace: kind === 'Pod' ? ns : undefined, uid, apiVersion: 'v1' },
        reason,
        message,
        type,
        source: { component, host: sc.node },
        firstTimestamp: iso(at),
        lastTimestamp: iso(at),
        count: 1,
        eventTime: null,
        reportingComponent: component,
        reportingInstance: component === 'kubelet' ? sc.node : '',
      });
    };
    const nodeUid = sc.node;
    for (let s = 1; s <= step; s++) {
      const before = sc.memoryPressure(s - 1);
      const now = sc.memoryPressure(s);
      if (now !== before) {
        const r = now ? 'NodeHasInsufficientMemory' : 'NodeHasSufficientMemory';
        ev(
          'Node',
          sc.node,
          'default',
          r,
          'Normal',
          'kubelet',
          `Node ${sc.node} status is now: ${r}`,
          this.t(s),
          nodeUid,
        );
      }
    }
    for (const i of this.incidentsUpTo(step)) {
      const p = sc.pods.find((x) => x.name === i.pod)!;
      const at = this.t(i.step);
      if (i.kind === 'system-oom') {
        ev(
          'Node',
          sc.node,
          'default',
          'SystemOOM',
          'Warning',
          'kubelet',
          `System OOM encountered, victim process: ${i.container}, pid: ${i.pid}`,
          at,
          nodeUid,
        );
        ev(
          'Node',
          sc.node,
          'default',
          'OOMKilling',
          'Warning',
          'kernel-monitor',
          `Out of memory: Killed process ${i.pid} (${i.container}) total-vm:3354076kB, anon-rss:2874320kB, file-rss:1024kB, shmem-rss:0kB, UID:0 pgtables:5860kB oom_score_adj:1000`,
          at,
          nodeUid,
        );
      } else if (i.kind === 'eviction') {
        ev(
          'Node',
          sc.node,
          'default',
          'EvictionThresholdMet',
          'Warning',
          'kubelet',
          'Attempting to reclaim memory',
          at - 10_000,
          nodeUid,
        );
        ev('Pod', p.name, p.namespace, 'Evicted', 'Warning', 'kubelet', evictionMessage(p), at, p.uid);
        ev('Pod', p.name, p.namespace, 'Killing', 'Normal', 'kubelet', `Stopping container ${i.container}`, at, p.uid);
      } else {
        // A group kill: node-problem-detector's kernel monitor makes one OOMKilling event per "Killed process" line.
        for (const [k, g] of (i.group ?? []).entries())
          ev(
            'Node',
            sc.node,
            'default',
            'OOMKilling',
            'Warning',
            'kernel-monitor',
            `Memory cgroup out of memory: Killed process ${g.pid} (${g.comm}) total-vm:${412_300 + 1000 * k}kB, anon-rss:${k === 0 ? 498_212 : k === (i.group?.length ?? 0) - 1 ? 0 : 61_440 + 512 * k}kB, file-rss:${8_192 + 64 * k}kB, shmem-rss:0kB, UID:1000 pgtables:${1_024 + 8 * k}kB oom_score_adj:${this.oomScoreAdj(p, i.container)}`,
            at,
            nodeUid,
          );
        const count = sc.incidents.filter((x) => x.pod === i.pod && x.step <= i.step).length;
        if (count >= 2)
          ev(
            'Pod',
            p.name,
            p.namespace,
            'BackOff',
            'Warning',
            'kubelet',
            `Back-off restarting failed container ${i.container} in pod ${p.name}_${p.namespace}(${p.uid})`,
            at + 1000,
            p.uid,
          );
      }
    }
    const reasons = ['NodeHasSufficientMemory', 'NodeHasNoDiskPressure', 'NodeReady', 'RegisteredNode', 'Starting'];
    for (let k = 0; k < sc.extraEvents; k++) {
      const at = this.startTime - (k + 1) * 1000;
      if (k % 5 === 4) {
        ev(
          'Pod',
          `other-${k}`,
          `team-${k % 12}`,
          'Evicted',
          'Warning',
          'kubelet',
          'The node was low on resource: memory. ',
          at,
          `p-${k}`,
        );
        // Evictions on other nodes: the client must filter them out (source.host).
        const other = out[out.length - 1] as { source: { host: string }; reportingInstance: string };
        other.source.host = other.reportingInstance = `pool-0-node-${(k % 90) + 1}`;
      } else
        ev(
          'Node',
          sc.node,
          'default',
          reasons[k % reasons.length]!,
          'Normal',
          'kubelet',
          `Node ${sc.node} status is now: ${reasons[k % reasons.length]!}`,
          at,
          nodeUid,
        );
    }
    return out;
  }

  /** The kubelet's oom_score_adj for a container (pkg/kubelet/qos/policy.go GetContainerOOMScoreAdjust). */
  oomScoreAdj(p: PodDef, container: string): number {
    if (p.qos === 'Guaranteed') return -997;
    if (p.qos === 'BestEffort') return 1000;
    const req = p.containers.find((c) => c.name === container)?.request;
    const bytes = req ? Number(/^(\d+)Mi$/.exec(req)?.[1] ?? 0) * MI : 0;
    const adj = 1000 - Math.floor((1000 * bytes) / (this.scenario.capacityKi * 1024));
    return adj < 2 ? 2 : adj >= 1000 ? 999 : adj;
  }

  workingSet(p: PodDef, step: number): number {
    return p.containers.reduce((s, c) => s + c.workingSetMi(step), 0) * MI;
  }

  runningPods(step: number): PodDef[] {
    return this.scenario.pods.filter((p) => !this.evicted(p, step));
  }

  summary(step: number): object {
    const sc = this.scenario;
    const at = iso(this.t(step));
    const psi = (x: PsiNow): object | undefined => (sc.psi ? { full: { ...x.full }, some: { ...x.some } } : undefined);
    const mem = (ws: number, limit: number | null, x: PsiNow | null): object => ({
      time: at,
      ...(limit !== null ? { availableBytes: Math.max(0, Math.round(limit - ws)) } : {}),
      usageBytes: Math.round(ws * 1.18),
      workingSetBytes: Math.round(ws),
      rssBytes: Math.round(ws * 0.86),
      pageFaults: 120_000 + step * 900,
      majorPageFaults: 40 + step * 3,
      ...(x && sc.psi ? { psi: psi(x) } : {}),
    });
    const pods = this.runningPods(step);
    const nodeWs = 1.2 * 1024 * MI + pods.reduce((s, p) => s + this.workingSet(p, step), 0);
    return {
      node: {
        nodeName: sc.node,
        systemContainers: [
          { name: 'kubelet', startTime: iso(this.startTime - 86400_000), memory: mem(90 * MI, null, null) },
        ],
        startTime: iso(this.startTime - 3 * 86400_000),
        cpu: { time: at, usageNanoCores: 812_000_000, usageCoreNanoSeconds: 9_400_000_000_000 + step * 8_000_000_000 },
        memory: mem(nodeWs, sc.capacityKi * 1024, this.nodePsi(step)),
        ...(sc.swapMi ? { swap: swapStats(at, sc.swapMi * MI, this.swapUsed(step)) } : {}),
      },
      pods: pods.map((p) => {
        const x = this.podPsi(p, step);
        return {
          podRef: { name: p.name, namespace: p.namespace, uid: p.uid },
          startTime: iso(this.startTime - 2 * 3600_000),
          containers: p.containers.map((c) => ({
            name: c.name,
            startTime: iso(this.startTime - 2 * 3600_000),
            memory: mem(c.workingSetMi(step) * MI, null, p.containers.length === 1 ? x : scalePsi(x, 0.5)),
            ...(c.swapMi ? { swap: swapStats(at, null, c.swapMi(step) * MI) } : {}),
          })),
          memory: mem(this.workingSet(p, step), null, x),
        };
      }),
    };
  }

  /** Swap in use on the node: the containers' swap (Summary API), MiB → bytes. */
  swapUsed(step: number): number {
    let mi = 0;
    for (const p of this.runningPods(step)) for (const c of p.containers) mi += c.swapMi?.(step) ?? 0;
    return mi * MI;
  }

  cgroup(p: PodDef): string {
    return `/kubepods${p.qos === 'Guaranteed' ? '' : `/${p.qos.toLowerCase()}`}/pod${p.uid}`;
  }

  cadvisor(step: number): string {
    const sc = this.scenario;
    const ts = this.t(step);
    const lines: string[] = [];
    const fam = (name: string, help: string, type: string, rows: [Record<string, string>, number][]): void => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [labels, v] of rows) {
        const l = Object.entries(labels)
          .map(([k, x]) => `${k}="${x.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)
          .join(',');
        lines.push(`${name}{${l}} ${v} ${ts}`);
      }
    };
    const rows = (value: (p: PodDef, c: string | null) => number): [Record<string, string>, number][] => {
      const out: [Record<string, string>, number][] = [];
      for (const p of this.runningPods(step)) {
        out.push([
          { container: '', id: this.cgroup(p), image: '', name: '', namespace: p.namespace, pod: p.name },
          value(p, null),
        ]);
        for (const c of p.containers) {
          const restarts = this.incidentsUpTo(step).filter((i) => i.pod === p.name && i.container === c.name).length;
          const cid = this.containerId(p, c.name, restarts);
          out.push([
            {
              container: c.name,
              id: `${this.cgroup(p)}/${cid}`,
              image: `registry.example.com/${c.name}:1.4.2`,
              name: cid,
              namespace: p.namespace,
              pod: p.name,
            },
            value(p, c.name),
          ]);
        }
      }
      return out;
    };
    fam(
      'container_memory_working_set_bytes',
      'Current working set in bytes.',
      'gauge',
      rows((p, c) =>
        c === null ? this.workingSet(p, step) : p.containers.find((x) => x.name === c)!.workingSetMi(step) * MI,
      ),
    );
    fam(
      'container_oom_events_total',
      'Count of out of memory events observed for the container',
      'counter',
      rows(
        (p, c) =>
          this.incidentsUpTo(step).filter(
            (i) => i.pod === p.name && i.kind !== 'eviction' && (c === null || i.container === c),
          ).length,
      ),
    );
    if (sc.psi) {
      const share = (p: PodDef, c: string | null): number => (c === null || p.containers.length === 1 ? 1 : 0.5);
      fam(
        'container_pressure_memory_stalled_seconds_total',
        'Total time duration no tasks in the container could make progress due to memory congestion.',
        'counter',
        rows((p, c) => round6((this.podPsi(p, step).full.total * share(p, c)) / 1e6)),
      );
      fam(
        'container_pressure_memory_waiting_seconds_total',
        'Total time duration tasks in the container have waited due to memory congestion.',
        'counter',
        rows((p, c) => round6((this.podPsi(p, step).some.total * share(p, c)) / 1e6)),
      );
    }
    return lines.join('\n') + '\n';
  }
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

/**
 * Summary API SwapStats (staging/src/k8s.io/kubelet/pkg/apis/stats/v1alpha1/types.go): swapAvailableBytes is the
 * node's free swap (a container's is memory.swap.max − use, omitted here when unlimited), swapUsageBytes its use.
 */
function swapStats(at: string, capacity: number | null, used: number): object {
  return {
    time: at,
    ...(capacity !== null ? { swapAvailableBytes: Math.max(0, capacity - used) } : {}),
    swapUsageBytes: used,
  };
}

function scalePsi(x: PsiNow, k: number): PsiNow {
  const s = (a: PsiNow['some']): PsiNow['some'] => ({
    total: Math.round(a.total * k),
    avg10: a.avg10,
    avg60: a.avg60,
    avg300: a.avg300,
  });
  return { some: s(x.some), full: s(x.full) };
}

function evictionMessage(p: PodDef): string {
  const c = p.containers[0]!;
  return `The node was low on resource: memory. Threshold quantity: 100Mi, available: 91736Ki. Container ${c.name} was using 2874320Ki, request is ${c.request ?? '0'}, has larger consumption of memory. `;
}
