/**
 * Digest algorithms by their Node/OpenSSL names, over @noble/hashes. Only what sigstore-js and the
 * Sigstore formats name (SHA-2, SHA-3); anything else is refused like Node refuses an unknown digest.
 */
import { sha224, sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { sha3_256, sha3_384, sha3_512 } from '@noble/hashes/sha3.js';

export interface IncrementalHash {
  update(data: Uint8Array): IncrementalHash;
  digest(): Uint8Array;
}

export interface HashAlgorithm {
  (data: Uint8Array): Uint8Array;
  create(): IncrementalHash;
  outputLen: number;
  blockLen: number;
}

const ALGORITHMS: Readonly<Record<string, HashAlgorithm>> = {
  sha224: sha224 as HashAlgorithm,
  sha256: sha256 as HashAlgorithm,
  sha384: sha384 as HashAlgorithm,
  sha512: sha512 as HashAlgorithm,
  'sha3-256': sha3_256 as HashAlgorithm,
  'sha3-384': sha3_384 as HashAlgorithm,
  'sha3-512': sha3_512 as HashAlgorithm,
};

/** Node accepts case variants and the `RSA-SHA256`-style aliases; sigstore-js only uses lowercase. */
export function hashAlgorithm(name: string): HashAlgorithm {
  const canonical = name.toLowerCase().replace(/^rsa-/, '');
  const h = Object.prototype.hasOwnProperty.call(ALGORITHMS, canonical) ? ALGORITHMS[canonical] : undefined;
  if (!h) throw new Error(`Invalid digest: ${name}`);
  return h;
}
