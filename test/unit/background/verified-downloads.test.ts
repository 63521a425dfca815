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
