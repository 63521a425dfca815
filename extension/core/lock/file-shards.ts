/**
 * A file's signed shard digests, read from one verified signature's content (lockContentOf): what a
 * verified download of a file signed by the `shards` method checks each byte range against.
 */
import { contiguousShards, type ShardDigest } from '../hash/shard-plan.js';
import { ModelSealError } from '../errors.js';
import type { LockContent } from './types.js';

/** More shards than this for one file are not downloaded verified (the plan travels in session storage). */
export const MAX_DOWNLOAD_SHARDS = 16_384;

/**
 * The shards `content` signs for `manifestPath`, sorted and checked to tile the file from byte 0;
 * undefined when this content does not sign the file by shards. Throws `DOWNLOAD_NOT_SIGNED` when it
 * does but the ranges leave a gap, overlap, or are too many.
 */
export function signedShardsOf(content: LockContent, manifestPath: string): ShardDigest[] | undefined {
  if (content.manifest.method !== 'shards') return undefined;
  const mine: ShardDigest[] = [];
  for (const f of content.files) {
    if (f.path !== manifestPath || !f.range) continue;
    if (mine.length >= MAX_DOWNLOAD_SHARDS) throw new ModelSealError('DOWNLOAD_NOT_SIGNED', `this file is signed in more than ${MAX_DOWNLOAD_SHARDS} shards: too many to download verified here`);
    mine.push({ start: f.range.start, end: f.range.end, digest: f.digest });
  }
  return mine.length === 0 ? undefined : contiguousShards(mine);
}
