// Model files on disk and as a Hugging Face tree listing, for hub fixtures: `lfs.oid` is the
// SHA-256 of the content, the top-level `oid` is the git blob SHA-1 (of the LFS pointer for LFS
// files), directories are listed too, as `GET /api/models/{repo}/tree/{rev}?recursive=true` does.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sha1 } from '@noble/hashes/legacy.js';
import { concat, hex, sha256, utf8 } from './bytes.js';
import type { FileContent, FileMap } from './model.js';

const bytesOf = (c: FileContent): Uint8Array => (typeof c === 'string' ? utf8(c) : c);

/** Writes `files` under `dir` (creating directories); returns `dir`. */
export function writeModel(dir: string, files: FileMap): string {
  mkdirSync(dir, { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    const abs = join(dir, ...path.split('/'));
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, bytesOf(content));
  }
  return dir;
}

export interface HubTreeItem {
  type: 'file' | 'directory';
  oid: string;
  size: number;
  path: string;
  lfs?: { oid: string; size: number; pointerSize: number };
}

/** Git blob id: SHA-1 over "blob <len>\0" + content. */
export const gitBlobSha1 = (content: Uint8Array): string =>
  hex(sha1(concat(utf8(`blob ${content.length}\0`), content)));

export const lfsPointer = (content: Uint8Array): string =>
  `version https://git-lfs.github.com/spec/v1\noid sha256:${hex(sha256(content))}\nsize ${content.length}\n`;

const LFS_EXTENSIONS = /\.(safetensors|bin|gguf|pt|pth|ckpt|h5|onnx|msgpack|pkl|npz|tflite|ot|model)$/;

export interface HubTreeOptions {
  /** Which files are stored in LFS; default: model weight extensions or at least 10 MiB. */
  isLfs?: (path: string, size: number) => boolean;
}

/** The recursive tree listing the Hub returns for these files (directories first per level, then by path). */
export function hubTree(files: FileMap, opts: HubTreeOptions = {}): HubTreeItem[] {
  const isLfs = opts.isLfs ?? ((p: string, size: number) => LFS_EXTENSIONS.test(p) || size >= 10 * 1024 * 1024);
  const items: HubTreeItem[] = [];
  const dirs = new Set<string>();
  for (const [path, content] of Object.entries(files)) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
    const data = bytesOf(content);
    if (isLfs(path, data.length)) {
      const pointer = utf8(lfsPointer(data));
      items.push({
        type: 'file',
        oid: gitBlobSha1(pointer),
        size: data.length,
        path,
        lfs: { oid: hex(sha256(data)), size: data.length, pointerSize: pointer.length },
      });
    } else {
      items.push({ type: 'file', oid: gitBlobSha1(data), size: data.length, path });
    }
  }
  for (const d of dirs) items.push({ type: 'directory', oid: hex(sha1(utf8(`tree:${d}`))), size: 0, path: d });
  return items.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
