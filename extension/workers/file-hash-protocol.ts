/**
 * The messages between the page's hash pool and a file-hash worker. A worker runs one job at a time;
 * cancelling is done by terminating the worker, so no job can keep reading after the user stopped it.
 */
import { isHashAlgorithm, type HashAlgorithm } from '../core/hash/types.js';

/** Hash `file` (or the byte range [start, end) of it) with `algorithm`. */
export interface HashJobRequest {
  type: 'hash';
  id: number;
  file: Blob;
  algorithm: HashAlgorithm;
  start?: number;
  end?: number;
}

export type HashWorkerReply =
  /** `bytes` more bytes were hashed since the last report. */
  | { type: 'progress'; id: number; bytes: number }
  | { type: 'done'; id: number; digest: string }
  /** `code`: a core error code when the failure has one (IO_ERROR for unreadable files). */
  | { type: 'error'; id: number; code: string; message: string };

const offset = (v: unknown): boolean => v === undefined || (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0);

export function isHashJobRequest(m: unknown): m is HashJobRequest {
  if (typeof m !== 'object' || m === null) return false;
  const r = m as Record<string, unknown>;
  return (
    r.type === 'hash' &&
    typeof r.id === 'number' &&
    Number.isSafeInteger(r.id) &&
    r.file instanceof Blob &&
    isHashAlgorithm(r.algorithm) &&
    offset(r.start) &&
    offset(r.end) &&
    (r.start === undefined) === (r.end === undefined) &&
    (r.start === undefined || (r.start as number) <= (r.end as number))
  );
}

export function isHashWorkerReply(m: unknown): m is HashWorkerReply {
  if (typeof m !== 'object' || m === null) return false;
  const r = m as Record<string, unknown>;
  if (typeof r.id !== 'number') return false;
  switch (r.type) {
    case 'progress':
      return typeof r.bytes === 'number' && r.bytes >= 0;
    case 'done':
      return typeof r.digest === 'string' && /^[0-9a-f]{64,128}$/.test(r.digest);
    case 'error':
      return typeof r.code === 'string' && typeof r.message === 'string';
    default:
      return false;
  }
}
