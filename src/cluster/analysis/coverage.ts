/**
 * Whether an analysis may say "no OOM kills or evictions": the one judgement behind the CLI's
 * headline and exit code and the panel's first note. Kills and evictions are seen only through
 * pod status (`pods`) and events (`events`); the other sources add evidence and PSI, never a kill.
 */
import type { NodeAnalysis, SourceName } from './nodeAnalysisTypes';

const KILL_SOURCES: { source: SourceName; misses: string }[] = [
  { source: 'pods', misses: 'container OOM kills (pod status OOMKilled)' },
  { source: 'events', misses: 'node OOM events and evictions' },
];

export interface KillCoverage {
  /** Kill sources that could not be read. */
  missing: SourceName[];
  /** No kill source could be read, and no kill was seen: "no kills" would be a guess. */
  cannotTell: boolean;
  /** One short sentence for a headline when something is missing, else null. */
  sentence: string | null;
  /** The missing sources' own sentences, "pods: …; events: …" (no final stops; '' when none). */
  reasons: string;
}

const and = (xs: string[]): string =>
  xs.length < 2 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}`;

export function killCoverage(a: Pick<NodeAnalysis, 'sources' | 'ooms' | 'evictions'>): KillCoverage {
  const gone = KILL_SOURCES.filter((k) => a.sources[k.source] !== 'ok');
  const missing = gone.map((k) => k.source);
  const cannotTell = gone.length === KILL_SOURCES.length && a.ooms.length + a.evictions.length === 0;
  const reasons = gone
    .map((k) => `${k.source}: ${a.sources[k.source].replace(/^\w+: /, '').replace(/\.$/, '')}`)
    .join('; ');
  if (gone.length === 0) return { missing, cannotTell, sentence: null, reasons };
  const sentence = cannotTell
    ? `Cannot tell whether there were OOM kills or evictions: ${and(missing)} could not be read.`
    : `The ${and(missing)} source${gone.length > 1 ? 's' : ''} could not be read, so ${and(gone.map((k) => k.misses))} may be missing.`;
  return { missing, cannotTell, sentence, reasons };
}
