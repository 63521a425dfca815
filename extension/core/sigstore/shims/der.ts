/**
 * Strict DER reading for public keys, over @sigstore/core's ASN.1 parser (already a dependency of
 * sigstore-js). "Strict" = the bytes must re-encode to themselves, which rejects trailing data,
 * indefinite or non-minimal lengths, like OpenSSL's d2i + i2d comparison does.
 */
import { ASN1Obj } from '@sigstore/core/dist/asn1/index.js';

export type { ASN1Obj };

/** Node's Buffer type, reached through the global installed by buffer-global.ts. */
type NodeBufferCtor = { from(data: Uint8Array): Uint8Array & { equals(o: Uint8Array): boolean } };

export function toNodeBuffer(bytes: Uint8Array): Uint8Array & { equals(o: Uint8Array): boolean } {
  const B = (globalThis as unknown as { Buffer?: NodeBufferCtor }).Buffer;
  if (!B) throw new Error('globalThis.Buffer is missing: import buffer-global first');
  return B.from(bytes);
}

export function parseDerStrict(bytes: Uint8Array): ASN1Obj {
  // Bounded: public keys and their parameters are a few KiB at most.
  if (bytes.length === 0 || bytes.length > 16 * 1024) throw new Error('unsupported key size');
  const buf = toNodeBuffer(bytes);
  const obj = ASN1Obj.parseBuffer(buf as never);
  const again = obj.toDER();
  if (again.length !== bytes.length || !equalBytes(again, bytes)) throw new Error('key is not canonical DER');
  return obj;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

/** Unsigned big-endian integer bytes of a DER INTEGER (which must be positive). */
export function positiveInteger(obj: ASN1Obj | undefined): bigint {
  if (!obj || !obj.tag.isInteger()) throw new Error('missing integer');
  const raw = obj.value;
  // Minimal two's-complement encoding only, as DER requires.
  if (raw.length === 0 || (raw.length > 1 && raw[0] === 0 && ((raw[1] as number) & 0x80) === 0)) {
    throw new Error('integer is not minimally encoded');
  }
  const v = obj.toInteger();
  if (v <= 0n) throw new Error('integer must be positive');
  return v;
}

/** Content of a BIT STRING with no unused bits. */
export function bitStringBytes(obj: ASN1Obj | undefined): Uint8Array {
  if (!obj || !obj.tag.isBitString()) throw new Error('expected a BIT STRING');
  if (obj.value.length < 1 || obj.value[0] !== 0) throw new Error('BIT STRING with unused bits');
  return Uint8Array.from(obj.value.subarray(1));
}
