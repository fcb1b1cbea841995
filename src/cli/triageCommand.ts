/** `oomscope triage`: the cluster's workloads ranked by OOM kills and evictions over a window (docs/cli.md). */
import type { Subcommand } from './io';
import { parseCommandArgs } from './commandArgs';
import { CLUSTER_OPTIONS, clusterArgs } from './clusterArgs';
import { closeConnections, loadKubeConfig, triageWorkloads } from '../cluster/index';
import { parseSince } from './analyzeWorkloadCommand';
import { formatTriageText, toTriageJson } from './workloadOutput';

export const TRIAGE_USAGE = `Usage: oomscope triage [options]

Ranks the workloads of the cluster by OOM kills and evictions over a window, each with the class
of most of its kills and the share that came after thrashing. With Prometheus it is a handful of
PromQL queries; without, one paged pass over the pods (history: the API server's only).

Options:
  --since DURATION            window, e.g. 6h, 24h, 7d (default: 24h)
  --context NAME              kube context (default: the current context)
  --kubeconfig FILE           kubeconfig file (default: KUBECONFIG, else ~/.kube/config)
  --prometheus URL            Prometheus base URL (default: a Prometheus Service found in the cluster)
  --no-prometheus             do not look for Prometheus
  --request-timeout DURATION  timeout of each request (default: 10s)
  --format text|json          output format (default: text)
  -h, --help                  show this help

Exit codes: 0 no workload died in the window, 1 some did, 2 usage error or no usable API server.
`;

export const triageCommand: Subcommand = async (argv, io) => {
  const parsed = parseCommandArgs('triage', argv, CLUSTER_OPTIONS, false);
  const v = parsed.values;
  if (v.help) {
    io.stdout(TRIAGE_USAGE);
    return 0;
  }
  const sinceMs = parseSince(v.since);
  const c = clusterArgs(v);
  const format = c.format;
  const acc = loadKubeConfig({ kubeconfigPath: c.kubeconfig, context: c.context, requestTimeoutMs: c.timeoutMs });
  if (!acc.ok) {
    io.stderr(`oomscope triage: ${acc.error.message}\n`);
    return 2;
  }
  try {
    const r = await triageWorkloads(acc.value, { sinceMs, ...c.prometheus });
    if (!r.ok) {
      io.stderr(`oomscope triage: ${r.error.message}\n`);
      return 2;
    }
    io.stdout(format === 'json' ? JSON.stringify(toTriageJson(r.value), null, 2) + '\n' : formatTriageText(r.value));
    return r.value.workloads.length > 0 ? 1 : 0;
  } finally {
    closeConnections();
  }
};
