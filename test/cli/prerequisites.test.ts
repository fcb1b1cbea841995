// The system-package planner (scripts/prerequisites.mjs) as `.ci/run` and `npm start` meet it: the apt-get plan as
// root, one line to run otherwise, nothing at all when everything is there. No test calls the real apt-get: the
// planner is spawned with a PATH of stand-in commands (an `apt-get` that records any call) and OOMSCOPE_SYSROOT
// for the file probes, and with --dry-run where a plan would install.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { commandsOf, PREREQUISITES, planInstall } from '../../scripts/prerequisites.mjs';
import { ROOT } from './support';

const SCRIPT = join(ROOT, 'scripts', 'prerequisites.mjs');
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const NOBODY = 65534;

/**
 * A machine: a bin folder of stand-in commands and a sysroot of probe files; `apt-get` records its calls.
 * `lacks` names commands left out even of a present package (half an install).
 */
function machine(
  present: (pkg: string) => boolean,
  lacks: string[] = [],
): { bin: string; sysroot: string; aptLog: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-prereq-'));
  const bin = join(dir, 'bin');
  const sysroot = join(dir, 'root');
  const aptLog = join(dir, 'apt-calls');
  mkdirSync(bin, { recursive: true });
  const standIn = (name: string, body = 'exit 0'): void => {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  standIn('apt-get', `echo "apt-get $*" >> '${aptLog}'\nexit 0`);
  for (const p of PREREQUISITES) {
    if (!present(p.pkg)) continue;
    if (p.command) {
      for (const c of commandsOf(p)) if (!lacks.includes(c)) standIn(c);
    } else {
      mkdirSync(dirname(sysroot + p.file!), { recursive: true });
      writeFileSync(sysroot + p.file!, '');
    }
  }
  chmodSync(dir, 0o755);
  return { bin, sysroot, aptLog, dir };
}

/**
 * The scripts, copied where uid 65534 can read them: a checkout may sit below a folder only root can enter (a clone
 * into `mktemp -d`, mode 0700), and the scripts import nothing but each other, buildOptions.mjs and node builtins.
 */
function copyForNobody(m: { dir: string }): string {
  const repo = join(m.dir, 'repo');
  cpSync(join(ROOT, 'scripts'), join(repo, 'scripts'), { recursive: true });
  for (const f of ['buildOptions.mjs', 'package.json']) cpSync(join(ROOT, f), join(repo, f));
  return repo;
}

function run(
  script: string,
  args: string[],
  m: { bin: string; sysroot: string },
  opts: { uid?: number; env?: NodeJS.ProcessEnv; cwd?: string } = {},
) {
  return spawnSync(process.execPath, [script, ...args], {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, PATH: m.bin, OOMSCOPE_SYSROOT: m.sysroot, ...opts.env },
    encoding: 'utf8',
    timeout: 60_000,
    ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.uid } : {}),
  });
}

