/** The options every cluster command shares (analyze-workload, triage): context, kubeconfig, Prometheus, timeout, format. */
import { UsageError } from './io';
import { parseDuration } from './commandArgs';

export const CLUSTER_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  since: { type: 'string' },
  context: { type: 'string' },
  kubeconfig: { type: 'string' },
  prometheus: { type: 'string' },
  'no-prometheus': { type: 'boolean' },
  'request-timeout': { type: 'string' },
  format: { type: 'string', short: 'f' },
} as const;

export interface ClusterArgs {
  context?: string;
  kubeconfig?: string;
  timeoutMs: number;
  format: 'text' | 'json';
  /** For analyzeWorkload / triageWorkloads: `--prometheus URL`, `--no-prometheus`. */
  prometheus: { prometheusUrl?: string; prometheus?: false };
}

/** Checks and converts the shared options; a UsageError names the bad one. */
export function clusterArgs(v: {
  context?: string;
  kubeconfig?: string;
  prometheus?: string;
  'no-prometheus'?: boolean;
  'request-timeout'?: string;
  format?: string;
}): ClusterArgs {
  const format = v.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`unknown --format '${format}'; use text or json`);
  const timeout = v['request-timeout'] === undefined ? 10_000 : parseDuration(v['request-timeout']);
  if (timeout === null || timeout <= 0) throw new UsageError(`invalid --request-timeout '${v['request-timeout']}'`);
  return {
    context: v.context,
    kubeconfig: v.kubeconfig,
    timeoutMs: timeout,
    format,
    prometheus: { prometheusUrl: v.prometheus, ...(v['no-prometheus'] ? { prometheus: false as const } : {}) },
  };
}
