/** The cli tier's support: spawn the built `node dist/cli.js`, measure what it used, validate SARIF. */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

/** Repository root: the nearest folder above the bundled test (normally .test-out/cli/) with a package.json. */
export const ROOT = findRoot(__dirname);

function findRoot(from: string): string {
  let dir = from;
  for (let i = 0; i < 16; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  return resolve(from, '..', '..');
}
export const CLI = join(ROOT, 'dist', 'cli.js');
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'cli');

export function requireBuiltCli(): void {
  if (!existsSync(CLI)) throw new Error(`dist/cli.js is missing: run \`npm run build\` (npm test builds first)`);
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  cwd?: string;
  /** stdin: bytes, or a stream piped in (and destroyed once the CLI has ended) */
  input?: string | Buffer | Readable;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** flags for node before dist/cli.js, e.g. ['--require', preload] */
  nodeArgs?: string[];
}

/** Spawns `node dist/cli.js ARGS`, feeds `input` to stdin, and kills it after `timeoutMs`. */
export function runCli(args: string[], opts: CliRunOptions = {}): Promise<CliRun> {
  requireBuiltCli();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), CLI, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: '', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      if (opts.input instanceof Readable) opts.input.destroy();
      reject(new Error(`oomscope ${args.join(' ')} did not finish within ${opts.timeoutMs ?? 30000} ms`));
    }, opts.timeoutMs ?? 30000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (opts.input instanceof Readable) opts.input.destroy();
      resolvePromise({
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    child.stdin.on('error', () => undefined);
    if (opts.input instanceof Readable) opts.input.pipe(child.stdin);
    else child.stdin.end(opts.input ?? '');
  });
}

/**
 * Peak RSS of a spawned CLI, reported by the child itself at exit (a --require preload, as bench/ does):
 * pass `nodeArgs` to runCli, then read `maxRssMb()`. Null when the child did not exit normally.
 */
export function rssProbe(dir: string, name = 'rss'): { nodeArgs: string[]; maxRssMb: () => number | null } {
  const preload = join(dir, `${name}.cjs`);
  const out = join(dir, `${name}.json`);
  rmSync(out, { force: true });
  writeFileSync(
    preload,
    `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(out)}, String(process.resourceUsage().maxRSS)));\n`,
  );
  return {
    nodeArgs: ['--require', preload],
    maxRssMb: () => (existsSync(out) ? Math.round(Number(readFileSync(out, 'utf8')) / 1024) : null),
  };
}

let sarifValidator: (((data: unknown) => boolean) & { errors?: unknown }) | null = null;

/**
 * Validates against the SARIF 2.1.0 (rtm.5) schema in test/fixtures/sarif/. The file is draft-04
 * (`id`); it is read byte-for-byte and its top-level `id` becomes `$id` so ajv's draft-07 mode
 * compiles it. `unicodeRegExp: false` because one upstream `pattern` (language tags) is not a
 * valid `u`-flag regular expression.
 */
export function validateSarif(log: unknown): string[] {
  if (!sarifValidator) {
    const schema = JSON.parse(
      readFileSync(join(ROOT, 'test', 'fixtures', 'sarif', 'sarif-2.1.0-rtm.5.json'), 'utf8'),
    ) as Record<string, unknown>;
    delete schema.$schema;
    schema.$id = schema.id;
    delete schema.id;
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats(ajv);
    sarifValidator = ajv.compile(schema);
  }
  if (sarifValidator(log)) return [];
  return ((sarifValidator.errors ?? []) as { instancePath: string; message?: string }[]).map(
    (e) => `${e.instancePath} ${e.message ?? ''}`,
  );
}
