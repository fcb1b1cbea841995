/**
 * The `fleet` scenario (GENERATED, hand-drawn): three nodes and a deleted one, the workloads of namespace `shop`
 * whose pods died over the last 24 h (docs/testing.md "Fleet scenarios"), a CronJob whose Jobs come and go, a
 * StatefulSet with one pod per node, and a same-named Deployment in `staging` as noise. `makeFleet('fleet-scale')`
 * is in fleetScale.ts.
 */
import { through, uidOf, withBump } from './fleetCurves';
import { calmContainer, calmNode, container, evictionMessage, fleetNode, jobLabels, owner, qosOf } from './fleetParts';
import { makeScaleFleet } from './fleetScale';
import type {
  Fleet,
  FleetContainer,
  FleetEvent,
  FleetKill,
  FleetName,
  FleetNode,
  FleetOwner,
  FleetPod,
} from './fleetTypes';
import type { FleetScaleOptions, FleetWorkload } from './fleetTypes';
import { HOUR, MI, MINUTE } from './fleetTypes';

export type * from './fleetTypes';

/** The multi-node scenarios: served by fleetRoutes.ts, their history printed by fleetMetrics.ts. */
export function isFleetScenario(name: string): name is FleetName {
  return name === 'fleet' || name === 'fleet-scale';
}

export function makeFleet(name: FleetName, now: number, opts: FleetScaleOptions = {}): Fleet {
  return name === 'fleet' ? smallFleet(now) : makeScaleFleet(now, opts);
}

