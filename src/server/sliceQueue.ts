import type { DocumentSlice } from '../core/manifest/splitDocuments';

/**
 * The documents of one parallel analysis run. Workers take batches from the front, the main
 * thread takes one document at a time from the back, so both meet in the middle. A batch stays
 * `taken` until its worker answers: when the queue runs dry, the main thread does the taken
 * batches too rather than wait. Once closed (the run was stopped, or the main thread finished
 * everything), workers take nothing more and late answers are dropped.
 */
export class SliceQueue {
  private front = 0;
  private back: number;
  private readonly taken = new Set<DocumentSlice[]>();
  private closedAs: 'stopped' | 'finished' | null = null;

  constructor(private readonly slices: readonly DocumentSlice[]) {
    this.back = slices.length;
  }

  get isEmpty(): boolean {
    return this.front >= this.back;
  }

  /** True once the run was stopped (a newer version exists): nothing more is done. */
  get stopped(): boolean {
    return this.closedAs === 'stopped';
  }

  /** True once the run is over, stopped or finished: answers arriving now are not wanted. */
  get closed(): boolean {
    return this.closedAs !== null;
  }

  /** The next batch for a worker, up to `maxChars` of text (at least one document); null when none is left or the queue is closed. */
  takeBatch(maxChars: number): DocumentSlice[] | null {
    if (this.closed || this.isEmpty) return null;
    const batch: DocumentSlice[] = [];
    let chars = 0;
    while (this.front < this.back && chars < maxChars) {
      const s = this.slices[this.front++];
      batch.push(s);
      chars += s.text.length;
    }
    this.taken.add(batch);
    return batch;
  }

  /** A worker answered for `batch`. */
  answered(batch: DocumentSlice[]): void {
    this.taken.delete(batch);
  }

  /** The last document not yet taken, for the main thread. */
  takeLast(): DocumentSlice | undefined {
    return this.closed || this.isEmpty ? undefined : this.slices[--this.back];
  }

  /** The batches workers took and have not answered (a failed worker's batch stays here). */
  unanswered(): DocumentSlice[][] {
    return [...this.taken];
  }

  stop(): void {
    this.closedAs = 'stopped';
  }

  finish(): void {
    if (!this.closedAs) this.closedAs = 'finished';
  }
}
