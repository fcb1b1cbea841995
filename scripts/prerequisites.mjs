// The system packages OOMScope's tools need, who needs each, and how the missing ones are installed:
// one list for `.ci/run`, `npm start` and the test tiers' missing-tools checks.
//   node scripts/prerequisites.mjs check   [--for start|test|ci]   exit 0 when all are there, 1 with the list otherwise
//   node scripts/prerequisites.mjs install [--for start|test|ci] [--dry-run]
// `install` as root on Debian or Ubuntu runs `apt-get update` once, then `apt-get install -y --no-install-recommends …`;
// anywhere else it stops with one line giving the command to run. `--dry-run` prints the plan and runs nothing.
// Each package is probed by what the tools really use (its commands on PATH, a file), so one installed another way counts.
// OOMSCOPE_SYSROOT (tests only) prefixes the file probes.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Who needs what. `needs`: 'code-server' (its native build, for npm start and the e2e tier), 'test' (the test tiers
 * beyond it), 'ci' (a fresh CI machine's clone). A purpose includes the ones before it: start ⊂ test ⊂ ci.
 * `command` is one command or every command the tools run of that package (all must be on PATH); else `file`.
 */
export const PREREQUISITES = [
  {
    pkg: 'ripgrep',
    command: 'rg',
    needs: 'code-server',
    why: "code-server's @vscode/ripgrep would download rg from GitHub; Debian's rg is seeded into its cache",
  },
  {
    pkg: 'libkrb5-dev',
    file: '/usr/include/gssapi/gssapi.h',
    needs: 'code-server',
    why: "code-server's kerberos module builds from source against it",
  },
  {
    pkg: 'python3',
    command: 'python3',
    needs: 'code-server',
    why: "node-gyp builds code-server's native modules with it (and the kernel tier's workloads are python)",
  },
  { pkg: 'make', command: 'make', needs: 'code-server', why: "node-gyp's build of code-server's native modules" },
  { pkg: 'g++', command: 'g++', needs: 'code-server', why: "node-gyp's build of code-server's native modules" },
  {
    pkg: 'chromium',
    file: '/usr/bin/chromium',
    needs: 'test',
    why: 'the browser and end-to-end tiers drive it with playwright-core',
  },
  {
    pkg: 'fonts-dejavu-core',
    file: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
    needs: 'test',
    why: 'text in the screenshots Chromium takes',
  },
  { pkg: 'procps', command: 'ps', needs: 'test', why: 'process checks in the kernel and end-to-end tiers' },
  {
    pkg: 'prometheus',
    command: ['prometheus', 'promtool'],
    needs: 'test',
    why: 'the cluster tier backfills history with promtool and queries a real Prometheus on loopback',
  },
  {
    pkg: 'prometheus-node-exporter',
    command: 'prometheus-node-exporter',
    needs: 'test',
    why: "the cluster tier scrapes this machine's PSI with a real node-exporter",
  },
  { pkg: 'git', command: 'git', needs: 'ci', why: 'CI works on a clone' },
  {
    pkg: 'ca-certificates',
    file: '/etc/ssl/certs/ca-certificates.crt',
    needs: 'ci',
    why: "TLS trust for apt and npm's clients",
  },
];

const PURPOSES = { start: ['code-server'], test: ['code-server', 'test'], ci: ['code-server', 'test', 'ci'] };

function onPath(cmd, path = process.env.PATH ?? '') {
  return path.split(delimiter).some((d) => d && existsSync(join(d, cmd)));
}

/** The commands a prerequisite is probed by (none for a file probe). */
export function commandsOf(p) {
  return p.command === undefined ? [] : [p.command].flat();
}

/** The prerequisites of a purpose ('start', 'test', 'ci', or a list of `needs` values) that this machine lacks. */
export function missingPrerequisites(purpose = 'ci', env = process.env) {
  const needs = Array.isArray(purpose) ? purpose : PURPOSES[purpose];
  if (!needs) throw new Error(`unknown purpose '${purpose}' (start, test or ci)`);
  const sysroot = env.OOMSCOPE_SYSROOT ?? '';
  return PREREQUISITES.filter((p) => needs.includes(p.needs)).filter((p) =>
    p.command ? !commandsOf(p).every((c) => onPath(c, env.PATH ?? '')) : !existsSync(sysroot + p.file),
  );
}

/** Debian or Ubuntu (or a derivative), from /etc/os-release. */
export function isDebianLike(osRelease) {
  const id = /^ID=(.*)$/m.exec(osRelease)?.[1]?.replace(/"/g, '') ?? '';
  const like = /^ID_LIKE=(.*)$/m.exec(osRelease)?.[1]?.replace(/"/g, '') ?? '';
  return [id, ...like.split(/\s+/)].some((x) => x === 'debian' || x === 'ubuntu');
}

/**
 * What to do about the missing packages (pure): nothing; apt-get as root on Debian/Ubuntu; or stop with one line.
 * `who` names the command that needs them, for the message.
 */
export function planInstall({ missing, isRoot, debianLike, hasAptGet, who }) {
  if (missing.length === 0) return { action: 'none', commands: [] };
  const pkgs = missing.map((p) => p.pkg);
  const install = ['apt-get', 'install', '-y', '--no-install-recommends', ...pkgs];
  if (isRoot && debianLike && hasAptGet) return { action: 'apt', commands: [['apt-get', 'update'], install] };
  const message = debianLike
    ? `${who} needs Debian packages that are missing: ${pkgs.join(' ')}. Run: sudo ${install.join(' ')}`
    : `${who} needs what these Debian packages provide, and they are missing: ${missing
        .map(
          (p) =>
            `${p.pkg} (${
              p.command
                ? `${commandsOf(p)
                    .map((c) => `\`${c}\``)
                    .join(' and ')} on PATH`
                : p.file
            })`,
        )
        .join(', ')}. Install them with your system's package manager`;
  return { action: 'stop', commands: [], message };
}

function osRelease() {
  try {
    return readFileSync('/etc/os-release', 'utf8');
  } catch {
    return '';
  }
}

/** The plan for this machine. */
export function planFor(purpose, who, env = process.env) {
  return planInstall({
    missing: missingPrerequisites(purpose, env),
    isRoot: typeof process.getuid === 'function' && process.getuid() === 0,
    debianLike: isDebianLike(osRelease()),
    hasAptGet: onPath('apt-get', env.PATH ?? ''),
    who,
  });
}

/**
 * Makes sure the prerequisites of `purpose` are there: installs them with apt-get where it can, else throws an Error
 * whose message is the one line to show. `log` prints each step; `dryRun` prints the commands and runs nothing.
 */
export function ensurePrerequisites(
  purpose,
  { who = 'OOMScope', log = console.log, dryRun = false, env = process.env } = {},
) {
  const plan = planFor(purpose, who, env);
  if (plan.action === 'none') return plan;
  if (plan.action === 'stop') throw new Error(plan.message);
  const names = missingPrerequisites(purpose, env).map((p) => `${p.pkg} (${p.why})`);
  log(`missing system packages: ${names.join('; ')}`);
  for (const cmd of plan.commands) {
    log(`${dryRun ? 'would run' : 'running'}: ${cmd.join(' ')}`);
    if (dryRun) continue;
    const r = spawnSync(cmd[0], cmd.slice(1), { stdio: 'inherit', env: { ...env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (r.status !== 0)
      throw new Error(`${cmd.join(' ')} failed (exit ${r.status ?? r.signal}); run it yourself and see why`);
  }
  if (!dryRun) {
    const still = missingPrerequisites(purpose, env);
    if (still.length)
      throw new Error(`apt-get finished but these are still missing: ${still.map((p) => p.pkg).join(' ')}`);
  }
  return plan;
}

/**
 * One line saying which packages a purpose lacks and how to get them, or undefined when none is missing. `only`
 * narrows it to these packages (a test that needs just them).
 */
export function missingSentence(purpose, env = process.env, only) {
  const missing = missingPrerequisites(purpose, env).filter((p) => !only || only.includes(p.pkg));
  if (missing.length === 0) return undefined;
  const names = missing.map((p) => p.pkg).join(' ');
  const forWhat = Array.isArray(purpose) ? 'ci' : purpose;
  return `missing system packages: ${names} (node scripts/prerequisites.mjs install --for ${forWhat}, or apt-get install ${names})`;
}

function cli(argv) {
  const [verb, ...rest] = argv;
  const forAt = rest.indexOf('--for');
  const purpose = forAt >= 0 ? rest[forAt + 1] : 'ci';
  const dryRun = rest.includes('--dry-run');
  const log = (m) => console.log(`[prerequisites] ${m}`);
  if (!PURPOSES[purpose]) {
    console.error(`[prerequisites] --for '${purpose}': one of ${Object.keys(PURPOSES).join(', ')}`);
    return 2;
  }
  if (verb === 'check') {
    const s = missingSentence(purpose);
    if (s) console.log(`[prerequisites] ${s}`);
    else log(`all present for ${purpose}: ${namesFor(purpose)}`);
    return s ? 1 : 0;
  }
  if (verb === 'install') {
    try {
      const plan = ensurePrerequisites(purpose, { who: `--for ${purpose}`, log, dryRun });
      if (plan.action === 'none') log(`all present for ${purpose}: ${namesFor(purpose)}`);
      return 0;
    } catch (e) {
      console.error(`[prerequisites] ${e.message}`);
      return 1;
    }
  }
  console.error('usage: node scripts/prerequisites.mjs check|install [--for start|test|ci] [--dry-run]');
  return 2;
}

function namesFor(purpose) {
  return PREREQUISITES.filter((p) => PURPOSES[purpose].includes(p.needs))
    .map((p) => p.pkg)
    .join(' ');
}

// Bundled copies (the tests) share import.meta.url with their bundle, so match the script by name too.
const argv1 = process.argv[1] ?? '';
if (/prerequisites\.mjs$/.test(argv1) && fileURLToPath(import.meta.url) === resolve(argv1))
  process.exit(cli(process.argv.slice(2)));
