/**
 * The page's hash pool and the file-hash worker protocol, in Node: real hash-wasm hashers over real
 * Blobs, each "worker" an in-process stand-in that runs the worker's own message handler with the
 * messages passed asynchronously, as postMessage does.
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { blake3 } from '@noble/hashes/blake3.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { HashPool, HashCancelledError, poolSize, MAX_POOL_WORKERS, type WorkerLike } from '../../../extension/workers/hash-pool.js';
import { handleHashMessage, CHUNK_BYTES } from '../../../extension/workers/file-hash-job.js';
import { isHashJobRequest, isHashWorkerReply } from '../../../extension/workers/file-hash-protocol.js';
import { ModelSealError } from '../../../extension/core/errors.js';

const bytes = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 131 + seed * 7 + (i >> 8)) & 0xff);
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const blake2b = (b: Uint8Array) => createHash('blake2b512').update(b).digest('hex');

/** In-process workers; records how many jobs run at once and every worker terminated. */
function fakeWorkers(opts: { crashOn?: (msg: unknown) => boolean; hang?: boolean } = {}) {
  let running = 0;
  const stats = { spawned: 0, terminated: 0, maxRunning: 0, posted: [] as unknown[] };
  const spawn = (): WorkerLike => {
    stats.spawned++;
    let dead = false;
    const w: WorkerLike = {
      onmessage: null,
      onerror: null,
      terminate: () => {
        if (!dead) stats.terminated++;
        dead = true;
      },
      postMessage: (msg) => {
        stats.posted.push(msg);
        running++;
        stats.maxRunning = Math.max(stats.maxRunning, running);
        setTimeout(() => {
          if (opts.crashOn?.(msg)) {
            running--;
            w.onerror?.(new Error('boom'));
            return;
          }
          if (opts.hang) return;
          void handleHashMessage(msg, (reply) => {
            if (dead) return;
            if (reply.type !== 'progress') running--;
            // structured clone drops nothing here: plain data
            setTimeout(() => !dead && w.onmessage?.({ data: reply }), 0);
          });
        }, 0);
      },
    };
    return w;
  };
  return { spawn, stats };
}

describe('file-hash worker protocol', () => {
  it('accepts only well-formed hash requests', () => {
    const file = new Blob([new Uint8Array(4)]);
    expect(isHashJobRequest({ type: 'hash', id: 1, file, algorithm: 'sha256' })).toBe(true);
    expect(isHashJobRequest({ type: 'hash', id: 1, file, algorithm: 'sha256', start: 0, end: 2 })).toBe(true);
    expect(isHashJobRequest({ type: 'hash', id: 1, file, algorithm: 'md5' })).toBe(false);
    expect(isHashJobRequest({ type: 'hash', id: 1, file, algorithm: 'sha256', start: 3, end: 2 })).toBe(false);
    expect(isHashJobRequest({ type: 'hash', id: 1, file, algorithm: 'sha256', start: 0 })).toBe(false);
    expect(isHashJobRequest({ type: 'hash', id: 1, file: 'not a blob', algorithm: 'sha256' })).toBe(false);
    expect(isHashWorkerReply({ type: 'done', id: 1, digest: 'zz' })).toBe(false);
    expect(isHashWorkerReply({ type: 'done', id: 1, digest: 'a'.repeat(64) })).toBe(true);
  });

  it('a malformed request gets an error reply, never a digest', async () => {
    const replies: unknown[] = [];
    await handleHashMessage({ type: 'hash', id: 4, file: new Blob(['x']), algorithm: 'md5' }, (r) => replies.push(r));
    expect(replies).toEqual([{ type: 'error', id: 4, code: 'INTERNAL_ERROR', message: 'malformed hash request' }]);
  });
});

