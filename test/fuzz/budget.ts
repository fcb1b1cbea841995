// How long and with which seed the fuzz tier runs. `npm test` runs it short and with a fixed seed (the same
// inputs every run: a CI failure reproduces); `npm run fuzz -- --minutes N [--seed S]` sets OOMSCOPE_FUZZ_MS and
// OOMSCOPE_FUZZ_SEED. A failure prints the seed and the path fast-check needs to replay it.
import type { TestContext } from 'node:test';
import fc from 'fast-check';

/** The default seed of `npm test`'s short run. */
export const DEFAULT_SEED = 20261201;

/** Time for one property: OOMSCOPE_FUZZ_MS, else `shortMs`. */
export function budgetMs(shortMs: number): number {
  const ms = Number(process.env.OOMSCOPE_FUZZ_MS);
  return Number.isFinite(ms) && ms > 0 ? ms : shortMs;
}

export function seed(): number {
  const s = Number(process.env.OOMSCOPE_FUZZ_SEED);
  return Number.isInteger(s) ? s : DEFAULT_SEED;
}

/** Runs a property for its time budget (at least `minRuns` inputs), asserts it held, and reports how many inputs ran. */
export async function fuzz<T>(
  t: TestContext,
  name: string,
  prop: fc.IAsyncPropertyWithHooks<T> | fc.IPropertyWithHooks<T>,
  shortMs: number,
  minRuns = 20,
): Promise<number> {
  const ms = budgetMs(shortMs);
  const s = seed();
  const result = await fc.check(prop as fc.IAsyncProperty<T>, {
    seed: s,
    numRuns: Number.MAX_SAFE_INTEGER,
    interruptAfterTimeLimit: ms,
    markInterruptAsFailure: false,
    endOnFailure: true,
  });
  const line = `fuzz ${name}: ${result.numRuns} inputs in ${(ms / 1000).toFixed(0)} s, seed ${s}`;
  t.diagnostic(line);
  if (process.env.OOMSCOPE_FUZZ_REPORT) process.stderr.write(`${line}${result.failed ? ' — FAILED' : ''}\n`);
  if (result.failed && result.counterexample === null) {
    throw new Error(
      `${name}: no input finished within ${ms} ms (seed ${s}): ${result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance)}`,
    );
  }
  if (result.failed) {
    throw new Error(
      `${name}: counterexample after ${result.numRuns} inputs (replay: OOMSCOPE_FUZZ_SEED=${s}, path ${result.counterexamplePath}):\n${fc.stringify(result.counterexample)}\n${result.errorInstance instanceof Error ? result.errorInstance.stack : String(result.errorInstance)}`,
    );
  }
  if (result.numRuns < minRuns)
    throw new Error(
      `${name}: only ${result.numRuns} inputs ran in ${ms} ms (fewer than ${minRuns}): the property is too slow to fuzz`,
    );
  return result.numRuns;
}
