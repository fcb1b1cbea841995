/**
 * Pod QoS class and container oom_score_adj, following kubernetes/kubernetes master as of
 * late 2025: pkg/apis/core/v1/helper/qos/qos.go (ComputePodQOS / resourceQOS, pod-level
 * resources decide when set) and pkg/kubelet/qos/policy.go (containerOOMScoreAdjust without
 * the alpha KubeletOOMScoreAdjTieBreak gate: pod-level request share via
 * remainingPodMemReqPerContainer, sidecars capped at the smallest regular container's adj,
 * clamp to [3, 999], node-critical pods −997). Requests are defaulted from limits first, as
 * the API server's defaulting does (pkg/apis/core/v1/defaults.go, incl. defaultPodRequests).
 */
import type { QosClass } from '../qosClass';
import { formatBytes } from '../quantity';

/** Requests/limits of one resource set; values in nano-units (memory: also bytes). Null = not set. */
export interface ResourceValues {
  cpuNanos: bigint | null;
  memoryNanos: bigint | null;
  /** Memory in bytes (rounded up as Quantity.Value()), for the oom_score_adj formula. */
  memoryBytes: bigint | null;
}

export interface QosContainer {
  name: string | null;
  init: boolean;
  sidecar: boolean;
  requests: ResourceValues;
  limits: ResourceValues;
}

export interface QosPod {
  containers: QosContainer[];
  /** Pod-level spec.resources, when it sets cpu or memory. */
  podRequests: ResourceValues | null;
  podLimits: ResourceValues | null;
  priorityClassName: string | null;
}

export interface QosResult {
  qosClass: QosClass;
  /** One line: which container and which value decided. */
  reason: string;
}

const EMPTY: ResourceValues = { cpuNanos: null, memoryNanos: null, memoryBytes: null };
const GUARANTEED_ADJ = -997;
const BESTEFFORT_ADJ = 1000;

function isSet(v: ResourceValues | null): boolean {
  return !!v && (v.cpuNanos !== null || v.memoryNanos !== null);
}

/** Requests with unset resources defaulted from limits (API server defaulting). */
export function defaultedRequests(c: { requests: ResourceValues; limits: ResourceValues }): ResourceValues {
  return {
    cpuNanos: c.requests.cpuNanos ?? c.limits.cpuNanos,
    memoryNanos: c.requests.memoryNanos ?? c.limits.memoryNanos,
    memoryBytes: c.requests.memoryNanos !== null ? c.requests.memoryBytes : c.limits.memoryBytes,
  };
}

function label(c: QosContainer): string {
  return `${c.sidecar ? 'sidecar' : c.init ? 'init container' : 'container'} "${c.name ?? '?'}"`;
}

function fmtMem(nanos: bigint | null, bytes: bigint | null): string {
  if (nanos === null) return 'none';
  if (nanos % 1_000_000_000n !== 0n) return `${nanos} nano-bytes`;
  return formatBytes(bytes ?? nanos / 1_000_000_000n);
}

function fmtCpu(nanos: bigint | null): string {
  if (nanos === null) return 'none';
  if (nanos % 1_000_000n === 0n) return `${nanos / 1_000_000n}m`;
  return `${nanos}n`;
}

type Verdict = { qos: QosClass; why: string };

