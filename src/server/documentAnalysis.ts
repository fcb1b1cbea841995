import type { Diagnostic } from 'vscode-languageserver/node';
import { mayContainKubernetes, type SkippedDocument } from '../core/manifest/analyze';
import { oversizedDocument } from '../core/manifest/documentBudget';
import { splitYamlDocuments, type DocumentSlice } from '../core/manifest/splitDocuments';
import type { AnalysisSettings, Finding } from '../core/manifest/findingTypes';
import { analyzeDocument, type AnalysisInput, type AnalysisWorkers, type SliceFindings } from './analysisWorkers';
import { toDiagnostics } from './diagnostics';
import type { TextChange } from './documentStore';
import { describeError, type Logger } from './errors';
import type { ObservationSnapshot, WorkloadKey } from './observations';
import { SliceQueue } from './sliceQueue';

/** Findings of one YAML document, with ranges relative to the document's first line. */
export interface SliceResult {
  findings: Finding[];
  skipped: SkippedDocument[];
  diagnostics: Diagnostic[];
  /** Objects with a pod spec in the document (none: nothing to hover). */
  objects: number;
  /** Those objects as the manifest names them, and the digest of their observations when analyzed. */
  workloads: WorkloadKey[];
  observedDigest: string;
  /** The diagnostics moved to file lines, for the last line the document started at. */
  placed?: { line: number; diagnostics: Diagnostic[] };
}

/** The analysis of one version of a text: its documents and their results, index for index. */
export interface AnalysisSnapshot {
  version: number;
  slices: DocumentSlice[];
  results: SliceResult[];
}

/** The text to analyze: a string, or an open document read piece by piece (see EditableDocument). */
export interface TextSource {
  readonly length: number;
  slice(start: number, end: number): string;
  getText(): string;
}

/** Called between chunks of work; resolves false when the run must stop (a newer version exists). */
export type Checkpoint = () => Promise<boolean>;

const EMPTY: SliceResult = {
  findings: [],
  skipped: [],
  diagnostics: [],
  objects: 0,
  workloads: [],
  observedDigest: '',
};

/** What a run reads besides the text: the document's settings and the observations of this run. */
export interface RunInput {
  settings: AnalysisSettings;
  observations: ObservationSnapshot;
}

/** A kept result is still true when the observations of its workloads are those it was analyzed with. */
function fresh(r: SliceResult | undefined, obs: ObservationSnapshot): SliceResult | undefined {
  return r && (r.workloads.length === 0 || obs.digestOf(r.workloads) === r.observedDigest) ? r : undefined;
}

function inputOf(run: RunInput): AnalysisInput {
  return {
    settings: run.settings,
    observed: run.observations.observed,
    defaultNamespace: run.observations.defaultNamespace,
  };
}
/** Below this much text to (re-)analyze, a worker thread (12-25 MB, 0.1-1 s to start) costs more than it saves (and breaks the RSS budget of 100 MB + 10x the file). */
export const PARALLEL_MIN_CHARS = 4 << 20;
/** Largest batch of text sent to a worker at once. */
const BATCH_CHARS = 256 * 1024;
/** An edit touching more text than this goes through the full (yielding, parallel) path. */
const INCREMENTAL_MAX_CHARS = 1 << 20;
const MAX_LOGGED_CHANGES = 5_000;

/**
 * Incremental analysis of one open document. After an edit, only the YAML documents around the
 * edited offsets are split and analyzed again; the others keep their findings and shift by line.
 * Without edit offsets (open, whole-text change, settings change) results are reused by document
 * text. Syntax trees are never kept, only findings.
 */
export class DocumentAnalysis {
  /** Results of runs that were stopped, by document text, for the next run to reuse. */
  private partial = new Map<string, SliceResult>();
  private settingsKey: string | null = null;
  private latest: AnalysisSnapshot | null = null;
  /** Edits since (and a little before) the latest snapshot, in the order applied. */
  private changes: { version: number; change: TextChange }[] = [];

  constructor(
    private readonly workers?: AnalysisWorkers,
    private readonly parallelMinChars = PARALLEL_MIN_CHARS,
    /** Where a failed worker is reported (its documents are then analyzed on the main thread). */
    private readonly log?: Logger,
  ) {}

  /** The last complete analysis, if it is of `version`. */
  snapshotFor(version: number): AnalysisSnapshot | null {
    return this.latest?.version === version ? this.latest : null;
  }

