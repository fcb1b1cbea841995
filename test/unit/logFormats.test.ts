/**
 * Line framing (src/core/oom/logFormats.ts + splitKernelLine): every format gives the same kernel
 * messages and stamps as the raw dmesg form of the same report; Markdown wrappers, kmsg dictionary
 * lines, journal JSON byte arrays, locale month words and the year rule.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseKernelLog, parseKernelMessage, splitKernelLine } from '../../src/core/oom/kernelLogParser';
import { monthIndex, unwrapRecord } from '../../src/core/oom/logFormats';

const formats = (name: string): string => readFileSync(`test/fixtures/oom-formats/${name}`, 'utf8');
const corpus = (name: string): string => readFileSync(`test/fixtures/oom-corpus/${name}`, 'utf8');
/** scripts/reframeOomReport.mjs BOOT_MS: the generated files' wall stamps are this plus the kernel stamp. */
const BOOT_MS = Date.UTC(2025, 4, 19, 18, 12, 24);

interface Framed {
  message: string;
  wallMs: number | null;
  monotonicSeconds: number | null;
}

/** The kernel messages of a text (lines that carry none left out), with their stamps. */
function framed(text: string, when?: { year?: number; nowMs?: number }): Framed[] {
  return text
    .split('\n')
    .map((l) => splitKernelLine(l, when))
    .filter((s) => s.message.trim() !== '')
    .map((s) => ({ message: s.message, wallMs: s.stamp.wallMs, monotonicSeconds: s.stamp.monotonicSeconds }));
}

const raw = framed(formats('raw.dmesg'));

void test('the raw form of the generated report: 100 messages, a group kill of 5 processes', () => {
  assert.equal(raw.length, 100);
  assert.ok(raw.every((r) => r.monotonicSeconds !== null && r.wallMs === null));
  const kills = parseKernelLog(formats('raw.dmesg')).filter((e) => e.victim);
  assert.deepEqual(
    [...new Set(kills.map((e) => e.victim!.pid))],
    [7788, 7620, 7656, 7657, 7712],
    'the corpus says 7788 (selected), then 7620, 7656, 7657, 7712',
  );
});

/** Wall precision of each format, in ms: what its stamp prints. */
const WALL: Record<string, { precisionMs: number; monotonic: boolean }> = {
  'kmsg.txt': { precisionMs: -1, monotonic: true },
  'journal-json.jsonl': { precisionMs: 2, monotonic: true },
  'journal-short-iso.log': { precisionMs: 1000, monotonic: false },
  'journal-short-iso-precise.log': { precisionMs: 1, monotonic: false },
  'rfc5424-syslog.log': { precisionMs: 1, monotonic: false },
  'dmesg-T-de.log': { precisionMs: 1000, monotonic: false },
  'dmesg-T-fr.log': { precisionMs: 1000, monotonic: false },
  'dmesg-T-ru.log': { precisionMs: 1000, monotonic: false },
  'dmesg-T-ja.log': { precisionMs: 1000, monotonic: false },
};

for (const [file, want] of Object.entries(WALL)) {
  void test(`${file} → the same messages and stamps as the raw dmesg form`, () => {
    // kmsg.txt opens with a device record (and its dictionary lines) before the report.
    const got = framed(formats(file)).slice(file === 'kmsg.txt' ? 1 : 0);
    assert.deepEqual(
      got.map((g) => g.message),
      raw.map((r) => r.message),
      'same messages, in order; no record lost, no dictionary or wrapper line taken as one',
    );
    got.forEach((g, i) => {
      const r = raw[i]!;
      const wallOfRaw = BOOT_MS + r.monotonicSeconds! * 1000;
      if (want.monotonic) assert.equal(g.monotonicSeconds, r.monotonicSeconds, `line ${i + 1}: monotonic stamp`);
      if (want.precisionMs < 0) assert.equal(g.wallMs, null, `line ${i + 1}: kmsg has no wall clock`);
      else {
        assert.notEqual(g.wallMs, null, `line ${i + 1}: a wall-clock stamp`);
        assert.ok(
          g.wallMs! <= wallOfRaw + want.precisionMs && g.wallMs! > wallOfRaw - want.precisionMs,
          `line ${i + 1}: wall ${new Date(g.wallMs!).toISOString()} vs ${new Date(wallOfRaw).toISOString()}`,
        );
      }
    });
    const kills = parseKernelLog(formats(file)).filter((e) => e.victim);
    assert.deepEqual(
      kills.map((e) => e.victim!.pid),
      parseKernelLog(formats('raw.dmesg'))
        .filter((e) => e.victim)
        .map((e) => e.victim!.pid),
      'the same kills',
    );
  });
}

