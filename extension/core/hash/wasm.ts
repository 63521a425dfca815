/**
 * Resumable hashers from hash-wasm (maintained WebAssembly builds of SHA-256, BLAKE2b-512 and
 * BLAKE3). Used where bytes arrive as a stream that may stop and pick up later (verified downloads,
 * disk checks in the browser): `save()` captures the running state so a resumed stream re-hashes
 * nothing already hashed. Runs anywhere WebAssembly does (dedicated workers, pages, Node).
 */
import { createBLAKE2b, createBLAKE3, createSHA256, type IHasher } from 'hash-wasm';
import { bytesToHex } from './hex.js';
import type { HashAlgorithm, IncrementalHasher } from './types.js';

export interface ResumableHasher extends IncrementalHasher {
  readonly algorithm: HashAlgorithm;
  /** Opaque running state, to hand to `resumeWasmHasher` (valid only for the same algorithm). */
  save(): Uint8Array;
  digestHex(): string;
}

async function engine(algorithm: HashAlgorithm): Promise<IHasher> {
  switch (algorithm) {
    case 'sha256':
      return createSHA256();
    case 'blake2b':
      // model_signing uses Python's hashlib.blake2b() default: 64-byte digest, no key.
      return createBLAKE2b(512);
    case 'blake3':
      return createBLAKE3(256);
  }
}

function wrap(algorithm: HashAlgorithm, h: IHasher): ResumableHasher {
  return {
    algorithm,
    update: (chunk) => void h.update(chunk),
    digest: () => h.digest('binary'),
    digestHex: () => bytesToHex(h.digest('binary')),
    save: () => h.save(),
  };
}

/** A fresh hasher. */
export async function createWasmHasher(algorithm: HashAlgorithm): Promise<ResumableHasher> {
  const h = await engine(algorithm);
  h.init();
  return wrap(algorithm, h);
}

/** A hasher continuing from `state` (from `save()` of the same algorithm); throws on a foreign state. */
export async function resumeWasmHasher(algorithm: HashAlgorithm, state: Uint8Array): Promise<ResumableHasher> {
  const h = await engine(algorithm);
  h.init();
  h.load(state);
  return wrap(algorithm, h);
}
