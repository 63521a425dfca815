/**
 * Reading a lock (a file the user hands the CLI, or one kept in the trust store): hostile input.
 * Bounded in bytes, depth and entries; every object has exactly the known fields; the version must
 * be one we write; and the root digest must recompute from the entries, so a hand-edited lock
 * cannot name content its own root does not commit to. Any doubt is LOCK_INVALID.
 */
import { ModelSealError } from '../errors.js';
import { isRecord, parseBoundedJson } from '../oms/bounded-json.js';
import { assertManifestPath, normalizeIgnorePath } from '../oms/paths.js';
import { PREDICATE_DIGESTS_V01, PREDICATE_V1 } from '../oms/manifest.js';
import { isHexOfLength } from '../hash/hex.js';
import { DIGEST_LENGTH, isHashAlgorithm } from '../hash/types.js';
import type { Signer } from '../verdict.js';
import { recomputeLockRoot } from './content.js';
import { LOCK_FORMAT, LOCK_LIMITS, LOCK_VERSION, type LockDocument, type LockFileEntry, type LockManifest } from './types.js';

function invalid(where: string, why: string): never {
  throw new ModelSealError('LOCK_INVALID', `lock ${where}: ${why}`);
}

type Obj = Record<string, unknown>;

/** An object with only `allowed` keys (and every `required` one). */
function exactObject(v: unknown, where: string, required: readonly string[], optional: readonly string[] = []): Obj {
  if (!isRecord(v)) invalid(where, 'is not an object');
  const allowed = new Set([...required, ...optional]);
  for (const k of Object.keys(v)) if (!allowed.has(k)) invalid(where, `has an unknown field ${JSON.stringify(k.slice(0, 60))}`);
  for (const k of required) if (!(k in v)) invalid(where, `has no ${k}`);
  return v;
}

function text(v: unknown, where: string, max: number = LOCK_LIMITS.string): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > max) invalid(where, 'is not a non-empty bounded string');
  return v;
}

function count(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) invalid(where, 'is not a non-negative integer');
  return v;
}

function hubOrigin(v: unknown): string {
  const s = text(v, 'hub', 2048);
  let origin: string;
  try {
    const u = new URL(s);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') invalid('hub', 'is not an http(s) origin');
    origin = u.origin;
  } catch (e) {
    if (e instanceof ModelSealError) throw e;
    invalid('hub', 'is not a URL');
  }
  if (origin !== s) invalid('hub', 'is not a bare origin (scheme, host and port only)');
  return s;
}

/** The Hub's repo id grammar (owner/name). */
const REPO_ID = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,95}\/[A-Za-z0-9_][A-Za-z0-9._-]{0,95}$/;
const COMMIT = /^[0-9a-f]{40}$/;

function signer(v: unknown): Signer {
  const o = exactObject(v, 'signer', ['kind'], ['identity', 'issuer', 'keyFingerprint', 'caSubject', 'sourceRepository']);
  const out: Signer = { kind: 'sigstore' };
  for (const k of ['identity', 'issuer', 'keyFingerprint', 'caSubject', 'sourceRepository'] as const) {
    if (o[k] !== undefined) out[k] = text(o[k], `signer ${k}`);
  }
  switch (o.kind) {
    case 'sigstore':
      if (!out.identity || !out.issuer) invalid('signer', 'names no identity and issuer');
      break;
    case 'key':
      if (!isHexOfLength(out.keyFingerprint, 32)) invalid('signer', 'names no key fingerprint');
      break;
    case 'certificate':
      if (!out.caSubject) invalid('signer', 'names no certificate authority');
      break;
    default:
      invalid('signer', 'has an unknown kind');
  }
  out.kind = o.kind;
  return out;
}

