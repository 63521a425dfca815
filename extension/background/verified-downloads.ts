/**
 * Verified downloads, as the background sees them: the list the downloads page shows, a queue with a
 * cap on running downloads, automatic bounded retries of network errors (resuming), and the hand-off
 * of a verified copy to the browser's downloads. The bytes never pass through here: the engine
 * (offscreen document or Firefox event page) fetches, hashes and stores them, and reports.
 *
 * The one rule: `downloads.download` is called only for a copy whose digest matched the signed one.
 */
import type { VerifiedDownload } from '../shared/messages.js';
import type { EngineCommand, EngineEvent, EngineJob } from '../shared/download-engine.js';
import type { HashAlgorithm } from '../core/hash/types.js';
import type { RepoRef } from '../core/repo-ref.js';
import type { StorageAreaLike } from './storage.js';
import { downloadFilename } from './verified-filename.js';
import { contiguousShards, type ShardDigest } from '../core/hash/shard-plan.js';
import { ModelSealError } from '../core/errors.js';

/** Downloads running at once (each is a worker); the rest wait, in order. */
export const MAX_ACTIVE = 3;
/** Entries kept in the list (finished ones beyond this are forgotten, oldest first). */
export const MAX_ENTRIES = 200;
/** Automatic retries of a network error (each resumes where the last stopped). */
export const AUTO_RETRIES = 3;
/** Without a signed or served size, no download may grow past this. */
export const MAX_VERIFIED_BYTES = 256 * 1024 ** 3;
const PUSH_MS = 250;
/** A verified copy whose browser download never finishes is deleted after this anyway. */
const RELEASE_AFTER_MS = 6 * 60 * 60 * 1000;
const STORE_KEY = 'verified:list';

export interface VerifiedSpec {
  repo: RepoRef;
  commit: string;
  path: string;
  /** `/resolve/<commit>/<path>` on the hub itself. */
  url: string;
  algorithm: HashAlgorithm;
  /** The whole file's signed digest, or (a file signed by the `shards` method) each range's: one of the two. */
  expected?: string;
  shards?: ShardDigest[];
  despiteVerdict?: boolean;
}

export interface VerifiedDownloadsDeps {
  send(cmd: EngineCommand): Promise<void>;
  download(o: { url: string; filename: string; conflictAction: 'uniquify'; saveAs: false }): Promise<number>;
  session?: StorageAreaLike;
  now(): number;
  newId(): string;
  push(d: VerifiedDownload): void;
  /** Number of queued or running downloads changed (the toolbar badge). */
  activeChanged(n: number): void;
  /** A download ended without a kept file (after any automatic retries). */
  failed?(d: VerifiedDownload): void;
  setTimeout?: (cb: () => void, ms: number) => unknown;
}

const ACTIVE = new Set<VerifiedDownload['status']>(['queued', 'downloading', 'saving']);
const isActive = (d: VerifiedDownload) => ACTIVE.has(d.status);

export class VerifiedDownloads {
  private readonly items = new Map<string, VerifiedDownload>();
  private readonly retries = new Map<string, number>();
  /** Browser download id → our id, for the hand-off's completion. */
  private readonly handedOff = new Map<number, string>();
  private readonly lastPush = new Map<string, number>();
  /** Rate bookkeeping: when and at how many bytes the last rate was taken. */
  private readonly rates = new Map<string, { at: number; from: number }>();
  private loaded: Promise<void> | undefined;

  constructor(private readonly deps: VerifiedDownloadsDeps) {}

  /** Reads the list kept in session storage (a restarted service worker continues it). */
  load(): Promise<void> {
    this.loaded ??= (async () => {
      const got: Record<string, unknown> = (await this.deps.session?.get(STORE_KEY).catch(() => ({}))) ?? {};
      const saved = got[STORE_KEY];
      if (!Array.isArray(saved)) return;
      for (const d of saved as VerifiedDownload[]) {
        if (!d || typeof d.id !== 'string') continue;
        this.items.set(d.id, d);
        // Handed to the browser before a restart: its completion still releases the private copy.
        if (d.status === 'saving' && d.downloadId !== undefined) this.handedOff.set(d.downloadId, d.id);
      }
    })();
    return this.loaded;
  }

  async list(): Promise<VerifiedDownload[]> {
    await this.load();
    const all = [...this.items.values()].map((d) => this.view(d));
    return [...all.filter(isActive).sort((a, b) => a.startedAt - b.startedAt), ...all.filter((d) => !isActive(d)).sort((a, b) => b.startedAt - a.startedAt)];
  }

  get(id: string): VerifiedDownload | undefined {
    const d = this.items.get(id);
    return d && this.view(d);
  }

