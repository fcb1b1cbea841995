import type { Diagnostic } from 'vscode-languageserver/node';
import { analyzeText, mayContainKubernetes, type SkippedDocument } from '../core/analyze';
import { splitYamlDocuments, type DocumentSlice } from '../core/documents';
import type { AnalysisSettings, Finding } from '../core/types';
import { toDiagnostics } from './diagnostics';

/** Findings of one YAML document, with ranges relative to the document's first line. */
export interface SliceResult {
  findings: Finding[];
  skipped: SkippedDocument[];
  diagnostics: Diagnostic[];
}

/** The analysis of one version of a text: its documents and their results, index for index. */
export interface AnalysisSnapshot {
  version: number;
  slices: DocumentSlice[];
  results: SliceResult[];
}

/** Called between chunks of work; resolves false when the run must stop (a newer version exists). */
export type Checkpoint = () => Promise<boolean>;

const EMPTY: SliceResult = { findings: [], skipped: [], diagnostics: [] };

/**
 * Incremental analysis of one open document. Results are cached per YAML document, keyed by
 * the document's text, so an edit re-analyzes only the documents whose text changed; the others
 * keep their findings and only shift by line. Syntax trees are never kept, only findings.
 */
export class DocumentAnalysis {
  private cache = new Map<string, SliceResult>();
  private settingsKey: string | null = null;
  private latest: AnalysisSnapshot | null = null;

  /** The last complete analysis, if it is of `version`. */
  snapshotFor(version: number): AnalysisSnapshot | null {
    return this.latest?.version === version ? this.latest : null;
  }

  /**
   * Analyzes `text`, reusing cached documents. With a checkpoint, yields between chunks of
   * `chunkMs` and returns null when told to stop (work done so far stays cached).
   */
  async analyze(
    text: string,
    version: number,
    settings: AnalysisSettings,
    settingsKey: string,
    checkpoint?: Checkpoint,
    chunkMs = 20,
  ): Promise<AnalysisSnapshot | null> {
    if (settingsKey !== this.settingsKey) {
      this.cache = new Map();
      this.settingsKey = settingsKey;
    }
    if (!mayContainKubernetes(text)) {
      this.cache = new Map();
      return (this.latest = { version, slices: [], results: [] });
    }
    const slices = splitYamlDocuments(text);
    const results: SliceResult[] = new Array(slices.length);
    const next = new Map<string, SliceResult>();
    let chunkStart = performance.now();
    for (let i = 0; i < slices.length; i++) {
      const slice = slices[i];
      let result = next.get(slice.text) ?? this.cache.get(slice.text);
      if (!result) result = analyzeSlice(slice, settings);
      next.set(slice.text, result);
      results[i] = result;
      if (checkpoint && performance.now() - chunkStart > chunkMs) {
        if (!(await checkpoint())) {
          for (const [key, value] of next) this.cache.set(key, value);
          return null;
        }
        chunkStart = performance.now();
      }
    }
    this.cache = next;
    return (this.latest = { version, slices, results });
  }
}

function analyzeSlice(slice: DocumentSlice, settings: AnalysisSettings): SliceResult {
  const analysis = analyzeText(slice.text, settings, { documentIndexBase: slice.index });
  if (analysis.findings.length === 0 && analysis.skipped.length === 0) return EMPTY;
  return { findings: analysis.findings, skipped: analysis.skipped, diagnostics: toDiagnostics(analysis.findings, analysis.skipped) };
}

/** Index of the slice that contains `line`, or -1. */
export function sliceAtLine(slices: readonly DocumentSlice[], line: number): number {
  let lo = 0;
  let hi = slices.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (slices[mid].startLine <= line) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}
