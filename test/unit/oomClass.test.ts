import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseKernelLog, type KernelOomEvent } from '../../src/core/oom/kernelLogParser';
import { classifyKernelOom, classifyStatusOom } from '../../src/core/oom/classify';

const fx = (name: string): KernelOomEvent[] =>
  parseKernelLog(readFileSync(`test/fixtures/kernel-oom/${name}`, 'utf8'), { year: 2026 });
const one = (line: string): KernelOomEvent => {
  const evs = parseKernelLog(line);
  assert.equal(evs.length, 1);
  return evs[0]!;
};
const UID = 'fbdfe8e3-1c87-4ff2-907c-b2ec8e25d012';
const CID = 'ef807430361e6e82b45db92e2e9b6fbec98f419b12c591e655c1a725565e73a8';
const line = (oom: string, task: string, constraint = 'CONSTRAINT_MEMCG'): string =>
  `oom-kill:constraint=${constraint},nodemask=(null),cpuset=x,mems_allowed=0,oom_memcg=${oom},task_memcg=${task},task=app,pid=42,uid=0`;

void test('every upstream and recorded kernel fixture gets the class a person would give it', () => {
  const expected: Array<[string, string[]]> = [
    ['cadvisor-oomparser-memcg-oom-kernel-3.13.log', ['container-limit']],
    ['cadvisor-oomparser-global-oom-kernel-3.13.log', ['system']],
    ['cadvisor-oomparser-docker-memcg-two-ooms-kernel-4.8.log', ['container-limit', 'container-limit']],
    ['npd-kernel_log_generator-oom_kill.log', ['unknown']],
    ['issue-stress-ng-177-global-oom-excerpt.log', ['system', 'unknown']],
    ['issue-reportportal-k8s-203-memcg-oom-kernel-5.4-excerpt.log', ['unknown', 'unknown']],
    ['issue-kubernetes-56891-memcg-oom-kernel-3.10-el7-excerpt.log', ['unknown', 'unknown']],
    ['issue-photon-1535-dump-tasks-kubepods-excerpt.log', ['unknown']],
    ['pr-gpud-70-oom-kill-line-containerd-systemd-cgroup.log', ['pod-limit']],
    ['recorded-thrash-then-grow.log', ['container-limit']],
    ['recorded-burst.log', ['container-limit']],
    ['recorded-siblings-parent-limit.log', ['ancestor-limit']],
  ];
  for (const [file, classes] of expected) {
    assert.deepEqual(
      fx(file).map((e) => classifyKernelOom(e).class),
      classes,
      file,
    );
  }
});

void test('the evidence says why', () => {
  const [mem] = fx('cadvisor-oomparser-memcg-oom-kernel-3.13.log');
  assert.deepEqual(classifyKernelOom(mem!).evidence, [
    'kernel: "Task in /mem2 killed as a result of limit of /mem2"',
    "oom_memcg equals task_memcg (the victim's own cgroup)",
  ]);
  const [glob] = fx('issue-stress-ng-177-global-oom-excerpt.log');
  assert.deepEqual(classifyKernelOom(glob!).evidence, [
    'kernel: constraint=CONSTRAINT_NONE',
    'kernel: global_oom (no memory cgroup limit involved)',
    'victim pid 1811 (stress-ng) with oom_score_adj 1000',
  ]);
  const [sib] = fx('recorded-siblings-parent-limit.log');
  const ev = classifyKernelOom(sib!).evidence;
  assert.ok(
    ev.some((e) => /is a parent of the victim's cgroup .*\/b$/.test(e)),
    ev.join(' | '),
  );
  assert.ok(
    ev.some((e) => /oom_score_adj 500: chosen by oom_score_adj among its descendants/.test(e)),
    ev.join(' | '),
  );
  const [npd] = fx('npd-kernel_log_generator-oom_kill.log');
  assert.match(classifyKernelOom(npd!).evidence.join(' '), /line naming the limited cgroup is missing/);
});

void test('Kubernetes memcg levels: container, pod, QoS tier, kubepods', () => {
  const pod = `/kubepods/burstable/pod${UID}`;
  assert.equal(classifyKernelOom(one(line(`${pod}/${CID}`, `${pod}/${CID}`))).class, 'container-limit');
  assert.equal(classifyKernelOom(one(line(pod, `${pod}/${CID}`))).class, 'pod-limit');
  assert.equal(classifyKernelOom(one(line('/kubepods/burstable', `${pod}/${CID}`))).class, 'node-allocatable');
  assert.equal(classifyKernelOom(one(line('/kubepods', `${pod}/${CID}`))).class, 'node-allocatable');
  const sd = `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${UID.replace(/-/g, '_')}.slice`;
  assert.equal(
    classifyKernelOom(one(line('/kubepods.slice', `${sd}/cri-containerd-${CID}.scope`))).class,
    'node-allocatable',
  );
  assert.match(
    classifyKernelOom(one(line('/kubepods.slice', `${sd}/cri-containerd-${CID}.scope`))).evidence.join(' '),
    /chosen by oom_score_adj, i\.e\. by QoS class/,
  );
  assert.equal(classifyKernelOom(one(line('/a', '/b'))).class, 'unknown');
  assert.equal(classifyKernelOom(one(line('/a', '/a/b/c'))).class, 'ancestor-limit');
  assert.equal(classifyKernelOom(one(line('/a', '/a'))).class, 'container-limit');
  assert.equal(
    classifyKernelOom(
      one(
        'Task in /a/b killed as a result of limit of /a\nKilled process 1 (x) total-vm:1kB, anon-rss:1kB, file-rss:1kB',
      ),
    ).class,
    'ancestor-limit',
  );
});

void test('pod status and events', () => {
  assert.equal(classifyStatusOom({ reason: 'OOMKilled', exitCode: 137, nodeEvidence: [] }).class, 'container-limit');
  const exit0 = classifyStatusOom({ reason: 'OOMKilled', exitCode: 0, nodeEvidence: [] });
  assert.equal(exit0.class, 'container-limit');
  assert.match(exit0.evidence.join(' '), /child process/);
  const sys = classifyStatusOom({
    reason: 'OOMKilled',
    exitCode: 137,
    nodeEvidence: ['event SystemOOM "System OOM encountered, victim process: java, pid: 1"'],
  });
  assert.equal(sys.class, 'system');
  assert.match(sys.evidence.join(' '), /SystemOOM/);
  assert.equal(
    classifyStatusOom({ reason: 'Error', exitCode: 137, nodeEvidence: ['event SystemOOM'] }).class,
    'system',
  );
  const bare = classifyStatusOom({ reason: 'Error', exitCode: 137, nodeEvidence: [] });
  assert.equal(bare.class, 'unknown');
  assert.match(bare.evidence.join(' '), /missing/);
  assert.equal(
    classifyStatusOom({
      reason: 'Evicted',
      exitCode: null,
      nodeEvidence: [],
      evictionMessage: 'The node was low on resource: memory.',
    }).class,
    'eviction',
  );
  assert.equal(classifyStatusOom({ reason: 'Completed', exitCode: 0, nodeEvidence: [] }).class, 'unknown');
});
