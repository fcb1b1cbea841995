/**
 * Panel sources as a reloaded panel builds them (panel/panelSources.ts, the constructors `revive` and the
 * commands share): the user's precursor window and this machine's cgroup folder survive a reload.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as Cluster from '../../src/cluster/index';
import type { LocalReadOptions, LocalSample } from '../../src/local/localReader';
import type { PanelDataSource } from '../../src/panel/memoryPanel';
import { localPanelSource, type SourceContext } from '../../src/panel/panelSources';
import type { PanelSnapshot } from '../../src/shared/panelProtocol';

const BOOT = Date.UTC(2026, 0, 1, 11, 0, 0);
const KILL = BOOT + 3_600_000;
const LOG = [
  '[ 3600.000000] oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task=stress,pid=4481,uid=0',
  '[ 3600.000010] Out of memory: Killed process 4481 (stress) total-vm:82244kB, anon-rss:65280kB, file-rss:6612kB, shmem-rss:0kB, UID:0 pgtables:192kB oom_score_adj:0',
].join('\n');

/** A context as the extension gathers it, with this machine's readers replaced: quiet PSI every 10 s from 700 s before the kill. */
function context(dirs: (string | undefined)[]): SourceContext {
  let t = KILL - 700_000;
  return {
    cluster: {} as typeof Cluster,
    settings: { refreshIntervalSeconds: 10, precursorWindowSeconds: 600 },
    trusted: true,
    historyDir: '/nonexistent',
    manifest: () => null,
    local: {
      readLocalSample: (opts: LocalReadOptions): Promise<LocalSample> => {
        dirs.push(opts.cgroupDir);
        t += 10_000;
        return Promise.resolve({
          t,
          node: {
            t,
            scope: 'node',
            some: { avg10: 0, avg60: 0, avg300: 0, total: 0 },
            full: { avg10: 0, avg60: 0, avg300: 0, total: 0 },
          },
          cgroup: null,
        });
      },
      readKernelLog: () => Promise.resolve({ text: LOG, source: 'dmesg', bootTimeMs: BOOT }),
      cgroupDir: '/sys/fs/cgroup/kubepods.slice',
      now: () => KILL + 100_000,
    },
  };
}

/** Starts a source, refreshes it `n` times (one sample each), returns the last snapshot. */
async function lastSnapshot(source: PanelDataSource, n: number): Promise<PanelSnapshot> {
  let last: PanelSnapshot | null = null;
  source.setLive(false);
  source.start((u) => {
    if ('snapshot' in u) last = u.snapshot;
  });
  for (let i = 0; i < n; i++) await source.refresh();
  source.dispose();
  assert.ok(last, 'a snapshot was emitted');
  return last;
}

void test('a reloaded local panel keeps the cgroup folder and judges with the precursor window of the settings', async () => {
  const dirs: (string | undefined)[] = [];
  // The panel before the reload and after it are built by the same constructor from the same context.
  for (const phase of ['opened', 'reloaded']) {
    const snap = await lastSnapshot(localPanelSource(context(dirs)), 80);
    assert.equal(snap.kills.length, 1, phase);
    assert.equal(
      snap.kills[0]!.precededText,
      'sudden: no memory pressure in the 10m before the kill (a burst allocation)',
      `${phase}: the 600 s window`,
    );
  }
  assert.ok(
    dirs.length > 0 && dirs.every((d) => d === '/sys/fs/cgroup/kubepods.slice'),
    'every sample read the cgroup folder',
  );
});
