/**
 * The node's kernel log (read on request by src/cluster/access/nodeDebugPod.ts) → kernel OOM reports, joined
 * with the API-side kills: a kill gains the report's memcg usage and limit, its largest tasks and the members
 * of a group kill. A report joins the kill of the same pod UID (from the victim's cgroup) nearest in time, else
 * a node-event kill of the same pid; a report nothing names becomes a kill of its own.
 */
import { killRecord } from './apiKills';
import { KernelLogParser, type KernelOomEvent } from '../../core/oom/kernelLogParser';
import { classifyKernelOom } from '../../core/oom/classify';
import { parseCgroupPath } from '../../core/oom/cgroupPath';
import { formatQuantity } from '../../core/quantity';
import type { KillRecord } from './nodeAnalysisTypes';
import { qosFromAdj } from './apiKills';

/** A report and its group's members (the parser gives one event per killed process of a group kill). */
export interface KernelReport {
  event: KernelOomEvent;
  members: { pid: number | null; comm: string | null }[];
}

/** How far apart a kernel report and an API-side kill may be to be the same kill. */
const MATCH_MS = 120_000;
const PAGE = 4096;

/** Reads the debug pod's log: the clock line dates the `[seconds since boot]` stamps; one report per OOM report. */
export function kernelReportsFromLog(text: string): KernelReport[] {
  const clock = /^oomscope-clock (\d+) ([\d.]+)/m.exec(text);
  const bootTimeMs = clock ? Math.round((Number(clock[1]) - Number(clock[2])) * 1000) : undefined;
  const parser = new KernelLogParser(bootTimeMs !== undefined ? { bootTimeMs } : {});
  const events: KernelOomEvent[] = [];
  for (const line of text.split('\n')) if (!line.startsWith('oomscope-clock ')) events.push(...parser.push(line));
  events.push(...parser.end());
  const byReport = new Map<number, KernelReport>();
  for (const ev of events) {
    const r = byReport.get(ev.lines[0]);
    const member = { pid: ev.victim?.pid ?? null, comm: ev.victim?.comm ?? null };
    if (!r) byReport.set(ev.lines[0], { event: ev, members: ev.groupKill ? [member] : [] });
    else if (!r.members.some((m) => m.pid === member.pid)) r.members.push(member);
  }
  // A group kill's report is read through its selected victim (the task the OOM killer chose).
  for (const r of byReport.values()) {
    const sel = r.event.groupKill?.selectedPid;
    if (sel !== null && sel !== undefined && r.event.victim?.pid !== sel) {
      const chosen = events.find((e) => e.lines[0] === r.event.lines[0] && e.victim?.pid === sel);
      if (chosen) r.event = chosen;
    }
  }
  return [...byReport.values()];
}

/** The evidence lines a report adds: the limit and usage, the group kill, the largest tasks. */
export function kernelEvidence(r: KernelReport): string[] {
  const ev = r.event;
  const out: string[] = [];
  const where = ev.oomMemcg ?? (ev.globalOom ? 'the node' : 'the memory cgroup');
  if (ev.memcgUsageKb !== null && ev.memcgLimitKb !== null)
    out.push(
      `kernel log (read from the node): memory usage ${formatQuantity(ev.memcgUsageKb * 1024)} of limit ${formatQuantity(ev.memcgLimitKb * 1024)} in ${where}`,
    );
  if (ev.victim)
    out.push(
      `kernel log: killed pid ${ev.victim.pid ?? '?'} (${ev.victim.comm ?? '?'})${ev.victim.anonRssKb !== null ? `, anon-rss ${formatQuantity(ev.victim.anonRssKb * 1024)}` : ''}${ev.victim.oomScoreAdj !== null ? `, oom_score_adj ${ev.victim.oomScoreAdj}` : ''}`,
    );
  if (ev.groupKill) {
    const names = r.members.map((m) => `${m.comm ?? '?'} (${m.pid ?? '?'})`).join(', ');
    out.push(
      `kernel log: group kill (memory.oom.group) of ${ev.groupKill.cgroup}: ${r.members.length} process${r.members.length === 1 ? '' : 'es'} killed: ${names}`,
    );
  }
  const top = [...ev.tasks].sort((a, b) => (b.rssPages ?? 0) - (a.rssPages ?? 0)).slice(0, 3);
  if (top.length)
    out.push(
      `kernel log: largest of ${ev.tasks.length} tasks: ${top.map((t) => `${t.name} (${t.pid}) rss ${formatQuantity((t.rssPages ?? 0) * PAGE)}`).join(', ')}`,
    );
  return out;
}

