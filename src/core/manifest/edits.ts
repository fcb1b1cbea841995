/**
 * Minimal text edits for quick fixes: replace one scalar, add keys to a block or flow
 * mapping in the file's own indentation and quoting style, delete one key line. Every
 * helper returns null when a safe minimal edit is not possible — among them every edit
 * inside a node shared through a YAML anchor (it would silently change the anchor's other
 * users too) and every key added to or removed from a mapping with a `<<` merge key (the
 * merged entries would change meaning).
 */
import { isMap, isScalar, Scalar, type Node, type Pair, type YAMLMap } from 'yaml';
import type { LineIndex } from './lineIndex';
import type { TextEdit } from './findingTypes';
import { hasMergeKey, type YamlView } from './yamlView';

export interface EditContext {
  text: string;
  lines: LineIndex;
  /** Indentation step of the document's block mappings (spaces). */
  step: number;
  eol: string;
  /** The document's aliases and merge keys; absent means there are none. */
  view?: YamlView;
}

function shared(ctx: EditContext, node: unknown): boolean {
  return ctx.view?.isShared(node) ?? false;
}

/** Nested keys to add; leaves are plain scalar texts. */
export type KeyTree = Map<string, KeyTree | string>;

export function keyTree(...paths: Array<[string[], string]>): KeyTree {
  const root: KeyTree = new Map();
  for (const [path, value] of paths) {
    let cur = root;
    path.forEach((k, i) => {
      if (i === path.length - 1) cur.set(k, value);
      else {
        let next = cur.get(k);
        if (!(next instanceof Map)) {
          next = new Map();
          cur.set(k, next);
        }
        cur = next;
      }
    });
  }
  return root;
}

function rangeOf(node: unknown): [number, number] | null {
  const r = (node as { range?: [number, number, number] } | null)?.range;
  return r ? [r[0], r[1]] : null;
}

function findPair(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((it) => (isScalar(it.key) ? it.key.value === key : it.key === key));
}

function isJsonStyle(map: YAMLMap): boolean {
  return map.items.length > 0 && map.items.every((it) => isScalar(it.key) && it.key.type === Scalar.QUOTE_DOUBLE);
}

function renderFlow(tree: KeyTree, json: boolean): string {
  const q = (s: string): string => (json ? JSON.stringify(s) : s);
  return [...tree].map(([k, v]) => `${q(k)}: ${typeof v === 'string' ? q(v) : `{${renderFlow(v, json)}}`}`).join(', ');
}

function renderBlock(tree: KeyTree, indent: number, ctx: EditContext, step: number): string {
  let out = '';
  for (const [k, v] of tree) {
    out += ctx.eol + ' '.repeat(indent) + k + ':';
    out += typeof v === 'string' ? ' ' + v : renderBlock(v, indent + step, ctx, step);
  }
  return out;
}

function contentEnd(text: string, start: number, end: number): number {
  let e = end;
  while (e > start && /\s/.test(text[e - 1]!)) e--;
  return e;
}

/** Adds the keys of `tree` (recursing into existing sub-maps) to `map`. */
export function addEntries(ctx: EditContext, map: YAMLMap, tree: KeyTree): TextEdit[] | null {
  if (shared(ctx, map) || hasMergeKey(map)) return null;
  const edits: TextEdit[] = [];
  const missing: KeyTree = new Map();
  for (const [k, v] of tree) {
    const pair = findPair(map, k);
    if (!pair) {
      missing.set(k, v);
      continue;
    }
    if (typeof v === 'string') return null;
    const child = pair.value as Node | null;
    if (isMap(child)) {
      const sub = addEntries(ctx, child, v);
      if (!sub) return null;
      edits.push(...sub);
    } else if (child === null || (isScalar(child) && child.value === null && (child.source ?? '') === '')) {
      if (map.flow) return null;
      const kr = rangeOf(pair.key);
      if (!kr) return null;
      const line = ctx.lines.lineOf(kr[0]);
      const at = ctx.lines.lineEnd(line);
      const col = ctx.lines.column(kr[0]);
      const step = localStep(ctx, map);
      edits.push({ range: ctx.lines.range(at, at), newText: renderBlock(v, col + step, ctx, step) });
    } else return null;
  }
  if (missing.size > 0) {
    const e = insertIntoMap(ctx, map, missing);
    if (!e) return null;
    edits.push(e);
  }
  return edits;
}

