// The esbuild options every bundle of this repository is built with, in one place: the build
// (esbuild.mjs), the test runner (test/run.mjs), the spawned-server test, `npm start` and the bench.
// Node bundles are CommonJS for node20; client-node 1.x is ESM and uses import.meta.url, which
// esbuild-import-meta.js provides in CommonJS. Paths are relative to the repository root, where every
// caller runs (npm scripts do; this module is also bundled into tests, so it cannot locate itself).
/**
 * Options of a Node bundle (spread into esbuild.build, then add entryPoints and outfile/outdir).
 * @param {{ external?: string[] }} [extra]
 * @returns {import('esbuild').BuildOptions}
 */
export function nodeBundleOptions(extra = {}) {
  return {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', ...(extra.external ?? [])],
    define: { 'import.meta.url': 'importMetaUrl' },
    inject: ['./esbuild-import-meta.js'],
    logLevel: 'warning',
  };
}

/**
 * Options of the webview bundle (a browser IIFE).
 * @returns {import('esbuild').BuildOptions}
 */
export function browserBundleOptions() {
  return { bundle: true, platform: 'browser', format: 'iife', target: 'es2022', logLevel: 'warning' };
}
