// Fuzz: the kernel-log parser on real report lines (every fixture in test/fixtures/kernel-oom), cut, prefixed in
// each stamp format, interleaved, with CRLF and random text between. It never throws, every event points at lines
// that exist, parsing is deterministic, and feeding lines one by one gives what parsing the whole text gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { KernelLogParser, parseKernelLog } from '../../src/core/oom/kernelLogParser';
import { judgeKills } from '../../src/core/oom/judge';
import { fuzz } from './budget';

const dir = 'test/fixtures/kernel-oom';
const realLines = readdirSync(dir)
  .filter((f) => f.endsWith('.log'))
  .flatMap((f) => readFileSync(`${dir}/${f}`, 'utf8').split('\n'))
  .filter((l) => l.length > 0);
const prefixes = [
  '',
  '[  12.345678] ',
  '[    0.000000] ',
  '<6>',
  '6,1234,567890123,-;',
  '[Fri Nov 27 17:30:00 2026] ',
  'Nov 27 17:30:00 host kernel: ',
  '2026-11-27T17:30:00.123456+00:00 host kernel: ',
  '- ',
  '> ',
  '`',
];

const line = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...realLines) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(...prefixes), fc.constantFrom(...realLines))
      .map(([p, l]) => p + l.replace(/^\[[^\]]*\]\s*/, '')),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.constantFrom(...realLines), fc.nat()).map(([l, n]) => l.slice(0, n % (l.length + 1))),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...realLines), fc.nat(), fc.string({ maxLength: 8 }))
      .map(([l, n, s]) => l.slice(0, n % (l.length + 1)) + s + l.slice(n % (l.length + 1))),
  },
);

void test('kernel-log parser: any mix of real, cut, re-stamped and random lines', async (t) => {
  await fuzz(
    t,
    'kernel-log parser',
    fc.property(fc.array(line, { maxLength: 150, size: 'medium' }), fc.boolean(), (lines, crlf) => {
      const text = lines.join(crlf ? '\r\n' : '\n');
      const options = { bootTimeMs: Date.UTC(2026, 10, 27), year: 2026 };
      const events = parseKernelLog(text, options);
      const total = text.split('\n').length;
      for (const e of events) {
        assert.ok(e.lines[0] >= 1 && e.lines[0] <= e.lines[1] && e.lines[1] <= total, `lines ${e.lines} of ${total}`);
        if (e.victim) assert.ok(Number.isInteger(e.victim.pid), 'a victim has a pid');
        if (e.time !== null) assert.ok(Number.isFinite(e.time), 'a time is a number');
      }
      assert.deepEqual(
        JSON.parse(JSON.stringify(parseKernelLog(text, options))),
        JSON.parse(JSON.stringify(events)),
        'deterministic',
      );
      const p = new KernelLogParser(options);
      const streamed = [...text.split('\n').flatMap((l) => p.push(l)), ...p.end()];
      assert.equal(streamed.length, events.length, 'line by line = whole text');
      judgeKills(events, [], new Map());
    }),
    4000,
  );
});
