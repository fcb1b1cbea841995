import type { Connection } from 'vscode-languageserver/node';
import { DEFAULT_SETTINGS, type AnalysisSettings, type SeveritySetting } from '../core/types';
import { parseQuantity, quantityBytes } from '../core/quantity';
import { CONFIGURATION_SECTION, type WireAnalysisSettings } from '../shared/lspProtocol';
import type { Logger } from './errors';

/** Settings of one document, and a key that changes whenever they do. */
export interface ResolvedSettings {
  value: AnalysisSettings;
  key: string;
}

const DEFAULT_RESOLVED: ResolvedSettings = { value: DEFAULT_SETTINGS, key: 'default' };
const SEVERITIES = new Set<string>(['error', 'warning', 'information', 'off']);

/**
 * Pulls `oomscope` settings per document with `workspace/configuration` (when the client can
 * answer it) and caches them until `workspace/didChangeConfiguration`.
 */
export class SettingsStore {
  private readonly cache = new Map<string, Promise<ResolvedSettings>>();
  private pullSupported = false;

  constructor(private readonly connection: Connection, private readonly log: Logger) {}

  setPullSupported(supported: boolean): void {
    this.pullSupported = supported;
  }

  get(uri: string): Promise<ResolvedSettings> {
    if (!this.pullSupported) return Promise.resolve(DEFAULT_RESOLVED);
    let pending = this.cache.get(uri);
    if (!pending) {
      pending = this.pull(uri);
      this.cache.set(uri, pending);
    }
    return pending;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }

  clear(): void {
    this.cache.clear();
  }

  private async pull(uri: string): Promise<ResolvedSettings> {
    try {
      const wire: unknown = await this.connection.workspace.getConfiguration({ scopeUri: uri, section: CONFIGURATION_SECTION });
      return resolveSettings(wire, (m) => this.log.warn(m));
    } catch (error) {
      this.log.warn(`could not read settings for ${uri}, using defaults: ${String(error)}`);
      return DEFAULT_RESOLVED;
    }
  }
}

/** Validates settings as received over the wire; every invalid field falls back to its default with one warning. */
export function resolveSettings(wire: unknown, warn: (message: string) => void): ResolvedSettings {
  if (!wire || typeof wire !== 'object') return DEFAULT_RESOLVED;
  const w = wire as Partial<WireAnalysisSettings>;
  const value: AnalysisSettings = { ...DEFAULT_SETTINGS, severities: {} };
  if (w.severities && typeof w.severities === 'object') {
    for (const [rule, severity] of Object.entries(w.severities)) {
      if (severity === 'default') continue;
      if (typeof severity === 'string' && SEVERITIES.has(severity)) value.severities[rule] = severity as SeveritySetting;
      else warn(`oomscope.severity.${rule}: "${String(severity)}" is not one of off, information, warning, error, default; using the rule's default`);
    }
  }
  if (w.maxLimitRequestRatio !== undefined) {
    if (typeof w.maxLimitRequestRatio === 'number' && Number.isFinite(w.maxLimitRequestRatio) && w.maxLimitRequestRatio >= 1) {
      value.maxLimitRequestRatio = w.maxLimitRequestRatio;
    } else {
      warn(`oomscope.rules.maxLimitRequestRatio: ${String(w.maxLimitRequestRatio)} is not a number ≥ 1; using ${DEFAULT_SETTINGS.maxLimitRequestRatio}`);
    }
  }
  if (w.nodeMemoryCapacity !== undefined) {
    const bytes = memoryBytes(w.nodeMemoryCapacity);
    if (bytes !== null && bytes > 0n) value.nodeMemoryCapacityBytes = bytes;
    else warn(`oomscope.nodeMemoryCapacity: "${String(w.nodeMemoryCapacity)}" is not a memory quantity like 16Gi; using 16Gi`);
  }
  if (w.defaultMemory !== undefined) {
    const bytes = memoryBytes(w.defaultMemory);
    if (bytes !== null && bytes > 0n) value.defaultMemory = String(w.defaultMemory);
    else warn(`oomscope.defaults.memory: "${String(w.defaultMemory)}" is not a memory quantity like 256Mi; using ${DEFAULT_SETTINGS.defaultMemory}`);
  }
  const key = JSON.stringify({ ...value, nodeMemoryCapacityBytes: String(value.nodeMemoryCapacityBytes) });
  return { value, key };
}

function memoryBytes(text: unknown): bigint | null {
  if (typeof text !== 'string') return null;
  const parsed = parseQuantity(text);
  if (!parsed.ok) return null;
  const { bytes, whole } = quantityBytes(parsed.quantity);
  return whole ? bytes : null;
}