  async start(spec: VerifiedSpec): Promise<VerifiedDownload> {
    await this.load();
    // The same file already on its way: one download, not two.
    for (const d of this.items.values()) if (isActive(d) && d.url === spec.url) return this.view(d);
    // Exactly one thing to check against; shards must tile the file from byte 0 (no unhashed gap).
    if ((spec.expected === undefined) === (spec.shards === undefined)) throw new ModelSealError('DOWNLOAD_NOT_SIGNED', 'a verified download needs the signed digest of the file or of each of its shards');
    const shards = spec.shards ? contiguousShards(spec.shards) : undefined;
    const d: VerifiedDownload = {
      id: this.deps.newId(),
      repo: spec.repo,
      commit: spec.commit,
      path: spec.path,
      url: spec.url,
      algorithm: spec.algorithm,
      ...(spec.expected !== undefined ? { expected: spec.expected } : {}),
      ...(shards ? { shards, shardCount: shards.length, size: (shards[shards.length - 1] as ShardDigest).end } : {}),
      received: 0,
      status: 'queued',
      startedAt: this.deps.now(),
      ...(spec.despiteVerdict ? { despiteVerdict: true } : {}),
    };
    this.items.set(d.id, d);
    this.trim();
    await this.changed(d);
    await this.pump();
    return this.view(d);
  }

  async cancel(id: string): Promise<boolean> {
    await this.load();
    const d = this.items.get(id);
    if (!d || !isActive(d)) return false;
    const wasQueued = d.status === 'queued';
    d.status = 'cancelled';
    d.finishedAt = this.deps.now();
    this.retries.delete(id);
    await this.changed(d);
    if (!wasQueued) await this.deps.send({ op: 'cancel', id }).catch(() => undefined);
    await this.pump();
    return true;
  }

  /** A failed or cancelled download again, resuming from the private copy when the server allows it. */
  async retry(id: string): Promise<VerifiedDownload | null> {
    await this.load();
    const d = this.items.get(id);
    if (!d || (d.status !== 'failed' && d.status !== 'cancelled')) return null;
    this.retries.delete(id);
    this.requeue(d);
    await this.changed(d);
    await this.pump();
    return this.view(d);
  }

  async clear(): Promise<void> {
    await this.load();
    for (const d of [...this.items.values()]) {
      if (isActive(d)) continue;
      this.items.delete(d.id);
      // Cancelled or failed copies kept for a retry go too.
      await this.deps.send({ op: 'discard', id: d.id }).catch(() => undefined);
    }
    await this.save();
  }

  /** What the engine reports. */
  async onEngineEvent(e: EngineEvent): Promise<void> {
    await this.load();
    if (e.op === 'ready') return this.onEngineReady(e.running);
    const d = this.items.get(e.id);
    if (!d) {
      // Not ours (forgotten): nothing of it may stay.
      if (e.op === 'verified' || e.op === 'failed' || e.op === 'cancelled') await this.deps.send({ op: 'discard', id: e.id }).catch(() => undefined);
      return;
    }
    switch (e.op) {
      case 'progress': {
        if (d.status !== 'downloading') return;
        const now = this.deps.now();
        const r = this.rates.get(d.id) ?? { at: d.startedAt, from: 0 };
        const dt = (now - r.at) / 1000;
        if (dt >= 0.5) {
          d.rate = Math.max(0, (e.received - r.from) / dt);
          this.rates.set(d.id, { at: now, from: e.received });
        }
        d.received = e.received;
        if (e.size !== undefined && !d.shards) d.size = e.size;
        if (e.restartReason) d.restartReason = e.restartReason;
        if (e.resumedFrom !== undefined) d.resumedFrom = e.resumedFrom;
        this.pushThrottled(d);
        return;
      }
      case 'verified': {
        if (d.status !== 'downloading') {
          await this.deps.send({ op: 'discard', id: d.id }).catch(() => undefined);
          return;
        }
        d.received = e.received;
        // A shard file has no whole-file digest: each shard matched (the page says how many).
        if (!d.shards) d.actual = e.actual;
        d.status = 'saving';
        await this.changed(d);
        try {
          const downloadId = await this.deps.download({ url: e.blobUrl, filename: downloadFilename(d.path), conflictAction: 'uniquify', saveAs: false });
          d.downloadId = downloadId;
          this.handedOff.set(downloadId, d.id);
          (this.deps.setTimeout ?? setTimeout)(() => void this.deps.send({ op: 'release', id: d.id }).catch(() => undefined), RELEASE_AFTER_MS);
        } catch {
          d.status = 'failed';
          d.failure = { code: 'IO_ERROR', reason: 'the browser refused to save the verified file', source: 'storage' };
          d.finishedAt = this.deps.now();
          await this.deps.send({ op: 'release', id: d.id }).catch(() => undefined);
        }
        await this.changed(d);
        await this.pump();
        return;
      }
      case 'failed': {
        if (d.status !== 'downloading') return;
        d.received = e.received;
        if (e.actual) d.actual = e.actual;
        const tries = this.retries.get(d.id) ?? 0;
        if (e.failure.retryable && tries < AUTO_RETRIES) {
          this.retries.set(d.id, tries + 1);
          d.status = 'queued';
          await this.changed(d);
          // Back off a little, then resume from the checkpoint.
          (this.deps.setTimeout ?? setTimeout)(() => void this.pump(), 500 * 3 ** tries);
          return;
        }
        d.status = 'failed';
        d.finishedAt = this.deps.now();
        d.failure = {
          code: e.failure.code,
          reason: e.failure.reason,
          bytesRead: e.received,
          ...(e.failure.source ? { source: e.failure.source } : {}),
          ...(e.failure.shard ? { shard: e.failure.shard } : {}),
        };
        await this.changed(d);
        this.deps.failed?.(this.view(d));
        await this.pump();
        return;
      }
      case 'cancelled':
        if (d.status === 'downloading') {
          d.status = 'cancelled';
          d.finishedAt = this.deps.now();
        }
        d.received = e.received;
        await this.changed(d);
        await this.pump();
        return;
    }
  }

