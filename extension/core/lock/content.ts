/** A verified manifest as lock content, and the root digest recomputed from a lock's own entries. */
import { computeRootDigest } from '../oms/statement.js';
import type { SignedManifest } from '../oms/manifest.js';
import type { LockContent, LockFileEntry } from './types.js';

/**
 * The lock content of a signed manifest (the caller passes only one that verified). `sizeOf` names
 * a file's size where the host knows it (hub listing, disk); shard entries carry their range instead.
 */
export function lockContentOf(manifest: SignedManifest, sizeOf?: (path: string) => number | undefined): LockContent {
  const s = manifest.serialization;
  const files = manifest.resources.map((r): LockFileEntry => {
    const e: LockFileEntry = { path: r.path, algorithm: r.algorithm, digest: r.digest };
    if (r.range) e.range = { start: r.range.start, end: r.range.end };
    else {
      const size = sizeOf?.(r.path);
      if (size !== undefined && Number.isSafeInteger(size) && size >= 0) e.size = size;
    }
    return e;
  });
  return {
    manifest: {
      rootDigest: manifest.rootDigest,
      predicateType: manifest.predicateType,
      method: s.method,
      hashType: s.hashType,
      ...(s.method === 'shards' && s.shardSize !== undefined ? { shardSize: s.shardSize } : {}),
      allowSymlinks: s.allowSymlinks,
      ignorePaths: [...s.ignorePaths],
    },
    files,
  };
}

/** The root digest a lock's entries give, computed as OMS computes a manifest's (spec §6.5.1). */
export function recomputeLockRoot(content: LockContent): string {
  return computeRootDigest(content.files.map((f) => f.digest));
}
