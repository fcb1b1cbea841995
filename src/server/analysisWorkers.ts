import { Worker, type MessagePort } from 'node:worker_threads';
import { analyzeText, type SkippedDocument } from '../core/manifest/analyze';
import type { AnalysisSettings, Finding } from '../core/manifest/findingTypes';
import type { ObservedWorkload } from '../core/manifest/observed';
import type { WorkloadKey } from './observations';

/** Marks a worker thread started by {@link AnalysisWorkers} (workerData.role). */
export const ANALYSIS_WORKER_ROLE = 'oomscope-analysis';

/** Heap of one analysis worker: batches of at most 256 KB of documents of at most 256 KiB each need well under this. */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 256 };

/** One YAML document to analyze: its text and its index in the file. */
export interface SliceJob {
  text: string;
  index: number;
}

/** Findings of one job, in the coordinates of its text, and the objects with a pod spec it holds. */
export interface SliceFindings {
  findings: Finding[];
  skipped: SkippedDocument[];
  objects: number;
  /** The objects with a pod spec, as the manifest names them: whose observations the findings read. */
  workloads: WorkloadKey[];
}

/** What an analysis reads besides the text: the settings, and the observed usage of workloads (may be none). */
export interface AnalysisInput {
  settings: AnalysisSettings;
  observed: readonly ObservedWorkload[];
  defaultNamespace: string;
}

interface Request {
  id: number;
  jobs: SliceJob[];
  input: AnalysisInput;
}

interface Reply {
  id: number;
  results?: SliceFindings[];
  error?: string;
}

/** Analyzes one YAML document of a file (what a worker does with each job, and the main thread with the rest). */
export function analyzeDocument(text: string, index: number, input: AnalysisInput): SliceFindings {
  const analysis = analyzeText(text, input.settings, {
    documentIndexBase: index,
    observed: input.observed,
    defaultNamespace: input.defaultNamespace,
  });
  return {
    findings: analysis.findings,
    skipped: analysis.skipped,
    objects: analysis.objects.length,
    workloads: analysis.objects.map((o) => ({ kind: o.kind, name: o.name, namespace: o.namespace })),
  };
}

/** Analyzes a batch in this thread (what every worker does with a request). */
export function analyzeJobs(jobs: readonly SliceJob[], input: AnalysisInput): SliceFindings[] {
  return jobs.map((job) => analyzeDocument(job.text, job.index, input));
}

/** Body of a worker thread: answers each request with the findings of its jobs. */
export function runAnalysisWorker(port: MessagePort): void {
  port.on('message', (request: Request) => {
    try {
      port.postMessage({ id: request.id, results: analyzeJobs(request.jobs, request.input) } satisfies Reply);
    } catch (error) {
      port.postMessage({
        id: request.id,
        error: error instanceof Error ? error.message : String(error),
      } satisfies Reply);
    }
  });
}

/**
 * A small pool of worker threads running the server's own bundle, so that opening a large file
 * uses every core. Workers start on first use and stop after a quiet minute (memory goes back).
 */
export class AnalysisWorkers {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, { resolve: (r: SliceFindings[]) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly script: string,
    readonly size: number,
    private readonly idleMs = 60_000,
  ) {}

  /** Runs one batch on worker `slot` (0 ≤ slot < size). */
  run(slot: number, jobs: SliceJob[], input: AnalysisInput): Promise<SliceFindings[]> {
    const worker = this.worker(slot);
    const id = this.nextId++;
    this.touch();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, jobs, input } satisfies Request);
    });
  }

  dispose(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    // A failed slot is a hole in the array (fail() deletes it): skip it.
    for (const w of this.workers.splice(0)) if (w) void w.terminate();
  }

  private worker(slot: number): Worker {
    let worker = this.workers[slot];
    if (!worker) {
      // A heap cap: a worker that runs out of memory ends with an error (its batch is done on the
      // main thread) instead of aborting the whole server, as a worker without limits does.
      worker = new Worker(this.script, {
        workerData: { role: ANALYSIS_WORKER_ROLE },
        argv: [],
        resourceLimits: WORKER_LIMITS,
      });
      worker.unref();
      worker.on('message', (reply: Reply) => {
        const waiter = this.pending.get(reply.id);
        if (!waiter) return;
        this.pending.delete(reply.id);
        if (reply.results) waiter.resolve(reply.results);
        else waiter.reject(new Error(reply.error ?? 'analysis worker failed'));
      });
      worker.on('error', (error) => this.fail(slot, error));
      worker.on('exit', () => {
        if (this.workers[slot] === worker) delete this.workers[slot];
      });
      this.workers[slot] = worker;
    }
    return worker;
  }

  private fail(slot: number, error: Error): void {
    const worker = this.workers[slot];
    delete this.workers[slot];
    if (worker) void worker.terminate();
    for (const [id, waiter] of this.pending) {
      this.pending.delete(id);
      waiter.reject(error);
    }
  }

  private touch(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.pending.size === 0) this.dispose();
    }, this.idleMs);
    this.idleTimer.unref();
  }
}
