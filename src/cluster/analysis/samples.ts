/** Turns one Summary API response or one cAdvisor scrape into PSI samples and working-set points. */
import { psiFromSummary, samplesFromCounters, type StallCounterPoint } from '../../core/oom/psi';
import type { PsiSample } from '../../core/oom/verdictTypes';
import { timeMs, type WireMemoryStats, type WireSummary } from '../access/wireTypes';
import { parsePrometheusText } from '../access/prometheusText';
import { containerScope, podScope } from '../../shared/scopes';

export interface MemoryPointAt {
  scope: string;
  t: number;
  workingSetBytes: number;
}

export interface ScrapeResult {
  samples: PsiSample[];
  memory: MemoryPointAt[];
  /** true when the source reported PSI at all. */
  hasPsi: boolean;
}

function take(mem: WireMemoryStats | undefined, scope: string, fallbackT: number, out: ScrapeResult): void {
  if (!mem) return;
  const t = timeMs(mem.time) ?? fallbackT;
  const s = psiFromSummary(mem.psi, t, scope);
  if (s) {
    out.samples.push(s);
    out.hasPsi = true;
  }
  if (typeof mem.workingSetBytes === 'number' && Number.isFinite(mem.workingSetBytes))
    out.memory.push({ scope, t, workingSetBytes: mem.workingSetBytes });
}

export function fromSummary(summary: WireSummary, now: number): ScrapeResult {
  const out: ScrapeResult = { samples: [], memory: [], hasPsi: false };
  take(summary.node?.memory, 'node', now, out);
  for (const p of Array.isArray(summary.pods) ? summary.pods : []) {
    const ns = p.podRef?.namespace;
    const name = p.podRef?.name;
    if (!ns || !name) continue;
    take(p.memory, podScope(ns, name), now, out);
    for (const c of Array.isArray(p.containers) ? p.containers : [])
      if (c.name) take(c.memory, containerScope(ns, name, c.name), now, out);
  }
  return out;
}

const CADVISOR_METRICS = new Set([
  'container_pressure_memory_waiting_seconds_total',
  'container_pressure_memory_stalled_seconds_total',
  'container_memory_working_set_bytes',
  'container_oom_events_total',
]);

export interface CadvisorScrape {
  /** Counter points per scope (one per scrape), to be turned into samples across scrapes. */
  counters: Map<string, StallCounterPoint>;
  memory: MemoryPointAt[];
  /** container_oom_events_total per container scope. */
  oomEvents: Map<string, number>;
  hasPsi: boolean;
}

/** Reads the kubelet's cAdvisor text: pod-cgroup series have container="" (docs/data-sources.md). */
export function fromCadvisor(text: string, now: number): CadvisorScrape {
  const out: CadvisorScrape = { counters: new Map(), memory: [], oomEvents: new Map(), hasPsi: false };
  const waiting = new Map<string, { t: number; v: number }>();
  const stalled = new Map<string, number>();
  for (const s of parsePrometheusText(text, CADVISOR_METRICS)) {
    const { namespace: ns, pod, container } = s.labels;
    if (!ns || !pod) continue;
    if (container === 'POD') continue;
    const scope = container ? containerScope(ns, pod, container) : podScope(ns, pod);
    const t = s.timestamp ?? now;
    switch (s.name) {
      case 'container_pressure_memory_waiting_seconds_total':
        waiting.set(scope, { t, v: s.value });
        break;
      case 'container_pressure_memory_stalled_seconds_total':
        stalled.set(scope, s.value);
        break;
      case 'container_memory_working_set_bytes':
        out.memory.push({ scope, t, workingSetBytes: s.value });
        break;
      case 'container_oom_events_total':
        if (container) out.oomEvents.set(scope, s.value);
        break;
    }
  }
  for (const [scope, w] of waiting) {
    out.counters.set(scope, { t: w.t, waitingSeconds: w.v, stalledSeconds: stalled.get(scope) ?? null });
    out.hasPsi = true;
  }
  return out;
}

/** Samples from the accumulated counter points of one scope. */
export function counterSamples(points: StallCounterPoint[], scope: string): PsiSample[] {
  return samplesFromCounters(points, scope);
}
