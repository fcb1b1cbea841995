import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseKernelLog } from '../../src/core/oom/kernelLogParser';
import { judgeKills, scopeForKill } from '../../src/core/oom/judge';
import { classWords, formatDuration, killSentence, nextSteps, precededWords } from '../../src/core/oom/sentences';
import { formatQuantity } from '../../src/core/quantity';
import { psiCoverage } from '../../src/core/oom/psi';
import { DEFAULT_PHASE_SETTINGS, type PhaseInterval } from '../../src/core/oom/verdictTypes';

void test('durations and sizes in the words people use', () => {
  assert.equal(formatDuration(130), '2m 10s');
  assert.equal(formatDuration(45), '45s');
  assert.equal(formatDuration(3780), '1h 3m');
  assert.equal(formatDuration(120), '2m');
  assert.equal(formatQuantity(307200 * 1024), '300Mi');
  assert.equal(formatQuantity(1536 * 1024), '1.5Mi');
  assert.equal(formatQuantity(2 * 1024 ** 3), '2Gi');
  assert.equal(formatQuantity(512), '512');
});

void test('class sentences', () => {
  assert.equal(classWords({ class: 'container-limit', limitKb: 307200 }), 'hit its own 300Mi limit');
  assert.equal(
    classWords({ class: 'ancestor-limit', oomScoreAdj: 1000 }),
    "victim of its parent's limit, chosen by oom_score_adj 1000",
  );
  assert.equal(
    classWords({ class: 'system', oomScoreAdj: 1000 }),
    'the node ran out of memory; it was the victim, chosen by oom_score_adj 1000',
  );
  assert.match(classWords({ class: 'node-allocatable', oomScoreAdj: 999 }), /allocatable.*QoS class/);
  assert.equal(precededWords('thrashing', 130, 300), 'thrashing for 2m 10s before the kill');
  assert.match(precededWords(null, null, 300), /^sudden: no memory pressure in the 5m before the kill/);
  assert.ok(nextSteps('container-limit', 'thrashing').some((s) => /headroom/.test(s)));
  assert.ok(nextSteps('container-limit', null).some((s) => /burst/.test(s)));
  assert.ok(
    !nextSteps('container-limit', undefined).some((s) => /sudden/i.test(s)),
    'not judged: no claim about suddenness',
  );
  assert.ok(nextSteps('system', null).some((s) => /system-reserved/.test(s)));
});

void test('a kill judged against the phases of its own cgroup reads as a post-mortem', () => {
  const events = parseKernelLog(
    readFileSync('test/fixtures/kernel-oom/cadvisor-oomparser-docker-memcg-two-ooms-kernel-4.8.log', 'utf8'),
  );
  events.forEach((e, i) => (e.time = 1_000_000 + i * 1_000_000));
  const scope = events[1]!.oomMemcg!;
  const phases: PhaseInterval[] = [
    {
      scope,
      phase: 'thrashing',
      start: 2_000_000 - 130_000,
      end: null,
      peakSomePercent: 60,
      peakFullPercent: 40,
      signals: '',
      begunBy: 2_000_000 - 130_000,
    },
    {
      scope: 'node',
      phase: 'pressure',
      start: 900_000,
      end: 1_000_000,
      peakSomePercent: 20,
      peakFullPercent: 0,
      signals: '',
      begunBy: 900_000,
    },
  ];
  // PSI recorded every 10 s for both scopes, from before the first kill to after the second.
  const psi = [scope, 'node'].flatMap((sc) =>
    Array.from({ length: 150 }, (_, i) => ({
      t: 600_000 + i * 10_000,
      scope: sc,
      some: { avg10: 0, avg60: 0, avg300: 0, total: 0 },
    })),
  );
  const kills = judgeKills(events, phases, psiCoverage(psi), DEFAULT_PHASE_SETTINGS);
  assert.equal(kills.length, 2);
  assert.equal(kills[0]!.psiScope, 'node', 'the first kill has no series of its own: judged on the node');
  assert.equal(kills[0]!.precededBy, 'pressure');
  assert.equal(kills[1]!.psiScope, scope);
  assert.equal(kills[1]!.precededBy, 'thrashing');
  assert.equal(kills[1]!.precedingSeconds, 130);
  assert.equal(
    killSentence(kills[1]!, 300),
    'pid 1667 (gunpowder-memho) hit its own 300Mi limit; thrashing for 2m 10s before the kill',
  );
  const noPsi = judgeKills(events, [], new Map());
  assert.equal(noPsi[0]!.notJudged, 'no-psi');
  assert.match(killSentence(noPsi[0]!, 300), /no PSI data given/);
  events[0]!.time = null;
  assert.equal(judgeKills(events, phases, psiCoverage(psi))[0]!.notJudged, 'no-time');
});

void test('scope choice: oomMemcg, else taskMemcg, else node, else the only scope', () => {
  const [e] = parseKernelLog(
    'oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/p,task_memcg=/p/c,task=x,pid=1,uid=0',
  );
  assert.equal(scopeForKill(e!, new Set(['/p', '/p/c', 'node'])), '/p');
  assert.equal(scopeForKill(e!, new Set(['/p/c', 'node'])), '/p/c');
  assert.equal(scopeForKill(e!, new Set(['/q', 'node'])), 'node');
  assert.equal(scopeForKill(e!, new Set(['/q'])), '/q');
  assert.equal(scopeForKill(e!, new Set(['/q', '/r'])), null);
});

void test('a kill outside the recorded PSI span is not called sudden', () => {
  const events = parseKernelLog(readFileSync('test/fixtures/kernel-oom/recorded-burst.log', 'utf8'), { bootTimeMs: 0 });
  const kill = events[0]!.time!;
  const samples = [0, 1, 2, 3].map((i) => ({
    t: kill + 60_000 + i * 1000,
    scope: 'node',
    some: { avg10: 0, avg60: 0, avg300: 0, total: 0 },
  }));
  const late = judgeKills(events, [], psiCoverage(samples));
  assert.equal(late[0]!.notJudged, 'no-coverage');
  assert.equal(late[0]!.precededBy, null);
  assert.match(killSentence(late[0]!, 300), /does not cover the time of this kill/);
  const around = samples.map((s) => ({ ...s, t: s.t - 62_000 }));
  const judged = judgeKills(events, [], psiCoverage(around));
  assert.equal(judged[0]!.notJudged, null, 'samples from 2 s before to 1 s after the kill cover it');
  assert.match(killSentence(judged[0]!, 300), /sudden/);
});
