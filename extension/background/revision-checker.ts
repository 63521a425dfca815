/**
 * The worker's one revision checker: a page view's revision → the Verdict every surface shows.
 *
 * Each check resolves the revision once (branch/tag → commit, one request), looks the commit up in a
 * cache kept in storage for good (a commit's files never change), and only on a miss verifies it
 * (`verifyRevision`, answering its resolution from the one already made). Concurrent checks of one
 * commit share one verification. The cache entry is chosen by commit and by variant: the key
 * material (public keys, CA certificates) the user's policies give the repo and the budgets (hash
 * size, downloads), since all of them change what a commit verifies to. Entries are evicted oldest
 * first beyond a byte budget. The trust store then turns the check into this view's Verdict.
 */
import type { SubtleVerify } from '../core/sigstore/preverify.js';
import type { FetchLike, KeyValueStorage } from '../core/env.js';
import type { Verdict } from '../core/verdict.js';
import type { HubClient, HubProgress, ResolvedRevision } from '../core/hubs/adapter.js';
import { adapterFor } from '../core/hubs/index.js';
import { DEFAULT_WORK_BUDGET, verifyRevision, type WorkBudget } from '../core/hub/verify-revision.js';
import { DEFAULT_REVISION, type CopyCandidate, type RevisionCheck } from '../core/hub/revision-check.js';
import { decide, wouldPinOnFirstUse } from '../core/trust/decide.js';
import type { TrustStore, VerificationPlan } from '../core/trust/store.js';
import { repoKey, revisionKey, type RepoRef, type RevisionRef } from '../core/repo-ref.js';
import { unverifiableForError } from '../core/failure.js';
import type { TrustRootChoice } from '../core/tuf/trust-root.js';
import type { PublisherDirectory } from '../core/publishers/directory.js';
import { findOriginal } from '../core/publishers/original.js';
import type { FirstUseHistory } from '../core/history/first-use.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

export type Progress = (text: string | undefined) => void;

export interface CacheStorage extends KeyValueStorage {
  remove(key: string): Promise<void>;
}

export interface RevisionCheckerDeps {
  fetch: FetchLike;
  trust: TrustStore;
  /** Where verified checks are kept (storage.local). */
  cache: CacheStorage;
  now: () => number;
  maxHashBytes: () => number;
  /** Download budget per verification (settings); default DEFAULT_WORK_BUDGET. */
  budget?: () => WorkBudget;
  /** Sigstore trusted root; default the production one (tests pass their own test instance's root). */
  trustedRoot?: unknown;
  /** The trust root in force, asked before each check (TUF-updated, built-in, or unusable); `trustedRoot` wins. */
  trustRoot?: () => Promise<TrustRootChoice>;
  /** WebCrypto, for Sigstore signature checks at native speed (the host's `crypto.subtle`). */
  subtle?: SubtleVerify;
  /** Counts every hub request (bench: requests per page view). */
  onRequest?: () => void;
  /** Byte budget of the cache; default CACHE_MAX_BYTES. */
  maxCacheBytes?: number;
  /** The publishers' directory in force (shipped and imported), undefined when the user switched it off. */
  publishers?: () => Promise<PublisherDirectory | undefined>;
}

/**
 * v2: keyed by revisionKey (repo id lower-cased). v3: checks carry each signature's signed content
 * (locks are compared with it) and how files were matched (agreed sources); v2 entries lack both.
 */
const CACHE_VERSION = 3;
const INDEX_KEY = 'rev:index';
/** storage.local holds 10 MB without `unlimitedStorage`: the cache keeps to half of it, oldest out first. */
export const CACHE_MAX_BYTES = 5 * 1024 * 1024;
const ENTRY_MAX_BYTES = 2 * 1024 * 1024;
/** How long a looked-up default branch head is reused (page views of one repo come in bursts). */
const DEFAULT_HEAD_TTL_MS = 30_000;
/** How long a copy's candidate original (its signature at its default head) is reused. */
const ORIGINAL_TTL_MS = 5 * 60_000;

/** A check, whether it came from the cache, and the base models the revision's card names (≤ 10, validated). */
export type CheckResult = { check: RevisionCheck; cached: boolean; baseModels?: string[] };

