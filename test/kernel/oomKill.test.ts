// Real-kernel tier (docs/testing.md): real memory cgroups, real OOM kills, the real kernel log and PSI.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseKernelLog, type KernelOomEvent } from '../../src/core/oom/kernelLogParser';
import { judgeKills, type KillVerdict } from '../../src/core/oom/judge';
import { phasesFromSamples } from '../../src/core/oom/phases';
import { psiCoverage, stallPoints } from '../../src/core/oom/psi';
import { DEFAULT_PHASE_SETTINGS, type PhaseSettings } from '../../src/core/oom/verdictTypes';
import { psiSamplesOf, readKernelLog, watchLocal, type LocalSample } from '../../src/local/localReader';
import {
  exitWithin,
  layoutOrSkip,
  makeCgroup,
  removeCgroups,
  removeStale,
  spawnWorkload,
  stopWorkload,
  uptimeSeconds,
  type Cgroup,
  type Layout,
  type Workload,
} from './cgroupHarness';

const MIB = 1024 * 1024;
const PREFIX = 'oomscope-test-';
const INTERVAL_MS = 500;
const SETTINGS: PhaseSettings = { ...DEFAULT_PHASE_SETTINGS, pollIntervalSeconds: INTERVAL_MS / 1000 };
const RECORD = process.env.OOMSCOPE_RECORD_FIXTURES === '1';
const CLI = join(process.cwd(), 'dist', 'cli.js');

interface Run {
  layout: Layout;
  cgroups: Cgroup[];
  workloads: Workload[];
  files: string[];
  abort: AbortController;
}

function setup(t: TestContext): Run | null {
  const layout = layoutOrSkip(t);
  if (!layout) return null;
  removeStale(layout, PREFIX);
  const run: Run = { layout, cgroups: [], workloads: [], files: [], abort: new AbortController() };
  t.after(async () => {
    run.abort.abort();
    for (const w of run.workloads) await stopWorkload(w);
    for (const f of run.files) rmSync(f, { force: true });
    const errors = removeCgroups(run.cgroups);
    if (errors.length) t.diagnostic(`cleanup: ${errors.join('; ')}`);
  });
  return run;
}

/** Records PSI of the cgroup (v2 dir) and the node until aborted; waits for the first sample. */
async function record(
  run: Run,
  cg: Cgroup | null,
): Promise<{ samples: Promise<LocalSample[]>; until: (t: number) => Promise<void> }> {
  const waiters: Array<{ t: number; resolve: () => void }> = [];
  let first!: () => void;
  const started = new Promise<void>((r) => (first = r));
  const samples = watchLocal({
    cgroupDir: cg?.psiDir ?? undefined,
    durationMs: 115000,
    intervalMs: INTERVAL_MS,
    signal: run.abort.signal,
    onSample: (s) => {
      first();
      for (const w of waiters.splice(0)) (s.t > w.t ? w.resolve : () => waiters.push(w))();
    },
  });
  await started;
  return {
    samples,
    until: (t) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no PSI sample after the kill within 10 s')), 10000);
        waiters.push({
          t,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      }),
  };
}

async function killsSince(
  startMono: number,
  pids: number[],
): Promise<{ events: KernelOomEvent[]; text: string; bootTimeMs: number | null }> {
  const log = await readKernelLog();
  const events = parseKernelLog(log.text, { bootTimeMs: log.bootTimeMs ?? undefined }).filter(
    (e) =>
      (e.monotonicSeconds ?? 0) >= startMono &&
      e.victim !== null &&
      e.victim.pid !== null &&
      pids.includes(e.victim.pid),
  );
  return { events, text: log.text, bootTimeMs: log.bootTimeMs };
}

