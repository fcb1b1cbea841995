/**
 * What the OOM engine (src/core/oom) and the manifest engine's cluster-aware rules (src/core/manifest/rules) both say
 * about a kill: its class and precursor types, a duration and a class in a few words.
 */

export type OomClass =
  | 'container-limit'
  | 'pod-limit'
  | 'node-allocatable'
  | 'ancestor-limit'
  | 'system'
  | 'eviction'
  | 'userspace'
  | 'unknown';

/** A severe phase before a kill is `thrashing` here (its tier is in the phase). */
export type PrecededBy = 'thrashing' | 'pressure' | null;

/** "2m 10s", "45s", "1h 3m". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  if (h > 0) return m ? `${h}h ${m}m` : `${h}h`;
  return r ? `${m}m ${r}s` : `${m}m`;
}

/** A class in two or three words, for tables and lenses: "own limit", "node OOM", … */
export function classShortWords(c: OomClass): string {
  switch (c) {
    case 'container-limit':
      return 'own limit';
    case 'pod-limit':
      return "pod's limit";
    case 'node-allocatable':
      return 'node allocatable';
    case 'ancestor-limit':
      return "parent's limit";
    case 'system':
      return 'node OOM';
    case 'eviction':
      return 'evicted';
    case 'userspace':
      return 'userspace killer';
    case 'unknown':
      return 'unknown';
  }
}
