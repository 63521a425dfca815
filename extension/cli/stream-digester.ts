/**
 * Hashes a file as its bytes stream past, in order, against every expectation the signatures hold
 * for it: whole-file digests and shard digests (a shard's hash is finished as the stream crosses its
 * end). Shards must tile [0, size) exactly, or the file is a mismatch whatever its bytes.
 */
import type { HasherFactory, IncrementalHasher } from '../core/hash/types.js';
import type { Expectation, ShardDigest } from './download-targets.js';

export interface DigestResult {
  ok: boolean;
  algorithm: string;
  expected: string;
  actual: string;
  /** For a shard mismatch: which bytes. */
  range?: { start: number; end: number };
}

interface Track {
  e: Expectation;
  whole?: IncrementalHasher;
  shards?: { list: ShardDigest[]; index: number; hasher?: IncrementalHasher; done: Array<{ shard: ShardDigest; actual: string }>; tiles: boolean };
}

function hex(d: Uint8Array): string {
  return Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString('hex');
}

function tilesExactly(shards: readonly ShardDigest[], size: number): boolean {
  let at = 0;
  for (const s of shards) {
    if (s.start !== at || s.end <= s.start) return false;
    at = s.end;
  }
  return at === size;
}

export class StreamDigester {
  private offset = 0;
  private readonly tracks: Track[];

  constructor(
    expectations: readonly Expectation[],
    private readonly size: number,
    private readonly hashers: HasherFactory,
  ) {
    this.tracks = expectations.map((e) => {
      if (e.shards) {
        const list = e.shards;
        return { e, shards: { list, index: 0, done: [], tiles: tilesExactly(list, size) } };
      }
      return { e, whole: hashers(e.algorithm) };
    });
  }

  get position(): number {
    return this.offset;
  }

  update(chunk: Uint8Array): void {
    const start = this.offset;
    const end = start + chunk.byteLength;
    for (const t of this.tracks) {
      if (t.whole) t.whole.update(chunk);
      else if (t.shards?.tiles) this.feedShards(t, chunk, start, end);
    }
    this.offset = end;
  }

  private feedShards(t: Track, chunk: Uint8Array, start: number, end: number): void {
    const s = t.shards as NonNullable<Track['shards']>;
    let at = start;
    while (at < end && s.index < s.list.length) {
      const shard = s.list[s.index] as ShardDigest;
      s.hasher ??= this.hashers(t.e.algorithm);
      const upto = Math.min(end, shard.end);
      s.hasher.update(chunk.subarray(at - start, upto - start));
      at = upto;
      if (at === shard.end) {
        s.done.push({ shard, actual: hex(s.hasher.digest()) });
        s.hasher = undefined;
        s.index++;
      }
    }
  }

  /** Call once, after exactly `size` bytes. One result per expectation (the first bad shard for shards). */
  results(): DigestResult[] {
    return this.tracks.map((t) => {
      if (t.whole) {
        const actual = hex(t.whole.digest());
        const expected = t.e.digest ?? '';
        return { ok: this.offset === this.size && actual === expected, algorithm: t.e.algorithm, expected, actual };
      }
      const s = t.shards as NonNullable<Track['shards']>;
      if (!s.tiles) {
        return { ok: false, algorithm: t.e.algorithm, expected: `shards covering ${this.size} bytes`, actual: 'signed shards do not cover the listed size' };
      }
      const bad = s.done.find((d) => d.actual !== d.shard.digest);
      if (bad) return { ok: false, algorithm: t.e.algorithm, expected: bad.shard.digest, actual: bad.actual, range: { start: bad.shard.start, end: bad.shard.end } };
      const complete = s.done.length === s.list.length;
      return { ok: complete, algorithm: t.e.algorithm, expected: `${s.list.length} shards`, actual: `${s.done.length} shards match` };
    });
  }
}
