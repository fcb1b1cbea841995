// HAND-WRITTEN PanelSnapshot values for the browser tests, following the real shapes the
// extension builds (src/panel/snapshot.ts from the cluster layer's NodeAnalysis): the
// thrash-then-system-OOM story of the demo scenario, and a large 24 h / 30 pod case.
import type { KillMarker, ManifestPod, MemorySeries, PanelSnapshot, StallSeries } from '../../src/shared/panelProtocol';
import type { PhaseInterval, StallPoint } from '../../src/core/oom/verdictTypes';

const MIN = 60_000;
const MI = 1024 * 1024;

function stallSeries(
  scope: string,
  label: string,
  from: number,
  to: number,
  stepMs: number,
  f: (t: number) => { some: number; full: number },
): StallSeries {
  const points: StallPoint[] = [];
  for (let t = from; t <= to; t += stepMs) {
    const v = f(t);
    points.push({ t, somePercent: v.some, fullPercent: v.full, exact: true });
  }
  return { scope, label, points };
}

function memorySeries(
  scope: string,
  label: string,
  from: number,
  to: number,
  stepMs: number,
  f: (t: number) => number,
  extra: Partial<MemorySeries>,
): MemorySeries {
  const points = [];
  for (let t = from; t <= to; t += stepMs) points.push({ t, workingSetBytes: Math.round(f(t)) });
  return { scope, label, points, ...extra };
}

/** Bump between a and b (0..1), smooth edges. */
const bump = (t: number, a: number, b: number): number =>
  t <= a || t >= b ? 0 : Math.sin((Math.PI * (t - a)) / (b - a));

export const DEMO = {
  /** 2 h of node data; the system OOM 30 min before `now`. */
  phaseBoxesNode: 3,
  phaseBoxesWithApi: 4,
  killMarkers: 3,
  timelineRows: 4,
  manifestUri: 'file:///work/main/examples/shop.yaml',
};

