/**
 * One verified download, in a dedicated worker: fetch the file, and for every chunk as it arrives
 * hash it (hash-wasm, resumable) and write it to the origin-private file system through a sync access
 * handle. Nothing here decides to keep the file: the worker reports the digest, and only a match
 * lets the engine hand the private copy to the browser. A mismatch deletes the copy here and now.
 *
 * Resumption: after every CHECKPOINT_BYTES (and whenever the stream breaks) the data file is flushed
 * and a checkpoint (bytes kept, hasher state, ETag) is written beside it. A later run with `resume`
 * truncates the data file to the checkpoint and asks for `Range: bytes=N-`: the hasher continues from
 * its saved state, so nothing already hashed is hashed again. A 200 instead of 206, a Content-Range
 * that starts elsewhere, or another ETag restarts from 0 and says why.
 *
 * A file signed by the `shards` method (job.shards): each batch is cut at shard ends, each shard is
 * hashed by its own fresh hasher and compared the moment its last byte is in (a mismatch fails at
 * once, naming the range). The checkpoint then also names the shard it is in, and its saved hasher
 * state is that shard's. The stream must end exactly at the last shard's end.
 */
import { createWasmHasher, resumeWasmHasher, type ResumableHasher } from '../core/hash/wasm.js';
import { shardIndexAt, splitAtShards } from '../core/hash/shard-plan.js';
import { OPFS_DIR, checkpointFileName, dataFileName, type EngineFailure, type EngineJob, type WorkerCommand, type WorkerEvent } from '../shared/download-engine.js';

const CHECKPOINT_BYTES = 16 * 1024 * 1024;
const PROGRESS_MS = 250;
const BATCH_BYTES = 1024 * 1024;

interface Checkpoint {
  v: 1;
  url: string;
  algorithm: string;
  received: number;
  /** Hasher state (hash-wasm `save()`), base64. */
  state: string;
  etag?: string;
  /** Shard files: the index of the shard `received` lies in (whose hasher `state` is). */
  shard?: number;
}

const post = (e: WorkerEvent) => (self as unknown as Worker).postMessage(e);
const abort = new AbortController();

class Failed extends Error {
  constructor(readonly failure: EngineFailure) {
    super(failure.reason);
  }
}

const fail = (code: EngineFailure['code'], reason: string, source: EngineFailure['source'], retryable = false): never => {
  throw new Failed({ code, reason, source, retryable });
};

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

async function readCheckpoint(dir: FileSystemDirectoryHandle, id: string): Promise<Checkpoint | undefined> {
  try {
    const f = await (await dir.getFileHandle(checkpointFileName(id))).getFile();
    if (f.size > 64 * 1024) return undefined;
    const c = JSON.parse(await f.text()) as Checkpoint;
    return c && c.v === 1 && Number.isSafeInteger(c.received) && c.received >= 0 && typeof c.state === 'string' ? c : undefined;
  } catch {
    return undefined;
  }
}

