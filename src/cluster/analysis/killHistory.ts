/** A small bounded store of kills and evictions once seen (cluster events expire after an hour). */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KillRecord } from './nodeAnalysisTypes';

const FILE = 'oomscope-kill-history.json';
const MAX_PER_NODE = 500;
const MAX_NODES = 50;

interface HistoryFile {
  version: 1;
  /** key "context\u0000node" → records, newest last. */
  nodes: Record<string, { updated: number; kills: KillRecord[] }>;
}

const key = (context: string, node: string): string => `${context}\u0000${node}`;

function read(dir: string): HistoryFile {
  try {
    const v = JSON.parse(readFileSync(join(dir, FILE), 'utf8')) as HistoryFile;
    if (v && v.version === 1 && v.nodes && typeof v.nodes === 'object') return v;
  } catch {
    // missing or corrupt: start empty
  }
  return { version: 1, nodes: {} };
}

export function loadHistory(dir: string | undefined, context: string, node: string): KillRecord[] {
  if (!dir) return [];
  const kills = read(dir).nodes[key(context, node)]?.kills ?? [];
  return kills.filter((k) => k && typeof k.id === 'string').map((k) => ({ ...k, fromHistory: true }));
}

/** Saves the node's records (bounded); returns false when the folder is not writable. */
export function saveHistory(dir: string | undefined, context: string, node: string, kills: KillRecord[]): boolean {
  if (!dir) return true;
  try {
    mkdirSync(dir, { recursive: true });
    const file = read(dir);
    const sorted = [...kills].sort((a, b) => (a.t ?? 0) - (b.t ?? 0)).slice(-MAX_PER_NODE);
    file.nodes[key(context, node)] = { updated: Date.now(), kills: sorted.map((k) => ({ ...k, fromHistory: false })) };
    const keys = Object.keys(file.nodes).sort((a, b) => file.nodes[b]!.updated - file.nodes[a]!.updated);
    for (const k of keys.slice(MAX_NODES)) delete file.nodes[k];
    const tmp = join(dir, `${FILE}.${process.pid}.tmp`);
    writeFileSync(tmp, JSON.stringify(file));
    renameSync(tmp, join(dir, FILE));
    return true;
  } catch {
    return false;
  }
}

/** OOM kills per node of a context seen since `sinceMs` (from the local store: no request). */
export function recentKillCounts(dir: string | undefined, context: string, sinceMs: number): Map<string, number> {
  const out = new Map<string, number>();
  if (!dir) return out;
  for (const [k, v] of Object.entries(read(dir).nodes)) {
    const [ctx, node] = k.split('\u0000');
    if (ctx !== context || !node) continue;
    const n = (v.kills ?? []).filter((x) => x && x.kind === 'oom' && (x.t ?? 0) >= sinceMs).length;
    if (n) out.set(node, n);
  }
  return out;
}
