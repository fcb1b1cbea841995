import type { Position, TextDocumentContentChangeEvent } from 'vscode-languageserver/node';

/** One applied edit in offsets of the text it was applied to; null for a whole-text replacement. */
export type TextChange = { start: number; end: number; newLength: number } | null;

/**
 * An open document, with the behaviour of `vscode-languageserver-textdocument`'s TextDocument
 * (same offsets, positions and line handling, checked side by side in a unit test) but kept as a
 * few pieces instead of one string: a keystroke in a 22 MB file does not build a new 22 MB string
 * (about 75 ms here, mostly page faults), the analysis reads only the text around the edit, and
 * the whole text is joined only when something asks for it (or after many edits).
 */
export class EditableDocument {
  private pieces: string[];
  /** Offset of each line's start (a typed array: building a million-entry number[] costs 3x more). */
  private lineOffsets: Uint32Array | undefined;
  private textLength: number;

  constructor(
    readonly uri: string,
    readonly languageId: string,
    private docVersion: number,
    text: string,
  ) {
    this.pieces = [text];
    this.textLength = text.length;
  }

  get version(): number {
    return this.docVersion;
  }

  get length(): number {
    return this.textLength;
  }

  get lineCount(): number {
    return this.getLineOffsets().length;
  }

  /** The whole text (joined once, then kept). */
  getText(): string {
    if (this.pieces.length !== 1) this.pieces = [this.pieces.join('')];
    return this.pieces[0]!;
  }

  /** Text between two offsets, read from the pieces without joining them. */
  slice(start: number, end: number): string {
    start = Math.max(0, Math.min(start, this.textLength));
    end = Math.max(start, Math.min(end, this.textLength));
    if (this.pieces.length === 1) return this.pieces[0]!.slice(start, end);
    let out = '';
    let at = 0;
    for (const piece of this.pieces) {
      const next = at + piece.length;
      if (next > start && at < end) out += piece.slice(Math.max(0, start - at), Math.min(piece.length, end - at));
      if (next >= end) break;
      at = next;
    }
    return out;
  }

  charCodeAt(offset: number): number {
    let at = 0;
    for (const piece of this.pieces) {
      if (offset < at + piece.length) return piece.charCodeAt(offset - at);
      at += piece.length;
    }
    return NaN;
  }

  /** The offset of a position, clamped to the text (see {@link update}); throws on a position that is not two numbers. */
  offsetAt(position: Position): number {
    const { line, character } = readPosition(position);
    const lineOffsets = this.getLineOffsets();
    if (line >= lineOffsets.length) return this.textLength;
    if (line < 0) return 0;
    const lineOffset = lineOffsets[line]!;
    if (character <= 0) return lineOffset;
    const nextLineOffset = line + 1 < lineOffsets.length ? lineOffsets[line + 1]! : this.textLength;
    return this.ensureBeforeEOL(Math.min(lineOffset + character, nextLineOffset), lineOffset);
  }

  positionAt(offset: number): Position {
    offset = Math.max(Math.min(offset, this.textLength), 0);
    const lineOffsets = this.getLineOffsets();
    let low = 0;
    let high = lineOffsets.length;
    if (high === 0) return { line: 0, character: offset };
    while (low < high) {
      const mid = Math.floor((low + high) / 2);
      if (lineOffsets[mid]! > offset) high = mid;
      else low = mid + 1;
    }
    const line = low - 1;
    offset = this.ensureBeforeEOL(offset, lineOffsets[line]!);
    return { line, character: offset - lineOffsets[line]! };
  }

  /**
   * Applies changes as TextDocument.update does, with positions clamped as LSP specifies (a line
   * past the end is the end of the text, a character past the end of a line is the end of that
   * line, a reversed range is put in order). Atomic: when a change cannot be read (no text, a
   * range that is not two positions of numbers), it throws and nothing has changed.
   * Returns each change in offsets of the text it was applied to (null for a whole-text change).
   */
  update(changes: readonly TextDocumentContentChangeEvent[], version: number): TextChange[] {
    const checked = changes.map(readChange);
    const before = { pieces: this.pieces, textLength: this.textLength };
    const applied: TextChange[] = [];
    try {
      for (const change of checked) {
        if (change.range) applied.push(this.applyIncremental(change.range, change.text));
        else {
          this.pieces = [change.text];
          this.textLength = change.text.length;
          this.lineOffsets = undefined;
          applied.push(null);
        }
      }
    } catch (error) {
      // Not reachable with clamped positions; if it ever is, the document stays as it was.
      this.pieces = before.pieces;
      this.textLength = before.textLength;
      this.lineOffsets = undefined;
      throw error;
    }
    this.docVersion = version;
    return applied;
  }

