import type { Readable } from 'node:stream';

/** How long a message header may stay incomplete, and a body may wait for its rest before a log line. */
export interface FramingWatchOptions {
  stallMs: number;
}

/**
 * The longest header accepted. vscode-jsonrpc's own are two short lines, but its reader also
 * gets past a 1 MB junk header line, so this watch does too; beyond this, the header never ends.
 */
const MAX_HEADER_BYTES = 4 * 1024 * 1024;
const CRLF2 = Buffer.from('\r\n\r\n', 'ascii');

/**
 * Watches the `Content-Length` framing of the LSP messages on a stream (the server's stdin under
 * `--stdio`) beside vscode-jsonrpc's reader. Once the framing is lost (a header without a valid
 * Content-Length, a body shorter than announced, a header that never ends, e.g. with LF-only line
 * breaks) that reader takes every later message for garbage and answers nothing, without a word;
 * this watch calls `onLost` once with what went wrong, so that the server can say so and exit (a
 * client can then start it again). A body still incomplete after `stallMs` only gets `onStall`:
 * the client may be slow. Invalid JSON inside a well-framed message does not lose the framing.
 */
export function watchFraming(
  stream: Readable,
  onLost: (why: string) => void,
  onStall: (why: string) => void,
  options: FramingWatchOptions = { stallMs: 10_000 },
): void {
  let header: Buffer = Buffer.alloc(0);
  let bodyLeft = 0;
  let bodyLength = 0;
  let lost = false;
  let timer: NodeJS.Timeout | null = null;

  const arm = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      if (lost) return;
      if (bodyLeft > 0)
        onStall(
          `a message body has ${bodyLength - bodyLeft} of the ${bodyLength} bytes its Content-Length announced, after ${options.stallMs} ms`,
        );
      else if (header.length > 0)
        lose(`a message header did not end (with \\r\\n\\r\\n) within ${options.stallMs} ms: ${printable(header)}`);
    }, options.stallMs);
    timer.unref();
  };
  const lose = (why: string): void => {
    lost = true;
    if (timer) clearTimeout(timer);
    stream.off('data', listener);
    onLost(why);
  };
  const onData = (chunk: Buffer): void => {
    let data = chunk;
    while (!lost && data.length > 0) {
      if (bodyLeft > 0) {
        const take = Math.min(bodyLeft, data.length);
        bodyLeft -= take;
        data = data.subarray(take);
        continue;
      }
      const joined = header.length > 0 ? Buffer.concat([header, data]) : data;
      const end = joined.indexOf(CRLF2);
      if (end < 0) {
        if (joined.length > MAX_HEADER_BYTES)
          return lose(
            `no end of a message header (\\r\\n\\r\\n) within ${MAX_HEADER_BYTES} bytes: ${printable(joined)}`,
          );
        header = Buffer.from(joined);
        return;
      }
      const length = contentLength(joined.subarray(0, end).toString('ascii'));
      if (typeof length === 'string') return lose(length);
      header = Buffer.alloc(0);
      bodyLeft = bodyLength = length;
      data = joined.subarray(end + CRLF2.length);
    }
  };
  const listener = (chunk: Buffer): void => {
    onData(chunk);
    if (!lost && (bodyLeft > 0 || header.length > 0)) arm();
    else if (timer) {
      clearTimeout(timer);
      timer = null;
    }
  };
  stream.on('data', listener);
}

/** The Content-Length of a header block, or what is wrong with it. */
function contentLength(block: string): number | string {
  let length: number | null = null;
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) return `a message header line is not "Name: value": ${printable(line)}`;
    if (line.slice(0, colon).trim().toLowerCase() !== 'content-length') continue;
    const value = line.slice(colon + 1).trim();
    if (!/^\d+$/.test(value)) return `a message header has Content-Length ${printable(value)}, not a number of bytes`;
    length = Number(value);
  }
  return length ?? `a message header has no Content-Length: ${printable(block)}`;
}

function printable(text: string | Buffer): string {
  const s = (typeof text === 'string' ? text : text.subarray(0, 80).toString('latin1')).slice(0, 80);
  return JSON.stringify(s);
}
