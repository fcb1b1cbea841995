// code-server (VS Code in the browser, from the npm registry) for the end-to-end tests and `npm start`.
// CLI: node scripts/codeServer.mjs install | path
// Facts this follows are in docs/testing.md ("VS Code end to end").
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  copyFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { get } from 'node:http';
import { homedir, tmpdir, arch } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensurePrerequisites, missingSentence } from './prerequisites.mjs';

export const CODE_SERVER_VERSION = '4.100.3';

/** Folder that holds downloaded tools (code-server); reused across runs and clones. */
export function cacheDir() {
  return resolve(process.env.OOMSCOPE_CACHE_DIR ?? join(homedir(), '.cache', 'oomscope'));
}

function installDir() {
  return join(cacheDir(), `code-server-${CODE_SERVER_VERSION}`);
}

/** The code-server entry script if installed, else undefined. */
export function codeServerEntry() {
  const dir = installDir();
  const entry = join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  return existsSync(join(dir, '.installed')) && existsSync(entry) ? entry : undefined;
}

function which(cmd) {
  for (const d of (process.env.PATH ?? '').split(delimiter)) {
    const p = join(d, cmd);
    if (d && existsSync(p)) return p;
  }
  return undefined;
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
  return r;
}

function npmPackFile(spec, file, work) {
  const r = spawnSync('npm', ['pack', spec, '--pack-destination', work, '--silent'], { cwd: work, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm pack ${spec} failed: ${r.stderr.trim().split('\n').pop()}`);
  const tgz = join(work, r.stdout.trim().split('\n').pop());
  run('tar', ['xzf', tgz, '-C', work, `package/${file}`]);
  const text = readFileSync(join(work, 'package', file), 'utf8');
  rmSync(join(work, 'package'), { recursive: true, force: true });
  rmSync(tgz, { force: true });
  return text;
}

function ripgrepTarget() {
  const a = process.env.npm_config_arch || arch();
  return a === 'x64' ? 'x86_64-unknown-linux-musl' : a === 'arm64' ? 'aarch64-unknown-linux-musl' : undefined;
}

/**
 * @vscode/ripgrep's postinstall downloads rg from GitHub, which this machine cannot reach; it first looks in
 * `$TMPDIR/vscode-ripgrep-cache-<pkg version>/ripgrep-<rg version>-<target>.tar.gz`. Put Debian's rg there,
 * with the names read from the packages themselves.
 */
function seedRipgrepCache(work, tmp) {
  const rg = which('rg');
  if (!rg) throw new Error(`ripgrep is missing: ${missingSentence('start') ?? 'rg is not on PATH'}`);
  const shrinkwrap = JSON.parse(
    npmPackFile(`code-server@${CODE_SERVER_VERSION}`, 'lib/vscode/npm-shrinkwrap.json', work),
  );
  const pkgVersion = shrinkwrap.packages?.['node_modules/@vscode/ripgrep']?.version;
  if (!pkgVersion) throw new Error("@vscode/ripgrep not found in code-server's npm-shrinkwrap.json");
  const postinstall = npmPackFile(`@vscode/ripgrep@${pkgVersion}`, 'lib/postinstall.js', work);
  const rgVersion = /const VERSION = '([^']+)'/.exec(postinstall)?.[1];
  const target = ripgrepTarget();
  if (!rgVersion || !target)
    throw new Error(`cannot tell which ripgrep asset @vscode/ripgrep@${pkgVersion} wants on ${arch()}`);
  const cache = join(tmp, `vscode-ripgrep-cache-${pkgVersion}`);
  mkdirSync(join(work, 'rg'), { recursive: true });
  mkdirSync(cache, { recursive: true });
  copyFileSync(rg, join(work, 'rg', 'rg'));
  const asset = join(cache, `ripgrep-${rgVersion}-${target}.tar.gz`);
  run('tar', ['czf', asset, '-C', join(work, 'rg'), 'rg']);
  console.log(`code-server install: ripgrep from ${rg} seeded as ${asset}`);
}

/**
 * The names of the packages that have install scripts in a shrinkwrap (production, this OS), as an `allowScripts`
 * object: npm 11.16+ asks a project to list them, and npm 12 runs no dependency install script that is not listed.
 */
function allowScriptsOf(shrinkwrapPath) {
  const lock = JSON.parse(readFileSync(shrinkwrapPath, 'utf8'));
  const allow = {};
  for (const [path, p] of Object.entries(lock.packages ?? {})) {
    if (!path || !p.hasInstallScript || p.dev) continue;
    if (p.os && !p.os.includes(process.platform)) continue;
    allow[path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)] = true;
  }
  return allow;
}

/** Adds `allowScripts` to a package.json (code-server's own, in our cache copy; see install()). */
function approveScripts(dir, allow) {
  const file = join(dir, 'package.json');
  const pkg = JSON.parse(readFileSync(file, 'utf8'));
  pkg.allowScripts = { ...pkg.allowScripts, ...allow };
  writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
}

/** `ln -sfn target link`, as code-server's postinstall.sh does it. */
function symlinkForce(target, link) {
  rmSync(link, { recursive: true, force: true });
  symlinkSync(target, link);
}

/**
 * Installs code-server into the cache folder unless it is already there. Returns the entry script.
 *
 * code-server's own postinstall.sh refuses to run as root unless `npm_config_unsafe_perm=true`, a config npm 7
 * removed (current npm warns `Unknown env config "unsafe-perm"` for it). So the package is installed with
 * `--ignore-scripts`, and the steps of its postinstall.sh (4.100.3: `vscode_install`) are done here, with current
 * npm config names: `npm install --omit=dev` in lib/vscode and lib/vscode/extensions, the node_modules.asar link
 * and the two bin links. Install scripts are approved by name, as npm 11.16+ asks (npm 12 runs no other): argon2
 * in the outer tree, and in lib/vscode exactly the packages its npm-shrinkwrap.json marks `hasInstallScript`.
 */
export function install() {
  const existing = codeServerEntry();
  if (existing) {
    console.log(`code-server ${CODE_SERVER_VERSION}: cached at ${installDir()}`);
    return existing;
  }
  if (process.platform !== 'linux') throw new Error('code-server install is scripted for Linux only');
  ensurePrerequisites('start', {
    who: `the code-server ${CODE_SERVER_VERSION} install`,
    log: (m) => console.log(`code-server install: ${m}`),
  });
  const dir = installDir();
  rmSync(dir, { recursive: true, force: true });
  const tmp = join(dir, 'tmp');
  const work = join(dir, 'work');
  mkdirSync(tmp, { recursive: true });
  mkdirSync(work, { recursive: true });
  // code-server is a declared dependency so that npm matches the `false` (its postinstall is done below) to it.
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify(
      {
        name: 'oomscope-code-server',
        private: true,
        dependencies: { 'code-server': CODE_SERVER_VERSION },
        allowScripts: { argon2: true, 'code-server': false },
      },
      null,
      2,
    ) + '\n',
  );
  seedRipgrepCache(work, tmp);
  /** @type {NodeJS.ProcessEnv} */
  const env = {
    ...process.env,
    TMPDIR: tmp,
    // node-pty's install script runs `npx node-gyp`, which would ask before fetching node-gyp.
    npm_config_yes: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  if (!env.npm_config_nodedir && existsSync('/usr/include/node/node.h')) env.npm_config_nodedir = '/usr';
  const t0 = Date.now();
  console.log(`code-server ${CODE_SERVER_VERSION}: installing into ${dir} (about 2 minutes)`);
  run('npm', ['install', '--no-package-lock', '--ignore-scripts'], { cwd: dir, env });
  run('npm', ['rebuild', 'argon2'], { cwd: dir, env });
  const pkg = join(dir, 'node_modules', 'code-server');
  const vscode = join(pkg, 'lib', 'vscode');
  for (const sub of [vscode, join(vscode, 'extensions')]) {
    approveScripts(sub, allowScriptsOf(join(sub, 'npm-shrinkwrap.json')));
    console.log(`code-server install: npm install --omit=dev in ${sub}`);
    run('npm', ['install', '--omit=dev'], { cwd: sub, env });
  }
  symlinkForce('node_modules', join(vscode, 'node_modules.asar'));
  symlinkForce('code-linux.sh', join(vscode, 'bin', 'remote-cli', 'code-server'));
  symlinkForce('browser-linux.sh', join(vscode, 'bin', 'helpers', 'browser.sh'));
  rmSync(work, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
  const entry = join(pkg, 'out', 'node', 'entry.js');
  if (!existsSync(entry)) throw new Error(`code-server install finished but ${entry} is missing`);
  writeFileSync(join(dir, '.installed'), `${new Date().toISOString()}\n`);
  console.log(`code-server ${CODE_SERVER_VERSION}: installed in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return entry;
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (s.address());
      s.close(() => res(port));
    });
  });
}

