/**
 * Verified in-toto statement → SignedManifest. Accepts `signature/v1.0` (model_signing 0.3–1.1.x)
 * and the 0.1/0.2 `Digests/v0.1` format; recomputes the root digest in listed order.
 */
import { ModelSealError, type ErrorCode } from '../errors.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytesStrict, isHexOfLength } from '../hash/hex.js';
import { DIGEST_LENGTH, isHashAlgorithm, type HashAlgorithm } from '../hash/types.js';
import { isVerifiedSignature, type VerifiedSignature } from '../signers/verified.js';
import { isRecord, parseBoundedJson } from './bounded-json.js';
import { IN_TOTO_PAYLOAD_TYPE } from './bundle.js';
import { MAX_BUNDLE_BYTES, MAX_JSON_DEPTH, MAX_RESOURCES } from './limits.js';
import {
  DEFAULT_SHARD_SIZE,
  IN_TOTO_STATEMENT_V1,
  PREDICATE_DIGESTS_V01,
  PREDICATE_V1,
  type ManifestResource,
  type Serialization,
  type SignedManifest,
} from './manifest.js';
import { assertManifestPath, normalizeIgnorePath } from './paths.js';

function fail(code: ErrorCode, message: string): never {
  throw new ModelSealError(code, message);
}

const quote = (v: unknown) => JSON.stringify(typeof v === 'string' ? v.slice(0, 100) : v) ?? String(v);

/** SHA-256 over the concatenated raw digests, in listed order (OMS spec §6.5.1). */
export function computeRootDigest(digestsHex: readonly string[]): string {
  const h = sha256.create();
  for (const d of digestsHex) h.update(hexToBytesStrict(d));
  return bytesToHex(h.digest());
}

/** Parses the statement out of a verified signature. */
export function manifestFromVerified(verified: VerifiedSignature): SignedManifest {
  if (!isVerifiedSignature(verified)) fail('INTERNAL_ERROR', 'statement parser was handed an unverified payload');
  if (verified.payloadType !== IN_TOTO_PAYLOAD_TYPE) fail('ENVELOPE_MALFORMED', `payload type ${quote(verified.payloadType)} is not in-toto`);
  return parseStatementBytes(verified.payload);
}

/**
 * Parses statement bytes. Exported for golden-file tests of unsigned statements; production code
 * goes through `manifestFromVerified` so only signed bytes are ever parsed.
 */
export function parseStatementBytes(payload: Uint8Array): SignedManifest {
  const json = parseBoundedJson(payload, {
    maxBytes: MAX_BUNDLE_BYTES,
    maxDepth: MAX_JSON_DEPTH,
    tooLarge: 'BUNDLE_TOO_LARGE',
    tooDeep: 'BUNDLE_TOO_DEEP',
    malformed: 'STATEMENT_MALFORMED',
  });
  if (!isRecord(json)) fail('STATEMENT_MALFORMED', 'statement is not a JSON object');
  if (json._type !== IN_TOTO_STATEMENT_V1) fail('STATEMENT_MALFORMED', `statement _type ${quote(json._type)} is not ${IN_TOTO_STATEMENT_V1}`);
  const predicateType = json.predicateType;
  if (predicateType === PREDICATE_V1) return parseV1(json);
  if (predicateType === PREDICATE_DIGESTS_V01) return parseDigestsV01(json);
  fail('PREDICATE_UNSUPPORTED', `predicate type ${quote(predicateType)} is not a supported model signature format`);
}

