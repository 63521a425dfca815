/**
 * One entry point for "is this model what the signer signed?", used by the CLI and the extension.
 *
 * Why there is no path to `verified` without every check: a `verified` Verdict is built in exactly
 * one place here (`decide`), from a SignatureCheck that only `verifySignatureOnly` creates (it needs a
 * VerifiedSignature, which only signers seal) and from file results that `judgeFiles` calls verified
 * (the same judgement the hub's trust decide() uses). Any exception anywhere becomes a non-green
 * verdict with a stable code (failure.ts).
 */
import { ModelSealError, asModelSealError } from './errors.js';
import { failureFromError, verdictForError } from './failure.js';
import { systemClock, type Clock } from './env.js';
import type { FileResult, SignatureEvidence, Verdict } from './verdict.js';
import { parseBundle } from './oms/bundle.js';
import { manifestFromVerified } from './oms/statement.js';
import type { SignedManifest } from './oms/manifest.js';
import { verifyKeyBundle } from './signers/key.js';
import { verifyCertificateBundle } from './signers/certificate.js';
import { verifySigstoreModelBundle } from './signers/sigstore.js';
import type { VerifiedSignature } from './signers/verified.js';
import { checkFiles } from './files/check.js';
import { filesOutcome } from './files/summary.js';
import type { ListedFile } from './files/listing.js';
import type { HasherFactory } from './hash/types.js';
import type { RepoKind } from './hubs/adapter.js';
import { agreedSources, type AgreedFacts } from './agreed.js';
import { compareWithLock } from './lock/check.js';
import { lockContentOf } from './lock/content.js';
import type { LockDocument } from './lock/types.js';

export type VerifyMode =
  | { kind: 'sigstore'; identity: string; issuer: string; trustedRoot?: unknown }
  /** Every check runs; the signer is whoever the verified certificate names (for trust on first use). */
  | { kind: 'sigstore'; anyIdentity: true; trustedRoot?: unknown }
  | { kind: 'key'; publicKeyPem: string }
  | { kind: 'certificate'; caPems: readonly string[] };

export interface VerifyModelInput {
  /** The `model.sig` bytes (or text). */
  signatureBytes: Uint8Array | string;
  listing: readonly ListedFile[];
  mode: VerifyMode;
  /** Caller-given ignore paths relative to the model root. */
  ignorePaths?: readonly string[];
  /** Signature file path inside the model (always ignored); default `model.sig`, null if outside. */
  signaturePath?: string | null;
  singleFile?: boolean;
  hashers?: HasherFactory;
  concurrency?: number;
  clock?: Clock;
  subject?: { repo?: string; revision?: string; commit?: string; path?: string };
  /** The user's lock: only its exact signed content may verify (`modelseal verify --lock`). */
  lock?: LockDocument;
  /** The hub repo the files came from, when known (a download): compared with the lock's repo. */
  lockRepo?: { hub: string; kind: RepoKind; repo: string };
}

const SIGNATURE_CHECK: unique symbol = Symbol('modelseal.signature-check');

/** Result of the signature step: evidence + manifest, only constructible by verifySignatureOnly. */
export interface SignatureCheck {
  readonly [SIGNATURE_CHECK]: true;
  readonly evidence: SignatureEvidence;
  readonly manifest: SignedManifest;
}

function signerFor(bundle: ReturnType<typeof parseBundle>, mode: VerifyMode): VerifiedSignature {
  switch (mode.kind) {
    case 'sigstore':
      return verifySigstoreModelBundle(bundle, mode);
    case 'key':
      return verifyKeyBundle(bundle, mode.publicKeyPem);
    case 'certificate':
      return verifyCertificateBundle(bundle, mode.caPems);
    default:
      throw new ModelSealError('INTERNAL_ERROR', 'unknown verification mode');
  }
}

/** Parses the bundle, verifies its signature under `mode`, then parses the signed manifest. Throws ModelSealError. */
export function verifySignatureOnly(signatureBytes: Uint8Array | string, mode: VerifyMode): SignatureCheck {
  let verified: VerifiedSignature;
  let manifest: SignedManifest;
  try {
    verified = signerFor(parseBundle(signatureBytes), mode);
    manifest = manifestFromVerified(verified);
  } catch (e) {
    // Only typed errors leave the core: anything a dependency throws is an internal error, not a crash.
    throw asModelSealError(e, 'INTERNAL_ERROR');
  }
  const evidence: SignatureEvidence = {
    signer: { ...verified.signer },
    logEntries: verified.logEntries.map((e) => ({ ...e })),
    timestamps: verified.timestamps.map((t) => ({ ...t })),
    rootDigest: manifest.rootDigest,
    predicateType: manifest.predicateType,
  };
  return Object.freeze({ [SIGNATURE_CHECK]: true as const, evidence, manifest });
}


