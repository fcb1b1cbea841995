// `npm run fuzz -- [--minutes N] [--seed S]`: the fuzz tier (test/fuzz/) for longer than `npm test`'s short run.
// Each property gets N minutes (default 1) and a random seed unless --seed is given; the seed is printed, and a
// failure prints what replays it (OOMSCOPE_FUZZ_SEED=S). Properties: the language server over LSP (edits,
// positions, requests), the CLI's inputs (lint -, analyze-log --kernel-log -) and the kernel-log parser.
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';

const argv = process.argv.slice(2);
const value = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const minutes = Number(value('--minutes') ?? 1);
const seed = value('--seed') !== undefined ? Number(value('--seed')) : randomInt(2 ** 31);
if (!(minutes > 0) || !Number.isInteger(seed)) {
  console.error('usage: npm run fuzz -- [--minutes N] [--seed S]');
  process.exit(2);
}
console.log(`fuzz: ${minutes} min per property, seed ${seed}`);
const env = {
  ...process.env,
  OOMSCOPE_FUZZ_MS: String(Math.round(minutes * 60_000)),
  OOMSCOPE_FUZZ_SEED: String(seed),
  OOMSCOPE_FUZZ_REPORT: '1',
};
const r = spawnSync(process.execPath, ['test/run.mjs', 'fuzz'], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
