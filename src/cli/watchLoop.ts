/**
 * The `--watch DURATION --interval DURATION` loop: after the first poll, polls on a fixed grid
 * (interval, 2·interval, …) and always once more at the end of the duration, so `--watch 12s
 * --interval 4s` polls at 0, 4, 8 and 12 s and reports after 12 s. A poll that overruns the
 * next grid point skips it rather than polling back to back.
 */

export interface WatchClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export const REAL_CLOCK: WatchClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Calls `poll` on the grid described above, for `durationMs` from now; resolves after the last poll. */
export async function pollFor(
  durationMs: number,
  intervalMs: number,
  poll: () => Promise<void>,
  clock: WatchClock = REAL_CLOCK,
): Promise<void> {
  const start = clock.now();
  const end = start + durationMs;
  // 1e-9: durations parsed from "0.3s" are not exact multiples of each other.
  const ticks = Math.max(1, Math.ceil(durationMs / intervalMs - 1e-9));
  for (let k = 1; k <= ticks; k++) {
    const target = k === ticks ? end : start + k * intervalMs;
    const now = clock.now();
    if (k < ticks && now >= target) continue;
    await clock.sleep(Math.max(0, target - now));
    await poll();
  }
}
