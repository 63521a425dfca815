/**
 * The download engine: one dedicated worker per running download (at most MAX_WORKERS), the private
 * copies in the origin-private file system, and the hand-off of a verified copy as a blob URL of its
 * disk-backed `File` (no copy in memory). It needs a DOM context that may create workers and blob
 * URLs: Chromium's offscreen document, or Firefox's event page; both hosts run this same module.
 * Keeps no decision of its own: the worker compares digests, the manager (background) decides what
 * the user sees and calls the downloads API.
 */
import { OPFS_DIR, checkpointFileName, dataFileName, type EngineCommand, type EngineEvent, type EngineJob, type WorkerEvent } from '../shared/download-engine.js';

/** Workers running at once; more jobs wait here (the manager caps its own queue too). */
export const MAX_WORKERS = 3;
const ID = /^[\w-]{1,64}$/;

interface Running {
  worker: Worker;
  job: EngineJob;
}

export class DownloadEngine {
  private readonly running = new Map<string, Running>();
  private readonly waiting: EngineJob[] = [];
  private readonly urls = new Map<string, string>();

  constructor(
    private readonly emit: (e: EngineEvent) => void,
    private readonly newWorker: () => Worker = () => new Worker(new URL('../workers/download-worker.ts', import.meta.url), { type: 'module' }),
  ) {}

  /** Jobs running or waiting here. */
  activeIds(): string[] {
    return [...this.running.keys(), ...this.waiting.map((j) => j.id)];
  }

  async handle(cmd: EngineCommand): Promise<void> {
    switch (cmd.op) {
      case 'start':
        if (!ID.test(cmd.job.id) || this.running.has(cmd.job.id) || this.waiting.some((j) => j.id === cmd.job.id)) return;
        this.waiting.push(cmd.job);
        this.pump();
        return;
      case 'cancel': {
        const r = this.running.get(cmd.id);
        if (r) r.worker.postMessage({ op: 'cancel' });
        const i = this.waiting.findIndex((j) => j.id === cmd.id);
        if (i >= 0) {
          this.waiting.splice(i, 1);
          this.emit({ op: 'cancelled', id: cmd.id, received: 0 });
        }
        return;
      }
      case 'release':
      case 'discard':
        if (!ID.test(cmd.id)) return;
        this.stop(cmd.id);
        await this.remove(cmd.id);
        return;
      case 'sweep':
        await this.sweep(new Set(cmd.keep));
        return;
    }
  }

  private pump(): void {
    while (this.running.size < MAX_WORKERS && this.waiting.length > 0) {
      const job = this.waiting.shift()!;
      const worker = this.newWorker();
      this.running.set(job.id, { worker, job });
      worker.onmessage = (e: MessageEvent<WorkerEvent>) => void this.onWorker(job.id, e.data);
      worker.onerror = () => void this.onWorker(job.id, { op: 'failed', received: 0, failure: { code: 'INTERNAL_ERROR', reason: 'the download worker stopped', source: 'storage', retryable: true } });
      worker.postMessage({ op: 'start', job });
    }
  }

  private async onWorker(id: string, e: WorkerEvent): Promise<void> {
    if (!this.running.has(id)) return;
    if (e.op === 'progress') {
      this.emit({ ...e, id });
      return;
    }
    this.stop(id);
    if (e.op === 'verified') {
      try {
        const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(OPFS_DIR);
        const file = await (await dir.getFileHandle(dataFileName(id))).getFile();
        // The hand-off is the file the worker hashed: same size, or nothing.
        if (file.size !== e.received) throw new Error('size changed');
        const url = URL.createObjectURL(file);
        this.urls.set(id, url);
        this.emit({ op: 'verified', id, received: e.received, actual: e.actual, blobUrl: url });
      } catch {
        await this.remove(id);
        this.emit({ op: 'failed', id, received: e.received, failure: { code: 'IO_ERROR', reason: 'the verified copy could not be handed to the browser', source: 'storage', retryable: false } });
      }
    } else {
      this.emit({ ...e, id });
    }
    this.pump();
  }

  private stop(id: string): void {
    const r = this.running.get(id);
    if (!r) return;
    this.running.delete(id);
    r.worker.terminate();
    this.pump();
  }

  private async remove(id: string): Promise<void> {
    const url = this.urls.get(id);
    if (url) URL.revokeObjectURL(url);
    this.urls.delete(id);
    try {
      const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(OPFS_DIR, { create: true });
      await dir.removeEntry(dataFileName(id)).catch(() => undefined);
      await dir.removeEntry(checkpointFileName(id)).catch(() => undefined);
    } catch {
      // No private file system: nothing to remove.
    }
  }

  private async sweep(keep: Set<string>): Promise<void> {
    try {
      const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(OPFS_DIR, { create: true });
      const names: string[] = [];
      for await (const name of (dir as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(name);
      for (const name of names) {
        const id = name.replace(/\.(part|ckpt)$/, '');
        if (!keep.has(id) && !this.running.has(id)) await dir.removeEntry(name).catch(() => undefined);
      }
    } catch {
      // Nothing to sweep.
    }
  }
}
