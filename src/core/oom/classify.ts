/**
 * Which limit was hit (docs/verdict.md "Classes"), with the evidence that led there.
 */
import { isCgroupDescendant, parseCgroupPath } from './cgroupPath';
import type { KernelOomEvent } from './kernelLogParser';
import type { OomClass } from './verdictTypes';

/** A class and the facts, in the user's words, that led to it. */
export interface OomVerdict {
  class: OomClass;
  evidence: string[];
}

function memcgEvidence(ev: KernelOomEvent): string[] {
  const e: string[] = [];
  if (memcgDespiteConstraint(ev))
    e.push(
      `kernel: constraint=CONSTRAINT_NONE, yet the kill line says "Memory cgroup out of memory" and names oom_memcg=${ev.oomMemcg}: a memory cgroup OOM (kernels 4.19 to 5.1 print CONSTRAINT_NONE for these)`,
    );
  else if (ev.constraint) e.push(`kernel: constraint=${ev.constraint}`);
  if (ev.constraint === null && ev.oomMemcg && ev.taskMemcg) {
    e.push(`kernel: "Task in ${ev.taskMemcg} killed as a result of limit of ${ev.oomMemcg}"`);
  } else {
    if (ev.oomMemcg) e.push(`kernel: oom_memcg=${ev.oomMemcg}`);
    if (ev.taskMemcg) e.push(`kernel: task_memcg=${ev.taskMemcg}`);
  }
  return e;
}

function victimWords(ev: KernelOomEvent): string {
  const v = ev.victim;
  if (!v) return 'no victim line in the report';
  return `victim pid ${v.pid} (${v.comm ?? '?'})${v.oomScoreAdj !== null ? ` with oom_score_adj ${v.oomScoreAdj}` : ''}`;
}

/** A userspace killer's kill: who killed what, and the reason it printed. */
function classifyUserspace(ev: KernelOomEvent): OomVerdict {
  const v = ev.victim;
  const g = ev.groupKill;
  const what = g
    ? `${g.cgroup}${g.size !== null ? ` (${g.size} process${g.size === 1 ? '' : 'es'})` : ''}`
    : v
      ? `pid ${v.pid}${v.comm ? ` (${v.comm})` : ''}`
      : 'a process';
  const e = [`${ev.killer} (a userspace killer, not the kernel) killed ${what}`];
  if (ev.killerReason) e.push(`${ev.killer}: ${ev.killerReason}`);
  return { class: 'userspace', evidence: [...e, ...ev.readingNotes] };
}

/** Classifies one OOM report (kernel or userspace killer); how a cut report was read joins the evidence. */
export function classifyKernelOom(ev: KernelOomEvent): OomVerdict {
  if (ev.killer !== 'kernel') return classifyUserspace(ev);
  const v = classifyKernelReport(ev);
  if (ev.readingNotes.length) v.evidence.push(...ev.readingNotes);
  if (ev.cgroupCut) v.evidence.push('the cgroup path is cut short and no other line of the report gives it whole');
  return v;
}

/**
 * "Memory cgroup out of memory" with an oom_memcg is a memory cgroup OOM whatever the constraint word says:
 * kernels 4.19 to 5.1 print CONSTRAINT_NONE for memcg OOMs (fixed in 5.2).
 */
function memcgDespiteConstraint(ev: KernelOomEvent): boolean {
  return ev.constraint === 'CONSTRAINT_NONE' && !ev.globalOom && ev.killLineKind === 'memcg' && ev.oomMemcg !== null;
}

