/**
 * Several files at once on several dedicated workers: jobs queue here and each worker takes the next
 * one when it finishes, so a big file and many small ones keep every worker busy. The pool is sized
 * from `navigator.hardwareConcurrency` (bounded), workers start lazily, and `cancel()` terminates them
 * all at once: whatever was reading stops, and every pending job rejects with CANCELLED.
 */
import { ModelSealError, type ErrorCode } from '../core/errors.js';
import type { HashAlgorithm } from '../core/hash/types.js';
import { isHashWorkerReply, type HashJobRequest } from './file-hash-protocol.js';

/** What the pool needs of a Worker (a real one in the page, an in-process one in tests). */
export interface WorkerLike {
  postMessage(message: unknown): void;
  terminate(): void;
  onmessage: ((e: { data: unknown }) => void) | null;
  onerror: ((e: unknown) => void) | null;
}

/** More workers than this gain nothing on disk-bound work and cost memory (each reads 4 MiB ahead). */
export const MAX_POOL_WORKERS = 8;

/**
 * Workers for a machine with `hardwareConcurrency` logical cores: one per core (the page's own
 * thread only relays progress), at most MAX_POOL_WORKERS.
 */
export function poolSize(hardwareConcurrency: number | undefined): number {
  const n = typeof hardwareConcurrency === 'number' && Number.isFinite(hardwareConcurrency) ? Math.floor(hardwareConcurrency) : 2;
  return Math.max(1, Math.min(MAX_POOL_WORKERS, n));
}

export class HashCancelledError extends Error {
  readonly code = 'CANCELLED';
  constructor() {
    super('cancelled');
  }
}

interface Job {
  id: number;
  request: HashJobRequest;
  resolve: (digest: string) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: WorkerLike;
  job?: Job;
}

const KNOWN_CODES: ReadonlySet<string> = new Set<ErrorCode>(['IO_ERROR', 'INTERNAL_ERROR', 'HASH_UNSUPPORTED']);

export class HashPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private cancelled = false;

  constructor(
    private readonly spawn: () => WorkerLike,
    readonly size: number,
    /** Hears every chunk hashed, across all workers (the progress bar). */
    private readonly onBytes: (n: number) => void = () => {},
  ) {
    if (!Number.isSafeInteger(size) || size < 1) throw new RangeError('pool size must be a positive integer');
  }

  /** The hex digest of `file` (or of [range.start, range.end) of it). */
  hash(file: Blob, algorithm: HashAlgorithm, range?: { start: number; end: number }): Promise<string> {
    if (this.cancelled) return Promise.reject(new HashCancelledError());
    return new Promise<string>((resolve, reject) => {
      const id = this.nextId++;
      const request: HashJobRequest = { type: 'hash', id, file, algorithm, ...(range ? { start: range.start, end: range.end } : {}) };
      this.queue.push({ id, request, resolve, reject });
      this.pump();
    });
  }

  /** Workers started so far (at most `size`). */
  get started(): number {
    return this.slots.length;
  }

  /** Stops everything now: workers terminated, queued and running jobs rejected. */
  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    const pending = [...this.queue.splice(0), ...this.slots.flatMap((s) => (s.job ? [s.job] : []))];
    for (const s of this.slots) s.worker.terminate();
    this.slots.length = 0;
    for (const job of pending) job.reject(new HashCancelledError());
  }

  /** Releases the workers once the work is done. */
  close(): void {
    this.cancel();
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => !s.job);
      if (!slot && this.slots.length < this.size) slot = this.startWorker();
      if (!slot) return;
      const job = this.queue.shift() as Job;
      slot.job = job;
      slot.worker.postMessage(job.request);
    }
  }

  private startWorker(): Slot {
    const slot: Slot = { worker: this.spawn() };
    slot.worker.onmessage = (e) => this.onReply(slot, e.data);
    slot.worker.onerror = () => this.onCrash(slot);
    this.slots.push(slot);
    return slot;
  }

  private onReply(slot: Slot, data: unknown): void {
    const job = slot.job;
    if (!job || !isHashWorkerReply(data) || data.id !== job.id) return;
    if (data.type === 'progress') {
      this.onBytes(data.bytes);
      return;
    }
    slot.job = undefined;
    if (data.type === 'done') job.resolve(data.digest);
    else job.reject(new ModelSealError(KNOWN_CODES.has(data.code) ? (data.code as ErrorCode) : 'IO_ERROR', data.message));
    this.pump();
  }

  /** A worker that died (failed to load, out of memory) fails its job and is replaced on demand. */
  private onCrash(slot: Slot): void {
    const job = slot.job;
    slot.worker.terminate();
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    job?.reject(new ModelSealError('IO_ERROR', 'the hashing worker stopped'));
    this.pump();
  }
}
