// The analysis workers' heap cap: a worker that needs too much memory fails its batch at 256 MB
// (the main thread then does the batch itself) instead of growing to the process's heap limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnalysisWorkers } from '../../src/server/analysisWorkers';
import { DEFAULT_SETTINGS } from '../../src/core/manifest/findingTypes';
import { NO_OBSERVATIONS } from '../../src/server/observations';
import { DocumentAnalysis } from '../../src/server/documentAnalysis';

/** Static analysis: the settings' defaults, no observed usage. */
const RUN = { settings: DEFAULT_SETTINGS, observations: NO_OBSERVATIONS };
const STATIC = { settings: DEFAULT_SETTINGS, observed: [], defaultNamespace: 'default' };

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
    workers.run(0, [{ text: 'x', index: 0 }], STATIC),
    (e: NodeJS.ErrnoException) => e.code === 'ERR_WORKER_OUT_OF_MEMORY',
  );
  // It stopped at its own cap (256 MB), not at the process's heap limit (gigabytes on most machines).
  assert.ok(
    process.resourceUsage().maxRSS < 1024 * 1024,
    `peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`,
  );
  assert.deepEqual(await workers.run(0, [], STATIC), []);
});

void test('a worker that fails is logged once, and its documents are analyzed on the main thread: the findings equal a run without workers', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-workers-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // Stands in for a broken worker: it throws on the first batch it is given.
  const script = join(dir, 'broken.cjs');
  writeFileSync(
    script,
    `const { parentPort } = require('node:worker_threads');
parentPort.on('message', () => { throw new Error('worker broke on purpose'); });
`,
  );
  const workers = new AnalysisWorkers(script, 3, 60_000);
  t.after(() => workers.dispose());
  const doc = (i: number): string =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${i}\nspec:\n  containers:\n    - name: c\n      image: nginx\n      resources:\n        requests:\n          memory: 64Mi\n`;
  const text = Array.from({ length: 400 }, (_, i) => doc(i)).join('---\n');
  const lines: string[] = [];
  let logged: () => void = () => {};
  const firstLine = new Promise<void>((resolve) => (logged = resolve));
  const note = (m: string): void => {
    lines.push(m);
    logged();
  };
  const log = { info: () => {}, warn: note, error: note };
  // Parallel from 1 character on, so the broken workers are really used.
  const withWorkers = await new DocumentAnalysis(workers, 1, log).analyze(text, 1, RUN, 'k', async () => true);
  const alone = await new DocumentAnalysis().analyze(text, 1, RUN, 'k');
  assert.ok(withWorkers && alone);
  const findings = (s: NonNullable<typeof alone>): string[] =>
    s.results.flatMap((r) => r.findings.map((f) => `${f.ruleId}@${f.object?.name}`));
  assert.equal(findings(withWorkers).length, 400);
  assert.deepEqual(findings(withWorkers), findings(alone));
  // The main thread may finish before a starting worker fails: the line comes when it does.
  let bound: NodeJS.Timeout | undefined;
  await Promise.race([
    firstLine,
    new Promise((_, reject) => (bound = setTimeout(() => reject(new Error('no log line within 30 s')), 30_000))),
  ]);
  clearTimeout(bound);
  assert.match(
    lines[0],
    /analysis worker \d failed \(.*worker broke on purpose.*\); its documents are analyzed on the main thread/,
  );
});
