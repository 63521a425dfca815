// Deterministic signing keys for fixtures: the secret key is derived from a seed string, so the
// same seed always yields the same key, certificate and signature bytes (ECDSA via RFC 6979).
import { createPublicKey } from 'node:crypto';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { concat, digest, sha256, toPem, utf8 } from './bytes.js';

export type Curve = 'P-256' | 'P-384' | 'P-521' | 'Ed25519';
export type HashName = 'sha256' | 'sha384' | 'sha512';

const EC = { 'P-256': p256, 'P-384': p384, 'P-521': p521 } as const;

/** The hash model_signing and Sigstore pair with each curve. */
export const CURVE_HASH: Record<Exclude<Curve, 'Ed25519'>, HashName> = {
  'P-256': 'sha256',
  'P-384': 'sha384',
  'P-521': 'sha512',
};

/** ecdsa-with-SHA256/384/512 signature algorithm OIDs. */
export const ECDSA_SIG_OID: Record<HashName, string> = {
  sha256: '1.2.840.10045.4.3.2',
  sha384: '1.2.840.10045.4.3.3',
  sha512: '1.2.840.10045.4.3.4',
};

/** protobuf-specs PublicKeyDetails names. */
export const KEY_DETAILS: Record<Curve, string> = {
  'P-256': 'PKIX_ECDSA_P256_SHA_256',
  'P-384': 'PKIX_ECDSA_P384_SHA_384',
  'P-521': 'PKIX_ECDSA_P521_SHA_512',
  Ed25519: 'PKIX_ED25519',
};

export interface KeyPair {
  readonly curve: Curve;
  readonly secretKey: Uint8Array;
  /** Raw public key: uncompressed point for ECDSA, 32 bytes for Ed25519. */
  readonly rawPublicKey: Uint8Array;
  /** DER SubjectPublicKeyInfo. */
  readonly spki: Uint8Array;
  /** Canonical PEM of the SPKI (64 columns, LF, trailing newline). */
  readonly pem: string;
  /** Default hash for ECDSA signatures with this key. */
  readonly hash: HashName;
  /** DER ECDSA signature (or raw Ed25519 signature) over `data`, hashed with `hash`. */
  sign(data: Uint8Array, hash?: HashName): Uint8Array;
}

function seedBytes(seed: string, len: number): Uint8Array {
  // Stretch the seed so every curve gets enough input for an unbiased secret key.
  const out: Uint8Array[] = [];
  for (let i = 0; out.length * 64 < len; i++) out.push(sha512(utf8(`modelseal-factory:${seed}:${i}`)));
  return concat(...out).slice(0, len);
}

function spkiOf(curve: Curve, raw: Uint8Array): Uint8Array {
  const jwk =
    curve === 'Ed25519'
      ? { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') }
      : (() => {
          const n = (raw.length - 1) / 2;
          return {
            kty: 'EC',
            crv: curve,
            x: Buffer.from(raw.slice(1, 1 + n)).toString('base64url'),
            y: Buffer.from(raw.slice(1 + n)).toString('base64url'),
          };
        })();
  return new Uint8Array(createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'der' }));
}

/** A key pair derived from `seed` (same seed, same key). */
export function deriveKey(curve: Curve, seed: string): KeyPair {
  if (curve === 'Ed25519') {
    const secretKey = seedBytes(seed, 32);
    const rawPublicKey = ed25519.getPublicKey(secretKey);
    const spki = spkiOf(curve, rawPublicKey);
    return {
      curve,
      secretKey,
      rawPublicKey,
      spki,
      pem: toPem('PUBLIC KEY', spki),
      hash: 'sha512',
      sign: (data) => ed25519.sign(data, secretKey),
    };
  }
  const ec = EC[curve];
  const { secretKey } = ec.keygen(seedBytes(seed, ec.lengths.seed ?? 48));
  const rawPublicKey = ec.getPublicKey(secretKey, false);
  const spki = spkiOf(curve, rawPublicKey);
  const defaultHash = CURVE_HASH[curve];
  return {
    curve,
    secretKey,
    rawPublicKey,
    spki,
    pem: toPem('PUBLIC KEY', spki),
    hash: defaultHash,
    sign: (data, hash = defaultHash) => ec.sign(digest(hash, data), secretKey, { prehash: false, format: 'der' }),
  };
}

/** SHA-256 hex of the canonical PEM text: model_signing 1.1's `publicKey.hint`. */
export const pemHint = (k: KeyPair): string => Buffer.from(sha256(utf8(k.pem))).toString('hex');
