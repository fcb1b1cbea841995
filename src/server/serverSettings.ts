import type { Connection } from 'vscode-languageserver/node';
import {
  DEFAULT_SETTINGS,
  type AnalysisSettings,
  type ConnectedNode,
  type SeveritySetting,
} from '../core/manifest/findingTypes';
import { memoryBytes, parseQuantity } from '../core/quantity';
import { RULES } from '../core/manifest/rules/ruleCatalog';
import { CONFIGURATION_SECTION, type WireAnalysisSettings } from '../shared/lspProtocol';
import { SETTING_DEFAULTS } from '../shared/settingsDefaults';
import type { Logger } from './errors';

/** Settings of one document, and a key that changes whenever they do. */
export interface ResolvedSettings {
  value: AnalysisSettings;
  key: string;
}

const DEFAULT_RESOLVED: ResolvedSettings = { value: DEFAULT_SETTINGS, key: 'default' };
const SEVERITIES = new Set<string>(['error', 'warning', 'information', 'off']);
const RULE_IDS = new Set<string>(RULES.map((r) => r.id));

/**
 * Pulls `oomscope` settings per document with `workspace/configuration` (when the client can
 * answer it) and caches them until `workspace/didChangeConfiguration`.
 */
export class SettingsStore {
  private readonly cache = new Map<string, Promise<ResolvedSettings>>();
  private pullSupported = false;
  private node: ConnectedNode | null = null;

  constructor(
    private readonly connection: Connection,
    private readonly log: Logger,
  ) {}

  setPullSupported(supported: boolean): void {
    this.pullSupported = supported;
  }

  /** The node of the open node panel (`oomscope/connectedNode`), or null; the caller revalidates. */
  setConnectedNode(node: ConnectedNode | null): void {
    this.node = node;
  }

  get(uri: string): Promise<ResolvedSettings> {
    const node = this.node;
    if (!this.pullSupported) return Promise.resolve(withNode(DEFAULT_RESOLVED, node));
    let pending = this.cache.get(uri);
    if (!pending) {
      pending = this.pull(uri);
      this.cache.set(uri, pending);
    }
    return node ? pending.then((r) => withNode(r, node)) : pending;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }

  clear(): void {
    this.cache.clear();
  }

  private async pull(uri: string): Promise<ResolvedSettings> {
    try {
      const wire: unknown = await this.connection.workspace.getConfiguration({
        scopeUri: uri,
        section: CONFIGURATION_SECTION,
      });
      return resolveSettings(wire, (m) => this.log.warn(m));
    } catch (error) {
      this.log.warn(`could not read settings for ${uri}, using defaults: ${String(error)}`);
      return DEFAULT_RESOLVED;
    }
  }
}

/** Settings with the connected node's facts, under a key that names them (hovers and diagnostics recompute). */
function withNode(r: ResolvedSettings, node: ConnectedNode | null): ResolvedSettings {
  if (!node) return r;
  const facts = [node.context, node.node, node.capacityBytes, node.swapBehavior, node.swapCapacityBytes].map(String);
  return { value: { ...r.value, connectedNode: node }, key: `${r.key}|node:${JSON.stringify(facts)}` };
}

const MAX_NAME = 253;
const byteCount = (x: unknown, min: number): bigint | null =>
  typeof x === 'number' && Number.isSafeInteger(x) && x >= min ? BigInt(x) : null;
const name = (x: unknown): string | null => (typeof x === 'string' && x.length > 0 && x.length <= MAX_NAME ? x : null);

/**
 * The `oomscope/connectedNode` params as received: null clears; an invalid object is refused with one warning
 * (undefined), and the previous node stays.
 */
export function resolveConnectedNode(wire: unknown, warn: (message: string) => void): ConnectedNode | null | undefined {
  if (wire === null) return null;
  const w = (typeof wire === 'object' && !Array.isArray(wire) ? wire : {}) as Record<string, unknown>;
  const context = name(w.context);
  const node = name(w.node);
  const capacityBytes = byteCount(w.capacityBytes, 1);
  const swapBehavior = w.swapBehavior === null ? null : name(w.swapBehavior);
  const swapCapacityBytes = w.swapCapacityBytes === null ? null : byteCount(w.swapCapacityBytes, 0);
  if (
    context === null ||
    node === null ||
    capacityBytes === null ||
    (swapBehavior === null && w.swapBehavior !== null) ||
    (swapCapacityBytes === null && w.swapCapacityBytes !== null)
  ) {
    warn(
      `oomscope/connectedNode: ${shown(wire)} is not {context, node, capacityBytes, swapBehavior, swapCapacityBytes} or null; ignored`,
    );
    return undefined;
  }
  return { context, node, capacityBytes, swapBehavior, swapCapacityBytes };
}

