// Fuzz: the CLI's inputs, in process (src/cli/dispatch.ts with the bytes as standard input): real manifests and kernel
// logs, cut, byte-flipped, with BOMs, NULs, UTF-16, CRLF, random bytes. Every run ends with exit 0, 1 or 2 and no
// internal error; exit 2 says why on stderr; otherwise stdout is the JSON the contract promises.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { main } from '../../src/cli/dispatch';
import type { CliIo } from '../../src/cli/io';
import { fuzz } from './budget';

const manifests = [
  ...readdirSync('examples')
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join('examples', f)),
  ...readdirSync('test/fixtures/cli/real').map((f) => join('test/fixtures/cli/real', f)),
].map((f) => readFileSync(f));
const logs = readdirSync('test/fixtures/kernel-oom')
  .filter((f) => f.endsWith('.log'))
  .map((f) => readFileSync(join('test/fixtures/kernel-oom', f)));

/** A real input, then mutated the ways real files are damaged or re-encoded. */
function mutated(corpus: Buffer[]): fc.Arbitrary<Buffer> {
  const base = fc.constantFrom(...corpus);
  return fc.oneof(
    base,
    fc.tuple(base, fc.nat()).map(([b, n]) => b.subarray(0, n % (b.length + 1))),
    fc
      .tuple(base, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 12 }))
      .map(([b, flips]) => {
        const c = Buffer.from(b);
        for (const [at, v] of flips) if (c.length) c[at % c.length] = v;
        return c;
      }),
    base.map((b) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b])),
    base.map((b) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(b.toString('utf8'), 'utf16le')])),
    base.map((b) => Buffer.from(b.toString('utf8').replace(/\n/g, '\r\n'))),
    fc.tuple(base, fc.nat(), fc.string({ unit: 'grapheme', maxLength: 20 })).map(([b, n, s]) => {
      const at = n % (b.length + 1);
      return Buffer.concat([b.subarray(0, at), Buffer.from(s), b.subarray(at)]);
    }),
    fc.uint8Array({ maxLength: 2000 }).map((u) => Buffer.from(u)),
  );
}

async function runCli(argv: string[], input: Buffer): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    stdin: () =>
      (async function* () {
        yield new Uint8Array(input);
      })(),
    isTty: false,
    cwd: process.cwd(),
    env: { NO_COLOR: '1' },
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

function checkRun(r: { code: number; stdout: string; stderr: string }, what: string): void {
  assert.ok([0, 1, 2].includes(r.code), `${what}: exit ${r.code}`);
  assert.doesNotMatch(r.stderr, /internal error/i, `${what}: ${r.stderr}`);
  if (r.code === 2) assert.match(r.stderr, /^oomscope /m, `${what}: exit 2 says why`);
  else JSON.parse(r.stdout);
}

void test('oomscope lint - --format json on damaged and re-encoded manifests', async (t) => {
  await fuzz(
    t,
    'lint -',
    fc.asyncProperty(mutated(manifests), async (input) => {
      checkRun(await runCli(['lint', '-', '--format', 'json'], input), 'lint');
    }),
    4000,
  );
});

void test('oomscope analyze-log --kernel-log - --format json on damaged and re-encoded kernel logs', async (t) => {
  await fuzz(
    t,
    'analyze-log --kernel-log -',
    fc.asyncProperty(mutated(logs), async (input) => {
      checkRun(
        await runCli(
          ['analyze-log', '--kernel-log', '-', '--boot-time', '2026-11-27T00:00:00Z', '--format', 'json'],
          input,
        ),
        'analyze-log',
      );
    }),
    4000,
  );
});
