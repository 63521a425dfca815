/**
 * The proof object a signer hands back once the DSSE signature over the payload has verified.
 * Only code in `signers/` calls `sealVerified`; the statement parser and `verifyModel` accept
 * nothing else, so there is no way to read a manifest from an unverified payload.
 */
import type { LogEntry, Signer, VerifiedTimestamp } from '../verdict.js';

const SEAL: unique symbol = Symbol('modelseal.verified-signature');

export interface VerifiedSignature {
  readonly [SEAL]: true;
  readonly signer: Signer;
  readonly logEntries: readonly LogEntry[];
  readonly timestamps: readonly VerifiedTimestamp[];
  readonly payloadType: string;
  /** The exact payload bytes the signature covers. */
  readonly payload: Uint8Array;
  /** True when only the 0.1/0.2 buggy PAE verified (for reports; the bytes are still signed). */
  readonly legacyPae: boolean;
}

/** For signers only: wraps a payload whose signature has just been verified. */
export function sealVerified(v: Omit<VerifiedSignature, typeof SEAL>): VerifiedSignature {
  return Object.freeze({ ...v, [SEAL]: true as const });
}

export function isVerifiedSignature(v: unknown): v is VerifiedSignature {
  return typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[SEAL] === true;
}
