/**
 * Sigstore bundle verification in environment-free code: sigstore-js (`@sigstore/verify`, `/bundle`,
 * `/core`) runs unchanged; the host build aliases `crypto`/`util` to ./shims and this module installs
 * the Buffer global first. Adds what sigstore-js leaves to callers: exact identity + issuer policy
 * (SAN email/URI/otherName), trusted-root validation, artifact-to-DSSE-subject matching, digest-only
 * message signatures, and our error codes.
 */
import './shims/buffer-global.js';
import './shims/der-encode.js';
import { bundleFromJSON, type Bundle } from '@sigstore/bundle';
import { X509Certificate, crypto as sigstoreCrypto } from '@sigstore/core';
import { Verifier, toSignedEntity, toTrustMaterial, type SignedEntity } from '@sigstore/verify';
import { HashAlgorithm, type TransparencyLogInstance, type TrustedRoot } from '@sigstore/protobuf-specs';
import { ModelSealError } from '../errors.js';
import type { LogEntry, Signer, VerifiedTimestamp } from '../verdict.js';
import { mapSigstoreError } from './error-map.js';
import { assertJsonDepth } from './json-bounds.js';
import { parseTrustedRoot, productionTrustedRootJson, UnusableTrustedRoot } from './trusted-root.js';
import { verifyPrehashed, withVerifyMemo } from './shims/crypto.js';
import type { ShimKeyObject } from './shims/keys.js';
import { equalBytes } from './shims/der.js';
import { matchInTotoSubject } from './subjects.js';
import { assertBundleShape } from './strict-shape.js';
import { authenticatedLogs, checkpointVerifies } from './log-binding.js';
import { parseCheckpoint, type Checkpoint } from '../tlog/checkpoint.js';

export { parseTrustedRoot, productionTrustedRootJson, UnusableTrustedRoot } from './trusted-root.js';
export { verifyConformanceCase, CONFORMANCE_DEFAULTS, type ConformanceCaseInput, type ConformanceResult } from './conformance.js';

export interface SigstoreVerifyOptions {
  /**
   * Exact identity + issuer; a public key (managed keys); or `anyIdentity` for a first look at a
   * signer nobody named yet: every check still runs and the signer comes from the verified
   * certificate, for the caller's trust layer to judge.
   */
  policy: IdentityPolicy | { anyIdentity: true } | { publicKeyPem: string };
  /** trusted_root.json content; default: the production root bundled at build time. */
  trustedRoot?: unknown;
  /** Message signatures need it; for DSSE in-toto bundles it must match one of the subjects. */
  artifact?: { bytes: Uint8Array } | { sha256: string };
}

export interface SigstoreVerification {
  signer: Signer;
  logEntries: LogEntry[];
  timestamps: VerifiedTimestamp[];
  /** Exact signed payload bytes (never re-serialized). */
  dsse?: { payloadType: string; payload: Uint8Array };
}

export interface IdentityPolicy {
  identity: string;
  issuer: string;
}

const BUNDLE_MEDIA_TYPES = new Set([
  'application/vnd.dev.sigstore.bundle+json;version=0.1',
  'application/vnd.dev.sigstore.bundle+json;version=0.2',
  'application/vnd.dev.sigstore.bundle+json;version=0.3',
  'application/vnd.dev.sigstore.bundle.v0.3+json',
]);

const OID_OTHERNAME_IDENTITY = '1.3.6.1.4.1.57264.1.7';
const OID_ISSUER_V1 = '1.3.6.1.4.1.57264.1.1';
const OID_ISSUER_V2 = '1.3.6.1.4.1.57264.1.8';

