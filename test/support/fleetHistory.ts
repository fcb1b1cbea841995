// The fleet's day of history (GENERATED: src/demo/fleetMetrics.ts) as the backfill of a real Prometheus: the whole
// day every 5 min, and the kube-state-metrics termination series, working sets, oom_kill counters and PSI every 15 s in the 12 minutes around each kill, as a
// Prometheus scraping every 15 s would have kept them there (at 5 min, a 5-minute precursor window would hold one
// sample). A coarse day keeps the backfill to seconds.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer, type ApiServer } from '../../src/demo/apiServer';
import { makeFleet } from '../../src/demo/fleet';
import { fleetOpenMetricsChunks } from '../../src/demo/fleetMetrics';
import { missingSentence } from '../../scripts/prerequisites.mjs';
import { startPrometheus, type Prometheus } from './prometheus';
import type { Fleet } from '../../src/demo/fleetTypes';

/** The window the workload tests analyze (the fleet's kills lie in the 24 h before `fleet.now`). */
export const DAY_MS = 86_400_000;

const FINE = [
  'kube_pod_container_status_restarts',
  'kube_pod_container_status_last_terminated_reason',
  'kube_pod_container_status_last_terminated_exitcode',
  'kube_pod_container_status_last_terminated_timestamp',
  'kube_pod_container_status_terminated_reason',
  'kube_pod_status_reason',
  'node_vmstat_oom_kill',
  'container_memory_working_set_bytes',
  'container_oom_events',
  'container_pressure_memory_waiting_seconds',
  'container_pressure_memory_stalled_seconds',
  'node_pressure_memory_waiting_seconds',
  'node_pressure_memory_stalled_seconds',
] as const;

/** One OpenMetrics text per backfill: the coarse day, then one per kill's fine window (overlapping windows merged). */
export function fleetBackfill(fleet: Fleet, coarseStepSeconds = 300): Iterable<string>[] {
  const start = fleet.now - DAY_MS - 3_600_000;
  const out: Iterable<string>[] = [
    fleetOpenMetricsChunks(fleet, { startMs: start, endMs: fleet.now, stepSeconds: coarseStepSeconds }),
  ];
  const windows: [number, number][] = [];
  for (const k of [...fleet.kills].sort((a, b) => a.tMs - b.tMs)) {
    if (k.tMs < start) continue;
    const w: [number, number] = [k.tMs - 10 * 60_000, Math.min(fleet.now, k.tMs + 2 * 60_000)];
    const last = windows.at(-1);
    if (last && w[0] <= last[1]) last[1] = Math.max(last[1], w[1]);
    else windows.push(w);
  }
  for (const [from, to] of windows)
    out.push(fleetOpenMetricsChunks(fleet, { startMs: from, endMs: to, stepSeconds: 15, families: FINE }));
  return out;
}

/** The fleet test API server with a real Prometheus behind its service proxy (none when the package is missing). */
export interface FleetCluster {
  server: ApiServer;
  prom: Prometheus | null;
  now: number;
  close(): Promise<void>;
}

/**
 * Starts the fleet scenario at `Date.now()` and, when Debian's prometheus is installed, a real Prometheus holding its
 * day of history; tests that need Prometheus check `prometheusAvailable(t) && prom` (skip with one line, fail in CI).
 */
export async function startFleetCluster(): Promise<FleetCluster> {
  const now = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-fleet-'));
  const prom = missingSentence('test', process.env, ['prometheus'])
    ? null
    : await startPrometheus({ openMetrics: fleetBackfill(makeFleet('fleet', now)) });
  const server = await startApiServer({
    scenario: 'fleet',
    dir,
    startTime: now,
    ...(prom ? { prometheusUpstream: prom.url } : {}),
  });
  return {
    server,
    prom,
    now,
    async close() {
      await server.close();
      await prom?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
