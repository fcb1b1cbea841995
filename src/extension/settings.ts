import * as vscode from 'vscode';
import type { SeverityChoice, WireAnalysisSettings } from '../shared/lspProtocol';

/**
 * The only module that reads `oomscope.*` configuration. Analysis settings are resource-scoped
 * (per document / folder); cluster settings are read for the window.
 */
const SECTION = 'oomscope';

/** Analysis settings for a document or folder, in the form the language server receives. */
export function readAnalysisSettings(scope?: vscode.ConfigurationScope): WireAnalysisSettings {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  const severityBag = config.get<Record<string, unknown>>('severity') ?? {};
  const severities: Record<string, SeverityChoice> = {};
  for (const [ruleId, value] of Object.entries(severityBag)) {
    if (typeof value === 'string') severities[ruleId] = value as SeverityChoice;
  }
  return {
    severities,
    maxLimitRequestRatio: config.get<number>('rules.maxLimitRequestRatio', 3),
    nodeMemoryCapacity: config.get<string>('nodeMemoryCapacity', '16Gi'),
    defaultMemory: config.get<string>('defaults.memory', '256Mi'),
  };
}

/** Settings of the cluster layer and the panel. */
export interface ClusterSettings {
  /** Explicit kubeconfig path (user/machine scope only); undefined → KUBECONFIG or ~/.kube/config. */
  kubeconfig: string | undefined;
  /** Kube context to use; undefined → the kubeconfig's current context. */
  context: string | undefined;
  /** Prometheus base URL for history; undefined → discovered through the API server, if any. */
  prometheusUrl: string | undefined;
  refreshIntervalSeconds: number;
  requestTimeoutMs: number;
  precursorWindowSeconds: number;
}

export function readClusterSettings(): ClusterSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  return {
    // DATA.md security: a workspace must never choose the kubeconfig (its exec plugin runs commands)
    // or where cluster data is sent; both are application-scoped and read from user settings only.
    kubeconfig: nonEmpty(config.inspect<string>('kubeconfig')?.globalValue),
    context: nonEmpty(config.get<string>('context')),
    prometheusUrl: nonEmpty(config.inspect<string>('prometheus.url')?.globalValue),
    refreshIntervalSeconds: positive(config.get<number>('refreshIntervalSeconds'), 10),
    requestTimeoutMs: positive(config.get<number>('cluster.requestTimeoutMs'), 10_000),
    precursorWindowSeconds: positive(config.get<number>('phases.precursorWindowSeconds'), 300),
  };
}

/** True when a change event touches settings the language server uses. */
export function affectsAnalysis(event: vscode.ConfigurationChangeEvent): boolean {
  return ['severity', 'rules', 'nodeMemoryCapacity', 'defaults'].some((key) => event.affectsConfiguration(`${SECTION}.${key}`));
}

/** True when a change event touches the cluster/panel settings. */
export function affectsCluster(event: vscode.ConfigurationChangeEvent): boolean {
  return ['kubeconfig', 'context', 'prometheus', 'refreshIntervalSeconds', 'cluster', 'phases'].some((key) =>
    event.affectsConfiguration(`${SECTION}.${key}`),
  );
}

function nonEmpty(value: string | undefined): string | undefined {
  return value && value.trim() !== '' ? value.trim() : undefined;
}

function positive(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}
