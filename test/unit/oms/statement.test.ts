// Statement → manifest: formats, serialization fields, hash types, path rules and limits.
import { describe, expect, it } from 'vitest';
import { computeRootDigest, parseStatementBytes } from '../../../extension/core/oms/statement.js';
import { MAX_RESOURCES } from '../../../extension/core/oms/limits.js';
import { buildStatement, buildSingleFileStatement } from '../../factory/index.js';
import type { ErrorCode } from '../../../extension/core/errors.js';

const enc = (v: unknown) => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));
const H = (c: string, n = 64) => c.repeat(n);

function statement(resources: { name: string; algorithm?: string; digest?: string }[], serialization: Record<string, unknown> = {}) {
  const rs = resources.map((r, i) => ({ name: r.name, algorithm: r.algorithm ?? 'sha256', digest: r.digest ?? i.toString(16).padStart(64, '0') }));
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'm', digest: { sha256: computeRootDigest(rs.map((r) => r.digest)) } }],
    predicateType: 'https://model_signing/signature/v1.0',
    predicate: { serialization: { method: 'files', hash_type: 'sha256', allow_symlinks: false, ...serialization }, resources: rs },
  };
}

function code(f: () => unknown): ErrorCode | undefined {
  try {
    f();
  } catch (e) {
    return (e as { code?: ErrorCode }).code;
  }
  return undefined;
}

