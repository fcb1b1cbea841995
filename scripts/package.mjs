#!/usr/bin/env node
// npm run package: production build, then the .vsix with vsce. The packed README carries the
// screenshots of the last end-to-end run (see marketplaceReadme.mjs); without them (no e2e run
// yet) it is the plain README, and this says so.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MARKER, SHOTS, marketplaceReadme } from './marketplaceReadme.mjs';

const repo = join(fileURLToPath(import.meta.url), '..', '..');
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: repo, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

run(process.execPath, [join(repo, 'esbuild.mjs'), '--production']);

const from = join(repo, 'test-results', 'screenshots');
const pngs = new Map(
  SHOTS.map((s) => s.file)
    .filter((f) => existsSync(join(from, f)))
    .map((f) => [f, readFileSync(join(from, f))]),
);
if (pngs.size < SHOTS.length) {
  console.error(
    `package: ${SHOTS.length - pngs.size} of ${SHOTS.length} README screenshots are missing from test-results/screenshots/ (the end-to-end tests take them: npm test); packing without them`,
  );
}

const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
const readme = readFileSync(join(repo, 'README.md'), 'utf8');
if (!readme.includes(MARKER)) throw new Error(`README.md has no ${MARKER} line`);
const packed = join(repo, 'dist', 'README.md');
writeFileSync(packed, marketplaceReadme(readme, pngs, pkg.repository.url ?? pkg.repository));
const vsce = join(repo, 'node_modules', '.bin', 'vsce');
// vsce takes the README path relative to the project (it is also its include pattern).
run(vsce, ['package', '--no-dependencies', '--readme-path', 'dist/README.md', '--no-rewrite-relative-links']);
