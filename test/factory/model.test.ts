// signModel's statements match model_signing byte for byte: the upstream golden statements and
// manifests (rebuilt from the models upstream's conftest.py generates) and the real 1.x signatures.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { fromB64, fromUtf8 } from './bytes.js';
import {
  buildSingleFileStatement,
  buildStatement,
  comparePaths,
  createKeySigner,
  signModel,
  writeModel,
  type FileMap,
  type ModelStatement,
  type SerializeOptions,
} from './index.js';

const SHARED = resolve(process.cwd(), '../shared');
const GOLDEN = join(SHARED, 'fixtures/oms-golden');
const REAL = join(SHARED, 'fixtures/oms-real');

const KNOWN_MODEL_TEXT = 'This is a simple model';

/** The synthetic models of upstream tests/conftest.py, by fixture name. */
function goldenModel(fixture: string): { files?: FileMap; file?: { name: string; content: string }; name: string } {
  switch (fixture) {
    case 'sample_model_file':
      return { file: { name: 'file_model', content: KNOWN_MODEL_TEXT }, name: 'file_model' };
    case 'empty_model_file':
      return { file: { name: 'empty_file_model', content: '' }, name: 'empty_file_model' };
    case 'sample_model_folder': {
      const files: FileMap = {};
      for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) files[`d${i}/f${i}${j}`] = `This is file f${i}${j} in d${i}.`;
      for (let i = 0; i < 4; i++) files[`f${i}`] = `This is file f${i} in root.`;
      return { files, name: 'sample_model' };
    }
    case 'empty_model_folder':
      return { files: {}, name: 'empty_folder_model' };
    case 'model_folder_with_empty_file':
      return { files: { empty_file: '' }, name: 'empty_file_inside_model' };
    case 'deep_model_folder': {
      const files: FileMap = {};
      for (let i = 0; i < 4; i++) files[`d0/d1/d2/d3/d4/f${i}`] = `This is file f${i}.`;
      return { files, name: 'deep_model' };
    }
    case 'symlink_model_folder':
      return { files: { symlink_file: KNOWN_MODEL_TEXT }, name: 'symlink_model' };
    default:
      throw new Error(`unknown golden model ${fixture}`);
  }
}

function goldenStatement(fixture: string, variant: '' | '_shard' | '_small_shards'): ModelStatement {
  const m = goldenModel(fixture);
  const opts: SerializeOptions = {
    method: variant === '' ? 'files' : 'shards',
    shardSize: variant === '_small_shards' ? 8 : undefined,
    allowSymlinks: true,
    recordIgnorePaths: false,
    name: m.name,
  };
  return m.file ? buildSingleFileStatement(m.file, opts) : buildStatement(m.files!, opts);
}

describe('statement serialization (no shared fixtures needed)', () => {
  it('sorts by path components like Python, not by plain string order', () => {
    const names = ['tokenizer.json', 'tokenizer/vocab.json', 'a-b', 'a/b'];
    expect([...names].sort(comparePaths)).toEqual(['a/b', 'a-b', 'tokenizer/vocab.json', 'tokenizer.json']);
    const st = buildStatement({ 'tokenizer.json': '1', 'tokenizer/vocab.json': '2' });
    expect(st.resources.map((r) => r.name)).toEqual(['tokenizer/vocab.json', 'tokenizer.json']);
  });

  it('computes the root digest over the listed digests; an empty model gives SHA-256 of nothing', () => {
    expect(buildStatement({}).rootDigest).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    const st = buildStatement({ a: 'x', b: 'y' });
    const expected = createHash('sha256')
      .update(createHash('sha256').update('x').digest())
      .update(createHash('sha256').update('y').digest())
      .digest('hex');
    expect(st.rootDigest).toBe(expected);
  });

  it('hashes with sha256, blake2b (64-byte) and blake3, shards included, and writes algorithm names as upstream', () => {
    const files = { 'w.bin': 'abcdefghij' };
    const b2 = buildStatement(files, { hashType: 'blake2b' });
    expect(b2.resources[0]).toEqual({
      name: 'w.bin',
      algorithm: 'blake2b',
      digest: createHash('blake2b512').update('abcdefghij').digest('hex'),
    });
    const b3 = buildStatement(files, { hashType: 'blake3', method: 'shards', shardSize: 4 });
    expect(b3.resources.map((r) => [r.name, r.algorithm])).toEqual([
      ['w.bin:0:4', 'blake3-sharded-4'],
      ['w.bin:4:8', 'blake3-sharded-4'],
      ['w.bin:8:10', 'blake3-sharded-4'],
    ]);
    expect(b3.resources[0]!.digest).toHaveLength(64);
    expect(fromUtf8(b3.payload)).toContain('"shard_size": 4.0');
  });

  it('ignores git paths, model.sig and user paths, and records them as the 1.1 CLI does', () => {
    const st = buildStatement(
      { 'model.sig': '{}', '.gitattributes': 'x', '.git/HEAD': 'x', 'ignore-me': '', 'sub/keep': 'k', 'subdir/x': 'y' },
      { ignorePaths: ['ignore-me', 'sub'] },
    );
    expect(st.resources.map((r) => r.name)).toEqual(['subdir/x']);
    const ser = (st.statement['predicate'] as { serialization: { ignore_paths: string[] } }).serialization;
    expect(new Set(ser.ignore_paths)).toEqual(new Set(['ignore-me', 'sub', '.git', '.gitattributes', '.github', '.gitignore', 'model.sig']));
  });

  it('rejects unsafe paths in a file map', () => {
    for (const bad of ['../x', '/abs', 'a\\b', 'a//b', './a']) expect(() => buildStatement({ [bad]: '' })).toThrow(/bad model path/);
  });

  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('signs a directory on disk, writes model.sig there, follows symlinks only when allowed', () => {
    const root = mkdtempSync(join(tmpdir(), 'factory-'));
    dirs.push(root);
    const dir = join(root, 'symlink_model');
    writeModel(dir, {});
    writeFileSync(join(root, 'external'), KNOWN_MODEL_TEXT);
    symlinkSync(join(root, 'external'), join(dir, 'symlink_file'));
    const signer = createKeySigner('P-256');
    expect(() => signModel({ dir, signer })).toThrow(/symlink/);
    const signed = signModel({ dir, signer, allowSymlinks: true, recordIgnorePaths: false });
    expect(readFileSync(join(dir, 'model.sig'), 'utf8')).toBe(signed.signature);
    if (existsSync(GOLDEN))
      expect(fromUtf8(signed.payload)).toBe(readFileSync(join(GOLDEN, 'statements/symlink_model_folder'), 'utf8').trimEnd());
    // Re-signing ignores the model.sig now present.
    expect(signModel({ dir, signer, allowSymlinks: true, write: false }).resources.map((r) => r.name)).toEqual(['symlink_file']);
  });
});