  /** Records the edits that produced `version` (offsets in the text before each edit). */
  recordChanges(version: number, changes: TextChange[]): void {
    for (const change of changes) this.changes.push({ version, change });
    if (this.changes.length > MAX_LOGGED_CHANGES) this.changes = [{ version, change: null }];
  }

  /**
   * Analyzes `text` of `version`. With a checkpoint, yields between chunks of `chunkMs` and
   * returns null when told to stop (work done so far is kept for the next run).
   */
  async analyze(
    source: string | TextSource,
    version: number,
    run: RunInput,
    settingsKey: string,
    checkpoint?: Checkpoint,
    chunkMs = 20,
  ): Promise<AnalysisSnapshot | null> {
    if (settingsKey !== this.settingsKey) {
      this.partial = new Map();
      this.latest = null;
      this.settingsKey = settingsKey;
    }
    const incremental = this.incremental(source, version, run);
    if (incremental) return incremental;
    // The same version again (observations changed): its documents are those of the last snapshot, not split again.
    const same = this.latest?.version === version ? this.latest : null;
    let slices: DocumentSlice[];
    if (same) slices = same.slices;
    else {
      const text = typeof source === 'string' ? source : source.getText();
      if (!mayContainKubernetes(text)) return this.complete({ version, slices: [], results: [] });
      slices = splitYamlDocuments(text);
    }
    const known = this.knownResults(run.observations);
    const input = inputOf(run);
    const next = new Map<string, SliceResult>();
    const stop = (): null => {
      for (const [key, value] of next) this.partial.set(key, value);
      return null;
    };
    if (this.workers && checkpoint) {
      const done = await this.analyzeInParallel(slices, run, known, next, this.workers, checkpoint, chunkMs);
      if (!done) return stop();
    }
    const results: SliceResult[] = new Array(slices.length);
    let chunkStart = performance.now();
    for (let i = 0; i < slices.length; i++) {
      const slice = slices[i];
      let result = next.get(slice.text) ?? known(slice.text);
      if (!result) result = sliceResult(analyzeDocument(slice.text, slice.index, input), run.observations);
      next.set(slice.text, result);
      results[i] = result;
      if (checkpoint && performance.now() - chunkStart > chunkMs) {
        if (!(await checkpoint())) return stop();
        chunkStart = performance.now();
      }
    }
    return this.complete({ version, slices, results });
  }

  /**
   * The analysis of `version` when it is at hand without reading the whole text: the last one, or
   * one derived from it by analyzing only the documents around the edits since. Else null (the
   * full analysis is the scheduler's, which yields): requests answer within their time this way.
   */
  cheapSnapshot(
    source: string | TextSource,
    version: number,
    run: RunInput,
    settingsKey: string,
  ): AnalysisSnapshot | null {
    const ready = this.snapshotFor(version);
    if (ready || settingsKey !== this.settingsKey) return ready;
    return this.incremental(source, version, run);
  }

  /**
   * After an edit only the text around it is read (the rest keeps its results). Without
   * Kubernetes objects before the edit there are no results to keep: the whole text is checked.
   */
  private incremental(source: string | TextSource, version: number, run: RunInput): AnalysisSnapshot | null {
    const incremental = this.analyzeEdits(typeof source === 'string' ? stringSource(source) : source, version, run);
    if (!incremental) return null;
    // Same answer as the whole-text test (documents split at line starts), usually from the first document.
    if (!mayContainKubernetes(incremental.slices.map((s) => s.text)))
      return this.complete({ version, slices: [], results: [] });
    return this.complete(incremental);
  }

  /**
   * True when the latest snapshot keeps a document whose observations changed since it was analyzed: an edit analyzes
   * only the documents around it and leaves the others to a follow-up run (the keystroke never waits for them).
   */
  hasStale(obs: ObservationSnapshot): boolean {
    return this.latest?.results.some((r) => !fresh(r, obs)) ?? false;
  }

  private complete(snapshot: AnalysisSnapshot): AnalysisSnapshot {
    this.latest = snapshot;
    this.partial = new Map();
    this.changes = this.changes.filter((c) => c.version > snapshot.version);
    return snapshot;
  }

  /** Lookup of results by document text: stopped runs first, then the latest snapshot; only those still true. */
  private knownResults(obs: ObservationSnapshot): (text: string) => SliceResult | undefined {
    const latest = this.latest;
    let byText: Map<string, SliceResult> | null = null;
    return (text) => {
      const hit = fresh(this.partial.get(text), obs);
      if (hit || !latest) return hit;
      if (!byText) {
        byText = new Map();
        latest.slices.forEach((s, i) => byText!.set(s.text, latest.results[i]));
      }
      return fresh(byText.get(text), obs);
    };
  }

