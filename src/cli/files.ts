/** The PATH arguments of `oomscope lint` → the inputs to read (files, walked folders, pipes, stdin), and why some cannot be. */
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { errnoText } from './inputBytes';

/** Name used for standard input in every output format. */
export const STDIN_NAME = '<stdin>';

/** One input to lint: its display path (relative to cwd, `/`-separated) and where to read it. */
export interface LintInput {
  display: string;
  /** absolute path, or null for standard input */
  path: string | null;
}

/** An input that could not be found, listed or read; becomes one stderr line and exit code 2. */
export interface InputProblem {
  input: string;
  message: string;
}

const SKIPPED_DIRS = new Set(['node_modules', '.git']);
const MAX_DEPTH = 64;

export function isYamlName(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.endsWith('.yaml') || lower.endsWith('.yml');
}

export function displayPath(cwd: string, abs: string): string {
  if (/^\/(dev|proc)\//.test(abs)) return abs;
  const rel = relative(cwd, abs);
  return (rel === '' ? '.' : rel).split(sep).join('/');
}

/**
 * Expands the PATH arguments of `oomscope lint`: files are taken as given (any extension),
 * folders are walked for `*.yaml`/`*.yml` (skipping node_modules and .git, each real folder once),
 * `-` is standard input. Order: as given, folder contents sorted by name.
 */
export async function expandInputs(
  args: string[],
  cwd: string,
): Promise<{ inputs: LintInput[]; problems: InputProblem[] }> {
  const inputs: LintInput[] = [];
  const problems: InputProblem[] = [];
  const seenFiles = new Set<string>();
  const seenDirs = new Set<string>();
  let stdinUsed = false;

  const addFile = (abs: string, real: string): void => {
    if (seenFiles.has(real)) return;
    seenFiles.add(real);
    inputs.push({ display: displayPath(cwd, abs), path: abs });
  };

  const walk = async (dir: string, depth: number): Promise<number> => {
    const real = await realpath(dir);
    if (seenDirs.has(real) || depth > MAX_DEPTH) return 0;
    seenDirs.add(real);
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    let found = 0;
    for (const e of entries) {
      const abs = join(dir, e.name);
      try {
        if (e.isDirectory()) {
          if (!SKIPPED_DIRS.has(e.name)) found += await walk(abs, depth + 1);
        } else if (isYamlName(e.name) && (e.isFile() || e.isSymbolicLink())) {
          const st = await stat(abs);
          if (st.isFile()) {
            addFile(abs, await realpath(abs));
            found++;
          }
        } else if (e.isSymbolicLink() && !SKIPPED_DIRS.has(e.name)) {
          const st = await stat(abs);
          if (st.isDirectory()) found += await walk(abs, depth + 1);
        }
      } catch (err) {
        // A dangling link or an unreadable sub-folder inside a walked folder is reported, not fatal.
        problems.push({ input: displayPath(cwd, abs), message: `cannot read: ${errnoText(err)}` });
      }
    }
    return found;
  };

  for (const arg of args) {
    if (arg === '-') {
      if (!stdinUsed) inputs.push({ display: STDIN_NAME, path: null });
      stdinUsed = true;
      continue;
    }
    const abs = resolve(cwd, arg);
    try {
      const st = await stat(abs);
      if (st.isDirectory()) {
        const before = problems.length;
        const found = await walk(abs, 0);
        if (found === 0 && problems.length === before) {
          problems.push({
            input: arg,
            message: 'no *.yaml or *.yml files in this folder; pass a manifest file or a folder that contains some',
          });
        }
      } else if (st.isFile() || st.isFIFO() || st.isCharacterDevice()) {
        // FIFOs too, for process substitution: oomscope lint <(helm template chart/); /dev/fd/N has no real path
        addFile(abs, await realpath(abs).catch(() => abs));
      } else {
        problems.push({
          input: arg,
          message: 'not a regular file or folder; pass a manifest file, a folder, or - for standard input',
        });
      }
    } catch (err) {
      problems.push({ input: arg, message: `cannot read: ${errnoText(err)}` });
    }
  }
  return { inputs, problems };
}