void test('mixed input is detected per line: kmsg, journal JSON, dmesg -T (de), short-iso-precise and raw lines in one file', () => {
  const got = framed(formats('mixed.log'));
  assert.deepEqual(
    got.map((g) => g.message),
    raw.map((r) => r.message),
  );
  assert.equal(got[0]!.monotonicSeconds, raw[0]!.monotonicSeconds, 'a kmsg line');
  assert.notEqual(got[2]!.wallMs, null, 'a dmesg -T line in German');
  const events = parseKernelLog(formats('mixed.log')).filter((e) => e.victim);
  assert.equal(events[0]!.victim!.pid, 7788);
});

void test('kmsg: dictionary continuation lines are not messages; \\x escapes are decoded', () => {
  assert.equal(unwrapRecord(' SUBSYSTEM=acpi'), null);
  assert.equal(unwrapRecord(' DEVICE=+acpi:PNP0A03:00'), null);
  const kmsg = framed(formats('kmsg.txt'));
  assert.equal(kmsg.length, 101, 'the device record and the 100 report records, not its 2 dictionary lines');
  assert.ok(!kmsg.some((k) => k.message.includes('SUBSYSTEM=') || k.message.includes('DEVICE=')));
  const s = splitKernelLine('6,1234,567890123,-,caller=T77;Out of memory: Killed process 9 (a\\x20b) total-vm:1kB');
  assert.equal(s.message, 'Out of memory: Killed process 9 (a b) total-vm:1kB');
  assert.equal(s.stamp.monotonicSeconds, 567.890123);
});

void test('journal JSON: MESSAGE as an array of bytes (journald for non-UTF-8) is decoded; stamps from the fields', () => {
  const bytes = [
    ...Buffer.from('Out of memory: Killed process 42 (caf', 'latin1'),
    0xe9,
    ...Buffer.from(') total-vm:8kB'),
  ];
  const line = JSON.stringify({
    MESSAGE: bytes,
    __REALTIME_TIMESTAMP: '1747678483201253',
    _SOURCE_MONOTONIC_TIMESTAMP: '139201253',
    _TRANSPORT: 'kernel',
  });
  const s = splitKernelLine(line);
  assert.equal(s.message, 'Out of memory: Killed process 42 (caf\ufffd) total-vm:8kB');
  assert.equal(s.stamp.wallMs, 1747678483201);
  assert.equal(s.stamp.monotonicSeconds, 139.201253);
  const m = parseKernelMessage(s.message);
  assert.equal(m?.kind, 'killed');
  assert.equal(
    splitKernelLine(JSON.stringify({ MESSAGE: null, __REALTIME_TIMESTAMP: '1' })).message.startsWith('{'),
    true,
  );
  assert.equal(
    splitKernelLine(formats('journal-json.jsonl').split('\n')[4]!).message,
    raw[4]!.message,
    'the generated byte-array line (<TASK>)',
  );
});

