/**
 * A fleet's history as Prometheus scraped it, in OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`
 * (GENERATED from the fleet model). One family at a time, its series contiguous, samples in time order, timestamps in
 * seconds, counters as `<family>_total`, untyped node-exporter values as `unknown`, ending `# EOF`
 * (https://github.com/OpenObservability/OpenMetrics/blob/main/specification/OpenMetrics.md).
 *
 * Names and labels as the exporters print them, with the target labels kube-prometheus adds:
 * - kube-state-metrics (job="kube-state-metrics"): docs/metrics/workload/pod-metrics.md (kube_pod_info,
 *   kube_pod_owner, kube_pod_container_info, kube_pod_container_status_restarts_total,
 *   kube_pod_container_status_last_terminated_{reason,exitcode,timestamp}, kube_pod_container_status_terminated_reason,
 *   kube_pod_container_resource_{requests,limits}, kube_pod_status_reason, kube_pod_status_phase),
 *   replicaset-metrics.md (kube_replicaset_owner), job-metrics.md (kube_job_owner).
 * - cAdvisor through the kubelet (job="kubelet", metrics_path="/metrics/cadvisor", instance and node = the node):
 *   docs/storage/prometheus.md (container_memory_working_set_bytes, container_oom_events_total, and since cAdvisor
 *   0.50 / Kubernetes 1.34 container_pressure_memory_{waiting,stalled}_seconds_total); labels container, id (the
 *   cgroup path, systemd driver), image, name (the container ID), namespace, pod.
 * - node-exporter (job="node-exporter", instance relabelled to the node name as kube-prometheus does):
 *   collector/pressure_linux.go node_pressure_memory_{waiting,stalled}_seconds_total (counters),
 *   collector/vmstat_linux.go node_vmstat_oom_kill, node_vmstat_pgmajfault (untyped: checked on node_exporter 1.5.0's
 *   own /metrics on this machine: "# TYPE node_vmstat_oom_kill untyped").
 *
 * Each series lives while its object did: a pod's until it was deleted, a container's until it was killed (cAdvisor
 * keeps the dead cgroup for one more scrape, so a memcg OOM's counter shows 1), a deleted node's until its deletion.
 */
import { rateAt, stalledSeconds } from './fleetCurves';
import { containerRuns, killsOf, phaseAt, restartsAt, type ContainerRun } from './fleetRuns';
import type { Fleet, FleetContainer, FleetNode, FleetPod } from './fleetTypes';
import { MI } from './fleetTypes';

export interface OpenMetricsOptions {
  startMs: number;
  endMs: number;
  /** Scrape interval of the history, seconds (samples on multiples of it). */
  stepSeconds: number;
  /** Only these families (OpenMetrics family names, e.g. 'container_oom_events'); default all. */
  families?: readonly string[];
}

type Labels = Record<string, string>;
type Type = 'gauge' | 'counter' | 'unknown';

const esc = (v: string): string => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labelText = (l: Labels): string =>
  Object.entries(l)
    .map(([k, v]) => `${k}="${esc(v)}"`)
    .join(',');
const num = (v: number): string => (Number.isInteger(v) ? String(v) : String(Math.round(v * 1e6) / 1e6));

const KSM = { job: 'kube-state-metrics', instance: '10.244.0.9:8080' };
const PHASES = ['Pending', 'Succeeded', 'Failed', 'Unknown', 'Running'] as const;
/** kube_pod_status_reason's reasons (kube-state-metrics internal/store/pod.go podStatusReasons). */
const STATUS_REASONS = ['Evicted', 'NodeAffinity', 'NodeLost', 'Shutdown', 'UnexpectedAdmissionError'] as const;

interface Family {
  name: string;
  type: Type;
  help: string;
  series: (emit: (labels: Labels, from: number, to: number, value: (t: number) => number) => void) => void;
}

