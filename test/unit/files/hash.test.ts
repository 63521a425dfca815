// Hashing: @noble/hashes defaults against published test vectors, the Node hasher the CLI injects
// agrees with them for every algorithm, streaming equals one-shot, and shard geometry.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { digestHex, digestStream } from '../../../extension/core/hash/digest.js';
import { nobleHasher } from '../../../extension/core/hash/noble.js';
import { shardRanges, shardName, MAX_SHARDS_PER_FILE } from '../../../extension/core/hash/shards.js';
import { hexToBytesStrict, isHexOfLength } from '../../../extension/core/hash/hex.js';
import { hashFile, nodeHasher } from '../../../extension/cli/node-hasher.js';
import { HASH_ALGORITHMS } from '../../../extension/core/hash/types.js';
import { subtleDigestSource } from '../../../extension/core/hash/subtle.js';

const abc = new TextEncoder().encode('abc');

describe('hash algorithms', () => {
  it('known answers for "abc"', () => {
    expect(digestHex('sha256', abc)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    // RFC 7693 Appendix A: BLAKE2b-512("abc").
    expect(digestHex('blake2b', abc)).toBe(
      'ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923',
    );
    // BLAKE3 reference implementation: b3sum of "abc".
    expect(digestHex('blake3', abc)).toBe('6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85');
  });

  it('the Node hasher agrees with noble for every algorithm, one-shot and chunked', async () => {
    const data = new Uint8Array(300_001).map((_, i) => (i * 7) & 0xff);
    for (const alg of HASH_ALGORITHMS) {
      const h = nodeHasher(alg);
      for (let i = 0; i < data.length; i += 65_536) h.update(data.subarray(i, i + 65_536));
      const node = Buffer.from(h.digest()).toString('hex');
      expect(node).toBe(digestHex(alg, data, nobleHasher));
      async function* chunks() {
        for (let i = 0; i < data.length; i += 1000) yield data.subarray(i, i + 1000);
      }
      expect(await digestStream(alg, chunks())).toBe(node);
    }
  });

  describe('hashFile (CLI)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'modelseal-hash-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const data = new Uint8Array(9 * 1024 * 1024 + 17).map((_, i) => (i * 31) & 0xff);
    const file = join(dir, 'blob');
    writeFileSync(file, data);

    it('whole file across several read chunks, every algorithm', async () => {
      for (const alg of HASH_ALGORITHMS) expect(await hashFile(file, alg)).toBe(digestHex(alg, data));
    });
    it('byte ranges, including one crossing a chunk boundary', async () => {
      const ranges = [{ start: 0, end: 1 }, { start: 4 * 1024 * 1024 - 5, end: 4 * 1024 * 1024 + 5 }, { start: 9 * 1024 * 1024, end: data.length }];
      for (const r of ranges) expect(await hashFile(file, 'sha256', r)).toBe(digestHex('sha256', data.subarray(r.start, r.end)));
    });
    it('a range past the end of the file is an IO_ERROR', async () => {
      await expect(hashFile(file, 'sha256', { start: data.length - 2, end: data.length + 10 })).rejects.toMatchObject({ code: 'IO_ERROR' });
    });
    it('an empty file hashes to the empty digest', async () => {
      writeFileSync(join(dir, 'empty'), '');
      expect(await hashFile(join(dir, 'empty'), 'sha256')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    });
  });
});

describe('shards', () => {
  it('cuts files like model_signing: last shard short, empty files have none', () => {
    expect(shardRanges(0, 8)).toEqual([]);
    expect(shardRanges(8, 8)).toEqual([{ start: 0, end: 8 }]);
    expect(shardRanges(17, 8).map((r) => shardName('w', r))).toEqual(['w:0:8', 'w:8:16', 'w:16:17']);
    expect(shardRanges(2_500_000_000, 1_000_000_000).map((r) => r.end)).toEqual([1_000_000_000, 2_000_000_000, 2_500_000_000]);
  });
  it('refuses absurd shard counts and bad sizes', () => {
    expect(() => shardRanges(MAX_SHARDS_PER_FILE + 1, 1)).toThrow();
    expect(() => shardRanges(10, 0)).toThrow();
    expect(() => shardRanges(-1, 8)).toThrow();
  });
});

describe('hex', () => {
  it('validates strictly', () => {
    expect(isHexOfLength('ab'.repeat(32), 32)).toBe(true);
    expect(isHexOfLength('ab'.repeat(31), 32)).toBe(false);
    expect(isHexOfLength('zz'.repeat(32), 32)).toBe(false);
    expect(() => hexToBytesStrict('abc')).toThrow();
    expect(() => hexToBytesStrict('0g')).toThrow();
    expect(hexToBytesStrict('00ff')).toEqual(new Uint8Array([0, 255]));
  });
});

describe('subtleDigestSource (WebCrypto for sha256 in the browser)', () => {
  it('matches the noble digests for whole files, ranges and the other algorithms', async () => {
    const data = new Uint8Array(100_000).map((_, i) => (i * 13) & 0xff);
    let digestCalls = 0;
    const subtle = { digest: (alg: AlgorithmIdentifier, d: BufferSource) => (digestCalls++, globalThis.crypto.subtle.digest(alg, d)) };
    const source = subtleDigestSource(subtle, async () => data);
    expect(await source('sha256')).toBe(digestHex('sha256', data));
    expect(await source('sha256', { start: 10, end: 5000 })).toBe(digestHex('sha256', data.subarray(10, 5000)));
    expect(digestCalls).toBe(2);
    expect(await source('blake3')).toBe(digestHex('blake3', data));
    await expect(source('sha256', { start: 99_000, end: 100_010 })).rejects.toThrow();
  });
});
