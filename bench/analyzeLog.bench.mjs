// analyze-log at scale: (1) a generated 60 MiB kernel log, just under the 64 MiB input limit
// (real 6.x OOM reports recorded on this machine kind, repeated with fresh pids/stamps, between
// unrelated kernel lines); (2) a 24 h PSI series at 1 s resolution (86,400 samples, two scopes)
// with kills spread over the day.
// Each case is one spawn of `node dist/cli.js analyze-log … --format json` (stdout discarded);
// wall time from the parent, peak RSS reported by the child itself at exit (a --require preload).
// Prints one JSON line per case; never asserts a time.
import { usageProbe } from './processUsage.mjs';
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
if (!existsSync(CLI)) {
  console.error('dist/cli.js is missing: run `npm run build` first');
  process.exit(1);
}
const TEMPLATE = readFileSync(join(ROOT, 'test', 'fixtures', 'kernel-oom', 'recorded-thrash-then-grow.log'), 'utf8')
  .trimEnd()
  .split('\n')
  .map((l) => l.replace(/^\[ *\d+\.\d+\] /, ''));
const NOISE = [
  'EXT4-fs (vda): mounted filesystem with ordered data mode. Quota mode: none.',
  'IPv6: ADDRCONF(NETDEV_CHANGE): veth4cb51e1: link becomes ready',
  'docker0: port 2(veth4cb51e1) entered forwarding state',
  'audit: type=1400 audit(1700000000.123:42): apparmor="STATUS" operation="profile_load" profile="unconfined" name="cri-containerd.apparmor.d" pid=1234 comm="apparmor_parser"',
  'TCP: request_sock_TCP: Possible SYN flooding on port 8080. Sending cookies.  Check SNMP counters.',
  'nfs: server 10.0.0.5 not responding, still trying',
];

function write(stream, text) {
  return stream.write(text) ? Promise.resolve() : new Promise((r) => stream.once('drain', r));
}

async function genKernelLog(file, targetBytes) {
  const out = createWriteStream(file);
  let bytes = 0;
  let t = 1.0;
  let reports = 0;
  let i = 0;
  while (bytes < targetBytes) {
    let chunk = '';
    for (let n = 0; n < 400; n++) {
      t += 0.013;
      chunk += `[${t.toFixed(6).padStart(12)}] ${NOISE[i++ % NOISE.length]}\n`;
    }
    const pid = 10000 + reports;
    for (const l of TEMPLATE) {
      t += 0.000021;
      chunk += `[${t.toFixed(6).padStart(12)}] ${l.replace(/\b18649\b/g, String(pid)).replace(/oomscope-test-18587-thrash/g, `job-${reports % 50}`)}\n`;
    }
    reports++;
    bytes += Buffer.byteLength(chunk);
    await write(out, chunk);
  }
  await new Promise((r) => out.end(r));
  return reports;
}

function genDay(dir) {
  const start = Date.UTC(2026, 10, 26, 0, 0, 0);
  const psi = [];
  const totals = { node: [0, 0], '/job': [0, 0] };
  const kills = [];
  for (let s = 0; s < 86400; s++) {
    const t = start + s * 1000;
    const hour = Math.floor(s / 3600);
    const inEpisode = s % 3600 >= 3000 && s % 3600 < 3300;
    for (const scope of ['node', '/job']) {
      const some = inEpisode ? (scope === '/job' ? 0.5 : 0.2) : 0.01;
      const full = inEpisode ? (scope === '/job' ? 0.3 : 0.05) : 0;
      totals[scope][0] += Math.round(some * 1e6);
      totals[scope][1] += Math.round(full * 1e6);
      psi.push(
        JSON.stringify({
          ts: t,
          scope,
          some: { avg10: some * 100, avg60: some * 100, avg300: some * 100, total: totals[scope][0] },
          full: { avg10: full * 100, avg60: full * 100, avg300: full * 100, total: totals[scope][1] },
        }),
      );
    }
    if (s % 3600 === 3290) kills.push({ t, pid: 20000 + hour });
  }
  writeFileSync(join(dir, 'day.jsonl'), psi.join('\n') + '\n');
  const log = [];
  for (const k of kills) {
    const iso = new Date(k.t).toISOString();
    for (const l of TEMPLATE)
      log.push(
        `${iso} node-1 kernel: ${l.replace(/\b18649\b/g, String(k.pid)).replace(/oomscope-test-18587-thrash/g, 'job')}`,
      );
  }
  writeFileSync(join(dir, 'day.log'), log.join('\n') + '\n');
  return { samples: psi.length, kills: kills.length };
}

function runCli(args, dir, nodeFlags = []) {
  const probe = usageProbe(dir);
  const t0 = process.hrtime.bigint();
  const r = spawnSync(
    process.execPath,
    [...nodeFlags, ...probe.flags, CLI, 'analyze-log', ...args, '--format', 'json'],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      maxBuffer: 1 << 20,
    },
  );
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const usage = probe.read();
  return {
    status: r.status,
    stderr: r.stderr.toString(),
    ms: Math.round(ms),
    cpuMs: usage?.cpuMs ?? null,
    peakRssMB: usage?.peakRssMB ?? null,
  };
}

const dir = mkdtempSync(join(tmpdir(), 'oomscope-bench-'));
try {
  const logFile = join(dir, 'kern.log');
  const reports = await genKernelLog(logFile, 60 * 1024 * 1024);
  const size = statSync(logFile).size;
  const a = runCli(['--kernel-log', logFile, '--boot-time', '2026-11-27T00:00:00Z'], dir);
  console.log(
    JSON.stringify({
      bench: 'analyze-log kernel log 60 MiB',
      bytes: size,
      reports,
      exitCode: a.status,
      ms: a.ms,
      cpuMs: a.cpuMs,
      mbPerSecond: Math.round((size / 1048576 / (a.ms / 1000)) * 10) / 10,
      peakRssMB: a.peakRssMB,
      ...(a.status === 1 ? {} : { stderr: a.stderr.trim() }),
    }),
  );
  const capped = runCli(['--kernel-log', logFile, '--boot-time', '2026-11-27T00:00:00Z'], dir, [
    '--max-old-space-size=48',
  ]);
  console.log(
    JSON.stringify({
      bench: 'analyze-log kernel log 60 MiB, V8 heap capped at 48 MB (streaming check)',
      exitCode: capped.status,
      ms: capped.ms,
      cpuMs: capped.cpuMs,
      peakRssMB: capped.peakRssMB,
      ...(capped.status === 1 ? {} : { stderr: capped.stderr.trim().slice(0, 300) }),
    }),
  );
  const day = genDay(dir);
  const b = runCli(['--kernel-log', join(dir, 'day.log'), '--psi', join(dir, 'day.jsonl')], dir);
  console.log(
    JSON.stringify({
      bench: 'analyze-log 24 h PSI at 1 s',
      samples: day.samples,
      scopes: 2,
      kills: day.kills,
      psiBytes: statSync(join(dir, 'day.jsonl')).size,
      exitCode: b.status,
      ms: b.ms,
      cpuMs: b.cpuMs,
      peakRssMB: b.peakRssMB,
      ...(b.status === 1 ? {} : { stderr: b.stderr.trim() }),
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
