import { describe, expect, it } from 'vitest';
import { VerifiedDownloads, MAX_ACTIVE, AUTO_RETRIES, type VerifiedSpec } from '../../../extension/background/verified-downloads.js';
import type { EngineCommand } from '../../../extension/shared/download-engine.js';
import type { VerifiedDownload } from '../../../extension/shared/messages.js';

const HUB = 'https://huggingface.co';
const spec = (path: string): VerifiedSpec => ({
  repo: { hub: HUB, kind: 'model', repo: 'o/r' },
  commit: 'c'.repeat(40),
  path,
  url: `${HUB}/o/r/resolve/${'c'.repeat(40)}/${path}`,
  algorithm: 'sha256',
  expected: 'a'.repeat(64),
});

function memorySession() {
  const m = new Map<string, unknown>();
  return {
    get: async (k: string | string[]) => Object.fromEntries((Array.isArray(k) ? k : [k]).filter((x) => m.has(x)).map((x) => [x, structuredClone(m.get(x))])),
    set: async (items: Record<string, unknown>) => void Object.entries(items).forEach(([k, v]) => m.set(k, structuredClone(v))),
    remove: async (k: string | string[]) => void (Array.isArray(k) ? k : [k]).forEach((x) => m.delete(x)),
  };
}

function harness(session?: ReturnType<typeof memorySession>) {
  const sent: EngineCommand[] = [];
  const downloads: Array<{ url: string; filename: string }> = [];
  const timers: Array<() => void> = [];
  const failed: VerifiedDownload[] = [];
  let active = -1;
  let n = 0;
  const m = new VerifiedDownloads({
    send: async (cmd) => void sent.push(cmd),
    download: async (o) => {
      downloads.push(o);
      return 100 + downloads.length;
    },
    now: () => 1_000,
    newId: () => `id-${++n}`,
    push: () => undefined,
    activeChanged: (x) => (active = x),
    failed: (d) => void failed.push(d),
    setTimeout: (cb) => void timers.push(cb),
    ...(session ? { session } : {}),
  });
  return { m, sent, downloads, timers, failed, active: () => active };
}

describe('VerifiedDownloads', () => {
  it('hands a file to the browser only when the engine says its digest matched, then releases the private copy', async () => {
    const h = harness();
    const d = await h.m.start(spec('model.bin'));
    expect(h.sent).toEqual([{ op: 'start', job: expect.objectContaining({ id: d.id, url: spec('model.bin').url, expected: 'a'.repeat(64), algorithm: 'sha256', resume: true }) }]);
    await h.m.onEngineEvent({ op: 'progress', id: d.id, received: 10, size: 20 });
    expect(h.downloads).toEqual([]);
    await h.m.onEngineEvent({ op: 'verified', id: d.id, received: 20, actual: 'a'.repeat(64), blobUrl: 'blob:x' });
    expect(h.downloads).toEqual([{ url: 'blob:x', filename: 'model.bin', conflictAction: 'uniquify', saveAs: false }]);
    await h.m.onBrowserDownloadChanged(101, 'complete');
    expect(h.sent.at(-1)).toEqual({ op: 'release', id: d.id });
    expect((await h.m.list())[0]).toMatchObject({ status: 'done', downloadId: 101, actual: 'a'.repeat(64) });
    expect(h.active()).toBe(0);
  });

  it('a digest mismatch keeps nothing: no browser download, failed with both digests and who lied', async () => {
    const h = harness();
    const d = await h.m.start(spec('model.bin'));
    await h.m.onEngineEvent({ op: 'failed', id: d.id, received: 20, actual: 'b'.repeat(64), failure: { code: 'DOWNLOAD_DIGEST_MISMATCH', reason: 'differs', source: 'served-bytes', retryable: false } });
    expect(h.downloads).toEqual([]);
    expect((await h.m.list())[0]).toMatchObject({ status: 'failed', expected: 'a'.repeat(64), actual: 'b'.repeat(64), failure: { code: 'DOWNLOAD_DIGEST_MISMATCH', source: 'served-bytes', bytesRead: 20 } });
    expect(h.failed.map((f) => f.id)).toEqual([d.id]);
  });

  it('a verified report for a cancelled download hands nothing over and discards the copy', async () => {
    const h = harness();
    const d = await h.m.start(spec('model.bin'));
    await h.m.cancel(d.id);
    await h.m.onEngineEvent({ op: 'verified', id: d.id, received: 20, actual: 'a'.repeat(64), blobUrl: 'blob:x' });
    expect(h.downloads).toEqual([]);
    expect(h.sent.at(-1)).toEqual({ op: 'discard', id: d.id });
  });

  it('runs at most MAX_ACTIVE at once; the rest wait their turn', async () => {
    const h = harness();
    const ds = [];
    for (let i = 0; i < MAX_ACTIVE + 2; i++) ds.push(await h.m.start(spec(`f${i}`)));
    expect(h.sent.filter((c) => c.op === 'start').length).toBe(MAX_ACTIVE);
    expect(h.active()).toBe(MAX_ACTIVE + 2);
    await h.m.onEngineEvent({ op: 'failed', id: ds[0]!.id, received: 0, failure: { code: 'NOT_FOUND', reason: 'x', retryable: false } });
    expect(h.sent.filter((c) => c.op === 'start').length).toBe(MAX_ACTIVE + 1);
  });

  it('retries network errors a bounded number of times, resuming, then gives up', async () => {
    const h = harness();
    const d = await h.m.start(spec('model.bin'));
    const fail = () => h.m.onEngineEvent({ op: 'failed', id: d.id, received: 5, failure: { code: 'NETWORK_ERROR', reason: 'broke', source: 'network', retryable: true } });
    for (let i = 0; i < AUTO_RETRIES; i++) {
      await fail();
      expect((await h.m.list())[0]!.status).toBe('queued');
      await h.timers.shift()!();
      await new Promise((r) => setTimeout(r, 0));
      expect(h.sent.filter((c) => c.op === 'start').length).toBe(i + 2);
    }
    await fail();
    expect((await h.m.list())[0]).toMatchObject({ status: 'failed', failure: { code: 'NETWORK_ERROR' } });
    expect(await h.m.retry(d.id)).toMatchObject({ status: 'downloading' });
  });

  it('one active download per file URL, and a fresh engine resumes what it lost', async () => {
    const h = harness();
    const a = await h.m.start(spec('model.bin'));
    const b = await h.m.start(spec('model.bin'));
    expect(b.id).toBe(a.id);
    await h.m.onEngineEvent({ op: 'ready', running: [] });
    expect(h.sent.filter((c) => c.op === 'start').length).toBe(2);
    expect(h.sent).toContainEqual({ op: 'sweep', keep: [a.id] });
  });

  it('a restarted service worker still releases the private copy when the browser finishes saving it', async () => {
    const session = memorySession();
    const first = harness(session);
    const d = await first.m.start(spec('model.bin'));
    await first.m.onEngineEvent({ op: 'verified', id: d.id, received: 20, actual: 'a'.repeat(64), blobUrl: 'blob:x' });
    const second = harness(session);
    await second.m.load();
    await second.m.onBrowserDownloadChanged(101, 'complete');
    expect(second.sent).toEqual([{ op: 'release', id: d.id }]);
    expect((await second.m.list())[0]).toMatchObject({ status: 'done' });
  });
});

