/**
 * Bytes in a bundle that no signature covers must still be exactly what they claim to be. sigstore-js
 * reads what it needs and ignores the rest (an X.509 outer tag, the tag of an RFC 3161 signature, the
 * inclusion proof's own root hash and tree size, which it takes from the signed checkpoint). Found by
 * the mutation tests: without these checks such corruptions still "verify". We fail closed instead.
 */
import type { Bundle } from '@sigstore/bundle';
import type { TrustedRoot } from '@sigstore/protobuf-specs';
import { ModelSealError } from '../errors.js';
import { equalBytes, parseDerStrict, type ASN1Obj } from './shims/der.js';

const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
const OID_TST_INFO = '1.2.840.113549.1.9.16.1.4';
const TAG_SEQUENCE = 0x30;
const TAG_SET = 0x31;
const TAG_OCTET_STRING = 0x04;
const TAG_BIT_STRING = 0x03;
const TAG_INTEGER = 0x02;
const TAG_OID = 0x06;

// sigstore-js maps these OIDs to a digest and silently defaults to SHA-256 for any other.
const TIMESTAMP_SIGNATURE_OIDS = new Set(['1.2.840.10045.4.3.2', '1.2.840.10045.4.3.3', '1.2.840.10045.4.3.4']);

const tagOf = (o: ASN1Obj | undefined) => (o ? (o.tag.class << 6) | (o.tag.constructed ? 0x20 : 0) | o.tag.number : -1);

function expectTag(o: ASN1Obj | undefined, tag: number, what: string, code: 'CERTIFICATE_INVALID' | 'TIMESTAMP_INVALID'): ASN1Obj {
  if (!o || tagOf(o) !== tag) throw new ModelSealError(code, `${what} is not well-formed`);
  return o;
}

