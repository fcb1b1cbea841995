// The real OOM corpus (test/fixtures/oom-corpus/, provenance in SOURCES.md): every file goes through the real
// parser and judge, and what comes out must be what a person reads in it (expected.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { KernelLogParser } from '../../src/core/oom/kernelLogParser';
import { judgeKills } from '../../src/core/oom/judge';

const DIR = 'test/fixtures/oom-corpus';

interface ExpectedKill {
  pid: number | null;
  comm: string | null;
  anonRssKiB: number | null;
  fileRssKiB: number | null;
  shmemRssKiB: number | null;
  oomScoreAdj: number | null;
  constraint: string | null;
  memcgOom: boolean | null;
  memcgLimitKiB: number | null;
  podUid: string | null;
  containerId: string | null;
  groupKill: { cgroup: string; selectedPid: number | null; size: number | null } | null;
  killer: string;
}

interface ExpectedFile {
  file: string;
  format: string;
  kills: ExpectedKill[];
}

/**
 * Where the product reads less than a person does, on purpose. File → kill pid → field, with the reason.
 */
const KNOWN_DIFFERENCES: Record<string, { pid: number; field: keyof ExpectedKill; reason: string }> = {
  'issue-ltp-1080-syslog-memcg-many-kills.log': {
    pid: 42452,
    field: 'memcgOom',
    reason:
      'the first kill line says neither "Memory cgroup" nor "Out of memory" (its pair line is before the excerpt); a person infers memcg from the kills after it, the parser does not guess',
  },
};

/** Classes that say a memory cgroup limit was hit. */
const MEMCG_CLASSES = new Set(['container-limit', 'pod-limit', 'node-allocatable', 'ancestor-limit']);

const expected = JSON.parse(readFileSync(`${DIR}/expected.json`, 'utf8')) as ExpectedFile[];

/** What the product reads in one corpus file, in the shape of expected.json. */
function read(text: string): { kills: ExpectedKill[]; unread: number } {
  const p = new KernelLogParser();
  const events = text.split('\n').flatMap((l) => p.push(l));
  events.push(...p.end());
  const verdicts = judgeKills(events, [], new Map());
  const kills = verdicts.map((k): ExpectedKill => {
    const e = k.event;
    const v = e.victim!;
    return {
      pid: v.pid,
      comm: v.comm,
      anonRssKiB: v.anonRssKb,
      fileRssKiB: v.fileRssKb,
      shmemRssKiB: v.shmemRssKb,
      oomScoreAdj: v.oomScoreAdj,
      constraint: e.constraint,
      memcgOom: k.class === 'system' ? false : e.oomKind === 'memcg' || MEMCG_CLASSES.has(k.class) ? true : null,
      memcgLimitKiB: e.memcgLimitKb,
      podUid: k.podUid,
      containerId: k.containerId,
      groupKill: e.groupKill,
      killer: e.killer,
    };
  });
  return { kills, unread: kills.length === 0 ? p.oomLookingLines().count : 0 };
}

const key = (k: ExpectedKill): string => `${k.killer} ${k.pid ?? ''} ${k.groupKill?.cgroup ?? ''}`;
const sorted = (ks: ExpectedKill[]): ExpectedKill[] => [...ks].sort((a, b) => key(a).localeCompare(key(b)));

/** Differences between what was read and what a person reads (empty = fully right). */
function differences(got: ExpectedKill[], want: ExpectedKill[], file: string): string[] {
  const known = KNOWN_DIFFERENCES[file];
  const out: string[] = [];
  if (got.length !== want.length) out.push(`${got.length} kills read, ${want.length} expected`);
  const g = sorted(got);
  const w = sorted(want);
  for (let i = 0; i < Math.min(g.length, w.length); i++) {
    for (const f of Object.keys(w[i]!) as (keyof ExpectedKill)[]) {
      // memcgOom null = the report does not say; any reading is accepted.
      if (f === 'memcgOom' && w[i]![f] === null) continue;
      if (known && known.pid === w[i]!.pid && known.field === f) continue;
      const a = JSON.stringify(g[i]![f]);
      const b = JSON.stringify(w[i]![f]);
      if (a !== b) out.push(`kill ${key(w[i]!)}: ${f} ${a}, expected ${b}`);
    }
  }
  return out;
}

void test('the corpus lists every file of test/fixtures/oom-corpus once', () => {
  const files = expected.map((e) => e.file);
  assert.equal(new Set(files).size, files.length);
  assert.ok(files.length >= 30, `${files.length} reports`);
});

for (const e of expected) {
  void test(`corpus ${e.file}`, () => {
    const r = read(readFileSync(`${DIR}/${e.file}`, 'utf8'));
    if (e.kills.length === 0) {
      assert.equal(r.kills.length, 0, 'a report header only: no kill to read');
      assert.ok(r.unread > 0, 'a report header only must be reported as unread lines, not as "no kills"');
      return;
    }
    assert.deepEqual(differences(r.kills, e.kills, e.file), []);
  });
}

void test('corpus tally (printed for the before/after note)', () => {
  let right = 0;
  for (const e of expected) {
    const r = read(readFileSync(`${DIR}/${e.file}`, 'utf8'));
    const ok =
      e.kills.length === 0 ? r.kills.length === 0 && r.unread > 0 : differences(r.kills, e.kills, e.file).length === 0;
    if (ok) right++;
    else if (process.env.OOMSCOPE_CORPUS_VERBOSE)
      console.log(e.file, differences(r.kills, e.kills, e.file).slice(0, 6));
  }
  console.log(`oom-corpus: ${right} of ${expected.length} reports fully right`);
  assert.ok(right <= expected.length);
});