function parseV1(st: Record<string, unknown>): SignedManifest {
  const subjects = st.subject;
  if (!Array.isArray(subjects) || subjects.length !== 1) fail('STATEMENT_MALFORMED', 'signature/v1.0 statement must have exactly one subject');
  const subject: unknown = subjects[0];
  if (!isRecord(subject) || !isRecord(subject.digest)) fail('STATEMENT_MALFORMED', 'statement subject has no digest');
  const rootSigned = subject.digest.sha256;
  if (!isHexOfLength(rootSigned, 32)) fail('STATEMENT_MALFORMED', 'statement subject has no SHA-256 root digest');
  const modelName = typeof subject.name === 'string' ? subject.name : '';

  const predicate = st.predicate;
  if (!isRecord(predicate)) fail('STATEMENT_MALFORMED', 'statement predicate missing');
  const serialization = parseSerialization(predicate.serialization);
  const list = predicate.resources;
  if (!Array.isArray(list)) fail('STATEMENT_MALFORMED', 'predicate resources missing');
  if (list.length > MAX_RESOURCES) fail('TOO_MANY_RESOURCES', `manifest lists ${list.length} resources, over the ${MAX_RESOURCES} limit`);

  const resources = list.map((r: unknown, i) => parseResource(r, i, serialization));
  checkResourceSet(resources, serialization.method);

  const rootDigest = computeRootDigest(resources.map((r) => r.digest));
  if (rootDigest !== rootSigned.toLowerCase()) {
    fail('ROOT_DIGEST_MISMATCH', `signed root digest ${rootSigned.toLowerCase()} does not match the listed resources (${rootDigest})`);
  }
  return { predicateType: PREDICATE_V1, format: 'v1.0', modelName, rootDigest, serialization, resources };
}

function parseSerialization(v: unknown): Serialization {
  if (!isRecord(v)) fail('STATEMENT_MALFORMED', 'predicate serialization missing');
  const method = v.method;
  if (method !== 'files' && method !== 'shards') fail('SERIALIZATION_UNSUPPORTED', `serialization method ${quote(method)} is not supported`);
  // "blake2" is how model_signing's options name it; manifests record "blake2b". Accept both.
  const hashRaw = v.hash_type === 'blake2' ? 'blake2b' : v.hash_type;
  if (!isHashAlgorithm(hashRaw)) fail('HASH_UNSUPPORTED', `hash type ${quote(v.hash_type)} is not supported`);
  const allow = v.allow_symlinks;
  // model_signing's compat path carries it as a string; anything else is malformed.
  const allowSymlinks = allow === true || allow === 'true' || allow === 'True';
  if (!allowSymlinks && allow !== false && allow !== 'false' && allow !== 'False' && allow !== undefined) {
    fail('STATEMENT_MALFORMED', 'serialization allow_symlinks is not a boolean');
  }
  const ignoreRaw = v.ignore_paths ?? [];
  if (!Array.isArray(ignoreRaw) || ignoreRaw.length > 10_000) fail('STATEMENT_MALFORMED', 'serialization ignore_paths is not a list');
  const ignorePaths = ignoreRaw.map((p: unknown) => {
    if (typeof p !== 'string') fail('STATEMENT_MALFORMED', 'ignore_paths entry is not a string');
    return normalizeIgnorePath(p);
  });
  const out: Serialization = { method, hashType: hashRaw, allowSymlinks, ignorePaths };
  if (method === 'shards') out.shardSize = parseShardSize(v.shard_size);
  return out;
}

/** Python writes the shard size as a float (`1000000000.0`); accept any integral positive value. */
function parseShardSize(v: unknown): number {
  // Required for shards (the spec says so and model_signing fails without it): never guess a layout.
  if (v === undefined || v === null) fail('STATEMENT_MALFORMED', 'shards serialization has no shard_size');
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+(\.0*)?$/.test(v.trim()) ? parseFloat(v) : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) fail('SERIALIZATION_UNSUPPORTED', `shard size ${quote(v)} is not a positive integer`);
  return n;
}

function parseResource(r: unknown, i: number, s: Serialization): ManifestResource {
  if (!isRecord(r)) fail('STATEMENT_MALFORMED', `resource ${i} is not an object`);
  const { name, algorithm, digest } = r;
  if (typeof name !== 'string') fail('STATEMENT_MALFORMED', `resource ${i} has no name`);
  if (typeof algorithm !== 'string') fail('STATEMENT_MALFORMED', `resource ${i} has no algorithm`);
  checkAlgorithm(algorithm, s, name);
  if (!isHexOfLength(digest, DIGEST_LENGTH[s.hashType])) {
    fail('STATEMENT_MALFORMED', `resource ${quote(name)} digest is not a ${s.hashType} hex digest`);
  }
  if (s.method === 'files') {
    assertManifestPath(name);
    return { name, path: name, algorithm, digest: digest.toLowerCase() };
  }
  // `path:start:end`; model_signing splits on ":" and wants exactly three parts.
  const parts = name.split(':');
  if (parts.length !== 3 || !/^\d{1,16}$/.test(parts[1] ?? '') || !/^\d{1,16}$/.test(parts[2] ?? '')) {
    fail('RESOURCE_PATH_INVALID', `shard name ${quote(name)} is not path:start:end`);
  }
  const path = parts[0] ?? '';
  assertManifestPath(path);
  const start = Number(parts[1]);
  const end = Number(parts[2]);
  const size = s.shardSize ?? DEFAULT_SHARD_SIZE;
  // Shards start on shard_size boundaries and are at most shard_size long (the last one shorter).
  if (!Number.isSafeInteger(end) || start >= end || end - start > size || start % size !== 0) {
    fail('RESOURCE_PATH_INVALID', `shard ${quote(name)} is not a valid range for shard size ${s.shardSize}`);
  }
  return { name, path, range: { start, end }, algorithm, digest: digest.toLowerCase() };
}

