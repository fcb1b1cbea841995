import type { Position, Range } from './findingTypes';

/** Maps string offsets (UTF-16 code units, as `yaml` node ranges) to LSP positions and back. */
export class LineIndex {
  private readonly starts: number[];

  constructor(
    readonly text: string,
    private readonly lineOffset = 0,
  ) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** 0-based line (without lineOffset) containing the offset. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))]!;
  }

  /** Offset just after the end of the line's content (before its line break). */
  lineEnd(line: number): number {
    if (line + 1 >= this.starts.length) return this.text.length;
    let end = this.starts[line + 1]!;
    if (this.text.charCodeAt(end - 1) === 10) end--;
    if (this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  column(offset: number): number {
    return offset - this.lineStart(this.lineOf(offset));
  }

  /** The position of an offset; one inside a line break (between \r and \n) is the end of that line, as LSP has it. */
  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lineOf(o);
    return { line: line + this.lineOffset, character: Math.min(o, this.lineEnd(line)) - this.starts[line]! };
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }

  /** Offset of a position given in the same coordinates as `position()` returns. */
  offsetAt(p: Position): number {
    const line = p.line - this.lineOffset;
    if (line < 0) return 0;
    if (line >= this.starts.length) return this.text.length;
    return Math.min(this.starts[line]! + p.character, this.lineEnd(line));
  }
}