/** The history, chunk by chunk (one series or header per chunk), for a file or a pipe to promtool. */
export function* fleetOpenMetricsChunks(fleet: Fleet, opts: OpenMetricsOptions): Generator<string> {
  const step = opts.stepSeconds * 1000;
  const first = Math.ceil(opts.startMs / step) * step;
  for (const f of families(fleet, opts.endMs, step)) {
    if (opts.families && !opts.families.includes(f.name)) continue;
    yield `# TYPE ${f.name} ${f.type}\n# HELP ${f.name} ${f.help}\n`;
    const sample = f.type === 'counter' ? `${f.name}_total` : f.name;
    const chunks: string[] = [];
    f.series((labels, from, to, value) => {
      const lo = Math.max(first, Math.ceil(from / step) * step);
      const hi = Math.min(to, opts.endMs);
      if (lo > hi) return;
      const head = `${sample}{${labelText(labels)}} `;
      const lines: string[] = [];
      for (let t = lo; t <= hi; t += step) lines.push(`${head}${num(value(t))} ${t / 1000}\n`);
      chunks.push(lines.join(''));
    });
    yield* chunks;
  }
  yield '# EOF\n';
}

export function fleetOpenMetrics(fleet: Fleet, opts: OpenMetricsOptions): string {
  return [...fleetOpenMetricsChunks(fleet, opts)].join('');
}

function* pods(fleet: Fleet): Generator<FleetPod> {
  for (let i = 0; i < fleet.podCount; i++) yield fleet.pod(i);
}

/** The systemd-driver cgroup of a pod (kubepods-<qos>-pod<uid with _>.slice) and of its container. */
function cgroup(p: FleetPod, cid?: string): string {
  const qos = p.qos === 'Guaranteed' ? '' : `-${p.qos.toLowerCase()}`;
  const slice = `/kubepods.slice${qos ? `/kubepods${qos}.slice` : ''}/kubepods${qos}-pod${p.uid.replace(/-/g, '_')}.slice`;
  return cid ? `${slice}/cri-containerd-${cid}.scope` : slice;
}

