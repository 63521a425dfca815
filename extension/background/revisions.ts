/**
 * The revision verification service: one verification per (hub, repo, commit), cached for good in
 * storage (a commit's files never change), and concurrent requests for the same revision share one
 * promise. A stopped worker loses the promise but not the cache: the next request simply starts over.
 */
import type { KeyValueStorage } from '../core/env.js';

export interface RevisionRef {
  hub: string;
  kind: 'model' | 'dataset';
  repo: string;
  /** Branch, tag or commit as the page named it. */
  revision: string;
}

export interface VerifyFns<O> {
  /** Branch/tag → commit SHA (one API request); a 40-hex revision is used as is. */
  resolveCommit?(ref: RevisionRef, signal: AbortSignal): Promise<string>;
  /** Full verification of one revision; returns the commit it verified and a JSON-safe outcome. */
  verify(ref: RevisionRef, onProgress: (text: string | undefined) => void, signal: AbortSignal): Promise<{ commit: string; outcome: O }>;
  /** Whether an outcome may be cached forever (network failures must not be). */
  cacheable(outcome: O): boolean;
}

const SHA = /^[0-9a-f]{40}$/;
const CACHE_VERSION = 1;

export class RevisionService<O> {
  private readonly inflight = new Map<string, Promise<{ commit: string; outcome: O }>>();
  private readonly progressListeners = new Map<string, Set<(t: string | undefined) => void>>();

  constructor(
    private readonly fns: VerifyFns<O>,
    private readonly cache: KeyValueStorage,
  ) {}

  static cacheKey(ref: Omit<RevisionRef, 'revision'>, commit: string): string {
    return `rev:v${CACHE_VERSION}:${ref.hub}|${ref.kind}|${ref.repo}@${commit}`;
  }

  /** The outcome for a revision: from cache when the commit is known, else verified once. */
  async get(ref: RevisionRef, onProgress: (t: string | undefined) => void = () => {}, signal?: AbortSignal): Promise<{ commit: string; outcome: O; cached: boolean }> {
    const sig = signal ?? new AbortController().signal;
    let commit = SHA.test(ref.revision) ? ref.revision : undefined;
    if (!commit && this.fns.resolveCommit) commit = await this.fns.resolveCommit(ref, sig);
    if (commit) {
      const hit = await this.cache.get(RevisionService.cacheKey(ref, commit));
      if (hit !== undefined && hit !== null) return { commit, outcome: hit as O, cached: true };
    }
    // Share one verification per resolved commit (or per named revision when unresolved).
    const key = `${ref.hub}|${ref.kind}|${ref.repo}@${commit ?? ref.revision}`;
    let listeners = this.progressListeners.get(key);
    if (!listeners) this.progressListeners.set(key, (listeners = new Set()));
    listeners.add(onProgress);
    let p = this.inflight.get(key);
    if (!p) {
      const fanout = (t: string | undefined) => {
        for (const l of this.progressListeners.get(key) ?? []) l(t);
      };
      const run = this.fns.verify(commit ? { ...ref, revision: commit } : ref, fanout, sig).then(async (r) => {
        if (this.fns.cacheable(r.outcome)) await this.cache.set(RevisionService.cacheKey(ref, r.commit), r.outcome);
        return r;
      });
      p = run.finally(() => {
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
