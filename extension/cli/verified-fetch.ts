/**
 * One file of a signed revision onto disk, verified: streamed from `/resolve/<commit>/<path>` into
 * `.<name>.modelseal-partial` beside its final name, hashed as it streams against the signed digests,
 * and renamed to its final name only when every digest matches. Nothing unverified ever has the
 * final name.
 *
 * Resumption: a partial file left by an earlier run (or by a dropped connection in this one) is
 * continued with a Range request. Its kept prefix is re-hashed from disk first rather than restoring
 * a saved hasher state: node:crypto cannot export a hash state, and the bytes on disk are the truth
 * (a run killed mid-write leaves a partial that a saved state would not describe); reading back
 * runs at disk speed, far above the network. A server that ignores Range (200 instead of 206, or a
 * 206 for other bytes) restarts the file from byte 0, and says so.
 *
 * On failure: a digest mismatch deletes the partial (those bytes are wrong; resuming from them could
 * never succeed); a network failure, timeout or truncated body keeps it for the next run and says
 * where. 429 and 5xx answers are retried a bounded number of times, waiting as `Retry-After` (or the
 * Hub's `RateLimit` header) says, up to a cap.
 */
import { lstat, mkdir, open, realpath, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, relative, sep, isAbsolute } from 'node:path';
import { ModelSealError, asModelSealError, type ErrorCode } from '../core/errors.js';
import type { FetchLike } from '../core/env.js';
import type { HasherFactory } from '../core/hash/types.js';
import { parseRetryAfterSeconds } from '../core/hubs/huggingface/http.js';
import type { FileTarget } from './download-targets.js';
import { StreamDigester, type DigestResult } from './stream-digester.js';

export const PARTIAL_SUFFIX = '.modelseal-partial';
/** Where a file found under a final name but not matching the signature is moved (never deleted). */
export const REJECTED_SUFFIX = '.modelseal-rejected';
const MAX_REDIRECTS = 5;
const WRITE_BATCH = 4 * 1024 * 1024;
const READ_CHUNK = 4 * 1024 * 1024;

export interface FetchFileOptions {
  /** The file's URL on the hub at the verified commit. */
  url: string;
  commit: string;
  fetch: FetchLike;
  /** Real path of the download directory. */
  root: string;
  hashers: HasherFactory;
  /** Attempts after the first, for 429, 5xx, dropped or truncated connections. */
  retries: number;
  /** A response that sends nothing for this long is dropped (and retried). */
  idleTimeoutMs: number;
  /** A server asking to wait longer than this is not waited for. */
  maxRetryWaitSeconds: number;
  /** fsync each file before renaming it into place (default on; `--no-fsync` turns it off). */
  sync: boolean;
  sleep?: (ms: number) => Promise<void>;
  onBytes?: (n: number) => void;
  note?: (message: string) => void;
}

export type FileOutcome =
  | {
      path: string;
      status: 'verified';
      how: 'downloaded' | 'already-present';
      bytes: number;
      results: DigestResult[];
      /** Byte a kept partial was resumed from (its prefix re-hashed from disk). */
      resumedFrom?: number;
      /** Why the file was fetched again from byte 0. */
      restarted?: string;
    }
  | { path: string; status: 'mismatch'; bytes: number; result: DigestResult; servedBy: string }
  | { path: string; status: 'failed'; code: ErrorCode; reason: string; bytes: number; kept?: string };

/** The local path of a repo path under `root`; hostile paths (absolute, `..`, backslashes) are refused. */
export function localPath(root: string, repoPath: string): string {
  const segments = repoPath.split('/');
  if (repoPath.length === 0 || repoPath.length > 4096 || segments.some((s) => s === '' || s === '.' || s === '..' || s.includes('\\') || s.includes('\0'))) {
    throw new ModelSealError('RESOURCE_PATH_INVALID', 'unsafe file path');
  }
  const p = join(root, ...segments);
  const rel = relative(root, p);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) throw new ModelSealError('RESOURCE_PATH_INVALID', 'file path leaves the download folder');
  return p;
}

export function partialPathOf(finalPath: string): string {
  return join(dirname(finalPath), `.${basename(finalPath)}${PARTIAL_SUFFIX}`);
}

class Restart extends Error {}
class TooLong extends Error {}

