// Language servers side by side over LSP (stdio), on the same generated files of 50 / 1,000 /
// 10,000 documents: OOMScope's dist/server.js and Red Hat's yaml-language-server (configured as a
// user would: yaml.schemas {kubernetes: "*.yaml"}; its schema download fails on this offline
// machine, which the line notes). Per case: open → first complete publishDiagnostics,
// one-character edit → next publishDiagnostics, peak RSS (VmHWM) of the server process (read before),
// for OOMScope the same text re-opened under another name once the first is closed (open → complete
// diagnostics with warm code; nothing is shared between documents), and the
// `yaml` package's CST-only pass (`new Parser().parse(text)` iterated) over the same text: the
// median of a few passes in one process (warm JIT) and the first pass (cold, as in a fresh server).
// One JSON line per (server, size). Nothing is asserted.
// Usage: node bench/lsp.bench.mjs [--only=oomscope|yaml-language-server] [--parallel-threshold=CHARS]
//        [--oomscope=path/to/another/server.js (to compare two builds)] [sizes…]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateManifests } from './lsp/generate.mjs';
import { runCase } from './lsp/harness.mjs';

const SELF = fileURLToPath(import.meta.url);
const ROOT = join(SELF, '..', '..');
const OOMSCOPE =
  process.argv.find((a) => a.startsWith('--oomscope='))?.slice('--oomscope='.length) ?? join(ROOT, 'dist', 'server.js');
const YAML_LS = join(ROOT, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server');
const YAML_LS_CAP_MS = 120_000;
const OOMSCOPE_CAP_MS = 300_000;

if (process.argv[2] === '--cst') {
  await cstChild(process.argv[3], Number(process.argv[4]));
} else {
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length) ?? null;
  const threshold = process.argv
    .find((a) => a.startsWith('--parallel-threshold='))
    ?.slice('--parallel-threshold='.length);
  await main(
    process.argv
      .slice(2)
      .map(Number)
      .filter((n) => n > 0),
    only,
    threshold === undefined ? undefined : { parallelThresholdChars: Number(threshold) },
  );
}

async function cstChild(file, reps) {
  const { Parser } = await import('yaml');
  const text = readFileSync(file, 'utf8');
  const times = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    let tokens = 0;
    for (const _ of new Parser().parse(text)) tokens++;
    times.push(performance.now() - t0);
    if (tokens === 0) throw new Error('no tokens');
  }
  const cold = times[0];
  times.sort((a, b) => a - b);
  process.stdout.write(
    JSON.stringify({ ms: Math.round(times[Math.floor(times.length / 2)]), coldMs: Math.round(cold) }),
  );
}

function cstMs(file, reps) {
  const r = spawnSync(process.execPath, [SELF, '--cst', file, String(reps)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return r.status === 0 ? JSON.parse(r.stdout) : { ms: null, coldMs: null };
}

/** A one-character edit typed in the middle document's description (a neutral keystroke). */
function middleEdit(count) {
  return (text) => {
    const marker = `"Service ${Math.floor(count / 2)} of`;
    const offset = text.indexOf(marker) + marker.length - 3;
    let line = 0;
    let lineStart = 0;
    for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
      line++;
      lineStart = i + 1;
    }
    const position = { line, character: offset - lineStart };
    return { range: { start: position, end: position }, text: 'x' };
  };
}

async function main(sizes, only, oomscopeInit) {
  if (!existsSync(OOMSCOPE)) {
    spawnSync(process.execPath, [join(ROOT, 'esbuild.mjs')], { cwd: ROOT, stdio: 'inherit' });
  }
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-lsp-bench-'));
  const yamlSettings = {
    validate: true,
    hover: true,
    completion: true,
    format: { enable: false },
    schemas: { kubernetes: '*.yaml' },
    schemaStore: { enable: true },
  };
  const servers = [
    {
      name: 'oomscope',
      command: process.execPath,
      args: [OOMSCOPE, '--stdio'],
      root: dir,
      settings: {},
      capMs: OOMSCOPE_CAP_MS,
      initializationOptions: oomscopeInit,
      warmReopen: true,
    },
    {
      name: 'yaml-language-server',
      command: process.execPath,
      args: [YAML_LS, '--stdio'],
      root: dir,
      settings: { yaml: yamlSettings, http: { proxy: '', proxyStrictSSL: true }, '[yaml]': {}, editor: { tabSize: 2 } },
      didChangeConfiguration: { yaml: yamlSettings, http: { proxy: '', proxyStrictSSL: true } },
      capMs: YAML_LS_CAP_MS,
    },
  ];
  try {
    for (const count of sizes.length ? sizes : [50, 1000, 10000]) {
      const text = generateManifests(count);
      const file = join(dir, `manifests-${count}.yaml`);
      writeFileSync(file, text);
      const { ms: cst, coldMs: cstCold } = cstMs(file, count >= 10000 ? 3 : count >= 1000 ? 5 : 7);
      for (const server of servers) {
        if (only && server.name !== only) continue;
        if (!existsSync(server.args[0])) {
          console.log(
            JSON.stringify({
              bench: 'lsp',
              server: server.name,
              documents: count,
              skipped: `${server.args[0]} not found`,
            }),
          );
          continue;
        }
        const r = await runCase({ server, file, text, edit: middleEdit(count), waitMs: server.capMs });
        /** @type {Record<string, unknown>} */
        const line = {
          bench: 'lsp',
          server: r.server,
          documents: count,
          bytes: Buffer.byteLength(text),
          openToDiagnosticsMs: r.openToDiagnosticsMs,
          ...(r.openWarmMs !== undefined ? { openWarmMs: r.openWarmMs } : {}),
          editToDiagnosticsMs: r.editToDiagnosticsMs,
          peakRssMB: r.peakRssMB,
          yamlCstMs: cst,
          yamlCstColdMs: cstCold,
          diagnostics: r.diagnostics,
          diagnosticsAfterEdit: r.diagnosticsAfterEdit,
          firstDiagnostic: r.firstDiagnostic,
        };
        if (r.server === 'oomscope') {
          line.targets = {
            // cold against cold (a fresh server, the CST's first pass), warm against warm (the re-open, the CST's median)
            openNoSlowerThanCstCold:
              r.openToDiagnosticsMs !== null && cstCold !== null ? r.openToDiagnosticsMs <= cstCold : null,
            openWarmNoSlowerThanCstWarm: r.openWarmMs !== undefined && cst !== null ? r.openWarmMs <= cst : null,
            editMsTarget: count >= 10000 ? 200 : count >= 1000 ? 50 : null,
            rssTargetMB: Math.round(100 + (10 * Buffer.byteLength(text)) / 1048576),
          };
        }
        if (r.error) line.error = r.error.includes('no answer within') ? `capped: ${r.error} (killed)` : r.error;
        if (r.logs?.length) line.serverSaid = r.logs;
        if (r.stderr) line.stderr = r.stderr;
        line.method =
          'spawned over stdio; first publishDiagnostics after didOpen / after a one-character didChange; VmHWM at the end';
        console.log(JSON.stringify(line));
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