describe('VerifiedDownloads: files signed by shards', () => {
  const hex = (n: number) => n.toString(16).padStart(64, '0');
  const shardSpec = (shards: Array<{ start: number; end: number; digest: string }>): VerifiedSpec => {
    const { expected: _e, ...rest } = spec('big.bin');
    return { ...rest, shards };
  };
  const three = [
    { start: 100, end: 200, digest: hex(2) },
    { start: 0, end: 100, digest: hex(1) },
    { start: 200, end: 230, digest: hex(3) },
  ];

  it('sends the engine the sorted shards, with the signed size as the hard byte limit', async () => {
    const h = harness();
    const d = await h.m.start(shardSpec(three));
    const start = h.sent[0] as Extract<EngineCommand, { op: 'start' }>;
    expect(start.job.shards).toEqual([three[1], three[0], three[2]]);
    expect(start.job.maxBytes).toBe(230);
    // Pages see the count and the signed size, not the list.
    expect(d).toMatchObject({ shardCount: 3, size: 230 });
    expect(d.shards).toBeUndefined();
    expect((await h.m.list())[0]!.shards).toBeUndefined();
  });

  it('refuses shards that do not tile the file from byte 0, and a spec with both or neither digest', async () => {
    const h = harness();
    await expect(h.m.start(shardSpec([three[0]!, three[2]!]))).rejects.toMatchObject({ code: 'DOWNLOAD_NOT_SIGNED' });
    await expect(h.m.start(shardSpec([three[1]!, three[2]!]))).rejects.toMatchObject({ code: 'DOWNLOAD_NOT_SIGNED' });
    await expect(h.m.start({ ...shardSpec(three), expected: hex(9) })).rejects.toMatchObject({ code: 'DOWNLOAD_NOT_SIGNED' });
    const { expected: _e, ...neither } = spec('x.bin');
    await expect(h.m.start(neither)).rejects.toMatchObject({ code: 'DOWNLOAD_NOT_SIGNED' });
    expect(h.sent).toEqual([]);
  });

  it('keeps the failing range of a shard mismatch, hands nothing to the browser, and resumes with the shards after a restart', async () => {
    const session = memorySession();
    const h = harness(session);
    const d = await h.m.start(shardSpec(three));
    const shard = { start: 100, end: 200, expected: hex(2), actual: hex(7) };
    await h.m.onEngineEvent({ op: 'failed', id: d.id, received: 150, actual: hex(7), failure: { code: 'DOWNLOAD_DIGEST_MISMATCH', reason: 'bytes 100-200', source: 'served-bytes', retryable: false, shard } });
    expect(h.downloads).toEqual([]);
    expect(h.failed[0]?.failure).toMatchObject({ code: 'DOWNLOAD_DIGEST_MISMATCH', shard });
    // A restarted service worker still has the plan: a retry sends the shards again.
    const h2 = harness(session);
    await h2.m.retry(d.id);
    expect((h2.sent.find((c) => c.op === 'start') as Extract<EngineCommand, { op: 'start' }>).job.shards).toHaveLength(3);
  });

  it('a verified shard file records no whole-file digest', async () => {
    const h = harness();
    const d = await h.m.start(shardSpec(three));
    await h.m.onEngineEvent({ op: 'verified', id: d.id, received: 230, actual: '3 shards', blobUrl: 'blob:y' });
    expect(h.downloads).toHaveLength(1);
    expect((await h.m.list())[0]).toMatchObject({ status: 'saving', shardCount: 3 });
    expect((await h.m.list())[0]!.actual).toBeUndefined();
  });
});

