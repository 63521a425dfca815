/**
 * Hashes files on worker threads so several files hash at once on several cores (one JS thread
 * would serialize all `hash.update` calls). Each worker streams a file (or byte range) through
 * `node:crypto` with two buffers, so the next read overlaps hashing of the current chunk. blake3 has no `node:crypto` engine and stays on the main
 * thread (@noble/hashes). Workers are unref'd while idle so they never keep the process alive.
 */
import { Worker } from 'node:worker_threads';
import { ModelSealError } from '../core/errors.js';
import type { ByteRange } from '../core/hash/shards.js';
import type { HashAlgorithm } from '../core/hash/types.js';
import type { DigestSource } from '../core/files/listing.js';
import { hashFile } from './node-hasher.js';

// Plain CommonJS run with `eval: true`: the CLI is a single bundled file with no worker script beside it.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { open } = require('node:fs/promises');
const { constants } = require('node:fs');
const CHUNK = 4 * 1024 * 1024;
async function hash(job) {
  const bufs = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
  // Same rule as node-open.ts: O_NONBLOCK so a FIFO cannot block open(), then fstat the handle.
  const fh = await open(job.path, constants.O_RDONLY | (constants.O_NONBLOCK || 0));
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new Error('not a regular file (' + (st.isFIFO() ? 'a FIFO' : st.isDirectory() ? 'a directory' : 'a special file') + ')');
    const h = createHash(job.alg);
    const end = job.end === undefined ? st.size : job.end;
    let pos = job.start === undefined ? 0 : job.start;
    let which = 0;
    const readAt = (p) => fh.read(bufs[which], 0, Math.min(CHUNK, end - p), p);
    let pending = pos < end ? readAt(pos) : undefined;
    while (pending) {
      const { bytesRead, buffer } = await pending;
      if (bytesRead === 0) break;
      pos += bytesRead;
      which ^= 1;
      // The next read runs on the I/O pool while this chunk is hashed.
      pending = pos < end ? readAt(pos) : undefined;
      h.update(buffer.subarray(0, bytesRead));
    }
    if (pos !== end) throw new Error('file changed while reading (read ' + pos + ' of ' + end + ' bytes)');
    return h.digest('hex');
  } finally {
    await fh.close();
  }
}
parentPort.on('message', (job) => {
  hash(job).then(
    (hex) => parentPort.postMessage({ id: job.id, hex }),
    (e) => parentPort.postMessage({ id: job.id, error: e && e.message ? e.message : String(e) }),
  );
});
`;

interface Job {
  id: number;
  path: string;
  alg: string;
  start?: number;
  end?: number;
  resolve: (hex: string) => void;
  reject: (e: Error) => void;
}

export class HashPool {
  private readonly idle: Worker[] = [];
  private readonly queue: Job[] = [];
  private readonly running = new Map<number, Job>();
  private nextId = 0;

  constructor(readonly size: number) {
    for (let i = 0; i < size; i++) {
      const w = new Worker(WORKER_SOURCE, { eval: true });
      w.on('message', (m: { id: number; hex?: string; error?: string }) => this.done(w, m));
      w.on('error', (e) => this.failAll(e));
      w.unref();
      this.idle.push(w);
    }
  }

  hash(path: string, algorithm: 'sha256' | 'blake2b', range?: ByteRange): Promise<string> {
    return new Promise((resolve, reject) => {
      const alg = algorithm === 'sha256' ? 'sha256' : 'blake2b512';
      this.queue.push({ id: this.nextId++, path, alg, ...(range ? { start: range.start, end: range.end } : {}), resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const w = this.idle.pop() as Worker;
      const job = this.queue.shift() as Job;
      this.running.set(job.id, job);
      w.ref(); // busy workers keep the process alive until they answer
      w.postMessage({ id: job.id, path: job.path, alg: job.alg, start: job.start, end: job.end });
    }
  }

  private done(w: Worker, m: { id: number; hex?: string; error?: string }): void {
    const job = this.running.get(m.id);
    this.running.delete(m.id);
    w.unref();
    this.idle.push(w);
    if (job) {
      if (m.hex !== undefined) job.resolve(m.hex);
      else job.reject(new ModelSealError('IO_ERROR', m.error ?? 'hash worker failed'));
    }
    this.pump();
  }

  private failAll(e: Error): void {
    for (const job of [...this.running.values(), ...this.queue]) job.reject(new ModelSealError('IO_ERROR', `hash worker crashed: ${e.message}`));
    this.running.clear();
    this.queue.length = 0;
  }

  async close(): Promise<void> {
    await Promise.all(this.idle.map((w) => w.terminate()));
  }

  /** A core DigestSource over a file: sha256/blake2b on the pool, blake3 on the main thread. */
  source(absPath: string): DigestSource {
    return (algorithm: HashAlgorithm, range?: ByteRange) =>
      algorithm === 'blake3' ? hashFile(absPath, algorithm, range) : this.hash(absPath, algorithm, range);
  }
}