/** The ETag as a validator (weak prefix dropped: we compare, we do not send it back). */
const etagOf = (r: Response): string | undefined => r.headers.get('etag')?.replace(/^W\//, '') ?? undefined;

/** `Content-Range: bytes START-END/TOTAL` → START (and TOTAL when known). */
function contentRange(r: Response): { start: number; total?: number } | undefined {
  const m = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(r.headers.get('content-range') ?? '');
  if (!m) return undefined;
  return m[2] === '*' ? { start: Number(m[1]) } : { start: Number(m[1]), total: Number(m[2]) };
}

function httpFailure(status: number): never {
  if (status === 401 || status === 403) return fail('AUTH_REQUIRED', `the hub refused the download (HTTP ${status}): sign in on the hub, or ask for access`, 'hub');
  if (status === 404) return fail('NOT_FOUND', 'the hub has no such file at this commit (HTTP 404)', 'hub');
  if (status === 429) return fail('RATE_LIMITED', 'the hub is rate limiting downloads (HTTP 429)', 'hub', true);
  return fail('NETWORK_ERROR', `the hub answered HTTP ${status}`, 'hub', status >= 500);
}

async function run(job: EngineJob): Promise<void> {
  const root = await navigator.storage.getDirectory();
  const dir = await root.getDirectoryHandle(OPFS_DIR, { create: true });
  const data = await (await dir.getFileHandle(dataFileName(job.id), { create: true })).createSyncAccessHandle();
  const ckptHandle = await (await dir.getFileHandle(checkpointFileName(job.id), { create: true })).createSyncAccessHandle();
  let received = 0;
  let hasher: ResumableHasher | undefined;
  let etag: string | undefined;
  let restartReason: string | undefined;
  let resumedFrom: number | undefined;
  let actual: string | undefined;
  let discard = false;
  let matched = false;
  let end: WorkerEvent | undefined;
  const shards = job.shards?.length ? job.shards : undefined;
  /** Shard files: the signed size (the last end). */
  const total = shards ? (shards[shards.length - 1]?.end ?? 0) : undefined;

  const saveCheckpoint = () => {
    if (!hasher) return;
    data.flush();
    const c: Checkpoint = {
      v: 1,
      url: job.url,
      algorithm: job.algorithm,
      received,
      state: toBase64(hasher.save()),
      ...(etag ? { etag } : {}),
      ...(shards ? { shard: shardIndexAt(shards, received) } : {}),
    };
    const bytes = new TextEncoder().encode(JSON.stringify(c));
    ckptHandle.truncate(0);
    ckptHandle.write(bytes, { at: 0 });
    ckptHandle.flush();
  };
  const startOver = async (why: string | undefined) => {
    received = 0;
    data.truncate(0);
    hasher = await createWasmHasher(job.algorithm);
    if (why) restartReason = why;
    resumedFrom = undefined;
  };

  try {
    const saved = job.resume ? await readCheckpoint(dir, job.id) : undefined;
    // A shard file's checkpoint must name the shard its offset lies in (its state is that shard's).
    const sameShard = !shards || (saved !== undefined && saved.shard === shardIndexAt(shards, saved.received) && saved.received < (total ?? 0));
    if (saved && sameShard && saved.url === job.url && saved.algorithm === job.algorithm && saved.received <= data.getSize() && saved.received <= job.maxBytes) {
      try {
        hasher = await resumeWasmHasher(job.algorithm, fromBase64(saved.state));
        received = saved.received;
        etag = saved.etag;
        // Bytes written after the checkpoint were not hashed into the saved state: drop them.
        data.truncate(received);
        resumedFrom = received;
      } catch {
        await startOver('the saved hashing state could not be read');
      }
    } else {
      await startOver(job.resume && received === 0 && saved ? 'the saved copy does not match this file' : undefined);
    }

    for (let attempt = 0; attempt < 3; attempt++) {
      const headers: Record<string, string> = {};
      if (received > 0) headers.Range = `bytes=${received}-`;
      // credentials: the hub's own links carry the user's session cookie (gated and private repos).
      let res: Response;
      try {
        res = await fetch(job.url, { headers, credentials: 'include', cache: 'no-store', signal: abort.signal });
      } catch (e) {
        if (abort.signal.aborted) throw e;
        return fail('NETWORK_ERROR', 'the download could not reach the hub', 'network', true);
      }
      if (received > 0) {
        const range = res.status === 206 ? contentRange(res) : undefined;
        const why =
          res.status === 200
            ? 'the server ignored the range request (HTTP 200 instead of 206)'
            : res.status === 416
              ? 'the server refused the range request (HTTP 416)'
              : res.status === 206 && (!range || range.start !== received)
                ? 'the server answered another byte range than asked'
                : res.status === 206 && etag !== undefined && etagOf(res) !== undefined && etagOf(res) !== etag
                  ? 'the file changed on the server since the download started (another ETag)'
                  : undefined;
        if (why) {
          await startOver(why);
          if (res.status !== 200) {
            await res.body?.cancel().catch(() => undefined);
            continue; // ask again, from 0
          }
          // A 200 is the whole file: read it from its first byte.
        }
      }
      if (res.status !== 200 && res.status !== 206) {
        await res.body?.cancel().catch(() => undefined);
        return httpFailure(res.status);
      }
      etag = etagOf(res) ?? etag;
      const length = Number(res.headers.get('content-length') ?? NaN);
      const size = Number.isSafeInteger(length) ? received + length : contentRange(res)?.total;
      if (size !== undefined && size > job.maxBytes) {
        await res.body?.cancel().catch(() => undefined);
        return fail('RESPONSE_TOO_LARGE', `the server announces ${size} bytes, more than this file may have (${job.maxBytes})`, 'size');
      }
      if (total !== undefined && size !== undefined && size !== total) {
        await res.body?.cancel().catch(() => undefined);
        return fail('DOWNLOAD_DIGEST_MISMATCH', `the server announces ${size} bytes; the signed shards end at ${total}`, 'size');
      }
      await stream(res, size);
      return;
    }
    return fail('NETWORK_ERROR', 'the server kept answering other byte ranges than asked', 'hub');
  } catch (e) {
    if (abort.signal.aborted) {
      // Cancelled: the copy and checkpoint stay until the manager discards them (a retry may resume).
      try {
        saveCheckpoint();
      } catch {
        /* the copy is unusable: a retry starts over */
      }
      end = { op: 'cancelled', received };
      return;
    }
    const failure: EngineFailure = e instanceof Failed ? e.failure : { code: 'IO_ERROR', reason: `the private copy could not be written (${String(e).slice(0, 200)})`, source: 'storage', retryable: false };
    if (failure.retryable) {
      try {
        saveCheckpoint();
      } catch {
        failure.retryable = false;
      }
    }
    // A failure that is not worth retrying keeps nothing: the partial copy goes now.
    discard = !failure.retryable;
    end = { op: 'failed', received, ...(actual ? { actual } : {}), failure };
  } finally {
    data.close();
    ckptHandle.close();
    if (discard) {
      await dir.removeEntry(dataFileName(job.id)).catch(() => undefined);
      await dir.removeEntry(checkpointFileName(job.id)).catch(() => undefined);
    }
    // The end is reported only once the handles are closed and a discarded copy is gone, so the
    // engine can read the file (or stop this worker) without a race.
    if (matched && actual) end = { op: 'verified', received, actual };
    if (end) post(end);
  }

  /**
   * Shard files: hashes `bytes` (already written at `received`) piece by piece, each into its shard's
   * hasher; a shard whose last byte is in is compared now and the next shard gets a fresh hasher.
   */
  async function hashShards(bytes: Uint8Array): Promise<void> {
    if (!shards || !hasher) return;
    for (const piece of splitAtShards(shards, received, bytes.length)) {
      hasher.update(bytes.subarray(piece.from, piece.to));
      received += piece.to - piece.from;
      if (!piece.ends) continue;
      const s = shards[piece.index]!;
      const got = hasher.digestHex();
      if (got !== s.digest) {
        actual = got;
        throw new Failed({
          code: 'DOWNLOAD_DIGEST_MISMATCH',
          reason: `bytes ${s.start}-${s.end} (shard ${piece.index + 1} of ${shards.length}) hash to ${got}, not the signed ${s.digest}`,
          source: 'served-bytes',
          retryable: false,
          shard: { start: s.start, end: s.end, expected: s.digest, actual: got },
        });
      }
      hasher = await createWasmHasher(job.algorithm);
    }
  }

  async function stream(res: Response, size: number | undefined): Promise<void> {
    if (!res.body || !hasher) return fail('NETWORK_ERROR', 'the hub sent no body', 'hub', true);
    const reader = res.body.getReader();
    // Never more than announced (nor than the job's cap): the first byte past it stops the download.
    const limit = size !== undefined ? Math.min(size, job.maxBytes) : job.maxBytes;
    let lastProgress = 0;
    let sinceCheckpoint = 0;
    // Network chunks are small (tens of KiB): they are gathered into BATCH_BYTES before one write and
    // one hash update, which costs far less per byte. `received` counts bytes written and hashed.
    const batch = new Uint8Array(BATCH_BYTES);
    let pending = 0;
    const commit = async () => {
      if (pending === 0 || !hasher) return;
      const bytes = batch.subarray(0, pending);
      // Write first, then hash: the checkpoint's state never covers bytes that are not on disk.
      let at = 0;
      while (at < bytes.length) at += data.write(bytes.subarray(at), { at: received + at });
      if (shards) await hashShards(bytes);
      else {
        hasher.update(bytes);
        received += pending;
      }
      sinceCheckpoint += pending;
      pending = 0;
      if (sinceCheckpoint >= CHECKPOINT_BYTES) {
        saveCheckpoint();
        sinceCheckpoint = 0;
      }
    };
    post({ op: 'progress', received, ...(size !== undefined ? { size } : {}), ...(restartReason ? { restartReason } : {}), ...(resumedFrom !== undefined ? { resumedFrom } : {}) });
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (e) {
        // What arrived before the break is kept and hashed, so a resume starts right after it.
        await commit();
        if (abort.signal.aborted) throw e;
        return fail('NETWORK_ERROR', `the connection broke after ${received} bytes`, 'network', true);
      }
      if (chunk.done) break;
      let bytes = chunk.value;
      if (received + pending + bytes.length > limit) {
        await reader.cancel().catch(() => undefined);
        return fail('RESPONSE_TOO_LARGE', `the server sent more than the ${limit} bytes it may send`, 'size');
      }
      while (bytes.length > 0) {
        const n = Math.min(bytes.length, BATCH_BYTES - pending);
        batch.set(bytes.subarray(0, n), pending);
        pending += n;
        bytes = bytes.subarray(n);
        if (pending === BATCH_BYTES) await commit();
      }
      const now = Date.now();
      if (now - lastProgress >= PROGRESS_MS) {
        lastProgress = now;
        post({ op: 'progress', received: received + pending, ...(size !== undefined ? { size } : {}) });
      }
    }
    await commit();
    if (size !== undefined && received < size) return fail('NETWORK_ERROR', `the connection ended after ${received} of ${size} bytes`, 'network', true);
    if (total !== undefined && received < total) return fail('NETWORK_ERROR', `the connection ended after ${received} of the ${total} signed bytes`, 'network', true);
    data.flush();
    if (shards) {
      // Every shard matched as its last byte came in (a mismatch failed there and then).
      actual = `${shards.length} shards`;
      matched = true;
      return;
    }
    actual = hasher.digestHex();
    if (actual !== job.expected) {
      return fail('DOWNLOAD_DIGEST_MISMATCH', `the ${received} bytes served hash to ${actual}, not the signed ${job.expected}`, 'served-bytes');
    }
    matched = true;
  }
}

self.onmessage = (e: MessageEvent<WorkerCommand>) => {
  const cmd = e.data;
  if (cmd.op === 'cancel') abort.abort();
  else if (cmd.op === 'start') void run(cmd.job);
};