/** A setting's value for a log line: JSON, at most 80 characters. */
function shown(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

const MI = 1024n * 1024n;
const MIN_RATIO = SETTING_DEFAULTS['rules.maxLimitRequestRatio'].minimum;

/**
 * Validates settings as received over the wire, where they are read: a workspace can set every
 * one of them, so each invalid or out-of-range field falls back to its default with one warning,
 * and nothing a workspace writes can make the analysis throw.
 */
export function resolveSettings(wire: unknown, warn: (message: string) => void): ResolvedSettings {
  if (wire === null || wire === undefined) return DEFAULT_RESOLVED;
  if (typeof wire !== 'object' || Array.isArray(wire)) {
    warn(`oomscope settings: ${shown(wire)} is not an object; using the defaults`);
    return DEFAULT_RESOLVED;
  }
  const w = wire as Partial<Record<keyof WireAnalysisSettings, unknown>>;
  const value: AnalysisSettings = { ...DEFAULT_SETTINGS, severities: {} };
  if (w.severities !== undefined && w.severities !== null) {
    if (typeof w.severities !== 'object' || Array.isArray(w.severities))
      warn(
        `oomscope.severity: ${shown(w.severities)} is not a map of rule ids to severities; using every rule's default`,
      );
    else {
      for (const [rule, severity] of Object.entries(w.severities as Record<string, unknown>)) {
        if (!RULE_IDS.has(rule)) {
          warn(`oomscope.severity.${shown(rule).slice(1, -1)}: no such rule; ignored`);
          continue;
        }
        if (severity === 'default') continue;
        if (typeof severity === 'string' && SEVERITIES.has(severity))
          value.severities[rule] = severity as SeveritySetting;
        else
          warn(
            `oomscope.severity.${rule}: ${shown(severity)} is not one of off, information, warning, error, default; using the rule's default`,
          );
      }
    }
  }
  if (w.maxLimitRequestRatio !== undefined) {
    const r = w.maxLimitRequestRatio;
    if (typeof r === 'number' && Number.isFinite(r) && r >= MIN_RATIO) value.maxLimitRequestRatio = r;
    else
      warn(
        `oomscope.rules.maxLimitRequestRatio: ${shown(r)} is not a number ≥ ${MIN_RATIO}; using ${DEFAULT_SETTINGS.maxLimitRequestRatio}`,
      );
  }
  if (w.nodeMemoryCapacity !== undefined) {
    const bytes = memoryBytesOf(w.nodeMemoryCapacity);
    if (bytes !== null && bytes >= MI) value.nodeMemoryCapacityBytes = bytes;
    else
      warn(
        `oomscope.nodeMemoryCapacity: ${shown(w.nodeMemoryCapacity)} is not a node memory size like 16Gi (a whole number of bytes, at least 1Mi); using ${SETTING_DEFAULTS.nodeMemoryCapacity.default}`,
      );
  }
  if (w.defaultMemory !== undefined) {
    const bytes = memoryBytesOf(w.defaultMemory);
    if (bytes !== null && bytes >= MI) value.defaultMemory = w.defaultMemory as string;
    else
      warn(
        `oomscope.defaults.memory: ${shown(w.defaultMemory)} is not a memory quantity like 256Mi (a whole number of bytes, at least 1Mi); using ${DEFAULT_SETTINGS.defaultMemory}`,
      );
  }
  const key = JSON.stringify({ ...value, nodeMemoryCapacityBytes: String(value.nodeMemoryCapacityBytes) });
  return { value, key };
}

/** Bytes of a memory quantity string as Kubernetes uses them; null when it is not one (invalid, fractional, negative, beyond 2^63−1). */
function memoryBytesOf(text: unknown): bigint | null {
  if (typeof text !== 'string' || text.length > 64) return null;
  const parsed = parseQuantity(text);
  if (!parsed.ok) return null;
  const { bytes, whole } = memoryBytes(parsed.quantity);
  return whole ? bytes : null;
}
