// The default (and, for numbers, the range) of each `oomscope.*` setting, written once.
// The server (src/server/serverSettings.ts), the extension (src/extension/clientSettings.ts,
// clusterSettings.ts) and the core's DEFAULT_SETTINGS read them from here, and
// scripts/generateCatalog.mjs writes them into package.json (a unit test fails when it drifts).
// Pure data: no imports, so every part of the product can use it.

/** One setting's default; `minimum` / `maximum` as package.json declares them and the readers clamp or check. */
export interface SettingDefault<T extends number | string | boolean> {
  default: T;
  minimum?: number;
  maximum?: number;
}

/** Keyed by the setting name after `oomscope.`. */
export const SETTING_DEFAULTS = {
  'rules.maxLimitRequestRatio': { default: 3, minimum: 1 },
  nodeMemoryCapacity: { default: '16Gi' },
  'defaults.memory': { default: '256Mi' },
  'trace.server': { default: 'off' },
  kubeconfig: { default: '' },
  context: { default: '' },
  'prometheus.url': { default: '' },
  refreshIntervalSeconds: { default: 10, minimum: 2, maximum: 3600 },
  'cluster.requestTimeoutMs': { default: 10_000, minimum: 500, maximum: 120_000 },
  'phases.precursorWindowSeconds': { default: 300, minimum: 10, maximum: 86_400 },
  'cluster.diagnostics': { default: false },
  'cluster.lookbackHours': { default: 24, minimum: 1, maximum: 744 },
  'nodeDebug.image': { default: 'busybox:1.37' },
  'nodeDebug.namespace': { default: 'default' },
} as const satisfies Record<string, SettingDefault<number> | SettingDefault<string> | SettingDefault<boolean>>;

/** `oomscope.nodeMemoryCapacity`'s default in bytes (16Gi; a unit test checks it equals the quantity above). */
export const DEFAULT_NODE_MEMORY_CAPACITY_BYTES = 16n * 1024n ** 3n;
