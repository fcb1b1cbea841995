import type { Diagnostic } from 'vscode-languageserver/node';
import { analyzeText, mayContainKubernetes, type SkippedDocument } from '../core/analyze';
import { splitYamlDocuments, type DocumentSlice } from '../core/documents';
import type { AnalysisSettings, Finding } from '../core/types';
import type { AnalysisWorkers, SliceFindings } from './analysisWorkers';
import { toDiagnostics } from './diagnostics';

/** Findings of one YAML document, with ranges relative to the document's first line. */
export interface SliceResult {
  findings: Finding[];
  skipped: SkippedDocument[];
  diagnostics: Diagnostic[];
  /** The diagnostics moved to file lines, for the last line the document started at. */
  placed?: { line: number; diagnostics: Diagnostic[] };
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
/** Below this much text to (re-)analyze, worker threads cost more than they save. */
const PARALLEL_MIN_CHARS = 1 << 20;
const CHUNK_CHARS = 256 * 1024;

/**
 * Incremental analysis of one open document. Results are cached per YAML document, keyed by
 * the document's text, so an edit re-analyzes only the documents whose text changed; the others
 * keep their findings and only shift by line. Syntax trees are never kept, only findings.
 */
export class DocumentAnalysis {
  private cache = new Map<string, SliceResult>();
  private settingsKey: string | null = null;
  private latest: AnalysisSnapshot | null = null;

  constructor(private readonly workers?: AnalysisWorkers) {}

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
    const next = new Map<string, SliceResult>();
    if (this.workers && checkpoint) {
      const done = await this.analyzeInParallel(slices, settings, next, this.workers, checkpoint);
      if (!done) {
        for (const [key, value] of next) this.cache.set(key, value);
        return null;
      }
    }
    const results: SliceResult[] = new Array(slices.length);
    let chunkStart = performance.now();
    for (let i = 0; i < slices.length; i++) {
      const slice = slices[i];
      let result = next.get(slice.text) ?? this.cache.get(slice.text);
      if (!result) result = sliceResult(analyzeText(slice.text, settings, { documentIndexBase: slice.index }));
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

  /**
   * When much text is not cached, analyzes it on the worker threads, chunk by chunk, into `next`.
   * Returns false when told to stop; on a worker failure leaves the rest to the caller's loop.
   */
  private async analyzeInParallel(
    slices: DocumentSlice[],
    settings: AnalysisSettings,
    next: Map<string, SliceResult>,
    workers: AnalysisWorkers,
    checkpoint: Checkpoint,
  ): Promise<boolean> {
    const missing: DocumentSlice[] = [];
    const seen = new Set<string>();
    let chars = 0;
    for (const slice of slices) {
      if (this.cache.has(slice.text) || seen.has(slice.text)) continue;
      seen.add(slice.text);
      missing.push(slice);
      chars += slice.text.length;
    }
    if (chars < PARALLEL_MIN_CHARS) return true;
    const chunks: DocumentSlice[][] = [];
    let chunk: DocumentSlice[] = [];
    let chunkChars = 0;
    for (const slice of missing) {
      chunk.push(slice);
      chunkChars += slice.text.length;
      if (chunkChars >= CHUNK_CHARS) {
        chunks.push(chunk);
        chunk = [];
        chunkChars = 0;
      }
    }
    if (chunk.length) chunks.push(chunk);
    let cursor = 0;
    let stopped = false;
    const drive = async (slot: number): Promise<void> => {
      while (!stopped && cursor < chunks.length) {
        const mine = chunks[cursor++];
        const found = await workers.run(slot, mine.map((s) => ({ text: s.text, index: s.index })), settings);
        mine.forEach((s, k) => next.set(s.text, sliceResult(found[k])));
        if (!(await checkpoint())) stopped = true;
      }
    };
    try {
      await Promise.all(Array.from({ length: workers.size }, (_, slot) => drive(slot)));
    } catch {
      stopped = false;
      cursor = chunks.length;
    }
    return !stopped;
  }
}

function sliceResult(found: SliceFindings): SliceResult {
  if (found.findings.length === 0 && found.skipped.length === 0) return EMPTY;
  return { findings: found.findings, skipped: found.skipped, diagnostics: toDiagnostics(found.findings, found.skipped) };
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
