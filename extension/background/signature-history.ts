/**
 * The signing history of the repo in a tab (issue 8 §1): every version of the revision's signature
 * files, found with the core walk (`walkSignatureHistory`) from the commit the tab shows, each
 * verified the way the revision check verifies a signature (no file is re-hashed). Results arrive as
 * they are found (`push`), the first 50 versions by default and 50 more per "load more". Every answer
 * the walk keeps is about an immutable commit: it is cached in storage (bounded, oldest out first), so
 * a repeat visit with the same head costs no history request and a new head costs one.
 *
 * A signature that was removed and added again stops the walk where it was absent. When this browser
 * saw the repo signed at a commit the walk did not reach, the walk goes on from there too, and the
 * stretch between the two is reported as a removal.
 */
import type { FetchLike } from '../core/env.js';
import type { Signer } from '../core/verdict.js';
import type { HubClient, HubHistoryClient } from '../core/hubs/adapter.js';
import { adapterFor } from '../core/hubs/index.js';
import { walkSignatureHistory, DEFAULT_HISTORY_LIMIT, type SignatureVersion } from '../core/history/walk.js';
import { verifySignatureBytes } from '../core/hub/steps/verify-signature.js';
import type { SubtleVerify } from '../core/sigstore/preverify.js';
import { failureFromError } from '../core/failure.js';
import { firstUseHistory, type FirstUseHistory } from '../core/history/first-use.js';
import { ModelSealError } from '../core/errors.js';
import { repoKey, type RepoRef } from '../core/repo-ref.js';
import type { TrustStore } from '../core/trust/store.js';
import type { CacheStorage } from './revision-checker.js';
import type { HistoryRemoval, SignatureHistoryView } from '../shared/messages.js';

export type { HistoryRemoval, SignatureHistoryView };
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/** Where the walk starts: the tab's verified commit and the signature files it has. */
export interface HistoryTarget extends RepoRef {
  commit: string;
  /** Signature files at `commit` (the verdict's), repo-wide first; empty when it has none. */
  paths: readonly string[];
}

export interface SignatureHistoryDeps {
  fetch: FetchLike;
  cache: CacheStorage;
  trust: TrustStore;
  trustedRoot?: unknown;
  /**
   * The Sigstore root in force now (TUF-updated, built-in, or unusable once expired) and its tag;
   * wins over `trustedRoot`. The tag is part of every cached answer's key: a verdict under one root
   * means nothing under another.
   */
  trustRoot?: () => Promise<{ root: unknown; tag: string }>;
  subtle?: SubtleVerify;
  /** A view changed (versions found, progress, done). */
  push?(view: SignatureHistoryView): void;
}

/** The history cache keeps to this many bytes of storage (its own budget, beside the revision cache's). */
export const HISTORY_CACHE_MAX_BYTES = 2 * 1024 * 1024;
const INDEX_KEY = 'hist:index';
const MAX_VIEWS = 50;

/** Key material changes what a past signature verifies to: it is part of every cached answer's key. */
function variantOf(publicKeyPems: readonly string[], caPems: readonly string[]): string {
  if (publicKeyPems.length === 0 && caPems.length === 0) return 'nokeys';
  const material = [...publicKeyPems].sort().join('\n') + '\n--ca--\n' + [...caPems].sort().join('\n');
  return bytesToHex(sha256(new TextEncoder().encode(material))).slice(0, 16);
}

/**
 * The walk's cache over extension storage, bounded: an index of keys and sizes, oldest evicted first.
 * Best effort: a failed write only means asking the hub again.
 */
export class BoundedHistoryCache {
  private writing: Promise<void> = Promise.resolve();
  constructor(
    private readonly store: CacheStorage,
    private readonly maxBytes = HISTORY_CACHE_MAX_BYTES,
  ) {}

  get(key: string): Promise<unknown> {
    return this.store.get(key);
  }

  set(key: string, value: unknown): Promise<void> {
    const run = this.writing.then(() => this.setNow(key, value));
    this.writing = run;
    return run;
  }

