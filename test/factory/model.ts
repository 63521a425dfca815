// Writes model.sig exactly as model_signing 1.1 does: an in-toto Statement v1 with predicate
// https://model_signing/signature/v1.0, resources sorted the way Python sorts manifest keys
// (PurePosixPath compares path components, shards then by start offset), the root digest as
// SHA-256 over the concatenated resource digests, and the statement text as Python's
// json.dumps(indent=2) prints it (so shard_size is a float such as 1000000000.0).
import { lstatSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { blake2b } from '@noble/hashes/blake2.js';
import { blake3 } from '@noble/hashes/blake3.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { concat, fromHex, hex, sha256, utf8 } from './bytes.js';
import { IN_TOTO_PAYLOAD_TYPE, type ModelSigner } from './signers.js';
import type { BundleJson } from './sigstore.js';

export type FileContent = Uint8Array | string;
/** POSIX relative path → content. */
export type FileMap = Record<string, FileContent>;
export type HashType = 'sha256' | 'blake2b' | 'blake3';
export type Method = 'files' | 'shards';

export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const PREDICATE_TYPE = 'https://model_signing/signature/v1.0';
export const DEFAULT_SHARD_SIZE = 1_000_000_000;
export const DEFAULT_SIGNATURE_NAME = 'model.sig';
/** Ignored at the model root by default (model_signing's git paths). */
export const GIT_PATHS = ['.git', '.gitattributes', '.github', '.gitignore'] as const;

export interface SerializeOptions {
  method?: Method;
  hashType?: HashType;
  /** Shard size in bytes for method 'shards' (default 1,000,000,000). */
  shardSize?: number;
  /** Extra paths to ignore, relative to the model root (prefix match on path components). */
  ignorePaths?: string[];
  /**
   * Record `ignore_paths` in the statement as the 1.1 CLI does (user paths, git paths and the
   * signature file). Default true; false omits the field, as the library API's goldens do.
   */
  recordIgnorePaths?: boolean;
  allowSymlinks?: boolean;
  /** Signature file name, ignored when hashing (default model.sig). */
  signatureName?: string;
  /** Subject name (default: directory basename, or 'model'). */
  name?: string;
}

export interface Resource {
  name: string;
  algorithm: string;
  digest: string;
}

export interface ModelStatement {
  /** The statement object (insertion order = the key order written). */
  statement: Record<string, unknown>;
  /** Exact payload bytes that get signed. */
  payload: Uint8Array;
  resources: Resource[];
  rootDigest: string;
}

/** A model given as a single file (Python names its one resource "."). */
export interface SingleFile {
  name: string;
  content: FileContent;
}

const bytesOf = (c: FileContent): Uint8Array => (typeof c === 'string' ? utf8(c) : c);

export function hashBytes(hashType: HashType, data: Uint8Array): Uint8Array {
  switch (hashType) {
    case 'sha256':
      return nobleSha256(data);
    case 'blake2b':
      return blake2b(data); // 64-byte output, as Python's hashlib.blake2b()
    case 'blake3':
      return blake3(data);
  }
}

/** Python's PurePosixPath ordering: component by component, by code point (= UTF-8 byte order). */
export function comparePaths(a: string, b: string): number {
  const pa = a.split('/');
  const pb = b.split('/');
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const c = Buffer.compare(Buffer.from(pa[i]!, 'utf8'), Buffer.from(pb[i]!, 'utf8'));
    if (c !== 0) return c;
  }
  return pa.length - pb.length;
}

function isIgnored(path: string, ignores: readonly string[]): boolean {
  return ignores.some((p) => path === p || path.startsWith(`${p.replace(/\/+$/, '')}/`));
}

function validatePath(p: string): void {
  if (p === '' || p.startsWith('/') || p.includes('\\') || p.split('/').some((c) => c === '' || c === '.' || c === '..'))
    throw new Error(`bad model path: ${JSON.stringify(p)}`);
}

function shardEnds(size: number, shardSize: number): number[] {
  const ends: number[] = [];
  for (let e = shardSize; e < size; e += shardSize) ends.push(e);
  ends.push(size);
  return ends;
}

