/**
 * Reads the identity and issuer a Sigstore bundle's leaf certificate CLAIMS, before verification.
 * Used only as the policy for verifying that same bundle: the verifier then checks the certificate
 * chain, log entries, timestamps and signature, and the signer reported is the one from the
 * verified certificate. This is how a first-use signature is verified without knowing its signer;
 * the trust layer decides afterwards whether that signer is acceptable.
 */
// sigstore-js needs a global Buffer in browsers; installed before @sigstore/core loads.
import '../sigstore/shims/buffer-global.js';
import { X509Certificate } from '@sigstore/core';
import { encodeBase64 } from '../oms/base64.js';
import type { VerificationMaterial } from '../oms/bundle.js';

const OID_OTHERNAME_IDENTITY = '1.3.6.1.4.1.57264.1.7';
const OID_ISSUER_V1 = '1.3.6.1.4.1.57264.1.1';
const OID_ISSUER_V2 = '1.3.6.1.4.1.57264.1.8';

export interface ClaimedSigner {
  identity: string;
  issuer: string;
}

function leafDer(material: VerificationMaterial): Uint8Array | undefined {
  if (material.kind === 'certificate') return material.der;
  if (material.kind === 'x509-chain') return material.ders[0];
  return undefined;
}

/** The claimed (unverified) SAN identity and OIDC issuer, or undefined when unreadable. */
export function claimedSigner(material: VerificationMaterial): ClaimedSigner | undefined {
  const der = leafDer(material);
  if (!der || der.length > 64 * 1024) return undefined;
  try {
    const b64 = encodeBase64(der).replace(/(.{64})/g, '$1\n');
    const cert = X509Certificate.parse(`-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`);
    const san = cert.extSubjectAltName;
    const identity = [san?.uri, san?.rfc822Name, san?.otherName(OID_OTHERNAME_IDENTITY)].find(
      (n): n is string => typeof n === 'string' && n.length > 0,
    );
    const v2 = cert.extension(OID_ISSUER_V2);
    const raw = v2 ? v2.valueObj.subs[0]?.value : cert.extension(OID_ISSUER_V1)?.value;
    const issuer = raw ? new TextDecoder().decode(raw) : undefined;
    return identity && issuer ? { identity, issuer } : undefined;
  } catch {
    return undefined;
  }
}
