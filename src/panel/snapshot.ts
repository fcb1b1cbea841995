/**
 * Builds the PanelSnapshot the webview renders from the three sources: a node's analysis (cluster
 * layer), this machine's samples (local reader), an imported kernel log. No vscode here.
 */
import type { ObjectSummary } from '../core/manifest/analyze';
import { parseKernelLog } from '../core/oom/kernelLogParser';
import { judgeKills, killEvents, type KillVerdict } from '../core/oom/judge';
import { phasesFromSamples } from '../core/oom/phases';
import { classWords, groupKillSentence, notJudgedWords, precededWords } from '../core/oom/sentences';
import { groupByScope, psiCoverage, stallPoints } from '../core/oom/psi';
import { DEFAULT_PHASE_SETTINGS, type PhaseSettings } from '../core/oom/verdictTypes';
import type { KillRecord, LivePod, ManifestPodMatch, NodeAnalysis } from '../cluster/analysis/nodeAnalysisTypes';
import { killCoverage } from '../cluster/analysis/coverage';
import { psiSamplesOf, type LocalKernelLog, type LocalSample } from '../local/localReader';
import type { KillMarker, ManifestPod, MemorySeries, PanelSnapshot, StallSeries } from '../shared/panelProtocol';
import { capSeries } from './downsample';

/** The active manifest: its URI, analyzed objects, and (for a node) the matches to live pods. */
export interface ManifestContext {
  uri: string;
  objects: ObjectSummary[];
  matches: ManifestPodMatch[];
}

export interface SnapshotOptions {
  live: boolean;
  manifest?: ManifestContext;
  phaseSettings?: PhaseSettings;
}

const podKey = (ns: string | null, name: string | null): string => `${ns ?? ''}/${name ?? ''}`;

/** What came before a node's kill, as the cluster judged it (`judgePrecursor`): never "sudden" when not judged. */
export function precededText(k: KillRecord, windowSeconds: number): string {
  if (k.t === null) return 'no time known: cannot tell what came before';
  const words = k.precededJudged
    ? precededWords(k.precededBy, k.precedingSeconds, windowSeconds)
    : notJudgedWords('no-coverage');
  return k.kind === 'eviction' ? words.replace('before the kill', 'before the eviction') : words;
}

function containerLimitKb(k: KillRecord, pods: LivePod[]): number | null {
  if (k.class !== 'container-limit') return null;
  const pod = pods.find((p) => p.namespace === k.namespace && p.name === k.pod);
  const c = pod?.containers.find((x) => x.name === k.container);
  return c?.limitBytes ? c.limitBytes / 1024 : null;
}

function manifestLines(
  m: ManifestContext | undefined,
): Map<string, { uri: string; line: number; workload: string; pod: LivePod }> {
  const out = new Map<string, { uri: string; line: number; workload: string; pod: LivePod }>();
  if (!m) return out;
  for (const match of m.matches) {
    const obj = m.objects[match.objectIndex];
    if (!obj) continue;
    for (const pod of match.pods)
      out.set(podKey(pod.namespace, pod.name), {
        uri: m.uri,
        line: obj.range.start.line,
        workload: match.workload,
        pod,
      });
  }
  return out;
}

const conditionOf = (
  c: { status: string; since: number | null } | null,
): { status: string; since: number | null } | null => (c ? { status: c.status, since: c.since } : null);