function httpStatus(url, timeoutMs) {
  return new Promise((res) => {
    const req = get(url, (r) => {
      r.resume();
      res(r.statusCode ?? 0);
    });
    req.setTimeout(timeoutMs, () => req.destroy());
    req.once('error', () => res(0));
  });
}

/** Isolated HOME / XDG folders and a config file for one code-server run. */
function isolatedEnv(root, extra) {
  const home = join(root, 'home');
  const config = join(root, 'config');
  const data = join(root, 'data');
  for (const d of [home, config, data]) mkdirSync(d, { recursive: true });
  return {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: config,
    XDG_DATA_HOME: data,
    XDG_CACHE_HOME: join(root, 'cache'),
    VSCODE_PROXY_URI: '',
    ...extra,
  };
}

function requireEntry() {
  const entry = codeServerEntry();
  if (!entry)
    throw new Error(`code-server ${CODE_SERVER_VERSION} is not installed: run node scripts/codeServer.mjs install`);
  return entry;
}

/** Installs a .vsix into extensionsDir with code-server's own CLI. */
/** @param {string} vsix @param {string} extensionsDir @param {{ root?: string }} [options] */
export function installExtension(vsix, extensionsDir, { root } = {}) {
  const entry = requireEntry();
  const base = root ?? mkdtempSync(join(tmpdir(), 'oomscope-cs-install-'));
  mkdirSync(extensionsDir, { recursive: true });
  const r = spawnSync(
    process.execPath,
    [
      entry,
      '--user-data-dir',
      join(base, 'user-data'),
      '--extensions-dir',
      extensionsDir,
      '--install-extension',
      resolve(vsix),
      '--force',
    ],
    { env: isolatedEnv(base, {}), encoding: 'utf8', timeout: 120_000 },
  );
  if (!root) rmSync(base, { recursive: true, force: true });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  if (r.status !== 0 || !/successfully installed/i.test(out)) {
    throw new Error(
      `installing ${vsix} into code-server failed (exit ${r.status ?? r.signal}): ${out.split('\n').slice(-3).join(' | ')}`,
    );
  }
  return out;
}