/** qos.go resourceQOS, with the reason. */
function resourceQos(req: ResourceValues, lim: ResourceValues, who: string): Verdict {
  const reqSet = isSet(req);
  const limSet = isSet(lim);
  if (!reqSet && !limSet) return { qos: 'BestEffort', why: `${who} sets no cpu or memory request or limit` };
  let qos: QosClass | null = null;
  const pairs: Array<[string, bigint | null, bigint | null, string, string]> = [
    [
      'memory',
      req.memoryNanos,
      lim.memoryNanos,
      fmtMem(req.memoryNanos, req.memoryBytes),
      fmtMem(lim.memoryNanos, lim.memoryBytes),
    ],
    ['cpu', req.cpuNanos, lim.cpuNanos, fmtCpu(req.cpuNanos), fmtCpu(lim.cpuNanos)],
  ];
  for (const [res, r, l, rs, ls] of pairs) {
    const rv = r ?? 0n;
    const lv = l ?? 0n;
    if (rv !== lv) {
      if (l === null || lv === 0n)
        return { qos: 'Burstable', why: `${who} has a ${res} request (${rs}) but no ${res} limit` };
      return { qos: 'Burstable', why: `${who} has ${res} request ${rs} ≠ limit ${ls}` };
    }
    const bestEffort = rv === 0n;
    if (qos === null) qos = bestEffort ? 'BestEffort' : 'Guaranteed';
    else if (bestEffort !== (qos === 'BestEffort')) {
      const missing = bestEffort ? res : res === 'cpu' ? 'memory' : 'cpu';
      return {
        qos: 'Burstable',
        why: `${who} sets ${missing === 'cpu' ? 'memory' : 'cpu'} but no ${missing} request or limit`,
      };
    }
  }
  const q = qos ?? 'BestEffort';
  return {
    qos: q,
    why:
      q === 'Guaranteed'
        ? `${who} sets cpu and memory requests equal to limits`
        : `${who} sets no cpu or memory request or limit`,
  };
}

/** Effective container memory requests (component-helpers AggregateContainerRequests), in nanos and bytes. */
function aggregateRequests(pod: QosPod, pick: (r: ResourceValues) => bigint | null): bigint | null {
  let any = false;
  let regular = 0n;
  let sidecars = 0n;
  let maxInit = 0n;
  for (const c of pod.containers) {
    const v = pick(defaultedRequests(c));
    if (v !== null) any = true;
    const val = v ?? 0n;
    if (!c.init) regular += val;
    else if (c.sidecar) sidecars += val;
    else if (val + sidecars > maxInit) maxInit = val + sidecars;
  }
  if (!any) return null;
  const total = regular + sidecars;
  return total > maxInit ? total : maxInit;
}

/** Pod-level requests after defaultPodRequests (only when pod-level limits exist). */
export function podLevelRequests(pod: QosPod): ResourceValues | null {
  if (!isSet(pod.podRequests) && !isSet(pod.podLimits)) return null;
  const req = pod.podRequests ?? EMPTY;
  const lim = pod.podLimits ?? EMPTY;
  if (!isSet(lim)) return req;
  const aggMem = aggregateRequests(pod, (r) => r.memoryNanos);
  const aggMemBytes = aggregateRequests(pod, (r) => r.memoryBytes);
  const aggCpu = aggregateRequests(pod, (r) => r.cpuNanos);
  return {
    cpuNanos: req.cpuNanos ?? aggCpu ?? lim.cpuNanos,
    memoryNanos: req.memoryNanos ?? aggMem ?? lim.memoryNanos,
    memoryBytes: req.memoryNanos !== null ? req.memoryBytes : aggMem !== null ? aggMemBytes : lim.memoryBytes,
  };
}

/** The pod's QoS class and why. */
export function computePodQos(pod: QosPod): QosResult {
  const podReq = podLevelRequests(pod);
  if (podReq) {
    const v = resourceQos(podReq, pod.podLimits ?? EMPTY, 'pod-level spec.resources');
    return { qosClass: v.qos, reason: `${v.why}; pod-level resources decide the class` };
  }
  let podQos: QosClass | null = null;
  let first: Verdict | null = null;
  for (const c of [...pod.containers.filter((x) => x.init), ...pod.containers.filter((x) => !x.init)]) {
    const v = resourceQos(defaultedRequests(c), c.limits, label(c));
    if (v.qos === 'Burstable') return { qosClass: 'Burstable', reason: v.why };
    if (podQos === null) {
      podQos = v.qos;
      first = v;
    } else if (podQos !== v.qos) {
      const g = podQos === 'Guaranteed' ? first! : v;
      const b = podQos === 'Guaranteed' ? v : first!;
      return { qosClass: 'Burstable', reason: `${g.why}, but ${b.why}` };
    }
  }
  if (podQos === 'Guaranteed') {
    const n = pod.containers.length;
    return {
      qosClass: 'Guaranteed',
      reason: n === 1 ? first!.why : `all ${n} containers set cpu and memory requests equal to limits`,
    };
  }
  const n = pod.containers.length;
  return {
    qosClass: 'BestEffort',
    reason:
      n === 1
        ? first!.why
        : n === 0
          ? 'the pod has no containers'
          : `none of the ${n} containers sets a cpu or memory request or limit`,
  };
}

