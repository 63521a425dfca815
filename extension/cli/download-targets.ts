/**
 * What to download and what each file must hash to: the verified manifests of a revision's
 * signatures, named by repo path (a folder signature's resources are relative to its folder, a
 * per-file signature's single resource is its file). Only files a verified signature lists become
 * targets; everything else in the tree is reported, never fetched.
 */
import { ModelSealError } from '../core/errors.js';
import type { SignedManifest } from '../core/oms/manifest.js';
import type { SignatureScope } from '../core/hub/signature-locator.js';
import type { HashAlgorithm } from '../core/hash/types.js';

export interface ShardDigest {
  start: number;
  end: number;
  digest: string;
}

/** One signature's claim about one file: its whole-file digest, or its shards' digests. */
export interface Expectation {
  algorithm: HashAlgorithm;
  digest?: string;
  shards?: ShardDigest[];
  /** Root digest of the manifest this comes from (for messages). */
  manifestRoot: string;
}

export interface FileTarget {
  /** Repo path. */
  path: string;
  /** Size the hub lists; the downloader never reads more. */
  size: number;
  expectations: Expectation[];
}

/** Repo path of a resource of a manifest with this scope. */
function repoPath(scope: SignatureScope, resourcePath: string): string {
  if (scope.kind === 'file') return scope.file;
  if (resourcePath === '.') throw new ModelSealError('RESOURCE_PATH_INVALID', 'a single-file manifest used as a folder signature');
  return scope.kind === 'folder' ? `${scope.folder}/${resourcePath}` : resourcePath;
}

/** Targets for every listed file the manifests name, keyed by repo path. */
export function downloadTargets(
  signed: ReadonlyArray<{ scope: SignatureScope; manifest: SignedManifest }>,
  sizes: ReadonlyMap<string, number>,
): Map<string, FileTarget> {
  const out = new Map<string, FileTarget>();
  for (const { scope, manifest } of signed) {
    const algorithm = manifest.serialization.hashType;
    const perPath = new Map<string, Expectation>();
    for (const r of manifest.resources) {
      const path = repoPath(scope, r.path);
      let e = perPath.get(path);
      if (!e) perPath.set(path, (e = { algorithm, manifestRoot: manifest.rootDigest }));
      if (r.range) (e.shards ??= []).push({ start: r.range.start, end: r.range.end, digest: r.digest });
      else e.digest = r.digest;
    }
    for (const [path, e] of perPath) {
      const size = sizes.get(path);
      // Signed but not on the hub: the pre-download verdict already calls it missing.
      if (size === undefined) continue;
      e.shards?.sort((a, b) => a.start - b.start);
      let t = out.get(path);
      if (!t) out.set(path, (t = { path, size, expectations: [] }));
      t.expectations.push(e);
    }
  }
  return out;
}
