// Bundles every entry point. Node bundles are CommonJS (vscode external); the webview is a browser IIFE.
// An entry whose source does not exist yet is skipped, so the build grows with the project.
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const nodeEntries = [
  ['src/cli/bin.ts', 'dist/cli.js', { banner: { js: '#!/usr/bin/env node' } }],
  ['src/server/main.ts', 'dist/server.js', {}],
  ['src/extension/main.ts', 'dist/extension.js', {}],
  // Loaded lazily by the extension at command time (client-node is heavy).
  ['src/cluster/index.ts', 'dist/cluster.js', {}],
];
const browserEntries = [['webview/main.ts', 'dist/webview.js']];

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};

mkdirSync('dist', { recursive: true });
const builds = [];
for (const [entry, outfile, extra] of nodeEntries) {
  if (!existsSync(entry)) continue;
  builds.push({
    ...common,
    ...extra,
    entryPoints: [entry],
    outfile,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    // client-node 1.x is ESM and uses import.meta.url in a few places.
    define: { 'import.meta.url': 'importMetaUrl' },
    inject: ['./esbuild-import-meta.js'],
  });
}
for (const [entry, outfile] of browserEntries) {
  if (!existsSync(entry)) continue;
  builds.push({ ...common, entryPoints: [entry], outfile, platform: 'browser', format: 'iife', target: 'es2022' });
}

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