type IndexEntry = { key: string; bytes: number };
type Resolution = ResolvedRevision & { defaultBranch?: string };
type Head = { at: number; commit: string; defaultBranch?: string };

function progressText(p: HubProgress): string {
  return `rate limited, retrying in ${p.retryInSeconds} s`;
}

/** The revision as a page names it, DEFAULT_REVISION meaning the default branch head. */
function resolveRef(client: HubClient, ref: RevisionRef): Promise<Resolution> {
  return ref.revision === DEFAULT_REVISION ? client.resolveDefaultHead(ref.kind, ref.repo) : client.resolveRevision(ref.kind, ref.repo, ref.revision);
}

/**
 * The client for one verification: its resolution of `ref` is the one this check already made, so
 * the revision costs one request per check.
 */
function resolvedOnce(client: HubClient, ref: RevisionRef, resolution: Resolution): HubClient {
  const same = (kind: string, repo: string) => kind === ref.kind && repo === ref.repo;
  return {
    get endpoint() {
      return client.endpoint;
    },
    get requestCount() {
      return client.requestCount;
    },
    fileUrl: (kind, repo, commit, path) => client.fileUrl(kind, repo, commit, path),
    resolveRevision: (kind, repo, revision) =>
      same(kind, repo) && revision === ref.revision ? Promise.resolve(resolution) : client.resolveRevision(kind, repo, revision),
    resolveDefaultHead: (kind, repo) =>
      same(kind, repo) && ref.revision === DEFAULT_REVISION ? Promise.resolve(resolution) : client.resolveDefaultHead(kind, repo),
    listTree: (kind, repo, commit) => client.listTree(kind, repo, commit),
    fetchFile: (kind, repo, commit, path, maxBytes) => client.fetchFile(kind, repo, commit, path, maxBytes),
  };
}

export class RevisionChecker {
  /** Verifications started (a cache miss not joining one in flight): the bench's and self-test's counter. */
  verifications = 0;
  /**
   * Reads the repo's signing history for a first visit (set by the worker). Asked only when a
   * first-use pin would follow at the default branch head; never throws (unreadable is an answer).
   */
  historyForFirstUse?: (target: RepoRef & { commit: string; paths: readonly string[] }, onProgress: Progress) => Promise<FirstUseHistory>;
  private readonly inflight = new Map<string, Promise<RevisionCheck>>();
  private readonly progressListeners = new Map<string, Set<Progress>>();
  /** Key and CA plans change only when policies do (policiesChanged), so a warm view needs no trust read. */
  private readonly plans = new Map<string, Promise<VerificationPlan>>();
  /** Default branch heads seen lately (from home page resolutions or lookups), per repo. */
  private readonly heads = new Map<string, Head>();
  private storing: Promise<void> = Promise.resolve();
  /** Candidate originals of copies looked up lately, per copy, signer and root digest. */
  private readonly originals = new Map<string, { at: number; found: Promise<CopyCandidate | undefined> }>();

  constructor(private readonly deps: RevisionCheckerDeps) {}

  private client(hub: string, signal: AbortSignal, onProgress?: Progress): HubClient {
    const fetch: FetchLike = (input, init) => {
      this.deps.onRequest?.();
      return this.deps.fetch(input, init);
    };
    return adapterFor(hub).createClient({ fetch, endpoint: hub, signal, onProgress: (p) => onProgress?.(progressText(p)) });
  }

  private budget(): WorkBudget {
    return this.deps.budget?.() ?? DEFAULT_WORK_BUDGET;
  }

  private plan(ref: RepoRef): Promise<VerificationPlan> {
    const k = repoKey(ref);
    let p = this.plans.get(k);
    if (!p) {
      p = this.deps.trust.plan(ref);
      p.catch(() => this.plans.delete(k));
      if (this.plans.size > 500) this.plans.clear();
      this.plans.set(k, p);
    }
    return p;
  }

  private async trustRoot(): Promise<TrustRootChoice> {
    if (this.deps.trustedRoot !== undefined || !this.deps.trustRoot) return { root: this.deps.trustedRoot, tag: 'builtin' };
    return this.deps.trustRoot();
  }