function smallFleet(now: number): Fleet {
  const ago = (ms: number): number => now - ms;
  // The kill times of the brief (docs/testing.md "Fleet scenarios").
  const tA = ago(20 * HOUR);
  const tB = ago(30 * MINUTE);
  const tC = ago(2 * HOUR);
  const tD = ago(40 * MINUTE);
  const tJobOld = ago(10 * HOUR);
  const tJobNew = ago(50 * MINUTE);
  const tStaging = ago(HOUR);
  const goneAt = ago(18 * HOUR);

  const nodes: FleetNode[] = [
    fleetNode('fleet-a', 1, now, withBump(calmNode(), tB, MINUTE, 12, 0.3)),
    // A system OOM: node PSI high for minutes before it (mm/oom_kill.c out_of_memory after reclaim failed).
    fleetNode('fleet-b', 2, now, withBump(calmNode(), tC, 8 * MINUTE, 65, 0.55)),
    // The eviction: MemoryPressure, PSI rising before the kubelet's eviction manager acted.
    // fleet-c has 4Gi of swap under LimitedSwap (what the hover's swap line reads for the workloads on it).
    {
      ...fleetNode('fleet-c', 3, now, withBump(calmNode(), tD, 6 * MINUTE, 35, 0.35)),
      swap: { capacityBytes: 4096 * MI, behavior: 'LimitedSwap' },
    },
    fleetNode('fleet-gone', 4, now, withBump(calmNode(), tA, 3 * MINUTE, 15, 0.3), goneAt),
  ];

  const deploy = owner('Deployment', 'api', 10);
  const rs = owner('ReplicaSet', 'api-7d9f8c6b5', 11);
  const sts = owner('StatefulSet', 'cache', 12);
  const cron = owner('CronJob', 'report-generator', 13);
  const jobOld = owner('Job', 'report-generator-29150420', 14);
  const jobNew = owner('Job', 'report-generator-29150480', 15);
  const stagingDeploy = owner('Deployment', 'api', 16);
  const stagingRs = owner('ReplicaSet', 'api-5f6d7c8b9', 17);

  const shipper = (): FleetContainer =>
    container('log-shipper', 32, 64, (t) => 38 + ((t / MINUTE) % 7), calmContainer(), 'sidecar');
  const apiLabels = { app: 'api', 'pod-template-hash': '7d9f8c6b5' };
  const old = ago(3 * 24 * HOUR);
  let ip = 10;
  const pod = (
    p: Pick<FleetPod, 'name' | 'namespace' | 'node' | 'labels' | 'owners' | 'containers'> & Partial<FleetPod>,
  ): FleetPod => {
    const n = nodes.findIndex((x) => x.name === p.node);
    ip++;
    return {
      uid: uidOf(100 + ip),
      qos: qosOf(p.containers),
      restartPolicy: 'Always',
      startMs: old,
      endMs: null,
      live: p.endMs === undefined || p.endMs === null,
      hostIP: nodes[n]!.internalIP,
      podIP: `10.244.${n + 1}.${ip}`,
      ...p,
    };
  };

  const pods: FleetPod[] = [
    pod({
      name: 'api-7d9f8c6b5-z9y8x',
      namespace: 'shop',
      node: 'fleet-gone',
      labels: apiLabels,
      owners: [rs, deploy],
      endMs: goneAt,
      containers: [
        container(
          'api',
          256,
          512,
          // Climbing to the limit over the hour before the kill; after the restart, from the start again.
          through([
            [ago(21 * HOUR), 300],
            [tA - 60_000, 498],
            [tA, 512],
            [tA + 10_000, 210],
            [goneAt, 330],
          ]),
          // Container PSI rising steeply in the 3 minutes before (reclaim inside the cgroup at its limit).
          withBump(calmContainer(), tA, 3 * MINUTE, 85, 0.7, 20_000),
        ),
        shipper(),
      ],
    }),
    pod({
      name: 'api-7d9f8c6b5-a1b2c',
      namespace: 'shop',
      node: 'fleet-a',
      labels: apiLabels,
      owners: [rs, deploy],
      containers: [
        container(
          'api',
          256,
          512,
          through([
            [ago(HOUR), 280],
            [tB - 90_000, 470],
            [tB - 20_000, 511],
            [tB, 512],
            [tB + 10_000, 240],
            [now, 300],
          ]),
          withBump(calmContainer(), tB, MINUTE, 70, 0.6, 20_000),
        ),
        shipper(),
      ],
    }),
    pod({
      name: 'api-7d9f8c6b5-d3e4f',
      namespace: 'shop',
      node: 'fleet-b',
      labels: apiLabels,
      owners: [rs, deploy],
      containers: [
        container(
          'api',
          256,
          512,
          // ~300Mi of 512Mi when the kernel's global OOM killer chose it: far below its limit.
          through([
            [ago(24 * HOUR), 296],
            [tC - 30 * MINUTE, 302],
            [tC, 304],
            [tC + 10_000, 230],
            [now, 290],
          ]),
          withBump(calmContainer(), tC, 8 * MINUTE, 30, 0.5),
        ),
        shipper(),
      ],
    }),
    pod({
      name: 'api-7d9f8c6b5-g5h6i',
      namespace: 'shop',
      node: 'fleet-c',
      labels: apiLabels,
      owners: [rs, deploy],
      containers: [
        container(
          'api',
          256,
          512,
          through([
            [ago(3 * HOUR), 300],
            [tD - 10 * MINUTE, 440],
            [tD, 470],
          ]),
          withBump(calmContainer(), tD, 6 * MINUTE, 25, 0.4),
        ),
        shipper(),
      ],
    }),
    pod({
      name: 'report-generator-29150420-k7x2m',
      namespace: 'batch',
      node: 'fleet-a',
      labels: jobLabels(jobOld),
      owners: [jobOld, cron],
      restartPolicy: 'Never',
      startMs: tJobOld - 6 * MINUTE,
      endMs: tJobOld + HOUR,
      containers: [
        container(
          'report-gen',
          512,
          1024,
          through([
            [tJobOld - 6 * MINUTE, 100],
            [tJobOld, 1024],
          ]),
          withBump(calmContainer(), tJobOld, 2 * MINUTE, 60, 0.6, 10_000),
        ),
      ],
    }),
    pod({
      name: 'report-generator-29150480-q4w8n',
      namespace: 'batch',
      node: 'fleet-b',
      labels: jobLabels(jobNew),
      owners: [jobNew, cron],
      restartPolicy: 'Never',
      startMs: tJobNew - 5 * MINUTE,
      containers: [
        container(
          'report-gen',
          512,
          1024,
          through([
            [tJobNew - 5 * MINUTE, 100],
            [tJobNew, 1024],
          ]),
          withBump(calmContainer(), tJobNew, 2 * MINUTE, 60, 0.6, 10_000),
        ),
      ],
    }),
    ...['fleet-a', 'fleet-b', 'fleet-c'].map((node, i) =>
      pod({
        name: `cache-${i}`,
        namespace: 'shop',
        node,
        labels: {
          app: 'cache',
          'apps.kubernetes.io/pod-index': String(i),
          'controller-revision-hash': 'cache-6c9d8f7b54',
          'statefulset.kubernetes.io/pod-name': `cache-${i}`,
        },
        owners: [sts],
        containers: [container('cache', 512, 1024, (t) => 200 + ((t / MINUTE + i * 5) % 6))],
      }),
    ),
    pod({
      name: 'api-5f6d7c8b9-s7t8u',
      namespace: 'staging',
      node: 'fleet-a',
      labels: { app: 'api', 'pod-template-hash': '5f6d7c8b9' },
      owners: [stagingRs, stagingDeploy],
      containers: [
        container(
          'api',
          256,
          512,
          through([
            [ago(2 * HOUR), 260],
            [tStaging, 512],
            [tStaging + 10_000, 220],
            [now, 260],
          ]),
          withBump(calmContainer(), tStaging, MINUTE, 50, 0.5, 20_000),
        ),
      ],
    }),
  ].sort((a, b) => (a.namespace + '/' + a.name).localeCompare(b.namespace + '/' + b.name));

  const kill = (
    namespace: string,
    podName: string,
    node: string,
    c: string,
    tMs: number,
    cls: FleetKill['class'],
  ): FleetKill => ({
    namespace,
    pod: podName,
    node,
    container: c,
    tMs,
    reason: 'OOMKilled',
    exitCode: 137,
    class: cls,
  });
  const eviction = (k: FleetKill): FleetKill => k;
  const kills: FleetKill[] = [
    kill('shop', 'api-7d9f8c6b5-z9y8x', 'fleet-gone', 'api', tA, 'container-limit'),
    kill('batch', 'report-generator-29150420-k7x2m', 'fleet-a', 'report-gen', tJobOld, 'container-limit'),
    kill('shop', 'api-7d9f8c6b5-d3e4f', 'fleet-b', 'api', tC, 'system'),
    kill('staging', 'api-5f6d7c8b9-s7t8u', 'fleet-a', 'api', tStaging, 'container-limit'),
    kill('batch', 'report-generator-29150480-q4w8n', 'fleet-b', 'report-gen', tJobNew, 'container-limit'),
    eviction({
      namespace: 'shop',
      pod: 'api-7d9f8c6b5-g5h6i',
      node: 'fleet-c',
      container: 'api',
      tMs: tD,
      reason: 'Evicted',
      exitCode: 137,
      class: 'eviction',
      usageBytes: 470 * MI,
    }),
    kill('shop', 'api-7d9f8c6b5-a1b2c', 'fleet-a', 'api', tB, 'container-limit'),
  ].sort((a, b) => a.tMs - b.tMs);

  const tpl = (p: FleetPod): FleetWorkload['containers'] =>
    p.containers.map(({ name, type, image, request, limit }) => ({ name, type, image, request, limit }));
  const apiPod = pods.find((p) => p.name === 'api-7d9f8c6b5-a1b2c')!;
  const wl = (w: Omit<FleetWorkload, 'createdMs' | 'live' | 'uid'> & Partial<FleetWorkload>, o: FleetOwner) => ({
    createdMs: ago(30 * 24 * HOUR),
    live: true,
    uid: o.uid,
    ...w,
  });
  const jobTpl = tpl(pods.find((p) => p.name.startsWith('report-generator-29150480'))!);
  const workloads: FleetWorkload[] = [
    wl(
      {
        kind: 'Deployment',
        name: 'api',
        namespace: 'shop',
        selector: { app: 'api' },
        owner: null,
        containers: tpl(apiPod),
        replicas: 3,
      },
      deploy,
    ),
    wl(
      {
        kind: 'ReplicaSet',
        name: rs.name,
        namespace: 'shop',
        selector: apiLabels,
        owner: deploy,
        containers: tpl(apiPod),
        replicas: 3,
      },
      rs,
    ),
    wl(
      {
        kind: 'StatefulSet',
        name: 'cache',
        namespace: 'shop',
        selector: { app: 'cache' },
        owner: null,
        containers: tpl(pods.find((p) => p.name === 'cache-0')!),
        replicas: 3,
      },
      sts,
    ),
    wl(
      {
        kind: 'CronJob',
        name: 'report-generator',
        namespace: 'batch',
        selector: {},
        owner: null,
        containers: jobTpl,
        replicas: 1,
      },
      cron,
    ),
    wl(
      {
        kind: 'Job',
        name: jobOld.name,
        namespace: 'batch',
        selector: { 'batch.kubernetes.io/controller-uid': jobOld.uid },
        owner: cron,
        containers: jobTpl,
        replicas: 1,
        createdMs: tJobOld - 6 * MINUTE,
        live: false,
      },
      jobOld,
    ),
    wl(
      {
        kind: 'Job',
        name: jobNew.name,
        namespace: 'batch',
        selector: { 'batch.kubernetes.io/controller-uid': jobNew.uid },
        owner: cron,
        containers: jobTpl,
        replicas: 1,
        createdMs: tJobNew - 5 * MINUTE,
      },
      jobNew,
    ),
    wl(
      {
        kind: 'Deployment',
        name: 'api',
        namespace: 'staging',
        selector: { app: 'api' },
        owner: null,
        containers: tpl(pods.find((p) => p.namespace === 'staging')!),
        replicas: 1,
      },
      stagingDeploy,
    ),
    wl(
      {
        kind: 'ReplicaSet',
        name: stagingRs.name,
        namespace: 'staging',
        selector: { app: 'api', 'pod-template-hash': '5f6d7c8b9' },
        owner: stagingDeploy,
        containers: tpl(pods.find((p) => p.namespace === 'staging')!),
        replicas: 1,
      },
      stagingRs,
    ),
  ];

  const events = smallFleetEvents(pods, nodes, { tB, tC, tD, tJobNew, tStaging }, jobNew);
  return {
    name: 'fleet',
    now,
    nodes,
    workloads,
    podCount: pods.length,
    pod: (i) => pods[i]!,
    findPod: (ns, n) => pods.find((p) => p.namespace === ns && p.name === n),
    kills,
    eventCount: events.length,
    event: (i) => events[i]!,
  };
}

