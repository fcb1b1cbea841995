// GENERATED test data, not a recording: a WorkloadAnalysis (src/cluster/analysis/workloadTypes.ts) built by hand
// for the workload panel's tests while the engine is built. It follows the types' shapes: kills are analyze-node
// KillRecords (killRecord() of src/cluster/analysis/apiKills.ts) plus node / foundIn / working set at the kill,
// working-set lines per container with their own request and limit, node PSI from node-exporter.
import { killRecord } from '../../src/cluster/analysis/apiKills';
import type { WorkloadAnalysis, WorkloadKill } from '../../src/cluster/index';

export const MI = 1024 * 1024;
const MIN = 60_000;

/** The sample's facts the tests check against. */
export const SAMPLE = {
  context: 'kind-demo',
  livePod: 'api-7d9f8c6b5-x2k4q',
  gonePod: 'api-7d9f8c6b5-9qzmt',
  goneNode: 'worker-retired-3',
  liveNode: 'demo-worker-1',
  containers: [
    { name: 'api', requestBytes: 256 * MI, limitBytes: 512 * MI },
    { name: 'log-shipper', requestBytes: 64 * MI, limitBytes: 128 * MI },
  ],
  missingSource: 'events',
  missingSentence:
    'events is forbidden: User "dev" cannot list resource "events" in API group "" in the namespace "shop"; kills are told by pod status and Prometheus only',
} as const;

function kill(
  over: Partial<WorkloadKill> & Pick<WorkloadKill, 'id' | 'kind' | 't' | 'class' | 'evidence'>,
): WorkloadKill {
  return {
    ...killRecord(over),
    precededBy: over.precededBy ?? null,
    precedingSeconds: over.precedingSeconds ?? null,
    precededJudged: over.precededJudged ?? true,
    fromHistory: false,
    node: over.node ?? null,
    foundIn: over.foundIn ?? ['api'],
    tSpanMs: over.tSpanMs ?? 0,
    workingSetAtKillBytes: over.workingSetAtKillBytes ?? null,
    nodePressure: over.nodePressure ?? null,
  };
}