function saveFixture(
  name: string,
  text: string,
  events: KernelOomEvent[],
  samples: LocalSample[],
  bootTimeMs: number | null,
): void {
  if (!RECORD || events.length === 0) return;
  const lines = text.split('\n');
  const from = Math.min(...events.map((e) => e.lines[0])) - 1;
  const to = Math.max(...events.map((e) => e.lines[1]));
  mkdirSync('test/fixtures/kernel-oom', { recursive: true });
  mkdirSync('test/fixtures/psi', { recursive: true });
  writeFileSync(join('test/fixtures/kernel-oom', `recorded-${name}.log`), lines.slice(from, to).join('\n') + '\n');
  const psi = psiSamplesOf(samples).map((s) =>
    JSON.stringify({ ts: s.t, scope: s.scope, some: s.some, full: s.full, ...s.counters }),
  );
  if (psi.length) writeFileSync(join('test/fixtures/psi', `recorded-${name}.jsonl`), psi.join('\n') + '\n');
  writeFileSync(
    join('test/fixtures/psi', `recorded-${name}.meta.json`),
    JSON.stringify({ bootTime: bootTimeMs === null ? null : new Date(bootTimeMs).toISOString() }) + '\n',
  );
}

/** The phase a kill was judged on and the stall points of its scope in the 5 s before it, for a failure message. */
function describeAround(k: KillVerdict, samples: LocalSample[]): string {
  const t = k.event.time ?? 0;
  const scope = k.psiScope ?? 'node';
  const points = stallPoints(
    psiSamplesOf(samples).filter((s) => s.scope === scope),
    SETTINGS.pollIntervalSeconds,
  )
    .flat()
    .filter((p) => p.t >= t - 5000 && p.t <= t + 1000)
    .map(
      (p) =>
        `${((p.t - t) / 1000).toFixed(2)}s some ${p.somePercent.toFixed(1)}% full ${(p.fullPercent ?? 0).toFixed(1)}%`,
    );
  const ph = k.precedingPhase;
  return `phase ${ph ? `${ph.phase} from ${((ph.start - t) / 1000).toFixed(2)}s to ${ph.end === null ? 'open' : ((ph.end - t) / 1000).toFixed(2) + 's'}` : 'none'} on ${scope}; points: ${points.join('; ')}`;
}

function judge(events: KernelOomEvent[], samples: LocalSample[]): KillVerdict[] {
  const psi = psiSamplesOf(samples);
  return judgeKills(events, phasesFromSamples(psi, SETTINGS), psiCoverage(psi, SETTINGS.pollIntervalSeconds), SETTINGS);
}

/**
 * A file read at random under a memory limit until the kernel kills the reader: the run of the two thrash tests.
 * Records PSI (and the counters) from before the workload starts to its kill; reads the kernel log of the kill.
 */
async function thrashUntilKilled(run: Run, cg: Cgroup, name: string, args: string[]) {
  const file = `/var/tmp/${PREFIX}${process.pid}-${name}.bin`;
  run.files.push(file);
  const startMono = uptimeSeconds();
  const rec = await record(run, cg);
  const w = spawnWorkload(cg, ['thrash', file, ...args]);
  run.workloads.push(w);
  await w.waitFor('thrashing', 60000);
  const exit = await exitWithin(w, 100000);
  await rec.until(Date.now());
  run.abort.abort();
  const samples = await rec.samples;
  return { w, exit, samples, ...(await killsSince(startMono, [w.pid])) };
}

