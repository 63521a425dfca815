/**
 * Node hashing for the CLI: `node:crypto` (native, SHA-NI where the CPU has it) for sha256 and
 * blake2b (`blake2b512`), @noble/hashes for blake3 (Node has none). Files are read with a reused
 * buffer pair so the next read overlaps hashing of the current chunk.
 */
import { createHash } from 'node:crypto';
import { blake3 } from '@noble/hashes/blake3.js';
import { ModelSealError } from '../core/errors.js';
import type { ByteRange } from '../core/hash/shards.js';
import type { HashAlgorithm, HasherFactory, IncrementalHasher } from '../core/hash/types.js';
import type { DigestSource } from '../core/files/listing.js';
import { openRegular } from './node-open.js';

const CHUNK = 4 * 1024 * 1024;

export const nodeHasher: HasherFactory = (algorithm: HashAlgorithm): IncrementalHasher => {
  if (algorithm === 'blake3') return blake3.create();
  const h = createHash(algorithm === 'sha256' ? 'sha256' : 'blake2b512');
  return {
    update: (chunk) => void h.update(chunk),
    digest: () => new Uint8Array(h.digest()),
  };
};

/** Streams `[range.start, range.end)` (or the whole file) of `absPath` through a hasher; lowercase hex. */
export async function hashFile(absPath: string, algorithm: HashAlgorithm, range?: ByteRange, hashers: HasherFactory = nodeHasher): Promise<string> {
  const { fh, size } = await openRegular(absPath);
  try {
    const h = hashers(algorithm);
    const end = range ? range.end : size;
    let pos = range ? range.start : 0;
    const bufs = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
    let which = 0;
    const readAt = (p: number) => fh.read(bufs[which]!, 0, Math.min(CHUNK, end - p), p);
    let pending = pos < end ? readAt(pos) : undefined;
    while (pending) {
      const { bytesRead, buffer } = await pending;
      if (bytesRead === 0) break;
      pos += bytesRead;
      which ^= 1;
      // Start the next read before hashing this chunk: I/O and hashing overlap.
      pending = pos < end ? readAt(pos) : undefined;
      h.update(buffer.subarray(0, bytesRead));
    }
    if (pos !== end) throw new ModelSealError('IO_ERROR', `file changed while reading (read ${pos} of ${end} bytes)`);
    return Buffer.from(h.digest()).toString('hex');
  } finally {
    await fh.close();
  }
}

/** A core DigestSource over a file on disk. */
export function fileDigestSource(absPath: string, hashers: HasherFactory = nodeHasher): DigestSource {
  return (algorithm, range) => hashFile(absPath, algorithm, range, hashers);
}
