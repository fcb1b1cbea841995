/** docs/cli.md stays the contract: every option a command's --help lists is documented there. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli } from './support';

void test("docs/cli.md names every option that each command's --help lists", async () => {
  const doc = readFileSync(join(ROOT, 'docs', 'cli.md'), 'utf8');
  for (const command of ['lint', 'analyze-log', 'analyze-node', 'analyze-workload', 'triage']) {
    const help = await runCli([command, '--help']);
    assert.equal(help.code, 0, help.stderr);
    const options = new Set(help.stdout.match(/--[a-z][a-z-]*/g) ?? []);
    assert.ok(options.size >= 5, `${command} --help lists its options`);
    assert.ok(doc.includes(`## \`oomscope ${command}`), `docs/cli.md has a section for ${command}`);
    const missing = [...options].filter((o) => !new RegExp(`\`${o}[\` =]`).test(doc));
    assert.deepEqual(missing, [], `${command}: options missing from docs/cli.md`);
  }
});
