/** One YAML document of a multi-document text. */
export interface DocumentSlice {
  index: number;
  startOffset: number;
  endOffset: number;
  startLine: number;
  text: string;
}

interface RawSlice {
  start: number;
  end: number;
  startLine: number;
  /** Starts with a `---` marker. */
  marked: boolean;
  hasContent: boolean;
}

/** `---` (a document starts) or `...` (a document ends) at offset `i` (a line start) of `text`, or null. */
export function documentMarkerAt(text: string, i: number): 'start' | 'end' | null {
  return isMarker(text, i, '-') ? 'start' : isMarker(text, i, '.') ? 'end' : null;
}

function isMarker(text: string, i: number, ch: string): boolean {
  if (text.charCodeAt(i) !== ch.charCodeAt(0) || text[i + 1] !== ch || text[i + 2] !== ch) return false;
  const next = text[i + 3];
  return next === undefined || next === ' ' || next === '\t' || next === '\n' || next === '\r';
}

/** Splits a multi-document YAML text at document markers (`---` / `...` at column 0), so the language server can re-analyze only the slices that changed. analyzeText(whole) must equal the concatenation of analyzeText(slice.text, s, {documentIndexBase: slice.index, lineOffset: slice.startLine}). */
export function splitYamlDocuments(text: string): DocumentSlice[] {
  const raw: RawSlice[] = [];
  let cur: RawSlice = { start: 0, end: text.length, startLine: 0, marked: false, hasContent: false };
  let line = 0;
  let i = 0;
  const hasCr = text.includes('\r');
  while (i <= text.length) {
    let eol = text.indexOf('\n', i);
    if (eol < 0) eol = text.length;
    if (hasCr) {
      for (let j = i; j < eol; j++) {
        if (text.charCodeAt(j) === 13) {
          eol = j;
          break;
        }
      }
    }
    let next = eol;
    if (text[next] === '\r') next++;
    if (text[next] === '\n' && (next === eol || text[eol] === '\r')) next++;
    if (next === eol) next = eol + 1;
    if (isMarker(text, i, '-')) {
      if (i > cur.start || cur.marked) {
        cur.end = i;
        raw.push(cur);
      }
      cur = { start: i, end: text.length, startLine: line, marked: true, hasContent: true };
    } else if (isMarker(text, i, '.')) {
      cur.end = Math.min(next, text.length);
      raw.push(cur);
      cur = { start: cur.end, end: text.length, startLine: line + 1, marked: false, hasContent: false };
    } else if (!cur.hasContent) {
      let j = i;
      while (j < eol && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9)) j++;
      const c = text[j];
      if (j < eol && c !== '#' && c !== '%') cur.hasContent = true;
    }
    if (eol >= text.length) break;
    i = next;
    line++;
  }
  cur.end = text.length;
  if (cur.end > cur.start || cur.marked || raw.length === 0) raw.push(cur);

  // A slice with no content (comments, directives, blank lines) joins its neighbour.
  const merged: RawSlice[] = [];
  let pending = null as RawSlice | null;
  for (const s of raw) {
    if (!s.marked && !s.hasContent) {
      pending = pending ? { ...pending, end: s.end } : s;
      continue;
    }
    if (pending) {
      merged.push({ ...s, start: pending.start, startLine: pending.startLine });
      pending = null;
    } else merged.push(s);
  }
  if (pending) {
    const last = merged[merged.length - 1];
    if (last) last.end = pending.end;
    else merged.push(pending);
  }
  return merged.map((s, index) => ({
    index,
    startOffset: s.start,
    endOffset: s.end,
    startLine: s.startLine,
    text: text.slice(s.start, s.end),
  }));
}