  /** Which public keys and CA certificates were available, the budgets and the trust root: what a cached check means. */
  private variant(plan: VerificationPlan, root: TrustRootChoice): string {
    const material = [...plan.publicKeyPems].sort().join('\n') + '\n--ca--\n' + [...plan.caPems].sort().join('\n');
    const tag = plan.publicKeyPems.length || plan.caPems.length ? bytesToHex(sha256(new TextEncoder().encode(material))).slice(0, 16) : 'nokeys';
    const b = this.budget();
    // The budget decides which files get checked, so it is part of what a cached outcome means.
    const budgetTag = b.maxBytes === DEFAULT_WORK_BUDGET.maxBytes && b.maxRequests === DEFAULT_WORK_BUDGET.maxRequests ? '' : `-b${b.maxRequests}.${b.maxBytes}`;
    // A check made with one Sigstore trust root says nothing under another (or under none, once it expired).
    const rootTag = root.tag === 'builtin' ? '' : `-r${root.tag}`;
    return `${tag}-${this.deps.maxHashBytes()}${budgetTag}${rootTag}`;
  }

  private cacheKey(ref: RevisionRef, commit: string, variant: string): string {
    return `rev:v${CACHE_VERSION}:${revisionKey({ ...ref, commit })}#${variant}`;
  }

  private rememberHead(ref: RepoRef, result: Resolution): void {
    if (this.heads.size > 500) this.heads.clear();
    const v: Head = { at: this.deps.now(), commit: result.commit, ...(result.defaultBranch ? { defaultBranch: result.defaultBranch } : {}) };
    this.heads.set(repoKey({ ...ref, repo: result.repo }), v);
    this.heads.set(repoKey(ref), v);
  }

  private async defaultHead(ref: RepoRef): Promise<Omit<Head, 'at'>> {
    const known = this.heads.get(repoKey(ref));
    if (known && this.deps.now() - known.at < DEFAULT_HEAD_TTL_MS) return known;
    const result = await this.client(ref.hub, new AbortController().signal).resolveDefaultHead(ref.kind, ref.repo);
    this.rememberHead(ref, result);
    return { commit: result.commit, ...(result.defaultBranch ? { defaultBranch: result.defaultBranch } : {}) };
  }

  /** A commit's files never change, but network, login and "add a key" failures do. */
  private static cacheable(check: RevisionCheck): boolean {
    return Boolean(check.commit) && (check.outcome.status === 'signed' || check.outcome.status === 'unsigned' || check.outcome.status === 'invalid-signature');
  }

  /**
   * The check of a revision, before trust: from the cache when its commit was verified before (with
   * the same key material and budgets), else verified once, whoever asks (tabs, the download guard).
   */
  async check(ref: RevisionRef, onProgress: Progress = () => {}, signal: AbortSignal = new AbortController().signal): Promise<CheckResult> {
    const resolution = await resolveRef(this.client(ref.hub, signal, onProgress), ref);
    // The card's base models come with the resolution this check makes anyway (lineage reads them).
    const bases = resolution.baseModels ? { baseModels: resolution.baseModels } : {};
    if (ref.revision === DEFAULT_REVISION) this.rememberHead(ref, resolution);
    const root = await this.trustRoot();
    const variant = this.variant(await this.plan({ ...ref, repo: resolution.repo }), root);
    const key = this.cacheKey(ref, resolution.commit, variant);
    const hit = await this.deps.cache.get(key);
    if (hit !== undefined && hit !== null) return { check: hit as RevisionCheck, cached: true, ...bases };
    let listeners = this.progressListeners.get(key);
    if (!listeners) this.progressListeners.set(key, (listeners = new Set()));
    listeners.add(onProgress);
    let p = this.inflight.get(key);
    if (!p) {
      const fanout: Progress = (t) => {
        for (const l of this.progressListeners.get(key) ?? []) l(t);
      };
      p = this.verify(ref, resolution, root, fanout, signal).finally(() => {
        this.inflight.delete(key);
        this.progressListeners.delete(key);
      });
      this.inflight.set(key, p);
    }
    return { check: await p, cached: false, ...bases };
  }

