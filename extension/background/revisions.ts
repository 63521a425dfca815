/**
 * The revision verification service: one verification per (hub, repo, commit, key material), cached
 * for good in storage (a commit's files never change), and concurrent requests for the same revision
 * share one promise. A stopped worker loses the promise but not the cache: the next request simply
 * starts over.
 */
import type { KeyValueStorage } from '../core/env.js';

export interface RevisionRef {
  hub: string;
  kind: 'model' | 'dataset';
  repo: string;
  /** Branch, tag or commit as the page named it. */
  revision: string;
}

export type Progress = (text: string | undefined) => void;

export interface VerifyFns<O> {
  /** Revision → commit (one API request) and the cache variant (which user keys apply). */
  resolve(ref: RevisionRef, onProgress: Progress, signal: AbortSignal): Promise<{ commit: string; variant: string }>;
  /** Full verification of one revision; returns the commit it verified and a JSON-safe outcome. */
  verify(ref: RevisionRef, onProgress: Progress, signal: AbortSignal): Promise<{ commit: string; variant: string; outcome: O }>;
  /** Whether an outcome may be cached forever (network failures must not be). */
  cacheable(outcome: O): boolean;
}

const CACHE_VERSION = 1;
const INDEX_KEY = 'rev:index';
/** storage.local holds 10 MB without `unlimitedStorage`: the cache keeps to half of it, oldest out first. */
export const CACHE_MAX_BYTES = 5 * 1024 * 1024;
const ENTRY_MAX_BYTES = 2 * 1024 * 1024;

export interface CacheStorage extends KeyValueStorage {
  remove(key: string): Promise<void>;
}

type IndexEntry = { key: string; bytes: number };

export class RevisionService<O> {
  private readonly inflight = new Map<string, Promise<{ commit: string; outcome: O }>>();
  private readonly progressListeners = new Map<string, Set<Progress>>();

  constructor(
    private readonly fns: VerifyFns<O>,
    private readonly cache: CacheStorage,
    private readonly maxBytes = CACHE_MAX_BYTES,
  ) {}

  /**
   * Stores an outcome and evicts the oldest entries beyond the byte budget. Best effort: a failed
   * write (quota, storage error) only means the next view verifies again.
   */
  private storing: Promise<void> = Promise.resolve();

  private store(key: string, outcome: O): Promise<void> {
    // One index update at a time, or two verifications finishing together would drop an entry.
    const run = this.storing.then(() => this.storeNow(key, outcome));
    this.storing = run;
    return run;
  }

  private async storeNow(key: string, outcome: O): Promise<void> {
    try {
      const bytes = JSON.stringify(outcome).length;
      if (bytes > Math.min(ENTRY_MAX_BYTES, this.maxBytes)) return;
      const raw = await this.cache.get(INDEX_KEY);
      const index: IndexEntry[] = Array.isArray(raw) ? (raw as IndexEntry[]).filter((e) => e && typeof e.key === 'string' && typeof e.bytes === 'number' && e.key !== key) : [];
      index.push({ key, bytes });
      let total = index.reduce((a, e) => a + e.bytes, 0);
      while (total > this.maxBytes && index.length > 1) {
        const old = index.shift() as IndexEntry;
        total -= old.bytes;
        await this.cache.remove(old.key);
      }
      await this.cache.set(key, outcome);
      await this.cache.set(INDEX_KEY, index);
    } catch {
      // The cache is an optimisation; the verdict stands without it.
    }
  }

  static cacheKey(ref: Omit<RevisionRef, 'revision'>, commit: string, variant: string): string {
    return `rev:v${CACHE_VERSION}:${ref.hub}|${ref.kind}|${ref.repo}@${commit}#${variant}`;
  }

  /** The outcome for a revision: from cache when the commit was verified before, else verified once. */
  async get(ref: RevisionRef, onProgress: Progress = () => {}, signal?: AbortSignal): Promise<{ commit: string; outcome: O; cached: boolean }> {
    const sig = signal ?? new AbortController().signal;
    const { commit, variant } = await this.fns.resolve(ref, onProgress, sig);
    const hit = await this.cache.get(RevisionService.cacheKey(ref, commit, variant));
    if (hit !== undefined && hit !== null) return { commit, outcome: hit as O, cached: true };
    // One verification per commit and variant, whoever asks (several tabs, the download guard).
    const key = RevisionService.cacheKey(ref, commit, variant);
    let listeners = this.progressListeners.get(key);
    if (!listeners) this.progressListeners.set(key, (listeners = new Set()));
    listeners.add(onProgress);
    let p = this.inflight.get(key);
    if (!p) {
      const fanout: Progress = (t) => {
        for (const l of this.progressListeners.get(key) ?? []) l(t);
      };
      p = this.fns
        .verify(ref, fanout, sig)
        .then(async (r) => {
          if (r.commit && this.fns.cacheable(r.outcome)) await this.store(RevisionService.cacheKey(ref, r.commit, r.variant), r.outcome);
          return { commit: r.commit, outcome: r.outcome };
        })
        .finally(() => {
          this.inflight.delete(key);
          this.progressListeners.delete(key);
        });
      this.inflight.set(key, p);
    }
    const r = await p;
    return { ...r, cached: false };
  }

  /** Number of verifications running now (for tests and the bench). */
  get running(): number {
    return this.inflight.size;
  }
}