describe('signature/v1.0 statements', () => {
  it('parses files, keeps listed order and recomputes the root digest', () => {
    const st = buildStatement({ 'tokenizer/vocab.json': 'a', 'tokenizer.json': 'b', 'w.bin': 'c' });
    const m = parseStatementBytes(st.payload);
    expect(m.format).toBe('v1.0');
    expect(m.rootDigest).toBe(st.rootDigest);
    // Python's component order puts tokenizer/vocab.json first; we never re-sort.
    expect(m.resources.map((r) => r.path)).toEqual(['tokenizer/vocab.json', 'tokenizer.json', 'w.bin']);
    expect(m.serialization.ignorePaths).toEqual(['.git', '.gitattributes', '.github', '.gitignore', 'model.sig']);
  });

  it('a reordered resource list no longer matches the signed root digest', () => {
    const s = statement([{ name: 'a' }, { name: 'b' }]);
    s.predicate.resources.reverse();
    expect(code(() => parseStatementBytes(enc(s)))).toBe('ROOT_DIGEST_MISMATCH');
  });

  it('a changed resource digest is a root digest mismatch', () => {
    const s = statement([{ name: 'a' }]);
    s.predicate.resources[0]!.digest = H('f');
    expect(code(() => parseStatementBytes(enc(s)))).toBe('ROOT_DIGEST_MISMATCH');
  });

  it('empty model: root digest of nothing', () => {
    const m = parseStatementBytes(enc(statement([])));
    expect(m.rootDigest).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it.each(['sha256', 'blake2b', 'blake3'] as const)('hash type %s (files and shards)', (hashType) => {
    for (const method of ['files', 'shards'] as const) {
      const st = buildStatement({ a: 'x'.repeat(40), 'd/b': 'y' }, { hashType, method, shardSize: 16 });
      const m = parseStatementBytes(st.payload);
      expect(m.serialization.hashType).toBe(hashType);
      expect(m.resources.length).toBe(method === 'files' ? 2 : 4);
    }
  });

  it('accepts "blake2" as the hash type name and blake2b digests of 64 bytes only', () => {
    const s = statement([{ name: 'a', algorithm: 'blake2b', digest: H('a', 128) }], { hash_type: 'blake2' });
    expect(parseStatementBytes(enc(s)).serialization.hashType).toBe('blake2b');
    const short = statement([{ name: 'a', algorithm: 'blake2b', digest: H('a') }], { hash_type: 'blake2b' });
    expect(code(() => parseStatementBytes(enc(short)))).toBe('STATEMENT_MALFORMED');
  });

  it('shards: parses the float shard size, ranges and both algorithm spellings', () => {
    const st = buildStatement({ w: 'z'.repeat(20) }, { method: 'shards', shardSize: 8 });
    expect(new TextDecoder().decode(st.payload)).toContain('"shard_size": 8.0');
    const m = parseStatementBytes(st.payload);
    expect(m.serialization.shardSize).toBe(8);
    expect(m.resources.map((r) => r.range)).toEqual([{ start: 0, end: 8 }, { start: 8, end: 16 }, { start: 16, end: 20 }]);
    const spec = statement([{ name: 'w:0:8' }], { method: 'shards', shard_size: 8 });
    expect(parseStatementBytes(enc(spec)).resources[0]!.path).toBe('w');
    const asString = statement([{ name: 'w:0:8' }], { method: 'shards', shard_size: '8.0' });
    expect(parseStatementBytes(enc(asString)).serialization.shardSize).toBe(8);
  });

  it.each([
    ['w:0', 'RESOURCE_PATH_INVALID'],
    ['w:8:0', 'RESOURCE_PATH_INVALID'],
    ['w:0:9', 'RESOURCE_PATH_INVALID'],
    ['w:4:8', 'RESOURCE_PATH_INVALID'],
    ['a:b:0:8', 'RESOURCE_PATH_INVALID'],
    ['../w:0:8', 'RESOURCE_PATH_INVALID'],
  ] as const)('rejects shard name %s', (name, expected) => {
    expect(code(() => parseStatementBytes(enc(statement([{ name }], { method: 'shards', shard_size: 8 }))))).toBe(expected);
  });

  it.each([0, -8, 1.5, 'x', '1e3'])('rejects shard size %s', (shard_size) => {
    expect(code(() => parseStatementBytes(enc(statement([], { method: 'shards', shard_size }))))).toBe('SERIALIZATION_UNSUPPORTED');
  });

  it('shards without a shard size are malformed', () => {
    expect(code(() => parseStatementBytes(enc(statement([], { method: 'shards' }))))).toBe('STATEMENT_MALFORMED');
  });

  it('rejects overlapping shards of one file', () => {
    const s = statement([{ name: 'w:0:8' }, { name: 'w:0:4' }], { method: 'shards', shard_size: 8 });
    expect(code(() => parseStatementBytes(enc(s)))).toBe('RESOURCE_DUPLICATE');
  });

  it('single-file models: "." and basename', () => {
    const st = buildSingleFileStatement({ name: 'model.gguf', content: 'weights' });
    expect(parseStatementBytes(st.payload).resources[0]!.path).toBe('.');
    expect(parseStatementBytes(enc(statement([{ name: 'model.gguf' }]))).resources[0]!.path).toBe('model.gguf');
    expect(code(() => parseStatementBytes(enc(statement([{ name: '.' }, { name: 'b' }]))))).toBe('RESOURCE_PATH_INVALID');
  });

  it.each(['../etc/passwd', 'a/../../b', '/abs', 'a\\b', 'C:/x', 'a//b', 'a/', './a', 'a/./b', '', 'a\u0000b'])('rejects path %j', (name) => {
    expect(code(() => parseStatementBytes(enc(statement([{ name }]))))).toBe('RESOURCE_PATH_INVALID');
  });

  it('rejects duplicates and a path that is both a file and a directory', () => {
    expect(code(() => parseStatementBytes(enc(statement([{ name: 'a' }, { name: 'a' }]))))).toBe('RESOURCE_DUPLICATE');
    expect(code(() => parseStatementBytes(enc(statement([{ name: 'a' }, { name: 'a/b' }]))))).toBe('RESOURCE_PATH_INVALID');
  });

  it.each(['/abs', '../up', '.', 'a\\b', './'])('rejects hostile signed ignore path %j', (p) => {
    expect(code(() => parseStatementBytes(enc(statement([], { ignore_paths: [p] }))))).toBe('RESOURCE_PATH_INVALID');
  });

  it('normalizes ignore paths ("./x/" → "x")', () => {
    expect(parseStatementBytes(enc(statement([], { ignore_paths: ['./cache/', '.git/'] }))).serialization.ignorePaths).toEqual(['cache', '.git']);
  });

  it('named errors for unknown predicate, method, hash and mismatched algorithm', () => {
    const p = statement([]);
    p.predicateType = 'https://model_signing/DigestOfShardDigests/v0.1';
    expect(code(() => parseStatementBytes(enc(p)))).toBe('PREDICATE_UNSUPPORTED');
    expect(code(() => parseStatementBytes(enc(statement([], { method: 'tensors' }))))).toBe('SERIALIZATION_UNSUPPORTED');
    expect(code(() => parseStatementBytes(enc(statement([], { hash_type: 'md5' }))))).toBe('HASH_UNSUPPORTED');
    expect(code(() => parseStatementBytes(enc(statement([{ name: 'a', algorithm: 'blake3' }]))))).toBe('HASH_UNSUPPORTED');
  });

  it('malformed statements', () => {
    const two = statement([]);
    two.subject.push({ name: 'x', digest: { sha256: H('0') } });
    expect(code(() => parseStatementBytes(enc(two)))).toBe('STATEMENT_MALFORMED');
    const wrongType = { ...statement([]), _type: 'https://in-toto.io/Statement/v0.1' };
    expect(code(() => parseStatementBytes(enc(wrongType)))).toBe('STATEMENT_MALFORMED');
    expect(code(() => parseStatementBytes(enc('[]')))).toBe('STATEMENT_MALFORMED');
    expect(code(() => parseStatementBytes(enc('{"_type":')))).toBe('STATEMENT_MALFORMED');
    const badHex = statement([{ name: 'a' }]);
    badHex.predicate.resources[0]!.digest = 'zz'.repeat(32);
    expect(code(() => parseStatementBytes(enc(badHex)))).toBe('STATEMENT_MALFORMED');
    const noSymlinkBool = statement([], { allow_symlinks: 3 });
    expect(code(() => parseStatementBytes(enc(noSymlinkBool)))).toBe('STATEMENT_MALFORMED');
  });

  it(`rejects more than ${MAX_RESOURCES} resources before hashing anything`, () => {
    // Real resources cannot reach the limit inside a 1 MiB bundle; minimal entries show the count
    // is checked before any entry is looked at.
    const rs = new Array<number>(MAX_RESOURCES + 1).fill(0);
    const s = statement([]);
    (s.predicate as { resources: unknown[] }).resources = rs;
    expect(code(() => parseStatementBytes(enc(s)))).toBe('TOO_MANY_RESOURCES');
  });

  it('accepts uppercase hex digests and normalizes them', () => {
    const s = statement([{ name: 'a', digest: H('A') }]);
    s.subject[0]!.digest.sha256 = s.subject[0]!.digest.sha256.toUpperCase();
    expect(parseStatementBytes(enc(s)).resources[0]!.digest).toBe(H('a'));
  });
});

describe('Digests/v0.1 (model_signing 0.1/0.2)', () => {
  const v01 = (subjects: unknown[]) => ({
    _type: 'https://in-toto.io/Statement/v1',
    subject: subjects,
    predicateType: 'https://model_signing/Digests/v0.1',
    predicate: { unused: 'Unused, just passed due to API requirements' },
  });
  const subject = (name: string, d: string) => ({ name, digest: { sha256: d }, annotations: { actual_hash_algorithm: 'file-sha256' } });

  it('one subject per file becomes a files/sha256 manifest', () => {
    const m = parseStatementBytes(enc(v01([subject('config.json', H('1')), subject('model.safetensors', H('2'))])));
    expect(m.format).toBe('digests-v0.1');
    expect(m.serialization).toEqual({ method: 'files', hashType: 'sha256', allowSymlinks: false, ignorePaths: [] });
    expect(m.resources.map((r) => [r.path, r.digest])).toEqual([['config.json', H('1')], ['model.safetensors', H('2')]]);
    expect(m.rootDigest).toBe(computeRootDigest([H('1'), H('2')]));
  });

  it('applies the same path rules and limits', () => {
    expect(code(() => parseStatementBytes(enc(v01([subject('../x', H('1'))]))))).toBe('RESOURCE_PATH_INVALID');
    expect(code(() => parseStatementBytes(enc(v01([subject('a', H('1')), subject('a', H('2'))]))))).toBe('RESOURCE_DUPLICATE');
    expect(code(() => parseStatementBytes(enc(v01([{ name: 'a', digest: { sha512: H('1', 128) } }]))))).toBe('STATEMENT_MALFORMED');
  });
});
