/** Hex helpers that validate instead of guessing: hostile input must not be half-decoded. */
import { bytesToHex } from '@noble/hashes/utils.js';

export { bytesToHex };

const HEX = /^[0-9a-fA-F]*$/;

/** True when `s` is an even-length hex string of exactly `bytes` bytes (any case). */
export function isHexOfLength(s: unknown, bytes: number): s is string {
  return typeof s === 'string' && s.length === bytes * 2 && HEX.test(s);
}

/** Decodes hex, throwing on odd length or non-hex characters. */
export function hexToBytesStrict(s: string): Uint8Array {
  if (s.length % 2 !== 0 || !HEX.test(s)) throw new Error('not a hex string');
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(i * 2, i * 2 + 2), 16);
  return out;
}
