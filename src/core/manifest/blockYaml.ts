/**
 * A fast reader for the plain block YAML that almost every Kubernetes manifest is written in
 * (`key: value` lines, `- ` items, plain and single-line quoted scalars, one-line flow sequences of
 * scalars, `{}`), building
 * the same nodes (`YAMLMap`, `YAMLSeq`, `Pair`, `Scalar` of the `yaml` package, with the same
 * values, types and ranges) that `yaml`'s Composer builds, in a fraction of its time: one pass
 * over lines, no token stream.
 *
 * It does not guess. Anything outside that subset — tabs, anchors, aliases, tags, block scalars,
 * multi-line or escaped scalars, flow mappings with content, nested flow collections, directives, comment lines inside
 * the content, a second document, odd indentation — makes it return null, and the caller
 * composes the document with `yaml` itself. A unit test checks, node for node, that whenever it
 * answers, its tree equals the Composer's on fixtures and on generated manifests.
 */
import { Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';

type Node = Scalar | YAMLMap | YAMLSeq;
type Range = [number, number, number];

class Unsupported extends Error {}
const UNSUPPORTED = new Unsupported('outside the block subset');

const SPACE = 32;
const HASH = 35;
const DASH = 45;
const COLON = 58;

/** Values of plain scalars as `yaml`'s core schema (YAML 1.2) resolves them. */
const NULL_RE = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL_RE = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const NUMBER_RE = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const OCT_RE = /^0o[0-7]+$/;
const HEX_RE = /^0x[0-9a-fA-F]+$/;
const SPECIAL_FLOAT_RE = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;

function plainValue(s: string): unknown {
  const c = s.charCodeAt(0);
  // Only strings that start with a digit, sign, dot, ~, n/N, t/T, f/F or 0 can be anything else.
  if (s.length === 0) return null;
  if ((c >= 48 && c <= 57) || c === 43 || c === DASH || c === 46) {
    if (NUMBER_RE.test(s)) return Number(s);
    if (OCT_RE.test(s)) return parseInt(s.slice(2), 8);
    if (HEX_RE.test(s)) return parseInt(s.slice(2), 16);
    if (SPECIAL_FLOAT_RE.test(s))
      return s.endsWith('nan') || s.endsWith('NaN') || s.endsWith('NAN')
        ? NaN
        : s.startsWith('-')
          ? -Infinity
          : Infinity;
    return s;
  }
  if (NULL_RE.test(s)) return null;
  if (BOOL_RE.test(s)) return s.charCodeAt(0) === 116 || s.charCodeAt(0) === 84;
  return s;
}

/** Characters that cannot start a plain scalar (or that start something this reader leaves to `yaml`). */
function isIndicator(c: number, next: number): boolean {
  switch (c) {
    case 44: // ,
    case 91: // [
    case 93: // ]
    case 123: // {
    case 125: // }
    case HASH:
    case 38: // &
    case 42: // *
    case 33: // !
    case 124: // |
    case 62: // >
    case 39: // '
    case 34: // "
    case 37: // %
    case 64: // @
    case 96: // `
      return true;
    case DASH:
    case 63: // ?
    case COLON:
      return next === SPACE || Number.isNaN(next);
    default:
      return false;
  }
}

function scalar(value: unknown, source: string, type: Scalar.Type, range: Range): Scalar {
  const s = new Scalar(value);
  s.range = range;
  s.source = source;
  s.type = type;
  return s;
}

class BlockReader {
  /** Per line: start offset, end of content (before the line break), start of the next line. */
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly nexts: number[] = [];
  /** Indentation (spaces) of each line; -1 for blank lines. */
  private readonly indents: number[] = [];
  private line = 0;

  constructor(private readonly text: string) {
    const crlf = text.includes('\r');
    let i = 0;
    while (i <= text.length) {
      let nl = text.indexOf('\n', i);
      if (nl < 0) nl = text.length;
      let end = nl;
      if (crlf && end > i && text.charCodeAt(end - 1) === 13) end--;
      let j = i;
      while (j < end && text.charCodeAt(j) === SPACE) j++;
      this.starts.push(i);
      this.ends.push(end);
      this.nexts.push(nl < text.length ? nl + 1 : nl);
      this.indents.push(j === end ? -1 : j - i);
      if (nl >= text.length) break;
      i = nl + 1;
    }
    if (crlf && /\r(?!\n)/.test(text)) throw UNSUPPORTED;
  }

  /** The root mapping of the document, or throws UNSUPPORTED. */
  read(): YAMLMap {
    const n = this.starts.length;
    let sawMarker = false;
    // Before the content: blank lines, comments, at most one `---` (nothing after it but a comment).
    while (this.line < n) {
      const indent = this.indents[this.line];
      if (indent < 0) {
        this.line++;
        continue;
      }
      const s = this.starts[this.line] + indent;
      const c = this.text.charCodeAt(s);
      if (c === HASH) {
        this.line++;
        continue;
      }
      if (indent === 0 && this.isMarker(this.line)) {
        const rest = this.text.slice(s + 3, this.ends[this.line]).trim();
        if (sawMarker || !this.text.startsWith('---', s) || (rest !== '' && !rest.startsWith('#'))) throw UNSUPPORTED;
        sawMarker = true;
        this.line++;
        continue;
      }
      break;
    }
    if (this.line >= n) throw UNSUPPORTED;
    const indent = this.indents[this.line];
    if (this.isDashItem(this.line)) throw UNSUPPORTED;
    const root = this.map(indent, this.starts[this.line] + indent);
    if (this.line < n) throw UNSUPPORTED;
    return root;
  }

  /** Moves to the next line with content; comment lines inside the content are left to `yaml`. */
  private skipToContent(): void {
    const n = this.starts.length;
    while (this.line < n) {
      const indent = this.indents[this.line];
      if (indent >= 0) {
        const s = this.starts[this.line] + indent;
        const c = this.text.charCodeAt(s);
        if (c === HASH) throw UNSUPPORTED;
        if (indent === 0 && this.isMarker(this.line)) throw UNSUPPORTED;
        return;
      }
      this.line++;
    }
  }

  /** A `---` or `...` document marker line. */
  private isMarker(line: number): boolean {
    const s = this.starts[line];
    if (!this.text.startsWith('---', s) && !this.text.startsWith('...', s)) return false;
    return s + 3 >= this.ends[line] || this.text.charCodeAt(s + 3) === SPACE;
  }

  private isDashItem(line: number): boolean {
    const s = this.starts[line] + this.indents[line];
    if (this.text.charCodeAt(s) !== DASH) return false;
    return s + 1 >= this.ends[line] || this.text.charCodeAt(s + 1) === SPACE;
  }

  private skipSpaces(p: number, end: number): number {
    while (p < end && this.text.charCodeAt(p) === SPACE) p++;
    return p;
  }

  /** A block mapping whose keys are at column `indent`; the first key starts at `first` on the current line. */
  private map(indent: number, first: number): YAMLMap {
    const map = new YAMLMap();
    let pos = first;
    let endOfLast = first;
    for (;;) {
      const lineEnd = this.ends[this.line];
      const key = this.key(pos, lineEnd);
      if (!key) throw UNSUPPORTED;
      const p = this.skipSpaces(key.after, lineEnd);
      let value: Node;
      if (p >= lineEnd || this.text.charCodeAt(p) === HASH) {
        const commented = p < lineEnd;
        this.line++;
        this.skipToContent();
        const l = this.line;
        if (l < this.starts.length && this.indents[l] > indent) value = this.node(this.indents[l]);
        else if (l < this.starts.length && this.indents[l] === indent && this.isDashItem(l)) value = this.seq(indent);
        else if (commented) throw UNSUPPORTED;
        else value = scalar(null, '', Scalar.PLAIN, [p, p, p]);
      } else {
        value = this.inlineValue(p, lineEnd);
        this.line++;
        this.skipToContent();
      }
      map.items.push(new Pair(key.node, value));
      endOfLast = (value.range as Range)[2];
      const l = this.line;
      if (l >= this.starts.length || this.indents[l] < indent) break;
      if (this.indents[l] > indent || this.isDashItem(l)) throw UNSUPPORTED;
      pos = this.starts[l] + indent;
    }
    map.range = [first, endOfLast, endOfLast];
    return map;
  }

  /** A block sequence whose `-` are at column `indent`, from the current line. */
  private seq(indent: number): YAMLSeq {
    const seq = new YAMLSeq();
    const first = this.starts[this.line] + indent;
    let endOfLast = first;
    for (;;) {
      const lineEnd = this.ends[this.line];
      const dash = this.starts[this.line] + indent;
      const q = this.skipSpaces(dash + 1, lineEnd);
      let item: Node;
      if (q >= lineEnd) {
        this.line++;
        this.skipToContent();
        const l = this.line;
        if (l < this.starts.length && this.indents[l] > indent) item = this.node(this.indents[l]);
        else item = scalar(null, '', Scalar.PLAIN, [q, q, q]);
      } else {
        const c = this.text.charCodeAt(q);
        if (c === HASH || (c === DASH && (q + 1 >= lineEnd || this.text.charCodeAt(q + 1) === SPACE)))
          throw UNSUPPORTED;
        if (this.key(q, lineEnd)) item = this.map(q - this.starts[this.line], q);
        else {
          item = this.inlineValue(q, lineEnd);
          this.line++;
          this.skipToContent();
        }
      }
      seq.items.push(item);
      endOfLast = (item.range as Range)[2];
      const l = this.line;
      if (l >= this.starts.length || this.indents[l] < indent) break;
      if (this.indents[l] > indent) throw UNSUPPORTED;
      if (!this.isDashItem(l)) break;
    }
    seq.range = [first, endOfLast, endOfLast];
    return seq;
  }

  /** A block collection starting on the current line at column `indent`. */
  private node(indent: number): YAMLMap | YAMLSeq {
    if (this.isDashItem(this.line)) return this.seq(indent);
    return this.map(indent, this.starts[this.line] + indent);
  }

  /** An implicit key at `pos`: its node and the offset after its `:`; null when the line is not `key: …`. */
  private key(pos: number, end: number): { node: Scalar; after: number } | null {
    const text = this.text;
    const c = text.charCodeAt(pos);
    if (c === 34 || c === 39) {
      const q = this.quoted(pos, end);
      if (!q || text.charCodeAt(q.end) !== COLON) return null;
      const after = q.end + 1;
      if (after < end && text.charCodeAt(after) !== SPACE) return null;
      return {
        node: scalar(q.value, q.value, c === 34 ? Scalar.QUOTE_DOUBLE : Scalar.QUOTE_SINGLE, [pos, q.end, q.end]),
        after,
      };
    }
    if (isIndicator(c, pos + 1 < end ? text.charCodeAt(pos + 1) : NaN)) return null;
    for (let i = pos + 1; i < end; i++) {
      const ch = text.charCodeAt(i);
      if (ch === COLON) {
        if (i + 1 < end && text.charCodeAt(i + 1) !== SPACE) continue;
        if (text.charCodeAt(i - 1) === SPACE || i - pos > 1024) throw UNSUPPORTED;
        const source = text.slice(pos, i);
        return { node: scalar(plainValue(source), source, Scalar.PLAIN, [pos, i, i]), after: i + 1 };
      }
      if (ch === HASH && text.charCodeAt(i - 1) === SPACE) return null;
    }
    return null;
  }

  /** A single-line quoted scalar at `pos` (no escapes); null when it is anything else. */
  private quoted(pos: number, end: number): { value: string; end: number } | null {
    const text = this.text;
    const quote = text.charCodeAt(pos);
    let value = '';
    let from = pos + 1;
    for (let i = pos + 1; i < end; i++) {
      const ch = text.charCodeAt(i);
      if (quote === 34 && ch === 92) throw UNSUPPORTED;
      if (ch !== quote) continue;
      if (quote === 39 && text.charCodeAt(i + 1) === 39 && i + 1 < end) {
        value += text.slice(from, i + 1);
        from = i + 2;
        i++;
        continue;
      }
      return { value: value + text.slice(from, i), end: i + 1 };
    }
    throw UNSUPPORTED;
  }

  /** The value after `key: ` or `- ` on one line: a plain or quoted scalar, `{}` or `[]`. */
  private inlineValue(p: number, end: number): Node {
    const text = this.text;
    const c = text.charCodeAt(p);
    const lineNext = this.nexts[this.line];
    if (c === 34 || c === 39) {
      const q = this.quoted(p, end);
      if (!q) throw UNSUPPORTED;
      this.afterValue(q.end, end);
      return scalar(q.value, q.value, c === 34 ? Scalar.QUOTE_DOUBLE : Scalar.QUOTE_SINGLE, [p, q.end, lineNext]);
    }
    if (c === 91) return this.flowSeq(p, end, lineNext);
    if (c === 123) {
      const close = this.skipSpaces(p + 1, end);
      if (text.charCodeAt(close) !== 125) throw UNSUPPORTED;
      this.afterValue(close + 1, end);
      const node = new YAMLMap();
      node.flow = true;
      node.range = [p, close + 1, lineNext];
      return node;
    }
    if (isIndicator(c, p + 1 < end ? text.charCodeAt(p + 1) : NaN)) throw UNSUPPORTED;
    let e = end;
    for (let i = p + 1; i < end; i++) {
      const ch = text.charCodeAt(i);
      if (ch === HASH && text.charCodeAt(i - 1) === SPACE) {
        e = i;
        break;
      }
      if (ch === COLON && (i + 1 >= end || text.charCodeAt(i + 1) === SPACE)) throw UNSUPPORTED;
    }
    while (e > p && text.charCodeAt(e - 1) === SPACE) e--;
    const source = text.slice(p, e);
    return scalar(plainValue(source), source, Scalar.PLAIN, [p, e, lineNext]);
  }

  /** A one-line flow sequence of scalars (`["java", -jar, 'app.jar']`), as in `command:` and `args:`. */
  private flowSeq(p: number, end: number, lineNext: number): YAMLSeq {
    const text = this.text;
    const seq = new YAMLSeq();
    seq.flow = true;
    let i = this.skipSpaces(p + 1, end);
    let close = -1;
    while (close < 0) {
      if (i >= end) throw UNSUPPORTED;
      const c = text.charCodeAt(i);
      if (c === 93 && seq.items.length === 0) {
        close = i;
        break;
      }
      let itemEnd: number;
      if (c === 34 || c === 39) {
        const q = this.quoted(i, end);
        if (!q) throw UNSUPPORTED;
        itemEnd = q.end;
        seq.items.push(
          scalar(q.value, q.value, c === 34 ? Scalar.QUOTE_DOUBLE : Scalar.QUOTE_SINGLE, [i, itemEnd, itemEnd]),
        );
      } else {
        const n = i + 1 < end ? text.charCodeAt(i + 1) : NaN;
        if (c === COLON || c === 63 || (c === DASH && (n === 44 || n === 93)) || isIndicator(c, n)) throw UNSUPPORTED;
        let k = i + 1;
        for (; k < end; k++) {
          const ch = text.charCodeAt(k);
          if (ch === 44 || ch === 93) break;
          if (ch === 91 || ch === 123 || ch === 125 || (ch === HASH && text.charCodeAt(k - 1) === SPACE))
            throw UNSUPPORTED;
          if (ch === COLON) {
            const n = k + 1 < end ? text.charCodeAt(k + 1) : SPACE;
            if (n === SPACE || n === 44 || n === 93) throw UNSUPPORTED;
          }
        }
        itemEnd = k;
        while (itemEnd > i && text.charCodeAt(itemEnd - 1) === SPACE) itemEnd--;
        const source = text.slice(i, itemEnd);
        seq.items.push(scalar(plainValue(source), source, Scalar.PLAIN, [i, itemEnd, k]));
      }
      const j = this.skipSpaces(itemEnd, end);
      const d = text.charCodeAt(j);
      if (d === 93) close = j;
      else if (d === 44) {
        i = this.skipSpaces(j + 1, end);
        if (text.charCodeAt(i) === 93) close = i;
      } else throw UNSUPPORTED;
    }
    this.afterValue(close + 1, end);
    seq.range = [p, close + 1, lineNext];
    return seq;
  }

  /** After a quoted scalar or `{}`: only spaces and a comment. */
  private afterValue(p: number, end: number): void {
    const q = this.skipSpaces(p, end);
    if (q < end && !(this.text.charCodeAt(q) === HASH && q > p)) throw UNSUPPORTED;
  }
}

/**
 * The root mapping of a one-document YAML text when it is plain block YAML (see the file
 * comment), with the nodes `yaml`'s Composer would build; null when `yaml` must read it.
 */
export function readBlockYaml(text: string): YAMLMap | null {
  if (text.includes('\t') || text.charCodeAt(0) === 0xfeff) return null;
  try {
    return new BlockReader(text).read();
  } catch (e) {
    if (e instanceof Unsupported) return null;
    throw e;
  }
}
