// A complete test Sigstore instance: Fulcio-style CA (root + intermediate issuing 10-minute leaf
// certificates with SCTs), a CT log, a Rekor v1 and a Rekor v2 log, an RFC 3161 TSA, and the
// trusted_root.json that trusts them. Everything derives from one seed and a fixed clock, so the
// same calls produce the same bytes.
import { b64, pae, sha256, utf8 } from './bytes.js';
import { dsseV001, dsseV002, hashedrekordV001, hashedRekordV002, type DsseEnvelopeJson, type Verifier } from './bodies.js';
import { TestCtLog } from './ctlog.js';
import { deriveKey, KEY_DETAILS, type KeyPair } from './keys.js';
import { RekorV1Log, RekorV2Log, type LogOptions, type TlogEntryJson } from './rekor.js';
import { TestTsa } from './tsa.js';
import { buildCertificate, derUtf8String, OID, type BuiltCert, type Name, type RawExtension } from './x509.js';

export const BUNDLE_V03 = 'application/vnd.dev.sigstore.bundle.v0.3+json';
export const TRUSTED_ROOT_MEDIA_TYPE = 'application/vnd.dev.sigstore.trustedroot+json;version=0.1';

/** protobuf-specs JSON of a Sigstore bundle (the subset we produce). */
export interface BundleJson {
  mediaType: string;
  verificationMaterial: {
    certificate?: { rawBytes: string };
    x509CertificateChain?: { certificates: { rawBytes: string }[] };
    publicKey?: { hint?: string; rawBytes?: string; keyDetails?: string };
    tlogEntries: TlogEntryJson[];
    timestampVerificationData?: { rfc3161Timestamps: { signedTimestamp: string }[] };
  };
  dsseEnvelope?: DsseEnvelopeJson;
  messageSignature?: { messageDigest: { algorithm: string; digest: string }; signature: string };
}

export type LogKind = 'rekor-v1' | 'rekor-v2';

export interface SigstoreSignOptions {
  /** SAN value: an email address, or a URI (anything with "://"), unless `sanType` says otherwise. */
  identity: string;
  /** Force the SAN type; 'otherName' writes Fulcio's 1.3.6.1.4.1.57264.1.7 otherName. */
  sanType?: 'email' | 'uri' | 'otherName';
  /** OIDC issuer written to 1.3.6.1.4.1.57264.1.1 (raw) and .1.8 (UTF8String). */
  issuer: string;
  /** CI identities: Fulcio's Source Repository URI (1.3.6.1.4.1.57264.1.12, UTF8String). */
  sourceRepository?: string;
  /** Further leaf extensions as given (e.g. a malformed claim). */
  leafExtensions?: RawExtension[];
  log?: LogKind;
  /** 'tsa' adds an RFC 3161 timestamp; default: 'tsa' for Rekor v2 (required there), 'none' for v1. */
  timestamp?: 'tsa' | 'none';
  /** Signing time; default: the instance clock, which advances one minute per signature. */
  at?: Date;
  /**
   * Seconds between certificate issuance and the log's integrated time / the TSA's time (default 1).
   * Past the leaf lifetime (600) it makes the classic "logged after the certificate expired" bundle.
   */
  logDelaySeconds?: number;
}

export interface DsseSignOptions extends SigstoreSignOptions {
  payloadType: string;
  payload: Uint8Array;
}

export interface MessageSignOptions extends SigstoreSignOptions {
  message: Uint8Array;
}

export interface TestSigstoreOptions {
  seed?: string;
  /** Start of the instance clock (default 2025-10-10T02:12:19Z). */
  now?: Date;
  /** Validity window of the CAs, logs and TSA (defaults: 2024-01-01 .. 2035-01-01). */
  validFrom?: Date;
  validTo?: Date;
  /** Leaf certificate lifetime in seconds (Fulcio: 600). */
  leafLifetime?: number;
  logOptions?: LogOptions;
}

export interface SignedResult {
  bundle: BundleJson;
  leaf: BuiltCert;
  leafKey: KeyPair;
  signature: Uint8Array;
  at: Date;
}

export class TestSigstore {
  readonly seed: string;
  readonly validFrom: Date;
  readonly validTo: Date;
  readonly rootKey: KeyPair;
  readonly intermediateKey: KeyPair;
  readonly root: BuiltCert;
  readonly intermediate: BuiltCert;
  readonly ctlog: TestCtLog;
  readonly rekorV1: RekorV1Log;
  readonly rekorV2: RekorV2Log;
  readonly tsa: TestTsa;
  readonly fulcioUri = 'https://fulcio.sigstore.test';
  private clock: number;
  private counter = 0;
  private readonly leafLifetime: number;
  private readonly rootName: Name = { organization: 'sigstore.test', commonName: 'sigstore' };
  private readonly intermediateName: Name = { organization: 'sigstore.test', commonName: 'sigstore-intermediate' };

