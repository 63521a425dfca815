/**
 * Manifest path rules (OMS spec §6.1): relative POSIX paths, no `..`, no absolute or backslash
 * paths, no empty or `.` components, no trailing slash. A hostile manifest must not be able to
 * name a file outside the model or two spellings of the same file.
 */
import { ModelSealError } from '../errors.js';
import { MAX_PATH_LENGTH } from './limits.js';

function invalid(path: string, why: string): never {
  throw new ModelSealError('RESOURCE_PATH_INVALID', `manifest path ${JSON.stringify(path.slice(0, 200))} ${why}`);
}

/** Throws RESOURCE_PATH_INVALID unless `path` is a canonical relative POSIX path (or exactly "."). */
export function assertManifestPath(path: string): void {
  if (path.length === 0) invalid(path, 'is empty');
  if (path.length > MAX_PATH_LENGTH) invalid(path, 'is too long');
  if (path === '.') return; // single-file model, checked by the caller
  if (path.includes('\\')) invalid(path, 'contains a backslash');
  if (path.includes('\0')) invalid(path, 'contains a NUL character');
  if (path.startsWith('/')) invalid(path, 'is absolute');
  if (/^[A-Za-z]:/.test(path)) invalid(path, 'looks like a drive path');
  for (const part of path.split('/')) {
    if (part === '') invalid(path, 'has an empty component or trailing slash');
    if (part === '..') invalid(path, 'leaves the model directory');
    if (part === '.') invalid(path, 'is not canonical (has a "." component)');
  }
}

/**
 * Normalizes an ignore path (signed `ignore_paths` or a caller's list): "./x/" → "x". Rejects the
 * same hostile forms as manifest paths, and "." (which would ignore the whole model).
 */
export function normalizeIgnorePath(raw: string): string {
  let p = raw;
  while (p.startsWith('./')) p = p.slice(2);
  p = p.replace(/\/+$/, '').replace(/\/{2,}/g, '/');
  if (p === '' || p === '.') invalid(raw, 'would ignore the whole model');
  assertManifestPath(p);
  return p;
}

/** True when `path` equals `prefix` or lies under it as a directory (component-wise prefix). */
export function isUnder(path: string, prefix: string): boolean {
  return path === prefix || (path.length > prefix.length && path.startsWith(prefix) && path.charCodeAt(prefix.length) === 0x2f);
}
