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
  /**
   * Which `unsigned` files lie outside every signature's scope (folder and per-file signatures), so are
   * uncovered rather than added after signing. Overrides `ignoreUnsignedFiles` when given.
   */
  isUncovered?: (f: FileResult) => boolean;
}

export function judgeFiles(files: readonly FileResult[], options: JudgeOptions = {}): FilesJudgement {
  const outside = options.isUncovered ?? (() => options.ignoreUnsignedFiles === true);
  const isUncovered = (f: FileResult) => f.status === 'unsigned' && outside(f);
  const changed = files.filter((f) => f.status === 'mismatch' || f.status === 'missing' || (f.status === 'unsigned' && !isUncovered(f)));
  const unchecked = files.filter((f) => f.status === 'unchecked');
  const uncovered = files.filter(isUncovered);
  return { changed, unchecked, uncovered, verified: changed.length === 0 && unchecked.length === 0 && uncovered.length === 0 };
}