if (existsSync(GOLDEN)) {
  describe('upstream golden statements (oms-golden)', () => {
    const names = readdirSync(join(GOLDEN, 'statements'));
    it('covers all 21 golden statements', () => expect(names).toHaveLength(21));
    for (const golden of names) {
      const variant = golden.endsWith('_small_shards') ? '_small_shards' : golden.endsWith('_shard') ? '_shard' : '';
      const fixture = golden.slice(0, golden.length - variant.length);
      it(`${golden}: identical statement text`, () => {
        const st = goldenStatement(fixture, variant);
        const text = readFileSync(join(GOLDEN, 'statements', golden), 'utf8');
        expect(fromUtf8(st.payload)).toBe(text.trimEnd());
        expect(st.rootDigest).toBe(JSON.parse(text).subject[0].digest.sha256);
      });
    }

    for (const kind of ['file', 'file_shard'] as const) {
      const base = join(GOLDEN, 'serialization', kind, 'TestSerializer');
      for (const golden of readdirSync(base)) {
        it(`serialization/${kind}/${golden}: same name:digest manifest`, () => {
          const small = golden.endsWith('_small_shards');
          const fixture = small ? golden.slice(0, -'_small_shards'.length) : golden;
          const variant = kind === 'file' ? '' : small ? '_small_shards' : '_shard';
          const st = goldenStatement(fixture, variant);
          const lines = readFileSync(join(base, golden), 'utf8').split('\n').filter(Boolean);
          expect(st.resources.map((r) => `${r.name}:${r.digest}`)).toEqual(lines);
        });
      }
    }
  });
} else {
  console.log(`[factory] ${GOLDEN} not found: golden statement comparisons not registered`);
}

if (existsSync(REAL)) {
  describe('real model_signing signatures (oms-real)', () => {
    for (const dir of readdirSync(REAL).filter((d) => d.startsWith('v1.'))) {
      it(`${dir}: same resources, root digest and serialization as the real statement`, () => {
        const bundle = JSON.parse(readFileSync(join(REAL, dir, 'model.sig'), 'utf8'));
        const real = JSON.parse(fromUtf8(fromB64(bundle.dsseEnvelope.payload)));
        const files: FileMap = {};
        for (const f of readdirSync(join(REAL, dir))) files[f] = new Uint8Array(readFileSync(join(REAL, dir, f)));
        const records = 'ignore_paths' in real.predicate.serialization;
        const st = buildStatement(files, { ignorePaths: ['ignore-me'], recordIgnorePaths: records, name: dir });
        const ours = st.statement as typeof real;
        expect(ours.subject).toEqual(real.subject);
        expect(ours.predicateType).toBe(real.predicateType);
        expect(ours.predicate.resources).toEqual(real.predicate.resources);
        const { ignore_paths: a, ...restOurs } = ours.predicate.serialization;
        const { ignore_paths: b, ...restReal } = real.predicate.serialization;
        expect(restOurs).toEqual(restReal);
        expect(a === undefined ? undefined : new Set(a)).toEqual(b === undefined ? undefined : new Set(b));
      });
    }
  });
} else {
  console.log(`[factory] ${REAL} not found: real-signature comparisons not registered`);
}