function parse(bytes: Uint8Array, what: string, code: 'CERTIFICATE_INVALID' | 'TIMESTAMP_INVALID'): ASN1Obj {
  try {
    return parseDerStrict(bytes);
  } catch (e) {
    throw new ModelSealError(code, `${what} is not canonical DER: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Certificate ::= SEQUENCE { tbsCertificate SEQUENCE, signatureAlgorithm SEQUENCE, signature BIT STRING (no unused bits) } */
export function assertCertificateShape(raw: Uint8Array): void {
  const what = 'a bundle certificate';
  const cert = expectTag(parse(raw, what, 'CERTIFICATE_INVALID'), TAG_SEQUENCE, what, 'CERTIFICATE_INVALID');
  if (cert.subs.length !== 3) throw new ModelSealError('CERTIFICATE_INVALID', `${what} is not well-formed`);
  expectTag(cert.subs[0], TAG_SEQUENCE, what, 'CERTIFICATE_INVALID');
  expectTag(cert.subs[1], TAG_SEQUENCE, what, 'CERTIFICATE_INVALID');
  const sig = expectTag(cert.subs[2], TAG_BIT_STRING, what, 'CERTIFICATE_INVALID');
  if (sig.value[0] !== 0) throw new ModelSealError('CERTIFICATE_INVALID', `${what} has a malformed signature`);
  // The unsigned outer signatureAlgorithm must repeat the signed one inside tbsCertificate (RFC 5280 4.1.1.2).
  const tbs = cert.subs[0] as ASN1Obj;
  const inner = tbs.subs[tagOf(tbs.subs[0]) === 0xa0 ? 2 : 1];
  if (!inner || !equalBytes(inner.toDER(), (cert.subs[1] as ASN1Obj).toDER())) {
    throw new ModelSealError('CERTIFICATE_INVALID', `${what} names two different signature algorithms`);
  }
}

/**
 * TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken ContentInfo } where the token is
 * signedData over id-ct-TSTInfo with exactly one SignerInfo whose signature is an OCTET STRING, and the
 * SignedData's digestAlgorithms names the signer's digest algorithm.
 */
export function assertTimestampShape(raw: Uint8Array, trustedCerts: readonly Uint8Array[]): void {
  const what = 'an RFC 3161 timestamp';
  const c = 'TIMESTAMP_INVALID' as const;
  const resp = expectTag(parse(raw, what, c), TAG_SEQUENCE, what, c);
  const status = expectTag(resp.subs[0], TAG_SEQUENCE, what, c);
  const statusValue = expectTag(status.subs[0], TAG_INTEGER, what, c).toInteger();
  if (statusValue !== 0n && statusValue !== 1n) throw new ModelSealError(c, `${what} was not granted`);
  const token = expectTag(resp.subs[1], TAG_SEQUENCE, what, c);
  if (resp.subs.length !== 2) throw new ModelSealError(c, `${what} is not well-formed`);
  if (expectTag(token.subs[0], TAG_OID, what, c).toOID() !== OID_SIGNED_DATA) throw new ModelSealError(c, `${what} is not signedData`);
  const explicit = expectTag(token.subs[1], 0xa0, what, c);
  const signedData = expectTag(explicit.subs[0], TAG_SEQUENCE, what, c);
  const [version, digestAlgorithms, encap, ...rest] = signedData.subs;
  expectTag(version, TAG_INTEGER, what, c);
  const digestSet = expectTag(digestAlgorithms, TAG_SET, what, c);
  const encapsulated = expectTag(encap, TAG_SEQUENCE, what, c);
  if (expectTag(encapsulated.subs[0], TAG_OID, what, c).toOID() !== OID_TST_INFO) throw new ModelSealError(c, `${what} does not carry TSTInfo`);
  const content = expectTag(encapsulated.subs[1], 0xa0, what, c);
  expectTag(content.subs[0], TAG_OCTET_STRING, what, c);
  const signerInfos = expectTag(rest[rest.length - 1], TAG_SET, what, c);
  for (const optional of rest.slice(0, -1)) {
    const t = tagOf(optional);
    if (t !== 0xa0 && t !== 0xa1) throw new ModelSealError(c, `${what} is not well-formed`);
    // Embedded certificates are not covered by the signature and sigstore-js verifies against the
    // trusted root's TSA chain; an embedded one that is not in that chain is foreign or corrupted.
    if (t === 0xa0) {
      for (const cert of optional.subs) {
        const der = cert.toDER();
        if (!trustedCerts.some((tc) => equalBytes(tc, der))) throw new ModelSealError(c, `${what} embeds a certificate that is not a trusted TSA certificate`);
      }
    }
  }
  if (signerInfos.subs.length !== 1) throw new ModelSealError(c, `${what} must have exactly one signer`);
  const signer = expectTag(signerInfos.subs[0], TAG_SEQUENCE, what, c);
  // sid: IssuerAndSerialNumber (sigstore-js reads issuer and serial from it).
  const sid = expectTag(signer.subs[1], TAG_SEQUENCE, what, c);
  expectTag(sid.subs[0], TAG_SEQUENCE, what, c);
  expectTag(sid.subs[1], TAG_INTEGER, what, c);
  if (sid.subs.length !== 2) throw new ModelSealError(c, `${what} is not well-formed`);
  const digestAlg = expectTag(signer.subs[2], TAG_SEQUENCE, what, c);
  const digestOid = expectTag(digestAlg.subs[0], TAG_OID, what, c).toOID();
  const listed = digestSet.subs.some((a) => tagOf(a) === TAG_SEQUENCE && tagOf(a.subs[0]) === TAG_OID && a.subs[0]?.toOID() === digestOid);
  if (!listed) throw new ModelSealError(c, `${what} does not list its signer's digest algorithm`);
  // SignerInfo: version, sid, digestAlgorithm, [0] signedAttrs, signatureAlgorithm, signature, [1]?
  const sigIndex = signer.subs.findIndex((s, i) => i > 3 && tagOf(s) === TAG_SEQUENCE) + 1;
  if (sigIndex <= 0) throw new ModelSealError(c, `${what} is not well-formed`);
  const sigAlg = expectTag(signer.subs[sigIndex - 1], TAG_SEQUENCE, what, c);
  if (!TIMESTAMP_SIGNATURE_OIDS.has(expectTag(sigAlg.subs[0], TAG_OID, what, c).toOID())) {
    throw new ModelSealError(c, `${what} uses an unsupported signature algorithm`);
  }
  expectTag(signer.subs[sigIndex], TAG_OCTET_STRING, what, c);
}

/** The inclusion proof's root hash and tree size must be the ones the signed checkpoint states. */
export function assertProofMatchesCheckpoint(entry: Bundle['verificationMaterial']['tlogEntries'][number]): void {
  const proof = entry.inclusionProof;
  const envelope = proof?.checkpoint?.envelope;
  if (!proof || !envelope) return;
  const [, size, hash] = envelope.split('\n');
  let rootHash: Uint8Array;
  try {
    rootHash = Uint8Array.from(atob(hash ?? ''), (ch) => ch.charCodeAt(0));
  } catch {
    throw new ModelSealError('TLOG_INVALID', 'checkpoint root hash is not base64');
  }
  if (!/^[0-9]+$/.test(size ?? '') || BigInt(size as string) !== BigInt(proof.treeSize)) {
    throw new ModelSealError('TLOG_INVALID', 'inclusion proof tree size differs from the checkpoint');
  }
  if (!equalBytes(rootHash, proof.rootHash)) throw new ModelSealError('TLOG_INVALID', 'inclusion proof root hash differs from the checkpoint');
  if (BigInt(proof.logIndex) !== BigInt(entry.logIndex) && entry.inclusionPromise === undefined) {
    // Rekor v2 has no SET binding the entry's logIndex; the proof's index is the verified one.
    throw new ModelSealError('TLOG_INVALID', 'log entry index differs from the inclusion proof index');
  }
}

/** Every log entry must name a log of the trusted root (by log id or checkpoint key id). */
export function assertKnownLogs(bundle: Bundle, root: TrustedRoot): void {
  for (const e of bundle.verificationMaterial.tlogEntries) {
    const id = e.logId?.keyId;
    const known = id?.length && root.tlogs.some((t) => (t.logId?.keyId && equalBytes(t.logId.keyId, id)) || (t.checkpointKeyId?.keyId && equalBytes(t.checkpointKeyId.keyId, id)));
    if (!known) throw new ModelSealError('TLOG_INVALID', 'a log entry names a log that is not in the trusted root');
  }
}

/** Runs every shape check on a parsed bundle against the trusted root it will be verified with. */
export function assertBundleShape(bundle: Bundle, root: TrustedRoot): void {
  assertKnownLogs(bundle, root);
  const tsaCerts = root.timestampAuthorities.flatMap((a) => a.certChain?.certificates.map((cc) => cc.rawBytes) ?? []);
  const material = bundle.verificationMaterial;
  const certs =
    material.content.$case === 'x509CertificateChain'
      ? material.content.x509CertificateChain.certificates
      : material.content.$case === 'certificate'
        ? [material.content.certificate]
        : [];
  for (const c of certs) assertCertificateShape(c.rawBytes);
  for (const t of material.timestampVerificationData?.rfc3161Timestamps ?? []) assertTimestampShape(t.signedTimestamp, tsaCerts);
  for (const e of material.tlogEntries) assertProofMatchesCheckpoint(e);
}