/** Hashes `[0, upto)` of a file on disk into the digester. */
async function hashFromDisk(path: string, upto: number, digester: StreamDigester): Promise<void> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(READ_CHUNK);
    let pos = 0;
    while (pos < upto) {
      const { bytesRead } = await fh.read(buf, 0, Math.min(READ_CHUNK, upto - pos), pos);
      if (bytesRead === 0) throw new ModelSealError('IO_ERROR', 'file shrank while reading');
      digester.update(buf.subarray(0, bytesRead));
      pos += bytesRead;
    }
  } finally {
    await fh.close();
  }
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * `fresh`: ignore any kept partial. A resumed file whose digest fails is fetched once more from byte
 * 0 this way: the kept prefix (from an older revision, another tool, a lying server before) may have
 * been the part that was wrong.
 */
export async function fetchVerifiedFile(target: FileTarget, opts: FetchFileOptions, fresh = false): Promise<FileOutcome> {
  const finalPath = localPath(opts.root, target.path);
  const partial = partialPathOf(finalPath);
  const shown = relative(process.cwd(), partial) || partial;
  const newDigester = () => new StreamDigester(target.expectations, target.size, opts.hashers);
  try {
    await mkdir(dirname(finalPath), { recursive: true });
    // A symlinked folder inside the download directory must not carry writes elsewhere.
    const realDir = await realpath(dirname(finalPath));
    if (realDir !== opts.root && !realDir.startsWith(opts.root + sep)) throw new ModelSealError('RESOURCE_PATH_INVALID', `${target.path}: its folder leads outside the download folder`);

    // A final file that already holds the signed bytes is not fetched again. Anything else under
    // the final name is moved aside first, so a failure later cannot leave it looking downloaded.
    const existing = await lstat(finalPath).catch(() => undefined);
    if (existing) {
      if (existing.isFile() && existing.size === target.size) {
        const d = newDigester();
        await hashFromDisk(finalPath, target.size, d);
        const results = d.results();
        if (results.every((r) => r.ok)) return { path: target.path, status: 'verified', how: 'already-present', bytes: 0, results };
      }
      const aside = join(dirname(finalPath), `.${basename(finalPath)}${REJECTED_SUFFIX}`);
      await rename(finalPath, aside);
      opts.note?.(`${target.path}: the file on disk is not the signed one; moved aside to ${relative(process.cwd(), aside) || aside} and downloading it again`);
    }

    let digester = newDigester();
    let pos = 0;
    const kept = await lstat(partial).catch(() => undefined);
    if (!fresh && kept?.isFile() && kept.size <= target.size && kept.size > 0) {
      await hashFromDisk(partial, kept.size, digester);
      pos = kept.size;
    } else if (kept) {
      await unlink(partial);
    }
    const resumedFrom = pos > 0 ? pos : undefined;
    if (resumedFrom) opts.note?.(`${target.path}: resuming from byte ${pos} of ${target.size} (kept prefix re-hashed from disk)`);

    const fh = await open(partial, pos > 0 ? 'r+' : 'w');
    let restarted: string | undefined;
    let servedBy = new URL(opts.url).host;
    let bytes = 0;
    try {
      let attempt = 0;
      let restarts = 0;
      // An empty file needs no bytes: its signed digest is the empty input's, checked below.
      while (pos < target.size) {
        let failure: ModelSealError | undefined;
        let waitSeconds: number | undefined;
        try {
          const { res, url } = await request(opts, pos);
          servedBy = new URL(url).host;
          const restart = async (why: string) => {
            await res.body?.cancel().catch(() => undefined);
            return new Restart(why);
          };
          if (pos > 0 && res.status === 200) throw await restart('the server ignored the Range request (answered 200)');
          if (res.status === 416 && pos > 0) throw await restart('the server refused the Range request (416)');
          if (res.status === 206) {
            const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(res.headers.get('content-range') ?? '');
            if (!m || Number(m[1]) !== pos) throw await restart(`the server answered the Range request with other bytes (${(res.headers.get('content-range') ?? 'no Content-Range').slice(0, 80)})`);
          } else if (res.status !== 200) {
            const err = statusFailure(res, url);
            waitSeconds = err.details?.retryAfterSeconds as number | undefined;
            await res.body?.cancel().catch(() => undefined);
            throw err;
          }
          const got = await stream(res, fh, pos, target.size, digester, opts);
          pos += got.bytes;
          bytes += got.bytes;
          if (got.error) throw got.error;
          if (pos < target.size) throw new ModelSealError('NETWORK_ERROR', `truncated: the connection ended at byte ${pos} of ${target.size}`);
        } catch (e) {
          if (e instanceof Restart) {
            if (++restarts > 2) throw new ModelSealError('RESPONSE_MALFORMED', `${e.message}; gave up restarting`);
            restarted = `${e.message}; restarted from byte 0`;
            opts.note?.(`${target.path}: ${restarted}`);
            await fh.truncate(0);
            digester = newDigester();
            pos = 0;
            // The restart itself is not a failed attempt: fetch again at once, without Range.
            continue;
          }
          if (e instanceof TooLong) {
            await fh.close().catch(() => undefined);
            await unlink(partial).catch(() => undefined);
            return { path: target.path, status: 'mismatch', bytes, servedBy, result: { ok: false, algorithm: target.expectations[0]?.algorithm ?? 'sha256', expected: `${target.size} bytes`, actual: `more than ${target.size} bytes` } };
          }
          failure = asModelSealError(e, 'NETWORK_ERROR');
        }
        if (!failure) continue;
        if (!retryable(failure.code) || attempt >= opts.retries) throw failure;
        attempt++;
        const wait = waitSeconds ?? Math.min(30, 2 ** (attempt - 1));
        if (wait > opts.maxRetryWaitSeconds) throw failure;
        opts.note?.(`${target.path}: ${failure.message}; retrying in ${wait} s (attempt ${attempt + 1} of ${opts.retries + 1})${pos > 0 ? `, from byte ${pos}` : ''}`);
        await (opts.sleep ?? defaultSleep)(wait * 1000);
      }
      // Durable before the rename: after a crash the final name never holds bytes that did not reach the disk.
      if (opts.sync) await fh.sync();
    } catch (e) {
      await fh.close().catch(() => undefined);
      const err = asModelSealError(e, 'IO_ERROR');
      const size = (await lstat(partial).catch(() => undefined))?.size ?? 0;
      if (size > 0) return { path: target.path, status: 'failed', code: err.code, reason: err.message, bytes, kept: shown };
      await unlink(partial).catch(() => undefined);
      return { path: target.path, status: 'failed', code: err.code, reason: err.message, bytes };
    }
    await fh.close();
    const results = digester.results();
    const bad = results.find((r) => !r.ok);
    if (bad) {
      await unlink(partial);
      if (resumedFrom && !restarted) {
        opts.note?.(`${target.path}: the resumed file does not match the signature; the kept prefix may have been wrong: fetching it again from byte 0`);
        return fetchVerifiedFile(target, opts, true);
      }
      return { path: target.path, status: 'mismatch', bytes, result: bad, servedBy };
    }
    await rename(partial, finalPath);
    return { path: target.path, status: 'verified', how: 'downloaded', bytes, results, ...(resumedFrom ? { resumedFrom } : {}), ...(restarted ? { restarted } : {}) };
  } catch (e) {
    const err = asModelSealError(e, 'IO_ERROR');
    return { path: target.path, status: 'failed', code: err.code, reason: err.message, bytes: 0 };
  }
}

