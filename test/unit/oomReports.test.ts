// The report model on focused real excerpts (test/fixtures/oom-corpus/): group kills, grep-filtered summaries
// paired by pid, CONSTRAINT_NONE memcg OOMs, cut paths, userspace killers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { KernelLogParser, parseKernelLog } from '../../src/core/oom/kernelLogParser';
import { judgeKills, killEvents } from '../../src/core/oom/judge';
import { classifyKernelOom, classifyStatusOom } from '../../src/core/oom/classify';

const corpus = (f: string): string => readFileSync(`test/fixtures/oom-corpus/${f}`, 'utf8');
/** Mail quoting ("> ") and the caller id ("[ T9185]") removed: the framing is another slice's. */
const unquote = (t: string): string => t.replace(/^> /gm, '').replace(/^(\[ *\d+\.\d+\])\[ *T?\d+\] /gm, '$1 ');

void test('group kill whose selected victim is listed again: every process once, each with the group', () => {
  const evs = parseKernelLog(unquote(corpus('ml-linux-mm-20180801-guro-group-kill-global-victim-twice-quoted.log')));
  assert.deepEqual(
    evs.map((e) => e.victim!.pid),
    [1221, 1217, 1218, 1219, 1220, 1222],
  );
  for (const e of evs) assert.deepEqual(e.groupKill, { cgroup: '/A1', selectedPid: 1221, size: 6 });
  const v = judgeKills(evs, [], new Map());
  assert.ok(v.every((k) => k.class === 'system'));
  assert.equal(killEvents(v).length, 1, 'one event');
});

void test('CONSTRAINT_NONE with "Memory cgroup out of memory" and oom_memcg (kernel 5.0) is a memcg OOM', () => {
  const evs = parseKernelLog(
    unquote(corpus('ml-linux-mm-20190201-tetsuo-group-kill-constraint-none-memcg-5.0-quoted.log')),
  );
  assert.equal(evs.length, 12);
  const v = classifyKernelOom(evs[0]!);
  assert.equal(v.class, 'container-limit');
  assert.match(v.evidence[0]!, /constraint=CONSTRAINT_NONE, yet the kill line says "Memory cgroup out of memory"/);
  assert.ok(evs.every((e) => e.memcgLimitKb === 51200 && e.groupKill?.size === 12));
});

void test('grep-filtered: 4 summaries then 4 kill lines are 4 kills, each with its own pid and time', () => {
  const s = (pid: number, t: string): string =>
    `Mar  1 10:00:0${t} node kernel: oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/kubepods/pod${pid},task_memcg=/kubepods/pod${pid},task=app${pid},pid=${pid},uid=0`;
  const k = (pid: number, t: string): string =>
    `Mar  1 10:00:0${t} node kernel: Memory cgroup out of memory: Killed process ${pid} (app${pid}) total-vm:1000kB, anon-rss:${pid}kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:900`;
  const lines = [s(11, '1'), s(22, '2'), s(33, '3'), s(44, '4'), k(11, '5'), k(22, '6'), k(33, '7'), k(44, '8')];
  const evs = parseKernelLog(lines.join('\n'), { year: 2025 });
  assert.deepEqual(
    evs.map((e) => [e.victim!.pid, e.victim!.anonRssKb, e.taskMemcg, new Date(e.time!).getUTCSeconds()]),
    [
      [11, 11, '/kubepods/pod11', 5],
      [22, 22, '/kubepods/pod22', 6],
      [33, 33, '/kubepods/pod33', 7],
      [44, 44, '/kubepods/pod44', 8],
    ],
  );
  // A summary whose kill line never comes is still a kill (pid, comm, memcg).
  const alone = parseKernelLog([s(11, '1'), s(22, '2'), k(22, '3')].join('\n'));
  assert.deepEqual(
    alone.map((e) => [e.victim!.pid, e.victim!.comm, e.oomMemcg]),
    [
      [11, 'app11', '/kubepods/pod11'],
      [22, 'app22', '/kubepods/pod22'],
    ],
  );
});

