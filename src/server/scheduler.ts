import type { Diagnostic } from 'vscode-languageserver/node';
import type { AnalysisWorkers } from './analysisWorkers';
import { DocumentAnalysis, type AnalysisSnapshot } from './documentAnalysis';
import { snapshotDiagnostics } from './diagnostics';
import type { DocumentStore, TextChange } from './documentStore';
import { describeError, type Logger } from './errors';
import type { ObservationStore } from './observations';
import type { SettingsStore } from './serverSettings';

/** What the scheduler needs from the server around it. */
export interface SchedulerDeps {
  documents: DocumentStore;
  settings: SettingsStore;
  /** Observed usage of workloads (`oomscope/observedWorkloads`), for the cluster-aware rules. */
  observations: ObservationStore;
  log: Logger;
  publish(uri: string, version: number, diagnostics: Diagnostic[]): void;
  /** Minimum quiet time between two analyses of the same document (ms). */
  debounceMs: number;
  /** Worker threads for large analyses (none: everything runs on the main thread). */
  workers?: AnalysisWorkers;
  /** Uncached characters from which a full analysis uses the workers. */
  parallelThresholdChars: number;
}

interface DocumentState {
  analysis: DocumentAnalysis;
  timer: NodeJS.Timeout | null;
  /** Incremented by every run; a run whose id is no longer current stops. */
  runId: number;
  /** When the last run for an edit (or the open) started: the debounce counts from it, not from a refresh's run. */
  lastRunStart: number;
  /** An edit (or the open) is waiting for the next run. */
  edited: boolean;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Decides when each open document is analyzed and publishes its diagnostics. A change is analyzed
 * at once unless a run of the same document started less than `debounceMs` ago; changes in
 * between are coalesced into one run.
 * A run that is overtaken by a newer version stops at its next checkpoint and publishes nothing.
 */
export class DiagnosticsScheduler {
  private readonly states = new Map<string, DocumentState>();

  constructor(private readonly deps: SchedulerDeps) {}

  /**
   * Ask for fresh diagnostics of `uri`: after the open or an edit (debounced), or because settings or observations
   * changed (`edit` false: at once, and a keystroke right after it is not held back by its run).
   */
  schedule(uri: string, edit = true): void {
    const state = this.stateOf(uri);
    if (edit) state.edited = true;
    if (state.timer) return;
    const delay = state.edited ? Math.max(0, state.lastRunStart + this.deps.debounceMs - performance.now()) : 0;
    state.timer = setTimeout(() => {
      state.timer = null;
      void this.run(uri, state);
    }, delay);
  }

  /** Records an edit of `uri` (so only the YAML documents it touched are analyzed again) and schedules it. */
  changed(uri: string, version: number, changes: TextChange[]): void {
    this.stateOf(uri).analysis.recordChanges(version, changes);
    this.schedule(uri);
  }

  /** Re-analyze every open document (settings or observations changed; unchanged documents keep their results). */
  revalidateAll(): void {
    for (const doc of this.deps.documents.all()) this.schedule(doc.uri, false);
  }

  close(uri: string): void {
    const state = this.states.get(uri);
    if (!state) return;
    if (state.timer) clearTimeout(state.timer);
    state.runId++;
    this.states.delete(uri);
    this.deps.publish(uri, -1, []);
  }

  /** The last analysis, if it is of the document's current text (never computed here). */
  latest(uri: string): AnalysisSnapshot | null {
    const doc = this.deps.documents.get(uri);
    return doc ? (this.states.get(uri)?.analysis.snapshotFor(doc.version) ?? null) : null;
  }

  /**
   * The analysis of the document's current text, when it is at hand: the last run's, or derived
   * from it around the edits since (see DocumentAnalysis.cheapSnapshot). Null while a full
   * analysis is still to come (e.g. just after opening a large file): never a whole-file analysis
   * on the spot, which would hold up every request behind it.
   */
  async current(uri: string): Promise<AnalysisSnapshot | null> {
    const doc = this.deps.documents.get(uri);
    if (!doc) return null;
    const state = this.stateOf(uri);
    const ready = state.analysis.snapshotFor(doc.version);
    if (ready) return ready;
    const settings = await this.deps.settings.get(uri);
    const now = this.deps.documents.get(uri);
    if (!now || this.states.get(uri) !== state) return null;
    const run = { settings: settings.value, observations: this.deps.observations.snapshot() };
    return state.analysis.cheapSnapshot(now, now.version, run, settings.key);
  }

  private stateOf(uri: string): DocumentState {
    let state = this.states.get(uri);
    if (!state) {
      state = {
        analysis: new DocumentAnalysis(this.deps.workers, this.deps.parallelThresholdChars, this.deps.log),
        timer: null,
        runId: 0,
        lastRunStart: -Infinity,
        edited: false,
      };
      this.states.set(uri, state);
    }
    return state;
  }

  private async run(uri: string, state: DocumentState): Promise<void> {
    const runId = ++state.runId;
    if (state.edited) state.lastRunStart = performance.now();
    state.edited = false;
    try {
      const settings = await this.deps.settings.get(uri);
      const doc = this.deps.documents.get(uri);
      if (!doc || !this.isCurrent(uri, state, runId)) return;
      const version = doc.version;
      const stillCurrent = (): boolean =>
        this.isCurrent(uri, state, runId) && this.deps.documents.get(uri)?.version === version;
      const checkpoint = async (): Promise<boolean> => {
        await yieldToEventLoop();
        return stillCurrent();
      };
      const run = { settings: settings.value, observations: this.deps.observations.snapshot() };
      const snapshot = await state.analysis.analyze(doc, version, run, settings.key, checkpoint);
      if (!snapshot || !stillCurrent()) return;
      this.deps.publish(uri, version, snapshotDiagnostics(snapshot));
      // An edit analyzed only its region: the documents whose observations changed meanwhile come next, published again.
      if (state.analysis.hasStale(run.observations)) this.schedule(uri, false);
      // Build the line index of a freshly opened document while the user reads, not on the first keystroke.
      setImmediate(() => this.deps.documents.get(uri)?.offsetAt({ line: 0, character: 0 }));
    } catch (error) {
      this.deps.log.error(`analysis of ${uri} failed: ${describeError(error)}`);
    }
  }

  private isCurrent(uri: string, state: DocumentState, runId: number): boolean {
    return state.runId === runId && this.states.get(uri) === state;
  }
}
