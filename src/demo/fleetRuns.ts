/** What follows from a fleet's kills: each container's runs (one per container ID), its restarts, the pod's phase. */
import type { Fleet, FleetKill, FleetPod } from './fleetTypes';
import { RESTART_DELAY_MS } from './fleetTypes';
import { mix } from './fleetCurves';

export interface ContainerRun {
  /** 0 for the first container of the pod's life, +1 per restart. */
  index: number;
  startMs: number;
  /** When it stopped; null: still running at `now`. */
  endMs: number | null;
  /** The kill that ended it, if one did. */
  endedBy: FleetKill | null;
  /** The runtime's 64-hex container ID. */
  containerId: string;
}

const killIndex = new WeakMap<Fleet, Map<string, FleetKill[]>>();

/** The kills of one pod (all containers), in time order. */
export function killsOf(fleet: Fleet, pod: Pick<FleetPod, 'namespace' | 'name'>): FleetKill[] {
  let idx = killIndex.get(fleet);
  if (!idx) {
    idx = new Map();
    for (const k of fleet.kills) {
      const key = `${k.namespace}/${k.pod}`;
      idx.set(key, [...(idx.get(key) ?? []), k]);
    }
    killIndex.set(fleet, idx);
  }
  return idx.get(`${pod.namespace}/${pod.name}`) ?? [];
}

export function evictionOf(fleet: Fleet, pod: FleetPod): FleetKill | undefined {
  return killsOf(fleet, pod).find((k) => k.reason === 'Evicted' && k.tMs <= fleet.now);
}

function hex64(...seed: number[]): string {
  let s = '';
  for (let i = 0; s.length < 64; i++)
    s += mix(...seed, i)
      .toString(16)
      .padStart(8, '0');
  return s.slice(0, 64);
}

const strSeed = (s: string): number => {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
};

/** The runs of one container up to `now`: a restart after each OOM kill unless the pod's restartPolicy is Never. */
export function containerRuns(fleet: Fleet, pod: FleetPod, container: string): ContainerRun[] {
  const all = killsOf(fleet, pod).filter((k) => k.tMs <= fleet.now);
  const eviction = all.find((k) => k.reason === 'Evicted');
  const stop = Math.min(eviction?.tMs ?? Infinity, pod.endMs ?? Infinity);
  const kills = all.filter((k) => k.reason === 'OOMKilled' && k.container === container && k.tMs <= stop);
  const seed = strSeed(pod.uid) ^ strSeed(container);
  const runs: ContainerRun[] = [];
  let start = pod.startMs + 5_000;
  for (const k of kills) {
    runs.push({ index: runs.length, startMs: start, endMs: k.tMs, endedBy: k, containerId: hex64(seed, runs.length) });
    if (pod.restartPolicy === 'Never') return runs;
    start = k.tMs + RESTART_DELAY_MS;
  }
  if (start < stop || stop === Infinity)
    runs.push({
      index: runs.length,
      startMs: start,
      endMs: stop === Infinity ? null : stop,
      endedBy: eviction && eviction.tMs === stop ? eviction : null,
      containerId: hex64(seed, runs.length),
    });
  return runs;
}

/** Restarts of a container by `at` (the kubelet's restartCount). */
export function restartsAt(runs: ContainerRun[], at: number): number {
  return Math.max(0, runs.filter((r) => r.startMs <= at).length - 1);
}

/** The pod's phase at `at`: Failed after an eviction, or when a Never pod's container was killed. */
export function phaseAt(fleet: Fleet, pod: FleetPod, at: number): 'Running' | 'Failed' {
  const kills = killsOf(fleet, pod).filter((k) => k.tMs <= at);
  if (kills.some((k) => k.reason === 'Evicted')) return 'Failed';
  if (pod.restartPolicy === 'Never' && kills.some((k) => k.reason === 'OOMKilled')) return 'Failed';
  return 'Running';
}
