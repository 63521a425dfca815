// Files vs manifest: every status, ignore rules, shards, single files, symlinks, hashing through
// injected sources, and the 10,000 × 10,000 speed target.
import { describe, expect, it } from 'vitest';
import { checkFiles } from '../../../extension/core/files/check.js';
import { filesOutcome } from '../../../extension/core/files/summary.js';
import { computeRootDigest, parseStatementBytes } from '../../../extension/core/oms/statement.js';
import type { SignedManifest } from '../../../extension/core/oms/manifest.js';
import type { ListedFile } from '../../../extension/core/files/listing.js';
import type { HashAlgorithm } from '../../../extension/core/hash/types.js';
import { buildSingleFileStatement, buildStatement, hashBytes, hex, utf8, type FileMap, type SerializeOptions } from '../../factory/index.js';
import { ModelSealError } from '../../../extension/core/errors.js';

const manifestOf = (files: FileMap, opts: SerializeOptions = {}) => parseStatementBytes(buildStatement(files, opts).payload);

/** Listing with in-memory content (hashed by the core's hashers). */
function contentListing(files: Record<string, string>, extra: Partial<ListedFile> = {}): ListedFile[] {
  return Object.entries(files).map(([path, text]) => {
    const bytes = utf8(text);
    return { path, size: bytes.length, content: async () => bytes, ...extra };
  });
}

const statusOf = (results: { path: string; status: string }[]) => Object.fromEntries(results.map((r) => [r.path, r.status]));

