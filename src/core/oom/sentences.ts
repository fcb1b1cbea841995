/**
 * Plain words for a kill, shared by the CLI and the panel: what limit was hit, what came
 * before it, what to do next.
 */
import type { KillVerdict } from './judge';
import type { OomClass, PrecededBy } from './verdictTypes';
import { formatQuantity } from '../quantity';
import { formatDuration } from '../killWords';

export { classShortWords, formatDuration } from '../killWords';

/** Facts the class sentence uses (all optional). */
export interface ClassWordsInput {
  class: OomClass;
  limitKb?: number | null;
  oomScoreAdj?: number | null;
  qosTier?: string | null;
}

/** "hit its own 300Mi limit", "victim of its parent's limit, chosen by oom_score_adj 1000", … */
export function classWords(x: ClassWordsInput): string {
  const limit = x.limitKb ? `${formatQuantity(x.limitKb * 1024)} ` : '';
  const adj =
    x.oomScoreAdj !== null && x.oomScoreAdj !== undefined
      ? `, chosen by oom_score_adj ${x.oomScoreAdj}`
      : ', chosen by oom_score_adj';
  switch (x.class) {
    case 'container-limit':
      return `hit its own ${limit}limit`;
    case 'pod-limit':
      return `hit its pod's ${limit}limit (the pod-level cgroup)`;
    case 'node-allocatable':
      return `the node's memory for pods (allocatable${x.qosTier ? `, ${x.qosTier} tier` : ''}) ran out; it was the victim${adj}, i.e. by QoS class`;
    case 'ancestor-limit':
      return `victim of its parent's ${limit}limit${adj}`;
    case 'system':
      return `the node ran out of memory; it was the victim${adj}`;
    case 'eviction':
      return 'evicted by the kubelet under node memory pressure, before the kernel acted';
    case 'userspace':
      return 'killed by a userspace OOM killer (systemd-oomd or earlyoom) acting on memory pressure, before the kernel had to';
    case 'unknown':
      return 'which limit was hit cannot be told from the evidence';
  }
}

/** "thrashing for 2m 10s before the kill", "sudden: no memory pressure in the 5m before", … */
export function precededWords(p: PrecededBy, seconds: number | null, windowSeconds: number): string {
  if (p === 'thrashing') return `thrashing for ${formatDuration(seconds ?? 0)} before the kill`;
  if (p === 'pressure')
    return `under memory pressure (no thrashing) for ${formatDuration(seconds ?? 0)} before the kill`;
  return `sudden: no memory pressure in the ${formatDuration(windowSeconds)} before the kill (a burst allocation)`;
}

/** Why "what came before" could not be judged. */
export function notJudgedWords(reason: KillVerdict['notJudged']): string {
  switch (reason) {
    case 'no-psi':
      return 'no PSI data given: cannot tell whether thrashing came first';
    case 'no-time':
      return 'the kill has no wall-clock time (raw dmesg stamps need --boot-time): cannot line it up with PSI';
    case 'no-scope':
      return "no PSI series for this kill's cgroup or the node: cannot tell whether thrashing came first";
    case 'no-coverage':
      return 'the PSI series does not cover the time of this kill: cannot tell whether thrashing came first';
    default:
      return '';
  }
}

/** What to do next, in order of usefulness; `p` undefined = not judged (no PSI). */
export function nextSteps(cls: OomClass, p: PrecededBy | undefined): string[] {
  const steps: string[] = [];
  switch (cls) {
    case 'container-limit':
      steps.push(
        'Raise the container memory limit if the workload needs it, or find the leak (compare usage across restarts).',
      );
      if (p === 'thrashing')
        steps.push(
          'It thrashed first: the limit is close to the working set; size the limit with headroom above peak working set.',
        );
      else if (p === null)
        steps.push('It was sudden: look for a burst allocation (a large request, a batch, an unbounded cache).');
      break;
    case 'pod-limit':
      steps.push('Raise the pod-level memory limit, or lower what the containers of the pod use together.');
      break;
    case 'node-allocatable':
      steps.push('Set memory requests equal to limits for pods that must survive (Guaranteed QoS is killed last).');
      steps.push('Reduce overcommit on the node: the sum of limits exceeds allocatable memory.');
      break;
    case 'ancestor-limit':
      steps.push("Raise the parent cgroup's limit, or protect this process with a lower oom_score_adj.");
      break;
    case 'system':
      steps.push(
        'The node ran out: reserve memory for the system (kube-reserved/system-reserved, eviction thresholds) and set requests so the scheduler does not overpack.',
      );
      steps.push('Give important pods Guaranteed QoS; BestEffort and high-ratio Burstable pods are killed first.');
      break;
    case 'eviction':
      steps.push('Set memory requests close to real usage; pods using more than their request are evicted first.');
      break;
    case 'userspace':
      steps.push(
        "Read the killer's reason: raise its threshold (systemd-oomd ManagedOOMMemoryPressureLimit=, earlyoom -m/-s) or exclude the unit, or reduce what the workload uses.",
      );
      break;
    case 'unknown':
      steps.push(
        'Get the full kernel OOM report (dmesg / journalctl -k on the node) to see which cgroup limit was hit.',
      );
      break;
  }
  if (p === 'thrashing' && cls !== 'container-limit')
    steps.push('Thrashing came first: alert on PSI memory full > 10% to act before the kill.');
  return steps;
}

/** One line for a kill: "pid 17451 (anon_grower) hit its own 300Mi limit; thrashing for 2m 10s before the kill". */
export function killSentence(k: KillVerdict, windowSeconds: number): string {
  const v = k.event.victim;
  const g = k.event.groupKill;
  const who =
    v && v.pid !== null
      ? `pid ${v.pid}${v.comm ? ` (${v.comm})` : ''}`
      : g
        ? `cgroup ${g.cgroup}${g.size !== null ? ` (${g.size} process${g.size === 1 ? '' : 'es'})` : ''}`
        : 'an unknown task';
  const cls = classWords({
    class: k.class,
    limitKb: k.event.memcgLimitKb,
    oomScoreAdj: v?.oomScoreAdj ?? null,
  });
  const before = k.notJudged
    ? notJudgedWords(k.notJudged)
    : precededWords(k.precededBy, k.precedingSeconds, windowSeconds);
  return `${who} ${cls}; ${before}`;
}

/** "5 processes of container 9192cb33411f killed together (memory.oom.group)" (the members of one group kill). */
export function groupKillSentence(members: KillVerdict[]): string {
  const first = members[0]!;
  const g = first.event.groupKill!;
  const n = Math.max(members.length, g.size ?? 0);
  const of = first.containerId ? `container ${first.containerId.slice(0, 12)}` : `cgroup ${g.cgroup}`;
  return processesKilledTogether(n, of);
}

/** "3 processes of container taskmanager killed together (memory.oom.group)": the one wording of a group kill. */
export function processesKilledTogether(n: number, of: string): string {
  return `${n} process${n === 1 ? '' : 'es'} of ${of} killed together (memory.oom.group)`;
}
