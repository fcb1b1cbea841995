// The peak RSS and CPU time of a spawned Node process, read from inside it: a --require preload writes
// process.resourceUsage() and process.cpuUsage() to a file at exit (exact for that process, not its parent's view).
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes the preload into `dir` and returns the node flags that load it, and a reader of what it recorded
 * (null when the process wrote nothing, e.g. it was killed).
 * @param {string} dir
 * @returns {{ flags: string[], read: () => { peakRssMB: number, cpuMs: number } | null }}
 */
export function usageProbe(dir) {
  const preload = join(dir, 'rss.cjs');
  const rssFile = join(dir, 'rss.json');
  writeFileSync(
    preload,
    `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(rssFile)}, JSON.stringify({ maxRSS: process.resourceUsage().maxRSS, cpu: process.cpuUsage() })));\n`,
  );
  rmSync(rssFile, { force: true });
  return {
    flags: ['--require', preload],
    read: () => {
      if (!existsSync(rssFile)) return null;
      const usage = JSON.parse(readFileSync(rssFile, 'utf8'));
      return {
        peakRssMB: Math.round(usage.maxRSS / 1024),
        cpuMs: Math.round((usage.cpu.user + usage.cpu.system) / 1000),
      };
    },
  };
}