export function demoSnapshot(now: number, live = true): PanelSnapshot {
  const from = now - 120 * MIN;
  const oomAt = now - 30 * MIN;
  const nodeRate = (t: number): { some: number; full: number } => {
    const ramp = bump(t, now - 62 * MIN, now - 23 * MIN);
    const thrash = bump(t, now - 36 * MIN, now - 29.5 * MIN);
    return { some: 2 + 22 * ramp + 40 * thrash + (t % 7) * 0.2, full: 0.5 + 6 * ramp + 30 * thrash };
  };
  const apiRate = (t: number): { some: number; full: number } => {
    const thrash = bump(t, now - 35 * MIN, now - 29.8 * MIN);
    return { some: 1 + 35 * thrash, full: 0.5 + 25 * thrash };
  };
  const stall = [
    stallSeries('node', 'node worker-1', from, now, 10_000, nodeRate),
    stallSeries('pod:shop/api-7d9f8c6b5-x2k4p', 'api-7d9f8c6b5-x2k4p', from, now, 10_000, apiRate),
    stallSeries(
      'pod:shop/checkout-worker-5c8d7f9b4-q7m2n',
      'checkout-worker-5c8d7f9b4-q7m2n',
      from,
      now,
      10_000,
      (t) => ({
        some: 1 + 10 * bump(t, now - 40 * MIN, now - 28 * MIN),
        full: 5 * bump(t, now - 38 * MIN, now - 30 * MIN),
      }),
    ),
  ];
  const phases: PhaseInterval[] = [
    {
      scope: 'node',
      phase: 'pressure',
      start: now - 58 * MIN,
      end: now - 35 * MIN,
      peakSomePercent: 24,
      peakFullPercent: 7,
      signals: '',
      begunBy: now - 58 * MIN,
    },
    {
      scope: 'node',
      phase: 'thrashing',
      start: now - 35 * MIN,
      end: now - 30 * MIN,
      peakSomePercent: 62,
      peakFullPercent: 36,
      signals: '',
      begunBy: now - 35 * MIN,
    },
    {
      scope: 'node',
      phase: 'pressure',
      start: now - 30 * MIN,
      end: now - 25 * MIN,
      peakSomePercent: 18,
      peakFullPercent: 4,
      signals: '',
      begunBy: now - 30 * MIN,
    },
    {
      scope: 'pod:shop/api-7d9f8c6b5-x2k4p',
      phase: 'thrashing',
      start: now - 34 * MIN,
      end: now - 30 * MIN,
      peakSomePercent: 36,
      peakFullPercent: 26,
      signals: '',
      begunBy: now - 34 * MIN,
    },
  ];
  const kills: KillMarker[] = [
    {
      id: 'oom-system-1',
      t: oomAt,
      kind: 'oom',
      class: 'system',
      classText: 'victim of node memory pressure: the whole node ran out (BestEffort goes first)',
      namespace: 'batch',
      pod: 'report-generator-29150420-7xk2q',
      container: 'report',
      qosClass: 'BestEffort',
      precededBy: 'thrashing',
      precededText: 'thrashing for 5m 0s before the kill',
      evidence: [
        'event SystemOOM: System OOM encountered, victim process: report, pid: 4481',
        'kernel: Out of memory: Killed process 4481 (report) total-vm:2313412kB, anon-rss:1862312kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:3832kB oom_score_adj:1000',
      ],
    },
    {
      id: 'oom-api-1',
      t: now - 80 * MIN,
      kind: 'oom',
      class: 'container-limit',
      classText: 'hit its own 512Mi limit',
      namespace: 'shop',
      pod: 'api-7d9f8c6b5-x2k4p',
      container: 'api',
      qosClass: 'Burstable',
      precededBy: null,
      precededText: 'sudden: no thrashing in the 5 minutes before',
      evidence: ['pod status OOMKilled (lastState, exit 137)'],
      manifest: { uri: DEMO.manifestUri, line: 11 },
    },
    {
      id: 'evict-1',
      t: now - 20 * MIN,
      kind: 'eviction',
      class: 'eviction',
      classText: 'evicted by the kubelet under node memory pressure',
      namespace: 'batch',
      pod: 'cleanup-28999-abcde',
      container: null,
      qosClass: 'BestEffort',
      precededBy: 'pressure',
      precededText: 'memory pressure for 5m 0s before the eviction',
      evidence: ['event Evicted: The node was low on resource: memory. Threshold quantity: 100Mi, available: 91236Ki.'],
    },
    {
      id: 'oom-unknown-1',
      t: null,
      kind: 'oom',
      class: 'unknown',
      classText: 'killed with exit code 137; no OOM evidence says which limit',
      namespace: 'shop',
      pod: 'checkout-worker-5c8d7f9b4-q7m2n',
      container: 'worker',
      qosClass: 'Guaranteed',
      precededBy: null,
      precededText: 'no time known, so nothing to compare with',
      evidence: ['pod status Error (lastState, exit 137)'],
      manifest: { uri: DEMO.manifestUri, line: 40 },
    },
  ];
  const memory: MemorySeries[] = [
    memorySeries(
      'node',
      'node worker-1',
      from,
      now,
      10_000,
      (t) => 2600 * MI + 900 * MI * bump(t, now - 62 * MIN, now - 29.9 * MIN),
      { allocatableBytes: 3584 * MI },
    ),
    memorySeries(
      'pod:shop/api-7d9f8c6b5-x2k4p',
      'api-7d9f8c6b5-x2k4p',
      from,
      now,
      10_000,
      (t) => 300 * MI + 180 * MI * bump(t, now - 40 * MIN, now - 29.9 * MIN),
      { requestBytes: 256 * MI, limitBytes: 512 * MI },
    ),
  ];
  const manifestPods: ManifestPod[] = [
    {
      workload: 'Deployment/api',
      namespace: 'shop',
      pod: 'api-7d9f8c6b5-x2k4p',
      qosClass: 'Burstable',
      restarts: 3,
      lastOom: now - 80 * MIN,
      somePercent: 1.2,
      fullPercent: 0.5,
      manifest: { uri: DEMO.manifestUri, line: 1 },
    },
    {
      workload: 'Deployment/checkout-worker',
      namespace: 'shop',
      pod: 'checkout-worker-5c8d7f9b4-q7m2n',
      qosClass: 'Guaranteed',
      restarts: 1,
      lastOom: null,
      somePercent: 0.8,
      fullPercent: 0,
      manifest: { uri: DEMO.manifestUri, line: 30 },
    },
  ];
  return {
    title: 'Node worker-1 · context kind-demo',
    target: { kind: 'node', node: 'worker-1', context: 'kind-demo' },
    generatedAt: now,
    precursorWindowSeconds: 300,
    node: {
      name: 'worker-1',
      capacityBytes: 4096 * MI,
      allocatableBytes: 3584 * MI,
      memoryPressure: { status: 'False', since: now - 24 * MIN },
    },
    sources: {
      node: 'ok',
      pods: 'ok',
      events: 'ok',
      summary: 'ok',
      cadvisor:
        'forbidden: Forbidden: reading cAdvisor metrics needs get on nodes/proxy; showing events and pod status only.',
      metrics: 'ok',
      prometheus: 'unavailable: No Prometheus found; set oomscope.prometheus.url for history beyond this session.',
    },
    stall,
    memory,
    phases,
    kills,
    manifestPods,
    notes: ['History starts when polling started (2h ago); set oomscope.prometheus.url to backfill.'],
    live,
  };
}

