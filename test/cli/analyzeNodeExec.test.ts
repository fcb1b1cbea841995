/**
 * `oomscope analyze-node` with a hanging exec credential plugin, as a user runs it: the command
 * ends at --request-timeout with the plugin sentence and exit 2, and no plugin process outlives
 * it (also when the plugin is a script with children, and when the user presses Ctrl-C).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, requireBuiltCli, runCli } from './support';
import { startApiServer, type ApiServer } from '../../src/demo/apiServer';
import {
  execKubeconfig,
  killPids,
  pluginScript,
  processesWithArgv,
  uniqueSleepSeconds,
  waitUntil,
} from '../cluster/helpers';

async function server(t: { after: (fn: () => Promise<void> | void) => void }): Promise<{ s: ApiServer; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-cli-exec-'));
  const s = await startApiServer({ scenario: 'quiet', dir });
  t.after(async () => {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { s, dir };
}

const SENTENCE =
  /^oomscope analyze-node: The exec credential plugin `[^`]+` of context oomscope-quiet did not answer within 1000 ms; run it by hand to check that it works \(e\.g\. log in again\), or raise oomscope\.cluster\.requestTimeoutMs \/ --request-timeout\.\n$/;

void test('analyze-node with exec `/bin/sleep 100000…`: ends at --request-timeout with the plugin sentence, exit 2, no sleep left', async (t) => {
  const { s, dir } = await server(t);
  const seconds = uniqueSleepSeconds();
  const argv = ['/bin/sleep', seconds];
  t.after(() => killPids(processesWithArgv(argv)));
  const kc = execKubeconfig(s, dir, 'kc-sleep', { command: '/bin/sleep', args: [seconds] });
  const r = await runCli(['analyze-node', 'demo-worker-1', '--kubeconfig', kc, '--request-timeout', '1s'], {
    timeoutMs: 20_000,
  });
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, SENTENCE);
  await waitUntil(() => processesWithArgv(argv).length === 0, 3000, 'no `sleep` plugin process left');
  assert.equal(s.requests.total, 0);
});

void test('a plugin script whose child hangs: the child is killed with it (process group)', async (t) => {
  const { s, dir } = await server(t);
  const seconds = uniqueSleepSeconds();
  const argv = ['/bin/sleep', seconds];
  t.after(() => killPids(processesWithArgv(argv)));
  const command = pluginScript(dir, 'login.sh', `/bin/sleep ${seconds}\necho '{}'`);
  const r = await runCli(
    [
      'analyze-node',
      'demo-worker-1',
      '--kubeconfig',
      execKubeconfig(s, dir, 'kc-sh', { command }),
      '--request-timeout',
      '1s',
      '--format',
      'json',
    ],
    { timeoutMs: 20_000 },
  );
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, SENTENCE);
  await waitUntil(() => processesWithArgv(argv).length === 0, 3000, 'no child of the plugin left');
});

void test(
  'Ctrl-C (SIGINT) while the plugin hangs: the command dies of SIGINT and takes the plugin with it',
  { timeout: 90_000 },
  async (t) => {
    requireBuiltCli();
    const { s, dir } = await server(t);
    const seconds = uniqueSleepSeconds();
    const argv = ['/bin/sleep', seconds];
    t.after(() => killPids(processesWithArgv(argv)));
    const kc = execKubeconfig(s, dir, 'kc-int', { command: '/bin/sleep', args: [seconds] });
    const child = spawn(
      process.execPath,
      [CLI, 'analyze-node', 'demo-worker-1', '--kubeconfig', kc, '--request-timeout', '60s'],
      { stdio: 'ignore' },
    );
    t.after(() => child.kill('SIGKILL'));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
      child.on('exit', (code, sig) => resolve(sig ?? code)),
    );
    await waitUntil(() => processesWithArgv(argv).length > 0, 10_000, 'the plugin to start');
    child.kill('SIGINT');
    assert.equal(await exited, 'SIGINT');
    await waitUntil(() => processesWithArgv(argv).length === 0, 3000, 'no plugin left after Ctrl-C');
  },
);
