/**
 * The seam between the worker and the verification core: a hub revision → RevisionCheck
 * (`verifyRevision`, cacheable by commit), and a RevisionCheck → the Verdict every surface shows
 * (`TrustStore.record`, which applies pins and policies and records history and alerts).
 */
import type { FetchLike } from '../core/env.js';
import type { Verdict } from '../core/verdict.js';
import { HubClient, type HubProgress, type ResolvedRevision } from '../core/hub/client.js';
import { DEFAULT_WORK_BUDGET, verifyRevision, type WorkBudget } from '../core/hub/verify-revision.js';
import { DEFAULT_REVISION, type RevisionCheck } from '../core/hub/revision-check.js';
import { wouldPinOnFirstUse } from '../core/trust/decide.js';
import { repoKey } from '../core/trust/types.js';
import type { RepoKind } from '../core/hub/page-url.js';
import type { TrustStore, VerificationPlan } from '../core/trust/store.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { RevisionRef } from './revisions.js';

export type Outcome = RevisionCheck;

export interface EngineDeps {
  fetch: FetchLike;
  trust: TrustStore;
  now: () => number;
  maxHashBytes: () => number;
  /** Download budget per verification (settings); default DEFAULT_WORK_BUDGET. */
  budget?: () => WorkBudget;
  /** Sigstore trusted root; default the production one (tests pass their own test instance's root). */
  trustedRoot?: unknown;
  /** Counts every hub request (bench: requests per page view). */
  onRequest?: () => void;
}

export interface Engine {
  /** Branch/tag → commit, plus the key material that decides which cache entry applies. */
  resolve(ref: RevisionRef, onProgress: (t: string | undefined) => void, signal: AbortSignal): Promise<{ commit: string; variant: string }>;
  verify(ref: RevisionRef, onProgress: (t: string | undefined) => void, signal: AbortSignal): Promise<{ commit: string; variant: string; outcome: Outcome }>;
  cacheable(outcome: Outcome): boolean;
  /**
   * The Verdict for a page view of `ref`. Whether the commit is the default branch head is decided
   * here, per view: a home page (DEFAULT_REVISION) is by definition; any other revision is compared
   * with the head only when a first-use pin would otherwise be created.
   */
  decide(outcome: Outcome, ref: RevisionRef): Promise<Verdict>;
  /** Policies changed (set, removed, imported): forget the remembered key plans. */
  policiesChanged(): void;
}

/**
 * A HubClient that answers one already-made revision lookup from memory, so resolving the branch
 * for the cache lookup and then verifying costs one revision request, not two.
 */
class PrimedHubClient extends HubClient {
  primed?: { kind: RepoKind; repo: string; revision: string; result: ResolvedRevision };
  override async resolveRevision(kind: RepoKind, repo: string, revision: string): Promise<ResolvedRevision> {
    const p = this.primed;
    if (p && p.kind === kind && p.repo === repo && p.revision === revision) return p.result;
    const result = await super.resolveRevision(kind, repo, revision);
    this.primed = { kind, repo, revision, result };
    return result;
  }
  override async resolveDefaultHead(kind: RepoKind, repo: string): Promise<ResolvedRevision & { defaultBranch?: string }> {
    const p = this.primed;
    if (p && p.kind === kind && p.repo === repo && p.revision === DEFAULT_REVISION) return p.result;
    const result = await super.resolveDefaultHead(kind, repo);
    this.primed = { kind, repo, revision: DEFAULT_REVISION, result };
    return result;
  }
  /** The revision as a page names it, DEFAULT_REVISION meaning the default branch head. */
  resolveRef(kind: RepoKind, repo: string, revision: string): Promise<ResolvedRevision & { defaultBranch?: string }> {
    return revision === DEFAULT_REVISION ? this.resolveDefaultHead(kind, repo) : this.resolveRevision(kind, repo, revision);
  }
}

/** How long a looked-up default branch head is reused (page views of one repo come in bursts). */
const DEFAULT_HEAD_TTL_MS = 30_000;

function progressText(p: HubProgress): string {
  return `rate limited, retrying in ${p.retryInSeconds} s`;
}