void test('Markdown and chat wrappers are stripped: bullets, nested quotes, backticks, fences, line numbers, prompts', () => {
  const line = '[  139.201482] Memory cgroup out of memory: Killed process 7788 (bash) total-vm:7169492kB';
  const want = 'Memory cgroup out of memory: Killed process 7788 (bash) total-vm:7169492kB';
  for (const wrapped of [
    `- ${line}`,
    `* \`${line}\``,
    `1. ${line}`,
    `> ${line}`,
    `> > ${line}`,
    `>> - \`${line}\``,
    `    ${line}`,
    `  12 ${line}`,
    `12:${line}`,
  ]) {
    const s = splitKernelLine(wrapped);
    assert.equal(s.message, want, wrapped);
    assert.equal(s.stamp.monotonicSeconds, 139.201482, wrapped);
  }
  for (const none of [
    '```',
    '> ```text',
    '~~~',
    '[ilyam@pc ~]$ sudo dmesg | egrep -i "killed process"',
    'root@aks-node-1:/# dmesg -T | grep oom-kill',
  ]) {
    assert.equal(splitKernelLine(none).message, '', none);
  }
  assert.equal(
    splitKernelLine(
      'Creating debugging pod node-debugger-aks-nodepool1-1-x7k2p with container debugger on node aks-nodepool1-1.',
    ).message,
    '',
  );
  // A number that is part of a message is not a line number.
  assert.equal(splitKernelLine('1234 total pagecache pages').message, '1234 total pagecache pages');
});

void test('real corpus: quoted, line-numbered, kubectl-events and JSON-event pastes are read', () => {
  const pids = (f: string): (number | null)[] =>
    parseKernelLog(corpus(f))
      .filter((e) => e.victim)
      .map((e) => e.victim!.pid);
  assert.deepEqual(
    pids('issue-ert-9320-grep-filtered-numbered-global-kills.log'),
    [328391, 1597132, 1595933, 1596142, 1596008],
  );
  assert.deepEqual(pids('issue-aks-5434-kubectl-events-oomkilling-group-members.log'), [19023, 19024, 20649]);
  assert.deepEqual(pids('issue-npd-766-oomkilling-event-json-message.log'), [3504804]);
  assert.equal(
    pids('ml-linux-mm-20190201-tetsuo-group-kill-constraint-none-memcg-5.0-quoted.log').length,
    12,
    'quoted, printk caller ids',
  );
  assert.ok(pids('ml-linux-mm-20180801-guro-group-kill-global-victim-twice-quoted.log').includes(1222));
  const [ru] = parseKernelLog(corpus('issue-earlyoom-121-syslog-russian-locale-global.log'), {
    nowMs: Date.UTC(2026, 6, 1),
  });
  assert.equal(ru!.victim!.pid, 27541);
  assert.equal(new Date(ru!.time!).toISOString(), '2026-04-28T01:23:30.000Z', 'Russian "апр" is April');
});

void test('dmesg -T month words of common locales; an unknown month word keeps the line', () => {
  for (const [w, m] of [
    ['Mar', 2],
    ['Mär', 2],
    ['mars', 2],
    ['апр', 3],
    ['мая', 4],
    ['déc.', 11],
    ['Okt', 9],
    ['5月', 4],
    ['paź', 9],
  ] as const)
    assert.equal(monthIndex(w), m, w);
  assert.equal(monthIndex('Xyz'), null);
  const s = splitKernelLine('[Xyz Qrs  3 12:00:01 2026] Out of memory: Killed process 5 (x) total-vm:1kB');
  assert.equal(s.message, 'Out of memory: Killed process 5 (x) total-vm:1kB', 'never dropped');
  assert.equal(s.stamp.wallMs, null);
  assert.equal(s.stamp.wallUnread, '[Xyz Qrs  3 12:00:01 2026]');
  assert.equal(splitKernelLine('[Di Mär  3 12:00:01 2026] x').stamp.wallMs, Date.UTC(2026, 2, 3, 12, 0, 1));
  assert.equal(splitKernelLine('[mar. mars  3 12:00:01 2026] x').stamp.wallMs, Date.UTC(2026, 2, 3, 12, 0, 1));
  assert.equal(splitKernelLine('[Tue Mar  3 12:00:01 2026] x').stamp.wallMs, Date.UTC(2026, 2, 3, 12, 0, 1));
  assert.equal(
    splitKernelLine('2026-03-03T12:00:01,123456+01:00 x').stamp.wallMs,
    Date.UTC(2026, 2, 3, 11, 0, 1, 123),
    'dmesg --time-format iso',
  );
});

