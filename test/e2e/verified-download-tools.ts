/**
 * What the verified-download end-to-end files share: attaching Playwright to the offscreen document
 * (its workers fetch the bytes), the download record as the worker reports it, and helpers that read
 * the worker's list, the browser's downloads and the private file system.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { Page } from 'playwright';
import { send, waitForFinalState } from '../fixture-hub/browser.mjs';
import { HUB } from '../fixture-hub/hub.mjs';
import type { Launched } from '../fixture-hub/index.d.mts';

/**
 * Playwright routes the offscreen document's worker requests only when attached to "other" targets.
 * Set for one file before launching (e2e files share one process); the returned function restores it.
 */
export function attachToOffscreen(): () => void {
  const ATTACH = 'PW_CHROMIUM_ATTACH_TO_OTHER';
  const before = process.env[ATTACH];
  process.env[ATTACH] = '1';
  return () => {
    if (before === undefined) delete process.env[ATTACH];
    else process.env[ATTACH] = before;
  };
}

export interface Vd {
  id: string;
  repo?: { repo: string };
  path: string;
  status: string;
  received: number;
  size?: number;
  algorithm: string;
  expected?: string;
  actual?: string;
  shards?: unknown;
  shardCount?: number;
  downloadId?: number;
  resumedFrom?: number;
  restartReason?: string;
  despiteVerdict?: boolean;
  failure?: { code: string; reason: string; source?: string; bytesRead?: number; shard?: { start: number; end: number; expected: string; actual: string } };
}

export interface Reply<T> {
  ok: boolean;
  value?: T;
  error?: { code: string; message: string };
}

export interface BrowserDownload {
  id: number;
  url: string;
  filename: string;
  state: string;
  error?: string;
}

/** Helpers bound to one launched browser and one extension page. */
export function verifiedDownloadTools(b: Launched, extPage: Page) {
  async function visit(repoId: string, state: RegExp = /^verified/): Promise<Page> {
    const page = await b.context.newPage();
    await page.goto(`${HUB}/${repoId}`);
    const s = await waitForFinalState(b.worker, page);
    expect(s.verdict.state).toMatch(state);
    return page;
  }

  async function list(): Promise<Vd[]> {
    const r = (await send(extPage, { type: 'verified/list' })) as Reply<Vd[]>;
    expect(r.ok).toBe(true);
    return r.value!;
  }

  async function waitFinished(pred: (d: Vd) => boolean, timeoutMs = 30_000): Promise<Vd> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const d = (await list()).find(pred);
      if (d && (d.status === 'done' || d.status === 'failed' || d.status === 'cancelled')) return d;
      if (Date.now() > deadline) throw new Error(`verified download did not finish: ${JSON.stringify(d)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** The browser's download items (chrome.downloads.search in the service worker). */
  function browserDownloads(): Promise<BrowserDownload[]> {
    return b.worker.evaluate(async () =>
      (await (globalThis as unknown as { chrome: { downloads: { search(q: object): Promise<BrowserDownload[]> } } }).chrome.downloads.search({})).map((d) => ({
        id: d.id,
        url: d.url,
        filename: d.filename,
        state: d.state,
        error: d.error,
      })),
    );
  }

  /** Names left in the private download directory (the offscreen document's origin is the extension's). */
  function privateCopies(): Promise<string[]> {
    return extPage.evaluate(async () => {
      const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('verified-downloads', { create: true });
      const names: string[] = [];
      for await (const n of (dir as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(n);
      return names;
    });
  }

  /** The bytes the browser saved for a download, once it is complete. */
  async function savedBytes(downloadId: number): Promise<Buffer> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const item = (await browserDownloads()).find((d) => d.id === downloadId);
      if (item?.state === 'complete' && item.filename) return readFileSync(item.filename);
      if (Date.now() > deadline) throw new Error(`download ${downloadId} not complete: ${JSON.stringify(item)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  return { visit, list, waitFinished, browserDownloads, privateCopies, savedBytes };
}
