/**
 * Who the CLI trusts for a repo, in the extension's own terms so the extension's decide() judges it:
 * either the policy flags (`--identity/--issuer`, `--key`, `--ca`), made into one expected identity
 * for this repo, or the trust store the extension exports (`--trust-store FILE`: pins, policies and
 * k, read through the extension's own import validation). The file is only read, never written:
 * a first-use signer is reported, not pinned.
 */
import { ModelSealError } from '../core/errors.js';
import type { RevisionCheck } from '../core/hub/revision-check.js';
import type { RepoKind } from '../core/hubs/adapter.js';
import { parsePublicKeyPem } from '../core/signers/ec-key.js';
import type { RepoTrustState, TrustPolicies } from '../core/trust/decide.js';
import { parseImport } from '../core/trust/import.js';
import { planFor, type VerificationPlan } from '../core/trust/store.js';
import { repoKey, type ExpectedIdentity, type TrustDocument } from '../core/trust/types.js';
import type { LockDocument } from '../core/lock/types.js';
import type { PublisherDirectory } from '../core/publishers/directory.js';

export interface TrustSource {
  /** Key and CA material verifyRevision needs for this repo. */
  plan(repo: string): VerificationPlan;
  /** The repo's pins and the policies, as decide() takes them (renames followed like the extension). */
  state(ref: { hub: string; kind: RepoKind; repo: string; renamedFrom?: string }): { trust: RepoTrustState; policies: TrustPolicies };
  /** One line for people: where trust comes from. */
  readonly describe: string;
}

export type PolicyFlags =
  | { kind: 'sigstore'; identity: string; issuer: string }
  | { kind: 'key'; publicKeyPem: string }
  | { kind: 'certificate'; caPems: string[] };

/** The policy flags as the extension's per-repo policy (scope: exactly this repo). */
export function policyTrust(repo: string, flags: PolicyFlags): TrustSource {
  let expected: ExpectedIdentity;
  if (flags.kind === 'sigstore') expected = { kind: 'sigstore', scope: repo, identity: flags.identity, glob: false, issuer: flags.issuer, createdAt: 0 };
  else if (flags.kind === 'key') {
    let keyFingerprint: string;
    try {
      keyFingerprint = parsePublicKeyPem(flags.publicKeyPem).fingerprint;
    } catch (e) {
      throw new ModelSealError('KEY_INVALID', `--key: ${e instanceof Error ? e.message : String(e)}`);
    }
    expected = { kind: 'key', scope: repo, publicKeyPem: flags.publicKeyPem, keyFingerprint, createdAt: 0 };
  } else expected = { kind: 'certificate', scope: repo, caPems: flags.caPems, createdAt: 0 };
  const list = [expected];
  return {
    plan: (r) => planFor(r, list),
    state: () => ({ trust: { pins: [] }, policies: { signersPerRepo: 1, expected: list } }),
    describe: flags.kind === 'sigstore' ? 'the signer named by --identity/--issuer' : flags.kind === 'key' ? 'the key named by --key' : 'the CA named by --ca',
  };
}

/** The extension's exported trust store. Throws STORE_INVALID for anything else. */
export function storeTrust(exportJson: string, path: string): TrustSource {
  const doc: TrustDocument = parseImport(exportJson);
  return {
    plan: (r) => planFor(r, doc.expected),
    state: (ref) => {
      const rec = doc.repos[repoKey(ref)] ?? (ref.renamedFrom ? doc.repos[repoKey({ ...ref, repo: ref.renamedFrom })] : undefined);
      // A repo record may carry the user's lock (trust stores that keep locks): decide() reads it
      // from the record exactly as the extension's store passes it.
      const lock = (rec as { lock?: LockDocument } | undefined)?.lock;
      return {
        trust: { pins: rec?.pins ?? [], ...(rec?.signedSince !== undefined ? { signedSince: rec.signedSince } : {}), ...(lock ? { lock } : {}) },
        policies: { signersPerRepo: doc.settings.signersPerRepo, expected: doc.expected },
      };
    },
    describe: `the trust store ${path}`,
  };
}

/**
 * The publishers' directory on top of a trust source: it judges repos the source has no policy or
 * pin for (decide() lets the source's policies and pins win).
 */
export function withPublishers(source: TrustSource, publishers: PublisherDirectory): TrustSource {
  return {
    plan: (r) => source.plan(r),
    state: (ref) => {
      const s = source.state(ref);
      return { ...s, policies: { ...s.policies, publishers } };
    },
    describe: `${source.describe} and the publishers' directory`,
  };
}

/** decide()'s view of a check's repo. */
export function stateFor(source: TrustSource, check: RevisionCheck): { trust: RepoTrustState; policies: TrustPolicies } {
  return source.state({ hub: check.hub, kind: check.kind, repo: check.repo, ...(check.renamedFrom ? { renamedFrom: check.renamedFrom } : {}) });
}

/**
 * A lock on top of a trust source: decide() then accepts only the lock's exact signed content
 * (anything else is `lock-mismatch`, with its own codes), whoever the trust source accepts.
 */
export function withLock(source: TrustSource, lock: LockDocument, path: string): TrustSource {
  return {
    plan: (r) => source.plan(r),
    state: (ref) => {
      const s = source.state(ref);
      return { ...s, trust: { ...s.trust, lock } };
    },
    describe: `${source.describe} and the lock ${path}`,
  };
}

/**
 * The signer a lock names, as policy flags, when the lock alone can verify it: a Sigstore identity
 * and issuer. Key and CA signers need their key or CA (the lock holds only a fingerprint or subject).
 */
export function lockSignerFlags(lock: LockDocument): PolicyFlags | undefined {
  const s = lock.signer;
  if (s.kind === 'sigstore' && s.identity !== undefined && s.issuer !== undefined) return { kind: 'sigstore', identity: s.identity, issuer: s.issuer };
  return undefined;
}