/** A node's analysis → the panel's snapshot. */
export function snapshotFromNode(a: NodeAnalysis, opts: SnapshotOptions): PanelSnapshot {
  const settings = opts.phaseSettings ?? DEFAULT_PHASE_SETTINGS;
  const window = settings.precursorWindowSeconds;
  const nodeName = a.node?.name ?? 'unknown node';
  const inManifest = manifestLines(opts.manifest);
  const kills: KillMarker[] = [...a.ooms, ...a.evictions].map((k) => {
    const where = inManifest.get(podKey(k.namespace, k.pod));
    return {
      id: k.id,
      t: k.t,
      kind: k.kind,
      class: k.class,
      classText: classWords({
        class: k.class,
        limitKb: containerLimitKb(k, a.pods),
        oomScoreAdj: k.kernel?.oomScoreAdj ?? null,
      }),
      namespace: k.namespace,
      pod: k.pod,
      container: k.container,
      qosClass: k.qosClass,
      precededBy: k.precededBy,
      precededText: precededText(k, window),
      evidence: k.evidence,
      ...(where ? { manifest: { uri: where.uri, line: where.line } } : {}),
    };
  });
  const stall: StallSeries[] = [];
  const memory: MemorySeries[] = [];
  for (const s of a.series) {
    if (s.stall.length)
      stall.push({ scope: s.scope, label: s.label, points: capSeries(s.stall, (p) => p.somePercent) });
    if (s.memory.length) {
      memory.push({
        scope: s.scope,
        label: s.label,
        points: capSeries(s.memory, (p) => p.workingSetBytes),
        ...(s.allocatableBytes !== undefined ? { allocatableBytes: s.allocatableBytes } : {}),
        ...(s.requestBytes !== undefined ? { requestBytes: s.requestBytes } : {}),
        ...(s.limitBytes !== undefined ? { limitBytes: s.limitBytes } : {}),
        ...(s.memoryHighBytes !== undefined ? { memoryHighBytes: s.memoryHighBytes } : {}),
        ...(s.swapLimitBytes !== undefined ? { swapLimitBytes: s.swapLimitBytes } : {}),
        ...(s.swapUsageBytes !== undefined ? { swapUsageBytes: s.swapUsageBytes } : {}),
      });
    }
  }
  // The same judgement as the CLI's headline, as the first note, when a kill source is missing.
  const headline = killCoverage(a).sentence;
  const pressure = new Map(a.pressure.pods.map((p) => [podKey(p.namespace, p.name), p]));
  const manifestPods: ManifestPod[] = [...inManifest.values()].map(({ uri, line, workload, pod }) => {
    const key = podKey(pod.namespace, pod.name);
    const last = kills
      .filter((k) => podKey(k.namespace, k.pod) === key && k.t !== null)
      .reduce<number | null>((m, k) => Math.max(m ?? 0, k.t ?? 0), null);
    const pr = pressure.get(key);
    return {
      workload,
      namespace: pod.namespace,
      pod: pod.name,
      qosClass: pod.qosClass,
      restarts: pod.restarts,
      lastOom: last,
      somePercent: pr ? pr.some.avg10 : null,
      fullPercent: pr?.full ? pr.full.avg10 : null,
      manifest: { uri, line },
    };
  });
  return {
    title: `Node ${nodeName} · context ${a.context}`,
    target: { kind: 'node', node: nodeName, context: a.context },
    generatedAt: a.generatedAt,
    precursorWindowSeconds: window,
    node: a.node
      ? {
          name: a.node.name,
          capacityBytes: a.node.capacityBytes,
          allocatableBytes: a.node.allocatableBytes,
          memoryPressure: a.node.memoryPressure
            ? { status: a.node.memoryPressure.status, since: a.node.memoryPressure.since }
            : null,
          systemMemoryContentionPressure: conditionOf(a.node.systemMemoryContentionPressure),
          kubepodsMemoryContentionPressure: conditionOf(a.node.kubepodsMemoryContentionPressure),
        }
      : null,
    pressureScope: [...a.pressure.scope],
    memoryControls: {
      swapBehavior: a.swap.behavior,
      nodeSwapCapacityBytes: a.swap.capacityBytes,
      nodeSwapUsageBytes: a.swap.usageBytes,
      memoryQoS: a.kubelet.memoryQoS,
      containers: a.memoryControls
        .filter((c) => (c.swapLimitBytes ?? 0) > 0 || (c.swapUsageBytes ?? 0) > 0 || c.memoryHighBytes !== null)
        .map((c) => ({
          namespace: c.namespace,
          pod: c.pod,
          container: c.container,
          swapLimitBytes: c.swapLimitBytes,
          swapUsageBytes: c.swapUsageBytes,
          memoryHighBytes: c.memoryHighBytes,
          workingSetBytes: c.workingSetBytes,
        })),
    },
    sources: { ...a.sources },
    stall,
    memory,
    phases: a.phases,
    kills,
    manifestPods,
    budget: a.budget ? { ...a.budget } : null,
    notes: headline ? [headline, ...a.notes] : a.notes,
    live: opts.live,
  };
}

/** One kill event (a group kill's members together, the selected victim first) → one marker. */
function markerFromEvent(members: KillVerdict[], i: number, windowSeconds: number): KillMarker {
  const m = markerFromVerdict(members[0]!, i, windowSeconds);
  if (members.length < 2 && !(members[0]!.event.groupKill && members[0]!.event.killer === 'kernel')) return m;
  const group = groupKillSentence(members);
  return { ...m, classText: `${group}; the selected victim ${m.classText}`, evidence: [group, ...m.evidence] };
}

function markerFromVerdict(v: KillVerdict, i: number, windowSeconds: number): KillMarker {
  const victim = v.event.victim;
  const seconds = v.precedingSeconds;
  return {
    id: `kernel-${v.event.lines[0]}-${victim?.pid ?? i}`,
    t: v.event.time,
    kind: 'oom',
    class: v.class,
    classText: classWords({ class: v.class, limitKb: v.event.memcgLimitKb, oomScoreAdj: victim?.oomScoreAdj ?? null }),
    namespace: null,
    pod: null,
    container:
      victim && victim.pid !== null ? `${victim.comm ?? '?'} (pid ${victim.pid})` : (v.event.groupKill?.cgroup ?? null),
    qosClass: null,
    precededBy: v.precededBy,
    precededText: v.notJudged ? notJudgedWords(v.notJudged) : precededWords(v.precededBy, seconds, windowSeconds),
    evidence: v.evidence,
  };
}

