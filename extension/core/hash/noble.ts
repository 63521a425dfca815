/** Default hashers from @noble/hashes: pure JS, run anywhere (service worker, page, Node). */
import { sha256 } from '@noble/hashes/sha2.js';
import { blake2b } from '@noble/hashes/blake2.js';
import { blake3 } from '@noble/hashes/blake3.js';
import type { HashAlgorithm, HasherFactory, IncrementalHasher } from './types.js';

export const nobleHasher: HasherFactory = (algorithm: HashAlgorithm): IncrementalHasher => {
  switch (algorithm) {
    case 'sha256':
      return sha256.create();
    case 'blake2b':
      // model_signing uses Python's hashlib.blake2b() default: 64-byte digest, no key.
      return blake2b.create({ dkLen: 64 });
    case 'blake3':
      return blake3.create();
  }
};
