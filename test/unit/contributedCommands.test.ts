// Every command the extension registers is contributed in package.json (with its title and an onCommand
// activation event), and every contributed command is registered: the command palette shows what works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Pkg {
  activationEvents: string[];
  contributes: { commands: { command: string; title: string; category?: string }[] };
}
const pkg = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as Pkg;

/** The command ids src/extension registers, read from its sources (a literal or a *_COMMAND constant). */
function registeredCommands(): Set<string> {
  const dir = join(process.cwd(), 'src', 'extension');
  const sources = readdirSync(dir)
    .filter((x) => x.endsWith('.ts'))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .concat(readFileSync(join(process.cwd(), 'src', 'shared', 'workloadProtocol.ts'), 'utf8'));
  const constants = new Map<string, string>();
  for (const src of sources)
    for (const m of src.matchAll(/const (\w+_COMMAND) = '([^']+)'/g)) constants.set(m[1], m[2]);
  const ids = new Set<string>();
  for (const src of sources)
    for (const m of src.matchAll(/registerCommand\(\s*(?:'([^']+)'|(\w+))/g)) {
      const id = m[1] ?? constants.get(m[2]);
      assert.ok(id, `registerCommand(${m[2]}): constant not found`);
      ids.add(id);
    }
  return ids;
}

void test('registered commands = contributed commands, each activated by onCommand', () => {
  const registered = registeredCommands();
  const contributed = new Set(pkg.contributes.commands.map((c) => c.command));
  // The status bar's "show log" is an internal command (statusBar.ts), not in the palette.
  const internal = [...registered].filter((id) => !contributed.has(id));
  assert.deepEqual(
    internal,
    ['oomscope.showLog'].filter((id) => registered.has(id)),
  );
  for (const id of contributed) {
    assert.ok(registered.has(id), `${id} is contributed but never registered`);
    assert.ok(pkg.activationEvents.includes(`onCommand:${id}`), `${id} has no onCommand activation event`);
  }
});

void test('the workload commands show in the palette as "OOMScope: Analyze Workload Memory" and "OOMScope: Memory Triage"', () => {
  const palette = new Map(pkg.contributes.commands.map((c) => [c.command, `${c.category}: ${c.title}`]));
  assert.equal(palette.get('oomscope.analyzeWorkload'), 'OOMScope: Analyze Workload Memory');
  assert.equal(palette.get('oomscope.triage'), 'OOMScope: Memory Triage');
  assert.equal(palette.get('oomscope.analyzeNode'), 'OOMScope: Analyze Node Memory');
  assert.ok(pkg.activationEvents.includes('onWebviewPanel:oomscope.workloadMemory'), 'the workload panel is restored');
});