export interface KernelLogSnapshotInput {
  text: string;
  /** File name, or "pasted text". */
  name: string;
  path?: string;
  bootTimeMs?: number;
  year?: number;
  now: number;
}

/** An imported kernel log → a snapshot with its kills and no time series. */
export function snapshotFromKernelLog(input: KernelLogSnapshotInput, opts: SnapshotOptions): PanelSnapshot {
  const settings = opts.phaseSettings ?? DEFAULT_PHASE_SETTINGS;
  const events = parseKernelLog(input.text, {
    bootTimeMs: input.bootTimeMs,
    year: input.year,
    nowMs: input.now,
  });
  const verdicts = judgeKills(events, [], new Map(), settings);
  const kills = killEvents(verdicts).map((m, i) => markerFromEvent(m, i, settings.precursorWindowSeconds));
  const notes = [
    kills.length === 0
      ? `No OOM kill report found in ${input.name}.`
      : `${kills.length} OOM kill report(s) in ${input.name}.`,
    'A kernel log has no PSI: run "Analyze Node Memory" or "Analyze This Machine\'s Memory" to see whether thrashing came first.',
  ];
  if (events.some((e) => e.time === null))
    notes.push('Some reports have no wall-clock time (raw dmesg stamps need the boot time).');
  return {
    title: `Imported log ${input.name}`,
    target: { kind: 'log', name: input.name, ...(input.path ? { path: input.path } : {}) },
    generatedAt: input.now,
    precursorWindowSeconds: settings.precursorWindowSeconds,
    node: null,
    sources: { 'kernel log': kills.length ? 'ok' : `unavailable: no OOM kill report in ${input.name}` },
    stall: [],
    memory: [],
    phases: [],
    kills,
    manifestPods: [],
    notes,
    live: false,
  };
}

/** This machine's samples (+ its kernel log when readable) → a snapshot. */
export function snapshotFromLocal(
  samples: LocalSample[],
  kernel: { log: LocalKernelLog } | { error: string },
  opts: SnapshotOptions & { now: number },
): PanelSnapshot {
  const settings = opts.phaseSettings ?? DEFAULT_PHASE_SETTINGS;
  const psi = psiSamplesOf(samples);
  const phases = phasesFromSamples(psi, settings);
  const stall: StallSeries[] = [];
  for (const [scope, group] of groupByScope(psi)) {
    const points = stallPoints(group, settings.pollIntervalSeconds).flat();
    stall.push({
      scope,
      label: scope === 'node' ? 'this machine' : `cgroup ${scope}`,
      points: capSeries(points, (p) => p.somePercent),
    });
  }
  const memory: MemorySeries[] = [];
  const cg = samples.map((s) => s.cgroup).filter((c) => c !== null);
  if (cg.length && cg.some((c) => c.currentBytes !== null)) {
    const last = cg[cg.length - 1];
    memory.push({
      scope: last.scope,
      label: `cgroup ${last.scope}`,
      points: capSeries(
        samples
          .filter((s) => s.cgroup?.currentBytes != null)
          .map((s) => ({ t: s.t, workingSetBytes: s.cgroup?.currentBytes ?? 0 })),
        (p) => p.workingSetBytes,
      ),
      ...(last.maxBytes !== null ? { limitBytes: last.maxBytes } : {}),
    });
  }
  let kills: KillMarker[] = [];
  const sources: Record<string, string> = {
    '/proc/pressure/memory': samples.some((s) => s.node)
      ? 'ok'
      : 'unavailable: this kernel exposes no PSI (boot with psi=1)',
  };
  if (samples.some((s) => s.cgroup))
    sources.cgroup = samples.some((s) => s.cgroup?.pressure)
      ? 'ok'
      : 'unavailable: the cgroup has no memory.pressure (cgroup v1?)';
  if ('log' in kernel) {
    const events = parseKernelLog(kernel.log.text, {
      bootTimeMs: kernel.log.bootTimeMs ?? undefined,
      nowMs: opts.now,
    });
    // Coverage, not just scope names: a kill from before the recording started is "not covered", not "sudden".
    kills = killEvents(judgeKills(events, phases, psiCoverage(psi), settings)).map((m, i) =>
      markerFromEvent(m, i, settings.precursorWindowSeconds),
    );
    sources[kernel.log.source] = 'ok';
  } else {
    sources['kernel log'] = `unavailable: ${kernel.error}`;
  }
  const notes: string[] = [];
  if (stall.length === 0) notes.push('No PSI on this machine: only the kernel log can be shown.');
  if (psi.length < 3) notes.push('History builds up while the panel is live (one sample per refresh).');
  return {
    title: 'This machine',
    target: { kind: 'local' },
    generatedAt: opts.now,
    precursorWindowSeconds: settings.precursorWindowSeconds,
    node: null,
    sources: sources as PanelSnapshot['sources'],
    stall,
    memory,
    phases,
    kills,
    manifestPods: [],
    notes,
    live: opts.live,
  };
}
