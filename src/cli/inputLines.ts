/**
 * Text chunks → lines, with a cap on the length of one line, so one huge line (a 600 MB run of
 * `a`, /dev/zero) is dropped as it streams instead of being collected into one string.
 * Lines end at \n, \r\n or a lone \r (as node:readline), also when a chunk ends between \r and \n.
 */

/**
 * The longest line kept, in characters. A kernel log line is at most a few KB (a printk record is
 * at most 1 KiB, plus a journal or syslog prefix); a PSI sample line is about 200 characters.
 */
export const MAX_LINE_CHARS = 64 * 1024;

const NEWLINE = /\r\n|\r|\n/g;

/** null stands for a line longer than the cap (its text is not kept), so line numbers stay right. */
export type Line = string | null;

export class LineSplitter {
  private parts: string[] = [];
  private length = 0;
  private tooLong = false;
  /** the last chunk ended with \r: a \n at the start of the next one belongs to it */
  private afterCr = false;

  constructor(private readonly maxChars = MAX_LINE_CHARS) {}

  push(text: string): Line[] {
    const out: Line[] = [];
    let i = 0;
    if (this.afterCr && text.length > 0) {
      this.afterCr = false;
      if (text.charCodeAt(0) === 10) i = 1;
    }
    while (i < text.length) {
      NEWLINE.lastIndex = i;
      const m = NEWLINE.exec(text);
      this.add(text, i, m ? m.index : text.length);
      if (!m) break;
      out.push(this.take());
      i = m.index + m[0].length;
      if (m[0] === '\r' && i === text.length) this.afterCr = true;
    }
    return out;
  }

  /** The last line when the text does not end with a newline. */
  end(): Line[] {
    return this.length > 0 || this.tooLong ? [this.take()] : [];
  }

  private add(text: string, from: number, to: number): void {
    if (this.tooLong || to === from) return;
    if (this.length + (to - from) > this.maxChars) {
      this.tooLong = true;
      this.parts = [];
      this.length = 0;
      return;
    }
    this.parts.push(text.slice(from, to));
    this.length += to - from;
  }

  private take(): Line {
    const line = this.tooLong ? null : this.parts.length === 1 ? this.parts[0]! : this.parts.join('');
    this.parts = [];
    this.length = 0;
    this.tooLong = false;
    return line;
  }
}