function manifest(v: unknown): LockManifest {
  const o = exactObject(v, 'manifest', ['rootDigest', 'predicateType', 'method', 'hashType', 'allowSymlinks', 'ignorePaths'], ['shardSize']);
  if (!isHexOfLength(o.rootDigest, 32) || o.rootDigest !== o.rootDigest.toLowerCase()) invalid('manifest rootDigest', 'is not a lowercase SHA-256 hex digest');
  if (o.predicateType !== PREDICATE_V1 && o.predicateType !== PREDICATE_DIGESTS_V01) invalid('manifest predicateType', 'is not a model signature format');
  if (o.method !== 'files' && o.method !== 'shards') invalid('manifest method', 'is not files or shards');
  if (!isHashAlgorithm(o.hashType)) invalid('manifest hashType', 'is not sha256, blake2b or blake3');
  if (typeof o.allowSymlinks !== 'boolean') invalid('manifest allowSymlinks', 'is not a boolean');
  if (!Array.isArray(o.ignorePaths) || o.ignorePaths.length > LOCK_LIMITS.ignorePaths) invalid('manifest ignorePaths', 'is not a bounded list');
  const ignorePaths = o.ignorePaths.map((p: unknown, i) => {
    const raw = text(p, `manifest ignorePaths[${i}]`);
    let norm: string;
    try {
      norm = normalizeIgnorePath(raw);
    } catch {
      invalid(`manifest ignorePaths[${i}]`, 'is not a model path');
    }
    if (norm !== raw) invalid(`manifest ignorePaths[${i}]`, 'is not normalized');
    return norm;
  });
  const out: LockManifest = {
    rootDigest: o.rootDigest,
    predicateType: o.predicateType,
    method: o.method,
    hashType: o.hashType,
    allowSymlinks: o.allowSymlinks,
    ignorePaths,
  };
  if (o.method === 'shards') {
    const size = count(o.shardSize, 'manifest shardSize');
    if (size === 0) invalid('manifest shardSize', 'is zero');
    out.shardSize = size;
  } else if (o.shardSize !== undefined) invalid('manifest shardSize', 'is set for a files manifest');
  return out;
}

function algorithmFits(algorithm: string, m: LockManifest): boolean {
  return algorithm === m.hashType || (m.hashType === 'blake2b' && algorithm === 'blake2') ||
    (m.method === 'shards' && algorithm === `${m.hashType}-sharded-${m.shardSize}`);
}

function entry(v: unknown, i: number, m: LockManifest): LockFileEntry {
  const where = `files[${i}]`;
  const o = exactObject(v, where, ['path', 'algorithm', 'digest'], ['size', 'range']);
  const path = text(o.path, `${where} path`);
  try {
    assertManifestPath(path);
  } catch {
    invalid(`${where} path`, 'is not a canonical relative path');
  }
  const algorithm = text(o.algorithm, `${where} algorithm`, 200);
  if (!algorithmFits(algorithm, m)) invalid(`${where} algorithm`, `does not fit hash type ${m.hashType}`);
  if (!isHexOfLength(o.digest, DIGEST_LENGTH[m.hashType]) || o.digest !== o.digest.toLowerCase()) invalid(`${where} digest`, `is not a lowercase ${m.hashType} hex digest`);
  const out: LockFileEntry = { path, algorithm, digest: o.digest };
  if (m.method === 'shards') {
    const r = exactObject(o.range, `${where} range`, ['start', 'end']);
    const start = count(r.start, `${where} range start`);
    const end = count(r.end, `${where} range end`);
    const size = m.shardSize as number;
    if (start >= end || end - start > size || start % size !== 0) invalid(`${where} range`, `is not a shard of size ${size}`);
    out.range = { start, end };
    if (o.size !== undefined) invalid(`${where} size`, 'is set on a shard');
  } else {
    if (o.range !== undefined) invalid(`${where} range`, 'is set in a files manifest');
    if (o.size !== undefined) out.size = count(o.size, `${where} size`);
  }
  return out;
}

/**
 * Validates a lock held as a parsed value (from a file or from storage) and rebuilds it from the
 * checked fields only. Throws LOCK_INVALID.
 */
