/** Turns per-file results into the one failure (if any) a verdict reports. */
import type { ErrorCode } from '../errors.js';
import type { FailureInfo, FileResult, FileStatus } from '../verdict.js';
import { plainLine } from '../display/identity-text.js';
import { isSymlinkViolation, uncheckedCode } from './check.js';
import { judgeFiles } from './judgement.js';

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

/** Paths named in a failure's `files` parameter; the `count` parameter says how many there are in all. */
const MAX_LISTED = 5;

/** A short, one-line list of paths (hostile text made visible and cut), for the `files` parameter. */
export function listPaths(files: readonly FileResult[]): string {
  const names = files.slice(0, MAX_LISTED).map((f) => plainLine(f.path, 80));
  return files.length > MAX_LISTED ? `${names.join(', ')}, …` : names.join(', ');
}

/**
 * Changed files win over unchecked ones: a known difference is the stronger statement. `params`
 * (`count`, `files`) let UIs word the failure in their language; `reason` is the CLI's English.
 */
export function filesOutcome(files: readonly FileResult[]): FilesOutcome {
  const c = countFiles(files);
  const judged = judgeFiles(files);
  if (judged.verified) return { kind: 'match' };
  if (judged.changed.length > 0) {
    const symlink = files.find(isSymlinkViolation);
    if (symlink) {
      const reason = `${symlink.path} is a symbolic link and the signature does not allow symlinks`;
      return { kind: 'changed', failure: { code: 'SYMLINK_NOT_ALLOWED', reason, params: { files: plainLine(symlink.path, 200) } } };
    }
    const parts: string[] = [];
    if (c.mismatch) parts.push(`${c.mismatch} changed`);
    if (c.missing) parts.push(`${c.missing} missing`);
    if (c.unsigned) parts.push(`${c.unsigned} not signed`);
    const changed = judged.changed;
    const reason = `files differ from the signed manifest: ${parts.join(', ')}`;
    return { kind: 'changed', failure: { code: 'FILES_MISMATCH', reason, params: { count: changed.length, files: listPaths(changed) } } };
  }
  // Not verified and nothing changed: some files were not checked.
  const unchecked = judged.unchecked;
  const first = unchecked[0];
  const code: ErrorCode = (first && uncheckedCode(first)) ?? 'IO_ERROR';
  const what = `${c.unchecked} file${c.unchecked === 1 ? '' : 's'} could not be checked`;
  const reason = `${what}${first?.reason ? `: ${first.path}: ${first.reason}` : ''}`;
  return { kind: 'unchecked', failure: { code, reason, params: { count: unchecked.length, files: listPaths(unchecked) } } };
}
