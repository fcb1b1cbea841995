/**
 * The bytes of one CLI input (a file, a named pipe, a device or standard input), never more than
 * MAX_INPUT_BYTES: a regular file over the limit is refused before it is read; anything else is
 * read until the limit is passed, then closed. Every failure is an InputError with one sentence.
 */
import type { ReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { MAX_INPUT_BYTES, MAX_INPUT_TEXT } from '../shared/inputLimits';

/** A path (file, FIFO, device) or an already open stream (standard input). */
export type InputSource = { path: string } | { stdin: AsyncIterable<Uint8Array> };

/** What a command reads, for the words of its messages and how strictly its text is judged. */
export interface InputKind {
  /** e.g. "a YAML manifest" */
  noun: string;
  /** what to pass instead of a binary file, e.g. "pass a YAML file" */
  pass: string;
  /** what to do with an input over the limit */
  tooLarge: string;
  /** strict: NUL or invalid text refuses the input; lenient: only input that is mostly not text (TextInputDecoder) */
  policy: 'strict' | 'lenient';
}

/** An input that cannot be used; the message completes "<input>: …" and says what to do. */
export class InputError extends Error {}

/** An errno in words, with what to do. */
export function errnoText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or folder; check the path';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied; check the file permissions';
    case 'EISDIR':
      return 'is a folder';
    case 'ELOOP':
      return 'too many symbolic links; check the link target';
    case 'ENXIO':
      return 'is a socket or a device without a reader; pass a file';
    default:
      return `${e instanceof Error ? e.message : String(e)}`;
  }
}

export function tooLargeText(kind: InputKind): string {
  return `is larger than ${MAX_INPUT_TEXT}, the most oomscope reads from one input; ${kind.tooLarge}`;
}

async function openChunks(path: string, kind: InputKind, limit: number): Promise<ReadStream> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    throw new InputError(`cannot read: ${errnoText(e)}`);
  }
  let problem: string | null = null;
  try {
    const st = await handle.stat();
    if (st.isDirectory()) problem = 'is a folder; pass a file, or - for standard input';
    else if (st.isFile() && st.size > limit) problem = tooLargeText(kind);
    else if (!st.isFile() && !st.isFIFO() && !st.isCharacterDevice())
      problem = 'is not a file, a pipe or a device; pass a file, or - for standard input';
  } catch (e) {
    problem = `cannot read: ${errnoText(e)}`;
  }
  if (problem !== null) {
    await handle.close().catch(() => undefined);
    throw new InputError(problem);
  }
  // FIFOs too, for process substitution (oomscope lint <(helm template chart/)); the stream closes the handle.
  return handle.createReadStream({ highWaterMark: 1 << 20 });
}

/**
 * The input's bytes, chunk by chunk. Throws InputError when it cannot be opened or read, and as
 * soon as more than `limit` bytes have arrived (the source is closed then: an endless pipe ends here).
 */
export async function* inputChunks(
  source: InputSource,
  kind: InputKind,
  limit = MAX_INPUT_BYTES,
): AsyncGenerator<Uint8Array> {
  const chunks = 'stdin' in source ? source.stdin : await openChunks(source.path, kind, limit);
  let total = 0;
  try {
    for await (const chunk of chunks) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      total += bytes.length;
      if (total > limit) throw new InputError(tooLargeText(kind));
      yield bytes;
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`cannot read: ${errnoText(e)}`);
  } finally {
    if ('destroy' in chunks && typeof chunks.destroy === 'function') (chunks as ReadStream).destroy();
  }
}