function families(fleet: Fleet, endMs: number, step: number): Family[] {
  const nodeOf = new Map(fleet.nodes.map((n) => [n.name, n]));
  /** Until when the pod's objects were scraped: its deletion, or its node's. */
  const podEnd = (p: FleetPod): number =>
    Math.min(p.endMs ?? Infinity, nodeOf.get(p.node)?.deletedMs ?? Infinity, endMs);
  const podBase = (p: FleetPod): Labels => ({ ...KSM, namespace: p.namespace, pod: p.name, uid: p.uid });
  const eachPod = (fn: (p: FleetPod, end: number) => void): void => {
    for (const p of pods(fleet)) fn(p, podEnd(p));
  };
  const eachContainer = (fn: (p: FleetPod, c: FleetContainer, runs: ContainerRun[], end: number) => void): void =>
    eachPod((p, end) => {
      for (const c of p.containers) fn(p, c, containerRuns(fleet, p, c.name), end);
    });
  /** When the kubelet's status showed a run (until the next run replaced it, or the pod went). */
  const shown = (runs: ContainerRun[], i: number, end: number): number =>
    i + 1 < runs.length ? runs[i + 1]!.startMs - 1 : end;
  const cadvisor = (p: FleetPod, c: FleetContainer | null, run: ContainerRun | null): Labels => ({
    job: 'kubelet',
    metrics_path: '/metrics/cadvisor',
    instance: p.node,
    node: p.node,
    container: c?.name ?? '',
    id: cgroup(p, run?.containerId),
    image: c?.image ?? '',
    name: run?.containerId ?? '',
    namespace: p.namespace,
    pod: p.name,
  });
  // cAdvisor sees a dead container's cgroup for one more scrape (its last counters).
  const lingering = step;
  const requestsOrLimits =
    (which: 'requestBytes' | 'limitBytes'): Family['series'] =>
    (emit) =>
      eachPod((p, end) => {
        for (const c of p.containers) {
          const v = c[which];
          if (v !== null)
            emit(
              { ...podBase(p), container: c.name, node: p.node, resource: 'memory', unit: 'byte' },
              p.startMs,
              end,
              () => v,
            );
        }
      });
  const lastTerminated =
    (value: (r: ContainerRun) => number, extra: (r: ContainerRun) => Labels): Family['series'] =>
    (emit) =>
      eachContainer((p, c, runs, end) => {
        // lastState.terminated exists from the restart on; each restart replaces it (a new series when its labels change).
        for (let i = 1; i < runs.length; i++) {
          const prev = runs[i - 1]!;
          emit({ ...podBase(p), container: c.name, ...extra(prev) }, runs[i]!.startMs, shown(runs, i, end), () =>
            value(prev),
          );
        }
      });
  const nodeEnd = (n: FleetNode): number => Math.min(n.deletedMs ?? Infinity, endMs);
  const nodeLabels = (n: FleetNode): Labels => ({ job: 'node-exporter', instance: n.name });
  const killsOnNode = new Map<string, number[]>();
  for (const k of fleet.kills)
    if (k.reason === 'OOMKilled') killsOnNode.set(k.node, [...(killsOnNode.get(k.node) ?? []), k.tMs]);

  return [
    {
      name: 'kube_pod_info',
      type: 'gauge',
      help: 'Information about pod.',
      series: (emit) =>
        eachPod((p, end) => {
          const ctl = p.owners[0];
          emit(
            {
              ...podBase(p),
              host_ip: p.hostIP,
              pod_ip: p.podIP,
              node: p.node,
              created_by_kind: ctl?.kind ?? '<none>',
              created_by_name: ctl?.name ?? '<none>',
              priority_class: '',
              host_network: 'false',
            },
            p.startMs,
            end,
            () => 1,
          );
        }),
    },
    {
      name: 'kube_pod_owner',
      type: 'gauge',
      help: "Information about the Pod's owner.",
      series: (emit) =>
        eachPod((p, end) => {
          const ctl = p.owners[0];
          emit(
            {
              ...podBase(p),
              owner_kind: ctl?.kind ?? '<none>',
              owner_name: ctl?.name ?? '<none>',
              owner_is_controller: ctl ? 'true' : '<none>',
            },
            p.startMs,
            end,
            () => 1,
          );
        }),
    },
    {
      name: 'kube_replicaset_owner',
      type: 'gauge',
      help: "Information about the ReplicaSet's owner.",
      series: (emit) => {
        for (const w of fleet.workloads)
          if (w.kind === 'ReplicaSet' && w.owner)
            emit(
              {
                ...KSM,
                namespace: w.namespace,
                replicaset: w.name,
                owner_kind: w.owner.kind,
                owner_name: w.owner.name,
                owner_is_controller: 'true',
              },
              w.createdMs,
              endMs,
              () => 1,
            );
      },
    },
    {
      name: 'kube_job_owner',
      type: 'gauge',
      help: "Information about the Job's owner.",
      series: (emit) => {
        for (const w of fleet.workloads) {
          if (w.kind !== 'Job' || !w.owner) continue;
          // A deleted Job went with its pods (the CronJob's history limit).
          let end = endMs;
          if (!w.live) for (const p of pods(fleet)) if (p.owners[0]?.uid === w.uid) end = Math.min(end, podEnd(p));
          emit(
            {
              ...KSM,
              namespace: w.namespace,
              job_name: w.name,
              owner_kind: w.owner.kind,
              owner_name: w.owner.name,
              owner_is_controller: 'true',
            },
            w.createdMs,
            end,
            () => 1,
          );
        }
      },
    },
    {
      name: 'kube_pod_container_info',
      type: 'gauge',
      help: 'Information about a container in a pod.',
      series: (emit) =>
        eachContainer((p, c, runs, end) =>
          runs.forEach((r, i) =>
            emit(
              {
                ...podBase(p),
                container: c.name,
                image_spec: c.image,
                image: c.image,
                image_id: `${c.image.replace(/:.*$/, '')}@sha256:${'5e1a'.repeat(16)}`,
                container_id: `containerd://${r.containerId}`,
              },
              r.startMs,
              shown(runs, i, end),
              () => 1,
            ),
          ),
        ),
    },
    {
      name: 'kube_pod_container_status_restarts',
      type: 'counter',
      help: 'The number of container restarts per container.',
      series: (emit) =>
        eachContainer((p, c, runs, end) =>
          emit({ ...podBase(p), container: c.name }, p.startMs, end, (t) => restartsAt(runs, t)),
        ),
    },
    {
      name: 'kube_pod_container_status_last_terminated_reason',
      type: 'gauge',
      help: 'Describes the last reason the container was in terminated state.',
      series: lastTerminated(
        () => 1,
        (r) => ({ reason: r.endedBy?.reason === 'OOMKilled' ? 'OOMKilled' : 'Error' }),
      ),
    },
    {
      name: 'kube_pod_container_status_last_terminated_exitcode',
      type: 'gauge',
      help: 'Describes the exit code for the last container in terminated state.',
      series: lastTerminated(
        () => 137,
        () => ({}),
      ),
    },
    {
      name: 'kube_pod_container_status_last_terminated_timestamp',
      type: 'gauge',
      help: 'Last terminated time for a pod container in unix timestamp.',
      series: lastTerminated(
        (r) => Math.floor((r.endMs ?? 0) / 1000),
        () => ({}),
      ),
    },
    {
      name: 'kube_pod_container_status_terminated_reason',
      type: 'gauge',
      help: 'Describes the reason the container is currently in terminated state.',
      series: (emit) =>
        eachContainer((p, c, runs, end) => {
          const last = runs[runs.length - 1]!;
          if (last.endMs === null || last.endMs >= end) return;
          const reason = last.endedBy?.reason === 'OOMKilled' ? 'OOMKilled' : 'Error';
          emit({ ...podBase(p), container: c.name, reason }, last.endMs, end, () => 1);
        }),
    },
    {
      name: 'kube_pod_container_resource_requests',
      type: 'gauge',
      help: 'The number of requested request resource by a container. It is recommended to use the kube_pod_resource_requests metric exposed by kube-scheduler instead, as it is more precise.',
      series: requestsOrLimits('requestBytes'),
    },
    {
      name: 'kube_pod_container_resource_limits',
      type: 'gauge',
      help: 'The number of requested limit resource by a container. It is recommended to use the kube_pod_resource_limits metric exposed by kube-scheduler instead, as it is more precise.',
      series: requestsOrLimits('limitBytes'),
    },
    {
      name: 'kube_pod_status_reason',
      type: 'gauge',
      help: 'The pod status reasons',
      series: (emit) =>
        eachPod((p, end) => {
          const ev = killsOf(fleet, p).find((k) => k.reason === 'Evicted');
          for (const reason of STATUS_REASONS)
            emit({ ...podBase(p), reason }, p.startMs, end, (t) => (reason === 'Evicted' && ev && t >= ev.tMs ? 1 : 0));
        }),
    },
    {
      name: 'kube_pod_status_phase',
      type: 'gauge',
      help: 'The pods current phase.',
      series: (emit) =>
        eachPod((p, end) => {
          for (const phase of PHASES)
            emit({ ...podBase(p), phase }, p.startMs, end, (t) => (phaseAt(fleet, p, t) === phase ? 1 : 0));
        }),
    },
    {
      name: 'container_memory_working_set_bytes',
      type: 'gauge',
      help: 'Current working set of the container in bytes',
      series: (emit) =>
        eachPod((p, end) => {
          const all = p.containers.map((c) => ({ c, runs: containerRuns(fleet, p, c.name) }));
          const running = (runs: ContainerRun[], t: number): boolean =>
            runs.some((r) => r.startMs <= t && t <= (r.endMs ?? Infinity));
          emit(cadvisor(p, null, null), p.startMs, end, (t) =>
            Math.round(all.reduce((s, { c, runs }) => s + (running(runs, t) ? c.workingSetMi(t) * MI : 0), 0)),
          );
          for (const { c, runs } of all)
            for (const r of runs)
              emit(cadvisor(p, c, r), r.startMs, Math.min(r.endMs ?? end, end), (t) =>
                Math.round(c.workingSetMi(t) * MI),
              );
        }),
    },
    {
      name: 'container_oom_events',
      type: 'counter',
      help: 'Count of out of memory events observed for the container',
      series: (emit) =>
        eachContainer((p, c, runs, end) => {
          for (const r of runs) {
            // A memcg OOM inside the container's limit counts here; a kill from the node (system OOM) or a parent
            // cgroup does not (the known cAdvisor gap: kube-state-metrics still says OOMKilled).
            const counted = r.endedBy?.reason === 'OOMKilled' && r.endedBy.class === 'container-limit';
            const until = r.endMs === null ? end : Math.min(end, r.endMs + lingering);
            emit(cadvisor(p, c, r), r.startMs, until, (t) => (counted && t >= r.endMs! ? 1 : 0));
          }
        }),
    },
    ...(['waiting', 'stalled'] as const).map((kind): Family => ({
      name: `container_pressure_memory_${kind}_seconds`,
      type: 'counter',
      help:
        kind === 'waiting'
          ? 'Total time duration tasks in the container have waited due to memory congestion.'
          : 'Total time duration no tasks in the container could make progress due to memory congestion.',
      series: (emit) =>
        eachContainer((p, c, runs, end) => {
          const curve = kind === 'waiting' ? c.psi.some : c.psi.full;
          for (const r of runs) {
            const until = r.endMs === null ? end : Math.min(end, r.endMs + lingering);
            emit(cadvisor(p, c, r), r.startMs, until, (t) =>
              stalledSeconds(curve, r.startMs, Math.min(t, r.endMs ?? t)),
            );
          }
        }),
    })),
    ...(['waiting', 'stalled'] as const).map((kind): Family => ({
      name: `node_pressure_memory_${kind}_seconds`,
      type: 'counter',
      help:
        kind === 'waiting'
          ? 'Total time in seconds that processes have waited for memory'
          : 'Total time in seconds no process could make progress due to memory congestion',
      series: (emit) => {
        for (const n of fleet.nodes) {
          const curve = kind === 'waiting' ? n.psi.some : n.psi.full;
          emit(nodeLabels(n), n.createdMs, nodeEnd(n), (t) => stalledSeconds(curve, n.createdMs, t));
        }
      },
    })),
    {
      name: 'node_vmstat_oom_kill',
      type: 'unknown',
      help: '/proc/vmstat information field oom_kill.',
      series: (emit) => {
        for (const n of fleet.nodes) {
          const ts = killsOnNode.get(n.name) ?? [];
          emit(nodeLabels(n), n.createdMs, nodeEnd(n), (t) => ts.filter((k) => k <= t).length);
        }
      },
    },
    {
      name: 'node_vmstat_pgmajfault',
      type: 'unknown',
      help: '/proc/vmstat information field pgmajfault.',
      series: (emit) => {
        // Major faults: a steady trickle, and many more while memory is full (file pages refaulted under reclaim).
        for (const n of fleet.nodes)
          emit(nodeLabels(n), n.createdMs, nodeEnd(n), (t) =>
            Math.round(
              (n.majfaultPerSecond * (t - n.createdMs)) / 1000 + 400 * stalledSeconds(n.psi.full, n.createdMs, t),
            ),
          );
      },
    },
  ];
}

/** The node's PSI rates (percent) at t, as `rate(node_pressure_memory_*_seconds_total)` × 100 shows them. */
export function nodePressureAt(n: FleetNode, t: number): { some: number; full: number } {
  return { some: rateAt(n.psi.some, t), full: rateAt(n.psi.full, t) };
}
