import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  KernelLogParser,
  parseKernelLine,
  parseKernelLog,
  parseKernelMessage,
  splitKernelLine,
} from '../../src/core/oom/kernelLogParser';

const fx = (name: string): string => readFileSync(`test/fixtures/kernel-oom/${name}`, 'utf8');

void test('kernel 3.13 memcg report (cAdvisor): every field a person reads', () => {
  const evs = parseKernelLog(fx('cadvisor-oomparser-memcg-oom-kernel-3.13.log'));
  assert.equal(evs.length, 1);
  const e = evs[0]!;
  assert.deepEqual(e.invoker, { comm: 'memorymonster', pid: 13536, gfpMask: '0xd0', order: 0, oomScoreAdj: 0 });
  assert.equal(e.taskMemcg, '/mem2');
  assert.equal(e.oomMemcg, '/mem2');
  assert.equal(e.oomKind, 'memcg');
  assert.equal(e.constraint, null);
  assert.equal(e.globalOom, false);
  assert.equal(e.memcgUsageKb, 980);
  assert.equal(e.memcgLimitKb, 980);
  assert.deepEqual(e.victim, {
    pid: 13536,
    comm: 'memorymonster',
    uid: 275858,
    oomScoreAdj: 0,
    totalVmKb: 33558652,
    anonRssKb: 920,
    fileRssKb: 452,
    shmemRssKb: null,
    score: 996,
  });
  assert.deepEqual(e.tasks, [{ pid: 13536, uid: 275858, rssPages: 343, oomScoreAdj: 0, name: 'memorymonster' }]);
  assert.equal(e.truncated, false);
  assert.deepEqual(e.lines, [1, 31]);
  assert.equal(e.time, null);
  assert.equal(e.monotonicSeconds, null);
});

void test('kernel 3.13 global OOM (cAdvisor): global, the whole task table, the victim', () => {
  const [e, ...rest] = parseKernelLog(fx('cadvisor-oomparser-global-oom-kernel-3.13.log'));
  assert.equal(rest.length, 0);
  assert.equal(e!.globalOom, true);
  assert.equal(e!.oomKind, 'global');
  assert.equal(e!.oomMemcg, null);
  assert.deepEqual(e!.invoker, { comm: 'badsysprogram', pid: 1532, gfpMask: '0x280da', order: 0, oomScoreAdj: 0 });
  assert.equal(e!.cpuset, '/');
  assert.equal(e!.tasks.length, 28);
  assert.deepEqual(e!.tasks[1], { pid: 293, uid: 0, rssPages: 154, oomScoreAdj: -1000, name: 'systemd-udevd' });
  assert.deepEqual(e!.tasks[27], { pid: 1532, uid: 1020, rssPages: 398810, oomScoreAdj: 0, name: 'badsysprogram' });
  assert.deepEqual(e!.victim, {
    pid: 1532,
    comm: 'badsysprogram',
    uid: 1020,
    oomScoreAdj: 0,
    totalVmKb: 1641388,
    anonRssKb: 1595164,
    fileRssKb: 76,
    shmemRssKb: null,
    score: 919,
  });
  assert.equal(e!.truncated, false);
});

void test('kernel 4.8 docker: two reports in a row among unrelated lines', () => {
  const evs = parseKernelLog(fx('cadvisor-oomparser-docker-memcg-two-ooms-kernel-4.8.log'));
  assert.equal(evs.length, 2);
  const id1 = '2e088fe462e25e60be1dafafe2c05c47bda1a97978648d10ad2b7484fc0b8f50';
  const id2 = '6c6fcab8562fd3150854986b78552c732f234fd405b624207b8843528a145e70';
  assert.equal(evs[0]!.oomMemcg, `/docker/${id1}`);
  assert.equal(evs[0]!.taskMemcg, `/docker/${id1}`);
  assert.equal(evs[0]!.cpuset, id1);
  assert.deepEqual(evs[0]!.invoker, {
    comm: 'gunpowder-memho',
    pid: 1381,
    gfpMask: '0x24000c0(GFP_KERNEL)',
    order: 0,
    oomScoreAdj: 0,
  });
  assert.deepEqual(evs[0]!.victim, {
    pid: 1381,
    comm: 'gunpowder-memho',
    uid: 0,
    oomScoreAdj: 0,
    totalVmKb: 2121528,
    anonRssKb: 18624,
    fileRssKb: 2140,
    shmemRssKb: 0,
    score: 1046,
  });
  assert.equal(evs[0]!.memcgLimitKb, 20480);
  assert.deepEqual(evs[0]!.tasks, [{ pid: 1381, uid: 0, rssPages: 5191, oomScoreAdj: 0, name: 'gunpowder-memho' }]);
  assert.deepEqual(evs[0]!.lines, [15, 44], 'the report runs from the header to the oom_reaper line');
  assert.equal(evs[1]!.oomMemcg, `/docker/${id2}`);
  assert.equal(evs[1]!.victim!.pid, 1667);
  assert.equal(evs[1]!.victim!.anonRssKb, 248180);
  assert.equal(evs[1]!.victim!.score, 1003);
  assert.equal(evs[1]!.memcgLimitKb, 307200);
  assert.equal(evs[1]!.memcgUsageKb, 307112);
  assert.equal(evs[1]!.truncated, false);
});