/** Serializes a directory-shaped model (file map) into the statement model_signing signs. */
export function buildStatement(files: FileMap, opts: SerializeOptions = {}): ModelStatement {
  return serialize(files, undefined, opts);
}

/** Serializes a single-file model: one resource named "." (shards "."+":start:end"). */
export function buildSingleFileStatement(file: SingleFile, opts: SerializeOptions = {}): ModelStatement {
  return serialize({}, file, opts);
}

function serialize(files: FileMap, single: SingleFile | undefined, opts: SerializeOptions): ModelStatement {
  const method = opts.method ?? 'files';
  const hashType = opts.hashType ?? 'sha256';
  const shardSize = opts.shardSize ?? DEFAULT_SHARD_SIZE;
  if (!Number.isSafeInteger(shardSize) || shardSize <= 0) throw new Error(`bad shard size ${shardSize}`);
  const signatureName = opts.signatureName ?? DEFAULT_SIGNATURE_NAME;
  const userIgnores = opts.ignorePaths ?? [];
  const ignores = [...userIgnores, ...GIT_PATHS, signatureName];

  const entries: [string, Uint8Array][] = single
    ? [['.', bytesOf(single.content)]]
    : Object.entries(files).map(([p, c]) => {
        validatePath(p);
        return [p, bytesOf(c)];
      });
  const kept = single ? entries : entries.filter(([p]) => !isIgnored(p, ignores));
  kept.sort(([a], [b]) => comparePaths(a, b));

  const resources: Resource[] = [];
  for (const [path, data] of kept) {
    if (method === 'files') {
      resources.push({ name: path, algorithm: hashType, digest: hex(hashBytes(hashType, data)) });
      continue;
    }
    // Zero-byte files have no shards; shards of one file come in start order.
    let start = 0;
    if (data.length === 0) continue;
    for (const end of shardEnds(data.length, shardSize)) {
      resources.push({
        name: `${path}:${start}:${end}`,
        algorithm: `${hashType}-sharded-${shardSize}`,
        digest: hex(hashBytes(hashType, data.subarray(start, end))),
      });
      start = end;
    }
  }
  const rootDigest = hex(sha256(concat(...resources.map((r) => fromHex(r.digest)))));

  const SHARD_MARK = '\u0000shard_size\u0000';
  const serialization: Record<string, unknown> = {
    method,
    hash_type: hashType,
    allow_symlinks: opts.allowSymlinks ?? false,
  };
  if (method === 'shards') serialization['shard_size'] = SHARD_MARK;
  if (opts.recordIgnorePaths ?? true) serialization['ignore_paths'] = [...new Set(ignores)];
  const name = opts.name ?? single?.name ?? 'model';
  const statement = {
    _type: STATEMENT_TYPE,
    subject: [{ name, digest: { sha256: rootDigest } }],
    predicateType: PREDICATE_TYPE,
    predicate: {
      serialization,
      resources: resources.map((r) => ({ algorithm: r.algorithm, digest: r.digest, name: r.name })),
    },
  };
  // Python writes an int-valued float as "N.0"; JSON.stringify would drop the ".0".
  const text = JSON.stringify(statement, null, 2).replace(JSON.stringify(SHARD_MARK), `${shardSize}.0`);
  if (method === 'shards') serialization['shard_size'] = shardSize;
  return { statement, payload: utf8(text), resources, rootDigest };
}

/** Reads a model directory into a file map (symlinks followed only when allowed, as upstream). */
export function readModelDir(dir: string, allowSymlinks = false): FileMap {
  const out: FileMap = {};
  const walk = (abs: string, rel: string) => {
    for (const name of readdirSync(abs)) {
      const a = join(abs, name);
      const r = rel ? `${rel}/${name}` : name;
      const l = lstatSync(a);
      if (l.isSymbolicLink() && !allowSymlinks) throw new Error(`symlink in model: ${r} (allowSymlinks is false)`);
      const s = l.isSymbolicLink() ? statSync(a) : l;
      if (s.isDirectory()) walk(a, r);
      else if (s.isFile()) out[r] = new Uint8Array(readFileSync(a));
    }
  };
  walk(dir, '');
  return out;
}