  constructor(opts: TestSigstoreOptions = {}) {
    this.seed = opts.seed ?? 'modelseal-test-sigstore';
    this.validFrom = opts.validFrom ?? new Date('2024-01-01T00:00:00Z');
    this.validTo = opts.validTo ?? new Date('2035-01-01T00:00:00Z');
    this.clock = (opts.now ?? new Date('2025-10-10T02:12:19Z')).getTime();
    this.leafLifetime = opts.leafLifetime ?? 600;
    this.rootKey = deriveKey('P-384', `${this.seed}:fulcio-root`);
    this.intermediateKey = deriveKey('P-384', `${this.seed}:fulcio-intermediate`);
    this.root = buildCertificate({
      subject: this.rootName,
      subjectKey: this.rootKey,
      serial: 0x5101n,
      notBefore: this.validFrom,
      notAfter: this.validTo,
      ca: { pathLen: 1 },
      keyUsage: ['keyCertSign', 'cRLSign'],
    });
    this.intermediate = buildCertificate({
      subject: this.intermediateName,
      issuer: { name: this.rootName, key: this.rootKey },
      subjectKey: this.intermediateKey,
      serial: 0x5102n,
      notBefore: this.validFrom,
      notAfter: this.validTo,
      ca: { pathLen: 0 },
      keyUsage: ['keyCertSign', 'cRLSign'],
      extKeyUsage: [OID.ekuCodeSigning],
    });
    this.ctlog = new TestCtLog(this.seed);
    this.rekorV1 = new RekorV1Log(this.seed, undefined, undefined, opts.logOptions);
    this.rekorV2 = new RekorV2Log(this.seed, undefined, opts.logOptions);
    this.tsa = new TestTsa(this.seed, this.validFrom, this.validTo);
  }

  private nextTime(at?: Date): Date {
    if (at) return at;
    const t = new Date(this.clock);
    this.clock += 60_000;
    return t;
  }

  /** A Fulcio-style leaf for `identity`/`issuer`, valid from `at` for the leaf lifetime. */
  issueLeaf(
    identity: string,
    issuer: string,
    key: KeyPair,
    at: Date,
    sanType?: 'email' | 'uri' | 'otherName',
    sourceRepository?: string,
    leafExtensions: RawExtension[] = [],
  ): BuiltCert {
    const type = sanType ?? (identity.includes('://') ? 'uri' : 'email');
    return buildCertificate(
      {
        subject: {},
        issuer: { name: this.intermediateName, key: this.intermediateKey },
        subjectKey: key,
        serial: BigInt(`0x${Buffer.from(sha256(utf8(`${this.seed}:serial:${this.counter}`)).slice(0, 16)).toString('hex')}`) >> 1n,
        notBefore: at,
        notAfter: new Date(at.getTime() + this.leafLifetime * 1000),
        keyUsage: ['digitalSignature'],
        extKeyUsage: [OID.ekuCodeSigning],
        ...(type === 'uri' ? { uri: identity } : type === 'email' ? { email: identity } : { otherName: identity }),
        extra: [
          { oid: OID.fulcioIssuerV1, value: utf8(issuer) },
          { oid: OID.fulcioIssuerV2, value: derUtf8String(issuer) },
          ...(sourceRepository !== undefined ? [{ oid: OID.fulcioSourceRepositoryUri, value: derUtf8String(sourceRepository) }] : []),
          ...leafExtensions,
        ],
      },
      (tbs) => TestCtLog.sctListExtension([this.ctlog.sct(this.intermediateKey, tbs, at.getTime())]),
    );
  }

  private prepare(opts: SigstoreSignOptions) {
    const at = this.nextTime(opts.at);
    const n = this.counter++;
    const leafKey = deriveKey('P-256', `${this.seed}:leaf:${n}`);
    const leaf = this.issueLeaf(opts.identity, opts.issuer, leafKey, at, opts.sanType, opts.sourceRepository, opts.leafExtensions);
    const verifier: Verifier = { pem: leaf.pem, der: leaf.der, isCertificate: true, keyDetails: KEY_DETAILS['P-256'] };
    // Logged and timestamped one second after issuance by default, well inside the leaf's validity.
    const loggedAt = Math.floor(at.getTime() / 1000) + (opts.logDelaySeconds ?? 1);
    const log = opts.log ?? 'rekor-v1';
    const timestamp = opts.timestamp ?? (log === 'rekor-v2' ? 'tsa' : 'none');
    return { at, leafKey, leaf, verifier, loggedAt, log, timestamp };
  }

