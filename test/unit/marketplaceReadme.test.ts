// The README packed into the .vsix (scripts/package.mjs): screenshots from the e2e run in place
// of the marker as data: URLs (all VS Code's extension page shows); relative links to the repository.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
// @ts-expect-error -- plain ESM script without types
import { MARKER, SHOTS, marketplaceReadme } from '../../scripts/marketplaceReadme.mjs';

type Compose = (readme: string, pngs: Map<string, Uint8Array>, repoUrl: string) => string;
const compose = marketplaceReadme as Compose;
const shots = SHOTS as { file: string; alt: string }[];
const REPO = 'https://github.com/oomscope/oomscope.git';

void test('the repository README has the marker, and every screenshot replaces it in the packed README', () => {
  const readme = readFileSync('README.md', 'utf8');
  assert.ok(readme.includes(MARKER as string));
  const png = (n: number): Uint8Array => Uint8Array.from([0x89, 0x50, 0x4e, 0x47, n]);
  const packed = compose(readme, new Map(shots.map((s, i) => [s.file, png(i)])), REPO);
  assert.ok(!packed.includes(MARKER as string));
  shots.forEach((s, i) =>
    assert.ok(packed.includes(`![${s.alt}](data:image/png;base64,${Buffer.from(png(i)).toString('base64')})`), s.file),
  );
  assert.ok(
    packed.indexOf('data:image/png') < packed.indexOf('## Quick start'),
    'screenshots come before the quick start',
  );
  // Relative links now point at the repository; anchors and absolute links are left alone.
  assert.ok(packed.includes('](https://github.com/oomscope/oomscope/blob/HEAD/docs/rules/README.md)'));
  assert.ok(packed.includes('](#json-contracts)'));
  assert.doesNotMatch(packed, /\]\((?!https?:|#|mailto:|data:image\/png;base64,)[^)]+\)/);
});

void test('missing screenshots are left out, not linked broken', () => {
  const packed = compose(
    `# X\n\n${MARKER as string}\n\n![logo](media/icon.png) [a](docs/a.md)\n`,
    new Map([[shots[1]!.file, Uint8Array.from([1, 2, 3])]]),
    REPO,
  );
  assert.equal(packed.match(/data:image\/png/g)?.length, 1);
  assert.ok(packed.includes(`![${shots[1]!.alt}](data:image/png;base64,AQID)`));
  assert.ok(packed.includes('![logo](https://github.com/oomscope/oomscope/raw/HEAD/media/icon.png)'));
  assert.ok(packed.includes('[a](https://github.com/oomscope/oomscope/blob/HEAD/docs/a.md)'));
});