export const LEGACY_PREDICATE_TYPE = 'https://model_signing/Digests/v0.1';

/**
 * The model_signing 0.2 statement: one subject per file (Python order) with
 * annotations.actual_hash_algorithm "file-sha256", and a placeholder predicate. Only `ignorePaths`
 * and `signatureName` apply (0.2 had no serialization record and did not skip git files).
 */
export function buildLegacyDigestsStatement(files: FileMap, opts: Pick<SerializeOptions, 'ignorePaths' | 'signatureName'> = {}): ModelStatement {
  const ignores = [...(opts.ignorePaths ?? []), opts.signatureName ?? DEFAULT_SIGNATURE_NAME];
  const kept = Object.entries(files)
    .map(([p, c]): [string, Uint8Array] => {
      validatePath(p);
      return [p, bytesOf(c)];
    })
    .filter(([p]) => !isIgnored(p, ignores))
    .sort(([a], [b]) => comparePaths(a, b));
  const resources = kept.map(([name, data]) => ({ name, algorithm: 'file-sha256', digest: hex(nobleSha256(data)) }));
  const statement = {
    _type: STATEMENT_TYPE,
    subject: resources.map((r) => ({ name: r.name, digest: { sha256: r.digest }, annotations: { actual_hash_algorithm: 'file-sha256' } })),
    predicateType: LEGACY_PREDICATE_TYPE,
    predicate: { unused: 'Unused, just passed due to API requirements' },
  };
  const rootDigest = hex(sha256(concat(...resources.map((r) => fromHex(r.digest)))));
  return { statement, payload: utf8(JSON.stringify(statement, null, 2)), resources, rootDigest };
}

export interface SignModelOptions extends SerializeOptions {
  /** 'v0.2' writes the Digests/v0.1 statement (pair with a signer using pae 'v0.2-compat'). */
  format?: 'v1.0' | 'v0.2';
  signer: ModelSigner;
  /** The model as a file map, a single file, or a directory on disk. */
  files?: FileMap;
  file?: SingleFile;
  dir?: string;
  /** Write the signature into `dir` (default true when `dir` is given). */
  write?: boolean;
}

export interface SignedModel extends ModelStatement {
  bundle: BundleJson;
  /** model.sig file content (compact JSON, as model_signing writes it). */
  signature: string;
  /** The files that were serialized (directory contents when signing a directory). */
  files: FileMap;
}

/** Serializes and signs a model, returning the bundle and the model.sig text. */
export function signModel(opts: SignModelOptions): SignedModel {
  let files: FileMap;
  let st: ModelStatement;
  if (opts.dir !== undefined) {
    if (statSync(opts.dir).isFile()) {
      const file = { name: basename(opts.dir), content: new Uint8Array(readFileSync(opts.dir)) };
      files = { [file.name]: file.content };
      st = buildSingleFileStatement(file, opts);
    } else {
      files = readModelDir(opts.dir, opts.allowSymlinks);
      st = buildStatement(files, { ...opts, name: opts.name ?? basename(opts.dir) });
    }
  } else if (opts.file) {
    files = { [opts.file.name]: opts.file.content };
    st = buildSingleFileStatement(opts.file, opts);
  } else if (opts.files) {
    files = opts.files;
    st = opts.format === 'v0.2' ? buildLegacyDigestsStatement(files, opts) : buildStatement(files, opts);
  } else throw new Error('signModel needs files, file or dir');
  const bundle = opts.signer.signDsse(IN_TOTO_PAYLOAD_TYPE, st.payload);
  const signature = JSON.stringify(bundle);
  if (opts.dir !== undefined && (opts.write ?? true) && statSync(opts.dir).isDirectory())
    writeFileSync(join(opts.dir, opts.signatureName ?? DEFAULT_SIGNATURE_NAME), signature);
  return { ...st, bundle, signature, files };
}
