// X.509 certificate builder over pkijs/asn1js. We encode the TBS with pkijs and sign it with our
// deterministic keys (pkijs' own sign() goes through randomized WebCrypto ECDSA).
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { ab, sha256, toPem, utf8 } from './bytes.js';
import { ECDSA_SIG_OID, type HashName, type KeyPair } from './keys.js';

export const OID = {
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  subjectKeyId: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyId: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  ekuCodeSigning: '1.3.6.1.5.5.7.3.3',
  ekuTimeStamping: '1.3.6.1.5.5.7.3.8',
  otherNameIdentity: '1.3.6.1.4.1.57264.1.7',
  fulcioIssuerV1: '1.3.6.1.4.1.57264.1.1',
  fulcioIssuerV2: '1.3.6.1.4.1.57264.1.8',
  /** Fulcio "Source Repository URI" (DER UTF8String): the repo a CI workflow ran for. */
  fulcioSourceRepositoryUri: '1.3.6.1.4.1.57264.1.12',
  sctList: '1.3.6.1.4.1.11129.2.4.2',
  ed25519: '1.3.101.112',
} as const;

export interface Name {
  organization?: string;
  commonName?: string;
}

export type KeyUsageBit = 'digitalSignature' | 'keyCertSign' | 'cRLSign';
const KU_BIT: Record<KeyUsageBit, number> = { digitalSignature: 0, keyCertSign: 5, cRLSign: 6 };

export interface RawExtension {
  oid: string;
  critical?: boolean;
  /** The DER (or raw) bytes that go inside extnValue's OCTET STRING. */
  value: Uint8Array;
}

export interface CertSpec {
  subject: Name;
  /** Issuer name and key; omit for a self-signed certificate. */
  issuer?: { name: Name; key: KeyPair };
  subjectKey: KeyPair;
  serial: bigint;
  notBefore: Date;
  notAfter: Date;
  ca?: { pathLen?: number };
  keyUsage: KeyUsageBit[];
  extKeyUsage?: string[];
  ekuCritical?: boolean;
  email?: string;
  uri?: string;
  /** SAN otherName with type-id 1.3.6.1.4.1.57264.1.7 (Fulcio's username identities). */
  otherName?: string;
  extra?: RawExtension[];
  /** Hash of the issuer's ECDSA signature; default follows the issuer curve. */
  signHash?: HashName;
}

export interface BuiltCert {
  der: Uint8Array;
  pem: string;
  /** DER TBSCertificate without the SCT extension (the RFC 6962 precertificate body). */
  tbsWithoutSct: Uint8Array;
  spec: CertSpec;
}

/** Subject key identifier we use: first 20 bytes of SHA-256 over the SPKI. */
export const keyId = (k: KeyPair): Uint8Array => sha256(k.spki).slice(0, 20);

function toRdn(n: Name): pkijs.RelativeDistinguishedNames {
  // One attribute per RDN SET, as CAs write names; an empty name is an empty SEQUENCE (Fulcio leaves).
  const rdn = (type: string, value: string) =>
    new asn1js.Set({ value: [new pkijs.AttributeTypeAndValue({ type, value: new asn1js.PrintableString({ value }) }).toSchema()] });
  const sets: asn1js.Set[] = [];
  if (n.organization !== undefined) sets.push(rdn(OID.organization, n.organization));
  if (n.commonName !== undefined) sets.push(rdn(OID.commonName, n.commonName));
  return pkijs.RelativeDistinguishedNames.fromBER(new asn1js.Sequence({ value: sets }).toBER(false));
}

function ext(oid: string, critical: boolean, value: Uint8Array): pkijs.Extension {
  return new pkijs.Extension({ extnID: oid, critical, extnValue: ab(value) });
}

const der = (o: { toSchema(): asn1js.BaseBlock } | asn1js.BaseBlock): Uint8Array =>
  new Uint8Array('toSchema' in o ? o.toSchema().toBER(false) : o.toBER(false));

function keyUsageValue(bits: KeyUsageBit[]): Uint8Array {
  let v = 0;
  for (const b of bits) v |= 0x80 >> KU_BIT[b];
  // All bits we use live in the first byte; DER drops trailing zero bits and counts them as unused.
  const last = Math.max(...bits.map((b) => KU_BIT[b]));
  return der(new asn1js.BitString({ valueHex: ab(new Uint8Array([v])), unusedBits: 7 - last }));
}

function signatureAlgorithm(issuerKey: KeyPair, hash: HashName): pkijs.AlgorithmIdentifier {
  if (issuerKey.curve === 'Ed25519') return new pkijs.AlgorithmIdentifier({ algorithmId: OID.ed25519 });
  return new pkijs.AlgorithmIdentifier({ algorithmId: ECDSA_SIG_OID[hash] });
}

