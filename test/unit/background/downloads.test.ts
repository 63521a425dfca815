/**
 * The download guard's attack cases in the worker's logic (Node, fixture hub as fetch): downloads
 * that reach the hub through redirects, aliases and legacy URLs (finding 4), allowed downloads that
 * must come from the verified commit (finding 5), and download floods from page scripts (finding 9).
 * The same cases run end to end in Chromium in test/e2e/attacks-downloads.test.ts.
 */
import { describe, expect, it, vi } from 'vitest';
import { HUB } from '../../fixture-hub/hub.mjs';
import { commitSha } from '../../fixture-hub/repo.mjs';
import { keyPolicy, setupWorker } from './harness.js';

const SIGNED_FILE = 'weights/shard-00001.safetensors';
const setup = () => setupWorker('dl', { downloadIdBase: 1000 });

const requestOf = (opened: string[]) => new URL(opened.at(-1) as string).searchParams.get('request') as string;
const SIGNED_V1 = commitSha('acme/signed:v1');

describe('download guard: redirects, aliases and legacy URLs (finding 4)', () => {
  it('judges the URL the bytes come from, with every alias of the hub read as the hub', async () => {
    const { worker, downloads, opened } = setup();
    await keyPolicy(worker);
    const changed = `acme/changed/resolve/main/${SIGNED_FILE}?download=true`;
    const cases = [
      // A third-party redirector: only finalUrl names the hub file.
      { url: `https://evil.example/r?to=${encodeURIComponent(`${HUB}/${changed}`)}`, finalUrl: `${HUB}/${changed}` },
      { url: `https://hf.co/${changed}` },
      { url: `http://huggingface.co/${changed}` },
      { url: `https://www.huggingface.co/${changed}` },
      // Through an alias to the hub's storage: the alias hop is the one that names the file.
      { url: `https://hf.co/${changed}`, finalUrl: 'https://cas-bridge.xethub.hf.co/xet-bridge-us/abc/def?X-Amz-Signature=1' },
    ];
    let id = 1;
    for (const c of cases) {
      expect(worker.downloads.guards({ id, ...c }), c.url).toBe(true);
      await worker.downloads.onCreated({ id, ...c });
      expect(downloads.paused.at(-1), c.url).toBe(id);
      const pending = await worker.downloads.load(requestOf(opened));
      expect(pending?.check, c.url).toMatchObject({ allow: false, verdict: { state: 'files-changed' } });
      expect(pending?.check.file?.path).toBe(SIGNED_FILE);
      await worker.downloads.decide(requestOf(opened), false);
      expect(downloads.cancelled.at(-1)).toBe(id);
      id++;
    }
    expect(opened).toHaveLength(cases.length);
  });

  it('holds downloads of legacy single-name repos and of hub storage reached with no hub URL in sight (fail closed)', async () => {
    const { worker, downloads, opened } = setup();
    // /gpt2/resolve/… names repo "gpt2": it is checked (here the fixture hub does not know it), never waved through.
    await worker.downloads.onCreated({ id: 1, url: `${HUB}/gpt2/resolve/main/model.safetensors` });
    expect(downloads.paused).toEqual([1]);
    expect((await worker.downloads.load(requestOf(opened)))?.check.allow).toBe(false);
    // A redirector straight to the storage CDN: the file is unknown, so it is not verified.
    await worker.downloads.onCreated({ id: 2, url: 'https://evil.example/r', finalUrl: 'https://cdn-lfs.hf.co/repos/aa/bb/0123?response-content-disposition=x' });
    expect(downloads.paused).toEqual([1, 2]);
    expect((await worker.downloads.load(requestOf(opened)))?.check).toMatchObject({ allow: false, verdict: { state: 'unverifiable', failure: { code: 'NOT_FOUND' } } });
    // A repo named like a section under any owner, and a legacy repo's branch named like one: guarded.
    for (const url of [`${HUB}/o/tree/resolve/main/x.bin`, `${HUB}/gpt2/resolve/resolve/x.bin`, `https://hf.co/o/blob/resolve/main/x.bin`]) {
      expect(worker.downloads.guards({ id: 9, url }), url).toBe(true);
    }
    // A profile and other sites are not downloads of the hub.
    for (const url of [`${HUB}/julien-c`, 'https://example.org/resolve/main/x', 'https://hf.co.evil.example/o/n/resolve/main/x']) {
      expect(worker.downloads.guards({ id: 9, url }), url).toBe(false);
    }
  });
});

