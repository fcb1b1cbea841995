// `npm start`: build and pack the extension, install code-server if missing (cached), start the built-in demo
// cluster (src/demo: a loopback HTTPS API server), and open VS Code in the browser on examples/ with the extension
// installed and the demo kubeconfig selected. Ctrl-C stops everything.
//   npm start                 demo cluster
//   npm start -- --real       your own KUBECONFIG / ~/.kube/config instead of the demo cluster
//   npm start -- --desktop    a desktop `code` on PATH with --extensionDevelopmentPath instead of code-server
//   npm start -- --port 8080  fixed port;  --vsix FILE  use an already packed .vsix (skips build and package)
// State (user settings, extensions) lives in .cache/start/ (or $OOMSCOPE_START_DIR).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { codeServerEntry, install, installExtension, start } from './codeServer.mjs';
import { ensurePrerequisites } from './prerequisites.mjs';
import { nodeBundleOptions } from '../buildOptions.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const examples = join(repo, 'examples');
const stateDir = resolve(process.env.OOMSCOPE_START_DIR ?? join(repo, '.cache', 'start'));
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const option = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const log = (msg) => console.log(`[oomscope start] ${msg}`);

function fail(msg) {
  console.error(`[oomscope start] ${msg}`);
  process.exit(1);
}

function npmRun(script) {
  log(`npm run ${script}`);
  const r = spawnSync('npm', ['run', script], { cwd: repo, stdio: 'inherit' });
  if (r.status !== 0) fail(`npm run ${script} failed (exit ${r.status ?? r.signal})`);
}

function onPath(cmd) {
  return (process.env.PATH ?? '').split(delimiter).some((d) => d && existsSync(join(d, cmd)));
}

/** Bundles the built-in demo cluster (src/demo/, a loopback HTTPS API server) with esbuild and starts it, or returns undefined with the reason printed. */
async function startDemoCluster() {
  const entry = join(repo, 'src', 'demo', 'apiServer.ts');
  try {
    const esbuild = await import('esbuild');
    const outfile = join(stateDir, 'demoCluster.cjs');
    await esbuild.build({ ...nodeBundleOptions(), absWorkingDir: repo, entryPoints: [entry], outfile });
    // esbuild's service process is a child of this one and would outlive our exit by the moment it takes to read
    // EOF on its stdin: stopped now, so that by our exit every child is gone.
    await esbuild.stop();
    const mod = await import(pathToFileURL(outfile).href);
    const startApiServer = mod.startApiServer ?? mod.default?.startApiServer;
    if (typeof startApiServer !== 'function') throw new Error('src/demo/apiServer.ts does not export startApiServer');
    const server = await startApiServer({ scenario: 'thrash-then-system-oom', dir: join(stateDir, 'cluster') });
    log(`demo cluster: ${server.url} (scenario thrash-then-system-oom, kubeconfig ${server.kubeconfigPath})`);
    return server;
  } catch (e) {
    log(`demo cluster: could not start (${e instanceof Error ? e.message : String(e)}); starting without it`);
    return undefined;
  }
}

function realKubeconfig() {
  const first = (process.env.KUBECONFIG ?? '').split(delimiter).find((p) => p);
  const path = first ?? join(homedir(), '.kube', 'config');
  if (!existsSync(path)) log(`--real: ${path} does not exist; cluster commands will say so`);
  return path;
}

function vsixPath() {
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
  return join(repo, `${pkg.name}-${pkg.version}.vsix`);
}

async function main() {
  mkdirSync(stateDir, { recursive: true });
  const stops = [];
  let stopping = false;
  const shutdown = async (code) => {
    if (stopping) return;
    stopping = true;
    log('stopping');
    for (const s of stops.reverse()) await s().catch((e) => console.error(e));
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  if (flag('--desktop')) {
    if (!onPath('code')) {
      log('--desktop: no `code` on PATH; opening VS Code in the browser instead');
    } else {
      npmRun('build');
      const demo = flag('--real') ? undefined : await startDemoCluster();
      if (demo) stops.push(() => demo.close());
      const kubeconfig = demo?.kubeconfigPath ?? (flag('--real') ? realKubeconfig() : undefined);
      const child = spawn('code', [`--extensionDevelopmentPath=${repo}`, examples], { stdio: 'inherit' });
      await new Promise((r) => child.once('exit', r));
      if (!demo) return;
      log(
        `desktop VS Code opened; set "oomscope.kubeconfig": "${kubeconfig}" and "oomscope.context": "${demo.context}" to use the demo cluster. Ctrl-C stops it.`,
      );
      return;
    }
  }

  // Before packing, so a missing package costs the user seconds, not a build: the one line to run, or apt-get as root.
  if (!codeServerEntry()) {
    try {
      ensurePrerequisites('start', { who: 'npm start', log });
    } catch (e) {
      fail(e instanceof Error ? e.message : String(e));
    }
  }
  let vsix = option('--vsix');
  if (vsix) {
    vsix = resolve(vsix);
    if (!existsSync(vsix)) fail(`--vsix ${vsix}: no such file`);
  } else {
    npmRun('package');
    vsix = vsixPath();
    if (!existsSync(vsix)) fail(`npm run package did not produce ${vsix}`);
  }
  try {
    install();
    const extensionsDir = join(stateDir, 'extensions');
    installExtension(vsix, extensionsDir);
    log(`installed ${vsix} into ${extensionsDir}`);
    const demo = flag('--real') ? undefined : await startDemoCluster();
    if (demo) stops.push(() => demo.close());
    /** @type {Record<string, unknown>} */
    const settings = {};
    if (demo) {
      settings['oomscope.kubeconfig'] = demo.kubeconfigPath;
      settings['oomscope.context'] = demo.context;
      // The demo shows the manifest's cluster-aware findings and CodeLens (opt-in on a real cluster: they read it in
      // the background).
      settings['oomscope.cluster.diagnostics'] = true;
    } else if (flag('--real')) {
      settings['oomscope.kubeconfig'] = realKubeconfig();
    }
    const port = option('--port') ? Number(option('--port')) : undefined;
    if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536))
      fail(`--port ${option('--port')}: not a port number`);
    const server = await start({
      workspace: examples,
      extensionsDir,
      root: join(stateDir, 'code-server'),
      userDataDir: join(stateDir, 'user-data'),
      port,
      settings,
      logFile: join(stateDir, 'code-server.log'),
    });
    stops.push(() => server.stop());
    const watch = setInterval(() => {
      if (server.exited()) {
        clearInterval(watch);
        log(`code-server exited; its log is ${join(stateDir, 'code-server.log')}`);
        void shutdown(1);
      }
    }, 500);
    stops.unshift(async () => clearInterval(watch));
    log(`code-server pid ${server.pid}, log ${join(stateDir, 'code-server.log')}`);
    console.log(`\nOOMScope in VS Code: ${server.folderUrl(examples)}\n`);
    log('open the URL, then F1 → "OOMScope: Analyze Node Memory". Ctrl-C stops everything.');
  } catch (e) {
    console.error(`[oomscope start] ${e instanceof Error ? e.message : String(e)}`);
    await shutdown(1);
  }
}

await main();
