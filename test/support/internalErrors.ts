// The documents analyzeText skipped because analyzing them threw. analyzeText never throws, it
// turns an exception into a `skipped` entry (src/core/manifest/analyze.ts): so "never throws" is proved
// only by asserting there are none of these.
import assert from 'node:assert/strict';
import type { FileAnalysis } from '../../src/core/manifest/analyze';

const INTERNAL_ERROR = /^internal error while analyzing this document/;

export function assertNoInternalErrors(r: FileAnalysis, what = 'analysis'): void {
  const errors = r.skipped
    .filter((s) => INTERNAL_ERROR.test(s.reason))
    .map((s) => `document ${s.document}: ${s.reason}`);
  assert.deepEqual(errors, [], `${what} threw inside the core`);
}
