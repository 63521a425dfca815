/**
 * Checking a verified signature against a lock: only the exact locked content passes. Same repo,
 * same signer, same manifest header (format, method, hash, shard size, symlinks, ignore paths) and
 * the same resources in the same order with the same digests. A valid signature by the same signer
 * over anything else is refused: the lock, not the signer, authorizes content.
 */
import { ModelSealError, type ErrorCode } from '../errors.js';
import { plainLine } from '../display/identity-text.js';
import type { RepoKind } from '../hubs/adapter.js';
import type { FailureInfo, Signer } from '../verdict.js';
import { describeSigner, sameSigner } from '../trust/signer.js';
import type { LockContent, LockDocument, LockFileEntry, LockManifest } from './types.js';

/** What was verified: the signer and content of one signature, and the repo when it came from a hub. */
export interface LockSubject {
  /** Absent for a model on disk: nothing to compare the lock's repo with. */
  repo?: { hub: string; kind: RepoKind; repo: string };
  signer: Signer;
  content: LockContent;
}

export type LockComparison = { matches: true } | { matches: false; failure: FailureInfo };

const MAX_LISTED = 5;

function entryKey(f: LockFileEntry): string {
  return f.range ? `${f.path}:${f.range.start}:${f.range.end}` : f.path;
}

function headerDifference(a: LockManifest, b: LockManifest): string | undefined {
  if (a.predicateType !== b.predicateType) return 'signature format';
  if (a.method !== b.method || a.shardSize !== b.shardSize) return 'serialization method';
  if (a.hashType !== b.hashType) return 'hash algorithm';
  if (a.allowSymlinks !== b.allowSymlinks) return 'symlink setting';
  if (a.ignorePaths.length !== b.ignorePaths.length || a.ignorePaths.some((p, i) => p !== b.ignorePaths[i])) return 'signed ignore paths';
  return undefined;
}

/** Paths added, removed or with another digest, in the order the new manifest lists them. */
function differingPaths(locked: readonly LockFileEntry[], seen: readonly LockFileEntry[]): string[] {
  const mine = new Map(locked.map((f) => [entryKey(f), f]));
  const out = new Set<string>();
  for (const f of seen) {
    const had = mine.get(entryKey(f));
    if (!had || had.digest !== f.digest || had.algorithm !== f.algorithm) out.add(f.path);
  }
  const theirs = new Set(seen.map(entryKey));
  for (const f of locked) if (!theirs.has(entryKey(f))) out.add(f.path);
  return [...out];
}

function fail(code: ErrorCode, reason: string, params?: FailureInfo['params']): LockComparison {
  return { matches: false, failure: { code, reason, ...(params ? { params } : {}) } };
}

export function compareWithLock(subject: LockSubject, lock: LockDocument): LockComparison {
  const r = subject.repo;
  if (r && (r.hub !== lock.hub || r.kind !== lock.kind || r.repo.toLowerCase() !== lock.repo.toLowerCase())) {
    return fail('LOCK_OTHER_REPO', `the lock is for ${plainLine(lock.repo, 100)} on ${plainLine(lock.hub, 100)}, not this repo`);
  }
  if (!sameSigner(subject.signer, lock.signer)) {
    return fail('LOCK_SIGNER_MISMATCH', `signed by ${describeSigner(subject.signer)}, but the lock names ${describeSigner(lock.signer)}`, { signer: describeSigner(lock.signer) });
  }
  const paths = differingPaths(lock.files, subject.content.files);
  const sameOrder = lock.files.length === subject.content.files.length && lock.files.every((f, i) => entryKey(f) === entryKey(subject.content.files[i] as LockFileEntry));
  // The root digest commits to the digests in order: the same files listed in another order are other content.
  const header = headerDifference(lock.manifest, subject.content.manifest) ?? (paths.length === 0 && !sameOrder ? 'file order' : undefined);
  if (!header && paths.length === 0 && lock.manifest.rootDigest === subject.content.manifest.rootDigest) return { matches: true };
  const shown = paths.slice(0, MAX_LISTED).map((p) => plainLine(p, 80)).join(', ') + (paths.length > MAX_LISTED ? ` (+${paths.length - MAX_LISTED} more)` : '');
  const what = header ? `its ${header} differs` : `${paths.length} file${paths.length === 1 ? ' differs' : 's differ'}: ${shown}`;
  return fail(
    'LOCK_MISMATCH',
    `the signed content differs from your lock of commit ${lock.commit.slice(0, 12)} (root ${subject.content.manifest.rootDigest.slice(0, 12)}…, locked ${lock.manifest.rootDigest.slice(0, 12)}…): ${what}`,
    header ? undefined : { count: paths.length, files: shown },
  );
}

/** compareWithLock for callers that stop on the first problem: throws the failure as a ModelSealError. */
export function checkAgainstLock(subject: LockSubject, lock: LockDocument): void {
  const c = compareWithLock(subject, lock);
  if (!c.matches) throw new ModelSealError(c.failure.code, c.failure.reason, c.failure.params);
}
