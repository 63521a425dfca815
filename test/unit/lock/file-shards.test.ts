import { describe, expect, it } from 'vitest';
import { MAX_DOWNLOAD_SHARDS, signedShardsOf } from '../../../extension/core/lock/file-shards.js';
import type { LockContent, LockFileEntry } from '../../../extension/core/lock/types.js';
import { ModelSealError } from '../../../extension/core/errors.js';

const hex = (n: number) => n.toString(16).padStart(64, '0');
const content = (method: 'files' | 'shards', files: LockFileEntry[]): LockContent => ({
  manifest: { rootDigest: hex(0), predicateType: 'https://model_signing/signature/v1.0', method, hashType: 'sha256', ...(method === 'shards' ? { shardSize: 100 } : {}), allowSymlinks: false, ignorePaths: [] },
  files,
});
const shard = (path: string, start: number, end: number, n: number): LockFileEntry => ({ path, range: { start, end }, algorithm: 'sha256', digest: hex(n) });

describe('signedShardsOf', () => {
  it("returns one file's shards, sorted, out of the manifest's signed order", () => {
    const c = content('shards', [shard('b.bin', 100, 150, 4), shard('a.bin', 0, 100, 1), shard('b.bin', 0, 100, 3), shard('a.bin', 100, 120, 2)]);
    expect(signedShardsOf(c, 'b.bin')).toEqual([
      { start: 0, end: 100, digest: hex(3) },
      { start: 100, end: 150, digest: hex(4) },
    ]);
  });

  it('is undefined for a files manifest or a file it does not list', () => {
    expect(signedShardsOf(content('files', [{ path: 'a.bin', algorithm: 'sha256', digest: hex(1) }]), 'a.bin')).toBeUndefined();
    expect(signedShardsOf(content('shards', [shard('a.bin', 0, 100, 1)]), 'other.bin')).toBeUndefined();
  });

  it('refuses shards that leave a gap (bytes no digest covers)', () => {
    const c = content('shards', [shard('a.bin', 0, 100, 1), shard('a.bin', 200, 250, 2)]);
    expect(() => signedShardsOf(c, 'a.bin')).toThrow(ModelSealError);
  });

  it('refuses more shards than a download carries', () => {
    const files = Array.from({ length: MAX_DOWNLOAD_SHARDS + 1 }, (_, i) => shard('a.bin', i, i + 1, i));
    expect(() => signedShardsOf(content('shards', files), 'a.bin')).toThrow(/too many/);
  });
});