function smallFleetEvents(
  pods: FleetPod[],
  nodes: FleetNode[],
  t: { tB: number; tC: number; tD: number; tJobNew: number; tStaging: number },
  jobNew: FleetOwner,
): FleetEvent[] {
  const out: FleetEvent[] = [];
  const podEv = (name: string, reason: string, type: FleetEvent['type'], message: string, tMs: number): void => {
    const p = pods.find((x) => x.name === name)!;
    const component = reason === 'Scheduled' ? 'default-scheduler' : 'kubelet';
    out.push({
      kind: 'Pod',
      name,
      namespace: p.namespace,
      uid: p.uid,
      apiVersion: 'v1',
      reason,
      type,
      component,
      host: component === 'kubelet' ? p.node : '',
      message,
      tMs,
    });
  };
  const nodeEv = (name: string, reason: string, type: FleetEvent['type'], message: string, tMs: number): void => {
    const n = nodes.find((x) => x.name === name)!;
    out.push({
      kind: 'Node',
      name,
      namespace: 'default',
      uid: n.uid,
      apiVersion: 'v1',
      reason,
      type,
      component: 'kubelet',
      host: name,
      message,
      tMs,
    });
  };
  const restarted = (name: string, c: string, at: number): void => {
    podEv(
      name,
      'Pulled',
      'Normal',
      `Container image "registry.example.com/${c}:1.4.2" already present on machine`,
      at + 9_000,
    );
    podEv(name, 'Created', 'Normal', `Created container: ${c}`, at + 9_500);
    podEv(name, 'Started', 'Normal', `Started container ${c}`, at + 10_000);
  };
  // (c) a system OOM on fleet-b 2 h ago: its events are past the TTL (kept here, dropped by the server).
  nodeEv('fleet-b', 'SystemOOM', 'Warning', 'System OOM encountered, victim process: api, pid: 48213', t.tC);
  restarted('api-7d9f8c6b5-d3e4f', 'api', t.tC);
  // The staging noise, 1 h ago (its kill event-less: a memcg OOM leaves only the restart's events).
  restarted('api-5f6d7c8b9-s7t8u', 'api', t.tStaging);
  // The new Job's pod, OOM-killed 50 min ago with restartPolicy Never: the Job controller gives up.
  const q = 'report-generator-29150480-q4w8n';
  const p = pods.find((x) => x.name === q)!;
  podEv(q, 'Scheduled', 'Normal', `Successfully assigned batch/${q} to ${p.node}`, t.tJobNew - 5 * MINUTE);
  podEv(
    q,
    'Pulled',
    'Normal',
    'Container image "registry.example.com/report-gen:1.4.2" already present on machine',
    t.tJobNew - 5 * MINUTE + 2_000,
  );
  podEv(q, 'Created', 'Normal', 'Created container: report-gen', t.tJobNew - 5 * MINUTE + 2_500);
  podEv(q, 'Started', 'Normal', 'Started container report-gen', t.tJobNew - 5 * MINUTE + 3_000);
  out.push({
    kind: 'Job',
    name: jobNew.name,
    namespace: 'batch',
    uid: jobNew.uid,
    apiVersion: 'batch/v1',
    reason: 'BackoffLimitExceeded',
    type: 'Warning',
    component: 'job-controller',
    host: '',
    message: 'Job has reached the specified backoff limit',
    tMs: t.tJobNew + 1_000,
  });
  // (d) the eviction on fleet-c 40 min ago (pkg/kubelet/eviction/eviction_manager.go, helpers.go messages).
  nodeEv(
    'fleet-c',
    'NodeHasInsufficientMemory',
    'Normal',
    'Node fleet-c status is now: NodeHasInsufficientMemory',
    t.tD - 20_000,
  );
  nodeEv('fleet-c', 'EvictionThresholdMet', 'Warning', 'Attempting to reclaim memory', t.tD - 10_000);
  podEv('api-7d9f8c6b5-g5h6i', 'Evicted', 'Warning', evictionMessage('api', 470 * 1024, '256Mi'), t.tD);
  podEv('api-7d9f8c6b5-g5h6i', 'Killing', 'Normal', 'Stopping container api', t.tD);
  podEv('api-7d9f8c6b5-g5h6i', 'Killing', 'Normal', 'Stopping container log-shipper', t.tD);
  nodeEv(
    'fleet-c',
    'NodeHasSufficientMemory',
    'Normal',
    'Node fleet-c status is now: NodeHasSufficientMemory',
    t.tD + 5 * MINUTE,
  );
  // (b) the container OOM on fleet-a 30 min ago: the kubelet reports only the restart.
  restarted('api-7d9f8c6b5-a1b2c', 'api', t.tB);
  return out.sort((a, b) => a.tMs - b.tMs);
}
