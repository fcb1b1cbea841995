/**
 * One CLI input as text (`lint`, `--psi`) or as lines (`analyze-log --kernel-log`): bounded bytes
 * (inputBytes), one decoder (inputDecode), capped lines (inputLines). Path and stdin take the same road.
 */
import { inputChunks, type InputKind, type InputSource } from './inputBytes';
import { TextInputDecoder } from './inputDecode';
import { LineSplitter, type Line } from './inputLines';

/** The whole input as text; throws InputError. */
export async function readInputText(source: InputSource, kind: InputKind): Promise<string> {
  const decoder = new TextInputDecoder(kind);
  const parts: string[] = [];
  for await (const chunk of inputChunks(source, kind)) parts.push(decoder.push(chunk));
  parts.push(decoder.end());
  return parts.join('');
}

/** The input's lines, a batch per chunk read; a line over MAX_LINE_CHARS is null. Throws InputError. */
export async function* inputLines(source: InputSource, kind: InputKind): AsyncGenerator<Line[]> {
  const decoder = new TextInputDecoder(kind);
  const lines = new LineSplitter();
  for await (const chunk of inputChunks(source, kind)) yield lines.push(decoder.push(chunk));
  yield [...lines.push(decoder.end()), ...lines.end()];
}
