// `--watch DURATION --interval DURATION` (reliability D20): the watch lasts its whole duration,
// the last interval included. The loop on a fake clock, then analyze-node against the loopback API server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pollFor, type WatchClock } from '../../src/cli/watchLoop';
import { startApiServer } from '../../src/demo/apiServer';
import { runCli } from './support';

/** The times (ms from the start) at which pollFor polls; each poll takes `pollMs` of fake time. */
async function pollTimes(durationMs: number, intervalMs: number, pollMs = 0): Promise<number[]> {
  let t = 0;
  const clock: WatchClock = {
    now: () => t,
    sleep: async (ms) => {
      t += ms;
    },
  };
  const times: number[] = [];
  await pollFor(
    durationMs,
    intervalMs,
    async () => {
      times.push(t);
      t += pollMs;
    },
    clock,
  );
  return times;
}

void test('pollFor: polls on the interval grid and once more at the end of the duration', async () => {
  assert.deepEqual(
    await pollTimes(12_000, 4_000),
    [4_000, 8_000, 12_000],
    '--watch 12s --interval 4s reports after 12 s',
  );
  assert.deepEqual(await pollTimes(10_000, 4_000), [4_000, 8_000, 10_000], 'a shorter last interval');
  assert.deepEqual(await pollTimes(3_000, 1_000), [1_000, 2_000, 3_000]);
  assert.deepEqual(await pollTimes(1_000, 4_000), [1_000], 'an interval longer than the watch: one poll at its end');
  assert.deepEqual(await pollTimes(300, 100), [100, 200, 300]);
  assert.deepEqual(
    await pollTimes(12_000, 4_000, 5_000),
    [4_000, 12_000],
    'a poll that overruns the next point skips it, not back to back',
  );
  assert.deepEqual(
    await pollTimes(12_000, 4_000, 100),
    [4_000, 8_000, 12_000],
    'the grid does not drift with the poll time',
  );
});

void test('analyze-node --watch 3s --interval 1.5s polls the node three times (at 0, 1.5 and 3 s)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-watch-'));
  const s = await startApiServer({
    startTime: Date.parse('2026-11-27T17:00:00Z'),
    scenario: 'thrash-then-system-oom',
    autoStep: false,
    dir,
  });
  t.after(async () => {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const summary = (): number =>
    Object.entries(s.requests.byPath)
      .filter(([p]) => p.endsWith('/proxy/stats/summary'))
      .reduce((n, [, c]) => n + c, 0);
  const once = await runCli(['analyze-node', 'demo-worker-1', '--kubeconfig', s.kubeconfigPath, '--format', 'json']);
  assert.ok(once.code === 0 || once.code === 1, once.stderr);
  const perPoll = summary();
  assert.ok(perPoll >= 1, JSON.stringify(s.requests.byPath));
  const r = await runCli(
    [
      'analyze-node',
      'demo-worker-1',
      '--kubeconfig',
      s.kubeconfigPath,
      '--watch',
      '3s',
      '--interval',
      '1.5s',
      '--format',
      'json',
    ],
    { timeoutMs: 30_000 },
  );
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  assert.equal((summary() - perPoll) / perPoll, 3, 'the last interval is not dropped');
});