function retryable(code: ErrorCode): boolean {
  return code === 'NETWORK_ERROR' || code === 'TIMEOUT' || code === 'RATE_LIMITED';
}

function statusFailure(res: Response, url: string): ModelSealError {
  const s = res.status;
  const details = { status: s, url };
  if (s === 429) return new ModelSealError('RATE_LIMITED', 'the hub is rate limiting downloads (429)', { ...details, retryAfterSeconds: parseRetryAfterSeconds(res.headers, Date.now()) });
  if (s >= 500) return new ModelSealError('NETWORK_ERROR', `the server answered ${s}`, { ...details, retryAfterSeconds: parseRetryAfterSeconds(res.headers, Date.now()) });
  if (s === 401 || s === 403) return new ModelSealError('AUTH_REQUIRED', `the hub refused the download (${s}): sign in (HF_TOKEN or --token) for gated or private repos`, details);
  if (s === 404) return new ModelSealError('NOT_FOUND', 'the file is not on the hub at this commit (404)', details);
  return new ModelSealError('RESPONSE_MALFORMED', `unexpected answer ${s}`, details);
}

/** GET with redirects followed by hand: each hop is checked, and only the hub's origin gets the token (authorizedFetch). */
async function request(opts: FetchFileOptions, from: number): Promise<{ res: Response; url: string }> {
  let current = opts.url;
  for (let hop = 0; ; hop++) {
    const headers: Record<string, string> = { 'accept-encoding': 'identity' };
    if (from > 0) headers.range = `bytes=${from}-`;
    let res: Response;
    // Bounds the wait for the answer's headers only; the body has its own idle timeout (stream()).
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), opts.idleTimeoutMs);
    try {
      res = await opts.fetch(current, { method: 'GET', redirect: 'manual', headers, signal: ctl.signal });
    } catch (e) {
      throw new ModelSealError(isTimeout(e) ? 'TIMEOUT' : 'NETWORK_ERROR', `could not reach ${new URL(current).host}${isTimeout(e) ? ' in time' : ''}`, { url: current });
    } finally {
      clearTimeout(timer);
    }
    // The hub names the commit it serves; any other commit is not the verified revision.
    const served = res.headers.get('x-repo-commit');
    if (served && served.toLowerCase() !== opts.commit) {
      await res.body?.cancel().catch(() => undefined);
      throw new ModelSealError('RESPONSE_MALFORMED', `the hub served the file from another commit (${served.slice(0, 40)})`, { url: current });
    }
    if (res.status < 300 || res.status >= 400 || res.status === 304) return { res, url: current };
    const loc = res.headers.get('location');
    await res.body?.cancel().catch(() => undefined);
    if (!loc) throw new ModelSealError('RESPONSE_MALFORMED', 'redirect without a location', { url: current });
    if (hop >= MAX_REDIRECTS) throw new ModelSealError('RESPONSE_MALFORMED', 'too many redirects', { url: opts.url });
    let next: URL;
    try {
      next = new URL(loc, current);
    } catch {
      throw new ModelSealError('RESPONSE_MALFORMED', 'bad redirect target', { url: current });
    }
    if (next.protocol !== 'https:' && next.protocol !== 'http:') throw new ModelSealError('RESPONSE_MALFORMED', 'redirect to a non-http URL', { url: current });
    if (new URL(current).protocol === 'https:' && next.protocol !== 'https:') throw new ModelSealError('RESPONSE_MALFORMED', 'redirect from https to plain http refused', { url: current });
    current = next.href;
  }
}

