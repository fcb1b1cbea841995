// A poll can see a node's OOMKilling event before the pod's status says OOMKilled (the two lists are read one after
// the other while the node moves on). The next poll's pod record of that kill replaces the event-only record: one
// kill, never two (it showed as two system OOMs in the node panel under load).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NodeState } from '../../src/cluster/analysis/nodeState';
import { killRecord } from '../../src/cluster/analysis/apiKills';

const t = Date.parse('2026-12-02T05:54:50Z');
const kernel = { pid: 31337, comm: 'report-gen', oomScoreAdj: 1000, oomMemcg: null, taskMemcg: null };

void test('an event-only kill is replaced by the pod record naming the same process; an unrelated one stays as history', () => {
  const s = new NodeState();
  const eventOnly = killRecord({
    id: 'oom:node:demo-worker-1:31337:1',
    kind: 'oom',
    t,
    class: 'system',
    evidence: ['event OOMKilling'],
    kernel,
  });
  const other = killRecord({
    id: 'oom:node:demo-worker-1:42:2',
    kind: 'oom',
    t,
    class: 'system',
    evidence: ['event OOMKilling'],
    kernel: { ...kernel, pid: 42 },
  });
  s.mergeKills([eventOnly, other]);
  const pod = killRecord({
    id: 'oom:uid:report-gen:2026-12-02T05:54:50Z',
    kind: 'oom',
    t: t + 1000,
    class: 'system',
    evidence: ['pod status OOMKilled'],
    kernel,
    pod: 'report-generator-29150420-7xk2q',
  });
  s.mergeKills([pod]);
  assert.deepEqual([...s.kills.keys()].sort(), [pod.id, other.id].sort());
  assert.equal(s.kills.get(other.id)!.fromHistory, true);
});