void test('a cgroup path cut short is marked cut, and taken whole from the Tasks in … line of the same report', () => {
  const cut = corpus('repo-sathpal-regulated-k8s-reference-aks02-kubectl-debug-grep-cut-group-kill.log');
  const [e] = parseKernelLog(cut);
  assert.equal(e!.cgroupCut, false);
  assert.match(
    e!.taskMemcg!,
    /cri-containerd-c44d2f7a9f1f16bb3f6922e7c02215d9618db819fc89f254817b5f52d91f74ea\.scope$/,
  );
  const [k] = judgeKills([e!], [], new Map());
  assert.equal(k!.podUid, 'a8b8a570-9d92-4702-aac3-9264b667146c');
  assert.equal(k!.class, 'pod-limit', 'oom_memcg (whole) is the pod slice: not replaced by the longer path');
  // Without the Tasks line: marked cut, the pod UID not guessed from the partial path.
  const [only] = parseKernelLog(cut.split('\n').slice(0, 2).join('\n'));
  assert.equal(only!.cgroupCut, true);
  assert.equal(judgeKills([only!], [], new Map())[0]!.podUid, null);
  // A value the line ended in, marked with '>'.
  const [gt] = parseKernelLog(
    'oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/kubepods/burstable/pod3902af1e-8c>',
  );
  assert.equal(gt!.cgroupCut, true);
  assert.equal(gt!.oomMemcg, '/kubepods/burstable/pod3902af1e-8c');
});

void test('systemd-oomd and earlyoom lines are userspace kills, with the killer and its reason', () => {
  const [oomd] = judgeKills(
    parseKernelLog(corpus('issue-systemd-23606-systemd-oomd-killed-scope-syslog.log')),
    [],
    new Map(),
  );
  assert.equal(oomd!.class, 'userspace');
  assert.equal(oomd!.event.killer, 'systemd-oomd');
  assert.equal(oomd!.event.groupKill!.size, 12);
  assert.match(
    oomd!.evidence.join('\n'),
    /systemd-oomd: memory pressure for \/user\.slice\/user-1001\.slice\/user@1001\.service being 51\.07% > 50\.00% for > 20s/,
  );
  const marked = parseKernelLog(corpus('issue-omarchy-9799-systemd-oomd-swap-kill-abbreviated-path.log'));
  assert.equal(marked.length, 1);
  assert.match(marked[0]!.groupKill!.cgroup, /^\/user\.slice\/user-1000\.slice\/user@1000\.service\/app\.slice\//);
  const early = judgeKills(
    parseKernelLog(corpus('issue-earlyoom-261-journal-earlyoom-two-sigterms.log')),
    [],
    new Map(),
  );
  assert.deepEqual(
    early.map((k) => [k.class, k.event.killer, k.event.victim!.pid, k.event.victim!.comm]),
    [
      ['userspace', 'earlyoom', 57834, 'code'],
      ['userspace', 'earlyoom', 57192, 'code'],
    ],
  );
  assert.match(
    early[0]!.evidence.join('\n'),
    /earlyoom: low memory! at or below SIGTERM limits: mem {2}5\.00%, swap 40\.00% \(sent SIGTERM\)/,
  );
  const retried = parseKernelLog(corpus('issue-earlyoom-354-earlyoom-oom-score-cmdline-did-not-exit.log'));
  assert.equal(retried.length, 1, 'earlyoom signalling the same pid again is one kill');
});

void test('lines that look like OOM-killer output are counted when a report has no kill', () => {
  const p = new KernelLogParser();
  for (const l of corpus('issue-k3s-12028-kernel-6.14-comm-with-space-header-only.log').split('\n')) p.push(l);
  const evs = p.end();
  assert.equal(judgeKills(evs, [], new Map()).length, 0);
  const o = p.oomLookingLines();
  assert.ok(o.count >= 1);
  assert.match(o.first[0]!.text, /invoked oom-killer/);
});

void test('an exit 137 with no kernel report names a userspace killer as a possible cause', () => {
  const v = classifyStatusOom({ reason: 'Error', exitCode: 137, nodeEvidence: [] });
  assert.equal(v.class, 'unknown');
  assert.ok(v.evidence.some((e) => /userspace OOM killer \(systemd-oomd, earlyoom\) is a possible cause/.test(e)));
});