void test('cAdvisor single lines, each read on its own', () => {
  const lines = fx('cadvisor-oomparser-single-lines.log').trimEnd().split('\n');
  assert.deepEqual(parseKernelMessage(lines[0]!), {
    kind: 'invoker',
    comm: 'ruby',
    gfpMask: '0x201da',
    order: 0,
    oomScoreAdj: 0,
  });
  assert.deepEqual(parseKernelMessage(lines[1]!), {
    kind: 'killed',
    oomKind: null,
    pid: 19667,
    comm: 'evil-program2',
    uid: null,
    oomScoreAdj: null,
    totalVmKb: 1460016,
    anonRssKb: 1414008,
    fileRssKb: 4,
    shmemRssKb: null,
  });
  assert.deepEqual(parseKernelMessage(lines[2]!), { kind: 'task-in', taskMemcg: '/mem2', oomMemcg: '/mem3' });
  const pod = '/kubepods/burstable/podfbdfe8e3-1c87-4ff2-907c-b2ec8e25d012';
  const ctr = 'ef807430361e6e82b45db92e2e9b6fbec98f419b12c591e655c1a725565e73a8';
  assert.deepEqual(parseKernelMessage(lines[3]!), {
    kind: 'oom-kill',
    constraint: 'CONSTRAINT_MEMCG',
    cpuset: ctr,
    oomMemcg: pod,
    globalOom: false,
    taskMemcg: `${pod}/${ctr}`,
    task: 'manager',
    pid: 966,
    uid: 0,
    cutField: null,
  });
});

void test('NPD OOMKilling lines: old-kernel selection then kill, memcg', () => {
  const [e, ...rest] = parseKernelLog(fx('npd-kernel_log_generator-oom_kill.log'));
  assert.equal(rest.length, 0);
  assert.equal(e!.oomKind, 'memcg');
  assert.deepEqual(e!.victim, {
    pid: 1012,
    comm: 'heapster',
    uid: null,
    oomScoreAdj: null,
    totalVmKb: 327128,
    anonRssKb: 306328,
    fileRssKb: 11132,
    shmemRssKb: 12345,
    score: 1035,
  });
  assert.equal(e!.truncated, true, 'no "invoked oom-killer" header');
});

void test('stress-ng excerpt: header-less task rows, a ≥ 4.19 global kill, then a second truncated report', () => {
  const evs = parseKernelLog(fx('issue-stress-ng-177-global-oom-excerpt.log'));
  assert.equal(evs.length, 2);
  const [a, b] = evs;
  assert.equal(a!.constraint, 'CONSTRAINT_NONE');
  assert.equal(a!.globalOom, true);
  assert.equal(a!.taskMemcg, '/user.slice/user-1000.slice/session-1.scope');
  assert.equal(a!.oomMemcg, null);
  assert.equal(a!.monotonicSeconds, 44178.537897);
  assert.deepEqual(a!.victim, {
    pid: 1811,
    comm: 'stress-ng',
    uid: 1000,
    oomScoreAdj: 1000,
    totalVmKb: 43240,
    anonRssKb: 0,
    fileRssKb: 64,
    shmemRssKb: 0,
    score: null,
  });
  assert.equal(a!.tasks.length, 8);
  assert.deepEqual(a!.tasks[3], { pid: 1811, uid: 1000, rssPages: 8, oomScoreAdj: 1000, name: 'stress-ng' });
  assert.deepEqual(a!.lines, [1, 11]);
  assert.equal(a!.truncated, true);
  assert.deepEqual(b!.invoker, {
    comm: 'systemd-journal',
    pid: null,
    gfpMask: '0x1100cca(GFP_HIGHUSER_MOVABLE)',
    order: 0,
    oomScoreAdj: -250,
  });
  assert.equal(b!.victim, null);
  assert.equal(b!.truncated, true);
  assert.equal(b!.monotonicSeconds, 44178.645848);
});

