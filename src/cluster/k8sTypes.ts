/** The parts of Kubernetes API objects the cluster layer reads (wire shapes, all optional). */

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  ownerReferences?: { apiVersion?: string; kind?: string; name?: string; uid?: string; controller?: boolean }[];
  creationTimestamp?: string;
}

export interface WireNode {
  metadata?: ObjectMeta;
  status?: {
    capacity?: Record<string, string>;
    allocatable?: Record<string, string>;
    conditions?: { type?: string; status?: string; reason?: string; message?: string; lastTransitionTime?: string }[];
    nodeInfo?: { kubeletVersion?: string };
  };
}

export interface WireTerminated {
  reason?: string;
  exitCode?: number;
  startedAt?: string;
  finishedAt?: string;
  message?: string;
  containerID?: string;
}

export interface WireContainerStatus {
  name?: string;
  restartCount?: number;
  containerID?: string;
  state?: { terminated?: WireTerminated; waiting?: { reason?: string }; running?: { startedAt?: string } };
  lastState?: { terminated?: WireTerminated };
}

export interface WirePod {
  metadata?: ObjectMeta;
  spec?: {
    nodeName?: string;
    containers?: { name?: string; resources?: { requests?: Record<string, string>; limits?: Record<string, string> } }[];
  };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    qosClass?: string;
    startTime?: string;
    containerStatuses?: WireContainerStatus[];
  };
}

export interface WireEvent {
  metadata?: ObjectMeta;
  involvedObject?: { kind?: string; name?: string; namespace?: string; uid?: string };
  reason?: string;
  message?: string;
  type?: string;
  source?: { component?: string; host?: string };
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  count?: number;
  reportingInstance?: string;
}

export interface WirePsi {
  total?: number;
  avg10?: number;
  avg60?: number;
  avg300?: number;
}

export interface WireMemoryStats {
  time?: string;
  availableBytes?: number;
  usageBytes?: number;
  workingSetBytes?: number;
  rssBytes?: number;
  majorPageFaults?: number;
  psi?: { some?: WirePsi; full?: WirePsi };
}

export interface WireSummary {
  node?: { nodeName?: string; memory?: WireMemoryStats };
  pods?: {
    podRef?: { name?: string; namespace?: string; uid?: string };
    memory?: WireMemoryStats;
    containers?: { name?: string; memory?: WireMemoryStats }[];
  }[];
}

/** Parses a Kubernetes memory quantity ("16Gi", "3936948Ki", "1e9", "128M") to bytes; null when invalid. */
export function quantityBytes(q: string | undefined): number | null {
  if (q === undefined) return null;
  const m = /^([+]?[0-9]*\.?[0-9]+)(?:([eE][+-]?[0-9]+)|(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E|m)?)$/.exec(q.trim());
  if (!m) return null;
  const n = Number(m[1] + (m[2] ?? ''));
  const mult: Record<string, number> = {
    Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
    k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, m: 1e-3,
  };
  const v = n * (m[3] ? mult[m[3]]! : 1);
  return Number.isFinite(v) ? Math.ceil(v) : null;
}

export function timeMs(s: string | null | undefined): number | null {
  if (!s) return null;
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : t;
}