  private async setNow(key: string, value: unknown): Promise<void> {
    try {
      const bytes = JSON.stringify(value ?? null).length + key.length;
      if (bytes > this.maxBytes) return;
      const raw = await this.store.get(INDEX_KEY);
      const index = Array.isArray(raw) ? (raw as { key: string; bytes: number }[]).filter((e) => e && typeof e.key === 'string' && typeof e.bytes === 'number' && e.key !== key) : [];
      index.push({ key, bytes });
      let total = index.reduce((a, e) => a + e.bytes, 0);
      while (total > this.maxBytes && index.length > 1) {
        const old = index.shift()!;
        total -= old.bytes;
        await this.store.remove(old.key);
      }
      await this.store.set(key, value);
      await this.store.set(INDEX_KEY, index);
    } catch {
      // The cache saves requests; the history stands without it.
    }
  }
}

interface Run {
  view: SignatureHistoryView;
  done: Promise<SignatureHistoryView>;
}

export class SignatureHistory {
  private readonly runs = new Map<string, Run>();
  private readonly cache: BoundedHistoryCache;

  constructor(private readonly deps: SignatureHistoryDeps) {
    this.cache = new BoundedHistoryCache(deps.cache);
  }

  /**
   * The history of `target` as found so far, starting the walk if it has not started (or, with
   * `more`, asking for 50 more versions). Never throws: a failure is the view's.
   */
  get(target: HistoryTarget, opts: { more?: boolean } = {}): SignatureHistoryView {
    return this.run(target, opts).view;
  }

  /** The same, resolved once the walk has finished (tests, and the history page's first paint). */
  complete(target: HistoryTarget, opts: { more?: boolean } = {}): Promise<SignatureHistoryView> {
    return this.run(target, opts).done;
  }

  /** For a first visit: the history read to its end or its first 50 versions, summarized (never throws). */
  async firstUse(target: HistoryTarget): Promise<FirstUseHistory> {
    const view = await this.complete(target);
    if (view.status === 'failed') return { status: 'unreadable', failure: view.failure ?? { code: 'INTERNAL_ERROR', reason: 'the history walk failed' } };
    return firstUseHistory(view.versions, !view.more);
  }

  private run(target: HistoryTarget, opts: { more?: boolean }): Run {
    const key = `${repoKey(target)}@${target.commit}`;
    const existing = this.runs.get(key);
    if (existing && !(opts.more && existing.view.status !== 'loading' && existing.view.more)) {
      // A failed walk is tried again on the next ask (what it found is cached).
      if (existing.view.status !== 'failed') return existing;
    }
    const limit = existing && opts.more ? existing.view.limit + DEFAULT_HISTORY_LIMIT : (existing?.view.limit ?? DEFAULT_HISTORY_LIMIT);
    const view: SignatureHistoryView = {
      hub: target.hub,
      kind: target.kind,
      repo: target.repo,
      head: target.commit,
      status: 'loading',
      versions: existing?.view.versions ?? [],
      removals: existing?.view.removals ?? [],
      more: false,
      limit,
      requests: 0,
    };
    const run: Run = { view, done: this.walk(target, view) };
    if (this.runs.size >= MAX_VIEWS) this.runs.delete(this.runs.keys().next().value as string);
    this.runs.delete(key);
    this.runs.set(key, run);
    return run;
  }

  private client(hub: string, view: SignatureHistoryView): HubClient & HubHistoryClient {
    const fetch: FetchLike = (input, init) => {
      view.requests++;
      return this.deps.fetch(input, init);
    };
    const client = adapterFor(hub).createClient({
      fetch,
      endpoint: hub,
      signal: new AbortController().signal,
      onProgress: (p) => {
        view.progress = `rate limited, retrying in ${p.retryInSeconds} s`;
        this.deps.push?.(view);
      },
    }) as HubClient & Partial<HubHistoryClient>;
    if (typeof client.lastChanges !== 'function' || typeof client.parentCommit !== 'function') {
      throw new ModelSealError('NOT_FOUND', 'this hub has no file history to read');
    }
    return client as HubClient & HubHistoryClient;
  }

