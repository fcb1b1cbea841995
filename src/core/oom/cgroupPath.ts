/**
 * Cgroup paths → Kubernetes meaning (docs/verdict.md "Classes"): cgroupfs `/kubepods[/burstable|/besteffort]/pod<uid>/<id>`
 * and systemd `kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<uid_>.slice/cri-containerd-<id>.scope`
 * (also `crio-`, `docker-`).
 */

export type CgroupLevel = 'kubepods' | 'qos' | 'pod' | 'container' | 'other';
export type QosTier = 'burstable' | 'besteffort' | 'guaranteed';

/** What a cgroup path says about the pod and container it belongs to. */
export interface CgroupInfo {
  /** The path as given, without a trailing slash. */
  path: string;
  kubernetes: boolean;
  level: CgroupLevel;
  /** The QoS tier for qos/pod/container levels (pods directly under kubepods are Guaranteed). */
  qosTier: QosTier | null;
  /** Pod UID with dashes (systemd's underscores mapped back). */
  podUid: string | null;
  containerId: string | null;
  /** 'containerd', 'cri-o', 'docker', or null when the path does not say. */
  runtime: string | null;
  /** The path up to and including the pod cgroup. */
  podPath: string | null;
  /** The path up to and including the kubepods cgroup. */
  kubepodsPath: string | null;
}

const SCOPE_RE = /^(cri-containerd|crio|crio-conmon|docker)-([0-9a-f]{12,})(?:\.scope)?$/;
const RUNTIMES: Record<string, string> = {
  'cri-containerd': 'containerd',
  crio: 'cri-o',
  'crio-conmon': 'cri-o',
  docker: 'docker',
};
const UID_RE = /^[0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12}$/;

function containerOf(seg: string): { id: string; runtime: string | null } | null {
  const m = SCOPE_RE.exec(seg);
  if (m) return { id: m[2]!, runtime: RUNTIMES[m[1]!] ?? null };
  if (/^[0-9a-f]{64}$/.test(seg)) return { id: seg, runtime: null };
  return null;
}

function podUidOf(seg: string): string | null {
  const m = /^(?:kubepods-(?:burstable-|besteffort-)?)?pod(.+?)(?:\.slice)?$/.exec(seg);
  if (!m || !UID_RE.test(m[1]!)) return null;
  return m[1]!.replace(/_/g, '-');
}

function qosOf(seg: string): QosTier | null {
  if (seg === 'burstable' || seg === 'kubepods-burstable.slice') return 'burstable';
  if (seg === 'besteffort' || seg === 'kubepods-besteffort.slice') return 'besteffort';
  return null;
}

/** Reads a cgroup path (v1 or v2, as printed by the kernel or found under /sys/fs/cgroup). */
export function parseCgroupPath(path: string): CgroupInfo {
  const clean = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const info: CgroupInfo = {
    path: clean,
    kubernetes: false,
    level: 'other',
    qosTier: null,
    podUid: null,
    containerId: null,
    runtime: null,
    podPath: null,
    kubepodsPath: null,
  };
  const segs = clean.split('/');
  const k = segs.findIndex((s) => s === 'kubepods' || s === 'kubepods.slice');
  if (k === -1) {
    const last = segs[segs.length - 1] ?? '';
    const c = containerOf(last);
    if (c) {
      info.containerId = c.id;
      info.runtime = c.runtime ?? (segs[segs.length - 2] === 'docker' ? 'docker' : null);
    }
    return info;
  }
  info.kubernetes = true;
  info.level = 'kubepods';
  info.kubepodsPath = segs.slice(0, k + 1).join('/');
  let i = k + 1;
  const tier = segs[i] !== undefined ? qosOf(segs[i]!) : null;
  if (tier) {
    info.qosTier = tier;
    info.level = 'qos';
    i++;
  }
  if (i >= segs.length) return info;
  const uid = podUidOf(segs[i]!);
  if (!uid) {
    info.level = 'other';
    return info;
  }
  info.podUid = uid;
  info.qosTier ??= 'guaranteed';
  info.level = 'pod';
  info.podPath = segs.slice(0, i + 1).join('/');
  i++;
  if (i >= segs.length) return info;
  const c = containerOf(segs[i]!);
  info.level = 'container';
  if (c) {
    info.containerId = c.id;
    info.runtime = c.runtime;
  }
  return info;
}

/** True when `child` is strictly below `ancestor` in the cgroup tree. */
export function isCgroupDescendant(child: string, ancestor: string): boolean {
  const a = ancestor.replace(/\/+$/, '');
  const c = child.replace(/\/+$/, '');
  if (a === '' || a === '/') return c !== '' && c !== '/';
  return c.startsWith(a + '/');
}
