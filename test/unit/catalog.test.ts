// The rule catalogue and the settings defaults are written once: package.json's settings and the
// rule tables of README.md and docs/rules/README.md are generated from them
// (scripts/generateCatalog.mjs), and this test fails when they drift.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RULES, RULE_DOCS_BASE } from '../../src/core/manifest/rules/ruleCatalog';
import { ROOT } from '../cli/support';

const FILES = ['package.json', 'README.md', join('docs', 'rules', 'README.md')];
const generate = (...args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, 'scripts', 'generateCatalog.mjs'), ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });

/** A scratch copy of the generated files; `edit` damages one before the generator sees it. */
function scratch(edit: (dir: string) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-catalog-'));
  mkdirSync(join(dir, 'docs', 'rules'), { recursive: true });
  for (const f of FILES) cpSync(join(ROOT, f), join(dir, f));
  edit(dir);
  return dir;
}

void test('package.json and the rule tables are what the catalogue generates', () => {
  const r = generate('--check');
  assert.equal(r.status, 0, r.stderr);
});

void test('a drifted file fails the check, by name, and the generator restores it', () => {
  const damages: [string, (text: string) => string][] = [
    ['package.json', (t) => t.replace('(`default`: information;', '(`default`: warning;')],
    ['package.json', (t) => t.replace('"default": 300,', '"default": 600,')],
    ['README.md', (t) => t.replace(/\| \[`qos-class-in-spec`\].*\n/, '')],
    [
      join('docs', 'rules', 'README.md'),
      (t) => t.replace('| warning | a container has no memory limit', '| error | a container has no memory limit'),
    ],
  ];
  for (const [file, damage] of damages) {
    const dir = scratch((d) => {
      const before = readFileSync(join(d, file), 'utf8');
      const after = damage(before);
      assert.notEqual(after, before, `the damage to ${file} applies`);
      writeFileSync(join(d, file), after);
    });
    try {
      const check = generate('--check', '--root', dir);
      assert.equal(check.status, 1, `${file}: ${check.stderr}`);
      assert.match(check.stderr, new RegExp(`out of date .*${file.replace(/[.\\/]/g, '\\$&')}`));
      assert.equal(generate('--root', dir).status, 0);
      for (const f of FILES) assert.equal(readFileSync(join(dir, f), 'utf8'), readFileSync(join(ROOT, f), 'utf8'), f);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

void test('every rule has its docs page, derived from its id, and one severity setting', () => {
  const props = (
    JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, unknown> } };
    }
  ).contributes.configuration.properties;
  const severityKeys = Object.keys(props).filter((k) => k.startsWith('oomscope.severity.'));
  assert.deepEqual(
    severityKeys,
    RULES.map((r) => `oomscope.severity.${r.id}`),
  );
  for (const rule of RULES) {
    assert.equal(rule.docs, `${RULE_DOCS_BASE}/${rule.id}.md`);
    assert.ok(readFileSync(join(ROOT, 'docs', 'rules', `${rule.id}.md`), 'utf8').length > 0, rule.id);
  }
});

void test('every rule file of src/core/manifest/rules is in RULES', () => {
  const dir = join(ROOT, 'src', 'core', 'manifest', 'rules');
  const declared = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && f !== 'defineRule.ts')
    .flatMap((f) =>
      readFileSync(join(dir, f), 'utf8').includes('= defineRule({')
        ? [/const ID = '([^']+)'|id: '([^']+)'/.exec(readFileSync(join(dir, f), 'utf8'))]
        : [],
    )
    .map((m) => m?.[1] ?? m?.[2]);
  assert.equal(declared.length, RULES.length, 'one defineRule file per rule');
  assert.deepEqual([...declared].sort(), RULES.map((r) => r.id).sort());
});
