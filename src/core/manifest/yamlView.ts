/**
 * YAML aliases (`*name`) and merge keys (`<<`) read the way the API server reads them.
 * kubectl and the API server turn YAML into JSON with sigs.k8s.io/yaml, which decodes with its
 * fork of go-yaml v2.4.0: an alias stands for the node its anchor names, and a plain `<<` key
 * merges a map, or a sequence of maps (earlier ones win), into the mapping at the place where
 * it is written. Entries are applied in document order, so a key written after `<<` overrides
 * the merged one, and a merged key overrides one written before it; a duplicate key keeps its
 * last value. Nodes are never copied, so alias bombs cost nothing.
 *
 * Two facts for the model, the rules and the quick fixes:
 * - `via`: where a value is reached through an alias, the alias's range. Findings go there, at
 *   the place the reader is looking, and not into the anchor's definition.
 * - `isShared`: a node an alias points to, and everything inside it. An edit there would change
 *   every place that uses the anchor, so quick fixes leave such nodes alone.
 */
import { isAlias, isMap, isScalar, isSeq, Scalar, type Alias, type Pair, type YAMLMap } from 'yaml';

/** Start and end offset in the analyzed text. */
export type Span = [number, number];

/** One entry of a mapping after merge keys are applied. */
export interface Entry {
  pair: Pair;
  /** The key's value (a string for ordinary keys). */
  key: unknown;
  /** The alias through which this entry was merged (`<<: *base`), null when it is written in place. */
  via: Span | null;
}

/** Why the API server rejects the document (its YAML decoder fails), with where. */
export interface YamlProblem {
  reason: string;
  start: number;
  end: number;
}

const MERGE_TAG = 'tag:yaml.org,2002:merge';

function spanOf(node: unknown): Span {
  const r = (node as { range?: [number, number, number] } | null)?.range;
  return r ? [r[0], r[1]] : [0, 0];
}

/** goyaml.v2 isMerge: a plain, untagged `<<` key, or one tagged `!!merge`. */
export function isMergeKey(key: unknown): boolean {
  if (!isScalar(key)) return false;
  if (key.tag === MERGE_TAG) return true;
  return key.value === '<<' && key.type === Scalar.PLAIN && !key.tag;
}

/** True when the mapping has a merge key among its own items. */
export function hasMergeKey(map: YAMLMap): boolean {
  return map.items.some((it) => isMergeKey(it.key));
}

function children(n: object): unknown[] {
  if (isMap(n)) {
    const out: unknown[] = [];
    for (const it of n.items) out.push(it.key, it.value);
    return out;
  }
  if (isSeq(n)) return n.items;
  return [];
}

/** Resolution of aliases and merge keys for one YAML document. */
export class YamlView {
  private readonly targets = new Map<Alias, unknown>();
  private readonly shared = new WeakSet<object>();
  private readonly merged = new Map<YAMLMap, Entry[]>();
  private readonly merging = new Set<YAMLMap>();
  /** Set when the API server's decoder rejects the document (unknown anchor, an anchor that contains itself, a bad merge value). */
  problem: YamlProblem | null = null;
  private readonly hasMerges: boolean;
  private readonly hasAliases: boolean;

  /** `root` is the document's contents; `text` the analyzed text (only used to skip the scan when it cannot hold an alias or a merge key). */
  constructor(root: unknown, text: string) {
    this.hasAliases = text.includes('*');
    this.hasMerges = text.includes('<<');
    if (this.hasAliases || this.hasMerges) this.scan(root);
  }

  /** The node an alias stands for; any other node as it is. An unresolved alias gives null. */
  deref(node: unknown): unknown {
    if (!this.hasAliases || !isAlias(node)) return node;
    return this.targets.get(node) ?? null;
  }

  /** The alias's range when `node` is an alias, else null. */
  aliasSpan(node: unknown): Span | null {
    return this.hasAliases && isAlias(node) ? spanOf(node) : null;
  }

  /** Inside a node that an alias points to (so editing it changes every user of the anchor). */
  isShared(node: unknown): boolean {
    return !!node && typeof node === 'object' && this.shared.has(node);
  }

