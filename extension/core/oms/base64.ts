/**
 * Strict base64 decoding without Node's Buffer: bundles carry base64 in several places and a
 * lenient decoder would silently drop garbage. Accepts standard and URL-safe alphabets (protobuf
 * JSON allows both), optional padding, no whitespace.
 */
const STD = /^[A-Za-z0-9+/]*={0,2}$/;
const URL = /^[A-Za-z0-9_-]*={0,2}$/;

export function decodeBase64(s: string): Uint8Array {
  let t = s;
  if (!STD.test(t)) {
    if (!URL.test(t)) throw new Error('invalid base64');
    t = t.replace(/-/g, '+').replace(/_/g, '/');
  }
  const unpadded = t.replace(/=+$/, '');
  if (unpadded.length % 4 === 1) throw new Error('invalid base64 length');
  const padded = unpadded + '='.repeat((4 - (unpadded.length % 4)) % 4);
  if (t.length !== unpadded.length && t.length !== padded.length) throw new Error('invalid base64 padding');
  const bin = atob(padded);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function encodeBase64(bytes: Uint8Array): string {
  let bin = '';
  // Chunked so large inputs do not overflow the argument limit of fromCharCode.
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}
