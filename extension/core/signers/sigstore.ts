/**
 * Sigstore mode: Fulcio certificate, transparency log, timestamps and the DSSE signature are all
 * checked by ../sigstore (sigstore-js); this wraps its result as a VerifiedSignature.
 */
import { ModelSealError } from '../errors.js';
import type { ParsedBundle } from '../oms/bundle.js';
import { verifySigstoreBundle } from '../sigstore/index.js';
import { sealVerified, type VerifiedSignature } from './verified.js';

/** Exact identity + issuer, or `anyIdentity` (the signer is read from the verified certificate). */
export type SigstorePolicy = ({ identity: string; issuer: string } | { anyIdentity: true }) & {
  /** trusted_root.json content; default: the production Sigstore root. */
  trustedRoot?: unknown;
};

export function verifySigstoreModelBundle(bundle: ParsedBundle, policy: SigstorePolicy): VerifiedSignature {
  if (bundle.material.kind !== 'certificate' && bundle.material.kind !== 'x509-chain') {
    throw new ModelSealError('VERIFICATION_MATERIAL_UNSUPPORTED', 'signature carries a public key, not a Sigstore certificate: use --key');
  }
  if (bundle.tlogEntryCount === 0) {
    throw new ModelSealError('TLOG_INVALID', 'Sigstore signature has no transparency log entry (is it a certificate-mode signature? use --ca)');
  }
  const result = verifySigstoreBundle(bundle.json, {
    policy: 'anyIdentity' in policy ? { anyIdentity: true } : { identity: policy.identity, issuer: policy.issuer },
    ...(policy.trustedRoot !== undefined ? { trustedRoot: policy.trustedRoot } : {}),
  });
  if (!result.dsse) throw new ModelSealError('ENVELOPE_MALFORMED', 'Sigstore bundle has no DSSE envelope');
  if (result.signer.kind !== 'sigstore') throw new ModelSealError('INTERNAL_ERROR', 'Sigstore verifier returned a non-Sigstore signer');
  return sealVerified({
    signer: result.signer,
    logEntries: result.logEntries,
    timestamps: result.timestamps,
    payloadType: result.dsse.payloadType,
    payload: result.dsse.payload,
    legacyPae: false,
  });
}
