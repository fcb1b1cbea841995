/** One YAML document of a multi-document text. */
export interface DocumentSlice {
  index: number;
  startOffset: number;
  endOffset: number;
  startLine: number;
  text: string;
}

/** Splits a multi-document YAML text at document markers (`---` / `...` at column 0), so the language server can re-analyze only the slices that changed. analyzeText(whole) must equal the concatenation of analyzeText(slice.text, s, {documentIndexBase: slice.index, lineOffset: slice.startLine}). */
export function splitYamlDocuments(_text: string): DocumentSlice[] {
  throw new Error('not implemented');
}