  private applyIncremental(range: { start: Position; end: Position }, text: string): TextChange {
    const ordered =
      range.start.line > range.end.line ||
      (range.start.line === range.end.line && range.start.character > range.end.character)
        ? { start: range.end, end: range.start }
        : range;
    const startOffset = this.offsetAt(ordered.start);
    const endOffset = Math.max(startOffset, this.offsetAt(ordered.end));
    // The lines the offsets fall on (the positions may name lines past the end).
    const startLine = this.lineOffsets ? lineAt(this.lineOffsets, startOffset) : 0;
    const endLine = this.lineOffsets ? lineAt(this.lineOffsets, endOffset) : 0;
    this.replace(startOffset, endOffset, text);
    const change = { start: startOffset, end: endOffset, newLength: text.length };
    const insertedEnd = startOffset + text.length;
    const crlfAtStart = this.charCodeAt(startOffset - 1) === 13 && this.charCodeAt(startOffset) === 10;
    const crlfAtEnd = this.charCodeAt(insertedEnd - 1) === 13 && this.charCodeAt(insertedEnd) === 10;
    if (crlfAtStart || crlfAtEnd || !this.lineOffsets) {
      // A CRLF pair across an edit boundary is not in the inserted text's line offsets.
      this.lineOffsets = undefined;
      return change;
    }
    let lineOffsets = this.lineOffsets;
    const added = computeLineOffsets(text, false, startOffset);
    if (endLine - startLine === added.length) {
      lineOffsets.set(added, startLine + 1);
    } else {
      const next = new Uint32Array(lineOffsets.length - (endLine - startLine) + added.length);
      next.set(lineOffsets.subarray(0, startLine + 1));
      next.set(added, startLine + 1);
      next.set(lineOffsets.subarray(endLine + 1), startLine + 1 + added.length);
      this.lineOffsets = lineOffsets = next;
    }
    const diff = text.length - (endOffset - startOffset);
    if (diff !== 0)
      for (let i = startLine + 1 + added.length; i < lineOffsets.length; i++) lineOffsets[i] = lineOffsets[i]! + diff;
    return change;
  }

  /** Replaces [start, end) with `text` by splitting pieces (substrings share the parent's memory). */
  private replace(start: number, end: number, text: string): void {
    const next: string[] = [];
    let at = 0;
    let inserted = false;
    for (const piece of this.pieces) {
      const pieceEnd = at + piece.length;
      if (pieceEnd <= start || at >= end) {
        if (at >= end && !inserted) {
          if (text) next.push(text);
          inserted = true;
        }
        if (piece) next.push(piece);
      } else {
        if (start > at) next.push(piece.slice(0, start - at));
        if (!inserted) {
          if (text) next.push(text);
          inserted = true;
        }
        if (end < pieceEnd) next.push(piece.slice(end - at));
      }
      at = pieceEnd;
    }
    if (!inserted && text) next.push(text);
    this.pieces = next.length > 0 ? next : [''];
    this.textLength += text.length - (end - start);
    // Many pieces make every read slower: join them (a full copy, so not on every keystroke).
    if (this.pieces.length > 64) this.getText();
  }

  private getLineOffsets(): Uint32Array {
    this.lineOffsets ??= computeLineOffsets(this.getText(), true, 0);
    return this.lineOffsets;
  }

  private ensureBeforeEOL(offset: number, lineOffset: number): number {
    while (offset > lineOffset && isEOL(this.charCodeAt(offset - 1))) offset--;
    return offset;
  }
}

/** A change as read from the client: text, and a range of two positions or none (the whole text). */
interface CheckedChange {
  text: string;
  range: { start: Position; end: Position } | null;
}

function readChange(change: TextDocumentContentChangeEvent): CheckedChange {
  const c = change as { text?: unknown; range?: unknown } | null;
  if (typeof c !== 'object' || c === null || typeof c.text !== 'string')
    throw new TypeError('a content change needs a text string');
  if (!('range' in c) || c.range === undefined) return { text: c.text, range: null };
  const range = c.range as { start?: unknown; end?: unknown } | null;
  if (typeof range !== 'object' || range === null)
    throw new TypeError('a content change range needs a start and an end position');
  return { text: c.text, range: { start: readPosition(range.start), end: readPosition(range.end) } };
}

/** A position of two finite numbers (fractions rounded down); anything else throws. */
function readPosition(p: unknown): Position {
  const q = p as { line?: unknown; character?: unknown } | null;
  if (typeof q !== 'object' || q === null || !isNumber(q.line) || !isNumber(q.character)) {
    throw new TypeError('a position needs a numeric line and character');
  }
  return { line: Math.floor(q.line), character: Math.floor(q.character) };
}

function isNumber(n: unknown): n is number {
  return typeof n === 'number' && !Number.isNaN(n);
}

/** The line an offset is on: the last line starting at or before it. */
function lineAt(lineOffsets: Uint32Array, offset: number): number {
  let low = 0;
  let high = lineOffsets.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (lineOffsets[mid]! > offset) high = mid;
    else low = mid + 1;
  }
  return Math.max(0, low - 1);
}

function isEOL(c: number): boolean {
  return c === 13 || c === 10;
}

/** Line start offsets as TextDocument computes them (\n, \r\n and \r end a line). */
function computeLineOffsets(text: string, isAtLineStart: boolean, textOffset: number): Uint32Array {
  const first = isAtLineStart ? 1 : 0;
  if (text.indexOf('\r') === -1) {
    // The usual case, with the string search (memchr) instead of a loop over every character.
    let count = first;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
    const out = new Uint32Array(count);
    let k = 0;
    if (isAtLineStart) out[k++] = textOffset;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) out[k++] = textOffset + i + 1;
    return out;
  }
  const result: number[] = isAtLineStart ? [textOffset] : [];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (isEOL(ch)) {
      if (ch === 13 && i + 1 < text.length && text.charCodeAt(i + 1) === 10) i++;
      result.push(textOffset + i + 1);
    }
  }
  return Uint32Array.from(result);
}
