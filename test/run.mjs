// Runs the test tiers (docs/testing.md). Usage: node test/run.mjs [tier ...]
// Each test/<tier>/*.test.ts is bundled with esbuild into .test-out/ and all are run in ONE
// `node --test` process tree, so its closing summary counts every test.
// A tier that cannot run on this machine prints one line saying why; under CI=true that is a failure.
import * as esbuild from 'esbuild';
import { readdirSync, rmSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ALL = ['unit', 'protocol', 'cli', 'cluster', 'fuzz', 'kernel', 'browser', 'e2e'];
const tiers = process.argv.slice(2).length ? process.argv.slice(2) : ALL;

const entries = [];
for (const tier of tiers) {
  const dir = join('test', tier);
  if (!existsSync(dir)) continue;
  for (const f of readdirSync(dir)) if (f.endsWith('.test.ts')) entries.push(join(dir, f));
}
// One output folder per run, so two runs at once do not delete each other's bundles.
const outdir = join('.test-out', `run-${process.pid}`);
rmSync(outdir, { recursive: true, force: true });
if (entries.length === 0) {
  console.log(`no test files in tiers: ${tiers.join(', ')}`);
  process.exit(1);
}
await esbuild.build({
  entryPoints: entries,
  outdir,
  outbase: 'test',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  external: ['vscode', 'playwright-core', 'esbuild', 'fast-check', 'ajv', 'ajv-formats', 'selfsigned'],
  define: { 'import.meta.url': 'importMetaUrl' },
  inject: ['./esbuild-import-meta.js'],
  logLevel: 'warning',
});
const outFiles = entries.map((e) => join(outdir, e.slice('test/'.length).replace(/\.ts$/, '.js')));
const concurrency = process.env.OOMSCOPE_TEST_CONCURRENCY ?? '2';
// Tests keep per-run state (e.g. the .vsix packed once per run) in OOMSCOPE_TEST_RUN_DIR.
const env = { ...process.env, OOMSCOPE_TEST_RUN_DIR: outdir };
const r = spawnSync(process.execPath, ['--test', `--test-concurrency=${concurrency}`, ...outFiles], { stdio: 'inherit', env });
rmSync(outdir, { recursive: true, force: true });
process.exit(r.status ?? 1);