void test(
  'a workload that thrashes on its file working set, then grows, is OOM-killed by its own limit after pressure',
  { timeout: 120000 },
  async (t) => {
    const run = setup(t);
    if (!run) return;
    const cg = makeCgroup(run.layout, `/${PREFIX}${process.pid}-thrash`, 128 * MIB);
    run.cgroups.push(cg);
    if (!cg.psiDir) t.diagnostic('no cgroup v2 PSI here: judging on /proc/pressure/memory (scope "node")');
    const { w, exit, samples, events, text, bootTimeMs } = await thrashUntilKilled(run, cg, 'thrash', [
      '160',
      '12',
      '2',
    ]);
    assert.equal(
      exit.signal,
      'SIGKILL',
      `workload ended with ${exit.signal ?? exit.code}, not the OOM killer's SIGKILL; stderr: ${w.stderr()}`,
    );
    saveFixture('thrash-then-grow', text, events, samples, bootTimeMs);
    assert.equal(events.length, 1, 'exactly one kill of the workload in the kernel log');
    const ev = events[0]!;
    assert.equal(ev.victim!.pid, w.pid);
    assert.equal(ev.victim!.comm, 'python3');
    assert.equal(ev.oomMemcg, cg.path);
    assert.equal(ev.taskMemcg, cg.path);
    assert.equal(ev.memcgLimitKb, 128 * 1024);
    const [k] = judge(events, samples);
    assert.equal(k!.class, 'container-limit');
    assert.equal(k!.psiScope, cg.psiDir ? cg.path : 'node');
    assert.ok(
      k!.precededBy === 'pressure' || k!.precededBy === 'thrashing',
      `expected pressure or thrashing before the kill, got ${k!.precededBy}`,
    );
    t.diagnostic(
      `preceded by ${k!.precededBy} for ${k!.precedingSeconds?.toFixed(1)} s (peak some ${k!.precedingPhase?.peakSomePercent}%, full ${k!.precedingPhase?.peakFullPercent}%)`,
    );
  },
);

void test(
  'a fast allocation straight past the limit is OOM-killed by its own limit with nothing before it',
  { timeout: 120000 },
  async (t) => {
    const run = setup(t);
    if (!run) return;
    const cg = makeCgroup(run.layout, `/${PREFIX}${process.pid}-burst`, 64 * MIB);
    run.cgroups.push(cg);
    const startMono = uptimeSeconds();
    const rec = await record(run, cg);
    await rec.until(Date.now());
    const w = spawnWorkload(cg, ['burst', '32']);
    run.workloads.push(w);
    const exit = await exitWithin(w, 60000);
    await rec.until(Date.now());
    run.abort.abort();
    const samples = await rec.samples;
    assert.equal(exit.signal, 'SIGKILL', `workload ended with ${exit.signal ?? exit.code}; stderr: ${w.stderr()}`);
    const { events, text, bootTimeMs } = await killsSince(startMono, [w.pid]);
    saveFixture('burst', text, events, samples, bootTimeMs);
    assert.equal(events.length, 1);
    assert.equal(events[0]!.victim!.pid, w.pid);
    const [k] = judge(events, samples);
    assert.equal(k!.class, 'container-limit');
    assert.equal(k!.notJudged, null);
    assert.equal(k!.precededBy, null, `expected a sudden OOM, got ${k!.precededBy}: ${describeAround(k!, samples)}`);
  },
);

void test(
  'two siblings under a parent limit: the one with the higher oom_score_adj is the victim of the ancestor limit',
  { timeout: 120000 },
  async (t) => {
    const run = setup(t);
    if (!run) return;
    const parent = makeCgroup(run.layout, `/${PREFIX}${process.pid}-parent`, 192 * MIB);
    const a = makeCgroup(run.layout, `${parent.path}/a`, null);
    const b = makeCgroup(run.layout, `${parent.path}/b`, null);
    run.cgroups.push(parent, a, b);
    const startMono = uptimeSeconds();
    const wa = spawnWorkload(a, ['hold', '48'], 0);
    const wb = spawnWorkload(b, ['hold', '48'], 500);
    run.workloads.push(wa, wb);
    await Promise.all([wa.waitFor('ready', 30000), wb.waitFor('ready', 30000)]);
    const exitB = await exitWithin(wb, 100000);
    await stopWorkload(wa);
    assert.equal(exitB.signal, 'SIGKILL', `sibling b ended with ${exitB.signal ?? exitB.code}; stderr: ${wb.stderr()}`);
    const { events, text, bootTimeMs } = await killsSince(startMono, [wa.pid, wb.pid]);
    saveFixture('siblings-parent-limit', text, events.slice(0, 1), [], bootTimeMs);
    assert.ok(events.length >= 1, 'the kill is in the kernel log');
    const ev = events[0]!;
    assert.equal(ev.victim!.pid, wb.pid, 'the sibling with oom_score_adj 500 is killed first');
    assert.equal(ev.victim!.oomScoreAdj, 500);
    assert.equal(ev.oomMemcg, parent.path);
    assert.equal(ev.taskMemcg, b.path);
    const [k] = judgeKills([ev], [], new Map());
    assert.equal(k!.class, 'ancestor-limit');
    assert.equal(k!.notJudged, 'no-psi');
  },
);

