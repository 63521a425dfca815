/**
 * Hashing contracts. The core hashes through these interfaces so each host can inject a faster
 * engine (Node `crypto` in the CLI, WebCrypto in the browser) while @noble/hashes stays the default.
 */

/** Content hash algorithms a model_signing manifest can name (`serialization.hash_type`). */
export const HASH_ALGORITHMS = ['sha256', 'blake2b', 'blake3'] as const;
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];

/** Digest length in bytes for each algorithm (blake2b is the 64-byte BLAKE2b-512). */
export const DIGEST_LENGTH: Readonly<Record<HashAlgorithm, number>> = { sha256: 32, blake2b: 64, blake3: 32 };

export function isHashAlgorithm(v: unknown): v is HashAlgorithm {
  return typeof v === 'string' && (HASH_ALGORITHMS as readonly string[]).includes(v);
}

/** One running hash: feed bytes in order, then take the digest once. */
export interface IncrementalHasher {
  update(chunk: Uint8Array): void;
  digest(): Uint8Array;
}

/** Creates a fresh incremental hasher for an algorithm. */
export type HasherFactory = (algorithm: HashAlgorithm) => IncrementalHasher;

/** Computes a lowercase hex digest of a whole file or of one byte range [start, end). */
export type DigestSource = (algorithm: HashAlgorithm, range?: { start: number; end: number }) => Promise<string>;
