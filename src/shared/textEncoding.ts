/**
 * Which text encoding a file's first bytes are in (UTF-8, or UTF-16 LE/BE by BOM or by shape),
 * and a lenient whole-buffer decode with it: shared by the CLI's input decoder (src/cli/inputDecode.ts)
 * and the panel's "Import Kernel OOM Log" file reader, so both read a PowerShell-written UTF-16 log.
 */

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be';

/** Bytes looked at to choose the encoding (fewer only when the input is shorter). */
export const SNIFF_BYTES = 4096;

function isAsciiText(byte: number): boolean {
  return (byte >= 0x20 && byte < 0x7f) || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

/** UTF-16 by a BOM, or by ≥ 80% of the non-zero byte pairs being printable ASCII with a zero high byte; else UTF-8. */
export function sniffEncoding(head: Uint8Array): TextEncodingName {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  let le = 0;
  let be = 0;
  let other = 0;
  const n = Math.min(head.length, SNIFF_BYTES) & ~1;
  for (let i = 0; i < n; i += 2) {
    const a = head[i]!;
    const b = head[i + 1]!;
    if (b === 0 && isAsciiText(a)) le++;
    else if (a === 0 && isAsciiText(b)) be++;
    else if (a !== 0 || b !== 0) other++;
  }
  const nonZero = le + be + other;
  if (nonZero > 0 && le >= 0.8 * nonZero) return 'utf-16le';
  if (nonZero > 0 && be >= 0.8 * nonZero) return 'utf-16be';
  return 'utf-8';
}

/** Bytes → text in the sniffed encoding, BOM removed, invalid bytes as U+FFFD (a log survives damage). */
export function decodeTextLenient(bytes: Uint8Array): string {
  return new TextDecoder(sniffEncoding(bytes)).decode(bytes);
}