/** Every live descendant of `pid` (from /proc; zombies are not alive), whatever its process group. */
function liveDescendants(pid) {
  const parent = new Map();
  let entries = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (rest[0] !== 'Z') parent.set(Number(e), Number(rest[1]));
    } catch {
      /* gone meanwhile */
    }
  }
  const out = [];
  const walk = (p) => {
    for (const [c, pp] of parent)
      if (pp === p && !out.includes(c)) {
        out.push(c);
        walk(c);
      }
  };
  walk(pid);
  return out;
}

function alive(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits until fn() is true, checking every intervalMs, at most timeoutMs. */
async function until(fn, timeoutMs, intervalMs = 100) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await fn()) return true;
    if (Date.now() >= end) return false;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Starts code-server detached in its own process group, bound to 127.0.0.1 on a free port, with its own
 * HOME, XDG folders, config, user-data-dir and extensions-dir. Resolves once the HTTP port answers.
 * Options: workspace, extensionsDir, userDataDir, root (folder for all state; a temp folder by default),
 * port, env (extra variables), settings (user settings.json object), timeoutMs, logFile.
 */
export async function start(opts = {}) {
  const entry = requireEntry();
  const root = opts.root ?? mkdtempSync(join(tmpdir(), 'oomscope-cs-'));
  const ownRoot = !opts.root;
  mkdirSync(root, { recursive: true });
  const port = opts.port ?? (await freePort());
  const userDataDir = opts.userDataDir ?? join(root, 'user-data');
  const extensionsDir = opts.extensionsDir ?? join(root, 'extensions');
  const configFile = join(root, 'config.yaml');
  mkdirSync(extensionsDir, { recursive: true });
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const settings = {
    'workbench.startupEditor': 'none',
    'git.openRepositoryInParentFolders': 'never',
    'workbench.tips.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'security.workspace.trust.enabled': false,
    'chat.disableAIFeatures': true,
    'update.mode': 'none',
    'workbench.enableExperiments': false,
    ...opts.settings,
  };
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  const args = [
    entry,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--config',
    configFile,
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
  ];
  if (opts.workspace) args.push(resolve(opts.workspace));
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: isolatedEnv(root, opts.env ?? {}),
  });
  let log = '';
  const onData = (b) => {
    log = (log + b.toString()).slice(-200_000);
    if (opts.logFile) writeFileSync(opts.logFile, log);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  let exited = false;
  const exit = new Promise((res) =>
    child.once('exit', (code, signal) => {
      exited = true;
      res({ code, signal });
    }),
  );
  const pid = child.pid;
  const url = `http://127.0.0.1:${port}/`;
  const stop = async () => {
    // A process code-server started in a group of its own (a detached helper) would outlive the group's kill: the
    // tree is recorded first, and whatever of it is left after the group is gone is stopped too.
    const tree = liveDescendants(pid);
    if (groupAlive(pid)) {
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      if (!(await until(() => !groupAlive(pid), 5000))) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
        await until(() => !groupAlive(pid), 5000);
      }
    }
    if (!exited) await Promise.race([exit, new Promise((r) => setTimeout(r, 2000).unref())]);
    const left = () => tree.filter(alive);
    for (const sig of ['SIGTERM', 'SIGKILL']) {
      if (!left().length) break;
      for (const p of left()) {
        try {
          process.kill(p, sig);
        } catch {
          /* already gone */
        }
      }
      await until(() => left().length === 0, 5000);
    }
    if (ownRoot && !opts.keepRoot) rmSync(root, { recursive: true, force: true });
  };
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const up = await until(async () => exited || (await httpStatus(`${url}healthz`, 2000)) === 200, timeoutMs, 200);
  if (!up || exited) {
    await stop();
    throw new Error(
      `code-server did not answer on ${url} within ${timeoutMs} ms${exited ? ' (it exited)' : ''}: ${log.trim().split('\n').slice(-5).join(' | ')}`,
    );
  }
  return {
    url,
    port,
    pid,
    root,
    userDataDir,
    extensionsDir,
    /** Workbench URL that opens a folder. */
    folderUrl: (folder) => `${url}?folder=${encodeURIComponent(resolve(folder))}`,
    log: () => log,
    exited: () => exited,
    stop,
  };
}

// Bundled copies (the e2e tests) share import.meta.url with their bundle, so match the script by name too.
const isMain =
  /codeServer\.mjs$/.test(process.argv[1] ?? '') && pathToFileURL(resolve(process.argv[1])).href === import.meta.url;
if (isMain) {
  const cmd = process.argv[2];
  try {
    if (cmd === 'install') install();
    else if (cmd === 'path') console.log(codeServerEntry() ?? 'not installed');
    else {
      console.error('usage: node scripts/codeServer.mjs install | path');
      process.exit(2);
    }
  } catch (e) {
    console.error(`codeServer: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