void test(
  'oomscope analyze-log --local --cgroup DIR watches a real kill and reports it with its pressure',
  { timeout: 120000 },
  async (t) => {
    const run = setup(t);
    if (!run) return;
    if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` (npm test builds first)');
    const cg = makeCgroup(run.layout, `/${PREFIX}${process.pid}-local`, 128 * MIB);
    run.cgroups.push(cg);
    const file = `/var/tmp/${PREFIX}${process.pid}-local.bin`;
    run.files.push(file);
    // Recorded as a user does it: watch, and press Ctrl-C (SIGINT) once the kill has happened, however long it took.
    const cliStarted = Date.now();
    const cli = spawn(
      process.execPath,
      [
        CLI,
        'analyze-log',
        '--local',
        '--cgroup',
        cg.psiDir ?? cg.limitDir,
        '--watch',
        '100s',
        '--interval',
        '500ms',
        '--format',
        'json',
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const cliDone = new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      let out = '';
      let err = '';
      cli.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      cli.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
      cli.once('close', (code) => resolve({ code, out, err }));
    });
    t.after(() => {
      if (cli.exitCode === null) cli.kill('SIGKILL');
    });
    const w = spawnWorkload(cg, ['thrash', file, '160', '8', '2']);
    run.workloads.push(w);
    const exit = await exitWithin(w, 60000);
    assert.equal(exit.signal, 'SIGKILL', `stderr: ${w.stderr()}`);
    cli.kill('SIGINT');
    const r = await cliDone;
    const recordedSeconds = (Date.now() - cliStarted) / 1000;
    assert.equal(r.code, 1, `exit 1 = kills found; stderr: ${r.err}`);
    const out = JSON.parse(r.out) as {
      ooms: Array<{ pid: number; class: string; precededBy: string | null; psiScope: string | null; oomMemcg: string }>;
      local: { samples: number };
    };
    const kill = out.ooms.find((o) => o.pid === w.pid);
    assert.ok(kill, `the workload's kill (pid ${w.pid}) is reported`);
    assert.equal(kill.class, 'container-limit');
    assert.equal(kill.oomMemcg, cg.path);
    assert.equal(kill.psiScope, cg.psiDir ? cg.path : 'node');
    assert.ok(
      kill.precededBy === 'pressure' || kill.precededBy === 'thrashing',
      `precededBy ${kill.precededBy}: ${JSON.stringify({ kill, phases: (out as { phases?: unknown }).phases, local: out.local })}`,
    );
    assert.ok(
      out.local.samples >= Math.floor(recordedSeconds) - 2,
      `${out.local.samples} samples in ${recordedSeconds.toFixed(1)} s at a 500 ms interval`,
    );
  },
);