/**
 * The CLI's decider: the only place verifyModel makes a `verified` verdict, when the files' judgement
 * (files/judgement.ts, shared with the hub's decide()) says every file is verified.
 */
function decide(check: SignatureCheck, files: FileResult[], input: VerifyModelInput, base: { checkedAt: number; subject?: VerifyModelInput['subject'] }): Verdict {
  if (check[SIGNATURE_CHECK] !== true) throw new ModelSealError('INTERNAL_ERROR', 'signature check missing');
  const facts: AgreedFacts = { signature: check.evidence, ...fileSources(files, input), policy: namesSigner(input.mode) };
  const agreed = () => ({ agreed: agreedSources(facts) });
  const outcome = filesOutcome(files);
  if (outcome.kind === 'changed') return { ...base, state: 'files-changed', signature: check.evidence, files, failure: outcome.failure, ...agreed() };
  // Files first (as the hub's decide()): content other than the lock's is refused even when every file matches it.
  if (input.lock) {
    const c = compareWithLock({ ...(input.lockRepo ? { repo: input.lockRepo } : {}), signer: check.evidence.signer, content: lockContentOf(check.manifest) }, input.lock);
    if (!c.matches) {
      const lock = { commit: input.lock.commit, rootDigest: input.lock.manifest.rootDigest };
      return { ...base, state: 'lock-mismatch', signature: check.evidence, files, lock, failure: c.failure, ...agreed() };
    }
    facts.lock = true;
  }
  if (outcome.kind === 'unchecked') return { ...base, state: 'unverifiable', signature: check.evidence, files, failure: outcome.failure, ...agreed() };
  return { ...base, state: 'verified', signature: check.evidence, files, ...agreed() };
}

/** Whether the mode named the signer (identity and issuer, a key, CAs): the user's policy agreed. */
function namesSigner(mode: VerifyMode): boolean {
  return mode.kind !== 'sigstore' || !('anyIdentity' in mode);
}

/** Verified files by how they were matched: a digest listed with the file (a hub's), or bytes hashed here. */
function fileSources(files: readonly FileResult[], input: VerifyModelInput): Pick<AgreedFacts, 'hubDigests' | 'bytesHashed'> {
  const listed = new Map(input.listing.map((f) => [f.path, f]));
  let hubDigests = 0;
  let bytesHashed = 0;
  for (const r of files) {
    if (r.status !== 'verified') continue;
    const f = input.singleFile ? input.listing[0] : listed.get(r.path);
    if (!f) continue;
    if (r.algorithm && f.digests?.[r.algorithm as keyof NonNullable<typeof f.digests>] !== undefined) hubDigests++;
    else bytesHashed++;
  }
  return { hubDigests, bytesHashed };
}

export async function verifyModel(input: VerifyModelInput): Promise<Verdict> {
  const clock = input.clock ?? systemClock;
  const base = { checkedAt: clock.now(), ...(input.subject ? { subject: input.subject } : {}) };
  let check: SignatureCheck;
  try {
    check = verifySignatureOnly(input.signatureBytes, input.mode);
  } catch (e) {
    return verdictForError(e, base);
  }
  try {
    const files = await checkFiles(check.manifest, input.listing, {
      ...(input.ignorePaths ? { ignorePaths: input.ignorePaths } : {}),
      ...(input.signaturePath !== undefined ? { signaturePath: input.signaturePath } : {}),
      ...(input.singleFile !== undefined ? { singleFile: input.singleFile } : {}),
      ...(input.hashers ? { hashers: input.hashers } : {}),
      ...(input.concurrency !== undefined ? { concurrency: input.concurrency } : {}),
    });
    return decide(check, files, input, base);
  } catch (e) {
    // The signature held; an error while comparing files is "could not check", never "invalid signature".
    return { ...base, state: 'unverifiable', signature: check.evidence, failure: failureFromError(e) };
  }
}
