// Shared helpers for signer tests: build bundles around arbitrary signatures.
import { b64, buildStatement, type KeyPair } from '../../factory/index.js';
import type { ErrorCode } from '../../../extension/core/errors.js';

export const PAYLOAD_TYPE = 'application/vnd.in-toto+json';

export function errorCode(f: () => unknown): ErrorCode | undefined {
  try {
    f();
  } catch (e) {
    return (e as { code?: ErrorCode }).code;
  }
  return undefined;
}

/** The bundle fields tests mutate. */
export interface BundleShape {
  mediaType: string;
  dsseEnvelope: { payload: string; payloadType: string; signatures: { sig: string; keyid?: string | null }[] };
  verificationMaterial: Record<string, unknown>;
}

export const clone = (b: unknown): BundleShape => JSON.parse(typeof b === 'string' ? b : JSON.stringify(b)) as BundleShape;

/** Flips bits of one byte (index from the end when negative). */
export function flip(bytes: Uint8Array, index: number, mask = 1): void {
  const i = index < 0 ? bytes.length + index : index;
  bytes[i] = (bytes[i] ?? 0) ^ mask;
}

/** A statement for a tiny model (exact payload bytes). */
export const samplePayload = () => buildStatement({ 'config.json': '{}', 'w.bin': 'weights' }).payload;

/** A key bundle (1.1 style) whose signature is whatever `sign` makes of the payload. */
export function keyBundle(payload: Uint8Array, sig: Uint8Array, material: Record<string, unknown>): string {
  return JSON.stringify({
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: { publicKey: material, tlogEntries: [] },
    dsseEnvelope: { payload: b64(payload), payloadType: PAYLOAD_TYPE, signatures: [{ sig: b64(sig), keyid: '' }] },
  });
}

export function chainBundle(payload: Uint8Array, sig: Uint8Array, ders: Uint8Array[]): string {
  return JSON.stringify({
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: { x509CertificateChain: { certificates: ders.map((d) => ({ rawBytes: b64(d) })) }, tlogEntries: [] },
    dsseEnvelope: { payload: b64(payload), payloadType: PAYLOAD_TYPE, signatures: [{ sig: b64(sig), keyid: '' }] },
  });
}

export type { KeyPair };