function checkAlgorithm(algorithm: string, s: Serialization, name: string): void {
  const ok = algorithm === s.hashType || (s.hashType === 'blake2b' && algorithm === 'blake2') ||
    (s.method === 'shards' && algorithm === `${s.hashType}-sharded-${s.shardSize}`);
  if (!ok) fail('HASH_UNSUPPORTED', `resource ${quote(name)} algorithm ${quote(algorithm)} does not match hash type ${s.hashType}`);
}

/** Duplicates, "." outside single-file models, and a path that is both a file and a directory. */
function checkResourceSet(resources: ManifestResource[], method: 'files' | 'shards'): void {
  const names = new Set<string>();
  const paths = new Set<string>();
  for (const r of resources) {
    if (names.has(r.name)) fail('RESOURCE_DUPLICATE', `manifest lists ${quote(r.name)} twice`);
    names.add(r.name);
    paths.add(r.path);
  }
  if (paths.has('.') && paths.size > 1) fail('RESOURCE_PATH_INVALID', 'manifest path "." is only valid for a single-file model');
  for (const p of paths) {
    for (let i = p.indexOf('/'); i !== -1; i = p.indexOf('/', i + 1)) {
      if (paths.has(p.slice(0, i))) fail('RESOURCE_PATH_INVALID', `manifest path ${quote(p.slice(0, i))} is both a file and a directory`);
    }
  }
  if (method === 'shards') checkShardOverlap(resources);
}

/** Shards of one file must not overlap (they are all aligned to shard_size, so equal starts overlap). */
function checkShardOverlap(resources: ManifestResource[]): void {
  const starts = new Set<string>();
  for (const r of resources) {
    const key = `${r.path}\0${r.range?.start}`;
    if (starts.has(key)) fail('RESOURCE_DUPLICATE', `manifest lists two shards of ${quote(r.path)} starting at ${r.range?.start}`);
    starts.add(key);
  }
}

/** 0.1/0.2 format: one subject per file, SHA-256 digests, predicate unused. */
function parseDigestsV01(st: Record<string, unknown>): SignedManifest {
  const subjects = st.subject;
  if (!Array.isArray(subjects)) fail('STATEMENT_MALFORMED', 'Digests/v0.1 statement has no subjects');
  if (subjects.length > MAX_RESOURCES) fail('TOO_MANY_RESOURCES', `manifest lists ${subjects.length} files, over the ${MAX_RESOURCES} limit`);
  const hashType: HashAlgorithm = 'sha256';
  const resources = subjects.map((s: unknown, i): ManifestResource => {
    if (!isRecord(s) || typeof s.name !== 'string' || !isRecord(s.digest)) fail('STATEMENT_MALFORMED', `subject ${i} is malformed`);
    const d = s.digest.sha256;
    if (!isHexOfLength(d, 32)) fail('STATEMENT_MALFORMED', `subject ${quote(s.name)} has no SHA-256 digest`);
    assertManifestPath(s.name);
    return { name: s.name, path: s.name, algorithm: 'sha256', digest: d.toLowerCase() };
  });
  checkResourceSet(resources, 'files');
  return {
    predicateType: PREDICATE_DIGESTS_V01,
    format: 'digests-v0.1',
    modelName: '',
    // Not signed in this format: computed the v1.0 way so every verdict names one root digest.
    rootDigest: computeRootDigest(resources.map((r) => r.digest)),
    serialization: { method: 'files', hashType, allowSymlinks: false, ignorePaths: [] },
    resources,
  };
}
