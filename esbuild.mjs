// Bundles every entry point. Node bundles are CommonJS (vscode external); the webview is a browser IIFE.
// The options of each kind are in buildOptions.mjs. A missing entry point fails the build.
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync } from 'node:fs';
import { browserBundleOptions, nodeBundleOptions } from './buildOptions.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {Array<[string, string, import('esbuild').BuildOptions]>} */
const nodeEntries = [
  ['src/cli/bin.ts', 'dist/cli.js', { banner: { js: '#!/usr/bin/env node' } }],
  ['src/server/main.ts', 'dist/server.js', {}],
  ['src/extension/main.ts', 'dist/extension.js', {}],
  // Loaded lazily by the extension at command time (client-node is heavy).
  ['src/cluster/index.ts', 'dist/cluster.js', {}],
];
const browserEntries = [['webview/main.ts', 'dist/webview.js']];

const missing = [...nodeEntries, ...browserEntries].map(([entry]) => entry).filter((entry) => !existsSync(entry));
if (missing.length > 0) {
  console.error(
    `esbuild.mjs: entry point${missing.length > 1 ? 's' : ''} not found: ${missing.join(', ')} (moved? update the list in esbuild.mjs)`,
  );
  process.exit(1);
}

/** @type {import('esbuild').BuildOptions} */
const common = {
  sourcemap: production ? false : 'linked',
  minify: production,
  legalComments: 'none',
};

mkdirSync('dist', { recursive: true });
/** @type {import('esbuild').BuildOptions[]} */
const builds = [];
for (const [entry, outfile, extra] of nodeEntries) {
  builds.push({ ...nodeBundleOptions(), ...common, ...extra, entryPoints: [entry], outfile });
}
for (const [entry, outfile] of browserEntries) {
  builds.push({ ...browserBundleOptions(), ...common, entryPoints: [entry], outfile });
}

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
