/**
 * SHA-256 through an injected WebCrypto `SubtleCrypto` (native speed in browsers, one-shot over
 * the whole buffer), other algorithms and byte ranges through the incremental hashers. The host
 * passes `crypto.subtle`; the core never reaches for globals.
 */
import { nobleHasher } from './noble.js';
import { digestHex } from './digest.js';
import { bytesToHex } from './hex.js';
import type { DigestSource, HasherFactory } from './types.js';

export function subtleDigestSource(
  subtle: Pick<SubtleCrypto, 'digest'>,
  content: () => Promise<Uint8Array>,
  fallback: HasherFactory = nobleHasher,
): DigestSource {
  return async (algorithm, range) => {
    const all = await content();
    const bytes = range ? all.subarray(range.start, range.end) : all;
    if (range && bytes.length !== range.end - range.start) throw new RangeError('content shorter than the signed shard');
    if (algorithm !== 'sha256') return digestHex(algorithm, bytes, fallback);
    // Copy into a plain ArrayBuffer-backed view: digest() rejects views over SharedArrayBuffer.
    return bytesToHex(new Uint8Array(await subtle.digest('SHA-256', new Uint8Array(bytes))));
  };
}