  /** downloads.onChanged: the browser finished (or dropped) the verified copy; the private one goes. */
  async onBrowserDownloadChanged(downloadId: number, state: string | undefined): Promise<void> {
    const id = this.handedOff.get(downloadId);
    if (id === undefined || (state !== 'complete' && state !== 'interrupted')) return;
    this.handedOff.delete(downloadId);
    await this.deps.send({ op: 'release', id }).catch(() => undefined);
    const d = this.items.get(id);
    if (!d || d.status !== 'saving') return;
    d.status = state === 'complete' ? 'done' : 'failed';
    d.finishedAt = this.deps.now();
    if (state !== 'complete') d.failure = { code: 'IO_ERROR', reason: 'the browser could not save the verified file', source: 'storage' };
    await this.changed(d);
  }

  /** A fresh engine has none of our running jobs: resume them; a reconnected one keeps its own. */
  private async onEngineReady(running: string[]): Promise<void> {
    const alive = new Set(running);
    const keep: string[] = [];
    for (const d of this.items.values()) {
      if (d.status === 'downloading' && !alive.has(d.id)) this.requeue(d);
      if (d.status !== 'done') keep.push(d.id);
    }
    await this.deps.send({ op: 'sweep', keep }).catch(() => undefined);
    await this.save();
    await this.pump();
  }

  private requeue(d: VerifiedDownload): void {
    d.status = 'queued';
    delete d.failure;
    delete d.finishedAt;
    delete d.rate;
  }

  private async pump(): Promise<void> {
    const all = [...this.items.values()];
    let running = all.filter((d) => d.status === 'downloading').length;
    for (const d of all.filter((x) => x.status === 'queued').sort((a, b) => a.startedAt - b.startedAt)) {
      if (running >= MAX_ACTIVE) break;
      running++;
      d.status = 'downloading';
      this.rates.set(d.id, { at: this.deps.now(), from: d.received });
      // Always `resume`: the worker resumes only from a checkpoint of this very id and URL, so a
      // first run simply finds none.
      // A shard file's size is signed (the last shard's end): it is the hard limit.
      const job: EngineJob = d.shards?.length
        ? { id: d.id, url: d.url, algorithm: d.algorithm as HashAlgorithm, expected: '', shards: d.shards, maxBytes: (d.shards[d.shards.length - 1] as ShardDigest).end, resume: true }
        : { id: d.id, url: d.url, algorithm: d.algorithm as HashAlgorithm, expected: d.expected ?? '', maxBytes: MAX_VERIFIED_BYTES, resume: true };
      await this.changed(d);
      await this.deps.send({ op: 'start', job }).catch(async () => {
        d.status = 'failed';
        d.failure = { code: 'INTERNAL_ERROR', reason: 'the download engine could not be started', source: 'storage' };
        d.finishedAt = this.deps.now();
        await this.changed(d);
      });
    }
    this.deps.activeChanged([...this.items.values()].filter(isActive).length);
  }

  private trim(): void {
    if (this.items.size <= MAX_ENTRIES) return;
    const finished = [...this.items.values()].filter((d) => !isActive(d)).sort((a, b) => a.startedAt - b.startedAt);
    for (const d of finished.slice(0, this.items.size - MAX_ENTRIES)) {
      this.items.delete(d.id);
      void this.deps.send({ op: 'discard', id: d.id }).catch(() => undefined);
    }
  }

  private pushThrottled(d: VerifiedDownload): void {
    const now = this.deps.now();
    if (now - (this.lastPush.get(d.id) ?? 0) < PUSH_MS) return;
    this.lastPush.set(d.id, now);
    this.deps.push(this.view(d));
  }

  private async changed(d: VerifiedDownload): Promise<void> {
    this.lastPush.set(d.id, this.deps.now());
    this.deps.push(this.view(d));
    this.deps.activeChanged([...this.items.values()].filter(isActive).length);
    await this.save();
  }

  /** What pages see: a copy (later changes are pushed again). */
  private view(d: VerifiedDownload): VerifiedDownload {
    // The shard list stays here (it can be long); pages show how many.
    const { shards: _shards, ...shown } = d;
    return shown;
  }

  private async save(): Promise<void> {
    await this.deps.session?.set({ [STORE_KEY]: [...this.items.values()] }).catch(() => undefined);
  }
}
