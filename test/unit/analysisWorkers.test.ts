// The analysis workers' heap cap: a worker that needs too much memory fails its batch at 256 MB
// (the main thread then does the batch itself) instead of growing to the process's heap limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnalysisWorkers } from '../../src/server/analysisWorkers';
import { DEFAULT_SETTINGS } from '../../src/core/manifest/findingTypes';

void test('a worker that needs too much memory fails its batch at its heap cap, not at the process heap limit; the next batch gets a new worker', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-workers-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // Stands in for an analysis that needs more than the cap: it allocates until stopped.
  const script = join(dir, 'hungry.cjs');
  writeFileSync(
    script,
    `const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => {
  if (m.jobs.length === 0) return parentPort.postMessage({ id: m.id, results: [] });
  const hold = [];
  for (;;) hold.push(new Array(1 << 16).fill(hold.length));
});
`,
  );
  const workers = new AnalysisWorkers(script, 2, 60_000);
  // The workers do not keep the process alive (unref): this timer does, and bounds the wait.
  const bound = setTimeout(() => assert.fail('no answer from the workers within 60 s'), 60_000);
  t.after(() => {
    clearTimeout(bound);
    workers.dispose();
  });
  await assert.rejects(
    workers.run(0, [{ text: 'x', index: 0 }], DEFAULT_SETTINGS),
    (e: NodeJS.ErrnoException) => e.code === 'ERR_WORKER_OUT_OF_MEMORY',
  );
  // It stopped at its own cap (256 MB), not at the process's heap limit (gigabytes on most machines).
  assert.ok(
    process.resourceUsage().maxRSS < 1024 * 1024,
    `peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`,
  );
  assert.deepEqual(await workers.run(0, [], DEFAULT_SETTINGS), []);
});