void test(
  'a thrash against its limit with moderate PSI but high refaults is judged thrashing by the corroborating signals',
  { timeout: 120000 },
  async (t) => {
    const run = setup(t);
    if (!run) return;
    if (!run.layout.psiRoot) return t.skip('no cgroup v2 PSI for a cgroup here: the corroboration is per cgroup');
    const cg = makeCgroup(run.layout, `/${PREFIX}${process.pid}-refault`, 64 * MIB);
    run.cgroups.push(cg);
    // A 128 MiB file read at random under a 64 MiB limit: every other read is a refault of a page the limit pushed
    // out; then slow growth until the kernel kills it.
    const { w, exit, samples, events, text, bootTimeMs } = await thrashUntilKilled(run, cg, 'refault', [
      '128',
      '20',
      '1',
    ]);
    assert.equal(exit.signal, 'SIGKILL', `workload ended with ${exit.signal ?? exit.code}; stderr: ${w.stderr()}`);
    saveFixture('refault-thrash', text, events, samples, bootTimeMs);
    assert.equal(events.length, 1, 'exactly one kill of the workload in the kernel log');
    const psi = psiSamplesOf(samples).filter((s) => s.scope === cg.path);
    assert.ok(
      psi.some((s) => s.counters?.stat?.workingset_refault_file !== undefined),
      'the recorder read the cgroup refault counters',
    );
    assert.ok(
      psi.some((s) => s.counters?.events?.failcnt !== undefined || s.counters?.events?.max !== undefined),
      'the recorder read the cgroup limit hits',
    );
    const [k] = judge(events, samples);
    assert.equal(k!.psiScope, cg.path);
    assert.equal(k!.precededBy, 'thrashing', describeAround(k!, samples));
    const ph = k!.precedingPhase!;
    assert.match(ph.signals, /refaults [\d,]+ pages\/s at the limit/, ph.signals);
    // The same samples without their counters: what PSI alone says (moderate PSI: pressure or nothing).
    const bare = psi.map(({ counters: _c, ...s }) => s);
    const alone = judgeKills(
      events,
      phasesFromSamples(bare, SETTINGS),
      psiCoverage(bare, SETTINGS.pollIntervalSeconds),
      SETTINGS,
    );
    t.diagnostic(
      `thrashing for ${k!.precedingSeconds?.toFixed(1)} s: ${ph.signals}; from PSI alone: ${alone[0]?.precededBy ?? 'nothing'}`,
    );
  },
);

void test(
  'a group kill (memory.oom.group=1) kills every process of the cgroup v2 scope',
  { timeout: 120000 },
  async (t) => {
    const run = setup(t);
    if (!run) return;
    if (run.layout.mode !== 'v2') {
      const ctl = (() => {
        try {
          return readFileSync('/sys/fs/cgroup/unified/cgroup.controllers', 'utf8').trim();
        } catch {
          return null;
        }
      })();
      return t.skip(
        `group kill skipped: memory.oom.group needs the memory controller in cgroup v2, and here it is on cgroup v1 (${run.layout.limitRoot})${ctl !== null ? `; cgroup v2 controllers: "${ctl}"` : ''}`,
      );
    }
    const cg = makeCgroup(run.layout, `/${PREFIX}${process.pid}-group`, 96 * MIB);
    run.cgroups.push(cg);
    writeFileSync(join(cg.limitDir, 'memory.oom.group'), '1');
    const startMono = uptimeSeconds();
    const holders = [spawnWorkload(cg, ['hold', '8']), spawnWorkload(cg, ['hold', '8'])];
    run.workloads.push(...holders);
    for (const h of holders) await h.waitFor('ready', 60000);
    const burst = spawnWorkload(cg, ['burst', '4']);
    run.workloads.push(burst);
    const members = [...holders, burst];
    for (const m of members) {
      const exit = await exitWithin(m, 100000);
      assert.equal(
        exit.signal,
        'SIGKILL',
        `member ${m.pid} ended with ${exit.signal ?? exit.code}; stderr: ${m.stderr()}`,
      );
    }
    const log = await readKernelLog();
    const lines = log.text.split('\n');
    const at = lines.findIndex((l) =>
      l.includes(`Tasks in ${cg.path} are going to be killed due to memory.oom.group set`),
    );
    assert.ok(at >= 0, 'the kernel log has the group-kill line');
    const killed = lines.slice(at).flatMap((l) => {
      const m = /Killed process (\d+)/.exec(l);
      return m ? [Number(m[1])] : [];
    });
    for (const m of members) assert.ok(killed.includes(m.pid), `member ${m.pid} has a "Killed process" line`);
    t.diagnostic(
      `group kill: ${killed.length} "Killed process" lines for ${members.length} members; since ${startMono}s`,
    );
  },
);