  private async verify(ref: RevisionRef, resolution: Resolution, root: TrustRootChoice, onProgress: Progress, signal: AbortSignal): Promise<RevisionCheck> {
    this.verifications++;
    const client = resolvedOnce(this.client(ref.hub, signal, onProgress), ref, resolution);
    // Policies may have changed since the lookup: the plan (and so the variant) is read again.
    const plan = await this.plan({ ...ref, repo: resolution.repo });
    const check = await verifyRevision({
      client,
      kind: ref.kind,
      repo: ref.repo,
      revision: ref.revision,
      publicKeyPems: plan.publicKeyPems,
      caPems: plan.caPems,
      maxHashBytes: this.deps.maxHashBytes(),
      budget: this.budget(),
      ...(root.root !== undefined ? { trustedRoot: root.root } : {}),
      ...(this.deps.subtle ? { subtle: this.deps.subtle } : {}),
      clock: { now: this.deps.now },
    });
    onProgress(undefined);
    if (check.commit && RevisionChecker.cacheable(check)) await this.store(this.cacheKey(ref, check.commit, this.variant(plan, root)), check);
    return check;
  }

  /**
   * The Verdict for a page view of `ref`: its check, then the trust decision. Whether the commit is
   * the default branch head is decided here, per view: a home page (DEFAULT_REVISION) is by
   * definition; any other revision is compared with the head only when a first-use pin would
   * otherwise be created. Never throws.
   */
  async verdictFor(ref: RevisionRef, onProgress: Progress = () => {}): Promise<Verdict> {
    try {
      const { check: found, baseModels } = await this.check(ref, onProgress);
      const publishers = await this.deps.publishers?.();
      // The cached check may come from a view of another revision of this commit: what this view
      // is about is decided afresh, never read from the cache.
      const check: RevisionCheck = { ...found, revision: ref.revision };
      delete check.atDefaultHead;
      delete check.defaultBranch;
      const checked: RepoRef = { hub: found.hub, kind: found.kind, repo: found.repo };
      if (ref.revision === DEFAULT_REVISION) {
        // Resolved through the repo info endpoint for this very view: the default branch head.
        check.atDefaultHead = true;
        const named = this.heads.get(repoKey(checked))?.defaultBranch;
        if (named) check.defaultBranch = named;
      } else if (found.commit && found.outcome.status === 'signed') {
        const doc = await this.deps.trust.snapshot();
        const rec = doc.repos[repoKey(checked)] ?? (found.renamedFrom ? doc.repos[repoKey({ ...checked, repo: found.renamedFrom })] : undefined);
        const state = { pins: rec?.pins ?? [], ...(rec?.signedSince !== undefined ? { signedSince: rec.signedSince } : {}) };
        if (wouldPinOnFirstUse(check, state, { signersPerRepo: doc.settings.signersPerRepo, expected: doc.expected, ...(publishers ? { publishers } : {}) })) {
          // Only now is the default head worth a request. A failed lookup leaves it unknown: no pin.
          const head = await this.defaultHead({ hub: ref.hub, kind: ref.kind, repo: found.repo }).catch(() => undefined);
          check.atDefaultHead = head?.commit === found.commit;
          if (head?.defaultBranch) check.defaultBranch = head.defaultBranch;
        }
      }
      if (publishers && found.outcome.status === 'signed') {
        const copyOf = await this.originalOf(found, publishers, baseModels);
        if (copyOf) check.copyOf = copyOf;
      }
      if (check.atDefaultHead === true) await this.readFirstUseHistory(check, checked, onProgress, publishers);
      return await this.deps.trust.record(check, publishers ? { publishers } : {});
    } catch (e) {
      return unverifiableForError(e, { checkedAt: this.deps.now(), subject: { repo: ref.repo, revision: ref.revision } });
    }
  }