void test(
  'as root with a package missing, install plans apt-get update once, then apt-get install -y --no-install-recommends of exactly the missing ones',
  { skip: isRoot ? false : 'needs root' },
  (t) => {
    const m = machine((pkg) => pkg !== 'ripgrep' && pkg !== 'libkrb5-dev');
    t.after(() => rmSync(m.dir, { recursive: true, force: true }));
    const r = run(SCRIPT, ['install', '--for', 'start', '--dry-run'], m);
    assert.equal(r.status, 0, r.stderr);
    const planned = r.stdout
      .split('\n')
      .filter((l) => l.includes('would run:'))
      .map((l) => l.slice(l.indexOf('would run: ') + 11));
    assert.deepEqual(planned, ['apt-get update', 'apt-get install -y --no-install-recommends ripgrep libkrb5-dev']);
    assert.match(r.stdout, /ripgrep \(code-server's @vscode\/ripgrep/);
    assert.equal(existsSync(m.aptLog), false, '--dry-run never calls apt-get');
  },
);

void test(
  'as root without --dry-run, the planned commands are what runs, in order',
  { skip: isRoot ? false : 'needs root' },
  (t) => {
    // This apt-get stand-in "installs" ripgrep by putting an rg on PATH, as the real package would.
    const m = machine((pkg) => pkg !== 'ripgrep');
    t.after(() => rmSync(m.dir, { recursive: true, force: true }));
    writeFileSync(
      join(m.bin, 'apt-get'),
      `#!/bin/sh\necho "apt-get $*" >> '${m.aptLog}'\n[ "$1" = install ] && printf '#!/bin/sh\\n' > '${m.bin}/rg' && chmod +x '${m.bin}/rg'\nexit 0\n`,
    );
    const r = run(SCRIPT, ['install', '--for', 'start'], m);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(readFileSync(m.aptLog, 'utf8').trim().split('\n'), [
      'apt-get update',
      'apt-get install -y --no-install-recommends ripgrep',
    ]);
  },
);

void test(
  'not root: one line with the exact sudo apt-get command, exit 1, and no apt-get call',
  { skip: isRoot ? false : 'needs root to run a child as nobody' },
  (t) => {
    const m = machine((pkg) => pkg !== 'ripgrep' && pkg !== 'libkrb5-dev');
    t.after(() => rmSync(m.dir, { recursive: true, force: true }));
    const repo = copyForNobody(m);
    const r = run(join(repo, 'scripts', 'prerequisites.mjs'), ['install', '--for', 'start'], m, {
      uid: NOBODY,
      cwd: repo,
    });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, /Run: sudo apt-get install -y --no-install-recommends ripgrep libkrb5-dev$/);
    assert.equal(existsSync(m.aptLog), false);
  },
);

void test(
  'npm start as a non-root user with packages missing stops at once with that one line, before building anything',
  { skip: isRoot ? false : 'needs root to run a child as nobody' },
  (t) => {
    const m = machine((pkg) => pkg !== 'libkrb5-dev');
    const cache = join(m.dir, 'cache');
    mkdirSync(cache);
    chmodSync(cache, 0o777);
    t.after(() => rmSync(m.dir, { recursive: true, force: true }));
    const repo = copyForNobody(m);
    const r = run(join(repo, 'scripts', 'start.mjs'), [], m, {
      uid: NOBODY,
      cwd: repo,
      env: { OOMSCOPE_CACHE_DIR: cache, OOMSCOPE_START_DIR: join(cache, 'start'), HOME: cache },
    });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.equal(
      r.stderr.trim(),
      '[oomscope start] npm start needs Debian packages that are missing: libkrb5-dev. Run: sudo apt-get install -y --no-install-recommends libkrb5-dev',
    );
    assert.doesNotMatch(r.stdout, /npm run package/, 'nothing was built first');
    assert.equal(existsSync(m.aptLog), false);
  },
);

void test('everything present: install calls no apt-get at all, even as root', (t) => {
  const m = machine(() => true);
  t.after(() => rmSync(m.dir, { recursive: true, force: true }));
  const r = run(SCRIPT, ['install', '--for', 'ci'], m);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /all present for ci: ripgrep libkrb5-dev/);
  assert.equal(existsSync(m.aptLog), false, 'apt-get was called');
  assert.equal(run(SCRIPT, ['check', '--for', 'ci'], m).status, 0);
});

void test('check names the missing packages of a purpose, and a purpose includes the ones before it', (t) => {
  const m = machine((pkg) => pkg !== 'chromium');
  t.after(() => rmSync(m.dir, { recursive: true, force: true }));
  assert.equal(run(SCRIPT, ['check', '--for', 'start'], m).status, 0, 'npm start does not need Chromium');
  const r = run(SCRIPT, ['check', '--for', 'test'], m);
  assert.equal(r.status, 1);
  assert.match(
    r.stdout,
    /missing system packages: chromium \(node scripts\/prerequisites\.mjs install --for test, or apt-get install chromium\)/,
  );
});

void test('outside Debian and Ubuntu the plan names what each package provides instead of an apt-get line', () => {
  const missing = PREREQUISITES.filter((p) => p.pkg === 'ripgrep' || p.pkg === 'libkrb5-dev');
  const plan = planInstall({ missing, isRoot: true, debianLike: false, hasAptGet: false, who: 'npm start' });
  assert.equal(plan.action, 'stop');
  assert.deepEqual(plan.commands, []);
  assert.equal(
    plan.message,
    "npm start needs what these Debian packages provide, and they are missing: ripgrep (`rg` on PATH), libkrb5-dev (/usr/include/gssapi/gssapi.h). Install them with your system's package manager",
  );
});

void test('a package with two commands is missing when either is: prometheus needs prometheus and promtool', (t) => {
  const m = machine(() => true, ['promtool']);
  t.after(() => rmSync(m.dir, { recursive: true, force: true }));
  assert.equal(run(SCRIPT, ['check', '--for', 'start'], m).status, 0, 'npm start does not need Prometheus');
  const r = run(SCRIPT, ['check', '--for', 'test'], m);
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stdout, /missing system packages: prometheus \(node scripts\/prerequisites\.mjs install --for test/);
  const exporter = machine((pkg) => pkg !== 'prometheus-node-exporter');
  t.after(() => rmSync(exporter.dir, { recursive: true, force: true }));
  assert.match(
    run(SCRIPT, ['check', '--for', 'test'], exporter).stdout,
    /missing system packages: prometheus-node-exporter \(/,
  );
  const plan = planInstall({
    missing: PREREQUISITES.filter((p) => p.pkg === 'prometheus'),
    isRoot: false,
    debianLike: false,
    hasAptGet: false,
    who: 'the cluster tier',
  });
  assert.match(plan.message!, /missing: prometheus \(`prometheus` and `promtool` on PATH\)\. Install/);
});
