// Issue 14 points 4 and 6: a group kill seen as several OOMKilling events is one kill with N processes; the
// node's memory budget (capacity → reservations, eviction threshold → allocatable, kubepods limit) and its words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, value } from './helpers';
import { formatAnalyzeNodeText, toAnalyzeNodeJson } from '../../src/cli/analyzeNodeOutput';
import {
  memoryBudget,
  NO_RESERVED_SYSTEM_WORDS,
  NO_RESERVED_WORDS,
  thresholdBytes,
  withBudgetWords,
  type BudgetContext,
} from '../../src/cluster/analysis/memoryBudget';
import { UNKNOWN_KUBELET } from '../../src/cluster/analysis/kubeletConfig';
import { killRecord } from '../../src/cluster/analysis/apiKills';
import type { KillRecord, NodeAnalysis } from '../../src/cluster/analysis/nodeAnalysisTypes';

void test('group-kill-events: five OOMKilling events of one container (victim twice) are one kill of 4 processes', async (t) => {
  const h = await harness({ scenario: 'group-kill-events' });
  t.after(() => h.close());
  const a = value(await h.pollTimes(5));
  assert.equal(a.ooms.length, 1, JSON.stringify(a.ooms.map((k) => [k.container, k.kernel?.pid])));
  const k = a.ooms[0]!;
  assert.equal(k.container, 'api');
  assert.equal(k.class, 'container-limit');
  assert.deepEqual(
    k.processes.map((p) => [p.pid, p.comm]),
    [
      [4471, 'gunicorn'],
      [4470, 'gunicorn'],
      [4472, 'gunicorn'],
      [4469, 'sh'],
    ],
    'the selected victim first, each process once',
  );
  assert.ok(
    k.evidence.includes(
      '4 processes of container api killed together (memory.oom.group): gunicorn (pid 4471), gunicorn (pid 4470), gunicorn (pid 4472), sh (pid 4469)',
    ),
    k.evidence.join('\n'),
  );
  assert.equal(k.kernel?.pid, 4471);
  const j = toAnalyzeNodeJson(a);
  assert.equal(j.ooms.length, 1);
  assert.equal(j.ooms[0]!.processes.length, 4);
});

const MI = 1024 * 1024;
const CAP = 8148092 * 1024;

void test('eviction-race: 2.1 GiB in 20 s before a system OOM, no eviction, threshold 100Mi: the kernel acted first', async (t) => {
  const h = await harness({ scenario: 'eviction-race' });
  t.after(() => h.close());
  const a = value(await h.pollTimes(23));
  assert.equal(a.evictions.length, 0);
  const k = a.ooms.find((x) => x.class === 'system')!;
  assert.ok(k, JSON.stringify(a.ooms.map((x) => x.class)));
  assert.ok(
    k.evidence.includes('grew 2.1 GiB in 20 s; eviction threshold 100Mi, polled every ~10 s: the kernel acted first'),
    k.evidence.join('\n'),
  );
  assert.ok(k.evidence.includes(NO_RESERVED_SYSTEM_WORDS), 'no reservations: said for a system OOM too');
  assert.equal(k.evidence.filter((e) => /polled every/.test(e)).length, 1);
  const again = value(await h.poll());
  const k2 = again.ooms.find((x) => x.id === k.id)!;
  assert.equal(k2.evidence.filter((e) => /polled every/.test(e)).length, 1, 'once, poll after poll');
  assert.match(formatAnalyzeNodeText(again), /grew 2\.1 GiB in 20 s/);
});

void test('container-limit-crashloop: limit kills are no race against the eviction poll', async (t) => {
  const h = await harness({ scenario: 'container-limit-crashloop' });
  t.after(() => h.close());
  const a = value(await h.pollTimes(12));
  assert.ok(a.ooms.length > 0);
  assert.ok(!a.ooms.some((k) => k.evidence.some((e) => /polled every/.test(e))), 'limit kills are not a race');
});

void test('configz-reserved: the budget from capacity, reservations and the eviction threshold', async (t) => {
  const h = await harness({ scenario: 'configz-reserved' });
  t.after(() => h.close());
  const a = value(await h.pollTimes(3));
  const ws = a.series.find((s) => s.scope === 'node')!.memory.at(-1)!.workingSetBytes;
  const expected = {
    capacityBytes: CAP,
    systemReservedBytes: 256 * MI,
    kubeReservedBytes: 512 * MI,
    evictionHardBytes: 200 * MI,
    allocatableBytes: CAP - 968 * MI,
    kubepodsLimitBytes: CAP - 768 * MI,
    workingSetBytes: ws,
  };
  assert.deepEqual(a.budget, expected);
  assert.deepEqual(toAnalyzeNodeJson(a).node?.budget, expected);
  assert.match(
    formatAnalyzeNodeText(a),
    /Budget: capacity 7\.8Gi − system-reserved 256Mi − kube-reserved 512Mi = kubepods limit 7Gi; − eviction hard 200Mi = allocatable 6\.8Gi/,
  );
  const k = killOf('node-allocatable');
  assert.ok(!withBudgetWords(k, ctx(a)).evidence.includes(NO_RESERVED_WORDS), 'reservations: no such words');
});

void test('configz unreadable: the budget keeps capacity and allocatable, nulls the rest, and says nothing of reservations', async (t) => {
  const h = await harness({ scenario: 'eviction-race' });
  t.after(() => h.close());
  h.server.setFaults([{ path: '/api/v1/nodes/demo-worker-1/proxy/configz', kind: '404' }]);
  const a = value(await h.pollTimes(23));
  assert.deepEqual(
    { ...a.budget, workingSetBytes: null },
    {
      capacityBytes: CAP,
      systemReservedBytes: null,
      kubeReservedBytes: null,
      evictionHardBytes: null,
      allocatableBytes: 7945340 * 1024,
      kubepodsLimitBytes: null,
      workingSetBytes: null,
    },
  );
  const k = a.ooms.find((x) => x.class === 'system')!;
  assert.ok(!k.evidence.some((e) => /polled every|kube-\/system-reserved/.test(e)), k.evidence.join('\n'));
});

void test('configz without reservations, in words: node-allocatable and system OOMs, never a limit kill', () => {
  const kubelet = {
    ...UNKNOWN_KUBELET,
    source: 'configz' as const,
    kubeReservedMemoryBytes: 0,
    systemReservedMemoryBytes: 0,
  };
  const c = { kubelet, budget: memoryBudget(null, kubelet, []), nodeMemory: [], evictions: [] };
  assert.deepEqual(withBudgetWords(killOf('node-allocatable'), c).evidence, [NO_RESERVED_WORDS]);
  assert.deepEqual(withBudgetWords(killOf('system'), c).evidence, [NO_RESERVED_SYSTEM_WORDS]);
  assert.deepEqual(withBudgetWords(killOf('container-limit'), c).evidence, []);
  assert.equal(thresholdBytes('5%', 1000), 50);
  assert.equal(thresholdBytes('100Mi', null), 100 * MI);
});

function killOf(cls: KillRecord['class']): KillRecord {
  return killRecord({ id: `k-${cls}`, kind: 'oom', t: 1, class: cls, evidence: [] });
}

function ctx(a: NodeAnalysis): BudgetContext {
  return { kubelet: a.kubelet, budget: a.budget, nodeMemory: [], evictions: [] };
}
