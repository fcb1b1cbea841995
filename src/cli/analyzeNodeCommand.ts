/**
 * `oomscope analyze-node NODE`: everything docs/data-sources.md lists for one node, one poll or several
 * (`--watch`), as text or JSON (docs/cli.md). A failing source never fails the command; no
 * reachable API server does (exit 2).
 */
import { UsageError, type Subcommand } from './io';
import { parseCommandArgs, parseDuration } from './commandArgs';
import { pollFor } from './watchLoop';
import {
  closeConnections,
  createNodePoller,
  killCoverage,
  loadKubeConfig,
  type NodeAnalysis,
  type Result,
} from '../cluster/index';
import { formatAnalyzeNodeText, toAnalyzeNodeJson } from './analyzeNodeOutput';

export const ANALYZE_NODE_USAGE = `Usage: oomscope analyze-node NODE [options]

Reads the node's memory pressure (PSI), OOM kills and evictions from the cluster and says,
for each kill, which limit was hit and whether thrashing came first.

Options:
  --context NAME              kube context (default: the current context)
  --kubeconfig FILE           kubeconfig file (default: KUBECONFIG, else ~/.kube/config)
  --watch DURATION            keep polling for DURATION (e.g. 30s, 5m), then report
  --interval DURATION         time between polls with --watch (default: 10s)
  --request-timeout DURATION  timeout of each request (default: 10s)
  --prometheus URL            Prometheus base URL for history (default: a Prometheus Service found in the cluster)
  --format text|json          output format (default: text)
  -h, --help                  show this help

Exit codes: 0 no OOM kill or eviction found, 1 OOM kills or evictions found (as analyze-log),
2 usage error, no usable API server, or cannot tell: neither pods nor events could be read
(the report still goes to stdout). Any other failing source never fails the command; the
headline names the kill sources that were missing.
`;

interface Args {
  node: string;
  context?: string;
  kubeconfig?: string;
  watchMs: number;
  intervalMs: number;
  timeoutMs: number;
  prometheus?: string;
  format: 'text' | 'json';
}

function duration(name: string, v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  const ms = parseDuration(v);
  if (ms === null || ms <= 0) throw new UsageError(`invalid ${name} '${v}'; use e.g. 30s, 5m or 1h`);
  return ms;
}

function parse(argv: string[]): Args | 'help' {
  const parsed = parseCommandArgs(
    'analyze-node',
    argv,
    {
      help: { type: 'boolean', short: 'h' },
      context: { type: 'string' },
      kubeconfig: { type: 'string' },
      watch: { type: 'string' },
      interval: { type: 'string' },
      'request-timeout': { type: 'string' },
      prometheus: { type: 'string' },
      format: { type: 'string', short: 'f' },
    },
    true,
  );
  const v = parsed.values;
  if (v.help) return 'help';
  if (parsed.positionals.length !== 1) {
    throw new UsageError(
      parsed.positionals.length
        ? `expected one NODE, got ${parsed.positionals.length}`
        : "missing NODE; list them with 'kubectl get nodes'",
    );
  }
  const format = v.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`unknown --format '${format}'; use text or json`);
  return {
    node: parsed.positionals[0]!,
    context: v.context,
    kubeconfig: v.kubeconfig,
    watchMs: duration('--watch', v.watch, 0),
    intervalMs: duration('--interval', v.interval, 10_000),
    timeoutMs: duration('--request-timeout', v['request-timeout'], 10_000),
    prometheus: v.prometheus,
    format,
  };
}

export const analyzeNode: Subcommand = async (argv, io) => {
  const a = parse(argv);
  if (a === 'help') {
    io.stdout(ANALYZE_NODE_USAGE);
    return 0;
  }
  const acc = loadKubeConfig({ kubeconfigPath: a.kubeconfig, context: a.context, requestTimeoutMs: a.timeoutMs });
  if (!acc.ok) {
    io.stderr(`oomscope analyze-node: ${acc.error.message}\n`);
    return 2;
  }
  const poller = createNodePoller(acc.value, a.node, {
    intervalSeconds: a.intervalMs / 1000,
    prometheusUrl: a.prometheus,
  });
  let result: Result<NodeAnalysis>;
  try {
    result = await poller.pollNow();
    if (result.ok && a.watchMs > 0) {
      let polls = 1;
      await pollFor(a.watchMs, a.intervalMs, async () => {
        const next = await poller.pollNow();
        polls++;
        if (next.ok) result = next;
        else if (a.format === 'text') io.stderr(`poll ${polls}: ${next.error.message}\n`);
        if (a.format === 'text' && io.isTty) io.stderr(`polled ${polls} times…\n`);
      });
    }
  } finally {
    poller.stop();
    closeConnections();
  }
  if (!result.ok) {
    io.stderr(`oomscope analyze-node: ${result.error.message}\n`);
    return 2;
  }
  const json = toAnalyzeNodeJson(result.value);
  io.stdout(a.format === 'json' ? JSON.stringify(json, null, 2) + '\n' : formatAnalyzeNodeText(result.value));
  // "No kills" read from no source is not a clean result: exit 2 (could not run), as docs/cli.md's 2.
  const coverage = killCoverage(result.value);
  if (coverage.cannotTell) {
    io.stderr(
      `oomscope analyze-node: cannot tell whether node ${a.node} had OOM kills or evictions: ${coverage.missing.join(' and ')} could not be read (${coverage.reasons}).\n`,
    );
    return 2;
  }
  // Same contract as lint and analyze-log: 1 when the run found something at error level (a kill).
  return result.value.ooms.length + result.value.evictions.length > 0 ? 1 : 0;
};
