/**
 * Lists a model directory (or one file) for the core: POSIX paths relative to the root, sizes,
 * symlink flags and a streaming digest source per file. Directories excluded by ignore paths are
 * pruned (git metadata can be huge); the core still decides what every listed file means.
 */
import { lstat, opendir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ModelSealError } from '../core/errors.js';
import type { IgnoreMatcher } from '../core/files/ignore.js';
import type { ListedFile } from '../core/files/listing.js';
import type { DigestSource } from '../core/files/listing.js';
import { fileDigestSource } from './node-hasher.js';

/** Makes the digest source for one file (default: streaming on the main thread). */
export type SourceFactory = (absPath: string) => DigestSource;

const MAX_FILES = 1_000_000;
const MAX_DEPTH = 256;

export interface NodeListing {
  files: ListedFile[];
  singleFile: boolean;
}

async function listedFile(abs: string, rel: string, isLink: boolean, sources: SourceFactory): Promise<ListedFile> {
  let size: number | undefined;
  try {
    size = (await stat(abs)).size;
  } catch {
    size = undefined; // dangling symlink: hashing will fail and the file stays unchecked
  }
  return { path: rel, ...(size !== undefined ? { size } : {}), ...(isLink ? { symlink: true } : {}), hash: sources(abs) };
}

export async function listModel(modelPath: string, prune?: IgnoreMatcher, sources: SourceFactory = (p) => fileDigestSource(p)): Promise<NodeListing> {
  const top = await lstat(modelPath);
  if (!top.isDirectory() && (await stat(modelPath)).isFile()) {
    return { files: [await listedFile(modelPath, basename(modelPath), top.isSymbolicLink(), sources)], singleFile: true };
  }
  const files: ListedFile[] = [];
  const walk = async (dirAbs: string, dirRel: string, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH) throw new ModelSealError('IO_ERROR', `directory tree deeper than ${MAX_DEPTH}`);
    const dir = await opendir(dirAbs);
    for await (const entry of dir) {
      const rel = dirRel ? `${dirRel}/${entry.name}` : entry.name;
      const abs = join(dirAbs, entry.name);
      if (entry.isDirectory()) {
        if (!prune?.matches(rel)) await walk(abs, rel, depth + 1);
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        if (files.length >= MAX_FILES) throw new ModelSealError('TOO_MANY_RESOURCES', `more than ${MAX_FILES} files in the model`);
        files.push(await listedFile(abs, rel, entry.isSymbolicLink(), sources));
      } else {
        throw new ModelSealError('IO_ERROR', `${rel} is neither a file nor a directory`);
      }
    }
  };
  await walk(modelPath, '', 0);
  return { files, singleFile: false };
}