describe('HashPool', () => {
  it('poolSize: one worker per core, at least one, at most MAX_POOL_WORKERS', () => {
    expect(poolSize(1)).toBe(1);
    expect(poolSize(2)).toBe(2);
    expect(poolSize(64)).toBe(MAX_POOL_WORKERS);
    expect(poolSize(undefined)).toBe(2);
    expect(poolSize(Number.NaN)).toBe(2);
  });

  it('hashes several files at once on at most `size` workers, every algorithm, digests equal to reference implementations', async () => {
    const { spawn, stats } = fakeWorkers();
    let progressed = 0;
    const pool = new HashPool(spawn, 3, (n) => (progressed += n));
    const files = [bytes(CHUNK_BYTES * 2 + 123, 1), bytes(0, 2), bytes(1000, 3), bytes(CHUNK_BYTES + 1, 4), bytes(77, 5), bytes(5000, 6), bytes(1, 7)];
    const results = await Promise.all(
      files.flatMap((f) => [
        pool.hash(new Blob([f]), 'sha256').then((d) => expect(d).toBe(sha256(f))),
        pool.hash(new Blob([f]), 'blake2b').then((d) => expect(d).toBe(blake2b(f))),
        pool.hash(new Blob([f]), 'blake3').then((d) => expect(d).toBe(bytesToHex(blake3(f)))),
      ]),
    );
    expect(results).toHaveLength(files.length * 3);
    expect(stats.spawned).toBe(3);
    expect(stats.maxRunning).toBeLessThanOrEqual(3);
    expect(stats.maxRunning).toBeGreaterThan(1);
    expect(progressed).toBe(3 * files.reduce((n, f) => n + f.length, 0));
    pool.close();
    expect(stats.terminated).toBe(3);
  });

  it('hashes byte ranges (shards) of one file', async () => {
    const { spawn } = fakeWorkers();
    const pool = new HashPool(spawn, 2);
    const f = bytes(3 * 1000 + 5, 9);
    const blob = new Blob([f]);
    const ranges = [
      { start: 0, end: 1000 },
      { start: 1000, end: 2000 },
      { start: 2000, end: 3005 },
    ];
    const digests = await Promise.all(ranges.map((r) => pool.hash(blob, 'sha256', r)));
    expect(digests).toEqual(ranges.map((r) => sha256(f.subarray(r.start, r.end))));
    pool.close();
  });

  it('a range past the end of the file (the file shrank after signing) is an IO_ERROR, not a digest', async () => {
    const { spawn } = fakeWorkers();
    const pool = new HashPool(spawn, 1);
    const err = await pool.hash(new Blob([bytes(10, 1)]), 'sha256', { start: 0, end: 20 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelSealError);
    expect((err as ModelSealError).code).toBe('IO_ERROR');
    // The worker is free again for the next job.
    await expect(pool.hash(new Blob([bytes(10, 1)]), 'sha256')).resolves.toBe(sha256(bytes(10, 1)));
    pool.close();
  });

  it('cancel terminates every worker and rejects running and queued jobs; later jobs are refused', async () => {
    const { spawn, stats } = fakeWorkers({ hang: true });
    const pool = new HashPool(spawn, 2);
    const jobs = [1, 2, 3, 4, 5].map((i) => pool.hash(new Blob([bytes(100, i)]), 'sha256').catch((e: unknown) => e));
    await new Promise((r) => setTimeout(r, 5));
    expect(stats.spawned).toBe(2);
    pool.cancel();
    const outcomes = await Promise.all(jobs);
    expect(outcomes.every((e) => e instanceof HashCancelledError)).toBe(true);
    expect(stats.terminated).toBe(2);
    await expect(pool.hash(new Blob(['x']), 'sha256')).rejects.toBeInstanceOf(HashCancelledError);
  });

  it('a worker that dies fails its job (IO_ERROR) and is replaced for the next one', async () => {
    let crashes = 1;
    const { spawn, stats } = fakeWorkers({ crashOn: () => crashes-- > 0 });
    const pool = new HashPool(spawn, 1);
    const first = await pool.hash(new Blob([bytes(10, 1)]), 'sha256').catch((e: unknown) => e);
    expect((first as ModelSealError).code).toBe('IO_ERROR');
    await expect(pool.hash(new Blob([bytes(10, 2)]), 'sha256')).resolves.toBe(sha256(bytes(10, 2)));
    expect(stats.spawned).toBe(2);
    pool.close();
  });

  it('ignores replies about another job and malformed replies (a digest is only taken for the job asked)', async () => {
    let w: WorkerLike | undefined;
    const pool = new HashPool(() => {
      w = { onmessage: null, onerror: null, terminate: () => undefined, postMessage: () => undefined };
      return w;
    }, 1);
    const job = pool.hash(new Blob(['x']), 'sha256');
    w!.onmessage!({ data: { type: 'done', id: 999, digest: 'a'.repeat(64) } });
    w!.onmessage!({ data: { type: 'done', id: 1, digest: '<b>' } });
    w!.onmessage!({ data: { type: 'done', id: 1, digest: 'b'.repeat(64) } });
    await expect(job).resolves.toBe('b'.repeat(64));
    pool.close();
  });
});
