/** One-shot digests over in-memory bytes, through an injectable hasher factory. */
import { nobleHasher } from './noble.js';
import { bytesToHex } from './hex.js';
import type { HashAlgorithm, HasherFactory } from './types.js';

export function digestBytes(algorithm: HashAlgorithm, data: Uint8Array, hashers: HasherFactory = nobleHasher): Uint8Array {
  const h = hashers(algorithm);
  h.update(data);
  return h.digest();
}

export function digestHex(algorithm: HashAlgorithm, data: Uint8Array, hashers: HasherFactory = nobleHasher): string {
  return bytesToHex(digestBytes(algorithm, data, hashers));
}

/** Hashes a byte stream chunk by chunk (bounded memory), e.g. a fetch body or a file read. */
export async function digestStream(
  algorithm: HashAlgorithm,
  chunks: AsyncIterable<Uint8Array>,
  hashers: HasherFactory = nobleHasher,
): Promise<string> {
  const h = hashers(algorithm);
  for await (const chunk of chunks) h.update(chunk);
  return bytesToHex(h.digest());
}