/** A day of Deployment/api in namespace shop ending at `now`: three OOM kills, one eviction, a pod on a gone node. */
export function workloadSample(now: number, opts: { pointsPerLine?: number } = {}): WorkloadAnalysis {
  const since = now - 24 * 60 * MIN;
  const n = opts.pointsPerLine ?? 288;
  const step = (now - since) / n;
  const t1 = now - 3 * 60 * MIN;
  const t2 = now - 9 * 60 * MIN;
  const t3 = now - 20 * 60 * MIN;
  const tEvict = now - 14 * 60 * MIN;
  const owner = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'api-7d9f8c6b5', uid: 'rs-1', controller: true }];
  const line = (container: string, base: number, peak: number, limit: number, request: number) => ({
    scope: `container:shop/api/${container}`,
    label: container,
    stall: [],
    memory: Array.from({ length: n }, (_, i) => {
      const t = since + i * step;
      // A saw tooth that climbs towards the limit before each kill and drops after it.
      const toKill = [t1, t2, t3].map((k) => k - t).filter((d) => d >= 0);
      const near = toKill.length ? Math.max(0, 1 - Math.min(...toKill) / (90 * MIN)) : 0;
      return { t, workingSetBytes: Math.round(base + (peak - base) * near) };
    }),
    requestBytes: request,
    limitBytes: limit,
  });
  const pressure = (peakAt: number[]) =>
    Array.from({ length: n }, (_, i) => {
      const t = since + i * step;
      const d = Math.min(...peakAt.map((k) => Math.abs(k - t)));
      const some = d < 10 * MIN ? 45 * (1 - d / (10 * MIN)) : 0.4;
      return { t, some, full: some * 0.6 };
    });
  const c = SAMPLE.containers;
  return {
    version: 1,
    context: SAMPLE.context,
    generatedAt: now,
    since,
    workload: { kind: 'Deployment', name: 'api', namespace: 'shop' },
    selector: 'app=api',
    qosClass: 'Burstable',
    pods: [
      { name: SAMPLE.livePod, uid: 'p-1', node: SAMPLE.liveNode, phase: 'Running', restarts: 2, live: true },
      { name: SAMPLE.gonePod, uid: null, node: SAMPLE.goneNode, phase: null, restarts: 1, live: false },
    ],
    ooms: [
      kill({
        id: 'k1',
        kind: 'oom',
        t: t1,
        class: 'container-limit',
        qosClass: 'Burstable',
        namespace: 'shop',
        pod: SAMPLE.livePod,
        container: 'api',
        containerType: 'container',
        limitBytes: c[0].limitBytes,
        ownerReferences: owner,
        precededBy: 'thrashing',
        precedingSeconds: 130,
        evidence: ['pod status OOMKilled (lastState, exit 137)', 'kube_pod_container_status_last_terminated_reason'],
        node: SAMPLE.liveNode,
        foundIn: ['api', 'prometheus'],
        workingSetAtKillBytes: 509 * MI,
        nodePressure: { someMaxPercent: 12.5, fullMaxPercent: 4 },
      }),
      kill({
        id: 'k2',
        kind: 'oom',
        t: t2,
        class: 'container-limit',
        qosClass: 'Burstable',
        namespace: 'shop',
        pod: SAMPLE.livePod,
        container: 'log-shipper',
        containerType: 'sidecar',
        limitBytes: c[1].limitBytes,
        ownerReferences: owner,
        precededBy: null,
        evidence: ['kube_pod_container_status_last_terminated_reason{reason="OOMKilled"}'],
        node: SAMPLE.liveNode,
        foundIn: ['prometheus'],
        workingSetAtKillBytes: 127 * MI,
      }),
      kill({
        id: 'k3',
        kind: 'oom',
        t: t3,
        class: 'system',
        qosClass: 'Burstable',
        namespace: 'shop',
        pod: SAMPLE.gonePod,
        container: 'api',
        containerType: 'container',
        limitBytes: c[0].limitBytes,
        ownerReferences: owner,
        precededBy: 'pressure',
        precedingSeconds: 240,
        evidence: ['node_vmstat_oom_kill increased by 1 on worker-retired-3'],
        node: SAMPLE.goneNode,
        foundIn: ['prometheus', 'history'],
        workingSetAtKillBytes: 300 * MI,
        nodePressure: { someMaxPercent: 45, fullMaxPercent: 27 },
      }),
    ],
    evictions: [
      kill({
        id: 'e1',
        kind: 'eviction',
        t: tEvict,
        class: 'eviction',
        qosClass: 'Burstable',
        namespace: 'shop',
        pod: SAMPLE.gonePod,
        container: null,
        precededBy: 'pressure',
        precedingSeconds: 60,
        evidence: ['history store: pod Evicted (The node was low on resource: memory.)'],
        node: SAMPLE.goneNode,
        foundIn: ['history'],
      }),
    ],
    containers: [
      {
        name: c[0].name,
        containerType: 'container',
        requestBytes: c[0].requestBytes,
        limitBytes: c[0].limitBytes,
        workingSet: { p50: 210 * MI, p95: 460 * MI, max: 509 * MI },
        atKills: [
          { t: t3, bytes: 300 * MI },
          { t: t1, bytes: 509 * MI },
        ],
      },
      {
        name: c[1].name,
        containerType: 'sidecar',
        requestBytes: c[1].requestBytes,
        limitBytes: c[1].limitBytes,
        workingSet: { p50: 40 * MI, p95: 110 * MI, max: 127 * MI },
        atKills: [{ t: t2, bytes: 127 * MI }],
      },
    ],
    nodes: [
      {
        name: SAMPLE.liveNode,
        present: true,
        pods: [SAMPLE.livePod],
        capacityBytes: 16 * 1024 * MI,
        swapCapacityBytes: null,
        swapBehavior: null,
        pressure: pressure([t1]),
      },
      {
        name: SAMPLE.goneNode,
        present: false,
        pods: [SAMPLE.gonePod],
        capacityBytes: null,
        swapCapacityBytes: null,
        swapBehavior: null,
        pressure: pressure([t3, tEvict]),
      },
    ],
    series: [
      line('api', 180 * MI, 509 * MI, c[0].limitBytes, c[0].requestBytes),
      line('log-shipper', 30 * MI, 127 * MI, c[1].limitBytes, c[1].requestBytes),
    ],
    sources: {
      workload: 'ok',
      pods: 'ok',
      events: `forbidden: ${SAMPLE.missingSentence}`,
      history: 'ok',
      prometheus: 'ok',
      'kube-state-metrics': 'ok',
      cadvisor: 'ok',
      'node-exporter': 'ok',
    },
    disagreements: [
      {
        pod: SAMPLE.livePod,
        container: 'log-shipper',
        sentence:
          'kube-state-metrics says OOMKilled at the last termination, while container_oom_events_total stayed 0 (a known cAdvisor gap).',
      },
    ],
    notes: ['History from Prometheus reaches back 24 h; the API server keeps events for one hour.'],
  };
}
