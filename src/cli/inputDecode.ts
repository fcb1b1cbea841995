/**
 * Bytes of one input → text, chunk by chunk, the same for a path and for standard input.
 * The encoding is UTF-8 (a BOM removed) or UTF-16 LE/BE: by its BOM, or without one by the shape of
 * mostly-ASCII text in UTF-16 (what Windows PowerShell's `>` writes). What is not text is named so.
 * - strict (manifests, PSI series): a NUL character means binary; bytes that are not valid UTF-8
 *   or UTF-16 refuse the input, named binary when most of its start is not text.
 * - lenient (kernel logs): invalid bytes become U+FFFD and NULs stay (logs survive crashes with
 *   holes of NULs); only an input whose first 64 Ki characters are mostly not text (apart from
 *   NULs), or are all NULs, is refused.
 */
import { SNIFF_BYTES, sniffEncoding, type TextEncodingName } from '../shared/textEncoding';
import { InputError, type InputKind } from './inputBytes';

export { sniffEncoding, type TextEncodingName } from '../shared/textEncoding';

/** Characters (bytes, for strict UTF-8) from the start that judge whether the input is text. */
const JUDGE_CHARS = 64 * 1024;
/** More than this share of characters that are not text (controls other than NUL, U+FFFD) → binary. */
const NOT_TEXT_SHARE = 0.3;
const NOT_TEXT = /[\x01-\x08\x0e-\x1a\x1c-\x1f\x7f\ufffd]/g;
/** Not text either, but judged apart: binary at once when strict, tolerated in holes when lenient. */
const NUL = /\0/g;

function notTextShare(text: string): number {
  return text.length === 0 ? 0 : (text.match(NOT_TEXT)?.length ?? 0) / text.length;
}

/** Push chunks, then end(); each returns the text decoded so far. Throws InputError with the reason. */
export class TextInputDecoder {
  /** Known once the first SNIFF_BYTES (or the whole input) arrived. */
  encoding: TextEncodingName | null = null;
  private head: Uint8Array[] = [];
  private headBytes = 0;
  private decoder: InstanceType<typeof TextDecoder> | null = null;
  /** strict UTF-8: the first JUDGE_CHARS bytes, to tell binary from another encoding on an error */
  private sample: Uint8Array[] = [];
  private sampleBytes = 0;
  /** lenient: characters judged so far, how many of them are NULs, and how many of the others are not text */
  private seen = 0;
  private nuls = 0;
  private notText = 0;

  constructor(private readonly kind: InputKind) {}

  push(chunk: Uint8Array): string {
    if (this.decoder) return this.decode(chunk, false);
    this.head.push(chunk);
    this.headBytes += chunk.length;
    return this.headBytes < SNIFF_BYTES ? '' : this.start(false);
  }

  end(): string {
    const text = this.decoder ? this.decode(new Uint8Array(0), true) : this.start(true);
    if (this.kind.policy === 'lenient' && this.seen < JUDGE_CHARS) this.judge();
    return text;
  }

  private start(final: boolean): string {
    const head = Buffer.concat(this.head);
    this.head = [];
    this.encoding = sniffEncoding(head);
    this.decoder = new TextDecoder(this.encoding, { fatal: this.kind.policy === 'strict' });
    return this.decode(head, final);
  }

  private decode(bytes: Uint8Array, final: boolean): string {
    if (this.kind.policy === 'strict' && this.encoding === 'utf-8' && this.sampleBytes < JUDGE_CHARS) {
      const part = bytes.subarray(0, JUDGE_CHARS - this.sampleBytes);
      this.sample.push(part);
      this.sampleBytes += part.length;
    }
    const strict = this.kind.policy === 'strict';
    // Before decoding, so that random bytes are "NUL bytes" rather than the first invalid sequence.
    if (strict && this.encoding === 'utf-8' && bytes.includes(0)) throw this.nulBytes();
    let text: string;
    try {
      text = this.decoder!.decode(bytes, { stream: !final });
    } catch {
      throw this.undecodable();
    }
    if (strict) {
      if (text.includes('\0')) throw this.nulBytes();
    } else if (this.seen < JUDGE_CHARS) {
      const part = text.slice(0, JUDGE_CHARS - this.seen);
      this.seen += part.length;
      this.nuls += part.match(NUL)?.length ?? 0;
      this.notText += part.match(NOT_TEXT)?.length ?? 0;
      if (this.seen >= JUDGE_CHARS) this.judge();
    }
    return text;
  }

  /** NULs do not count against a log (a crash leaves holes of them), but a log of nothing else is binary. */
  private judge(): void {
    const others = this.seen - this.nuls;
    if (this.seen > 0 && (others === 0 || this.notText / others > NOT_TEXT_SHARE)) throw this.binary();
  }

  private nulBytes(): InputError {
    return new InputError(`is a binary file (it contains NUL bytes), not ${this.kind.noun}; ${this.kind.pass}`);
  }

  private binary(): InputError {
    return new InputError(`is a binary file (most of it is not text), not ${this.kind.noun}; ${this.kind.pass}`);
  }

  private undecodable(): InputError {
    if (this.encoding !== 'utf-8') {
      return new InputError(
        `looks like ${this.encoding === 'utf-16le' ? 'UTF-16LE' : 'UTF-16BE'} text but is cut or damaged (an odd number of bytes, or half a character); save it as UTF-8 and try again`,
      );
    }
    if (notTextShare(new TextDecoder('utf-8').decode(Buffer.concat(this.sample))) > NOT_TEXT_SHARE)
      return this.binary();
    return new InputError(
      'is not UTF-8 or UTF-16 text (another encoding, e.g. Latin-1 or Windows-1252?); save it as UTF-8 and try again',
    );
  }
}