  /** The winning entry for `key` (the last one written, merges applied); undefined when the mapping has none. */
  lookup(map: YAMLMap, key: string): Entry | undefined {
    if (!this.hasMerges) {
      // From the end: the last pair with the key wins, as in goyaml.v2.
      const items = map.items;
      for (let i = items.length - 1; i >= 0; i--) {
        const it = items[i]!;
        const k = it.key;
        if (isScalar(k) ? k.value === key : this.keyOf(it) === key) return { pair: it, key, via: null };
      }
      return undefined;
    }
    let found: Entry | undefined;
    for (const e of this.entries(map)) if (e.key === key) found = e;
    return found;
  }

  /** The mapping's entries with merge keys applied (a key appears once, with its winning pair). */
  entries(map: YAMLMap): readonly Entry[] {
    const known = this.merged.get(map);
    if (known) return known;
    if (!this.hasMerges || !hasMergeKey(map)) {
      const direct = map.items.map((pair) => ({ pair, key: this.keyOf(pair), via: null }));
      if (this.hasMerges) this.merged.set(map, direct);
      return direct;
    }
    if (this.merging.has(map)) return [];
    this.merging.add(map);
    const out = new Map<unknown, Entry>();
    const mergeFrom = (source: unknown, via: Span | null): void => {
      const m = this.deref(source);
      if (!isMap(m)) return;
      for (const e of this.entries(m)) out.set(e.key, { pair: e.pair, key: e.key, via: via ?? e.via });
    };
    for (const pair of map.items) {
      if (!isMergeKey(pair.key)) {
        out.set(this.keyOf(pair), { pair, key: this.keyOf(pair), via: null });
        continue;
      }
      const value = pair.value;
      const target = this.deref(value);
      const via = isAlias(value) ? spanOf(value) : null;
      if (isSeq(target)) {
        // goyaml.v2 steps backwards through the sequence: earlier maps take precedence.
        for (let i = target.items.length - 1; i >= 0; i--) {
          const item = target.items[i];
          mergeFrom(item, via ?? (isAlias(item) ? spanOf(item) : null));
        }
      } else mergeFrom(value, via);
    }
    this.merging.delete(map);
    const result = [...out.values()];
    this.merged.set(map, result);
    return result;
  }

  private keyOf(pair: Pair): unknown {
    const k = this.deref(pair.key);
    return isScalar(k) ? k.value : k;
  }

  private reject(reason: string, node: unknown): void {
    if (this.problem) return;
    const [start, end] = spanOf(node);
    this.problem = { reason, start, end: Math.max(end, start + 1) };
  }

  /** One pass in document order: alias targets, self-containing anchors, bad merge values; then the shared nodes. */
  private scan(root: unknown): void {
    const anchors = new Map<string, object>();
    const onPath = new Set<object>();
    const merges: Pair[] = [];
    const stack: Array<[unknown, boolean]> = [[root, false]];
    while (stack.length > 0) {
      const [n, exit] = stack.pop()!;
      if (!n || typeof n !== 'object') continue;
      if (exit) {
        onPath.delete(n);
        continue;
      }
      if (isAlias(n)) {
        const target = anchors.get(n.source);
        if (!target)
          this.reject(`YAML alias *${n.source} names no anchor before it: the API server rejects this document`, n);
        else if (onPath.has(target))
          this.reject(`YAML anchor &${n.source} contains an alias to itself: the API server rejects this document`, n);
        else this.targets.set(n, target);
        continue;
      }
      const anchor = (n as { anchor?: string }).anchor;
      if (anchor) anchors.set(anchor, n);
      if (isMap(n)) for (const it of n.items) if (isMergeKey(it.key)) merges.push(it);
      onPath.add(n);
      stack.push([n, true]);
      const kids = children(n);
      for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i], false]);
    }
    for (const pair of merges) {
      const v = this.deref(pair.value);
      const ok = isMap(v) || (isSeq(v) && v.items.every((it) => isMap(this.deref(it))));
      if (!ok)
        this.reject('YAML merge key << needs a map or a list of maps: the API server rejects this document', pair.key);
    }
    for (const target of new Set(this.targets.values())) this.markShared(target);
  }

  private markShared(root: unknown): void {
    const stack: unknown[] = [root];
    while (stack.length > 0) {
      const n = stack.pop();
      if (!n || typeof n !== 'object' || this.shared.has(n)) continue;
      this.shared.add(n);
      for (const c of children(n)) stack.push(c);
    }
  }
}
