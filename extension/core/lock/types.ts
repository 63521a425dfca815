/**
 * A lock: one hub revision's signed content, written down so that later checks accept that exact
 * content and nothing else. The digests are the capability: a lock authorizes the bytes the signed
 * manifest names, not a signer or a branch.
 *
 * The document (version 1), as `modelseal lock` writes it and the extension exports it:
 *
 *   { "format": "modelseal-lock", "version": 1,
 *     "hub": "https://huggingface.co", "kind": "model", "repo": "owner/name", "commit": "<40 hex>",
 *     "signer": { "kind": "sigstore", "identity": …, "issuer": … },
 *     "manifest": { "rootDigest": "<64 hex>", "predicateType": …, "method": "files", "hashType": "sha256",
 *                   "allowSymlinks": false, "ignorePaths": [] },
 *     "files": [ { "path": "config.json", "algorithm": "sha256", "digest": "<hex>", "size": 1234 }, … ] }
 *
 * `files` lists the manifest's resources in signed order (one entry per shard for `shards` manifests,
 * with `range`), so the root digest recomputes from them exactly as OMS computes it.
 */
import type { HashAlgorithm } from '../hash/types.js';
import type { RepoKind } from '../hubs/adapter.js';
import type { Signer } from '../verdict.js';

export const LOCK_FORMAT = 'modelseal-lock';
export const LOCK_VERSION = 1;

/** Bounds for a lock read from a file or the trust store (hostile input). */
export const LOCK_LIMITS = {
  /** A 100,000-resource lock with long paths stays well inside. */
  bytes: 32 * 1024 * 1024,
  /** As many resources as a manifest may list (oms/limits.ts MAX_RESOURCES). */
  files: 100_000,
  ignorePaths: 10_000,
  string: 4_096,
  depth: 8,
} as const;

/** One signed resource: a whole file, or one shard of it (`range`, end exclusive). */
export interface LockFileEntry {
  /** Manifest path ("." for a single-file model signed that way). */
  path: string;
  range?: { start: number; end: number };
  /** The algorithm name exactly as signed (e.g. `sha256`, `blake2b`, `sha256-sharded-1000000000`). */
  algorithm: string;
  /** Lowercase hex. */
  digest: string;
  /** Size in bytes where it was known (hub listing or disk) when locking; not signed, informational. */
  size?: number;
}

/** The signed manifest's header: everything besides the resources that changes what a check accepts. */
export interface LockManifest {
  /** Lowercase hex SHA-256 over the resources' raw digests in order (the in-toto subject digest). */
  rootDigest: string;
  predicateType: string;
  method: 'files' | 'shards';
  hashType: HashAlgorithm;
  /** Only for `shards`. */
  shardSize?: number;
  allowSymlinks: boolean;
  /** Signed ignore paths, normalized: a manifest that ignores more accepts more files on disk. */
  ignorePaths: string[];
}

/** What a lock says about content: the part a later signature must match exactly. */
export interface LockContent {
  manifest: LockManifest;
  files: LockFileEntry[];
}

export interface LockDocument extends LockContent {
  format: typeof LOCK_FORMAT;
  version: typeof LOCK_VERSION;
  /** Hub origin, e.g. https://huggingface.co */
  hub: string;
  kind: RepoKind;
  /** owner/name, as the hub named it when locking. */
  repo: string;
  /** The commit that was locked (40 hex). */
  commit: string;
  /** Who signed the locked content. Hostile text from a signature: render as text only. */
  signer: Signer;
}
