/**
 * `oomscope analyze-workload KIND/NAME`: every OOM kill and eviction of one workload's pods, on any node, over a
 * window, with the working set of each container (docs/cli.md, docs/workload.md).
 */
import { UsageError, type Subcommand } from './io';
import { parseCommandArgs, parseDuration } from './commandArgs';
import { CLUSTER_OPTIONS, clusterArgs } from './clusterArgs';
import { analyzeWorkload, closeConnections, listContexts, loadKubeConfig, WORKLOAD_KINDS } from '../cluster/index';
import { formatAnalyzeWorkloadText, toAnalyzeWorkloadJson } from './workloadOutput';

export const ANALYZE_WORKLOAD_USAGE = `Usage: oomscope analyze-workload KIND/NAME [options]

Finds every OOM kill and eviction of a workload's pods on any node over a window, and says for
each which limit was hit and whether thrashing came first; with each container's working set
against its request and limit. History comes from Prometheus (kube-state-metrics, cAdvisor,
node-exporter) when there is one, else from the API server alone.

KIND is one of ${WORKLOAD_KINDS.join(', ')} (case-insensitive; deploy, sts, ds, rs,
cj and po as kubectl spells them).

Options:
  -n, --namespace NS          namespace (default: the context's namespace, else default)
  --since DURATION            window, e.g. 6h, 24h, 7d (default: 24h)
  --context NAME              kube context (default: the current context)
  --kubeconfig FILE           kubeconfig file (default: KUBECONFIG, else ~/.kube/config)
  --prometheus URL            Prometheus base URL (default: a Prometheus Service found in the cluster)
  --no-prometheus             do not look for Prometheus (history: the API server's only)
  --request-timeout DURATION  timeout of each request (default: 10s)
  --format text|json          output format (default: text)
  -h, --help                  show this help

Exit codes: 0 no OOM kill or eviction in the window, 1 OOM kills or evictions found,
2 usage error, no usable API server, or the workload cannot be read from any source.
`;

const KIND_ALIASES: Record<string, string> = {
  deploy: 'Deployment',
  deployment: 'Deployment',
  deployments: 'Deployment',
  sts: 'StatefulSet',
  statefulset: 'StatefulSet',
  statefulsets: 'StatefulSet',
  ds: 'DaemonSet',
  daemonset: 'DaemonSet',
  daemonsets: 'DaemonSet',
  rs: 'ReplicaSet',
  replicaset: 'ReplicaSet',
  replicasets: 'ReplicaSet',
  job: 'Job',
  jobs: 'Job',
  cj: 'CronJob',
  cronjob: 'CronJob',
  cronjobs: 'CronJob',
  po: 'Pod',
  pod: 'Pod',
  pods: 'Pod',
};

/** "deploy/api" → {kind: "Deployment", name: "api"}; a UsageError says what is wrong. */
export function parseWorkloadArg(s: string): { kind: string; name: string } {
  const i = s.indexOf('/');
  if (i <= 0 || i === s.length - 1) throw new UsageError(`expected KIND/NAME (e.g. Deployment/api), got '${s}'`);
  const kind = KIND_ALIASES[s.slice(0, i).toLowerCase()];
  if (!kind) throw new UsageError(`unknown kind '${s.slice(0, i)}'; use one of ${WORKLOAD_KINDS.join(', ')}`);
  return { kind, name: s.slice(i + 1) };
}

/** --since: a duration of at least a minute, at most 31 days. */
export function parseSince(v: string | undefined): number {
  if (v === undefined) return 86_400_000;
  const ms = parseDuration(v);
  if (ms === null || ms < 60_000 || ms > 31 * 86_400_000)
    throw new UsageError(`invalid --since '${v}'; use e.g. 6h, 24h or 7d (1m to 31d)`);
  return ms;
}

export const analyzeWorkloadCommand: Subcommand = async (argv, io) => {
  const parsed = parseCommandArgs(
    'analyze-workload',
    argv,
    { ...CLUSTER_OPTIONS, namespace: { type: 'string', short: 'n' } },
    true,
  );
  const v = parsed.values;
  if (v.help) {
    io.stdout(ANALYZE_WORKLOAD_USAGE);
    return 0;
  }
  if (parsed.positionals.length !== 1)
    throw new UsageError(
      parsed.positionals.length
        ? `expected one KIND/NAME, got ${parsed.positionals.length}`
        : 'missing KIND/NAME (e.g. Deployment/api)',
    );
  const { kind, name } = parseWorkloadArg(parsed.positionals[0]!);
  const sinceMs = parseSince(v.since);
  const c = clusterArgs(v);
  const format = c.format;
  const acc = loadKubeConfig({ kubeconfigPath: c.kubeconfig, context: c.context, requestTimeoutMs: c.timeoutMs });
  if (!acc.ok) {
    io.stderr(`oomscope analyze-workload: ${acc.error.message}\n`);
    return 2;
  }
  const contexts = listContexts({ kubeconfigPath: v.kubeconfig });
  const ctxNs = contexts.ok ? contexts.value.find((c) => c.name === acc.value.context)?.namespace : null;
  const namespace = v.namespace ?? ctxNs ?? 'default';
  try {
    const r = await analyzeWorkload(acc.value, { kind, name, namespace }, { sinceMs, ...c.prometheus });
    if (!r.ok) {
      io.stderr(`oomscope analyze-workload: ${r.error.message}\n`);
      return 2;
    }
    io.stdout(
      format === 'json'
        ? JSON.stringify(toAnalyzeWorkloadJson(r.value), null, 2) + '\n'
        : formatAnalyzeWorkloadText(r.value),
    );
    return r.value.ooms.length + r.value.evictions.length > 0 ? 1 : 0;
  } finally {
    closeConnections();
  }
};
