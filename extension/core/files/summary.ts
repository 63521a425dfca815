/** Turns per-file results into the one failure (if any) a verdict reports. */
import type { ErrorCode } from '../errors.js';
import type { FailureInfo, FileResult, FileStatus } from '../verdict.js';
import { isSymlinkViolation, uncheckedCode } from './check.js';

export type FileCounts = Record<FileStatus, number>;

export function countFiles(files: readonly FileResult[]): FileCounts {
  const c: FileCounts = { verified: 0, mismatch: 0, missing: 0, unsigned: 0, ignored: 0, unchecked: 0 };
  for (const f of files) c[f.status]++;
  return c;
}

export type FilesOutcome =
  | { kind: 'match' }
  | { kind: 'changed'; failure: FailureInfo }
  | { kind: 'unchecked'; failure: FailureInfo };

/** Changed files win over unchecked ones: a known difference is the stronger statement. */
export function filesOutcome(files: readonly FileResult[]): FilesOutcome {
  const c = countFiles(files);
  if (c.mismatch + c.missing + c.unsigned > 0) {
    const symlink = files.find(isSymlinkViolation);
    const parts: string[] = [];
    if (c.mismatch) parts.push(`${c.mismatch} changed`);
    if (c.missing) parts.push(`${c.missing} missing`);
    if (c.unsigned) parts.push(`${c.unsigned} not signed`);
    const code: ErrorCode = symlink ? 'SYMLINK_NOT_ALLOWED' : 'FILES_MISMATCH';
    const reason = symlink ? `${symlink.path} is a symbolic link and the signature does not allow symlinks` : `files differ from the signed manifest: ${parts.join(', ')}`;
    return { kind: 'changed', failure: { code, reason } };
  }
  if (c.unchecked > 0) {
    const first = files.find((f) => f.status === 'unchecked');
    const code = (first && uncheckedCode(first)) ?? 'IO_ERROR';
    return { kind: 'unchecked', failure: { code, reason: `${c.unchecked} file(s) could not be checked${first?.reason ? `: ${first.path}: ${first.reason}` : ''}` } };
  }
  return { kind: 'match' };
}