/** Verifies a Sigstore bundle (already JSON-parsed) against a policy. Throws ModelSealError. */
export function verifySigstoreBundle(bundleJson: unknown, options: SigstoreVerifyOptions): SigstoreVerification {
  const policy = options?.policy as Record<string, unknown> | undefined;
  const validPolicy =
    typeof policy === 'object' && policy !== null &&
    (typeof policy.publicKeyPem === 'string' || policy.anyIdentity === true || (typeof policy.identity === 'string' && typeof policy.issuer === 'string'));
  if (!validPolicy) throw new ModelSealError('INTERNAL_ERROR', 'verification policy needs identity and issuer, anyIdentity, or a public key');
  const bundle = parseBundle(bundleJson);
  const { root, trustMaterial } = trustedRootFor(options.trustedRoot ?? productionTrustedRootJson());
  assertBundleShape(bundle, root);
  const artifact = normaliseArtifact(options.artifact);
  const keyPolicy = 'publicKeyPem' in options.policy ? options.policy : undefined;

  const material = bundle.verificationMaterial.content;
  if (keyPolicy && material.$case !== 'publicKey') {
    throw new ModelSealError('KEY_MISMATCH', 'a public key was given but the bundle is signed with a certificate');
  }
  if (!keyPolicy && material.$case === 'publicKey') {
    throw new ModelSealError('VERIFICATION_MATERIAL_UNSUPPORTED', 'the bundle is signed with a key; verify it with that public key');
  }

  const trust = guard('TRUSTED_ROOT_INVALID', () =>
    keyPolicy ? toTrustMaterial(root, keyFinder(keyPolicy.publicKeyPem)) : trustMaterial(),
  );
  const entity = guard('BUNDLE_MALFORMED', () => buildEntity(bundle, artifact));

  const verifier = new Verifier(trust, { tlogThreshold: 1, ctlogThreshold: 1, timestampThreshold: 1 });
  // One memo scope: the log binding repeats signature checks sigstore-js just made.
  const { verified, logs } = withVerifyMemo(() => {
    const result = guard('SIGNATURE_INVALID', () => verifier.verify(entity));
    // sigstore-js accepted the entries' proofs with some trusted log; each must be the log it names.
    return { verified: result, logs: authenticatedLogs(bundle, root, trust.tlogs, tsaTimes(entity)) };
  });

  let signer: Signer;
  if (keyPolicy) {
    signer = { kind: 'key', keyFingerprint: keyFingerprint(verified.key) };
  } else {
    if (entity.key.$case !== 'certificate') throw new ModelSealError('VERIFICATION_MATERIAL_UNSUPPORTED', 'no signing certificate');
    const policy = options.policy as IdentityPolicy | { anyIdentity: true };
    signer = 'anyIdentity' in policy ? verifiedSigner(entity.key.certificate) : checkIdentityPolicy(entity.key.certificate, policy);
  }

  let dsse: SigstoreVerification['dsse'];
  if (bundle.content.$case === 'dsseEnvelope') {
    const env = bundle.content.dsseEnvelope;
    dsse = { payloadType: env.payloadType, payload: Uint8Array.from(env.payload) };
    // Only after the signature held do we read the payload.
    if (artifact) matchInTotoSubject(dsse, artifact);
  }

  return {
    signer,
    logEntries: logEntries(bundle, logs),
    timestamps: verifiedTimestamps(entity),
    ...(dsse ? { dsse } : {}),
  };
}

type TrustMaterial = ReturnType<typeof toTrustMaterial>;
interface PreparedRoot {
  root: TrustedRoot;
  trustMaterial: () => TrustMaterial;
}

// Parsing a root (X.509 CA chains, log keys) costs more than a verification; reuse it for the same
// JSON object. Roots are treated as immutable once passed in.
const preparedRoots = new WeakMap<object, PreparedRoot>();

function trustedRootFor(json: unknown): PreparedRoot {
  if (json instanceof UnusableTrustedRoot) throw new ModelSealError(json.code, json.reason);
  const cached = typeof json === 'object' && json !== null ? preparedRoots.get(json) : undefined;
  if (cached) return cached;
  const root = parseTrustedRoot(json);
  let material: TrustMaterial | undefined;
  const prepared: PreparedRoot = {
    root,
    trustMaterial: () => (material ??= guard('TRUSTED_ROOT_INVALID', () => toTrustMaterial(root))),
  };
  if (typeof json === 'object' && json !== null) preparedRoots.set(json, prepared);
  return prepared;
}

function guard<T>(fallback: Parameters<typeof mapSigstoreError>[1], f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw mapSigstoreError(e, fallback);
  }
}

function parseBundle(json: unknown): Bundle {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ModelSealError('BUNDLE_MALFORMED', 'bundle is not a JSON object');
  }
  assertJsonDepth(json, 'BUNDLE_TOO_DEEP', 'bundle');
  const mediaType = (json as { mediaType?: unknown }).mediaType;
  if (typeof mediaType !== 'string' || !BUNDLE_MEDIA_TYPES.has(mediaType)) {
    throw new ModelSealError('BUNDLE_UNSUPPORTED_MEDIA_TYPE', `unsupported bundle media type ${JSON.stringify(mediaType)}`);
  }
  return guard('BUNDLE_MALFORMED', () => bundleFromJSON(json));
}

type Artifact = { bytes: Uint8Array; sha256: Uint8Array } | { sha256: Uint8Array; bytes?: undefined };

