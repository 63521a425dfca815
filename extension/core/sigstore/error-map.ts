/**
 * Maps what sigstore-js throws onto our stable codes, keeping its message (people and bug reports
 * need it). Anything unrecognised still fails closed with the stage's fallback code.
 */
import { ModelSealError, type ErrorCode } from '../errors.js';

const VERIFICATION_CODES: Readonly<Record<string, ErrorCode>> = {
  TLOG_ERROR: 'TLOG_INVALID',
  TLOG_INCLUSION_PROOF_ERROR: 'TLOG_INVALID',
  TLOG_INCLUSION_PROMISE_ERROR: 'TLOG_INVALID',
  TLOG_MISSING_INCLUSION_ERROR: 'TLOG_INVALID',
  TLOG_BODY_ERROR: 'TLOG_INVALID',
  CERTIFICATE_ERROR: 'CERTIFICATE_INVALID',
  PUBLIC_KEY_ERROR: 'KEY_MISMATCH',
  SIGNATURE_ERROR: 'SIGNATURE_INVALID',
  TIMESTAMP_ERROR: 'TIMESTAMP_INVALID',
  NOT_IMPLEMENTED_ERROR: 'VERIFICATION_MATERIAL_UNSUPPORTED',
  UNTRUSTED_SIGNER_ERROR: 'IDENTITY_MISMATCH',
};

export function mapSigstoreError(e: unknown, fallback: ErrorCode): ModelSealError {
  if (e instanceof ModelSealError) return e;
  const message = e instanceof Error ? e.message : String(e);
  const upstream = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  const code = typeof upstream === 'string' && Object.prototype.hasOwnProperty.call(VERIFICATION_CODES, upstream)
    ? (VERIFICATION_CODES[upstream] as ErrorCode)
    : fallback;
  return new ModelSealError(code, message, typeof upstream === 'string' ? { upstreamCode: upstream } : undefined);
}