  /**
   * The snapshot of `version` derived from the latest one and the edits since, re-splitting and
   * re-analyzing only the documents around the edits; null when that is not possible.
   */
  private analyzeEdits(text: TextSource, version: number, run: RunInput): AnalysisSnapshot | null {
    const base = this.latest;
    if (!base || base.slices.length === 0 || base.version >= version) return null;
    const edits = this.changes.filter((c) => c.version > base.version);
    if (edits.length === 0 || edits.some((e) => e.change === null)) return null;
    let from = Infinity;
    let to = -Infinity;
    let delta = 0;
    for (const { change } of edits) {
      const { start, end, newLength } = change!;
      const grow = newLength - (end - start);
      const moved = to <= start ? to : to >= end ? to + grow : start + newLength;
      from = Math.min(from, start);
      to = Math.max(moved, start + newLength);
      delta += grow;
    }
    const slices = base.slices;
    const oldLength = slices[slices.length - 1].endOffset;
    if (text.length !== oldLength + delta || to - delta < from) return null;
    let first = Math.max(0, sliceAtOffset(slices, Math.max(0, from - 1)) - 1);
    let last = Math.min(slices.length - 1, sliceAtOffset(slices, Math.min(oldLength, to - delta + 1)) + 1);
    if (first < 0) first = 0;
    if (last < first) last = first;
    const regionStart = slices[first].startOffset;
    const regionEnd = slices[last].endOffset + delta;
    if (regionEnd <= regionStart || regionEnd - regionStart > INCREMENTAL_MAX_CHARS) return null;
    const region = detached(text.slice(regionStart, regionEnd));
    const regionSlices = splitYamlDocuments(region);
    const old = new Map<string, SliceResult>();
    for (let i = first; i <= last; i++) old.set(slices[i].text, base.results[i]);

    const nextSlices: DocumentSlice[] = [];
    const results: SliceResult[] = [];
    const obs = run.observations;
    const input = inputOf(run);
    // Documents outside the region keep their text (it has not changed), so the new text is only read in the region.
    // They keep their results too, even when their observations changed since (a stopped refresh's result is taken
    // when there is one): the keystroke's diagnostics never wait for a refresh; hasStale() tells the scheduler to
    // run the rest after them.
    const add = (
      startOffset: number,
      endOffset: number,
      startLine: number,
      kept: SliceResult | null,
      t: string,
    ): void => {
      const index = nextSlices.length;
      nextSlices.push({ index, startOffset, endOffset, startLine, text: t });
      results.push(
        kept
          ? (fresh(kept, obs) ?? fresh(this.partial.get(t), obs) ?? kept)
          : (fresh(old.get(t), obs) ??
              fresh(this.partial.get(t), obs) ??
              sliceResult(analyzeDocument(t, index, input), obs)),
      );
    };
    for (let i = 0; i < first; i++)
      add(slices[i].startOffset, slices[i].endOffset, slices[i].startLine, base.results[i], slices[i].text);
    const regionLine = slices[first].startLine;
    for (const r of regionSlices)
      add(regionStart + r.startOffset, regionStart + r.endOffset, regionLine + r.startLine, null, r.text);
    if (last + 1 < slices.length) {
      const lineShift = regionLine + countLineBreaks(region) - slices[last + 1].startLine;
      for (let i = last + 1; i < slices.length; i++) {
        const s = slices[i];
        add(s.startOffset + delta, s.endOffset + delta, s.startLine + lineShift, base.results[i], s.text);
      }
    }
    return { version, slices: nextSlices, results };
  }

