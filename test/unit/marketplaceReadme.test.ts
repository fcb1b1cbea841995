// The README packed into the .vsix (scripts/package.mjs): screenshots from the e2e run in place
// of the marker, relative to the extension folder; other relative links to the repository.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
// @ts-expect-error -- plain ESM script without types
import { MARKER, SHOTS, marketplaceReadme } from '../../scripts/marketplaceReadme.mjs';

type Compose = (readme: string, present: string[], repoUrl: string) => string;
const compose = marketplaceReadme as Compose;
const shots = SHOTS as { file: string; alt: string }[];
const REPO = 'https://github.com/oomscope/oomscope.git';

void test('the repository README has the marker, and every screenshot replaces it in the packed README', () => {
  const readme = readFileSync('README.md', 'utf8');
  assert.ok(readme.includes(MARKER as string));
  const packed = compose(readme, shots.map((s) => s.file), REPO);
  assert.ok(!packed.includes(MARKER as string));
  for (const s of shots) assert.ok(packed.includes(`](media/screenshots/${s.file})`), s.file);
  assert.ok(packed.indexOf('media/screenshots/') < packed.indexOf('## Quick start'), 'screenshots come before the quick start');
  // Relative links now point at the repository; anchors and absolute links are left alone.
  assert.ok(packed.includes('](https://github.com/oomscope/oomscope/blob/HEAD/docs/rules/README.md)'));
  assert.ok(packed.includes('](#json-contracts)'));
  assert.doesNotMatch(packed.replace(/\]\(media\/screenshots\/[^)]+\)/g, ''), /\]\((?!https?:|#|mailto:)[^)]+\)/);
});

void test('missing screenshots are left out, not linked broken', () => {
  const packed = compose(`# X\n\n${MARKER as string}\n\n![logo](media/icon.png) [a](docs/a.md)\n`, [shots[1]!.file], REPO);
  assert.equal(packed.match(/media\/screenshots\//g)?.length, 1);
  assert.ok(packed.includes(`](media/screenshots/${shots[1]!.file})`));
  assert.ok(packed.includes('![logo](https://github.com/oomscope/oomscope/raw/HEAD/media/icon.png)'));
  assert.ok(packed.includes('[a](https://github.com/oomscope/oomscope/blob/HEAD/docs/a.md)'));
});
