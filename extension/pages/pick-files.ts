/**
 * What the user picked, as files with model-relative paths. Two routes: the File System Access
 * directory picker (walked here, bounded as it goes) and `<input type=file webkitdirectory>` /
 * `<input type=file multiple>` (the browser lists everything first; bounded right after). Neither
 * route shows symbolic links as links: the browser either leaves them out or hands over the file
 * they point to, so a signature's "no symlinks" rule cannot be enforced here (README).
 */
import { ModelSealError } from '../core/errors.js';
import { MAX_DISK_DEPTH, MAX_DISK_FILES, SKIPPED_FOLDERS, modelPaths } from '../core/files/disk-listing.js';

export interface PickedEntry {
  path: string;
  size: number;
  file: File;
}

export interface Picked {
  /** The picked folder's name (hostile text), or undefined for loose files. */
  folder?: string;
  entries: PickedEntry[];
}

/** The part of FileSystemDirectoryHandle we use (lib.dom's typing of `values()` varies by TS version). */
interface DirHandle {
  kind: 'directory';
  name: string;
  values(): AsyncIterable<DirHandle | FileHandle>;
}
interface FileHandle {
  kind: 'file';
  name: string;
  getFile(): Promise<File>;
}

export function hasDirectoryPicker(): boolean {
  return typeof (globalThis as { showDirectoryPicker?: unknown }).showDirectoryPicker === 'function';
}

/** Opens the directory picker and walks the folder. Throws AbortError when the user closes the picker. */
export async function pickDirectory(): Promise<Picked> {
  const picker = (globalThis as unknown as { showDirectoryPicker: (o?: object) => Promise<DirHandle> }).showDirectoryPicker;
  const root = await picker({ mode: 'read' });
  return { folder: root.name, entries: await walk(root) };
}

/** Breadth first, so a huge folder is refused after MAX_DISK_FILES files, not after listing them all. */
async function walk(root: DirHandle): Promise<PickedEntry[]> {
  const out: PickedEntry[] = [];
  const queue: Array<{ dir: DirHandle; prefix: string; depth: number }> = [{ dir: root, prefix: '', depth: 0 }];
  while (queue.length > 0) {
    const { dir, prefix, depth } = queue.shift() as { dir: DirHandle; prefix: string; depth: number };
    for await (const h of dir.values()) {
      const path = `${prefix}${h.name}`;
      if (h.kind === 'directory') {
        if (SKIPPED_FOLDERS.includes(h.name)) continue;
        if (depth + 1 >= MAX_DISK_DEPTH) throw new ModelSealError('TOO_MANY_FILES', `a path is more than ${MAX_DISK_DEPTH} folders deep`);
        queue.push({ dir: h, prefix: `${path}/`, depth: depth + 1 });
        continue;
      }
      if (out.length >= MAX_DISK_FILES) throw new ModelSealError('TOO_MANY_FILES', `the folder has more than ${MAX_DISK_FILES} files`);
      const file = await h.getFile();
      out.push({ path, size: file.size, file });
    }
  }
  return bounded(out, false);
}

/** Files from an `<input type=file>`: with `webkitdirectory` their paths start with the picked folder's name. */
export function fromFileList(list: ArrayLike<File>, directory: boolean): Picked {
  const entries: PickedEntry[] = [];
  for (let i = 0; i < list.length; i++) {
    const file = list[i] as File;
    entries.push({ path: directory && file.webkitRelativePath ? file.webkitRelativePath : file.name, size: file.size, file });
  }
  const folder = directory ? entries[0]?.path.split('/')[0] : undefined;
  return { ...(folder ? { folder } : {}), entries: bounded(entries, directory) };
}

function bounded(entries: PickedEntry[], stripPickedFolder: boolean): PickedEntry[] {
  return modelPaths(entries, { stripPickedFolder });
}
