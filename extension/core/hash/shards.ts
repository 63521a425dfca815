/**
 * Shard geometry for `method: shards`: a file of N bytes is cut into [start, end) ranges of
 * `shardSize` bytes, the last one short; zero-byte files have no shards (model_signing omits them).
 */

export interface ByteRange {
  start: number;
  end: number;
}

/** Upper bound on shards computed for one file, so a tiny hostile shard_size cannot exhaust memory. */
export const MAX_SHARDS_PER_FILE = 1_000_000;

export function shardRanges(fileSize: number, shardSize: number): ByteRange[] {
  if (!Number.isSafeInteger(fileSize) || fileSize < 0) throw new RangeError('bad file size');
  if (!Number.isSafeInteger(shardSize) || shardSize <= 0) throw new RangeError('bad shard size');
  if (Math.ceil(fileSize / shardSize) > MAX_SHARDS_PER_FILE) throw new RangeError('too many shards');
  const out: ByteRange[] = [];
  for (let start = 0; start < fileSize; start += shardSize) out.push({ start, end: Math.min(start + shardSize, fileSize) });
  return out;
}

/** The manifest name of one shard: `path:start:end` (end exclusive). */
export function shardName(path: string, range: ByteRange): string {
  return `${path}:${range.start}:${range.end}`;
}