describe('checkFiles', () => {
  const model = { 'config.json': '{"a":1}', 'model.safetensors': 'weights', 'tok/vocab.txt': 'a b c' };

  it('all signed files present and equal: verified, in manifest order', async () => {
    const m = manifestOf(model);
    const r = await checkFiles(m, contentListing(model));
    expect(r.map((x) => [x.path, x.status])).toEqual([['config.json', 'verified'], ['model.safetensors', 'verified'], ['tok/vocab.txt', 'verified']]);
    expect(r[0]!.expected).toBe(r[0]!.actual);
    expect(filesOutcome(r)).toEqual({ kind: 'match' });
  });

  it('changed, missing and extra files', async () => {
    const m = manifestOf(model);
    const present = { 'config.json': '{"a":2}', 'model.safetensors': 'weights', 'extra.bin': 'new' };
    const r = await checkFiles(m, contentListing(present));
    expect(statusOf(r)).toEqual({ 'config.json': 'mismatch', 'model.safetensors': 'verified', 'tok/vocab.txt': 'missing', 'extra.bin': 'unsigned' });
    const out = filesOutcome(r);
    expect(out.kind === 'changed' && out.failure).toEqual({
      code: 'FILES_MISMATCH',
      reason: 'files differ from the signed manifest: 1 changed, 1 missing, 1 not signed',
      params: { count: 3, files: 'config.json, tok/vocab.txt, extra.bin' },
    });
  });

  it('default ignores at the root only, signed ignore paths, caller ignore paths, the signature file', async () => {
    const m = manifestOf({ a: '1' }, { ignorePaths: ['cache'] });
    const present = {
      a: '1',
      '.git/HEAD': 'ref',
      '.gitattributes': '*',
      '.github/workflows/x.yml': 'y',
      '.gitignore': 'z',
      'sub/.git/HEAD': 'nested git is not default-ignored',
      'cache/blob': 'c',
      cachefile: 'not under cache/',
      'notes/todo.txt': 'n',
      'model.sig': '{}',
    };
    const r = await checkFiles(m, contentListing(present), { ignorePaths: ['notes'] });
    expect(statusOf(r)).toEqual({
      a: 'verified',
      '.git/HEAD': 'ignored',
      '.gitattributes': 'ignored',
      '.github/workflows/x.yml': 'ignored',
      '.gitignore': 'ignored',
      'sub/.git/HEAD': 'unsigned',
      'cache/blob': 'ignored',
      cachefile: 'unsigned',
      'notes/todo.txt': 'ignored',
      'model.sig': 'ignored',
    });
  });

  it('git metadata the signer chose to sign is checked, not ignored (0.2-era manifests list .gitattributes)', async () => {
    // model_signing 1.x (and the factory) never sign git paths; add one as a 0.2 manifest would have it.
    const st = manifestOf({ a: '1' }, { recordIgnorePaths: false });
    const withGit = { ...st, resources: [{ name: '.gitattributes', path: '.gitattributes', algorithm: 'sha256', digest: hex(hashBytes('sha256', utf8('*.bin lfs'))) }, ...st.resources] };
    expect(statusOf(await checkFiles(withGit, contentListing({ '.gitattributes': '*.bin lfs', a: '1', '.gitignore': 'x' })))).toEqual({ '.gitattributes': 'verified', a: 'verified', '.gitignore': 'ignored' });
    expect(statusOf(await checkFiles(withGit, contentListing({ '.gitattributes': 'changed', a: '1' })))).toMatchObject({ '.gitattributes': 'mismatch' });
  });

  it('a custom signature path replaces model.sig; null ignores no signature file', async () => {
    const m = manifestOf({ a: '1' }, { recordIgnorePaths: false });
    const present = { a: '1', 'model.sig': 's', 'sigs/x.sig': 's' };
    expect(statusOf(await checkFiles(m, contentListing(present), { signaturePath: 'sigs/x.sig' }))).toMatchObject({ 'model.sig': 'unsigned', 'sigs/x.sig': 'ignored' });
    expect(statusOf(await checkFiles(m, contentListing(present), { signaturePath: null }))).toMatchObject({ 'model.sig': 'unsigned', 'sigs/x.sig': 'unsigned' });
  });

  it('ignoring a signed file makes it missing (as model_signing does)', async () => {
    const m = manifestOf({ a: '1', b: '2' }, { recordIgnorePaths: false });
    const r = await checkFiles(m, contentListing({ a: '1', b: '2' }), { ignorePaths: ['b'] });
    expect(r.find((x) => x.path === 'b')).toMatchObject({ status: 'missing', reason: 'signed, but excluded by an ignore path' });
  });

  it('hostile caller ignore paths are rejected', async () => {
    const m = manifestOf({ a: '1' });
    await expect(checkFiles(m, contentListing({ a: '1' }), { ignorePaths: ['../x'] })).rejects.toThrow(ModelSealError);
    await expect(checkFiles(m, contentListing({ a: '1' }), { ignorePaths: ['.'] })).rejects.toThrow(ModelSealError);
  });

  it.each(['sha256', 'blake2b', 'blake3'] as HashAlgorithm[])('hashes content with %s', async (hashType) => {
    const m = manifestOf(model, { hashType });
    expect(filesOutcome(await checkFiles(m, contentListing(model)))).toEqual({ kind: 'match' });
    const changed = { ...model, 'config.json': '{"a":3}' };
    expect(statusOf(await checkFiles(m, contentListing(changed)))['config.json']).toBe('mismatch');
  });

  it('uses known digests when given (no content read) and falls back to hashing for other algorithms', async () => {
    const m = manifestOf({ w: 'weights' });
    const sha = hex(hashBytes('sha256', utf8('weights')));
    let reads = 0;
    const known: ListedFile[] = [{ path: 'w', digests: { sha256: sha.toUpperCase() }, content: async () => (reads++, utf8('weights')) }];
    expect(statusOf(await checkFiles(m, known))).toEqual({ w: 'verified' });
    expect(reads).toBe(0);
    const b3 = manifestOf({ w: 'weights' }, { hashType: 'blake3' });
    expect(statusOf(await checkFiles(b3, known))).toEqual({ w: 'verified' });
    expect(reads).toBe(1);
    const wrong: ListedFile[] = [{ path: 'w', digests: { sha256: 'ab'.repeat(32) } }];
    expect(statusOf(await checkFiles(m, wrong))).toEqual({ w: 'mismatch' });
  });

  it('no digest and no content: unchecked with a reason and code', async () => {
    const m = manifestOf({ w: 'weights', c: 'x' });
    const r = await checkFiles(m, [{ path: 'w', unhashableReason: 'too large to hash here' }, { path: 'c', digests: { sha256: hex(hashBytes('sha256', utf8('x'))) } }]);
    expect(r.find((x) => x.path === 'w')).toMatchObject({ status: 'unchecked', reason: 'too large to hash here' });
    const out = filesOutcome(r);
    expect(out.kind).toBe('unchecked');
    expect(out.kind !== 'match' && out.failure.code).toBe('TOO_LARGE_TO_HASH');
  });

  it('a failing digest source makes the file unchecked (IO_ERROR), never verified', async () => {
    const m = manifestOf({ w: 'weights' });
    const r = await checkFiles(m, [{ path: 'w', size: 7, hash: async () => Promise.reject(new Error('EIO')) }]);
    expect(r[0]).toMatchObject({ status: 'unchecked' });
    expect(filesOutcome(r)).toMatchObject({ kind: 'unchecked', failure: { code: 'IO_ERROR' } });
  });

  it('changed files outrank unchecked ones', async () => {
    const m = manifestOf({ a: '1', b: '2' });
    const r = await checkFiles(m, [{ path: 'a', unhashableReason: 'no' }, ...contentListing({ b: 'changed' })]);
    expect(filesOutcome(r).kind).toBe('changed');
  });

  describe('shards', () => {
    const big = 'x'.repeat(20) + 'y'.repeat(13);
    const files = { big, small: 'abc', empty: '' };

    it('verifies shard by shard through range hashing', async () => {
      const m = manifestOf(files, { method: 'shards', shardSize: 8 });
      const ranges: string[] = [];
      const listing: ListedFile[] = Object.entries(files).map(([path, text]) => ({
        path,
        size: utf8(text).length,
        hash: async (alg, range) => {
          ranges.push(`${path}:${range?.start}:${range?.end}`);
          const b = utf8(text);
          return hex(hashBytes(alg, range ? b.subarray(range.start, range.end) : b));
        },
      }));
      const r = await checkFiles(m, listing);
      expect(statusOf(r)).toEqual({ big: 'verified', small: 'verified', empty: 'ignored' });
      expect(ranges.sort()).toEqual(['big:0:8', 'big:16:24', 'big:24:32', 'big:32:33', 'big:8:16', 'small:0:3']);
    });

    it('one changed shard, a different size, a missing file', async () => {
      const m = manifestOf(files, { method: 'shards', shardSize: 8 });
      const changed = { big: 'x'.repeat(20) + 'z' + 'y'.repeat(12), small: 'abcd' };
      const r = await checkFiles(m, contentListing(changed));
      expect(r.find((x) => x.path === 'big')).toMatchObject({ status: 'mismatch', reason: 'shard 16:24 differs' });
      expect(r.find((x) => x.path === 'small')).toMatchObject({ status: 'mismatch', reason: 'file size 4 does not match the signed shards' });
    });

    it('an empty file next to a shards manifest is not extra; a size is required', async () => {
      const m = manifestOf({ a: 'abc' }, { method: 'shards', shardSize: 8 });
      expect(statusOf(await checkFiles(m, contentListing({ a: 'abc', e: '' })))).toEqual({ a: 'verified', e: 'ignored' });
      const r = await checkFiles(m, [{ path: 'a', content: async () => utf8('abc') }]);
      expect(r[0]).toMatchObject({ status: 'unchecked', reason: 'file size unknown, needed for shard digests' });
    });

    it('content is read once per file for all of its shards', async () => {
      const m = manifestOf({ big: 'q'.repeat(40) }, { method: 'shards', shardSize: 8 });
      let reads = 0;
      const r = await checkFiles(m, [{ path: 'big', size: 40, content: async () => (reads++, utf8('q'.repeat(40))) }]);
      expect(r[0]!.status).toBe('verified');
      expect(reads).toBe(1);
    });

    it.each(['blake2b', 'blake3'] as HashAlgorithm[])('shards with %s', async (hashType) => {
      const m = manifestOf(files, { method: 'shards', shardSize: 8, hashType });
      expect(filesOutcome(await checkFiles(m, contentListing(files)))).toEqual({ kind: 'match' });
    });
  });

  describe('single-file models', () => {
    it('"." names the one listed file (files and shards)', async () => {
      for (const method of ['files', 'shards'] as const) {
        const m = parseStatementBytes(buildSingleFileStatement({ name: 'm.gguf', content: 'gguf-weights' }, { method, shardSize: 4 }).payload);
        expect(statusOf(await checkFiles(m, contentListing({ 'm.gguf': 'gguf-weights' }), { singleFile: true }))).toEqual({ 'm.gguf': 'verified' });
        expect(statusOf(await checkFiles(m, contentListing({ 'm.gguf': 'gguf-weighty' }), { singleFile: true }))).toEqual({ 'm.gguf': 'mismatch' });
      }
    });
    it('a basename-named resource works too', async () => {
      const m = manifestOf({ 'm.gguf': 'w' });
      expect(statusOf(await checkFiles(m, contentListing({ 'm.gguf': 'w' }), { singleFile: true }))).toEqual({ 'm.gguf': 'verified' });
    });
  });

  describe('symlinks', () => {
    it('refused unless the signature allows them', async () => {
      const m = manifestOf({ link: 'target' });
      const r = await checkFiles(m, contentListing({ link: 'target' }, { symlink: true }));
      expect(r[0]).toMatchObject({ status: 'mismatch' });
      expect(filesOutcome(r)).toMatchObject({ kind: 'changed', failure: { code: 'SYMLINK_NOT_ALLOWED' } });
      const extra = await checkFiles(manifestOf({ a: '1' }), [...contentListing({ a: '1' }), ...contentListing({ link: 'x' }, { symlink: true })]);
      expect(extra.find((x) => x.path === 'link')).toMatchObject({ status: 'unsigned' });
      expect(filesOutcome(extra)).toMatchObject({ kind: 'changed', failure: { code: 'SYMLINK_NOT_ALLOWED' } });
      const allowed = manifestOf({ link: 'target' }, { allowSymlinks: true });
      expect(statusOf(await checkFiles(allowed, contentListing({ link: 'target' }, { symlink: true })))).toEqual({ link: 'verified' });
    });
  });

  it('duplicate listing entries are an error, not a double count', async () => {
    const m = manifestOf({ a: '1' });
    await expect(checkFiles(m, [...contentListing({ a: '1' }), ...contentListing({ a: '1' })])).rejects.toThrow(/listed twice/);
  });

  // Speed is the bench's job (bench/manifest.bench.mjs); here: the result at that size is right.
  it('10,000 resources against 10,000 listed files with known digests, listed in another order', async () => {
    const n = 10_000;
    const resources = Array.from({ length: n }, (_, i) => ({ name: `dir${i % 100}/file${i}.bin`, digest: hex(hashBytes('sha256', utf8(String(i)))) }));
    // Built directly: 10,000 resources do not fit in a 1 MiB model.sig (~130 bytes each, base64'd).
    const m: SignedManifest = {
      predicateType: 'https://model_signing/signature/v1.0',
      format: 'v1.0',
      modelName: 'big',
      rootDigest: computeRootDigest(resources.map((r) => r.digest)),
      serialization: { method: 'files', hashType: 'sha256', allowSymlinks: false, ignorePaths: [] },
      resources: resources.map((r) => ({ name: r.name, path: r.name, algorithm: 'sha256', digest: r.digest })),
    };
    const listing: ListedFile[] = resources.map((r) => ({ path: r.name, digests: { sha256: r.digest } })).reverse();
    const r = await checkFiles(m, listing);
    expect(r.length).toBe(n);
    expect(r.every((f) => f.status === 'verified')).toBe(true);
    listing[0] = { path: listing[0]!.path, digests: { sha256: '0'.repeat(64) } };
    const changed = await checkFiles(m, listing);
    expect(changed.filter((f) => f.status === 'mismatch').map((f) => f.path)).toEqual([listing[0]!.path]);
  });
});
