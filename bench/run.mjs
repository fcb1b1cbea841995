// Runs every benchmark: bench/*.bench.mjs (as is) and bench/*.bench.ts (bundled into bench/out/),
// in name order, one child process each. Each prints JSON lines on stdout; nothing is asserted.
// Usage: node bench/run.mjs [name-filter]
import * as esbuild from 'esbuild';
import { nodeBundleOptions } from '../buildOptions.mjs';
import { readdirSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const filter = process.argv[2] ?? '';
const dir = 'bench';
const benches = readdirSync(dir)
  .filter((f) => (f.endsWith('.bench.mjs') || f.endsWith('.bench.ts')) && f.includes(filter))
  .sort();
if (benches.length === 0) {
  console.error(`no benchmarks in bench/${filter ? ` matching '${filter}'` : ''}`);
  process.exit(1);
}
let failed = 0;
for (const f of benches) {
  let file = join(dir, f);
  if (f.endsWith('.ts')) {
    mkdirSync(join(dir, 'out'), { recursive: true });
    const outfile = join(dir, 'out', f.replace(/\.ts$/, '.cjs'));
    await esbuild.build({
      entryPoints: [file],
      outfile,
      ...nodeBundleOptions({ external: ['esbuild', 'playwright-core'] }),
    });
    file = outfile;
  }
  const r = spawnSync(process.execPath, ['--expose-gc', file], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.error(`bench ${f} exited with ${r.status ?? r.signal}`);
  }
}
process.exit(failed ? 1 : 0);
