/**
 * Certificate mode: the bundle carries the signing certificate and its chain (leaf first); the user
 * supplies trusted CA certificates. Like model_signing (OpenSSL store with the time set to the
 * leaf's notBefore), every certificate must be valid at that instant.
 */
// @sigstore/core needs a global Buffer; in browsers the shim must be installed before it loads.
import '../sigstore/shims/buffer-global.js';
import { X509Certificate } from '@sigstore/core';
import { ModelSealError, asModelSealError } from '../errors.js';
import type { ParsedBundle } from '../oms/bundle.js';
import { encodeBase64 } from '../oms/base64.js';
import { HASH_FOR_CURVE, parseEcSpki } from './ec-key.js';
import { verifyDsseWithKey } from './dsse-verify.js';
import { formatName } from './x509-name.js';
import { assertCertificateShape } from '../sigstore/strict-shape.js';
import { sealVerified, type VerifiedSignature } from './verified.js';

const EKU_OID = '2.5.29.37';
const CODE_SIGNING_OID = '1.3.6.1.5.5.7.3.3';
const MAX_CHAIN = 16;

function chainInvalid(message: string): never {
  throw new ModelSealError('CERTIFICATE_CHAIN_INVALID', message);
}

/** @sigstore/core parses lazily; touch every field we use so malformed input fails here, typed. */
function eager(cert: X509Certificate): X509Certificate {
  void [cert.notBefore, cert.notAfter, cert.subject, cert.issuer, cert.publicKey, cert.signatureAlgorithm, cert.signatureValue, cert.extensions, cert.isCA, cert.extKeyUsage];
  void cert.tbsCertificate.toDER();
  return cert;
}

export function certFromDer(der: Uint8Array, what: string): X509Certificate {
  // Bytes outside the signed tbsCertificate (outer tags, the signature's unused-bits byte) must be
  // exactly right too; the X.509 reader alone would accept a flipped outer tag.
  assertCertificateShape(der);
  try {
    return eager(X509Certificate.parse(`-----BEGIN CERTIFICATE-----\n${encodeBase64(der)}\n-----END CERTIFICATE-----\n`));
  } catch {
    throw new ModelSealError('CERTIFICATE_INVALID', `${what} is not a valid X.509 certificate`);
  }
}

/** Parses every CERTIFICATE block in PEM text (a file may hold a bundle of CAs). */
export function parseCertificatesPem(text: string): X509Certificate[] {
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new ModelSealError('CERTIFICATE_INVALID', 'no PEM certificate found in the CA file');
  if (blocks.length > 1000) throw new ModelSealError('CERTIFICATE_INVALID', 'too many CA certificates');
  return blocks.map((b) => {
    try {
      return eager(X509Certificate.parse(b.replace(/\r/g, '')));
    } catch {
      throw new ModelSealError('CERTIFICATE_INVALID', 'a CA certificate is not valid X.509');
    }
  });
}

function sameName(a: X509Certificate, b: X509Certificate): boolean {
  return a.issuer.equals(b.subject);
}

function signedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  if (!sameName(cert, issuer)) return false;
  try {
    return cert.verify(issuer);
  } catch {
    return false;
  }
}

/** May `ca` issue certificates (basicConstraints CA, keyCertSign when KeyUsage is present)? */
function canIssue(ca: X509Certificate, belowIt: number): boolean {
  if (!ca.isCA) return false;
  const ku = ca.extKeyUsage;
  if (ku && !ku.keyCertSign) return false;
  const pathLen = ca.extBasicConstraints?.pathLenConstraint;
  // `belowIt` = number of intermediate CAs between this CA and the leaf.
  return pathLen === undefined || BigInt(belowIt) <= pathLen;
}

