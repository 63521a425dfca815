// The three kinds of model_signing signers, each turning an in-toto statement into a complete
// Sigstore bundle (model.sig content):
// - sigstore: Fulcio certificate + transparency log entry from a TestSigstore;
// - key: a bare ECDSA key, bundle carries `publicKey.hint` (1.1) or `rawBytes` + `keyDetails` (1.0);
// - certificate: own root + intermediate + leaf, bundle carries `x509CertificateChain`.
import { b64, pae, paeV02Compat, sha256, utf8 } from './bytes.js';
import type { DsseEnvelopeJson } from './bodies.js';
import { deriveKey, KEY_DETAILS, pemHint, type Curve, type HashName, type KeyPair } from './keys.js';
import { BUNDLE_V03, type BundleJson, type LogKind, type TestSigstore } from './sigstore.js';
import { buildCertificate, OID, type BuiltCert, type KeyUsageBit, type Name, type RawExtension } from './x509.js';

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

export interface ModelSigner {
  readonly kind: 'sigstore' | 'key' | 'certificate';
  /** Signs `payload` as a DSSE envelope and returns the complete bundle. */
  signDsse(payloadType: string, payload: Uint8Array): BundleJson;
}

export interface SigstoreSigner extends ModelSigner {
  readonly kind: 'sigstore';
  readonly sigstore: TestSigstore;
  readonly identity: string;
  readonly issuer: string;
}

export function createSigstoreSigner(
  sigstore: TestSigstore,
  opts: { identity: string; issuer: string; log?: LogKind; timestamp?: 'tsa' | 'none'; sanType?: 'email' | 'uri' | 'otherName'; sourceRepository?: string; leafExtensions?: RawExtension[] },
): SigstoreSigner {
  return {
    kind: 'sigstore',
    sigstore,
    identity: opts.identity,
    issuer: opts.issuer,
    signDsse: (payloadType, payload) => sigstore.signDsse({ ...opts, payloadType, payload }).bundle,
  };
}

export interface KeySigner extends ModelSigner {
  readonly kind: 'key';
  readonly key: KeyPair;
  /** Canonical SPKI PEM: what a user passes to `--key`. */
  readonly publicKeyPem: string;
  /** SHA-256 hex of `publicKeyPem` (model_signing 1.1's `publicKey.hint`). */
  readonly hint: string;
}

export interface KeySignerOptions {
  seed?: string;
  /** 'hint' = model_signing 1.1 bundle; 'rawBytes' = 1.0 bundle (base64 PEM + keyDetails, keyid null). */
  style?: 'hint' | 'rawBytes';
  hash?: HashName;
  /** 'v0.2-compat' signs over the buggy 0.2 PAE (see paeV02Compat), as 0.2 key bundles were. */
  pae?: PaeStyle;
}

export type PaeStyle = 'standard' | 'v0.2-compat';
const paeFor = (style: PaeStyle | undefined) => (style === 'v0.2-compat' ? paeV02Compat : pae);

function envelope(payloadType: string, payload: Uint8Array, sig: Uint8Array, keyid: string | null): DsseEnvelopeJson {
  return { payload: b64(payload), payloadType, signatures: [{ sig: b64(sig), keyid }] };
}

export function createKeySigner(curve: Exclude<Curve, 'Ed25519'> = 'P-256', opts: KeySignerOptions = {}): KeySigner {
  const key = deriveKey(curve, opts.seed ?? `modelseal-key-signer:${curve}`);
  const hint = pemHint(key);
  const style = opts.style ?? 'hint';
  return {
    kind: 'key',
    key,
    publicKeyPem: key.pem,
    hint,
    signDsse(payloadType, payload) {
      const sig = key.sign(paeFor(opts.pae)(payloadType, payload), opts.hash);
      const publicKey =
        style === 'hint' ? { hint } : { rawBytes: b64(utf8(key.pem)), keyDetails: KEY_DETAILS[curve] };
      return {
        mediaType: BUNDLE_V03,
        verificationMaterial: { publicKey, tlogEntries: [] },
        dsseEnvelope: envelope(payloadType, payload, sig, style === 'hint' ? '' : null),
      };
    },
  };
}

