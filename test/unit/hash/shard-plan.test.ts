import { describe, expect, it } from 'vitest';
import { contiguousShards, shardIndexAt, splitAtShards, type ShardDigest } from '../../../extension/core/hash/shard-plan.js';
import { shardRanges } from '../../../extension/core/hash/shards.js';
import { ModelSealError } from '../../../extension/core/errors.js';

const d = (n: number) => n.toString(16).padStart(64, '0');
const plan = (size: number, shard: number): ShardDigest[] => shardRanges(size, shard).map((r, i) => ({ ...r, digest: d(i + 1) }));

function code(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof ModelSealError ? e.code : 'other';
  }
  return undefined;
}

describe('contiguousShards', () => {
  it('sorts the signed order by start and lowercases digests', () => {
    const shards = plan(250, 100);
    const got = contiguousShards([shards[2]!, { ...shards[0]!, digest: shards[0]!.digest.toUpperCase() }, shards[1]!]);
    expect(got).toEqual(shards);
  });

  it('refuses a plan that does not start at byte 0', () => {
    expect(code(() => contiguousShards(plan(250, 100).slice(1)))).toBe('DOWNLOAD_NOT_SIGNED');
  });

  it('refuses a gap, an overlap, an empty range and a duplicate', () => {
    const [a, b, c] = plan(250, 100) as [ShardDigest, ShardDigest, ShardDigest];
    expect(code(() => contiguousShards([a, c]))).toBe('DOWNLOAD_NOT_SIGNED');
    expect(code(() => contiguousShards([a, { ...b, start: 99 }, c]))).toBe('DOWNLOAD_NOT_SIGNED');
    expect(code(() => contiguousShards([a, { ...b, end: 100 }, { ...c, start: 100 }]))).toBe('DOWNLOAD_NOT_SIGNED');
    expect(code(() => contiguousShards([a, b, b, c]))).toBe('DOWNLOAD_NOT_SIGNED');
  });

  it('refuses no shards, non-integer offsets and non-hex digests', () => {
    expect(code(() => contiguousShards([]))).toBe('DOWNLOAD_NOT_SIGNED');
    expect(code(() => contiguousShards([{ start: 0, end: 1.5, digest: d(1) }]))).toBe('DOWNLOAD_NOT_SIGNED');
    expect(code(() => contiguousShards([{ start: 0, end: 10, digest: 'zz' }]))).toBe('DOWNLOAD_NOT_SIGNED');
  });
});

describe('shardIndexAt', () => {
  it('names the shard holding an offset, and the count at the end', () => {
    const shards = plan(250, 100);
    expect([0, 99, 100, 199, 200, 249, 250].map((o) => shardIndexAt(shards, o))).toEqual([0, 0, 1, 1, 2, 2, 3]);
  });
});

describe('splitAtShards', () => {
  const shards = plan(250, 100);

  it('keeps a chunk inside one shard whole', () => {
    expect(splitAtShards(shards, 10, 50)).toEqual([{ from: 0, to: 50, index: 0, ends: false }]);
  });

  it('cuts a chunk at each shard end it crosses, marking the shards it completes', () => {
    expect(splitAtShards(shards, 90, 160)).toEqual([
      { from: 0, to: 10, index: 0, ends: true },
      { from: 10, to: 110, index: 1, ends: true },
      { from: 110, to: 160, index: 2, ends: true },
    ]);
  });

  it('a chunk ending exactly on a boundary completes that shard and starts no other', () => {
    expect(splitAtShards(shards, 100, 100)).toEqual([{ from: 0, to: 100, index: 1, ends: true }]);
  });

  it('every byte lands in exactly one piece, in order, for any cut of the stream', () => {
    for (const step of [1, 7, 64, 99, 100, 101, 250]) {
      const seen: number[] = [];
      for (let at = 0; at < 250; at += step) {
        for (const p of splitAtShards(shards, at, Math.min(step, 250 - at))) {
          for (let i = p.from; i < p.to; i++) {
            const off = at + i;
            expect(off).toBeGreaterThanOrEqual(shards[p.index]!.start);
            expect(off).toBeLessThan(shards[p.index]!.end);
            seen.push(off);
          }
        }
      }
      expect(seen).toEqual([...Array(250).keys()]);
    }
  });

  it('refuses bytes past the last shard instead of leaving them unhashed', () => {
    expect(code(() => splitAtShards(shards, 240, 20))).toBe('RESPONSE_TOO_LARGE');
  });
});
