/**
 * `oomscope` command: dispatches to one module per subcommand (docs/cli.md).
 */
import { UsageError, type CliIo, type Subcommand } from './io';
import { version } from '../../package.json';

const subcommands: Record<string, { summary: string; load: () => Promise<Subcommand> }> = {
  lint: {
    summary: 'check Kubernetes manifests for memory mistakes',
    load: async () => (await import('./lintCommand')).lint,
  },
  'analyze-log': {
    summary: 'classify the OOM kills in a kernel log, with PSI phases',
    load: async () => (await import('./analyzeLogCommand')).analyzeLog,
  },
  'analyze-node': {
    summary: 'analyze one node of the current kube context',
    load: async () => (await import('./analyzeNodeCommand')).analyzeNode,
  },
  'analyze-workload': {
    summary: "every OOM kill of a workload's pods, across nodes and days",
    load: async () => (await import('./analyzeWorkloadCommand')).analyzeWorkloadCommand,
  },
  triage: {
    summary: 'rank the workloads of the cluster by OOM kills and evictions',
    load: async () => (await import('./triageCommand')).triageCommand,
  },
};

function usage(): string {
  const lines = ['Usage: oomscope <command> [options]', '', 'Commands:'];
  for (const [name, c] of Object.entries(subcommands)) lines.push(`  ${name.padEnd(14)}${c.summary}`);
  lines.push('', 'Run `oomscope <command> --help` for the options of a command.');
  return lines.join('\n') + '\n';
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    io.stdout(usage());
    return cmd === undefined ? 2 : 0;
  }
  if (cmd === '--version' || cmd === '-V') {
    io.stdout(`${version}\n`);
    return 0;
  }
  const sub = subcommands[cmd];
  if (!sub) {
    io.stderr(`oomscope: unknown command '${cmd}'; run 'oomscope --help' for the list.\n`);
    return 2;
  }
  try {
    return await (
      await sub.load()
    )(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`oomscope ${cmd}: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