  /**
   * When much text is not cached, analyzes it on the worker threads and on this thread at once:
   * the workers take batches from the front of the queue, this thread takes documents one by one
   * from the back (yielding every `chunkMs`), until they meet. Results go into `next`.
   * Returns false when told to stop; on a worker failure leaves the rest to the caller's loop.
   */
  private async analyzeInParallel(
    slices: DocumentSlice[],
    run: RunInput,
    known: (text: string) => SliceResult | undefined,
    next: Map<string, SliceResult>,
    workers: AnalysisWorkers,
    checkpoint: Checkpoint,
    chunkMs: number,
  ): Promise<boolean> {
    const missing: DocumentSlice[] = [];
    const seen = new Set<string>();
    let chars = 0;
    for (const slice of slices) {
      // A document too large to analyze is skipped at once, here (copying it to a worker would cost more).
      if (seen.has(slice.text) || known(slice.text) || oversizedDocument(slice.text)) continue;
      seen.add(slice.text);
      missing.push(slice);
      chars += slice.text.length;
    }
    if (chars < this.parallelMinChars) return true;
    // This thread is one of the analysers: with N cores, N - 1 workers.
    const slots = Math.max(1, workers.size - 1);
    const batchChars = Math.max(16 * 1024, Math.min(BATCH_CHARS, Math.ceil(chars / (8 * (slots + 1)))));
    const queue = new SliceQueue(missing);
    const input = inputOf(run);
    const analyzeHere = (s: DocumentSlice): void => {
      if (!next.has(s.text)) next.set(s.text, sliceResult(analyzeDocument(s.text, s.index, input), run.observations));
    };
    const drive = async (slot: number): Promise<void> => {
      // A starting worker is slow (loading, cold code): its first batch is small.
      let limit = Math.min(batchChars, 32 * 1024);
      for (let batch = queue.takeBatch(limit); batch; batch = queue.takeBatch(limit)) {
        limit = batchChars;
        const found = await workers.run(
          slot,
          batch.map((s) => ({ text: s.text, index: s.index })),
          input,
        );
        queue.answered(batch);
        if (!queue.closed) batch.forEach((s, k) => next.set(s.text, sliceResult(found[k], run.observations)));
      }
    };
    // A failed worker takes no more batches; its batch stays unanswered and this thread does it.
    const remote = Array.from({ length: slots }, (_, slot) =>
      drive(slot).catch((e: unknown) => {
        this.log?.warn(
          `analysis worker ${slot} failed (${describeError(e)}); its documents are analyzed on the main thread`,
        );
      }),
    );
    let chunkStart = performance.now();
    const tick = async (): Promise<void> => {
      if (performance.now() - chunkStart <= chunkMs) return;
      if (!(await checkpoint())) queue.stop();
      chunkStart = performance.now();
    };
    for (let s = queue.takeLast(); s; s = queue.takeLast()) {
      analyzeHere(s);
      await tick();
    }
    // The queue is empty: rather than wait for a worker still busy (or still starting), do its batch here too.
    for (const batch of queue.unanswered()) {
      for (const s of batch) {
        if (queue.stopped) break;
        analyzeHere(s);
        await tick();
      }
    }
    queue.finish();
    void Promise.all(remote);
    if (!queue.stopped && !(await checkpoint())) queue.stop();
    return !queue.stopped;
  }
}

/**
 * A copy of `s` that does not keep alive the whole text it was cut from (V8 substrings point
 * into their parent): the documents of an edited region outlive many versions of the file.
 */
function detached(s: string): string {
  return (' ' + s).slice(1);
}

function stringSource(text: string): TextSource {
  return { length: text.length, slice: (start, end) => text.slice(start, end), getText: () => text };
}

function sliceResult(found: SliceFindings, obs: ObservationSnapshot): SliceResult {
  if (found.findings.length === 0 && found.skipped.length === 0 && found.objects === 0) return EMPTY;
  return {
    findings: found.findings,
    skipped: found.skipped,
    diagnostics: toDiagnostics(found.findings, found.skipped),
    objects: found.objects,
    workloads: found.workloads,
    observedDigest: obs.digestOf(found.workloads),
  };
}

/** Index of the slice that contains `line`, or -1. */
export function sliceAtLine(slices: readonly DocumentSlice[], line: number): number {
  return lastStartingAtOrBefore(slices, (s) => s.startLine, line);
}

/** Index of the slice that contains `offset` (the last one for the end of the text). */
function sliceAtOffset(slices: readonly DocumentSlice[], offset: number): number {
  return Math.max(
    0,
    lastStartingAtOrBefore(slices, (s) => s.startOffset, offset),
  );
}

/** Binary search over slices in order: the last whose start is ≤ `at`, or -1. */
function lastStartingAtOrBefore(
  slices: readonly DocumentSlice[],
  start: (s: DocumentSlice) => number,
  at: number,
): number {
  let lo = 0;
  let hi = slices.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (start(slices[mid]) <= at) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/** Line breaks as the document splitter counts them (\r\n, \r, \n). */
function countLineBreaks(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) n++;
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) n++;
  }
  return n;
}
