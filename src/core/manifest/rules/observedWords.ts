/**
 * Words of the cluster-aware rules: a container's OOM kills in one clause ("twice at its own 512Mi limit after 40s–1m
 * 10s of thrashing, once (node OOM) suddenly"), and a kill's time relative to the observation ("yesterday 14:02 UTC").
 */
import { formatQuantity } from '../../quantity';
import { classShortWords, formatDuration } from '../../killWords';
import type { ObservedKill } from '../observed';

const times = (n: number): string => (n === 1 ? 'once' : n === 2 ? 'twice' : `${n}×`);

/** What came before the kills of one group: the class words' precursor, for several kills at once. */
function precursor(kills: readonly ObservedKill[]): string {
  const k = kills[0]!;
  if (!k.precededJudged) return '';
  if (k.precededBy === null) return ' suddenly (no memory pressure before)';
  const secs = kills.map((x) => x.precedingSeconds ?? 0);
  const lo = formatDuration(Math.min(...secs));
  const hi = formatDuration(Math.max(...secs));
  const span = lo === hi ? lo : `${lo}–${hi}`;
  return k.precededBy === 'thrashing' ? ` after ${span} of thrashing` : ` after ${span} of memory pressure`;
}

function where(k: ObservedKill): string {
  if (k.class === 'container-limit') return `at its own ${k.limitBytes ? `${formatQuantity(k.limitBytes)} ` : ''}limit`;
  return `(${classShortWords(k.class)})`;
}

/** The kills grouped by class, limit and precursor, largest group first: "twice at its own 512Mi limit after …". */
export function killsClause(kills: readonly ObservedKill[]): string {
  const groups = new Map<string, ObservedKill[]>();
  for (const k of kills) {
    const key = `${where(k)}|${k.precededJudged ? (k.precededBy ?? 'sudden') : 'unjudged'}`;
    groups.set(key, [...(groups.get(key) ?? []), k]);
  }
  return [...groups.values()]
    .sort((a, b) => b.length - a.length)
    .map((g) => `${times(g.length)} ${where(g[0]!)}${precursor(g)}`)
    .join(', ');
}

const DAY_MS = 86_400_000;

/** "14:02 UTC today", "yesterday 14:02 UTC", "2025-03-01 14:02 UTC" (relative to `now`, both epoch ms). */
export function whenWords(t: number, now: number): string {
  const iso = new Date(t).toISOString();
  const hm = `${iso.slice(11, 16)} UTC`;
  const day = Math.floor(t / DAY_MS);
  const today = Math.floor(now / DAY_MS);
  if (day === today) return `today ${hm}`;
  if (day === today - 1) return `yesterday ${hm}`;
  return `${iso.slice(0, 10)} ${hm}`;
}
