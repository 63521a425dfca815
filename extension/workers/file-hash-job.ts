/**
 * One hash job: read a Blob (a File from the user's disk, or a byte range of it for shard manifests)
 * in chunks and feed them to a hash-wasm hasher. The next chunk is read while the current one is
 * hashed, so disk and CPU overlap. Runs in a dedicated worker; plain enough to run in Node for tests.
 */
import { ModelSealError } from '../core/errors.js';
import { createWasmHasher } from '../core/hash/wasm.js';
import type { HashAlgorithm } from '../core/hash/types.js';
import { isHashJobRequest, type HashWorkerReply } from './file-hash-protocol.js';

/** Large enough that per-call overhead vanishes, small enough to report progress often. */
export const CHUNK_BYTES = 8 * 1024 * 1024;

async function readChunk(part: Blob, at: number): Promise<Uint8Array> {
  try {
    return new Uint8Array(await part.slice(at, Math.min(at + CHUNK_BYTES, part.size)).arrayBuffer());
  } catch (e) {
    // Chromium says NotReadableError when the file changed or vanished after it was picked.
    throw new ModelSealError('IO_ERROR', `the file could not be read (${e instanceof Error ? e.name : 'error'}): was it changed or moved?`);
  }
}

/** Lowercase hex digest of `file` or of [start, end) of it; `onBytes` hears each chunk hashed. */
export async function hashBlob(file: Blob, algorithm: HashAlgorithm, range: { start: number; end: number } | undefined, onBytes: (n: number) => void): Promise<string> {
  if (range && range.end > file.size) throw new ModelSealError('IO_ERROR', `the file is ${file.size} bytes, shorter than the signed range ${range.start}:${range.end}`);
  const part = range ? file.slice(range.start, range.end) : file;
  const hasher = await createWasmHasher(algorithm);
  let at = 0;
  let next = part.size > 0 ? readChunk(part, 0) : undefined;
  while (next) {
    const chunk = await next;
    at += chunk.length;
    if (chunk.length === 0) throw new ModelSealError('IO_ERROR', 'the file ended early: was it changed while being read?');
    next = at < part.size ? readChunk(part, at) : undefined;
    hasher.update(chunk);
    onBytes(chunk.length);
  }
  return hasher.digestHex();
}

/** A worker's whole job: one request in, progress and one result out. Never throws. */
export async function handleHashMessage(data: unknown, post: (reply: HashWorkerReply) => void): Promise<void> {
  if (!isHashJobRequest(data)) {
    const id = typeof (data as { id?: unknown })?.id === 'number' ? (data as { id: number }).id : -1;
    post({ type: 'error', id, code: 'INTERNAL_ERROR', message: 'malformed hash request' });
    return;
  }
  const { id } = data;
  try {
    const range = data.start !== undefined && data.end !== undefined ? { start: data.start, end: data.end } : undefined;
    const digest = await hashBlob(data.file, data.algorithm, range, (bytes) => post({ type: 'progress', id, bytes }));
    post({ type: 'done', id, digest });
  } catch (e) {
    const code = e instanceof ModelSealError ? e.code : 'IO_ERROR';
    post({ type: 'error', id, code, message: e instanceof Error ? e.message.slice(0, 300) : 'hashing failed' });
  }
}
