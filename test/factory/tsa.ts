// An RFC 3161 timestamp authority: its own root CA and a signing certificate with the critical
// timeStamping EKU; responses are TimeStampResp structures (status + CMS SignedData over TSTInfo)
// whose signed attributes are signed with our deterministic ECDSA key.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { ab, sha256 } from './bytes.js';
import { deriveKey, ECDSA_SIG_OID, type KeyPair } from './keys.js';
import { buildCertificate, OID, type BuiltCert, type Name } from './x509.js';

const OID_SHA256 = '2.16.840.1.101.3.4.2.1';
const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
const OID_TSTINFO = '1.2.840.113549.1.9.16.1.4';
const OID_ATTR_CONTENT_TYPE = '1.2.840.113549.1.9.3';
const OID_ATTR_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
const OID_ATTR_SIGNING_TIME = '1.2.840.113549.1.9.5';
const OID_ATTR_SIGNING_CERT_V2 = '1.2.840.113549.1.9.16.2.47';
const TSA_POLICY = '1.3.6.1.4.1.57264.2';

const sha256Alg = () => new pkijs.AlgorithmIdentifier({ algorithmId: OID_SHA256 });
const berOf = (b: asn1js.BaseBlock): Uint8Array => new Uint8Array(b.toBER(false));

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

export interface TimestampOptions {
  /** Embed the TSA signing certificate in the SignedData (default true). */
  embedCertificate?: boolean;
  serial?: bigint;
}

export class TestTsa {
  readonly rootKey: KeyPair;
  readonly signingKey: KeyPair;
  readonly root: BuiltCert;
  readonly signer: BuiltCert;
  readonly uri = 'https://timestamp.sigstore.test/api/v1/timestamp';
  readonly subject: Name = { organization: 'sigstore.test', commonName: 'sigstore-tsa-selfsigned' };
  private serial = 1n;

  constructor(seed: string, validFrom: Date, validTo: Date) {
    this.rootKey = deriveKey('P-384', `${seed}:tsa-root`);
    this.signingKey = deriveKey('P-256', `${seed}:tsa-signer`);
    this.root = buildCertificate({
      subject: this.subject,
      subjectKey: this.rootKey,
      serial: 0x7501n,
      notBefore: validFrom,
      notAfter: validTo,
      ca: {},
      keyUsage: ['keyCertSign', 'cRLSign'],
    });
    this.signer = buildCertificate({
      subject: { organization: 'sigstore.test', commonName: 'sigstore-tsa' },
      issuer: { name: this.subject, key: this.rootKey },
      subjectKey: this.signingKey,
      serial: 0x7502n,
      notBefore: validFrom,
      notAfter: validTo,
      keyUsage: ['digitalSignature'],
      extKeyUsage: [OID.ekuTimeStamping],
      ekuCritical: true,
    });
  }

  /** DER TimeStampResp over `data` (Sigstore timestamps the signature bytes) at time `at`. */
  timestamp(data: Uint8Array, at: Date, opts: TimestampOptions = {}): Uint8Array {
    const genTime = new Date(Math.floor(at.getTime() / 1000) * 1000);
    const tstInfo = new pkijs.TSTInfo({
      version: 1,
      policy: TSA_POLICY,
      messageImprint: new pkijs.MessageImprint({
        hashAlgorithm: sha256Alg(),
        hashedMessage: new asn1js.OctetString({ valueHex: ab(sha256(data)) }),
      }),
      serialNumber: asn1js.Integer.fromBigInt(opts.serial ?? this.serial++),
      genTime,
    });
    const tstDer = berOf(tstInfo.toSchema());

    const signerCert = pkijs.Certificate.fromBER(ab(this.signer.der));
    const essCertIdV2 = new asn1js.Sequence({
      value: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: ab(sha256(this.signer.der)) })] })] })],
    });
    const attrs = [
      new pkijs.Attribute({ type: OID_ATTR_CONTENT_TYPE, values: [new asn1js.ObjectIdentifier({ value: OID_TSTINFO })] }),
      new pkijs.Attribute({ type: OID_ATTR_SIGNING_TIME, values: [new asn1js.UTCTime({ valueDate: genTime })] }),
      new pkijs.Attribute({ type: OID_ATTR_MESSAGE_DIGEST, values: [new asn1js.OctetString({ valueHex: ab(sha256(tstDer)) })] }),
      new pkijs.Attribute({ type: OID_ATTR_SIGNING_CERT_V2, values: [essCertIdV2] }),
    ];
    // DER SET OF: members sorted by their encodings.
    attrs.sort((a, b) => compareBytes(berOf(a.toSchema()), berOf(b.toSchema())));
    const signedAttrs = new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: attrs });
    const toSign = berOf(new asn1js.Set({ value: attrs.map((a) => a.toSchema()) }));

    const signerInfo = new pkijs.SignerInfo({
      version: 1,
      sid: new pkijs.IssuerAndSerialNumber({ issuer: signerCert.issuer, serialNumber: signerCert.serialNumber }),
      digestAlgorithm: sha256Alg(),
      signedAttrs,
      signatureAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: ECDSA_SIG_OID.sha256 }),
      signature: new asn1js.OctetString({ valueHex: ab(this.signingKey.sign(toSign, 'sha256')) }),
    });
    // SignedData assembled from pkijs parts: pkijs would BER-chunk eContent into a constructed
    // OCTET STRING, and timestamp tokens must be DER.
    const signedData = new asn1js.Sequence({
      value: [
        new asn1js.Integer({ value: 3 }),
        new asn1js.Set({ value: [sha256Alg().toSchema()] }),
        new asn1js.Sequence({
          value: [
            new asn1js.ObjectIdentifier({ value: OID_TSTINFO }),
            new asn1js.Constructed({
              idBlock: { tagClass: 3, tagNumber: 0 },
              value: [new asn1js.OctetString({ valueHex: ab(tstDer) })],
            }),
          ],
        }),
        ...(opts.embedCertificate === false
          ? []
          : [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [signerCert.toSchema()] })]),
        new asn1js.Set({ value: [signerInfo.toSchema()] }),
      ],
    });
    const resp = new pkijs.TimeStampResp({
      status: new pkijs.PKIStatusInfo({ status: pkijs.PKIStatus.granted }),
      timeStampToken: new pkijs.ContentInfo({ contentType: OID_SIGNED_DATA, content: signedData }),
    });
    return berOf(resp.toSchema());
  }
}
