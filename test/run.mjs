// Runs the test tiers (docs/testing.md). Usage: node test/run.mjs [tier ...]
// A tier is a folder test/<tier>/ holding *.test.ts files: a new one is found without editing this file.
// Known tiers run in the order below (fastest and most basic first), any others after them, by name.
// An unknown tier name fails. Each test file is bundled with esbuild into .test-out/ and all are run
// in ONE `node --test` process tree, so its closing summary counts every test.
// A tier that cannot run on this machine prints one line saying why; under CI=true that is a failure.
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { nodeBundleOptions } from '../buildOptions.mjs';

const ORDER = ['unit', 'protocol', 'cli', 'cluster', 'fuzz', 'kernel', 'browser', 'e2e'];

/** Every folder of test/ that holds a *.test.ts file, known tiers first in ORDER, then the others by name. */
function discoverTiers() {
  const found = readdirSync('test', { withFileTypes: true })
    .filter((d) => d.isDirectory() && readdirSync(join('test', d.name)).some((f) => f.endsWith('.test.ts')))
    .map((d) => d.name);
  const rank = (/** @type {string} */ t) => (ORDER.includes(t) ? ORDER.indexOf(t) : ORDER.length);
  return found.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

const available = discoverTiers();
const asked = process.argv.slice(2);
const unknown = asked.filter((t) => !available.includes(t));
if (unknown.length > 0) {
  console.error(
    `unknown test tier${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (tiers: ${available.join(', ')})`,
  );
  process.exit(2);
}
const tiers = asked.length ? asked : available;

/** @type {string[]} */
const entries = [];
for (const tier of tiers) {
  const dir = join('test', tier);
  for (const f of readdirSync(dir)) if (f.endsWith('.test.ts')) entries.push(join(dir, f));
}
// One output folder per run, so two runs at once do not delete each other's bundles.
const outdir = join('.test-out', `run-${process.pid}`);
rmSync(outdir, { recursive: true, force: true });
const bundle = nodeBundleOptions({
  external: ['playwright-core', 'esbuild', 'fast-check', 'ajv', 'ajv-formats', 'selfsigned'],
});
await esbuild.build({ ...bundle, entryPoints: entries, outdir, outbase: 'test', sourcemap: 'inline' });
const outFiles = entries.map((e) => join(outdir, e.slice('test/'.length).replace(/\.ts$/, '.js')));
const concurrency = process.env.OOMSCOPE_TEST_CONCURRENCY ?? '2';
// Tests keep per-run state (e.g. the .vsix packed once per run) in OOMSCOPE_TEST_RUN_DIR.
const env = { ...process.env, OOMSCOPE_TEST_RUN_DIR: outdir };
const r = spawnSync(process.execPath, ['--test', `--test-concurrency=${concurrency}`, ...outFiles], {
  stdio: 'inherit',
  env,
});
rmSync(outdir, { recursive: true, force: true });
process.exit(r.status ?? 1);