function isTimeout(e: unknown): boolean {
  return typeof e === 'object' && e !== null && ((e as { name?: string }).name === 'TimeoutError' || (e as { name?: string }).name === 'AbortError');
}

/**
 * Copies the body to the partial file at `pos`, hashing as it goes. Never accepts more than `size`
 * bytes in total. A read that stalls longer than the idle timeout ends the attempt. Returns the
 * bytes written and, when the connection failed, why (the written bytes are kept either way).
 */
async function stream(res: Response, fh: FileHandle, pos: number, size: number, digester: StreamDigester, opts: FetchFileOptions): Promise<{ bytes: number; error?: ModelSealError }> {
  if (!res.body) return { bytes: 0 };
  const reader = res.body.getReader();
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let writeAt = pos;
  let got = 0;
  const flush = async () => {
    if (pendingBytes === 0) return;
    const bufs = pending;
    pending = [];
    const n = pendingBytes;
    pendingBytes = 0;
    await fh.writev(bufs, writeAt);
    writeAt += n;
  };
  // One watchdog per response rather than a timer per chunk: a read idle for longer than the
  // timeout cancels the body, and the attempt ends as a timeout.
  let last = Date.now();
  let idle = false;
  const watchdog = setInterval(() => {
    if (Date.now() - last <= opts.idleTimeoutMs) return;
    idle = true;
    void reader.cancel().catch(() => undefined);
  }, Math.max(50, Math.min(1000, opts.idleTimeoutMs / 4)));
  try {
    for (;;) {
      let r: ReadableStreamReadResult<Uint8Array>;
      try {
        r = await reader.read();
      } catch {
        await reader.cancel().catch(() => undefined);
        await flush();
        if (idle) return { bytes: got, error: new ModelSealError('TIMEOUT', `no data for ${Math.round(opts.idleTimeoutMs / 1000)} s`) };
        return { bytes: got, error: new ModelSealError('NETWORK_ERROR', `the connection dropped at byte ${pos + got} of ${size}`) };
      }
      last = Date.now();
      if (idle) {
        await flush();
        return { bytes: got, error: new ModelSealError('TIMEOUT', `no data for ${Math.round(opts.idleTimeoutMs / 1000)} s`) };
      }
      if (r.done) break;
      const chunk = r.value;
      if (pos + got + chunk.byteLength > size) {
        await reader.cancel().catch(() => undefined);
        throw new TooLong();
      }
      digester.update(chunk);
      pending.push(chunk);
      pendingBytes += chunk.byteLength;
      got += chunk.byteLength;
      opts.onBytes?.(chunk.byteLength);
      if (pendingBytes >= WRITE_BATCH) {
        await flush();
        // A slow disk is not an idle server.
        last = Date.now();
      }
    }
    await flush();
    return { bytes: got };
  } finally {
    clearInterval(watchdog);
  }
}
