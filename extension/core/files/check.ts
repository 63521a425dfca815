/**
 * Files vs manifest. Map-based so 10,000 resources against 10,000 listed files is a few ms when
 * digests are known; unknown digests are computed through each file's DigestSource with bounded
 * concurrency. Every listed and every signed path gets exactly one FileResult.
 */
import { ModelSealError, type ErrorCode } from '../errors.js';
import { shardRanges, type ByteRange } from '../hash/shards.js';
import type { HashAlgorithm, HasherFactory } from '../hash/types.js';
import { nobleHasher } from '../hash/noble.js';
import { digestHex } from '../hash/digest.js';
import type { SignedManifest } from '../oms/manifest.js';
import type { FileResult } from '../verdict.js';
import { IgnoreMatcher } from './ignore.js';
import { DEFAULT_IGNORES, type CheckOptions, type DigestSource, type ListedFile } from './listing.js';

interface Expected {
  /** `files`: whole-file digest. */
  digest?: string;
  /** `shards`: "start:end" → digest. */
  shards?: Map<string, string>;
  algorithm: string;
  order: number;
}

/** Error codes behind `unchecked` results, kept beside the results without widening FileResult. */
const uncheckedCodes = new WeakMap<FileResult, ErrorCode>();
/** Results that failed because of the symlink policy. */
const symlinkViolations = new WeakSet<FileResult>();

export function uncheckedCode(r: FileResult): ErrorCode | undefined {
  return uncheckedCodes.get(r);
}
export function isSymlinkViolation(r: FileResult): boolean {
  return symlinkViolations.has(r);
}

function expectedByPath(manifest: SignedManifest, singleFileName: string | undefined): Map<string, Expected> {
  const out = new Map<string, Expected>();
  let order = 0;
  for (const r of manifest.resources) {
    const path = r.path === '.' && singleFileName !== undefined ? singleFileName : r.path;
    let e = out.get(path);
    if (!e) {
      e = { algorithm: manifest.serialization.hashType, order: order++ };
      out.set(path, e);
    }
    if (r.range) (e.shards ??= new Map()).set(`${r.range.start}:${r.range.end}`, r.digest);
    else e.digest = r.digest;
  }
  return out;
}

type Job = () => Promise<void>;

async function runPool(jobs: Job[], concurrency: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++];
      if (job) await job();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, jobs.length)) }, worker));
}

export async function checkFiles(manifest: SignedManifest, listing: readonly ListedFile[], options: CheckOptions = {}): Promise<FileResult[]> {
  const s = manifest.serialization;
  const hashType: HashAlgorithm = s.hashType;
  if (options.singleFile && listing.length !== 1) throw new ModelSealError('INTERNAL_ERROR', 'a single-file model lists exactly one file');
  const singleName = options.singleFile ? listing[0]?.path : undefined;
  const expected = expectedByPath(manifest, singleName);

  const sig = options.signaturePath === undefined ? 'model.sig' : options.signaturePath;
  const explicitRoots = [...s.ignorePaths, ...(options.ignorePaths ?? []), ...(sig ? [sig] : [])];
  const ignore = new IgnoreMatcher(options.singleFile ? [] : explicitRoots);
  // Git metadata is ignored by default, unless the signer chose to sign it (0.2-era signatures list
  // .gitattributes): then it is checked like any signed file.
  const gitMeta = new IgnoreMatcher(options.singleFile ? [] : DEFAULT_IGNORES);

  const signed: (FileResult | undefined)[] = new Array<FileResult | undefined>(expected.size);
  const others: FileResult[] = [];
  const seen = new Set<string>();
  const jobs: Job[] = [];

  for (const file of listing) {
    if (seen.has(file.path)) throw new ModelSealError('INTERNAL_ERROR', `file ${file.path} listed twice`);
    seen.add(file.path);
    const exp = expected.get(file.path);
    if (!exp && gitMeta.matches(file.path)) {
      others.push({ path: file.path, status: 'ignored' });
      continue;
    }
    if (ignore.matches(file.path)) {
      if (exp) signed[exp.order] = { path: file.path, status: 'missing', expected: exp.digest, algorithm: exp.algorithm, reason: 'signed, but excluded by an ignore path' };
      else others.push({ path: file.path, status: 'ignored' });
      continue;
    }
    if (!exp) {
      if (file.symlink && !s.allowSymlinks) {
        // model_signing refuses any symlink it meets when they are not allowed, signed or not.
        const r: FileResult = { path: file.path, status: 'unsigned', reason: 'symbolic link, and the signature does not allow symlinks' };
        symlinkViolations.add(r);
        others.push(r);
      } else if (s.method === 'shards' && file.size === 0) {
        // model_signing's shard serialization lists no shards for empty files, so an empty file is not extra.
        others.push({ path: file.path, status: 'ignored', reason: 'empty file (shard manifests list no shards for it)' });
      } else others.push({ path: file.path, status: 'unsigned' });
      continue;
    }
    const result: FileResult = { path: file.path, status: 'unchecked', algorithm: exp.algorithm };
    if (exp.digest !== undefined) result.expected = exp.digest;
    signed[exp.order] = result;
    if (file.symlink && !s.allowSymlinks) {
      result.status = 'mismatch';
      result.reason = 'symbolic link, and the signature does not allow symlinks';
      symlinkViolations.add(result);
      continue;
    }
    // Built lazily: with known digests (the Hub's LFS sha256) nothing is read or hashed.
    const source = () => digestSource(file, options.hashers ?? nobleHasher);
    if (exp.digest !== undefined) planWholeFile(file, source, exp.digest, hashType, result, jobs);
    else planShards(file, source(), exp.shards ?? new Map(), s.shardSize ?? 0, hashType, result, jobs);
  }

  for (const [path, exp] of expected) {
    if (!signed[exp.order]) signed[exp.order] = { path, status: 'missing', algorithm: exp.algorithm, ...(exp.digest !== undefined ? { expected: exp.digest } : {}) };
  }

  await runPool(jobs, options.concurrency ?? 4);
  others.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return [...(signed as FileResult[]), ...others];
}