  private finish(
    p: ReturnType<TestSigstore['prepare']>,
    entry: TlogEntryJson,
    signature: Uint8Array,
    content: Pick<BundleJson, 'dsseEnvelope' | 'messageSignature'>,
  ): SignedResult {
    const verificationMaterial: BundleJson['verificationMaterial'] = {
      certificate: { rawBytes: b64(p.leaf.der) },
      tlogEntries: [entry],
    };
    if (p.timestamp === 'tsa')
      verificationMaterial.timestampVerificationData = {
        rfc3161Timestamps: [{ signedTimestamp: b64(this.tsa.timestamp(signature, new Date(p.loggedAt * 1000))) }],
      };
    return { bundle: { mediaType: BUNDLE_V03, verificationMaterial, ...content }, leaf: p.leaf, leafKey: p.leafKey, signature, at: p.at };
  }

  /** A DSSE bundle with a `dsse` log entry (0.0.1 on Rekor v1, 0.0.2 on Rekor v2). */
  signDsse(opts: DsseSignOptions): SignedResult {
    const p = this.prepare(opts);
    const signature = p.leafKey.sign(pae(opts.payloadType, opts.payload));
    const envelope: DsseEnvelopeJson = {
      payload: b64(opts.payload),
      payloadType: opts.payloadType,
      signatures: [{ sig: b64(signature) }],
    };
    const entry =
      p.log === 'rekor-v1'
        ? this.rekorV1.add(dsseV001(envelope, opts.payload, signature, p.verifier), 'dsse', '0.0.1', p.loggedAt)
        : this.rekorV2.add(dsseV002(opts.payload, signature, p.verifier), 'dsse', '0.0.2');
    return this.finish(p, entry, signature, { dsseEnvelope: envelope });
  }

  /** A message-signature bundle with a `hashedrekord` log entry. */
  signMessage(opts: MessageSignOptions): SignedResult {
    const p = this.prepare(opts);
    const digest = sha256(opts.message);
    const signature = p.leafKey.sign(opts.message);
    const entry =
      p.log === 'rekor-v1'
        ? this.rekorV1.add(hashedrekordV001(digest, signature, p.verifier), 'hashedrekord', '0.0.1', p.loggedAt)
        : this.rekorV2.add(hashedRekordV002(digest, signature, p.verifier), 'hashedrekord', '0.0.2');
    return this.finish(p, entry, signature, {
      messageSignature: { messageDigest: { algorithm: 'SHA2_256', digest: b64(digest) }, signature: b64(signature) },
    });
  }

  /** trusted_root.json (protobuf-specs JSON) trusting this instance's CA, logs, CT log and TSA. */
  trustedRoot(opts: { omitTlogValidityStart?: boolean } = {}): Record<string, unknown> {
    const start = this.validFrom.toISOString().replace('.000Z', 'Z');
    const validFor = opts.omitTlogValidityStart ? undefined : { start };
    const tlog = (log: RekorV1Log | RekorV2Log) => ({
      baseUrl: log.baseUrl,
      hashAlgorithm: 'SHA2_256',
      publicKey: { rawBytes: b64(log.key.spki), keyDetails: KEY_DETAILS[log.key.curve], ...(validFor ? { validFor } : {}) },
      logId: { keyId: b64(log.logId) },
    });
    const subject = (n: Name) => ({ organization: n.organization, commonName: n.commonName });
    return {
      mediaType: TRUSTED_ROOT_MEDIA_TYPE,
      tlogs: [tlog(this.rekorV1), tlog(this.rekorV2)],
      certificateAuthorities: [
        {
          subject: subject(this.rootName),
          uri: this.fulcioUri,
          certChain: { certificates: [{ rawBytes: b64(this.intermediate.der) }, { rawBytes: b64(this.root.der) }] },
          validFor: { start },
        },
      ],
      ctlogs: [
        {
          baseUrl: this.ctlog.baseUrl,
          hashAlgorithm: 'SHA2_256',
          publicKey: { rawBytes: b64(this.ctlog.key.spki), keyDetails: KEY_DETAILS['P-256'], validFor: { start } },
          logId: { keyId: b64(this.ctlog.logId) },
        },
      ],
      timestampAuthorities: [
        {
          subject: subject(this.tsa.subject),
          uri: this.tsa.uri,
          certChain: { certificates: [{ rawBytes: b64(this.tsa.signer.der) }, { rawBytes: b64(this.tsa.root.der) }] },
          validFor: { start },
        },
      ],
    };
  }
}

export const createTestSigstore = (opts: TestSigstoreOptions = {}): TestSigstore => new TestSigstore(opts);
