/**
 * Checks the `export` and `analyzeWorkload` messages from the webview before the host acts on them: the webview is not
 * trusted (its fields reach a file name and the exported data). Pure; no vscode here.
 */
import type { ExportView } from './exportData';
import type { WorkloadRef } from '../cluster/analysis/workloadTypes';
import type { PanelSnapshot } from '../shared/panelProtocol';
import { parseKindName, workloadRefOf } from './workloadRef';

export type ExportFormat = 'csv' | 'json' | 'png';

/** A checked export request: only these fields, of these types, go on. */
export interface ExportRequest {
  format: ExportFormat;
  /** PNG only: the chart as a data URL (its bytes are checked by pngBytes); absent when not a string. */
  data?: string;
  view: ExportView;
}

const FORMATS: readonly string[] = ['csv', 'json', 'png'];
/** Bounds well above what the panel shows (a day of samples, a few hundred scopes). */
const MAX_SCOPES = 10_000;
const MAX_SCOPE_LENGTH = 1_000;
const MAX_PNG_DATA = 64 * 1024 * 1024;

/** The request, or why the message is ignored (a phrase for the log; never thrown). */
export function exportRequestOf(m: unknown): ExportRequest | { invalid: string } {
  if (!m || typeof m !== 'object') return { invalid: 'not an object' };
  const { format, data, range, scopes } = m as Record<string, unknown>;
  if (typeof format !== 'string' || !FORMATS.includes(format)) return { invalid: 'format is not csv, json or png' };
  const view: ExportView = {};
  if (range !== undefined && range !== null) {
    const { min, max } = (typeof range === 'object' ? range : {}) as Record<string, unknown>;
    if (
      typeof min !== 'number' ||
      typeof max !== 'number' ||
      !Number.isFinite(min) ||
      !Number.isFinite(max) ||
      min > max
    ) {
      return { invalid: 'range is not {min, max} with finite min ≤ max' };
    }
    view.range = { min, max };
  }
  if (scopes !== undefined && scopes !== null) {
    if (
      !Array.isArray(scopes) ||
      scopes.length > MAX_SCOPES ||
      !scopes.every((s) => typeof s === 'string' && s.length <= MAX_SCOPE_LENGTH)
    ) {
      return { invalid: `scopes is not a list of at most ${MAX_SCOPES} scope names` };
    }
    view.scopes = [...(scopes as string[])];
  }
  const req: ExportRequest = { format: format as ExportFormat, view };
  if (format === 'png' && typeof data === 'string') {
    // A missing or unreadable image is the chart's failure, told to the user (pngBytes); a huge one is not.
    if (data.length > MAX_PNG_DATA) return { invalid: 'data is longer than 64 MiB' };
    req.data = data;
  }
  return req;
}

/**
 * The workload of an `analyzeWorkload` message, when the snapshot's "Pods of this manifest" offered it (the webview
 * names only what it was given); else null. A pod without a namespace is in `default`.
 */
export function offeredWorkload(snapshot: PanelSnapshot | null, m: unknown): WorkloadRef | null {
  if (!snapshot || !m || typeof m !== 'object') return null;
  const { workload, namespace } = m as Record<string, unknown>;
  if (typeof workload !== 'string' || (namespace !== null && typeof namespace !== 'string')) return null;
  if (!snapshot.manifestPods.some((p) => p.workload === workload && p.namespace === namespace)) return null;
  const kn = parseKindName(workload);
  return 'error' in kn ? null : workloadRefOf({ ...kn, namespace: namespace ?? 'default' });
}