  /**
   * A copy's candidate original (another publisher's signer on this repo), looked up per view but
   * reused for a few minutes: the original's default head may move. A failed lookup proves nothing.
   */
  private originalOf(found: RevisionCheck, publishers: PublisherDirectory, baseModels: string[] | undefined): Promise<CopyCandidate | undefined> {
    if (found.outcome.status !== 'signed') return Promise.resolve(undefined);
    const signature = found.outcome.evidence;
    // Named fields, not the signer object: a check read back from storage may list its keys in another order.
    const s = signature.signer;
    const signer = [s.kind, s.identity, s.issuer, s.keyFingerprint, s.caSubject, s.sourceRepository];
    const key = JSON.stringify([found.hub, found.kind, found.repo.toLowerCase(), signer, signature.rootDigest, baseModels ?? []]);
    const known = this.originals.get(key);
    if (known && this.deps.now() - known.at < ORIGINAL_TTL_MS) return known.found;
    if (this.originals.size > 200) this.originals.clear();
    const lookup = this.trustRoot().then((root) => findOriginal({
      client: this.client(found.hub, new AbortController().signal),
      hub: found.hub,
      kind: found.kind,
      repo: found.repo,
      signature,
      directory: publishers,
      ...(baseModels ? { baseModels } : {}),
      // The original's signature is checked with the root this repo's own check used.
      ...(root.root !== undefined ? { trustedRoot: root.root } : {}),
      ...(this.deps.subtle ? { subtle: this.deps.subtle } : {}),
    })).catch(() => undefined);
    this.originals.set(key, { at: this.deps.now(), found: lookup });
    return lookup;
  }

  /**
   * A first-use pin is about to be made: the repo's signing history decides whether the verdict may
   * say "signed by X since DATE" or must name a change of signer (decide() reads `check.history`).
   */
  private async readFirstUseHistory(check: RevisionCheck, repo: RepoRef, onProgress: Progress, publishers: PublisherDirectory | undefined): Promise<void> {
    if (!this.historyForFirstUse || !check.commit || check.outcome.status !== 'signed') return;
    const doc = await this.deps.trust.snapshot();
    const rec = doc.repos[repoKey(repo)];
    const state = { pins: rec?.pins ?? [], ...(rec?.signedSince !== undefined ? { signedSince: rec.signedSince } : {}), ...(rec?.lock ? { lock: rec.lock.document } : {}) };
    // Only a view that would be "verified, first use" (signer and files judged) is worth the history.
    if (decide(check, state, { signersPerRepo: doc.settings.signersPerRepo, expected: doc.expected, ...(publishers ? { publishers } : {}) }).verdict.state !== 'verified-first-use') return;
    onProgress('reading the signing history');
    check.history = await this.historyForFirstUse({ ...repo, commit: check.commit, paths: check.outcome.signatureFiles }, onProgress);
    onProgress(undefined);
  }

  /** Policies changed (set, removed, imported, accepted): forget the remembered key plans. */
  policiesChanged(): void {
    this.plans.clear();
  }

  /** Number of verifications running now (for tests and the bench). */
  get running(): number {
    return this.inflight.size;
  }

  /** Stores a check; one index update at a time, or two verifications finishing together would drop an entry. */
  private store(key: string, check: RevisionCheck): Promise<void> {
    const run = this.storing.then(() => this.storeNow(key, check));
    this.storing = run;
    return run;
  }

  /** Best effort: a failed write (quota, storage error) only means the next view verifies again. */
  private async storeNow(key: string, check: RevisionCheck): Promise<void> {
    const maxBytes = this.deps.maxCacheBytes ?? CACHE_MAX_BYTES;
    try {
      const bytes = JSON.stringify(check).length;
      if (bytes > Math.min(ENTRY_MAX_BYTES, maxBytes)) return;
      const raw = await this.deps.cache.get(INDEX_KEY);
      const index: IndexEntry[] = Array.isArray(raw) ? (raw as IndexEntry[]).filter((e) => e && typeof e.key === 'string' && typeof e.bytes === 'number' && e.key !== key) : [];
      index.push({ key, bytes });
      let total = index.reduce((a, e) => a + e.bytes, 0);
      while (total > maxBytes && index.length > 1) {
        const old = index.shift() as IndexEntry;
        total -= old.bytes;
        await this.deps.cache.remove(old.key);
      }
      await this.deps.cache.set(key, check);
      await this.deps.cache.set(INDEX_KEY, index);
    } catch {
      // The cache is an optimisation; the verdict stands without it.
    }
  }
}