describe('download guard: allowed downloads come from the verified commit (finding 5)', () => {
  it('starts the commit URL for a click, and swaps a branch download for it', async () => {
    const { worker, downloads, hub } = setup();
    await keyPolicy(worker);
    const commitUrl = `${HUB}/acme/signed/resolve/${SIGNED_V1}/${SIGNED_FILE}?download=true`;
    const ok = await worker.downloads.onClick(`${HUB}/acme/signed/resolve/main/${SIGNED_FILE}?download=true`, 3);
    expect(ok.allow).toBe(true);
    expect(downloads.started).toEqual([commitUrl]);
    // The download the worker started passes once, untouched.
    await worker.downloads.onCreated({ id: 1001, url: commitUrl });
    expect(downloads.paused).toEqual([]);

    // Started any other way through a branch (and an alias): dropped, and the commit's file fetched
    // instead, so a branch that moves after the check cannot change the bytes that are kept.
    await worker.downloads.onCreated({ id: 7, url: `https://hf.co/acme/signed/resolve/main/${SIGNED_FILE}` });
    expect(downloads.cancelled).toEqual([7]); // the branch download is dropped…
    expect(downloads.started).toEqual([commitUrl, commitUrl]); // …and the commit's file fetched instead
    expect(downloads.resumed).toEqual([]);
    // Already at the commit on the hub itself: resumed as is.
    await worker.downloads.onCreated({ id: 8, url: commitUrl.replace('?download=true', '') });
    expect(downloads.resumed).toEqual([8]);
    expect(hub.stats.requests.some((q: string) => q.includes('/resolve/main/'))).toBe(false);
  });

  it('"Download anyway" fetches the file at the commit the warning described', async () => {
    const { worker, downloads, opened } = setup();
    await keyPolicy(worker);
    const check = await worker.downloads.onClick(`${HUB}/acme/changed/resolve/main/${SIGNED_FILE}?download=true`, 3);
    expect(check.allow).toBe(false);
    await worker.downloads.decide(requestOf(opened), true);
    expect(downloads.started).toEqual([`${HUB}/acme/changed/resolve/${commitSha('acme/changed:v1')}/${SIGNED_FILE}?download=true`]);
  });
});

describe('download guard: page-driven floods (finding 9)', () => {
  it('one warning per file however often a page starts it, and a cap on open warnings', async () => {
    const { worker, downloads, opened } = setup();
    await keyPolicy(worker);
    const url = `${HUB}/acme/changed/resolve/main/${SIGNED_FILE}?download=true`;
    for (let id = 1; id <= 6; id++) await worker.downloads.onCreated({ id, url });
    expect(opened).toHaveLength(1);
    expect(downloads.paused).toEqual([1, 2, 3, 4, 5, 6]);
    expect(downloads.cancelled).toEqual([2, 3, 4, 5, 6]); // repeats are cancelled, never let through
    expect(downloads.resumed).toEqual([]);
    // Many different unverified files: a few warnings, the rest cancelled unasked.
    for (let i = 2; i <= 9; i++) await worker.downloads.onCreated({ id: 10 + i, url: `${HUB}/acme/changed/resolve/main/weights/shard-0000${i}.safetensors` });
    expect(opened).toHaveLength(3);
    expect(downloads.cancelled).toHaveLength(5 + 6);
    expect(downloads.resumed).toEqual([]);
    // Warnings left open do not silence the guard for good: once the burst is over, the next
    // unverified download is asked about again.
    const now = Date.now();
    const clock = vi.spyOn(Date, 'now').mockReturnValue(now + 11_000);
    try {
      await worker.downloads.onCreated({ id: 50, url: `${HUB}/acme/changed/resolve/main/weights/shard-00020.safetensors` });
      expect(opened).toHaveLength(4);
      expect(downloads.paused.at(-1)).toBe(50);
      expect(downloads.cancelled).not.toContain(50);
    } finally {
      clock.mockRestore();
    }
  });
});