export interface CaSigner extends ModelSigner {
  readonly kind: 'certificate';
  readonly rootKey: KeyPair;
  readonly intermediateKey: KeyPair;
  readonly leafKey: KeyPair;
  readonly root: BuiltCert;
  readonly intermediate: BuiltCert;
  readonly leaf: BuiltCert;
  /** PEM of the trust anchor a verifier passes (`--ca`). */
  readonly caPem: string;
  /** Leaf-first chain written to the bundle. */
  readonly chain: BuiltCert[];
}

export interface CaSignerOptions {
  seed?: string;
  leafCurve?: Exclude<Curve, 'Ed25519'>;
  /** Leaf KeyUsage / EKU; default digitalSignature + codeSigning. */
  leafKeyUsage?: KeyUsageBit[];
  leafExtKeyUsage?: string[];
  validFrom?: Date;
  validTo?: Date;
  /** Also put the root in the bundle chain (default false: leaf + intermediate, as usually written). */
  includeRoot?: boolean;
  /** Signature hash (default: the leaf curve's); 0.2 certificate bundles used SHA-256 on every curve. */
  hash?: HashName;
  pae?: PaeStyle;
  /** The leaf's subject (default O=ModelSeal Test, CN=model-signing-leaf): another holder of a certificate from the same CA. */
  leafSubject?: Name;
}

export function createCaSigner(opts: CaSignerOptions = {}): CaSigner {
  const seed = opts.seed ?? 'modelseal-ca-signer';
  const validFrom = opts.validFrom ?? new Date('2025-01-01T00:00:00Z');
  const validTo = opts.validTo ?? new Date('2035-01-01T00:00:00Z');
  const rootKey = deriveKey('P-384', `${seed}:root`);
  const intermediateKey = deriveKey('P-384', `${seed}:intermediate`);
  const leafKey = deriveKey(opts.leafCurve ?? 'P-256', `${seed}:leaf`);
  const rootName: Name = { organization: 'ModelSeal Test', commonName: 'root-ca' };
  const intName: Name = { organization: 'ModelSeal Test', commonName: 'intermediate-ca' };
  const root = buildCertificate({
    subject: rootName,
    subjectKey: rootKey,
    serial: 0x6101n,
    notBefore: validFrom,
    notAfter: validTo,
    ca: {},
    keyUsage: ['keyCertSign', 'cRLSign'],
  });
  const intermediate = buildCertificate({
    subject: intName,
    issuer: { name: rootName, key: rootKey },
    subjectKey: intermediateKey,
    serial: 0x6102n,
    notBefore: validFrom,
    notAfter: validTo,
    ca: { pathLen: 0 },
    keyUsage: ['keyCertSign', 'cRLSign'],
  });
  const leaf = buildCertificate({
    subject: opts.leafSubject ?? { organization: 'ModelSeal Test', commonName: 'model-signing-leaf' },
    issuer: { name: intName, key: intermediateKey },
    subjectKey: leafKey,
    serial: BigInt(`0x${Buffer.from(sha256(utf8(`${seed}:leaf-serial`)).slice(0, 8)).toString('hex')}`),
    notBefore: validFrom,
    notAfter: validTo,
    keyUsage: opts.leafKeyUsage ?? ['digitalSignature'],
    extKeyUsage: opts.leafExtKeyUsage ?? [OID.ekuCodeSigning],
  });
  const chain = opts.includeRoot ? [leaf, intermediate, root] : [leaf, intermediate];
  return {
    kind: 'certificate',
    rootKey,
    intermediateKey,
    leafKey,
    root,
    intermediate,
    leaf,
    caPem: root.pem,
    chain,
    signDsse(payloadType, payload) {
      const sig = leafKey.sign(paeFor(opts.pae)(payloadType, payload), opts.hash);
      return {
        mediaType: BUNDLE_V03,
        verificationMaterial: {
          x509CertificateChain: { certificates: chain.map((c) => ({ rawBytes: b64(c.der) })) },
          tlogEntries: [],
        },
        dsseEnvelope: envelope(payloadType, payload, sig, ''),
      };
    },
  };
}
