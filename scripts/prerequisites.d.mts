/** Types for prerequisites.mjs (plain ESM so `.ci/run` and `npm start` run it before anything is installed). */

export type Needs = 'code-server' | 'test' | 'ci';
export type Purpose = 'start' | 'test' | 'ci';

export interface Prerequisite {
  /** The Debian package. */
  pkg: string;
  /** Probed as a command on PATH, or several that must all be there … */
  command?: string | string[];
  /** … or as a file. */
  file?: string;
  needs: Needs;
  why: string;
}

export const PREREQUISITES: Prerequisite[];
/** The commands a prerequisite is probed by (none for a file probe). */
export function commandsOf(p: Prerequisite): string[];

export interface Plan {
  action: 'none' | 'apt' | 'stop';
  commands: string[][];
  message?: string;
}

export function missingPrerequisites(purpose?: Purpose | Needs[], env?: NodeJS.ProcessEnv): Prerequisite[];
export function isDebianLike(osRelease: string): boolean;
export function planInstall(o: {
  missing: Prerequisite[];
  isRoot: boolean;
  debianLike: boolean;
  hasAptGet: boolean;
  who: string;
}): Plan;
export function planFor(purpose: Purpose, who: string, env?: NodeJS.ProcessEnv): Plan;
export function ensurePrerequisites(
  purpose: Purpose,
  opts?: { who?: string; log?: (m: string) => void; dryRun?: boolean; env?: NodeJS.ProcessEnv },
): Plan;
export function missingSentence(
  purpose: Purpose | Needs[],
  env?: NodeJS.ProcessEnv,
  only?: string[],
): string | undefined;