function buildExtensions(spec: CertSpec): pkijs.Extension[] {
  const issuerKey = spec.issuer?.key ?? spec.subjectKey;
  const out: pkijs.Extension[] = [ext(OID.keyUsage, true, keyUsageValue(spec.keyUsage))];
  if (spec.ca)
    out.push(
      // Encoded directly: pkijs writes pathLen 0 when none is given, which would forbid intermediates.
      ext(
        OID.basicConstraints,
        true,
        der(
          new asn1js.Sequence({
            value: [
              new asn1js.Boolean({ value: true }),
              ...(spec.ca.pathLen === undefined ? [] : [new asn1js.Integer({ value: spec.ca.pathLen })]),
            ],
          }),
        ),
      ),
    );
  if (spec.extKeyUsage?.length)
    out.push(
      ext(OID.extKeyUsage, spec.ekuCritical ?? false, der(new pkijs.ExtKeyUsage({ keyPurposes: spec.extKeyUsage }))),
    );
  out.push(ext(OID.subjectKeyId, false, der(new asn1js.OctetString({ valueHex: ab(keyId(spec.subjectKey)) }))));
  out.push(ext(OID.authorityKeyId, false, der(new pkijs.AuthorityKeyIdentifier({ keyIdentifier: new asn1js.OctetString({ valueHex: ab(keyId(issuerKey)) }) }))));
  // GeneralNames built with asn1js directly: rfc822Name [1] and URI [6] are IA5String bodies;
  // otherName [0] is { type-id, [0] EXPLICIT UTF8String } (Fulcio's 1.3.6.1.4.1.57264.1.7).
  const names: asn1js.BaseBlock[] = [];
  const ia5 = (tag: number, v: string) => new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: tag }, valueHex: ab(utf8(v)) });
  if (spec.email !== undefined) names.push(ia5(1, spec.email));
  if (spec.uri !== undefined) names.push(ia5(6, spec.uri));
  if (spec.otherName !== undefined)
    names.push(
      new asn1js.Constructed({
        idBlock: { tagClass: 3, tagNumber: 0 },
        value: [
          new asn1js.ObjectIdentifier({ value: OID.otherNameIdentity }),
          new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [new asn1js.Utf8String({ value: spec.otherName })] }),
        ],
      }),
    );
  if (names.length > 0) {
    // Fulcio leaves have an empty subject, so the SAN is critical (RFC 5280 §4.2.1.6).
    const emptySubject = spec.subject.commonName === undefined && spec.subject.organization === undefined;
    out.push(ext(OID.subjectAltName, emptySubject, der(new asn1js.Sequence({ value: names }))));
  }
  for (const e of spec.extra ?? []) out.push(ext(e.oid, e.critical ?? false, e.value));
  return out;
}

function assemble(spec: CertSpec, extensions: pkijs.Extension[]): pkijs.Certificate {
  const issuerKey = spec.issuer?.key ?? spec.subjectKey;
  const hash = spec.signHash ?? issuerKey.hash;
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = asn1js.Integer.fromBigInt(spec.serial);
  cert.signature = signatureAlgorithm(issuerKey, hash);
  cert.issuer = toRdn(spec.issuer?.name ?? spec.subject);
  cert.subject = toRdn(spec.subject);
  // RFC 5280: UTCTime through 2049, GeneralizedTime from 2050.
  const time = (d: Date) => new pkijs.Time({ type: d.getUTCFullYear() >= 2050 ? 1 : 0, value: d });
  cert.notBefore = time(spec.notBefore);
  cert.notAfter = time(spec.notAfter);
  cert.subjectPublicKeyInfo = pkijs.PublicKeyInfo.fromBER(ab(spec.subjectKey.spki));
  cert.extensions = extensions;
  cert.signatureAlgorithm = signatureAlgorithm(issuerKey, hash);
  return cert;
}

/**
 * Builds and signs a certificate. `sctFor`, when given, receives the precertificate TBS (the TBS
 * without the SCT extension) and returns the SCT list extension value to embed, as a CT log does.
 */
export function buildCertificate(spec: CertSpec, sctFor?: (tbsWithoutSct: Uint8Array) => Uint8Array): BuiltCert {
  const issuerKey = spec.issuer?.key ?? spec.subjectKey;
  const hash = spec.signHash ?? issuerKey.hash;
  const base = buildExtensions(spec);
  const tbsWithoutSct = der(assemble(spec, base).encodeTBS());
  const extensions = sctFor ? [...base, ext(OID.sctList, false, sctFor(tbsWithoutSct))] : base;
  const cert = assemble(spec, extensions);
  const tbs = der(cert.encodeTBS());
  cert.tbsView = new Uint8Array(tbs);
  cert.signatureValue = new asn1js.BitString({ valueHex: ab(issuerKey.sign(tbs, hash)) });
  const out = der(cert.toSchema());
  return { der: out, pem: toPem('CERTIFICATE', out), tbsWithoutSct, spec };
}

/** DER of an ASN.1 UTF8String (Fulcio's 1.3.6.1.4.1.57264.1.8 value). */
export const derUtf8String = (s: string): Uint8Array => der(new asn1js.Utf8String({ value: s }));
/** DER of an OCTET STRING wrapping `b`. */
export const derOctetString = (b: Uint8Array): Uint8Array => der(new asn1js.OctetString({ valueHex: ab(b) }));
