/**
 * Opens a file for reading only if it is a regular file. The check is an `fstat` on the opened
 * handle, so nothing can swap the path between check and read. O_NONBLOCK keeps open() itself from
 * waiting for a writer when the path is (or links to) a FIFO; reads from regular files ignore it.
 */
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { ModelSealError } from '../core/errors.js';

// Windows has no O_NONBLOCK (and no FIFOs reachable this way).
export const READ_NONBLOCK = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

function kind(s: Stats): string {
  if (s.isFIFO()) return 'a FIFO';
  if (s.isDirectory()) return 'a directory';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isSocket()) return 'a socket';
  return 'a special file';
}

/** The open handle and its size; throws IO_ERROR (handle closed) for anything but a regular file. */
export async function openRegular(path: string): Promise<{ fh: FileHandle; size: number }> {
  const fh = await open(path, READ_NONBLOCK);
  try {
    const s = await fh.stat();
    if (!s.isFile()) throw new ModelSealError('IO_ERROR', `not a regular file (${kind(s)})`);
    return { fh, size: s.size };
  } catch (e) {
    await fh.close();
    throw e;
  }
}

/** Reads a whole regular file of at most `max` bytes; `tooLarge` names the error to throw beyond it. */
export async function readRegular(path: string, max: number, tooLarge: (size: number) => Error): Promise<Buffer> {
  const { fh, size } = await openRegular(path);
  try {
    if (size > max) throw tooLarge(size);
    const buf = Buffer.allocUnsafe(size);
    let pos = 0;
    while (pos < size) {
      const { bytesRead } = await fh.read(buf, pos, size - pos, pos);
      if (bytesRead === 0) break;
      pos += bytesRead;
    }
    return buf.subarray(0, pos);
  } finally {
    await fh.close();
  }
}