void test('kernel 5.4 excerpt: a kill with UID/pgtables/oom_score_adj, then the header of the next report', () => {
  const evs = parseKernelLog(fx('issue-reportportal-k8s-203-memcg-oom-kernel-5.4-excerpt.log'), {
    bootTimeMs: Date.UTC(2021, 6, 1),
  });
  assert.equal(evs.length, 2);
  assert.deepEqual(evs[0]!.victim, {
    pid: 63214,
    comm: 'uwsgi',
    uid: 0,
    oomScoreAdj: 986,
    totalVmKb: 3149468,
    anonRssKb: 164992,
    fileRssKb: 52176,
    shmemRssKb: 92,
    score: null,
  });
  assert.equal(evs[0]!.oomKind, 'memcg');
  assert.equal(evs[0]!.monotonicSeconds, 7063.247407);
  assert.equal(evs[0]!.time, Date.UTC(2021, 6, 1) + 7063247, 'raw stamps anchored to the boot time');
  assert.deepEqual(evs[0]!.lines, [1, 2]);
  assert.deepEqual(evs[1]!.invoker, {
    comm: 'uwsgi',
    pid: 63635,
    gfpMask: '0xcc0(GFP_KERNEL)',
    order: 0,
    oomScoreAdj: 986,
  });
  assert.equal(evs[1]!.victim, null);
});

void test('RHEL 3.10 excerpt with dmesg -T stamps: the "Killed" pid is the victim, not the selected one', () => {
  const evs = parseKernelLog(fx('issue-kubernetes-56891-memcg-oom-kernel-3.10-el7-excerpt.log'));
  assert.equal(evs.length, 2);
  const e = evs[0]!;
  assert.equal(e.victim!.pid, 28438);
  assert.equal(e.victim!.comm, 'java');
  assert.equal(e.victim!.oomScoreAdj, -998, 'from the task table');
  assert.equal(e.victim!.anonRssKb, 466160);
  assert.equal(e.time, Date.UTC(2017, 11, 7, 0, 5, 15));
  assert.deepEqual(e.statsMemcgs, [
    '/kubepods/pod95387fa4-da9c-11e7-9d36-5254b24cbf5e/6895a3e13439535852d3184ac2aadd26d7363cc035f171545ec7d4ce74073b0b',
  ]);
  assert.equal(e.oomMemcg, null, 'the report is cut before the line naming the limited cgroup');
  assert.equal(evs[1]!.time, Date.UTC(2017, 11, 7, 0, 13, 22));
  assert.deepEqual(evs[1]!.invoker, { comm: 'java', pid: 14881, gfpMask: '0xd0', order: 0, oomScoreAdj: -998 });
  assert.equal(evs[1]!.cpuset, '1e479e759020fa0b6c72def90973540a2d33982fea2ad67a96373b4da751a820');
});

void test('photon excerpt: VM-log prefix + <6>[ts], the Tasks state table with pgtables_bytes and a name with a space', () => {
  const [e, ...rest] = parseKernelLog(fx('issue-photon-1535-dump-tasks-kubepods-excerpt.log'));
  assert.equal(rest.length, 0);
  assert.equal(e!.monotonicSeconds, 39291577.00936);
  assert.equal(e!.time, Date.UTC(2023, 11, 4, 10, 49, 30, 127));
  assert.deepEqual(e!.tasks, [
    { pid: 22921, uid: 0, rssPages: 1, oomScoreAdj: -998, name: 'pause' },
    { pid: 19331, uid: 1000, rssPages: 29603, oomScoreAdj: 999, name: 'npm start' },
    { pid: 19387, uid: 1000, rssPages: 36, oomScoreAdj: 999, name: 'sh' },
    { pid: 19388, uid: 1000, rssPages: 138005, oomScoreAdj: 999, name: 'node' },
  ]);
  assert.equal(e!.victim, null);
  assert.equal(e!.truncated, true);
});

void test('gpud: syslog prefix and the systemd-driver oom-kill line', () => {
  const [e] = parseKernelLog(fx('pr-gpud-70-oom-kill-line-containerd-systemd-cgroup.log'), { year: 2024 });
  assert.equal(e!.time, Date.UTC(2024, 7, 30, 6, 58, 55, 51));
  assert.equal(e!.constraint, 'CONSTRAINT_MEMCG');
  assert.equal(e!.victim!.pid, 461754);
  assert.equal(e!.victim!.comm, 'pt_main_thread');
  assert.equal(e!.victim!.uid, 0);
  assert.match(e!.oomMemcg!, /kubepods-burstable-podeded8c65_6e8e_4c6e_a889_3e427565c740\.slice$/);
  assert.match(e!.taskMemcg!, /cri-containerd-ec9ee266.*\.scope$/);
  const [noYear] = parseKernelLog(fx('pr-gpud-70-oom-kill-line-containerd-systemd-cgroup.log'));
  assert.equal(noYear!.time, null, 'syslog stamps have no year: no wall time without one');
});