function leafCanSign(leaf: X509Certificate): boolean {
  if (leaf.extKeyUsage?.digitalSignature) return true;
  const eku = leaf.extension(EKU_OID);
  if (!eku) return false;
  try {
    // extnValue is an OCTET STRING wrapping SEQUENCE OF KeyPurposeId.
    const seq = eku.valueObj.tag.isOctetString() ? eku.valueObj.subs[0] : eku.valueObj;
    return (seq?.subs ?? []).some((s) => s.tag.isOID() && s.toOID() === CODE_SIGNING_OID);
  } catch {
    return false;
  }
}

/**
 * Builds leaf → bundle intermediates → one trusted CA; returns the anchor. Each link must be a
 * verified signature from a CA allowed to issue; every certificate on the path, anchor included,
 * must be valid at `at` (as OpenSSL checks the path it builds).
 */
function buildChain(chain: X509Certificate[], anchors: X509Certificate[], at: Date): X509Certificate {
  const [leaf, ...intermediates] = chain;
  if (!leaf) chainInvalid('empty certificate chain');
  const trusted = anchors.filter((a) => a.validForDate(at));
  const used = new Set<X509Certificate>([leaf]);
  let current = leaf;
  // `depth` = number of intermediate CAs between `current`'s issuer and the leaf.
  for (let depth = 0; depth <= intermediates.length; depth++) {
    if (!current.validForDate(at)) chainInvalid(`certificate ${formatName(current)} is not valid at the signing time ${at.toISOString()}`);
    // The bundle may carry the trusted root itself: reaching it ends the path.
    const itself = depth > 0 ? trusted.find((a) => a.equals(current)) : undefined;
    if (itself) return itself;
    const anchor = trusted.find((a) => !a.equals(current) && signedBy(current, a) && canIssue(a, depth));
    if (anchor) return anchor;
    const next = intermediates.find((c) => !used.has(c) && signedBy(current, c) && canIssue(c, depth));
    if (!next) break;
    used.add(next);
    current = next;
  }
  chainInvalid('the certificate chain does not lead to a trusted CA');
}

export function verifyCertificateBundle(bundle: ParsedBundle, caPems: readonly string[]): VerifiedSignature {
  try {
    return verifyChainBundle(bundle, caPems);
  } catch (e) {
    // Anything a hostile certificate makes the X.509 library throw is a bad certificate, not a crash.
    throw asModelSealError(e, 'CERTIFICATE_INVALID');
  }
}

function verifyChainBundle(bundle: ParsedBundle, caPems: readonly string[]): VerifiedSignature {
  const m = bundle.material;
  if (m.kind !== 'x509-chain') {
    throw new ModelSealError('VERIFICATION_MATERIAL_UNSUPPORTED', `signature carries ${m.kind === 'public-key' ? 'a public key' : 'a Sigstore certificate'}, not a certificate chain: use the matching mode`);
  }
  if (m.ders.length > MAX_CHAIN) chainInvalid('certificate chain too long');
  const anchors = caPems.flatMap((p) => parseCertificatesPem(p));
  if (anchors.length === 0) throw new ModelSealError('CERTIFICATE_INVALID', 'no trusted CA certificate given');
  const chain = m.ders.map((d, i) => certFromDer(d, i === 0 ? 'signing certificate' : `chain certificate ${i}`));
  const leaf = chain[0]!;
  const anchor = buildChain(chain, anchors, leaf.notBefore);
  if (!leafCanSign(leaf)) {
    throw new ModelSealError('CERTIFICATE_USAGE_INVALID', 'signing certificate allows neither digitalSignature nor codeSigning');
  }
  const key = parseEcSpki(leaf.publicKey);
  // 0.2-era certificate bundles were signed with SHA-256 whatever the curve (upstream quirk).
  const { legacyPae } = verifyDsseWithKey(key, bundle.envelope, HASH_FOR_CURVE[key.curve], 'sha256');
  return sealVerified({
    signer: { kind: 'certificate', identity: formatName(leaf), caSubject: formatName(anchor), keyFingerprint: key.fingerprint },
    logEntries: [],
    timestamps: [],
    payloadType: bundle.envelope.payloadType,
    payload: bundle.envelope.payload,
    legacyPae,
  });
}
