/**
 * The files a user picked on their own disk, as the core's listing. The browser hands over paths
 * and sizes (never links: see README); this module bounds the work (file count, path depth and
 * length) and turns the picker's paths into model-relative POSIX paths. File bytes stay where they
 * are: each listed file is hashed through the DigestSource the caller gives (workers in the page).
 */
import { ModelSealError } from '../errors.js';
import { MAX_PATH_LENGTH } from '../oms/limits.js';
import type { DigestSource, ListedFile } from './listing.js';

/** Files one disk check takes; a folder with more is refused before anything is read. */
export const MAX_DISK_FILES = 20_000;
/** Folder levels below the picked folder. */
export const MAX_DISK_DEPTH = 32;
/** Folders never walked: git's object store can hold millions of files and is never part of a model. */
export const SKIPPED_FOLDERS: readonly string[] = ['.git'];

export interface PickedFile {
  /** Path as the picker gave it, '/'-separated (`webkitRelativePath` includes the picked folder's name). */
  path: string;
  size: number;
}

function checkPath(path: string): void {
  if (path.length === 0 || path.length > MAX_PATH_LENGTH) throw new ModelSealError('TOO_MANY_FILES', `a path is empty or longer than ${MAX_PATH_LENGTH} characters`);
  const parts = path.split('/');
  if (parts.length > MAX_DISK_DEPTH) throw new ModelSealError('TOO_MANY_FILES', `a path is more than ${MAX_DISK_DEPTH} folders deep`);
  if (parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\0'))) throw new ModelSealError('RESOURCE_PATH_INVALID', 'a picked path has an empty, "." or ".." part');
}

/** Whether a path lies in a folder that is never walked. */
export function inSkippedFolder(path: string): boolean {
  return path.split('/').some((p) => SKIPPED_FOLDERS.includes(p));
}

/**
 * Model-relative paths: when every path starts with the same folder (the picked folder's own name,
 * as `<input webkitdirectory>` reports), that folder is removed. Throws TOO_MANY_FILES past the bounds.
 */
export function modelPaths<T extends PickedFile>(picked: readonly T[], { stripPickedFolder }: { stripPickedFolder: boolean }): T[] {
  const kept = picked.filter((f) => !inSkippedFolder(f.path));
  if (kept.length > MAX_DISK_FILES) throw new ModelSealError('TOO_MANY_FILES', `the folder has ${kept.length} files; a check here takes at most ${MAX_DISK_FILES}`);
  let out: T[] = kept;
  if (stripPickedFolder) {
    const first = kept[0]?.path.split('/')[0];
    if (first !== undefined && kept.every((f) => f.path.startsWith(`${first}/`))) out = kept.map((f) => ({ ...f, path: f.path.slice(first.length + 1) }));
  }
  const seen = new Set<string>();
  for (const f of out) {
    checkPath(f.path);
    if (!Number.isSafeInteger(f.size) || f.size < 0) throw new ModelSealError('IO_ERROR', 'a picked file has no valid size');
    if (seen.has(f.path)) throw new ModelSealError('RESOURCE_DUPLICATE', 'the same path was picked twice');
    seen.add(f.path);
  }
  return out;
}

/** The listing checkFiles takes: path, size and how to hash each file. */
export function diskListing<T extends PickedFile>(files: readonly T[], hashOf: (file: T) => DigestSource): ListedFile[] {
  return files.map((f) => ({ path: f.path, size: f.size, hash: hashOf(f) }));
}