function classifyKernelReport(ev: KernelOomEvent): OomVerdict {
  const c = ev.constraint;
  const contradiction = memcgDespiteConstraint(ev);
  if (
    ev.globalOom ||
    (c === 'CONSTRAINT_NONE' && !contradiction) ||
    c === 'CONSTRAINT_CPUSET' ||
    c === 'CONSTRAINT_MEMORY_POLICY' ||
    (ev.oomKind === 'global' && c === null)
  ) {
    const e: string[] = [];
    if (c) e.push(`kernel: constraint=${c}`);
    if (ev.globalOom && c) e.push('kernel: global_oom (no memory cgroup limit involved)');
    if (!c) e.push('kernel: "Out of memory: Kill(ed) process" (not a memory cgroup OOM)');
    e.push(victimWords(ev));
    return { class: 'system', evidence: e };
  }
  const memcg = contradiction || c === 'CONSTRAINT_MEMCG' || ev.oomKind === 'memcg' || ev.oomMemcg !== null;
  if (!memcg) {
    return {
      class: 'unknown',
      evidence: ['the report does not say whether a cgroup limit or the whole node ran out (truncated)'],
    };
  }
  const base = memcgEvidence(ev);
  const o = ev.oomMemcg;
  const t = ev.taskMemcg;
  if (o === null) {
    const seen = ev.statsMemcgs.length ? `; memory cgroup stats printed for ${ev.statsMemcgs.join(', ')}` : '';
    return {
      class: 'unknown',
      evidence: [
        ...base,
        `memory cgroup OOM, but the line naming the limited cgroup is missing (truncated report)${seen}`,
      ],
    };
  }
  const oi = parseCgroupPath(o);
  const ti = t !== null ? parseCgroupPath(t) : null;
  if (oi.kubernetes) {
    if (oi.level === 'kubepods' || oi.level === 'qos') {
      const tier = oi.level === 'qos' ? `the ${oi.qosTier} QoS tier cgroup` : 'the kubepods cgroup (node allocatable)';
      return {
        class: 'node-allocatable',
        evidence: [
          ...base,
          `oom_memcg is ${tier}, above every pod`,
          `${victimWords(ev)}: chosen by oom_score_adj, i.e. by QoS class`,
        ],
      };
    }
    if (oi.level === 'pod' && (ti === null || ti.podUid === oi.podUid) && t !== o) {
      return {
        class: 'pod-limit',
        evidence: [
          ...base,
          `oom_memcg is the pod cgroup of pod ${oi.podUid}`,
          ...(t ? ['task_memcg is a container below it'] : []),
        ],
      };
    }
    if (oi.level === 'container' || t === o) {
      return {
        class: 'container-limit',
        evidence: [
          ...base,
          t === o ? "oom_memcg equals task_memcg (the victim's own cgroup)" : 'oom_memcg is a container cgroup',
        ],
      };
    }
  }
  if (t === null || t === o) {
    return {
      class: 'container-limit',
      evidence: [
        ...base,
        t === o ? "oom_memcg equals task_memcg (the victim's own cgroup)" : 'only the limited cgroup is named',
      ],
    };
  }
  if (isCgroupDescendant(t, o)) {
    return {
      class: 'ancestor-limit',
      evidence: [
        ...base,
        `oom_memcg ${o} is a parent of the victim's cgroup ${t}`,
        `${victimWords(ev)}: chosen by oom_score_adj among its descendants`,
      ],
    };
  }
  return { class: 'unknown', evidence: [...base, "oom_memcg is neither the victim's cgroup nor one of its parents"] };
}

/** Input for classifying a kill seen only through the Kubernetes API (pod status, events). */
export interface StatusOomInput {
  /** containerStatuses[].(last)State.terminated.reason, or pod status.reason. */
  reason: string | null;
  exitCode: number | null;
  /** Node-level facts around the kill, e.g. `event SystemOOM "System OOM encountered, victim process: x, pid: 1"`. */
  nodeEvidence: string[];
  /** Pod `Evicted` message, when there is one. */
  evictionMessage?: string | null;
}

/** Classifies a kill known only from pod status and events. */
export function classifyStatusOom(input: StatusOomInput): OomVerdict {
  const { reason, exitCode, nodeEvidence } = input;
  const code = exitCode !== null ? ` (exit code ${exitCode})` : '';
  if (reason === 'Evicted' || (input.evictionMessage && /memory/i.test(input.evictionMessage))) {
    return {
      class: 'eviction',
      evidence: [`pod status Evicted${input.evictionMessage ? `: ${input.evictionMessage}` : ''}`, ...nodeEvidence],
    };
  }
  if (reason === 'OOMKilled') {
    if (nodeEvidence.length > 0) {
      return { class: 'system', evidence: [`pod status OOMKilled${code}`, ...nodeEvidence] };
    }
    const e = [`pod status OOMKilled${code}`, 'no node-level OOM evidence around it'];
    if (exitCode === 0)
      e.push('exit code 0: the main process exited itself; a child process in the container was OOM-killed');
    return { class: 'container-limit', evidence: e };
  }
  if (exitCode === 137) {
    if (nodeEvidence.length > 0) {
      return {
        class: 'system',
        evidence: [`exit code 137 (SIGKILL) with reason ${reason ?? 'none'}`, ...nodeEvidence],
      };
    }
    return {
      class: 'unknown',
      evidence: [
        `exit code 137 (SIGKILL) with reason ${reason ?? 'none'}`,
        'missing: an OOMKilled reason, a SystemOOM event or the kernel log to say who sent the SIGKILL',
        "with no kernel OOM report, a userspace OOM killer (systemd-oomd, earlyoom) is a possible cause: look for its lines in the node's journal",
      ],
    };
  }
  return { class: 'unknown', evidence: [`reason ${reason ?? 'none'}${code}`, 'nothing says this was an OOM kill'] };
}
