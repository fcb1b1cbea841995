/** `analyze-log` finds the kill in one file of each kernel-log format (docs/cli.md "Kernel log formats"). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runCli } from './support';

const F = (f: string): string => join(ROOT, 'test', 'fixtures', 'oom-formats', f);
const C = (f: string): string => join(ROOT, 'test', 'fixtures', 'oom-corpus', f);

interface Json {
  ooms: { pid: number; time: string | null; monotonicSeconds: number | null }[];
}

async function kills(path: string, extra: string[] = []): Promise<Json['ooms']> {
  const r = await runCli(['analyze-log', '--kernel-log', path, '--format', 'json', ...extra]);
  assert.equal(r.code, 1, `${path}: exit 1 (kills found); stderr: ${r.stderr}`);
  return (JSON.parse(r.stdout) as Json).ooms;
}

// Generated (scripts/reframeOomReport.mjs): the real znode-memory report re-framed; the selected victim is 7788.
for (const [file, stamp] of [
  ['kmsg.txt', 'monotonic'],
  ['journal-json.jsonl', 'wall'],
  ['journal-short-iso.log', 'wall'],
  ['journal-short-iso-precise.log', 'wall'],
  ['rfc5424-syslog.log', 'wall'],
  ['dmesg-T-de.log', 'wall'],
  ['dmesg-T-fr.log', 'wall'],
  ['dmesg-T-ru.log', 'wall'],
  ['dmesg-T-ja.log', 'wall'],
  ['mixed.log', 'wall'],
] as const) {
  void test(`analyze-log reads ${file} (generated): the kill of pid 7788 with its ${stamp} stamp`, async () => {
    const ooms = await kills(F(file));
    const k = ooms.find((o) => o.pid === 7788);
    assert.ok(k, `pids found: ${ooms.map((o) => o.pid).join(', ')}`);
    if (stamp === 'wall') assert.equal(k.time?.slice(0, 19), '2025-05-19T18:14:43');
    else assert.equal(k.monotonicSeconds, 139.201482);
  });
}

// Real corpus reports that only the framing makes readable.
for (const [file, pid] of [
  ['issue-ert-9320-grep-filtered-numbered-global-kills.log', 328391],
  ['issue-aks-5434-kubectl-events-oomkilling-group-members.log', 19023],
  ['issue-npd-766-oomkilling-event-json-message.log', 3504804],
  ['issue-earlyoom-121-syslog-russian-locale-global.log', 27541],
  ['ml-linux-mm-20190201-tetsuo-group-kill-constraint-none-memcg-5.0-quoted.log', 9188],
] as const) {
  void test(`analyze-log reads the real ${file}: pid ${pid}`, async () => {
    const ooms = await kills(C(file));
    assert.ok(
      ooms.some((o) => o.pid === pid),
      `pids found: ${ooms.map((o) => o.pid).join(', ')}`,
    );
  });
}

void test('a syslog stamp takes the latest year not in the future; --year overrides', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-year-'));
  try {
    const log = join(dir, 'syslog');
    writeFileSync(log, 'Jan  1 00:00:01 node kernel: Out of memory: Killed process 9 (x) total-vm:1kB, anon-rss:1kB\n');
    const [k] = await kills(log);
    assert.equal(k!.time, `${new Date().getUTCFullYear()}-01-01T00:00:01.000Z`);
    const [y] = await kills(log, ['--year', '2019']);
    assert.equal(y!.time, '2019-01-01T00:00:01.000Z');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
