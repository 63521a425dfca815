/**
 * EC public keys (P-256/P-384/P-521) from SPKI DER or PEM, parsed with @sigstore/core's ASN.1
 * reader, and ECDSA verification with @noble/curves. Environment-free.
 */
// @sigstore/core needs a global Buffer; in browsers the shim must be installed before it loads.
import '../sigstore/shims/buffer-global.js';
import { ASN1Obj } from '@sigstore/core';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { ModelSealError } from '../errors.js';
import { decodeBase64, encodeBase64 } from '../oms/base64.js';
import { bytesToHex } from '../hash/hex.js';

export type Curve = 'P-256' | 'P-384' | 'P-521';
export type EcdsaHash = 'sha256' | 'sha384' | 'sha512';

/** @sigstore/core's parser is typed for Buffer but copies its input with Buffer.from, so any Uint8Array works. */
export function parseDer(der: Uint8Array): ASN1Obj {
  return ASN1Obj.parseBuffer(der as Parameters<typeof ASN1Obj.parseBuffer>[0]);
}

const CURVE_OIDS: Readonly<Record<string, Curve>> = {
  '1.2.840.10045.3.1.7': 'P-256',
  '1.3.132.0.34': 'P-384',
  '1.3.132.0.35': 'P-521',
};
const EC_PUBLIC_KEY_OID = '1.2.840.10045.2.1';
const CURVES = { 'P-256': p256, 'P-384': p384, 'P-521': p521 } as const;
const HASHES = { sha256, sha384, sha512 } as const;

/** model_signing's rule: the hash follows the curve size. */
export const HASH_FOR_CURVE: Readonly<Record<Curve, EcdsaHash>> = { 'P-256': 'sha256', 'P-384': 'sha384', 'P-521': 'sha512' };

export interface EcPublicKey {
  curve: Curve;
  /** SEC1 point bytes. */
  point: Uint8Array;
  spkiDer: Uint8Array;
  /** Lowercase hex SHA-256 of the SPKI DER (the key fingerprint shown to people). */
  fingerprint: string;
  /** PEM text in the canonical form (64-column lines, LF, trailing newline). */
  canonicalPem: string;
}

function keyInvalid(message: string): never {
  throw new ModelSealError('KEY_INVALID', message);
}

/** Parses a SubjectPublicKeyInfo holding an EC key on a supported curve. */
export function parseEcSpki(der: Uint8Array): EcPublicKey {
  let spki: ASN1Obj;
  try {
    spki = parseDer(der);
  } catch {
    keyInvalid('public key is not valid DER');
  }
  try {
    // Reject trailing bytes: the fingerprint must describe exactly what was parsed.
    if (spki.toDER().length !== der.length) keyInvalid('public key DER has trailing data');
    const [alg, bits] = spki.subs;
    if (spki.subs.length !== 2 || !alg || !bits || alg.subs.length < 2) keyInvalid('public key is not a SubjectPublicKeyInfo');
    const algOid = alg.subs[0]?.toOID();
    if (algOid !== EC_PUBLIC_KEY_OID) keyInvalid(`public key algorithm ${algOid} is not EC (only ECDSA P-256/P-384/P-521 keys are supported)`);
    const curveOid = alg.subs[1]?.toOID() ?? '';
    const curve = CURVE_OIDS[curveOid];
    if (!curve) keyInvalid(`EC curve ${curveOid} is not supported (P-256, P-384, P-521 are)`);
    if (!bits.tag.isBitString() || bits.value.length < 2 || bits.value[0] !== 0) keyInvalid('public key bit string is malformed');
    const point = new Uint8Array(bits.value.subarray(1));
    // Validates the point is on the curve (throws otherwise).
    CURVES[curve].Point.fromBytes(point);
    const spkiDer = new Uint8Array(der);
    const b64 = encodeBase64(spkiDer);
    const canonicalPem = `-----BEGIN PUBLIC KEY-----\n${(b64.match(/.{1,64}/g) ?? []).join('\n')}\n-----END PUBLIC KEY-----\n`;
    return { curve, point, spkiDer, fingerprint: bytesToHex(sha256(spkiDer)), canonicalPem };
  } catch (e) {
    if (e instanceof ModelSealError) throw e;
    keyInvalid(`public key is malformed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Reads the first `-----BEGIN PUBLIC KEY-----` block from text. Text before the block is tolerated
 * (tools such as certtool print a human-readable preamble), but the base64 body must be clean.
 */
export function parsePublicKeyPem(text: string): EcPublicKey {
  const m = /-----BEGIN PUBLIC KEY-----\r?\n([A-Za-z0-9+/=\r\n]+?)-----END PUBLIC KEY-----/.exec(text);
  if (!m || m[1] === undefined) keyInvalid('no PEM "PUBLIC KEY" block found');
  let der: Uint8Array;
  try {
    der = decodeBase64(m[1].replace(/[\r\n]/g, ''));
  } catch {
    keyInvalid('PEM public key body is not valid base64');
  }
  return parseEcSpki(der);
}

/** ECDSA verification of a DER signature over `message`, hashed with `hash` (high-S accepted, as OpenSSL does). */
export function ecdsaVerify(key: EcPublicKey, message: Uint8Array, signatureDer: Uint8Array, hash: EcdsaHash): boolean {
  try {
    const digest = HASHES[hash](message);
    return CURVES[key.curve].verify(signatureDer, digest, key.point, { prehash: false, format: 'der', lowS: false });
  } catch {
    return false;
  }
}