function normaliseArtifact(a: SigstoreVerifyOptions['artifact']): Artifact | undefined {
  if (!a) return undefined;
  if ('bytes' in a) return { bytes: a.bytes, sha256: Uint8Array.from(sigstoreCrypto.digest('sha256', toBuffer(a.bytes))) };
  if (!/^[0-9a-fA-F]{64}$/.test(a.sha256)) throw new ModelSealError('ARTIFACT_MISMATCH', 'artifact digest must be 64 hex characters');
  return { sha256: hexToBytes(a.sha256) };
}

function buildEntity(bundle: Bundle, artifact: Artifact | undefined): SignedEntity {
  // DSSE as upstream has it, including Rekor v2 hashedrekord 0.0.2 entries over the PAE (4.1+).
  if (bundle.content.$case === 'dsseEnvelope') return toSignedEntity(bundle);
  const message = bundle.content.messageSignature;
  if (!artifact) throw new ModelSealError('ARTIFACT_MISMATCH', 'a message signature can only be verified against its artifact');
  const digest = message.messageDigest;
  if (!digest || digest.algorithm !== HashAlgorithm.SHA2_256 || !equalBytes(digest.digest, artifact.sha256)) {
    throw new ModelSealError('ARTIFACT_MISMATCH', 'the artifact digest differs from the digest in the bundle');
  }
  if (artifact.bytes) return toSignedEntity(bundle, toBuffer(artifact.bytes));
  // Digest-only: OpenSSL would hash then verify; we verify the given digest directly (ECDSA keys).
  const entity = toSignedEntity(bundle);
  const given = toBuffer(artifact.sha256);
  const signature = message.signature;
  entity.signature = {
    signature,
    compareSignature: (s) => sigstoreCrypto.bufferEqual(s, signature),
    compareDigest: (d) => sigstoreCrypto.bufferEqual(d, given),
    // A message signature signs the artifact itself: what the log records is the artifact digest.
    compareSignedDigest: (d) => sigstoreCrypto.bufferEqual(d, given),
    verifySignature: (key) => {
      if (!isShimKey(key)) throw new ModelSealError('VERIFICATION_MATERIAL_UNSUPPORTED', 'digest-only verification needs the crypto adapter');
      try {
        return verifyPrehashed(key, given, signature);
      } catch {
        return false;
      }
    },
  };
  return entity;
}

/**
 * Structural check, not instanceof: a bundler may give sigstore-js its own copy of the shim module
 * (Vitest's dependency optimizer does), and the key is still ours.
 */
function isShimKey(key: unknown): key is ShimKeyObject {
  return typeof key === 'object' && key !== null && 'material' in key && typeof (key as { material: unknown }).material === 'object';
}

function keyFinder(pem: string) {
  const block = /-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/.exec(pem)?.[0];
  if (!block) throw new ModelSealError('KEY_INVALID', 'the public key is not a PEM PUBLIC KEY block');
  let publicKey: ReturnType<typeof sigstoreCrypto.createPublicKey>;
  try {
    publicKey = sigstoreCrypto.createPublicKey(block);
  } catch (e) {
    throw new ModelSealError('KEY_INVALID', `the public key does not parse: ${e instanceof Error ? e.message : String(e)}`);
  }
  // The caller's key is the trust decision; the bundle's hint only names it.
  return () => ({ publicKey, validFor: () => true });
}

function keyFingerprint(key: unknown): string {
  const der = (key as { export(o: object): Uint8Array }).export({ format: 'der', type: 'spki' });
  return bytesToHex(sigstoreCrypto.digest('sha256', toBuffer(der)));
}

function certificateNames(cert: X509Certificate): string[] {
  const san = cert.extSubjectAltName;
  return [san?.uri, san?.rfc822Name, san?.otherName(OID_OTHERNAME_IDENTITY)].filter(
    (n): n is string => typeof n === 'string' && n.length > 0,
  );
}

/** The signer a verified Fulcio certificate names, when no identity was asked for. */
function verifiedSigner(cert: X509Certificate): Signer {
  const identity = certificateNames(cert)[0];
  const issuer = certificateIssuer(cert);
  if (!identity || !issuer) throw new ModelSealError('CERTIFICATE_INVALID', 'the signing certificate names no identity or issuer');
  return { kind: 'sigstore', identity, issuer };
}

function checkIdentityPolicy(cert: X509Certificate, policy: IdentityPolicy): Signer {
  const names = certificateNames(cert);
  const issuer = certificateIssuer(cert);
  const identity = names.find((n) => n === policy.identity) ?? names[0];
  if (!names.includes(policy.identity)) {
    throw new ModelSealError('IDENTITY_MISMATCH', `certificate identity is ${JSON.stringify(names.join(', ') || '(none)')}, expected ${JSON.stringify(policy.identity)}`, { identity, issuer });
  }
  if (issuer !== policy.issuer) {
    throw new ModelSealError('ISSUER_MISMATCH', `certificate issuer is ${JSON.stringify(issuer ?? '(none)')}, expected ${JSON.stringify(policy.issuer)}`, { identity, issuer });
  }
  return { kind: 'sigstore', ...(identity ? { identity } : {}), ...(issuer ? { issuer } : {}) };
}