/**
 * 24 h at 10 s for the node and `pods` pods, with their manifest rows (smoothness case).
 * Self-contained (no outer references) so a test can run it inside the page: a 40 MB snapshot
 * is slow to push through the DevTools protocol, and that transfer is not what is measured.
 */
export function largeSnapshot(now: number, pods = 30): PanelSnapshot {
  const MINUTE = 60_000;
  const MIB = 1024 * 1024;
  const from = now - 24 * 60 * MINUTE;
  const uri = 'file:///work/main/examples/shop.yaml';
  const wave = (t: number, k: number): number =>
    5 + 4 * Math.sin(t / (600_000 + k * 1000)) + ((t / 10_000 + k) % 13) * 0.3;
  const stall: StallSeries[] = [];
  const memory: MemorySeries[] = [];
  const manifestPods: ManifestPod[] = [];
  for (let k = 0; k <= pods; k++) {
    const scope = k === 0 ? 'node' : `pod:shop/web-${k}`;
    const label = k === 0 ? 'node worker-1' : `web-${k}`;
    const points: StallPoint[] = [];
    const mem: { t: number; workingSetBytes: number }[] = [];
    for (let t = from; t <= now; t += 10_000) {
      const w = wave(t, k);
      points.push({ t, somePercent: w, fullPercent: w / 3, exact: true });
      mem.push({ t, workingSetBytes: Math.round((k === 0 ? 2000 : 100) * MIB + 20 * MIB * Math.sin(t / 700_000 + k)) });
    }
    stall.push({ scope, label, points });
    memory.push(
      k === 0
        ? { scope, label, points: mem, allocatableBytes: 3584 * MIB }
        : { scope, label, points: mem, requestBytes: 128 * MIB, limitBytes: 256 * MIB },
    );
    if (k > 0) {
      manifestPods.push({
        workload: 'Deployment/web',
        namespace: 'shop',
        pod: `web-${k}`,
        qosClass: 'Burstable',
        restarts: k % 3,
        lastOom: null,
        somePercent: 3,
        fullPercent: 1,
        manifest: { uri, line: 1 },
      });
    }
  }
  return {
    title: 'Node worker-1 · 24 h, 30 pods',
    target: { kind: 'node', node: 'worker-1', context: 'kind-demo' },
    generatedAt: now,
    precursorWindowSeconds: 300,
    node: {
      name: 'worker-1',
      capacityBytes: 4096 * MIB,
      allocatableBytes: 3584 * MIB,
      memoryPressure: { status: 'False', since: null },
    },
    sources: { node: 'ok', pods: 'ok', events: 'ok', summary: 'ok' },
    stall,
    memory,
    phases: [],
    kills: [],
    manifestPods,
    notes: [],
    live: true,
  };
}
