/**
 * What the steps of one revision check share: the resolved revision, its tree, and the download
 * budget with a fetcher that fetches and hashes each distinct object once.
 */
import type { SubtleVerify } from '../../sigstore/preverify.js';
import { ModelSealError } from '../../errors.js';
import type { HasherFactory } from '../../hash/types.js';
import type { HubClient, TreeFile } from '../../hubs/adapter.js';
import type { RepoKind } from '../../hubs/adapter.js';

/**
 * What one verification may download (signature files and file contents to hash; the revision and
 * tree API calls are bounded by the client's tree cap). Beyond it files stay `unchecked` and the
 * repo is not green. The defaults keep a 10,000-file repo (300 small config files) far inside.
 */
export interface WorkBudget {
  /** Bytes downloaded per verification. */
  maxBytes: number;
  /** Downloads per verification (each distinct object counts once). */
  maxRequests: number;
}
export const DEFAULT_WORK_BUDGET: Readonly<WorkBudget> = { maxBytes: 128 * 1024 * 1024, maxRequests: 500 };

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round(n / (1024 * 1024))} MiB` : n >= 1024 ? `${Math.round(n / 1024)} KiB` : `${n} bytes`;
}

/** Counts downloads and their listed sizes against the budget; refuses the one that would cross it. */
export class BudgetMeter {
  private bytes = 0;
  private requests = 0;
  exceeded = false;
  constructor(readonly limits: WorkBudget) {}

  get limit(): string {
    return `${this.limits.maxRequests} downloads, ${formatBytes(this.limits.maxBytes)}`;
  }

  take(size: number): void {
    if (this.requests + 1 > this.limits.maxRequests || this.bytes + size > this.limits.maxBytes) {
      this.exceeded = true;
      throw new ModelSealError('WORK_BUDGET_EXCEEDED', `not fetched: the per-check download budget (${this.limit}) is used up`);
    }
    this.requests++;
    this.bytes += size;
  }
}

/** Fetches each distinct object once per verification and hashes each (object, algorithm, range) once. */
export interface ContentFetcher {
  bytes(f: TreeFile): Promise<Uint8Array>;
  digest(f: TreeFile, key: string, compute: () => Promise<string>): Promise<string>;
}

/** One revision being checked, at its resolved commit. */
export interface RevisionContext {
  client: HubClient;
  kind: RepoKind;
  /** Repo id after renames. */
  repo: string;
  commit: string;
  tree: readonly TreeFile[];
  byPath: ReadonlyMap<string, TreeFile>;
  budget: BudgetMeter;
  content: ContentFetcher;
  /** Files larger than this are not fetched to hash: `unchecked`. */
  maxHashBytes: number;
  hashers?: HasherFactory;
  /** WebCrypto, for Sigstore signature checks at native speed. */
  subtle?: SubtleVerify;
  concurrency: number;
}

/** Same content, same key: the LFS SHA-256, else the git blob id (a hash of the bytes), else the path. */
function contentKey(f: TreeFile): string {
  return f.lfs ? `lfs:${f.lfs.sha256}` : f.oid ? `git:${f.oid}` : `path:${f.path}`;
}

export function createContentFetcher(client: HubClient, kind: RepoKind, repo: string, commit: string, budget: BudgetMeter, maxHashBytes: number): ContentFetcher {
  const fetched = new Map<string, Promise<Uint8Array>>();
  const digests = new Map<string, Promise<string>>();
  return {
    bytes(f) {
      const key = contentKey(f);
      let p = fetched.get(key);
      if (!p) {
        budget.take(f.size);
        p = client.fetchFile(kind, repo, commit, f.path, maxHashBytes);
        fetched.set(key, p);
      }
      return p;
    },
    digest(f, what, compute) {
      const key = `${contentKey(f)}|${what}`;
      let p = digests.get(key);
      if (!p) {
        p = compute();
        digests.set(key, p);
      }
      return p;
    },
  };
}
