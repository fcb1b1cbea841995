/**
 * The cluster and panel settings as OOMScope uses them: numbers clamped to their ranges (VS Code
 * does not enforce a schema's minimum when a setting is read), and the values a workspace may not
 * choose taken from user settings only. Pure (settings.ts reads vscode and calls this).
 */
import { SETTING_DEFAULTS } from '../shared/settingsDefaults';

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

type Range = readonly [dflt: number, min: number, max: number];
const range = (s: { default: number; minimum: number; maximum: number }): Range => [s.default, s.minimum, s.maximum];

/** [default, minimum, maximum], from src/shared/settingsDefaults.ts (which package.json is generated from). */
export const CLUSTER_RANGES = {
  refreshIntervalSeconds: range(SETTING_DEFAULTS.refreshIntervalSeconds),
  'cluster.requestTimeoutMs': range(SETTING_DEFAULTS['cluster.requestTimeoutMs']),
  'phases.precursorWindowSeconds': range(SETTING_DEFAULTS['phases.precursorWindowSeconds']),
} as const satisfies Record<string, Range>;

/** What settings.ts reads: `user` = the user (global) value, `effective` = what VS Code resolves. */
export interface RawClusterSettings {
  trusted: boolean;
  user: { kubeconfig?: unknown; context?: unknown; prometheusUrl?: unknown };
  effective: {
    context?: unknown;
    refreshIntervalSeconds?: unknown;
    requestTimeoutMs?: unknown;
    precursorWindowSeconds?: unknown;
  };
}

export function clusterSettingsFrom(raw: RawClusterSettings): ClusterSettings {
  return {
    // docs/data-sources.md "Security": a workspace must never choose the kubeconfig (its exec plugin runs commands)
    // or where cluster data is sent; both are application-scoped and read from user settings only.
    kubeconfig: nonEmpty(raw.user.kubeconfig),
    // A workspace may name the context (a repository's own cluster), but only once it is trusted:
    // an untrusted one could otherwise point the panel at another cluster of the user's kubeconfig.
    context: nonEmpty(raw.trusted ? raw.effective.context : raw.user.context),
    prometheusUrl: nonEmpty(raw.user.prometheusUrl),
    refreshIntervalSeconds: clamp(raw.effective.refreshIntervalSeconds, CLUSTER_RANGES.refreshIntervalSeconds),
    requestTimeoutMs: clamp(raw.effective.requestTimeoutMs, CLUSTER_RANGES['cluster.requestTimeoutMs']),
    precursorWindowSeconds: clamp(
      raw.effective.precursorWindowSeconds,
      CLUSTER_RANGES['phases.precursorWindowSeconds'],
    ),
  };
}

/** A number within [min, max] (±Infinity, e.g. 1e309 in settings.json, clamps too); anything else gives the default. */
export function clamp(value: unknown, [dflt, min, max]: Range): number {
  if (typeof value !== 'number' || Number.isNaN(value)) return dflt;
  return Math.min(max, Math.max(min, value));
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
