/**
 * A fleet's live state as API server objects (core/v1 Node, Pod, Event; apps/v1 and batch/v1 workloads), shapes as in
 * staging/src/k8s.io/api/{core,apps,batch}/v1/types.go and as world.ts draws the single-node demo.
 */
import { containerRuns, evictionOf, killsOf, phaseAt, restartsAt } from './fleetRuns';
import { evictionMessage } from './fleetParts';
import type { Fleet, FleetContainer, FleetEvent, FleetNode, FleetPod, FleetWorkload } from './fleetTypes';
import { HOUR } from './fleetTypes';

export const iso = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

export function nodeObject(fleet: Fleet, n: FleetNode): object {
  const at = iso(fleet.now);
  // Every node is healthy at `now`: fleet-c's MemoryPressure (the eviction, 40 min ago) ended 35 min ago.
  const cond = (type: string, status: boolean, reason: string, message: string): object => ({
    type,
    status: status ? 'True' : 'False',
    lastHeartbeatTime: at,
    lastTransitionTime: iso(n.createdMs),
    reason,
    message,
  });
  return {
    kind: 'Node',
    apiVersion: 'v1',
    metadata: {
      name: n.name,
      uid: n.uid,
      resourceVersion: '4711',
      creationTimestamp: iso(n.createdMs),
      labels: {
        'kubernetes.io/hostname': n.name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'node.kubernetes.io/instance-type': 'e2-standard-4',
      },
    },
    spec: { podCIDR: '10.244.1.0/24', providerID: `gce://demo/europe-west1-b/${n.name}` },
    status: {
      capacity: { cpu: '4', memory: `${n.capacityBytes / 1024}Ki`, pods: '110' },
      allocatable: { cpu: '3920m', memory: `${n.allocatableBytes / 1024}Ki`, pods: '110' },
      conditions: [
        cond('MemoryPressure', false, 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        cond('DiskPressure', false, 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        cond('PIDPressure', false, 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        cond('Ready', true, 'KubeletReady', 'kubelet is posting ready status'),
      ],
      addresses: [
        { type: 'InternalIP', address: n.internalIP },
        { type: 'Hostname', address: n.name },
      ],
      nodeInfo: {
        kubeletVersion: 'v1.34.2',
        kubeProxyVersion: 'v1.34.2',
        containerRuntimeVersion: 'containerd://1.7.24',
        kernelVersion: '6.1.0-28-cloud-amd64',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        operatingSystem: 'linux',
        architecture: 'amd64',
        // NodeSystemInfo.swap (core/v1 NodeSwapStatus, 1.30+): the kubelet reports the swap capacity in bytes.
        ...(n.swap ? { swap: { capacity: n.swap.capacityBytes } } : {}),
      },
    },
  };
}

function resources(c: Pick<FleetContainer, 'request' | 'limit'>): object {
  return {
    ...(c.request ? { requests: { cpu: '100m', memory: c.request } } : {}),
    ...(c.limit ? { limits: { memory: c.limit } } : {}),
  };
}

function containerSpec(c: Pick<FleetContainer, 'name' | 'image' | 'type' | 'request' | 'limit'>): object {
  return {
    name: c.name,
    image: c.image,
    resources: resources(c),
    ...(c.type === 'sidecar' ? { restartPolicy: 'Always' } : {}),
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: 'IfNotPresent',
  };
}

/** A container's status at `now` (core/v1 ContainerStatus): its current run, the last one's termination, restarts. */
function containerStatus(fleet: Fleet, pod: FleetPod, c: FleetContainer): object {
  const runs = containerRuns(fleet, pod, c.name);
  const cur = runs[runs.length - 1]!;
  const prev = runs.length > 1 ? runs[runs.length - 2]! : null;
  const terminated = (r: typeof cur, reason: string): object => ({
    exitCode: 137,
    reason,
    startedAt: iso(r.startMs),
    finishedAt: iso(r.endMs ?? fleet.now),
    containerID: `containerd://${r.containerId}`,
  });
  const state =
    cur.endMs === null
      ? { running: { startedAt: iso(cur.startMs) } }
      : { terminated: terminated(cur, cur.endedBy?.reason === 'OOMKilled' ? 'OOMKilled' : 'Error') };
  return {
    name: c.name,
    state,
    lastState: prev
      ? { terminated: terminated(prev, prev.endedBy?.reason === 'OOMKilled' ? 'OOMKilled' : 'Error') }
      : {},
    ready: cur.endMs === null,
    restartCount: restartsAt(runs, fleet.now),
    image: c.image,
    imageID: `${c.image.replace(/:.*$/, '')}@sha256:${'5e1a'.repeat(16)}`,
    containerID: `containerd://${cur.containerId}`,
    started: cur.endMs === null,
    resources: resources(c),
  };
}

export function podObject(fleet: Fleet, p: FleetPod): object {
  const ev = evictionOf(fleet, p);
  const phase = phaseAt(fleet, p, fleet.now);
  const regular = p.containers.filter((c) => c.type === 'container');
  const sidecars = p.containers.filter((c) => c.type === 'sidecar');
  const ctl = p.owners[0];
  const evicted = ev ? p.containers.find((c) => c.name === ev.container) : undefined;
  return {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: {
      name: p.name,
      namespace: p.namespace,
      uid: p.uid,
      resourceVersion: String(5000 + (killsOf(fleet, p).length + 1) * 7),
      creationTimestamp: iso(p.startMs),
      labels: p.labels,
      ...(ctl?.kind === 'ReplicaSet' ? { generateName: `${ctl.name}-` } : {}),
      ownerReferences: ctl
        ? [
            {
              apiVersion: ctl.apiVersion,
              kind: ctl.kind,
              name: ctl.name,
              uid: ctl.uid,
              controller: true,
              blockOwnerDeletion: true,
            },
          ]
        : [],
    },
    spec: {
      nodeName: p.node,
      restartPolicy: p.restartPolicy,
      schedulerName: 'default-scheduler',
      serviceAccountName: 'default',
      terminationGracePeriodSeconds: 30,
      containers: regular.map(containerSpec),
      ...(sidecars.length ? { initContainers: sidecars.map(containerSpec) } : {}),
      ...(ctl?.kind === 'StatefulSet' ? { hostname: p.name, subdomain: ctl.name } : {}),
    },
    status: {
      phase,
      ...(ev
        ? {
            reason: 'Evicted',
            message: evictionMessage(ev.container, Math.round((ev.usageBytes ?? 0) / 1024), evicted?.request ?? '0'),
          }
        : {}),
      conditions: [
        { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: iso(p.startMs) },
        {
          type: 'Ready',
          status: phase === 'Running' ? 'True' : 'False',
          lastProbeTime: null,
          lastTransitionTime: iso(p.startMs + 8000),
        },
      ],
      hostIP: p.hostIP,
      hostIPs: [{ ip: p.hostIP }],
      podIP: p.podIP,
      podIPs: [{ ip: p.podIP }],
      startTime: iso(p.startMs),
      qosClass: p.qos,
      containerStatuses: regular.map((c) => containerStatus(fleet, p, c)),
      ...(sidecars.length ? { initContainerStatuses: sidecars.map((c) => containerStatus(fleet, p, c)) } : {}),
    },
  };
}

/** The pod's selectable fields (fleetSelectors.ts POD_FIELDS), from the model without building the object. */
export function podFields(fleet: Fleet, p: FleetPod): Record<string, string> {
  return {
    'metadata.name': p.name,
    'metadata.namespace': p.namespace,
    'spec.nodeName': p.node,
    'spec.restartPolicy': p.restartPolicy,
    'spec.schedulerName': 'default-scheduler',
    'spec.serviceAccountName': 'default',
    'spec.hostNetwork': 'false',
    'status.phase': phaseAt(fleet, p, fleet.now),
    'status.podIP': p.podIP,
    'status.podIPs': p.podIP,
    'status.nominatedNodeName': '',
  };
}

const pseudoHex = (s: string, len: number): string => {
  let h = 7;
  let out = '';
  for (let i = 0; out.length < len; i++) {
    h = (Math.imul(h ^ s.charCodeAt(i % s.length), 2654435761) + i) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, len);
};

export function eventObject(e: FleetEvent): object {
  return {
    kind: 'Event',
    apiVersion: 'v1',
    metadata: {
      name: `${e.name}.${pseudoHex(`${e.name}${e.reason}${e.tMs}`, 16)}`,
      namespace: e.namespace,
      uid: `${pseudoHex(`${e.tMs}${e.name}`, 8)}-${pseudoHex(e.reason, 4)}-4${pseudoHex(e.uid, 3)}-9${pseudoHex(e.message, 3)}-${pseudoHex(`${e.reason}${e.tMs}`, 12)}`,
      resourceVersion: String(Math.floor(e.tMs / 1000) % 1e7),
      creationTimestamp: iso(e.tMs),
    },
    involvedObject: {
      kind: e.kind,
      namespace: e.kind === 'Node' ? undefined : e.namespace,
      name: e.name,
      uid: e.uid,
      apiVersion: e.apiVersion,
    },
    reason: e.reason,
    message: e.message,
    source: { component: e.component, ...(e.host ? { host: e.host } : {}) },
    firstTimestamp: iso(e.tMs),
    lastTimestamp: iso(e.tMs),
    count: 1,
    type: e.type,
    eventTime: null,
    reportingComponent: e.component,
    reportingInstance: e.host,
  };
}

export function eventFields(e: FleetEvent): Record<string, string> {
  return {
    'metadata.name': `${e.name}.${pseudoHex(`${e.name}${e.reason}${e.tMs}`, 16)}`,
    'metadata.namespace': e.namespace,
    'involvedObject.kind': e.kind,
    'involvedObject.namespace': e.kind === 'Node' ? '' : e.namespace,
    'involvedObject.name': e.name,
    'involvedObject.uid': e.uid,
    'involvedObject.apiVersion': e.apiVersion,
    'involvedObject.resourceVersion': '',
    'involvedObject.fieldPath': '',
    reason: e.reason,
    reportingComponent: e.component,
    source: e.component,
    type: e.type,
  };
}

/** Whether the event is still in the API server (kube-apiserver --event-ttl, default 1 h). */
export const withinTtl = (fleet: Fleet, e: FleetEvent): boolean => e.tMs > fleet.now - HOUR;

const GROUP: Record<FleetWorkload['kind'], string> = {
  Deployment: 'apps/v1',
  ReplicaSet: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  Job: 'batch/v1',
  CronJob: 'batch/v1',
};

/** A workload object: spec.selector, spec.template with the containers' resources, a plausible status. */
export function workloadObject(fleet: Fleet, w: FleetWorkload): object {
  const template = {
    metadata: { labels: w.selector },
    spec: {
      restartPolicy: w.kind === 'Job' || w.kind === 'CronJob' ? 'Never' : 'Always',
      containers: w.containers.filter((c) => c.type === 'container').map(containerSpec),
      ...(w.containers.some((c) => c.type === 'sidecar')
        ? { initContainers: w.containers.filter((c) => c.type === 'sidecar').map(containerSpec) }
        : {}),
    },
  };
  const selector = { matchLabels: w.selector };
  const metadata = {
    name: w.name,
    namespace: w.namespace,
    uid: w.uid,
    resourceVersion: '6120',
    generation: 1,
    creationTimestamp: iso(w.createdMs),
    labels: w.kind === 'Job' ? w.selector : { app: w.selector['app'] ?? w.name },
    ...(w.owner
      ? {
          ownerReferences: [
            {
              apiVersion: w.owner.apiVersion,
              kind: w.owner.kind,
              name: w.owner.name,
              uid: w.owner.uid,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        }
      : {}),
  };
  const base = { kind: w.kind, apiVersion: GROUP[w.kind], metadata };
  switch (w.kind) {
    case 'CronJob':
      return {
        ...base,
        spec: {
          schedule: '0 * * * *',
          concurrencyPolicy: 'Forbid',
          successfulJobsHistoryLimit: 3,
          failedJobsHistoryLimit: 1,
          jobTemplate: { spec: { backoffLimit: 0, template } },
        },
        status: { lastScheduleTime: iso(fleet.now - 55 * 60_000) },
      };
    case 'Job': {
      const pods = w.containers.length ? 1 : 0;
      return {
        ...base,
        spec: {
          parallelism: 1,
          completions: 1,
          backoffLimit: 0,
          selector,
          template: { ...template, metadata: { labels: w.selector } },
        },
        status: {
          startTime: iso(w.createdMs),
          failed: pods,
          conditions: [
            {
              type: 'Failed',
              status: 'True',
              reason: 'BackoffLimitExceeded',
              message: 'Job has reached the specified backoff limit',
              lastProbeTime: iso(w.createdMs + 5 * 60_000),
              lastTransitionTime: iso(w.createdMs + 5 * 60_000),
            },
          ],
        },
      };
    }
    case 'StatefulSet':
      return {
        ...base,
        spec: { replicas: w.replicas, selector, serviceName: w.name, template, podManagementPolicy: 'OrderedReady' },
        status: { replicas: w.replicas, readyReplicas: w.replicas, currentReplicas: w.replicas, observedGeneration: 1 },
      };
    case 'DaemonSet':
      return {
        ...base,
        spec: { selector, template },
        status: { desiredNumberScheduled: w.replicas, numberReady: w.replicas },
      };
    default:
      return {
        ...base,
        spec: { replicas: w.replicas, selector, template },
        status: {
          replicas: w.replicas,
          readyReplicas: w.replicas,
          availableReplicas: w.replicas,
          observedGeneration: 1,
        },
      };
  }
}
