/**
 * The one judgement of per-file results against a signed manifest, used by both deciders (the CLI's
 * verifyModel and the hub's trust decide()): which files break "these are the signed files", which
 * could not be checked, which no signature covers, and so whether the files are verified.
 */
import type { FileResult } from '../verdict.js';

export interface FilesJudgement {
  /** Differ from the manifest: changed, missing, or not signed (unless per-file signatures apply). */
  changed: FileResult[];
  /** Present but not compared (too large, budget used up, read failed…). */
  unchecked: FileResult[];
  /** Per-file signatures only: files no signature covers. */
  uncovered: FileResult[];
  /** Every file present is covered, checked and matches: the only file outcome `verified` allows. */
  verified: boolean;
}

export interface JudgeOptions {
  /** Per-file signatures: a file no signature covers is uncovered (partly signed), not changed. */
  ignoreUnsignedFiles?: boolean;
}

export function judgeFiles(files: readonly FileResult[], options: JudgeOptions = {}): FilesJudgement {
  const ignoreUnsigned = options.ignoreUnsignedFiles === true;
  const changed = files.filter((f) => f.status === 'mismatch' || f.status === 'missing' || (f.status === 'unsigned' && !ignoreUnsigned));
  const unchecked = files.filter((f) => f.status === 'unchecked');
  const uncovered = ignoreUnsigned ? files.filter((f) => f.status === 'unsigned') : [];
  return { changed, unchecked, uncovered, verified: changed.length === 0 && unchecked.length === 0 && uncovered.length === 0 };
}