export function validateLock(v: unknown): LockDocument {
  const o = exactObject(v, 'document', ['format', 'version', 'hub', 'kind', 'repo', 'commit', 'signer', 'manifest', 'files']);
  if (o.format !== LOCK_FORMAT) invalid('format', `is not ${LOCK_FORMAT}`);
  if (o.version !== LOCK_VERSION) invalid('version', `${JSON.stringify(o.version)?.slice(0, 20)} is not supported (this ModelSeal reads version ${LOCK_VERSION})`);
  const hub = hubOrigin(o.hub);
  if (o.kind !== 'model' && o.kind !== 'dataset') invalid('kind', 'is not model or dataset');
  const repo = text(o.repo, 'repo', 200);
  if (!REPO_ID.test(repo)) invalid('repo', 'is not an owner/name repo id');
  if (typeof o.commit !== 'string' || !COMMIT.test(o.commit)) invalid('commit', 'is not a 40-digit lowercase hex commit');
  const m = manifest(o.manifest);
  if (!Array.isArray(o.files) || o.files.length === 0 || o.files.length > LOCK_LIMITS.files) invalid('files', `is not a list of 1 to ${LOCK_LIMITS.files} entries`);
  const files = o.files.map((f: unknown, i) => entry(f, i, m));
  const seen = new Set<string>();
  for (const f of files) {
    const key = f.range ? `${f.path}\0${f.range.start}` : f.path;
    if (seen.has(key)) invalid('files', `lists ${JSON.stringify(f.path.slice(0, 100))} twice`);
    seen.add(key);
  }
  const doc: LockDocument = { format: LOCK_FORMAT, version: LOCK_VERSION, hub, kind: o.kind, repo, commit: o.commit, signer: signer(o.signer), manifest: m, files };
  const root = recomputeLockRoot(doc);
  if (root !== m.rootDigest) invalid('manifest rootDigest', `${m.rootDigest} does not recompute from the listed files (${root})`);
  return doc;
}

/** Parses lock file bytes or text. Throws LOCK_INVALID. */
export function parseLock(input: Uint8Array | string): LockDocument {
  let json: unknown;
  try {
    json = parseBoundedJson(input, { maxBytes: LOCK_LIMITS.bytes, maxDepth: LOCK_LIMITS.depth, tooLarge: 'LOCK_INVALID', tooDeep: 'LOCK_INVALID', malformed: 'LOCK_INVALID' });
  } catch (e) {
    const why = e instanceof Error ? e.message.replace(/^signature/, 'file') : String(e);
    invalid('file', why);
  }
  return validateLock(json);
}

/** The lock as file text: fixed field order, two-space indent, one trailing newline. */
export function serializeLock(lock: LockDocument): string {
  const m = lock.manifest;
  const ordered = {
    format: lock.format,
    version: lock.version,
    hub: lock.hub,
    kind: lock.kind,
    repo: lock.repo,
    commit: lock.commit,
    signer: orderedSigner(lock.signer),
    manifest: {
      rootDigest: m.rootDigest,
      predicateType: m.predicateType,
      method: m.method,
      hashType: m.hashType,
      ...(m.shardSize !== undefined ? { shardSize: m.shardSize } : {}),
      allowSymlinks: m.allowSymlinks,
      ignorePaths: m.ignorePaths,
    },
    files: lock.files.map((f) => ({
      path: f.path,
      ...(f.range ? { range: { start: f.range.start, end: f.range.end } } : {}),
      algorithm: f.algorithm,
      digest: f.digest,
      ...(f.size !== undefined ? { size: f.size } : {}),
    })),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

function orderedSigner(s: Signer): Signer {
  const out: Signer = { kind: s.kind };
  for (const k of ['identity', 'issuer', 'keyFingerprint', 'caSubject', 'sourceRepository'] as const) if (s[k] !== undefined) out[k] = s[k];
  return out;
}
