import { documentMarkerAt } from '../core/manifest/splitDocuments';
import type { EditableDocument } from './editableDocument';

/** The lines of an open document that hold one YAML document. */
export interface DocumentRegion {
  text: string;
  /** Line of the document's first line in the file. */
  startLine: number;
}

/**
 * The YAML document around `line` of an open document: from the `---` above it (or the line after
 * a `...`, or the first line) to the next marker below it. Read line by line without joining the
 * whole text, and no further than `maxChars` each way (a larger document is not analyzed anyway):
 * a hover costs one document's parse, whatever the size of the file and the state of its analysis.
 */
export function documentAround(doc: EditableDocument, line: number, maxChars: number): DocumentRegion | null {
  const lineCount = doc.lineCount;
  if (!(line >= 0 && line < lineCount)) return null;
  const lineStart = (l: number): number => doc.offsetAt({ line: l, character: 0 });
  const markerAt = (l: number): 'start' | 'end' | null =>
    documentMarkerAt(doc.slice(lineStart(l), lineStart(l) + 4), 0);
  const at = lineStart(line);
  let start = line;
  for (; start > 0; start--) {
    const marker = markerAt(start);
    if (marker === 'start') break;
    if (marker === 'end' && start < line) {
      start++;
      break;
    }
    if (at - lineStart(start) > maxChars) return null;
  }
  let end = line + 1;
  for (; end < lineCount; end++) {
    if (markerAt(end) !== null) break;
    if (lineStart(end) - at > maxChars) return null;
  }
  const from = lineStart(start);
  const to = end < lineCount ? lineStart(end) : doc.length;
  return to - from > maxChars ? null : { text: doc.slice(from, to), startLine: start };
}
