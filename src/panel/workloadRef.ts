/**
 * Naming a workload and a window, for "Analyze Workload Memory": the "KIND/NAME" the user types, the refs the
 * webview and the triage hand over (checked here: the webview is not trusted), the windows offered. Pure.
 */
import { WORKLOAD_KINDS, type WorkloadRef } from '../cluster/analysis/workloadTypes';
import { formatDuration } from '../core/oom/sentences';

const HOUR = 3600_000;

/** The windows the quick pick offers, the default first among equals (24 h). */
export const WORKLOAD_WINDOWS: readonly { label: string; ms: number }[] = [
  { label: '1 h', ms: HOUR },
  { label: '6 h', ms: 6 * HOUR },
  { label: '24 h', ms: 24 * HOUR },
  { label: '7 d', ms: 7 * 24 * HOUR },
];
export const DEFAULT_WINDOW_MS = 24 * HOUR;
/** The longest window accepted from a command argument. */
const MAX_WINDOW_MS = 31 * 24 * HOUR;

/** "24 h" for the offered windows, else "1h 30m". */
export function windowLabel(ms: number): string {
  return WORKLOAD_WINDOWS.find((w) => w.ms === ms)?.label ?? formatDuration(ms / 1000);
}

/** A window from a command argument: a finite positive number of ms up to 31 days, else the default. */
export function windowOf(ms: unknown): number {
  return typeof ms === 'number' && Number.isFinite(ms) && ms > 0 && ms <= MAX_WINDOW_MS
    ? Math.round(ms)
    : DEFAULT_WINDOW_MS;
}

/** The kind as the API spells it ("deployment" → "Deployment"), or null when it is not one analyze-workload takes. */
export function workloadKind(kind: string): (typeof WORKLOAD_KINDS)[number] | null {
  const k = kind.trim().toLowerCase();
  return WORKLOAD_KINDS.find((w) => w.toLowerCase() === k) ?? null;
}

/** A DNS-1123 subdomain (names) or label (namespaces), as the API server checks them. */
const NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** "Deployment/api" (what the user types, or ManifestPod.workload) → kind and name, or why not in one sentence. */
export function parseKindName(text: string): { kind: string; name: string } | { error: string } {
  const m = /^\s*([A-Za-z]+)\s*\/\s*(\S+)\s*$/.exec(text);
  if (!m) return { error: 'Type KIND/NAME, e.g. Deployment/api.' };
  const kind = workloadKind(m[1]);
  if (!kind) return { error: `${m[1]} is not a workload kind; use one of ${WORKLOAD_KINDS.join(', ')}.` };
  if (!NAME.test(m[2])) return { error: `${m[2]} is not a Kubernetes object name.` };
  return { kind, name: m[2] };
}

/** The namespace check of the input box: null when valid, else the sentence. */
export function namespaceError(ns: string): string | null {
  return NAMESPACE.test(ns) ? null : `${ns || '(empty)'} is not a namespace name.`;
}

/** A ref from a command argument or a webview message, or null when any field is missing or malformed. */
export function workloadRefOf(x: unknown): WorkloadRef | null {
  if (!x || typeof x !== 'object') return null;
  const { kind, name, namespace } = x as Record<string, unknown>;
  if (typeof kind !== 'string' || typeof name !== 'string' || typeof namespace !== 'string') return null;
  const k = workloadKind(kind);
  if (!k || !NAME.test(name) || namespaceError(namespace) !== null) return null;
  return { kind: k, name, namespace };
}

export function refLabel(ref: WorkloadRef): string {
  return `${ref.namespace}/${ref.kind}/${ref.name}`;
}