function withReport(k: KillRecord, r: KernelReport): KillRecord {
  const ev = r.event;
  const evidence = [...k.evidence];
  for (const e of kernelEvidence(r)) if (!evidence.includes(e)) evidence.push(e);
  const cls = k.class === 'unknown' ? classifyKernelOom(ev).class : k.class;
  return {
    ...k,
    class: cls,
    t: k.t ?? ev.time,
    evidence,
    kernel: {
      pid: k.kernel?.pid ?? ev.victim?.pid ?? null,
      comm: k.kernel?.comm ?? ev.victim?.comm ?? null,
      oomScoreAdj: k.kernel?.oomScoreAdj ?? ev.victim?.oomScoreAdj ?? null,
      oomMemcg: ev.oomMemcg,
      taskMemcg: ev.taskMemcg,
      memcgUsageBytes: ev.memcgUsageKb !== null ? ev.memcgUsageKb * 1024 : null,
      memcgLimitBytes: ev.memcgLimitKb !== null ? ev.memcgLimitKb * 1024 : null,
      tasks: ev.tasks.map((t) => ({
        pid: t.pid,
        name: t.name,
        rssBytes: t.rssPages !== null ? t.rssPages * PAGE : null,
        oomScoreAdj: t.oomScoreAdj,
      })),
      groupMembers: r.members,
    },
  };
}

/** A report no API-side kill names: a kill of its own, classed from the report. */
function reportKill(r: KernelReport, node: string): KillRecord {
  const ev = r.event;
  const v = classifyKernelOom(ev);
  const cg = ev.taskMemcg ? parseCgroupPath(ev.taskMemcg) : null;
  const base = killRecord({
    id: `oom:kernel:${node}:${ev.victim?.pid ?? ''}:${ev.time ?? ev.monotonicSeconds ?? ''}`,
    kind: 'oom',
    t: ev.time,
    class: v.class,
    qosClass: qosFromAdj(ev.victim?.oomScoreAdj ?? null),
    evidence: v.evidence,
    container: ev.victim?.comm ?? null,
    podUid: cg?.podUid ?? null,
  });
  return withReport(base, r);
}

/** The kills with the kernel's reports joined in (new records; the inputs are not changed). */
export function joinKernelReports(kills: KillRecord[], reports: KernelReport[], node: string): KillRecord[] {
  if (reports.length === 0) return kills;
  const out = [...kills];
  const taken = new Set<number>();
  for (const r of reports) {
    const ev = r.event;
    const uid = ev.taskMemcg ? parseCgroupPath(ev.taskMemcg).podUid : null;
    const dt = (k: KillRecord): number =>
      k.t !== null && ev.time !== null ? Math.abs(k.t - ev.time) : ev.time === null ? 0 : Infinity;
    const pid = ev.victim?.pid ?? null;
    let best = -1;
    out.forEach((k, i) => {
      if (k.kind !== 'oom' || taken.has(i) || dt(k) > MATCH_MS) return;
      const same = (uid !== null && k.podUid === uid) || (k.podUid === null && pid !== null && k.kernel?.pid === pid);
      if (same && (best === -1 || dt(k) < dt(out[best]!))) best = i;
    });
    if (best === -1) out.push(reportKill(r, node));
    else {
      taken.add(best);
      out[best] = withReport(out[best]!, r);
    }
  }
  return out.sort((a, b) => (a.t ?? 0) - (b.t ?? 0));
}
