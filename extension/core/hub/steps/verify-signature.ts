/**
 * Step 3, verify each signature: fetch its bytes (a failure to fetch is amber and says nothing about
 * the signature), then verify them without knowing the signer in advance; decide() judges the signer.
 */
import { ModelSealError, asModelSealError } from '../../errors.js';
import { parseBundle, type ParsedBundle } from '../../oms/bundle.js';
import { MAX_BUNDLE_BYTES } from '../../oms/limits.js';
import { verifySignatureOnly, type SignatureCheck } from '../../verify-model.js';
import { plainLine } from '../../display/identity-text.js';
import type { RevisionOutcome } from '../revision-check.js';
import type { SignatureLocation } from '../signature-locator.js';
import type { RevisionContext } from './context.js';
import { failureFromError, signatureFailureOutcome } from '../../failure.js';
import { withPreverifiedSignatures } from '../../sigstore/preverify.js';
import { certificateClaim, describeClaim } from '../../signers/certificate-claim.js';
import type { SignatureEvidence } from '../../verdict.js';

/** What the user named for this repo to check signatures that are not keyless Sigstore ones. */
export interface SignatureMaterial {
  /** Public keys (key-signed bundles need one). */
  publicKeyPems: readonly string[];
  /** CA certificates, PEM (certificate-mode bundles need one). */
  caPems: readonly string[];
  /** trusted_root.json for Sigstore; undefined: production. */
  trustedRoot: unknown;
}

/**
 * Verifies a bundle without knowing its signer in advance: key bundles with the user's keys;
 * Sigstore bundles with every check but the identity policy, reading the signer from the verified
 * certificate (decide() judges it); certificate-mode bundles (no log entry) with the user's CAs.
 */
export function verifyUnknownSigner(
  bytes: Uint8Array,
  publicKeyPems: readonly string[],
  trustedRoot: unknown,
  caPems: readonly string[] = [],
): SignatureCheck {
  return planUnknownSigner(bytes, publicKeyPems, trustedRoot, caPems).run();
}

/**
 * The bundle parsed once and its verification ready to run; `keyless`: a Sigstore bundle with a log
 * entry, the costly kind (pure-JS P-384) worth pre-verifying with WebCrypto.
 */
function planUnknownSigner(
  bytes: Uint8Array,
  publicKeyPems: readonly string[],
  trustedRoot: unknown,
  caPems: readonly string[],
): { keyless: boolean; run: () => SignatureCheck } {
  let bundle: ParsedBundle;
  try {
    bundle = parseBundle(bytes);
  } catch (e) {
    throw asModelSealError(e, 'BUNDLE_MALFORMED');
  }
  if (bundle.material.kind === 'public-key') {
    if (publicKeyPems.length === 0) {
      throw new ModelSealError('VERIFICATION_MATERIAL_UNSUPPORTED', "signed with a key: add the signer's public key for this repo to check it");
    }
    return {
      keyless: false,
      run: () => {
        let last: unknown;
        for (const publicKeyPem of publicKeyPems) {
          try {
            return verifySignatureOnly(bytes, { kind: 'key', publicKeyPem });
          } catch (e) {
            last = e;
          }
        }
        throw asModelSealError(last, 'SIGNATURE_INVALID');
      },
    };
  }
  if (bundle.tlogEntryCount === 0) {
    // No transparency log: a certificate-mode signature, checkable only against the user's own CAs.
    if (caPems.length === 0) throw caNotTrusted(bundle);
    return { keyless: false, run: () => verifySignatureOnly(bytes, { kind: 'certificate', caPems }) };
  }
  return { keyless: true, run: () => verifySignatureOnly(bytes, { kind: 'sigstore', anyIdentity: true, ...(trustedRoot !== undefined ? { trustedRoot } : {}) }) };
}

/**
 * A certificate-method signature with no CA to check it against: say whose certificate it claims to
 * be and who issued it (unverified, so that the user knows which CA to trust), with a typed code.
 */
function caNotTrusted(bundle: ParsedBundle): ModelSealError {
  const m = bundle.material;
  const ders = m.kind === 'x509-chain' ? m.ders : m.kind === 'certificate' ? [m.der] : [];
  const claim = describeClaim(certificateClaim(ders));
  return new ModelSealError(
    'CERTIFICATE_CA_NOT_TRUSTED',
    `signed with a certificate for ${claim}, not checked: trust the issuing certificate authority for this repo to check it`,
    { signer: claim },
  );
}

/**
 * One located signature → its verified manifest and evidence, or the outcome that ends the check
 * (`signatureFiles`: every signature file of the revision, as the verdict names them).
 */
export async function verifySignatureFile(
  ctx: RevisionContext,
  location: SignatureLocation,
  material: SignatureMaterial,
  signatureFiles: string[],
): Promise<SignatureCheck | RevisionOutcome> {
  const f = ctx.byPath.get(location.path);
  if (!f) return { status: 'unverifiable', failure: { code: 'INTERNAL_ERROR', reason: 'located signature not in the tree' }, signatureFiles };
  if (f.size > MAX_BUNDLE_BYTES) {
    return signatureFailureOutcome(new ModelSealError('BUNDLE_TOO_LARGE', `${plainLine(f.path, 80)} is larger than ${MAX_BUNDLE_BYTES} bytes`), signatureFiles);
  }
  let bytes: Uint8Array;
  try {
    ctx.budget.take(f.size);
    bytes = await ctx.client.fetchFile(ctx.kind, ctx.repo, ctx.commit, f.path, MAX_BUNDLE_BYTES);
  } catch (e) {
    return { status: 'unverifiable', failure: failureFromError(e), signatureFiles };
  }
  try {
    const plan = planUnknownSigner(bytes, material.publicKeyPems, material.trustedRoot, material.caPems);
    return plan.keyless ? await withPreverifiedSignatures(plan.run, ctx.subtle) : plan.run();
  } catch (e) {
    return signatureFailureOutcome(e, signatureFiles);
  }
}

/**
 * One signature's bytes verified exactly as a revision check verifies them (signer unknown in advance,
 * WebCrypto pre-verification for Sigstore bundles), with nothing hashed against files: what the
 * signing history needs for each past version. Throws a ModelSealError when it does not verify.
 */
export async function verifySignatureBytes(
  bytes: Uint8Array,
  material: SignatureMaterial,
  subtle?: Parameters<typeof withPreverifiedSignatures>[1],
): Promise<SignatureEvidence> {
  const plan = planUnknownSigner(bytes, material.publicKeyPems, material.trustedRoot, material.caPems);
  return (plan.keyless ? await withPreverifiedSignatures(plan.run, subtle) : plan.run()).evidence;
}