function insertIntoMap(ctx: EditContext, map: YAMLMap, tree: KeyTree): TextEdit | null {
  const r = rangeOf(map);
  if (!r) return null;
  const { text } = ctx;
  if (map.flow) {
    let close = r[1] - 1;
    while (close > r[0] && /\s/.test(text[close]!)) close--;
    if (text[close] !== '}') return null;
    let p = close - 1;
    while (p > r[0] && /\s/.test(text[p]!)) p--;
    const body = renderFlow(tree, isJsonStyle(map));
    if (text[p] === '{') return { range: ctx.lines.range(close, close), newText: body };
    if (text[p] === ',') return { range: ctx.lines.range(p + 1, p + 1), newText: ' ' + body };
    return { range: ctx.lines.range(p + 1, p + 1), newText: ', ' + body };
  }
  const first = map.items[0];
  const last = map.items[map.items.length - 1];
  const fr = first ? rangeOf(first.key) : null;
  if (!first || !last || !fr) return null;
  const indent = ctx.lines.column(fr[0]);
  const lr = rangeOf(last.value) ?? rangeOf(last.key);
  if (!lr) return null;
  const end = contentEnd(text, fr[0], lr[1]);
  const at = ctx.lines.lineEnd(ctx.lines.lineOf(Math.max(fr[0], end - 1)));
  return { range: ctx.lines.range(at, at), newText: renderBlock(tree, indent, ctx, localStep(ctx, map)) };
}

/** Replaces a scalar's value, keeping its quoting style. */
export function replaceScalar(ctx: EditContext, node: Node | null, value: string): TextEdit | null {
  if (!isScalar(node) || shared(ctx, node)) return null;
  const r = rangeOf(node);
  if (!r) return null;
  const src = ctx.text.slice(r[0], r[1]);
  if (src.includes('\n') || src.includes('\r')) return null;
  let newText = value;
  if (node.type === Scalar.QUOTE_DOUBLE) newText = JSON.stringify(value);
  else if (node.type === Scalar.QUOTE_SINGLE) newText = `'${value.replace(/'/g, "''")}'`;
  else if (node.type !== Scalar.PLAIN) return null;
  else if (!/^[A-Za-z0-9.+-]+$/.test(value)) newText = JSON.stringify(value);
  return { range: ctx.lines.range(r[0], r[1]), newText };
}

/** Deletes the line(s) of one key of a block mapping; null when the key shares its line with other content. */
export function deleteKeyLines(ctx: EditContext, map: YAMLMap, pair: Pair): TextEdit | null {
  if (map.flow || map.items.length < 2 || !map.items.includes(pair) || shared(ctx, map) || hasMergeKey(map))
    return null;
  const kr = rangeOf(pair.key);
  if (!kr) return null;
  const startLine = ctx.lines.lineOf(kr[0]);
  const lineStart = ctx.lines.lineStart(startLine);
  if (ctx.text.slice(lineStart, kr[0]).trim() !== '') return null;
  const vr = rangeOf(pair.value) ?? kr;
  const end = contentEnd(ctx.text, kr[0], Math.max(vr[1], kr[1]));
  const endLine = ctx.lines.lineOf(end - 1);
  if (endLine + 1 < ctx.lines.lineCount)
    return { range: ctx.lines.range(lineStart, ctx.lines.lineStart(endLine + 1)), newText: '' };
  const prevEnd = startLine > 0 ? ctx.lines.lineEnd(startLine - 1) : lineStart;
  return { range: ctx.lines.range(prevEnd, ctx.text.length), newText: '' };
}

/** Indentation step of block mappings in a document (first nested block map found), default 2. */
export function detectStep(root: unknown, lines: LineIndex): number {
  return findStep(root, lines) ?? 2;
}

function localStep(ctx: EditContext, map: YAMLMap): number {
  return findStep(map, ctx.lines) ?? ctx.step;
}

function findStep(root: unknown, lines: LineIndex): number | null {
  const stack: unknown[] = [root];
  let guard = 0;
  while (stack.length > 0 && guard++ < 2000) {
    const n = stack.pop();
    if (isMap(n)) {
      if (n.flow) continue;
      for (const it of n.items) {
        const v = it.value;
        if (isMap(v) && !v.flow && v.items.length > 0) {
          const kr = rangeOf(it.key);
          const cr = rangeOf(v.items[0]!.key);
          if (kr && cr && lines.lineOf(cr[0]) > lines.lineOf(kr[0])) {
            const d = lines.column(cr[0]) - lines.column(kr[0]);
            if (d > 0 && d <= 8) return d;
          }
        }
        stack.push(v);
      }
    } else if (n && typeof n === 'object' && 'items' in n && Array.isArray((n as { items: unknown[] }).items)) {
      for (const it of (n as { items: unknown[] }).items) stack.push(it);
    }
  }
  return null;
}

/** Applies edits (non-overlapping, in any order) to a text; for tests and the CLI. */
export function applyEdits(text: string, edits: TextEdit[], lines: LineIndex): string {
  const withOffsets = edits.map((e, i) => ({
    s: lines.offsetAt(e.range.start),
    e: lines.offsetAt(e.range.end),
    t: e.newText,
    i,
  }));
  withOffsets.sort((a, b) => b.s - a.s || b.i - a.i);
  let out = text;
  for (const e of withOffsets) out = out.slice(0, e.s) + e.t + out.slice(e.e);
  return out;
}