/** How a container's oom_score_adj was obtained (for hovers). */
export interface OomScoreAdj {
  value: number;
  /** Memory request used in the Burstable formula (container request + pod-level share), bytes. */
  requestBytes: bigint | null;
  /** Human formula, e.g. "1000 − (1000 × 134217728) / 17179869184 = 993". */
  formula: string;
  /** Adjustments after the formula (sidecar cap, clamping), one sentence each. */
  notes: string[];
}

function burstableAdj(requestBytes: bigint, capacity: bigint): bigint {
  return 1000n - (1000n * requestBytes) / capacity;
}

/** policy.go containerOOMScoreAdjust for the container at `index`, for a node memory capacity in bytes. */
export function containerOomScoreAdj(
  pod: QosPod,
  qosClass: QosClass,
  index: number,
  capacityBytes: bigint,
): OomScoreAdj {
  const c = pod.containers[index]!;
  if (pod.priorityClassName === 'system-node-critical')
    return {
      value: GUARANTEED_ADJ,
      requestBytes: null,
      formula: 'node-critical pod (priorityClassName system-node-critical): −997',
      notes: [],
    };
  if (qosClass === 'Guaranteed')
    return { value: GUARANTEED_ADJ, requestBytes: null, formula: 'Guaranteed: −997', notes: [] };
  if (qosClass === 'BestEffort')
    return { value: BESTEFFORT_ADJ, requestBytes: null, formula: 'BestEffort: 1000', notes: [] };
  const cap = capacityBytes > 0n ? capacityBytes : 1n;
  const memReq = (r: QosContainer): bigint => defaultedRequests(r).memoryBytes ?? 0n;
  let share = 0n;
  const podReq = podLevelRequests(pod);
  if (podReq && isSet(podReq) && podReq.memoryBytes !== null && podReq.memoryBytes !== 0n) {
    const agg = aggregateRequests(pod, (r) => r.memoryBytes) ?? 0n;
    const n = BigInt(Math.max(1, pod.containers.length));
    const rem = podReq.memoryBytes - agg;
    share = rem / n;
  }
  const req = memReq(c) + share;
  let adj = burstableAdj(req, cap);
  const formula = `1000 − (1000 × ${req}) / ${cap} = ${adj}`;
  const notes: string[] = [];
  if (share !== 0n)
    notes.push(
      `the request includes ${formatBytes(share)}, this container's share of the pod-level request not claimed by containers`,
    );
  if (c.sidecar) {
    const regular = pod.containers.filter((x) => !x.init);
    if (regular.length > 0) {
      let min = memReq(regular[0]!);
      for (const r of regular.slice(1)) if (memReq(r) < min) min = memReq(r);
      const minAdj = burstableAdj(min + share, cap);
      if (adj > minAdj) {
        adj = minAdj;
        notes.push(
          `capped at ${minAdj}: a sidecar gets at most the adj of the regular container with the smallest request`,
        );
      }
    }
  }
  let value = Number(adj);
  if (value < 1000 + GUARANTEED_ADJ) {
    value = 1000 + GUARANTEED_ADJ;
    notes.push('raised to 3, the Burstable minimum');
  } else if (value === BESTEFFORT_ADJ) {
    value = BESTEFFORT_ADJ - 1;
    notes.push('lowered to 999 to stay below BestEffort');
  }
  return { value, requestBytes: req, formula, notes };
}
