/** Types for buildOptions.mjs (plain ESM so the build and the test runner run it directly). */
import type { BuildOptions } from 'esbuild';

export function nodeBundleOptions(extra?: { external?: string[] }): BuildOptions;
export function browserBundleOptions(): BuildOptions;
