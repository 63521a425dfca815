/**
 * The shard digests a verified download checks a file against, and how streamed bytes are cut at
 * shard ends. A download hashes each signed byte range on its own (a fresh hasher per shard), so the
 * ranges must tile the file exactly: sorted, contiguous from byte 0, none empty. The last end is the
 * file's size, which is then also the download's hard byte limit.
 */
import { ModelSealError } from '../errors.js';
import { MAX_SHARDS_PER_FILE } from './shards.js';

/** One signed shard: bytes [start, end) hash to `digest` (lowercase hex). */
export interface ShardDigest {
  start: number;
  end: number;
  digest: string;
}

/** The first shard whose bytes did not hash to its signed digest (lowercase hex both). */
export interface ShardMismatch {
  start: number;
  end: number;
  expected: string;
  actual: string;
}

/**
 * The shards sorted by start, checked to tile [0, size) with no gap, overlap or empty range. Throws
 * `DOWNLOAD_NOT_SIGNED` otherwise: a plan with a hole would let unhashed bytes through.
 */
export function contiguousShards(shards: readonly ShardDigest[]): ShardDigest[] {
  if (shards.length === 0) throw new ModelSealError('DOWNLOAD_NOT_SIGNED', 'the signature lists no shards for this file');
  if (shards.length > MAX_SHARDS_PER_FILE) throw new ModelSealError('DOWNLOAD_NOT_SIGNED', 'the signature lists too many shards for this file');
  const sorted = [...shards].sort((a, b) => a.start - b.start);
  let at = 0;
  for (const s of sorted) {
    if (!Number.isSafeInteger(s.start) || !Number.isSafeInteger(s.end) || s.end <= s.start) throw new ModelSealError('DOWNLOAD_NOT_SIGNED', `the signed shard ${s.start}-${s.end} is not a byte range`);
    if (s.start !== at) throw new ModelSealError('DOWNLOAD_NOT_SIGNED', at === 0 ? `the signed shards do not start at byte 0 (first: ${s.start})` : `the signed shards are not contiguous at byte ${at} (next starts at ${s.start})`);
    if (!/^[0-9a-f]+$/i.test(s.digest)) throw new ModelSealError('DOWNLOAD_NOT_SIGNED', `the signed shard ${s.start}-${s.end} has no hex digest`);
    at = s.end;
  }
  return sorted.map((s) => ({ start: s.start, end: s.end, digest: s.digest.toLowerCase() }));
}

/** Index of the shard holding byte `offset` (binary search); `shards.length` at or past the end. */
export function shardIndexAt(shards: readonly ShardDigest[], offset: number): number {
  let lo = 0;
  let hi = shards.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((shards[mid] as ShardDigest).end <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A piece of a chunk that falls inside one shard; `ends`: its last byte is the shard's last byte. */
export interface ShardPiece {
  /** Offsets within the chunk, end exclusive. */
  from: number;
  to: number;
  index: number;
  ends: boolean;
}

/**
 * Cuts `length` bytes that start at file offset `at` into pieces, one per shard they touch, so each
 * piece goes to its own shard's hasher. Bytes past the last shard are not covered: the caller
 * refuses them before (the last end is the hard limit), and this throws rather than drop them.
 */
export function splitAtShards(shards: readonly ShardDigest[], at: number, length: number): ShardPiece[] {
  const pieces: ShardPiece[] = [];
  let from = 0;
  let index = shardIndexAt(shards, at);
  while (from < length) {
    const s = shards[index];
    if (!s) throw new ModelSealError('RESPONSE_TOO_LARGE', `bytes past the last signed shard (offset ${at + from})`);
    const to = Math.min(length, s.end - at);
    pieces.push({ from, to, index, ends: at + to === s.end });
    from = to;
    index++;
  }
  return pieces;
}
