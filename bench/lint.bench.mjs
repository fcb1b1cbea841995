// Lint speed and memory on generated manifests of 50, 1,000 and 10,000 documents, beside the
// `yaml` package's parseAllDocuments on the same text, measured in the same run.
// lint = in-process call of the bundled core (analyzeText from src/core/manifest/analyze.ts, bundled by
// esbuild into bench/out/), median of several runs after a warm-up of at least 10 runs or 500 ms, in a fresh child process
// per case so that peak RSS belongs to that case alone. cliMs = wall time of one spawn of
// `node dist/cli.js lint --format json FILE` (process start, read, analyze, format).
// Prints one JSON line per case; never asserts a time.
import * as esbuild from 'esbuild';
import { nodeBundleOptions } from '../buildOptions.mjs';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// The same generated manifests as the LSP benchmark (every workload kind, realistic mistakes).
import { generateManifests } from './lsp/generate.mjs';

const SELF = fileURLToPath(import.meta.url);
const ROOT = join(SELF, '..', '..');
const CORE = join(ROOT, 'bench', 'out', 'lint-core.cjs');

if (process.argv[1] === SELF) {
  if (process.argv[2] === '--child') await child(process.argv[3], process.argv[4], Number(process.argv[5]));
  else await parent();
}

async function child(mode, file, reps) {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  const text = readFileSync(file, 'utf8');
  let run;
  if (mode === 'lint') {
    const { analyzeText } = require(CORE);
    run = () => analyzeText(text);
  } else {
    const { parseAllDocuments } = require(join(ROOT, 'node_modules', 'yaml'));
    run = () => parseAllDocuments(text);
  }
  // Warm up both sides alike (at least 10 runs or 500 ms): with a single warm-up the small case
  // measured the JIT compiling the larger code path, not the steady state.
  let result = run();
  for (let i = 1, w0 = Date.now(); i < 10 || Date.now() - w0 < 500; i++) result = run();
  const times = [];
  const cpu = [];
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    result = run();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const mid = Math.floor(times.length / 2);
  const out = {
    ms: round(times[mid]),
    minMs: round(times[0]),
    cpuMs: round(cpu[mid]),
    peakRssMB: round(process.resourceUsage().maxRSS / 1024),
  };
  if (mode === 'lint')
    Object.assign(out, {
      findings: result.findings.length,
      objects: result.objects.length,
      skipped: result.skipped.length,
    });
  else Object.assign(out, { documents: result.length });
  process.stdout.write(JSON.stringify(out));
}

function round(x) {
  return Math.round(x * 10) / 10;
}

async function parent() {
  mkdirSync(join(ROOT, 'bench', 'out'), { recursive: true });
  await esbuild.build({
    entryPoints: [join(ROOT, 'src', 'core', 'manifest', 'analyze.ts')],
    ...nodeBundleOptions(),
    outfile: CORE,
  });
  const cli = join(ROOT, 'dist', 'cli.js');
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-lint-bench-'));
  try {
    for (const [docs, reps] of [
      [50, 21],
      [1000, 7],
      [10000, 3],
    ]) {
      const file = join(dir, `manifests-${docs}.yaml`);
      writeFileSync(file, generateManifests(docs));
      const lint = measure('lint', file, reps);
      const parse = measure('parse', file, reps);
      let cliMs = null;
      if (existsSync(cli)) {
        const t0 = process.hrtime.bigint();
        const r = spawnSync(process.execPath, [cli, 'lint', '--format', 'json', file], {
          stdio: ['ignore', 'ignore', 'pipe'],
          maxBuffer: 1 << 30,
        });
        cliMs =
          r.status === 0 || r.status === 1
            ? round(Number(process.hrtime.bigint() - t0) / 1e6)
            : `exit ${r.status}: ${String(r.stderr).split('\n')[0]}`;
      }
      console.log(
        JSON.stringify({
          bench: 'lint',
          documents: docs,
          bytes: statSync(file).size,
          lintMs: lint.ms,
          lintMinMs: lint.minMs,
          lintCpuMs: lint.cpuMs,
          lintPeakRssMB: lint.peakRssMB,
          parseAllDocumentsMs: parse.ms,
          parseAllDocumentsMinMs: parse.minMs,
          parseAllDocumentsCpuMs: parse.cpuMs,
          parsePeakRssMB: parse.peakRssMB,
          lintToParse: Math.round((lint.ms / parse.ms) * 100) / 100,
          lintToParseCpu: Math.round((lint.cpuMs / parse.cpuMs) * 100) / 100,
          findings: lint.findings,
          objects: lint.objects,
          cliMs,
          runs: reps,
          method:
            'in-process analyzeText (bundled core) vs yaml parseAllDocuments, median wall (ms) and CPU (cpuMs, user+system, less sensitive to other load) after a warm-up of at least 10 runs / 500 ms, child process per case (peak RSS = that child); cliMs = one spawn of dist/cli.js --format json',
        }),
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function measure(mode, file, reps) {
  const r = spawnSync(process.execPath, [SELF, '--child', mode, file, String(reps)], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`${mode} on ${file} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}
