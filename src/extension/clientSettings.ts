import * as vscode from 'vscode';
import type { SeverityChoice, WireAnalysisSettings } from '../shared/lspProtocol';
import { SETTING_DEFAULTS } from '../shared/settingsDefaults';
import { clusterSettingsFrom, type ClusterSettings } from './clusterSettings';

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
    maxLimitRequestRatio: config.get<number>(
      'rules.maxLimitRequestRatio',
      SETTING_DEFAULTS['rules.maxLimitRequestRatio'].default,
    ),
    nodeMemoryCapacity: config.get<string>('nodeMemoryCapacity', SETTING_DEFAULTS.nodeMemoryCapacity.default),
    defaultMemory: config.get<string>('defaults.memory', SETTING_DEFAULTS['defaults.memory'].default),
  };
}

export type { ClusterSettings };

/** The cluster and panel settings, clamped and checked (clusterSettings.ts says how). */
export function readClusterSettings(): ClusterSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const user = <T>(key: string): T | undefined => config.inspect<T>(key)?.globalValue;
  return clusterSettingsFrom({
    trusted: vscode.workspace.isTrusted,
    user: { kubeconfig: user('kubeconfig'), context: user('context'), prometheusUrl: user('prometheus.url') },
    effective: {
      context: config.get('context'),
      refreshIntervalSeconds: config.get('refreshIntervalSeconds'),
      requestTimeoutMs: config.get('cluster.requestTimeoutMs'),
      precursorWindowSeconds: config.get('phases.precursorWindowSeconds'),
    },
  });
}

/** True when a change event touches settings the language server uses. */
export function affectsAnalysis(event: vscode.ConfigurationChangeEvent): boolean {
  return ['severity', 'rules', 'nodeMemoryCapacity', 'defaults'].some((key) =>
    event.affectsConfiguration(`${SECTION}.${key}`),
  );
}

/** True when a change event touches the cluster/panel settings. */
export function affectsCluster(event: vscode.ConfigurationChangeEvent): boolean {
  return ['kubeconfig', 'context', 'prometheus', 'refreshIntervalSeconds', 'cluster', 'phases'].some((key) =>
    event.affectsConfiguration(`${SECTION}.${key}`),
  );
}

/** The workload CodeLens's settings: `oomscope.cluster.diagnostics` (off by default) and its window in hours. */
export function readLensSettings(): { enabled: boolean; lookbackHours: number } {
  const config = vscode.workspace.getConfiguration(SECTION);
  const d = SETTING_DEFAULTS['cluster.lookbackHours'];
  const h = Number(config.get('cluster.lookbackHours', d.default));
  return {
    enabled: config.get<boolean>('cluster.diagnostics', SETTING_DEFAULTS['cluster.diagnostics'].default) === true,
    lookbackHours: Number.isFinite(h) ? Math.min(d.maximum, Math.max(d.minimum, h)) : d.default,
  };
}
