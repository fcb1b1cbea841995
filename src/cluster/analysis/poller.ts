/** Polls one node at an interval; each poll emits the whole analysis so far. */
import type { ClusterAccess, Result } from '../access/accessTypes';
import type { NodeAnalysis, NodePoller, PollerOptions } from './nodeAnalysisTypes';
import { NodeState, pollNode } from './nodePoll';

export function createNodePoller(access: ClusterAccess, node: string, opts: PollerOptions = {}): NodePoller {
  const intervalMs = Math.max(0.05, opts.intervalSeconds ?? 10) * 1000;
  const state = new NodeState();
  const listeners = new Set<(r: Result<NodeAnalysis>) => void>();
  const abort = new AbortController();
  let timer: NodeJS.Timeout | null = null;
  let inFlight: Promise<Result<NodeAnalysis>> | null = null;
  let running = false;
  let paused = false;
  let stopped = false;

  const schedule = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!running || paused || stopped) return;
    timer = setTimeout(() => {
      timer = null;
      void poll().then(schedule);
    }, intervalMs);
  };

  const poll = (): Promise<Result<NodeAnalysis>> => {
    if (inFlight) return inFlight;
    if (stopped)
      return Promise.resolve({
        ok: false,
        error: { kind: 'error', message: 'The poller was stopped; open the analysis again.' },
      });
    inFlight = pollNode(access, node, state, opts, abort.signal)
      .catch((e: unknown): Result<NodeAnalysis> => ({
        ok: false,
        error: {
          kind: 'error',
          message: `Analyzing node ${node} failed unexpectedly (${e instanceof Error ? e.name : 'error'}); retry.`,
        },
      }))
      .then((r) => {
        inFlight = null;
        if (!stopped) for (const l of listeners) l(r);
        return r;
      });
    return inFlight;
  };

  return {
    start() {
      if (running || stopped) return;
      running = true;
      void poll().then(schedule);
    },
    stop() {
      stopped = true;
      running = false;
      if (timer) clearTimeout(timer);
      timer = null;
      abort.abort();
      listeners.clear();
    },
    pause() {
      paused = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
    resume() {
      if (!paused) return;
      paused = false;
      if (running && !inFlight) void poll().then(schedule);
    },
    get paused() {
      return paused;
    },
    pollNow: poll,
    setKernelReports(reports) {
      state.kernelReports = reports;
    },
    onUpdate(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
  };
}