/** Fulcio's issuer: the DER UTF8String extension (.1.8) when present, else the raw legacy one (.1.1). */
function certificateIssuer(cert: X509Certificate): string | undefined {
  const v2 = cert.extension(OID_ISSUER_V2);
  if (v2) return v2.valueObj.subs[0]?.value.toString('utf8');
  return cert.extension(OID_ISSUER_V1)?.value.toString('utf8');
}

/** Each entry as the verdict reports it, under the log whose key verified it (see log-binding.ts). */
function logEntries(bundle: Bundle, logs: readonly TransparencyLogInstance[]): LogEntry[] {
  return bundle.verificationMaterial.tlogEntries.map((e, i) => {
    const log = logs[i];
    const integrated = Number(e.integratedTime);
    const checkpoint = verifiedCheckpoint(e.inclusionProof?.checkpoint?.envelope);
    return {
      log: log?.baseUrl || bytesToBase64(log?.logId?.keyId ?? e.logId?.keyId ?? new Uint8Array()),
      logIndex: String(e.logIndex),
      ...(Number.isFinite(integrated) && integrated > 0 ? { integratedTime: integrated } : {}),
      kind: e.kindVersion?.kind ?? '',
      kindVersion: e.kindVersion?.version ?? '',
      ...(checkpoint ? { checkpoint } : {}),
    };
  });
}

/**
 * The checkpoint of an entry whose proofs were just verified (sigstore-js checked the inclusion proof
 * against it, log-binding.ts that the named log signed it), for the witness (tlog/witness.ts).
 */
function verifiedCheckpoint(envelope: string | undefined): LogEntry['checkpoint'] {
  if (envelope === undefined) return undefined;
  try {
    const cp = parseCheckpoint(envelope);
    return { origin: cp.origin, treeSize: cp.treeSize, rootHash: bytesToBase64(cp.rootHash) };
  } catch {
    // Stricter than the inclusion check (bounded origin, canonical size): the entry stands, the
    // witness just does not learn from this checkpoint.
    return undefined;
  }
}

/**
 * A checkpoint fetched from a log: accepted only when a log of the trusted root whose key is valid
 * at `now` signed it. Throws CHECKPOINT_INVALID. Returns it with the log's base URL.
 */
export function verifyFetchedCheckpoint(envelope: string, now: Date, trustedRoot: unknown = productionTrustedRootJson()): { checkpoint: Checkpoint; log: string } {
  const checkpoint = parseCheckpoint(envelope);
  const { root, trustMaterial } = trustedRootFor(trustedRoot);
  const tlogs = trustMaterial().tlogs;
  const at = now.getTime();
  for (const [i, authority] of tlogs.entries()) {
    if (!(authority.validFor.start.getTime() <= at && at <= authority.validFor.end.getTime())) continue;
    if (checkpointVerifies(envelope, authority)) return { checkpoint, log: root.tlogs[i]?.baseUrl ?? authority.baseURL };
  }
  throw new ModelSealError('CHECKPOINT_INVALID', `no log of the trusted root whose key is valid now signed the checkpoint of ${JSON.stringify(checkpoint.origin)}`);
}

/** The timestamps sigstore-js just verified (it verifies every one in the entity or throws). */
function verifiedTimestamps(entity: SignedEntity): VerifiedTimestamp[] {
  const out: VerifiedTimestamp[] = [];
  for (const t of entity.timestamps) {
    if (t.$case === 'timestamp-authority') out.push({ source: 'tsa', time: t.timestamp.signingTime.getTime() });
    else if (t.tlogEntry.inclusionPromise && Number(t.tlogEntry.integratedTime) > 0) {
      out.push({ source: 'tlog', time: Number(t.tlogEntry.integratedTime) * 1000 });
    }
  }
  return out;
}

/** The RFC 3161 signing times in the entity; sigstore-js has verified every one once verify() returns. */
function tsaTimes(entity: SignedEntity): Date[] {
  return entity.timestamps.flatMap((t) => (t.$case === 'timestamp-authority' ? [t.timestamp.signingTime] : []));
}

/** sigstore-js compares with Buffer methods; hand it Buffers (global installed above). */
function toBuffer(bytes: Uint8Array): Buffer {
  return (globalThis as unknown as { Buffer: typeof Buffer }).Buffer.from(bytes);
}

function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function bytesToHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function bytesToBase64(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}
