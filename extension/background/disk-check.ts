/**
 * The worker's part of "Check files on this computer": signatures only. The page hashes the user's
 * files in its own workers and sends nothing of them; the worker verifies signature bytes (the
 * folder's model.sig text, or a hub revision's signature) and hands back the evidence, the signed
 * manifest and the user's trust for the repo, so the page's core decides as everywhere else.
 */
import type { FetchLike } from '../core/env.js';
import { ModelSealError } from '../core/errors.js';
import { failureFromError, verdictForError } from '../core/failure.js';
import { adapterFor } from '../core/hubs/index.js';
import { verifyUnknownSigner } from '../core/hub/verify-revision.js';
import { KAGGLE_SIGNATURE, MODEL_SIG } from '../core/hub/signature-locator.js';
import { MAX_BUNDLE_BYTES } from '../core/oms/limits.js';
import { expectedFor } from '../core/trust/signer.js';
import type { TrustStore } from '../core/trust/store.js';
import type { DiskTrust } from '../core/disk-verdict.js';
import { repoKey, repoOf, type RepoRef, type RevisionRef } from '../core/repo-ref.js';
import type { Verdict } from '../core/verdict.js';
import type { DiskSignatureReply } from '../shared/messages.js';
import type { TrustRootChoice } from '../core/tuf/trust-root.js';

export interface DiskSignatureDeps {
  trust: TrustStore;
  /** The same revision checker every page view uses (cache, trust decision). */
  verdictFor(ref: RevisionRef): Promise<Verdict>;
  fetch: FetchLike;
  now(): number;
  /** Sigstore trusted root; undefined: production. */
  trustedRoot?: unknown;
  /** The trust root in force (TUF-updated, built-in, or unusable), asked per check; `trustedRoot` wins. */
  trustRoot?: () => Promise<TrustRootChoice>;
}

/** Repo-wide signature files a hub revision may be checked on disk against. */
const REPO_WIDE = new Set([MODEL_SIG, KAGGLE_SIGNATURE]);

export class DiskSignatures {
  constructor(private readonly deps: DiskSignatureDeps) {}

  /** What the user trusts for `ref`: pins, policies that apply, k. */
  async trustFor(ref: RepoRef): Promise<DiskTrust> {
    const doc = await this.deps.trust.snapshot();
    const rec = doc.repos[repoKey(ref)];
    return {
      pins: rec?.pins ?? [],
      ...(rec?.signedSince !== undefined ? { signedSince: rec.signedSince } : {}),
      signersPerRepo: doc.settings.signersPerRepo,
      expected: expectedFor(ref.repo, doc.expected),
    };
  }

  /** Verifies bytes without knowing the signer in advance (keys and CAs from the repo's policies). */
  private async verify(bytes: Uint8Array, repo: RepoRef | undefined) {
    const plan = repo ? await this.deps.trust.plan(repoOf(repo)) : { publicKeyPems: [], caPems: [] };
    const root = this.deps.trustedRoot ?? (this.deps.trustRoot ? (await this.deps.trustRoot()).root : undefined);
    return verifyUnknownSigner(bytes, plan.publicKeyPems, root, plan.caPems);
  }

  /** The folder's own model.sig, judged for `repo` when the user named one. */
  async folder(text: string, repo: RepoRef | undefined): Promise<DiskSignatureReply> {
    const checkedAt = this.deps.now();
    const bytes = new TextEncoder().encode(text);
    try {
      if (bytes.length > MAX_BUNDLE_BYTES) throw new ModelSealError('BUNDLE_TOO_LARGE', `model.sig is larger than ${MAX_BUNDLE_BYTES} bytes`);
      const check = await this.verify(bytes, repo);
      const reply: DiskSignatureReply = { kind: 'signed', evidence: check.evidence, manifest: check.manifest, signatureFile: MODEL_SIG };
      if (repo) {
        reply.repo = repoOf(repo);
        reply.trust = await this.trustFor(repo);
      }
      return reply;
    } catch (e) {
      return { kind: 'verdict', verdict: verdictForError(e, { checkedAt, subject: { path: MODEL_SIG, ...(repo ? { repo: repo.repo } : {}) } }) };
    }
  }

  /**
   * A hub revision: its verdict as a page view makes it (same checker, same trust decision), then its
   * repo-wide signature fetched again at the verified commit for the manifest (its shard and
   * blake digests are not in the verdict). The refetched signature must be the one judged.
   */
  async revision(ref: RevisionRef): Promise<DiskSignatureReply> {
    const verdict = await this.deps.verdictFor(ref);
    if (!('signature' in verdict) || !verdict.signature) return { kind: 'verdict', verdict };
    const base = { checkedAt: this.deps.now(), subject: verdict.subject ?? { repo: ref.repo } };
    const files = verdict.signatureFiles ?? [];
    const commit = verdict.subject?.commit;
    const repo = verdict.subject?.repo ?? ref.repo;
    const only = files[0];
    if (files.length !== 1 || only === undefined || !REPO_WIDE.has(only)) {
      const failure = { code: 'SERIALIZATION_UNSUPPORTED' as const, reason: `this revision has ${files.length} signature files; a disk check here takes one repo-wide model.sig: check the folder with \`modelseal verify\`` };
      return { kind: 'verdict', verdict: { ...base, state: 'unverifiable', failure } };
    }
    if (!commit || !/^[0-9a-f]{40}$/.test(commit)) {
      return { kind: 'verdict', verdict: { ...base, state: 'unverifiable', failure: { code: 'RESPONSE_MALFORMED', reason: 'the hub named no commit for this revision' } } };
    }
    try {
      const client = adapterFor(ref.hub).createClient({ fetch: this.deps.fetch, endpoint: ref.hub });
      const bytes = await client.fetchFile(ref.kind, repo, commit, only, MAX_BUNDLE_BYTES);
      const named: RepoRef = { hub: ref.hub, kind: ref.kind, repo };
      const check = await this.verify(bytes, named);
      if (check.evidence.rootDigest !== verdict.signature.rootDigest) {
        throw new ModelSealError('RESPONSE_MALFORMED', 'the hub served another signature than the one just verified');
      }
      return {
        kind: 'signed',
        evidence: check.evidence,
        manifest: check.manifest,
        signatureFile: only,
        repo: { ...named, ...(verdict.subject?.revision ? { revision: verdict.subject.revision } : {}), commit },
        trust: await this.trustFor(named),
      };
    } catch (e) {
      return { kind: 'verdict', verdict: { ...base, state: 'unverifiable', signature: verdict.signature, failure: failureFromError(e) } };
    }
  }
}