void test('recorded on this machine (kernel 6.18, cgroup v1): per-line memcg stats, oom-kill line, Killed line', () => {
  const [e, ...rest] = parseKernelLog(fx('recorded-siblings-parent-limit.log'));
  assert.equal(rest.length, 0);
  assert.equal(e!.constraint, 'CONSTRAINT_MEMCG');
  assert.match(e!.oomMemcg!, /^\/oomscope-test-\d+-parent$/);
  assert.equal(e!.taskMemcg, `${e!.oomMemcg}/b`);
  assert.equal(e!.victim!.oomScoreAdj, 500);
  assert.equal(e!.victim!.comm, 'python3');
  assert.equal(e!.memcgLimitKb, 196608);
  assert.equal(e!.truncated, false);
  assert.ok(e!.tasks.length >= 2);
  for (const name of ['recorded-thrash-then-grow.log', 'recorded-burst.log']) {
    const evs = parseKernelLog(fx(name));
    assert.equal(evs.length, 1, name);
    assert.equal(evs[0]!.oomMemcg, evs[0]!.taskMemcg, name);
    assert.equal(evs[0]!.truncated, false, name);
  }
});

void test('every prefix style gives the same message and its stamps', () => {
  const msg =
    'Memory cgroup out of memory: Killed process 17451 (anon_grower) total-vm:300000kB, anon-rss:291840kB, file-rss:6660kB, shmem-rss:0kB, UID:0 pgtables:640kB oom_score_adj:0';
  const cases: Array<[string, number | null, number | null]> = [
    [`[  771.428885] ${msg}`, null, 771.428885],
    [`<4>[  771.428885] ${msg}`, null, 771.428885],
    [`[Fri Nov 27 17:21:26 2026] ${msg}`, Date.UTC(2026, 10, 27, 17, 21, 26), null],
    [`Nov 27 17:21:26 node-1 kernel: ${msg}`, Date.UTC(2026, 10, 27, 17, 21, 26), null],
    [`Nov 27 17:21:26 node-1 kernel: [  771.428885] ${msg}`, Date.UTC(2026, 10, 27, 17, 21, 26), 771.428885],
    [`2026-11-27T17:21:26.428885+00:00 node-1 kernel: ${msg}`, Date.UTC(2026, 10, 27, 17, 21, 26, 429), null],
    [`2026-11-27T19:21:26+0200 node-1 kernel: ${msg}`, Date.UTC(2026, 10, 27, 17, 21, 26), null],
    [`kern  :warn  : [  771.428885] ${msg}`, null, 771.428885],
    [`${msg}\r`, null, null],
  ];
  for (const [line, wall, mono] of cases) {
    const { stamp, message } = parseKernelLine(line, 2026);
    assert.deepEqual(stamp, { wallMs: wall, monotonicSeconds: mono }, line);
    assert.equal(message?.kind, 'killed', line);
    assert.equal(message?.kind === 'killed' ? message.pid : 0, 17451, line);
  }
  assert.equal(
    splitKernelLine('[    0.409121] process_api (1): drop_caches: 10').message,
    'process_api (1): drop_caches: 10',
  );
});

void test('the streaming parser gives the same events as the whole-text parser', () => {
  const text = [
    'cadvisor-oomparser-docker-memcg-two-ooms-kernel-4.8.log',
    'issue-stress-ng-177-global-oom-excerpt.log',
    'cadvisor-oomparser-global-oom-kernel-3.13.log',
  ]
    .map(fx)
    .join('\n');
  const p = new KernelLogParser();
  const streamed = [...text.split('\n').flatMap((l) => p.push(l)), ...p.end()];
  assert.deepEqual(streamed, parseKernelLog(text));
  assert.equal(streamed.length, 5);
});

void test('lines that only look like report lines outside a report are ignored', () => {
  assert.deepEqual(
    parseKernelLog('oom_reaper: reaped process 1 (x), now anon-rss:0kB\nMem-Info:\nsome unrelated line\n'),
    [],
  );
  assert.deepEqual(parseKernelLog(''), []);
});
