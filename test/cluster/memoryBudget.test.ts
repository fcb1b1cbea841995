// Issue 14 points 4 and 6: a group kill seen as several OOMKilling events is one kill with N processes; the
// node's memory budget (capacity → reservations, eviction threshold → allocatable, kubepods limit) and its words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, value } from './helpers';
import { toAnalyzeNodeJson } from '../../src/cli/analyzeNodeOutput';

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