export function createEngine(deps: EngineDeps): Engine {
  // Resolutions made for the cache lookup, handed to the verification that follows (short-lived).
  const resolutions = new Map<string, { at: number; result: ResolvedRevision }>();
  const refKey = (r: RevisionRef) => `${r.hub}|${r.kind}|${r.repo}@${r.revision}`;
  const countingFetch: FetchLike = (input, init) => {
    deps.onRequest?.();
    return deps.fetch(input, init);
  };
  const newClient = (hub: string, signal: AbortSignal, onProgress?: (t: string | undefined) => void) =>
    new PrimedHubClient({ fetch: countingFetch, endpoint: hub, signal, onProgress: (p) => onProgress?.(progressText(p)) });
  // Key and CA plans change only when policies do (policiesChanged), so a warm view needs no trust read.
  const plans = new Map<string, Promise<VerificationPlan>>();
  const planFor = (ref: { hub: string; kind: RepoKind; repo: string }) => {
    const k = `${ref.hub}|${ref.kind}|${ref.repo}`;
    let p = plans.get(k);
    if (!p) {
      p = deps.trust.plan(ref);
      p.catch(() => plans.delete(k));
      if (plans.size > 500) plans.clear();
      plans.set(k, p);
    }
    return p;
  };
  // Which public keys and CA certificates were available, and how large a file may be hashed, change
  // what a commit verifies to: all are part of the cache key.
  const budgetOf = (): WorkBudget => deps.budget?.() ?? DEFAULT_WORK_BUDGET;
  const variantOf = (plan: VerificationPlan) => {
    const material = [...plan.publicKeyPems].sort().join('\n') + '\n--ca--\n' + [...plan.caPems].sort().join('\n');
    const tag = plan.publicKeyPems.length || plan.caPems.length ? bytesToHex(sha256(new TextEncoder().encode(material))).slice(0, 16) : 'nokeys';
    const b = budgetOf();
    // The budget decides which files get checked, so it is part of what a cached outcome means.
    const budgetTag = b.maxBytes === DEFAULT_WORK_BUDGET.maxBytes && b.maxRequests === DEFAULT_WORK_BUDGET.maxRequests ? '' : `-b${b.maxRequests}.${b.maxBytes}`;
    return `${tag}-${deps.maxHashBytes()}${budgetTag}`;
  };
  // Default branch heads seen lately (from home page resolutions or lookups), per repo.
  const heads = new Map<string, { at: number; commit: string; defaultBranch?: string }>();
  const headKey = (hub: string, kind: RepoKind, repo: string) => `${hub}|${kind}|${repo.toLowerCase()}`;
  const rememberHead = (hub: string, kind: RepoKind, repo: string, result: ResolvedRevision & { defaultBranch?: string }) => {
    if (heads.size > 500) heads.clear();
    const v = { at: deps.now(), commit: result.commit, ...(result.defaultBranch ? { defaultBranch: result.defaultBranch } : {}) };
    heads.set(headKey(hub, kind, result.repo), v);
    heads.set(headKey(hub, kind, repo), v);
  };
  const defaultHead = async (ref: RevisionRef, repo: string) => {
    const known = heads.get(headKey(ref.hub, ref.kind, repo));
    if (known && deps.now() - known.at < DEFAULT_HEAD_TTL_MS) return known;
    const result = await newClient(ref.hub, new AbortController().signal).resolveDefaultHead(ref.kind, repo);
    rememberHead(ref.hub, ref.kind, repo, result);
    return { commit: result.commit, ...(result.defaultBranch ? { defaultBranch: result.defaultBranch } : {}) };
  };

  return {
    async resolve(ref, onProgress, signal) {
      const client = newClient(ref.hub, signal, onProgress);
      const result = await client.resolveRef(ref.kind, ref.repo, ref.revision);
      resolutions.set(refKey(ref), { at: deps.now(), result });
      if (ref.revision === DEFAULT_REVISION) rememberHead(ref.hub, ref.kind, ref.repo, result);
      const plan = await planFor({ hub: ref.hub, kind: ref.kind, repo: result.repo });
      return { commit: result.commit, variant: variantOf(plan) };
    },
    async verify(ref, onProgress, signal) {
      const client = newClient(ref.hub, signal, onProgress);
      const known = resolutions.get(refKey(ref));
      resolutions.delete(refKey(ref));
      if (known && deps.now() - known.at < 30_000) client.primed = { kind: ref.kind, repo: ref.repo, revision: ref.revision, result: known.result };
      const resolved = await client.resolveRef(ref.kind, ref.repo, ref.revision).catch(() => undefined);
      const plan = await planFor({ hub: ref.hub, kind: ref.kind, repo: resolved?.repo ?? ref.repo });
      const check = await verifyRevision({
        client,
        kind: ref.kind,
        repo: ref.repo,
        revision: ref.revision,
        publicKeyPems: plan.publicKeyPems,
        caPems: plan.caPems,
        maxHashBytes: deps.maxHashBytes(),
        budget: budgetOf(),
        ...(deps.trustedRoot !== undefined ? { trustedRoot: deps.trustedRoot } : {}),
        clock: { now: deps.now },
      });
      onProgress(undefined);
      return { commit: check.commit ?? '', variant: variantOf(plan), outcome: check };
    },
    cacheable(check) {
      // A commit's files never change, but network, login and "add a key" failures do.
      return Boolean(check.commit) && (check.outcome.status === 'signed' || check.outcome.status === 'unsigned' || check.outcome.status === 'invalid-signature');
    },
    async decide(outcome, ref) {
      // The cached outcome may come from a view of another revision of this commit: what this view
      // is about is decided afresh, never read from the cache.
      const check: RevisionCheck = { ...outcome, revision: ref.revision };
      delete check.atDefaultHead;
      delete check.defaultBranch;
      if (ref.revision === DEFAULT_REVISION) {
        // Resolved through the repo info endpoint for this very view: the default branch head.
        check.atDefaultHead = true;
        const named = heads.get(headKey(ref.hub, ref.kind, outcome.repo))?.defaultBranch;
        if (named) check.defaultBranch = named;
      } else if (outcome.commit && outcome.outcome.status === 'signed') {
        const doc = await deps.trust.snapshot();
        const rec =
          doc.repos[repoKey({ hub: outcome.hub, kind: outcome.kind, repo: outcome.repo })] ??
          (outcome.renamedFrom ? doc.repos[repoKey({ hub: outcome.hub, kind: outcome.kind, repo: outcome.renamedFrom })] : undefined);
        const state = { pins: rec?.pins ?? [], ...(rec?.signedSince !== undefined ? { signedSince: rec.signedSince } : {}) };
        if (wouldPinOnFirstUse(check, state, { signersPerRepo: doc.settings.signersPerRepo, expected: doc.expected })) {
          // Only now is the default head worth a request. A failed lookup leaves it unknown: no pin.
          const head = await defaultHead(ref, outcome.repo).catch(() => undefined);
          check.atDefaultHead = head?.commit === outcome.commit;
          if (head?.defaultBranch) check.defaultBranch = head.defaultBranch;
        }
      }
      return deps.trust.record(check);
    },
    policiesChanged() {
      plans.clear();
    },
  };
}