void test('year rule: a stamp without a year takes the latest year not in the future; --year overrides', () => {
  const dec = 'Dec 30 23:59:01 node kernel: Out of memory: Killed process 9 (x) total-vm:1kB';
  const jan = Date.UTC(2027, 0, 2, 8, 0, 0);
  assert.equal(
    splitKernelLine(dec, { nowMs: jan }).stamp.wallMs,
    Date.UTC(2026, 11, 30, 23, 59, 1),
    'December read in January → last year',
  );
  assert.equal(
    splitKernelLine('Jan  1 00:10:00 node kernel: x', { nowMs: jan }).stamp.wallMs,
    Date.UTC(2027, 0, 1, 0, 10),
  );
  assert.equal(
    splitKernelLine(dec, { nowMs: jan, year: 2019 }).stamp.wallMs,
    Date.UTC(2019, 11, 30, 23, 59, 1),
    '--year',
  );
  assert.equal(
    splitKernelLine(dec, 2019).stamp.wallMs,
    Date.UTC(2019, 11, 30, 23, 59, 1),
    'a bare year (the old signature)',
  );
  assert.equal(splitKernelLine(dec).stamp.wallMs, null, 'no year and no now: no wall time');
  // A few hours ahead of now is a time zone, not next year's December.
  assert.equal(
    splitKernelLine('Jan  2 12:00:00 node kernel: x', { nowMs: jan }).stamp.wallMs,
    Date.UTC(2027, 0, 2, 12),
    'within a day of now',
  );
  assert.equal(
    splitKernelLine('Feb 29 10:00:00 node kernel: x', { nowMs: Date.UTC(2027, 5, 1) }).stamp.wallMs,
    Date.UTC(2024, 1, 29, 10),
    'Feb 29: the latest leap year',
  );
  const [e] = parseKernelLog(dec, { nowMs: jan });
  assert.equal(new Date(e!.time!).getUTCFullYear(), 2026, 'the parser passes now through');
});

void test('journal short, short-precise, short-unix, short-monotonic and RFC 5424 prefixes', () => {
  const msg = 'Out of memory: Killed process 9 (x) total-vm:1kB';
  const now = { nowMs: Date.UTC(2026, 5, 1) };
  assert.equal(
    splitKernelLine(`Mar 03 12:00:01 node kernel: ${msg}`, now).stamp.wallMs,
    Date.UTC(2026, 2, 3, 12, 0, 1),
  );
  assert.equal(
    splitKernelLine(`Mar 03 12:00:01.250000 node kernel: ${msg}`, now).stamp.wallMs,
    Date.UTC(2026, 2, 3, 12, 0, 1, 250),
  );
  assert.equal(splitKernelLine(`1772539201.250000 node kernel: ${msg}`).stamp.wallMs, 1772539201250);
  assert.equal(splitKernelLine(`[  139.201482] node kernel: ${msg}`).stamp.monotonicSeconds, 139.201482);
  const r = splitKernelLine(`<3>1 2026-03-03T12:00:01.5Z node kernel - - - ${msg}`);
  assert.equal(r.message, msg);
  assert.equal(r.stamp.wallMs, Date.UTC(2026, 2, 3, 12, 0, 1, 500));
  assert.equal(
    splitKernelLine('<30>1 2026-03-03T12:00:01Z node systemd-oomd 412 - - Killed /a.scope').message,
    'systemd-oomd[412]: Killed /a.scope',
    'another program keeps its name',
  );
  for (const l of [`Mar 03 12:00:01 node kernel: ${msg}`, `1772539201.250000 node kernel: ${msg}`])
    assert.equal(splitKernelLine(l, now).message, msg);
});