  private async walk(target: HistoryTarget, view: SignatureHistoryView): Promise<SignatureHistoryView> {
    const found = new Map<string, SignatureVersion>();
    const publish = () => {
      view.versions = [...found.values()].sort(newestFirst);
      this.deps.push?.(view);
    };
    const onVersion = (v: SignatureVersion) => {
      found.set(`${v.path}@${v.commit}`, v);
      view.progress = undefined;
      publish();
    };
    try {
      const client = this.client(target.hub, view);
      const plan = await this.deps.trust.plan(target);
      const choice = this.deps.trustRoot ? await this.deps.trustRoot() : { root: this.deps.trustedRoot, tag: 'given' };
      const material = { publicKeyPems: plan.publicKeyPems, caPems: plan.caPems, trustedRoot: choice.root };
      const variant = `${variantOf(plan.publicKeyPems, plan.caPems)}.${choice.tag}`;
      const cache = { get: (k: string) => this.cache.get(`${k}#${variant}`), set: (k: string, v: unknown) => this.cache.set(`${k}#${variant}`, v) };
      const verify = (bytes: Uint8Array) => verifySignatureBytes(bytes, material, this.deps.subtle);
      const base = { client, kind: target.kind, repo: target.repo, verify, cache, onVersion };

      let more = false;
      if (target.paths.length > 0) {
        const page = await walkSignatureHistory({ ...base, head: target.commit, paths: target.paths, limit: view.limit });
        for (const v of page.versions) found.set(`${v.path}@${v.commit}`, v);
        more = page.next !== undefined;
      }
      // The walk ended where a signature file was absent: if this browser saw the repo signed at a
      // commit the walk did not reach, the history goes on from there, past the removal.
      if (!more && found.size < view.limit) {
        const known = await this.knownSignedCommit(target, found);
        if (known) {
          const paths = target.paths.length > 0 ? target.paths : ['model.sig'];
          const newerOnes = [...found.values()];
          const before = new Set(found.keys());
          const page = await walkSignatureHistory({ ...base, head: known, paths, limit: view.limit - found.size });
          const older = page.versions.filter((v) => !before.has(`${v.path}@${v.commit}`));
          for (const v of page.versions) found.set(`${v.path}@${v.commit}`, v);
          view.removals = removalsBetween(older, newerOnes, paths);
          more = page.next !== undefined;
        }
      }
      view.more = more;
      view.status = 'done';
      view.failure = undefined;
    } catch (e) {
      view.status = 'failed';
      view.failure = failureFromError(e);
    }
    view.progress = undefined;
    publish();
    return view;
  }

  /** The newest commit this browser saw signed that no version found so far was written at, if any. */
  private async knownSignedCommit(target: HistoryTarget, found: Map<string, SignatureVersion>): Promise<string | undefined> {
    const rec = await this.deps.trust.repo(target).catch(() => undefined);
    const seen = new Set([...found.values()].map((v) => v.commit));
    const candidates = (rec?.history ?? []).filter((h) => h.signer && h.commit !== target.commit && !seen.has(h.commit) && /^[0-9a-f]{40}$/.test(h.commit));
    return candidates.at(-1)?.commit;
  }
}

function newestFirst(a: SignatureVersion, b: SignatureVersion): number {
  return (Date.parse(b.date ?? '') || 0) - (Date.parse(a.date ?? '') || 0);
}

/**
 * For each path, the older walk's newest version and the newer walk's oldest one: when the newer one
 * was added (the file was absent before it), the signature was gone in between.
 */
function removalsBetween(older: SignatureVersion[], newer: SignatureVersion[], paths: readonly string[]): HistoryRemoval[] {
  const out: HistoryRemoval[] = [];
  for (const path of paths) {
    const lastOld = older.filter((v) => v.path === path).sort(newestFirst)[0];
    if (!lastOld) continue;
    const firstNew = newer.filter((v) => v.path === path).sort(newestFirst).at(-1);
    if (firstNew && !firstNew.added) continue;
    if (firstNew && newestFirst(lastOld, firstNew) < 0) continue; // the "older" one is newer: not a removal
    out.push({ path, after: lastOld.commit, ...(firstNew ? { before: firstNew.commit } : {}) });
  }
  return out;
}

/** The signer of a version that verified, for views. */
export function versionSigner(v: SignatureVersion): Signer | undefined {
  return v.outcome.ok ? v.outcome.evidence.signer : undefined;
}
