/**
 * The CodeLens above a workload in the manifest (issue 16 §2): "3 OOM kills in 24 h · own limit, after thrashing ·
 * Analyze". Pure: from the workload's analysis to words.
 */
import { classShortWords } from '../core/oom/sentences';
import type { OomClass } from '../core/oom/verdictTypes';
import type { WorkloadAnalysis } from '../cluster/analysis/workloadTypes';

const windowWords = (ms: number): string =>
  ms % 86_400_000 === 0 && ms > 86_400_000 ? `${ms / 86_400_000} d` : `${Math.round(ms / 3_600_000)} h`;

function dominant<T extends string>(xs: T[]): T | null {
  const n = new Map<T, number>();
  for (const x of xs) n.set(x, (n.get(x) ?? 0) + 1);
  return [...n.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}

/** The lens's title: how many kills and evictions, the class of most, and whether thrashing came first. */
export function workloadLensTitle(a: WorkloadAnalysis): string {
  const w = windowWords(a.generatedAt - a.since);
  const ooms = a.ooms.length;
  const ev = a.evictions.length;
  if (ooms + ev === 0) return `No OOM kills or evictions in ${w} · Analyze`;
  const parts: string[] = [];
  const counts = [
    ooms ? `${ooms} OOM kill${ooms === 1 ? '' : 's'}` : '',
    ev ? `${ev} eviction${ev === 1 ? '' : 's'}` : '',
  ].filter(Boolean);
  parts.push(`${counts.join(', ')} in ${w}`);
  if (ooms) {
    const cls = dominant(a.ooms.map((k) => k.class as OomClass));
    const judged = a.ooms.filter((k) => k.precededJudged);
    const thrashed = judged.filter((k) => k.precededBy === 'thrashing').length;
    const before =
      judged.length === 0
        ? ''
        : thrashed === judged.length
          ? ', after thrashing'
          : thrashed === 0
            ? ', no thrashing before'
            : `, ${thrashed} of ${judged.length} after thrashing`;
    if (cls) parts.push(`${classShortWords(cls)}${before}`);
  }
  parts.push('Analyze');
  return parts.join(' · ');
}
