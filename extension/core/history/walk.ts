/**
 * A repo's signing history from the hub: every version of each signature file, newest first, found by
 * asking for the commit that last changed the file, then asking again at that commit's parent. Hub
 * requests grow with the number of signature versions, not with the number of commits; every answer
 * is about an immutable commit, so all of it is cached and a repeat visit with the same head costs
 * nothing (a new head: one request). Each version's signature is verified on its own (signature,
 * signer, log entries; the files at that commit are not re-hashed); a failure on one version is that
 * version's result and never hides the others.
 */
import { ModelSealError } from '../errors.js';
import { failureFromError } from '../failure.js';
import type { FailureInfo, SignatureEvidence } from '../verdict.js';
import type { HubClient, HubHistoryClient, PathChange, RepoKind } from '../hubs/adapter.js';
import type { KeyValueStorage } from '../env.js';
import { MAX_BUNDLE_BYTES } from '../oms/limits.js';

export interface SignatureVersion {
  /** The signature file (repo path). */
  path: string;
  /** The commit that wrote this version of it. */
  commit: string;
  date?: string;
  title?: string;
  /** The file did not exist before this commit: the walk for this path ends here. */
  added: boolean;
  outcome: { ok: true; evidence: SignatureEvidence } | { ok: false; failure: FailureInfo };
}

export interface HistoryWalkInput {
  client: HubClient & HubHistoryClient;
  kind: RepoKind;
  repo: string;
  /** Where the walk starts: a commit (the verified revision's). */
  head: string;
  /** Signature files to follow (the locator's, at the head). */
  paths: readonly string[];
  /** Verifies one version's signature bytes; throws a ModelSealError when it does not verify. */
  verify(bytes: Uint8Array, path: string): Promise<SignatureEvidence>;
  /** Versions to find in this walk (default 50); `next` continues. */
  limit?: number;
  /** Where to pick up (from a previous page's `next`). */
  resume?: HistoryCursor;
  /** Immutable answers (per commit) are kept here. */
  cache?: KeyValueStorage;
  /** Called as each version is found, for progressive display. */
  onVersion?(v: SignatureVersion): void;
}

/** Per path, the commit to ask at next (absent: that path's walk is finished). */
export type HistoryCursor = Record<string, string>;

export interface HistoryPage {
  /** Newest first. */
  versions: SignatureVersion[];
  /** Set when some path has older versions left: pass it as `resume` to load more. */
  next?: HistoryCursor;
}

export const DEFAULT_HISTORY_LIMIT = 50;
const CACHE_PREFIX = 'hist:v1:';

function isChange(v: unknown): v is PathChange | null {
  return v === null || (typeof v === 'object' && v !== null && typeof (v as PathChange).commit === 'string');
}

export async function walkSignatureHistory(input: HistoryWalkInput): Promise<HistoryPage> {
  const { client, kind, repo } = input;
  const limit = Math.max(1, input.limit ?? DEFAULT_HISTORY_LIMIT);
  const cache = input.cache;
  const key = (...parts: string[]) => `${CACHE_PREFIX}${client.endpoint}|${kind}|${repo}|${parts.join('|')}`;

  async function cached<T>(k: string, valid: (v: unknown) => v is T, compute: () => Promise<T>): Promise<T> {
    const hit = cache ? await cache.get(k) : undefined;
    if (hit !== undefined && valid(hit)) return hit;
    const value = await compute();
    await cache?.set(k, value);
    return value;
  }

  /** Last change of each path at `at`, one request for all of them (unless cached). */
  async function lastChanges(at: string, paths: string[]): Promise<Map<string, PathChange | null>> {
    const out = new Map<string, PathChange | null>();
    const missing: string[] = [];
    for (const p of paths) {
      const hit = cache ? await cache.get(key('last', at, p)) : undefined;
      if (hit !== undefined && isChange(hit)) out.set(p, hit);
      else missing.push(p);
    }
    if (missing.length > 0) {
      const found = await client.lastChanges(kind, repo, at, missing);
      for (const p of missing) {
        const c = found.get(p) ?? null;
        out.set(p, c);
        await cache?.set(key('last', at, p), c);
      }
    }
    return out;
  }

  const parentOf = (commit: string) =>
    cached(key('parent', commit), (v): v is string | null => v === null || typeof v === 'string', async () => (await client.parentCommit(kind, repo, commit)) ?? null);

  const outcomeOf = (path: string, commit: string) =>
    cached(
      key('sig', commit, path),
      (v): v is SignatureVersion['outcome'] => typeof v === 'object' && v !== null && typeof (v as { ok?: unknown }).ok === 'boolean',
      async (): Promise<SignatureVersion['outcome']> => {
        try {
          const bytes = await client.fetchFile(kind, repo, commit, path, MAX_BUNDLE_BYTES);
          return { ok: true, evidence: await input.verify(bytes, path) };
        } catch (e) {
          const failure = failureFromError(e);
          // A network hiccup is not a fact about that commit: do not keep it.
          if (['NETWORK_ERROR', 'RATE_LIMITED', 'TIMEOUT', 'AUTH_REQUIRED'].includes(failure.code)) throw new TransientFailure(failure);
          return { ok: false, failure };
        }
      },
    ).catch((e: unknown) => {
      if (e instanceof TransientFailure) return { ok: false as const, failure: e.failure };
      throw e;
    });

  // Where each path's walk stands.
  const frontier = new Map<string, string>(input.resume ? Object.entries(input.resume).filter(([p]) => input.paths.includes(p)) : input.paths.map((p) => [p, input.head]));
  const seen = new Set<string>();
  const versions: SignatureVersion[] = [];
  while (frontier.size > 0 && versions.length < limit) {
    // Paths waiting at the same commit are asked about together.
    const byCommit = new Map<string, string[]>();
    for (const [p, at] of frontier) byCommit.set(at, [...(byCommit.get(at) ?? []), p]);
    for (const [at, paths] of byCommit) {
      const changes = await lastChanges(at, paths);
      for (const p of paths) {
        if (versions.length >= limit) break;
        const change = changes.get(p);
        if (!change) {
          // Not there at `at`: the previous version (if any) was where it was added.
          frontier.delete(p);
          const newer = versions.findLast((v) => v.path === p);
          if (newer) newer.added = true;
          continue;
        }
        if (seen.has(`${p}@${change.commit}`)) throw new ModelSealError('RESPONSE_MALFORMED', 'the hub history loops');
        seen.add(`${p}@${change.commit}`);
        const v: SignatureVersion = {
          path: p,
          commit: change.commit,
          ...(change.date ? { date: change.date } : {}),
          ...(change.title ? { title: change.title } : {}),
          added: false,
          outcome: await outcomeOf(p, change.commit),
        };
        const parent = await parentOf(change.commit);
        if (parent === null) {
          v.added = true;
          frontier.delete(p);
        } else frontier.set(p, parent);
        versions.push(v);
        input.onVersion?.(v);
      }
    }
  }
  versions.sort((a, b) => (Date.parse(b.date ?? '') || 0) - (Date.parse(a.date ?? '') || 0));
  return { versions, ...(frontier.size > 0 ? { next: Object.fromEntries(frontier) } : {}) };
}

class TransientFailure extends Error {
  constructor(readonly failure: FailureInfo) {
    super(failure.reason);
  }
}