function unchecked(result: FileResult, reason: string, code: ErrorCode): void {
  result.status = 'unchecked';
  result.reason = reason;
  uncheckedCodes.set(result, code);
}

function failJob(result: FileResult, e: unknown): void {
  const code = e instanceof ModelSealError ? e.code : 'IO_ERROR';
  unchecked(result, `could not hash: ${e instanceof Error ? e.message : String(e)}`, code);
}

/** The file's own DigestSource, or one over its in-memory content. */
function digestSource(file: ListedFile, hashers: HasherFactory): DigestSource | undefined {
  if (file.hash) return file.hash;
  const content = file.content;
  if (!content) return undefined;
  // One read per file, shared by all of its shard ranges.
  let once: Promise<Uint8Array> | undefined;
  return async (alg, range) => {
    const bytes = await (once ??= content());
    if (file.size !== undefined && bytes.length !== file.size) throw new ModelSealError('IO_ERROR', 'content length differs from the listed size');
    return digestHex(alg, range ? bytes.subarray(range.start, range.end) : bytes, hashers);
  };
}

function planWholeFile(file: ListedFile, source: () => DigestSource | undefined, digest: string, alg: HashAlgorithm, result: FileResult, jobs: Job[]): void {
  const known = file.digests?.[alg];
  if (known !== undefined) {
    result.actual = known.toLowerCase();
    result.status = result.actual === digest ? 'verified' : 'mismatch';
    return;
  }
  const hash = source();
  if (!hash) {
    unchecked(result, file.unhashableReason ?? `no ${alg} digest available and the content cannot be read`, file.unhashableReason ? 'TOO_LARGE_TO_HASH' : 'IO_ERROR');
    return;
  }
  jobs.push(async () => {
    try {
      result.actual = (await hash(alg)).toLowerCase();
      result.status = result.actual === digest ? 'verified' : 'mismatch';
    } catch (e) {
      failJob(result, e);
    }
  });
}

function planShards(file: ListedFile, hash: DigestSource | undefined, shards: Map<string, string>, shardSize: number, alg: HashAlgorithm, result: FileResult, jobs: Job[]): void {
  if (file.size === undefined) {
    unchecked(result, 'file size unknown, needed for shard digests', 'IO_ERROR');
    return;
  }
  let ranges: ByteRange[];
  try {
    ranges = shardRanges(file.size, shardSize);
  } catch {
    unchecked(result, 'too many shards to check', 'TOO_LARGE_TO_HASH');
    return;
  }
  // The shard layout follows from the size: a different set of ranges means a different file.
  if (ranges.length !== shards.size || ranges.some((r) => !shards.has(`${r.start}:${r.end}`))) {
    result.status = 'mismatch';
    result.reason = `file size ${file.size} does not match the signed shards`;
    return;
  }
  if (!hash) {
    unchecked(result, file.unhashableReason ?? 'shard digests need the file content', file.unhashableReason ? 'TOO_LARGE_TO_HASH' : 'IO_ERROR');
    return;
  }
  let bad = 0;
  let done = 0;
  let readFailed = false;
  for (const r of ranges) {
    jobs.push(async () => {
      if (readFailed) return; // an earlier shard could not be read: the file stays unchecked
      try {
        const actual = (await hash(alg, r)).toLowerCase();
        if (actual !== shards.get(`${r.start}:${r.end}`)) {
          bad++;
          result.reason = `shard ${r.start}:${r.end} differs`;
        }
        if (++done === ranges.length) result.status = bad === 0 ? 'verified' : 'mismatch';
      } catch (e) {
        readFailed = true;
        failJob(result, e);
      }
    });
  }
}
