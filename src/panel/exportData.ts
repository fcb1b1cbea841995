/** CSV and JSON of what the panel shows (the visible range and the shown scopes). Pure. */
import type { PanelSnapshot } from '../shared/panelProtocol';

export interface ExportView {
  range?: { min: number; max: number };
  scopes?: string[];
}

const inRange = (t: number | null, r: ExportView['range']): boolean => !r || (t !== null && t >= r.min && t <= r.max);

function csvCell(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  // Quote, and defuse spreadsheet formulas in text that came from the cluster.
  const safe = /^[=+\-@\t\r]/.test(s) && typeof v === 'string' ? `'${s}` : s;
  return /[",\n\r]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The shown part of a snapshot, same shape, filtered to range and scopes. */
export function shownPart(s: PanelSnapshot, view: ExportView): PanelSnapshot {
  const scopes = view.scopes ? new Set(view.scopes) : null;
  const keep = (scope: string): boolean => !scopes || scopes.has(scope);
  return {
    ...s,
    stall: s.stall
      .filter((x) => keep(x.scope))
      .map((x) => ({ ...x, points: x.points.filter((p) => inRange(p.t, view.range)) })),
    memory: s.memory
      .filter((x) => keep(x.scope) || x.scope === 'node')
      .map((x) => ({ ...x, points: x.points.filter((p) => inRange(p.t, view.range)) })),
    phases: s.phases.filter(
      (p) => keep(p.scope) && (!view.range || (p.start <= view.range.max && (p.end ?? Infinity) >= view.range.min)),
    ),
    kills: s.kills.filter((k) => k.t === null || inRange(k.t, view.range)),
  };
}

/** Long format, one row per value: time, scope, metric, value, detail. */
export function toCsv(s: PanelSnapshot, view: ExportView = {}): string {
  const part = shownPart(s, view);
  const rows: (string | number | null)[][] = [['time', 'scope', 'metric', 'value', 'detail']];
  const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());
  for (const series of part.stall) {
    for (const p of series.points) {
      rows.push([iso(p.t), series.scope, 'memory_some_percent', round(p.somePercent), p.exact ? null : 'avg10']);
      if (p.fullPercent !== null)
        rows.push([iso(p.t), series.scope, 'memory_full_percent', round(p.fullPercent), p.exact ? null : 'avg10']);
    }
  }
  for (const series of part.memory)
    for (const p of series.points) rows.push([iso(p.t), series.scope, 'working_set_bytes', p.workingSetBytes, null]);
  for (const ph of part.phases) {
    rows.push([
      iso(ph.start),
      ph.scope,
      `${ph.phase}_start`,
      round(ph.peakSomePercent),
      `peak some ${round(ph.peakSomePercent)}%, full ${round(ph.peakFullPercent)}%`,
    ]);
    if (ph.end !== null) rows.push([iso(ph.end), ph.scope, `${ph.phase}_end`, null, null]);
  }
  for (const k of part.kills) {
    const who = [k.namespace, k.pod, k.container].filter(Boolean).join('/');
    rows.push([
      iso(k.t),
      who,
      k.kind === 'eviction' ? 'eviction' : 'oom_kill',
      k.class,
      `${k.classText}; ${k.precededText}`,
    ]);
  }
  return rows.map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}

export function toJson(s: PanelSnapshot, view: ExportView = {}): string {
  return JSON.stringify({ exportedFrom: 'OOMScope', view, ...shownPart(s, view) }, null, 2) + '\n';
}

/** "data:image/png;base64,…" → bytes; null when it is not a PNG data URL. */
export function pngBytes(dataUrl: string): Buffer | null {
  const m = /^data:image\/png;base64,([A-Za-z0-9+/=]+)$/.exec(dataUrl);
  if (!m) return null;
  const bytes = Buffer.from(m[1], 'base64');
  return bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) ? bytes : null;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
