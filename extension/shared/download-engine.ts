/**
 * The messages between the verified-download manager (background) and the download engine (the
 * offscreen document in Chromium, the event page itself in Firefox), and between the engine and its
 * dedicated download workers. Types only: every host imports them, none imports another's code.
 */
import type { HashAlgorithm } from '../core/hash/types.js';
import type { ErrorCode } from '../core/errors.js';
import type { ShardDigest, ShardMismatch } from '../core/hash/shard-plan.js';

/** One file to fetch, hash and keep only when it matches. */
export interface EngineJob {
  id: string;
  /** `/resolve/<commit>/<path>` on the hub itself. */
  url: string;
  algorithm: HashAlgorithm;
  /** Signed digest (lowercase hex) of the whole file; unused when `shards` is set. */
  expected: string;
  /**
   * A file signed by the `shards` method: each range's signed digest, sorted and tiling [0, size).
   * Each range is hashed on its own and compared as soon as its last byte is in; the last end is the
   * file's exact size (the stream must end there).
   */
  shards?: ShardDigest[];
  /** Hard stop: more bytes than this is a failure (the signed or served size + 1, else a global cap). */
  maxBytes: number;
  /** Pick up from the checkpoint kept in the private file system, when there is a usable one. */
  resume: boolean;
}

export interface EngineFailure {
  code: ErrorCode;
  reason: string;
  /** Which source is wrong, in words for the downloads page: e.g. "served bytes" vs "hub listing". */
  source?: 'served-bytes' | 'network' | 'hub' | 'size' | 'storage';
  /** Worth retrying as is (network error, truncated body): the checkpoint was kept. */
  retryable: boolean;
  /** A shard file: the range that did not match, and both digests. */
  shard?: ShardMismatch;
}

/** Manager → engine. */
export type EngineCommand =
  | { op: 'start'; job: EngineJob }
  | { op: 'cancel'; id: string }
  /** The browser has the file (or gave up on it): revoke the blob URL and delete the private copy. */
  | { op: 'release'; id: string }
  /** Forget a download's private copy and checkpoint (cleared, cancelled for good). */
  | { op: 'discard'; id: string }
  /** Delete every private copy but these (left over from a crash or a closed browser). */
  | { op: 'sweep'; keep: string[] };

/** Engine → manager. */
export type EngineEvent =
  | { op: 'progress'; id: string; received: number; size?: number; restartReason?: string; resumedFrom?: number }
  /** The digest matched: `blobUrl` is a disk-backed File of the private copy, for downloads.download. */
  | { op: 'verified'; id: string; received: number; actual: string; blobUrl: string }
  | { op: 'failed'; id: string; received: number; actual?: string; failure: EngineFailure }
  | { op: 'cancelled'; id: string; received: number }
  /** The engine (re)connected; `running`: the jobs it still has (any other active job is gone). */
  | { op: 'ready'; running: string[] };

/** Engine → one dedicated download worker. */
export type WorkerCommand = { op: 'start'; job: EngineJob } | { op: 'cancel' };

/** Worker → engine: progress, and the end (the engine turns `verified` into a blob URL). */
export type WorkerEvent =
  | { op: 'progress'; received: number; size?: number; restartReason?: string; resumedFrom?: number }
  | { op: 'verified'; received: number; actual: string }
  | { op: 'failed'; received: number; actual?: string; failure: EngineFailure }
  | { op: 'cancelled'; received: number };

/** Directory in the origin-private file system holding copies being downloaded. */
export const OPFS_DIR = 'verified-downloads';
export const dataFileName = (id: string): string => `${id}.part`;
export const checkpointFileName = (id: string): string => `${id}.ckpt`;

/** Name of the port the offscreen document opens to the service worker. */
export const ENGINE_PORT = 'modelseal-download-engine';
