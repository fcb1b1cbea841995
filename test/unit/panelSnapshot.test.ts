// What "Analyze This Machine's Memory" and "Import Kernel OOM Log…" put in the panel, from the
// real-kernel recordings (test/fixtures/psi/recorded-thrash-then-grow.*, kernel-oom/recorded-thrash-then-grow.log).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalSample } from '../../src/local/localReader';
import type { PsiSample } from '../../src/core/oom/verdictTypes';
import { snapshotFromKernelLog, snapshotFromLocal } from '../../src/panel/snapshot';

const F = (...p: string[]): string => join(process.cwd(), 'test', 'fixtures', ...p);
const log = readFileSync(F('kernel-oom', 'recorded-thrash-then-grow.log'), 'utf8');
const bootTimeMs = Date.parse(
  (JSON.parse(readFileSync(F('psi', 'recorded-thrash-then-grow.meta.json'), 'utf8')) as { bootTime: string }).bootTime,
);

/** The recorded samples as the local reader returns them: /proc/pressure/memory + one cgroup per instant. */
function localSamples(): LocalSample[] {
  const byT = new Map<number, LocalSample>();
  for (const line of readFileSync(F('psi', 'recorded-thrash-then-grow.jsonl'), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as { ts: number; scope: string; some: PsiSample['some']; full: PsiSample['full'] };
    const psi: PsiSample = { t: r.ts, scope: r.scope, some: r.some, full: r.full };
    const s = byT.get(r.ts) ?? { t: r.ts, node: null, cgroup: null };
    if (r.scope === 'node') s.node = psi;
    else
      s.cgroup = {
        dir: `/sys/fs/cgroup${r.scope}`,
        scope: r.scope,
        pressure: psi,
        currentBytes: null,
        maxBytes: 128 * 1024 * 1024,
        events: {},
        counters: {},
      };
    byT.set(r.ts, s);
  }
  return [...byT.values()].sort((a, b) => a.t - b.t);
}

void test('this machine: the recorded kill is classed on its own cgroup PSI, with the pressure before it', () => {
  const samples = localSamples();
  const snap = snapshotFromLocal(
    samples,
    { log: { text: log, source: 'dmesg', bootTimeMs } },
    { live: true, now: samples[samples.length - 1].t },
  );
  assert.equal(snap.target.kind, 'local');
  assert.deepEqual(snap.stall.map((s) => s.scope).sort(), ['/oomscope-test-18587-thrash', 'node'].sort());
  assert.equal(snap.kills.length, 1);
  const k = snap.kills[0];
  assert.equal(k.class, 'container-limit');
  assert.match(k.classText, /hit its own 128Mi limit/);
  assert.equal(k.precededBy, 'pressure');
  assert.match(k.precededText, /under memory pressure \(no thrashing\) for \d+s before the kill/);
  assert.match(k.container ?? '', /^python3 \(pid \d+\)$/);
  assert.ok(snap.phases.some((p) => p.scope === '/oomscope-test-18587-thrash' && p.phase === 'pressure'));
  assert.equal(snap.sources['/proc/pressure/memory'], 'ok');
  assert.equal(snap.sources.dmesg, 'ok');
});

void test('this machine without a readable kernel log: the chip says why, the PSI is still shown', () => {
  const samples = localSamples();
  const snap = snapshotFromLocal(
    samples,
    { error: 'dmesg: read kernel buffer failed: Operation not permitted' },
    { live: false, now: samples[0].t },
  );
  assert.equal(snap.kills.length, 0);
  assert.match(String(snap.sources['kernel log']), /^unavailable: dmesg: read kernel buffer failed/);
  assert.ok(snap.stall.length >= 1);
});

void test('imported log: the kill is classed, and the panel says PSI is needed to judge what came before', () => {
  const snap = snapshotFromKernelLog(
    { text: log, name: 'recorded.log', path: 'file:///tmp/recorded.log', bootTimeMs, now: 0 },
    { live: false },
  );
  assert.deepEqual(snap.target, { kind: 'log', name: 'recorded.log', path: 'file:///tmp/recorded.log' });
  assert.equal(snap.kills.length, 1);
  assert.equal(snap.kills[0].class, 'container-limit');
  assert.match(snap.kills[0].precededText, /no PSI data given/);
  assert.ok(snap.kills[0].t !== null, 'boot time anchors the raw dmesg stamps');
  assert.ok(snap.notes.some((n) => /no PSI/.test(n)));
  const empty = snapshotFromKernelLog({ text: 'hello\nworld\n', name: 'notes.txt', now: 0 }, { live: false });
  assert.equal(empty.kills.length, 0);
  assert.match(empty.notes[0], /No OOM kill report found in notes.txt/);
});

void test('imported log: a memory.oom.group kill of 5 processes is one kill marker naming all of them', () => {
  const text = readFileSync(
    'test/fixtures/oom-corpus/repo-vijayrod-demo-znode-memory-group-kill-besteffort-kubepods-limit-5.15.log',
    'utf8',
  );
  const snap = snapshotFromKernelLog({ text, name: 'group.log', year: 2026, now: 0 }, { live: false });
  assert.equal(snap.kills.length, 1, 'one event, not five markers');
  const k = snap.kills[0]!;
  assert.equal(k.class, 'node-allocatable');
  assert.equal(k.container, 'bash (pid 7788)');
  assert.match(
    k.classText,
    /^5 processes of container 9192cb33411f killed together \(memory\.oom\.group\); the selected victim/,
  );
  assert.equal(k.evidence[0], '5 processes of container 9192cb33411f killed together (memory.oom.group)');
});
