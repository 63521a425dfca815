/**
 * Sigstore mode: Fulcio certificate, transparency log, timestamps and the DSSE signature are all
 * checked by ../sigstore (sigstore-js); this wraps its result as a VerifiedSignature.
 */
import { X509Certificate } from '@sigstore/core';
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
  const sourceRepository = sourceRepositoryOf(bundle.material.kind === 'certificate' ? bundle.material.der : bundle.material.ders[0]);
  return sealVerified({
    signer: sourceRepository === undefined ? result.signer : { ...result.signer, sourceRepository },
    logEntries: result.logEntries,
    timestamps: result.timestamps,
    payloadType: result.dsse.payloadType,
    payload: result.dsse.payload,
    legacyPae: false,
  });
}

/** Fulcio's Source Repository URI extension (a DER UTF8String). */
export const OID_SOURCE_REPOSITORY_URI = '1.3.6.1.4.1.57264.1.12';
const MAX_SOURCE_REPOSITORY = 1024;

/**
 * The Source Repository URI of the leaf certificate the verifier just accepted (the same bytes of the
 * same bundle), read through @sigstore/core's extension access. Absent → undefined; present but not a
 * bounded UTF8String → refused, never guessed.
 */
function sourceRepositoryOf(leafDer: Uint8Array | undefined): string | undefined {
  if (!leafDer) throw new ModelSealError('CERTIFICATE_INVALID', 'the bundle carries no leaf certificate');
  let value: string | undefined;
  try {
    const ext = X509Certificate.parse(Buffer.from(leafDer)).extension(OID_SOURCE_REPOSITORY_URI);
    if (!ext) return undefined;
    const inner = ext.valueObj.subs[0];
    if (inner && inner.tag.isUniversal() && inner.tag.number === 12 && !inner.tag.constructed && ext.valueObj.subs.length === 1) value = inner.value.toString('utf8');
  } catch {
    value = undefined;
  }
  if (value === undefined || value.length === 0 || value.length > MAX_SOURCE_REPOSITORY) {
    throw new ModelSealError('CERTIFICATE_INVALID', 'the certificate\'s Source Repository URI is not a bounded UTF8String');
  }
  return value;
}
