/**
 * Verified downloads of files signed by the `shards` method (model_signing `--method shards`), end to
 * end: the built dist/chrome in Debian's Chromium against the fixture hub, 64 KiB shards so a 3 MiB
 * file has 49 of them. Each shard is hashed on its own as it streams and compared at its last byte.
 *
 * - an honest hub, a click on the download link: the file lands with the signed bytes (SHA-256), and
 *   the downloads page names the algorithm and the shard count; the popup's "Download verified";
 *   the same for BLAKE2b shards;
 * - a hub that serves the checker honest bytes and the downloader bytes that differ from the second
 *   shard on: the download stops at that shard's end, nothing is kept, and the page shows the range;
 * - a connection that drops halfway (inside a shard) resumes with `Range: bytes=N-` and lands whole;
 * - the warning page (a signed shard file in a revision that is not verified) names the shards and
 *   offers "Download and verify anyway".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright';
import { launchWithExtension, extensionPage, send, waitForFinalState, DIST } from '../fixture-hub/browser.mjs';
import { installFixtureHub, HUB } from '../fixture-hub/hub.mjs';
import { file, repo } from '../fixture-hub/repo.mjs';
import { fixtureKey } from '../fixture-hub/scenarios.mjs';
import { factory } from '../fixture-hub/factory.mjs';
import type { FixtureHub, Launched } from '../fixture-hub/index.d.mts';
import { attachToOffscreen, verifiedDownloadTools, type Reply, type Vd } from './verified-download-tools.js';

type Tools = ReturnType<typeof verifiedDownloadTools>;

const SHARD = 64 * 1024;
const WEIGHTS = randomBytes(3 * 1024 * 1024 + 123);
const SHARDS = Math.ceil(WEIGHTS.length / SHARD);
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const key = fixtureKey();

/** A key-signed repo whose files are signed by shards, plus hub behaviour. */
function shardRepo(id: string, behaviour: Record<string, unknown> = {}, hashType: 'sha256' | 'blake2b' = 'sha256', extra: ReturnType<typeof file>[] = []) {
  const files = [file('config.json', '{"hidden_size": 8}\n'), file('weights.bin', WEIGHTS, { lfs: true })];
  const { signature } = factory.signModel({ files: Object.fromEntries(files.map((f) => [f.path, f.bytes])), signer: key.signer, name: id.split('/')[1], method: 'shards', shardSize: SHARD, hashType });
  return repo({ id, commits: { v1: [file('model.sig', signature), ...files, ...extra] }, ...behaviour });
}

// Its first download after the check drops halfway (armed once the checker has fetched the file).
const flaky = shardRepo('sh/flaky') as ReturnType<typeof shardRepo> & { truncateFirst?: number };

describe('verified downloads of shard-signed files (dist/chrome, fixture hub)', () => {
  let b: Launched;
  let hub: FixtureHub;
  let extPage: Page;
  let restoreAttach: (() => void) | undefined;
  let visit: Tools['visit'], list: Tools['list'], waitFinished: Tools['waitFinished'];
  let browserDownloads: Tools['browserDownloads'], privateCopies: Tools['privateCopies'], savedBytes: Tools['savedBytes'];

  beforeAll(async () => {
    if (!existsSync(resolve(DIST, 'manifest.json'))) throw new Error(`${DIST} is missing: run \`node scripts/build.mjs chrome\` first`);
    restoreAttach = attachToOffscreen();
    b = await launchWithExtension();
    hub = await installFixtureHub(b.context, [
      shardRepo('sh/honest'),
      shardRepo('sh/blake2b', {}, 'blake2b'),
      // The checker's download is honest; every later one differs from inside the second shard on.
      shardRepo('sh/lying', { lie: true, honestFirst: 1, lieFrom: SHARD + 10 }),
      flaky,
      shardRepo('sh/added', {}, 'sha256', [file('notes.txt', 'added after signing\n')]),
    ]);
    extPage = await extensionPage(b.context, b.extensionId);
    ({ visit, list, waitFinished, browserDownloads, privateCopies, savedBytes } = verifiedDownloadTools(b, extPage));
    const set = (await send(extPage, { type: 'trust/set-expected-key', scope: 'sh/*', publicKeyPem: key.pem })) as Reply<unknown>;
    expect(set.ok, JSON.stringify(set.error)).toBe(true);
  });

  afterAll(async () => {
    await b?.context.close();
    restoreAttach?.();
  });







  async function downloadsRow(id: string): Promise<{ page: Page; row: ReturnType<Page['locator']> }> {
    const page = await b.context.newPage();
    await page.goto(`chrome-extension://${b.extensionId}/extension/pages/downloads.html`);
    return { page, row: page.locator(`tr[data-download-id="${id}"]`) };
  }

  it('an honest hub: a click on the link downloads the shard-signed file verified, with its signed bytes', async () => {
    const page = await visit('sh/honest');
    const before = new Set((await list()).map((d) => d.id));
    await page.locator('a[href*="/resolve/"][href*="weights.bin"]').first().click();
    const d = await waitFinished((x) => !before.has(x.id) && x.path === 'weights.bin');
    expect(d.status, JSON.stringify(d)).toBe('done');
    expect(d).toMatchObject({ algorithm: 'sha256', shardCount: SHARDS, size: WEIGHTS.length, received: WEIGHTS.length });
    expect(d.shards).toBeUndefined();
    expect(d.expected).toBeUndefined();
    expect(sha256(await savedBytes(d.downloadId!))).toBe(sha256(WEIGHTS));
    await expect.poll(privateCopies, { timeout: 10_000 }).toEqual([]);

    const { page: dl, row } = await downloadsRow(d.id);
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 10_000 }).toBe('done');
    expect(await row.locator(`[data-shards="${SHARDS}"]`).innerText()).toContain(`sha256, signed by shards: ${SHARDS} byte ranges`);
    expect(await row.locator('[data-shards-match]').innerText()).toBe(`all ${SHARDS} shards match`);
    await dl.close();
    await page.close();
  });

  it('the popup offers "Download verified" for a shard-signed file', async () => {
    const page = await visit('sh/honest');
    const s = await waitForFinalState(b.worker, page);
    const before = new Set((await list()).map((d) => d.id));
    const popup = await b.context.newPage();
    await popup.goto(`chrome-extension://${b.extensionId}/popup/index.html?tab=${s.tabId}`);
    await popup.locator('[data-download-verified="weights.bin"]').click();
    const d = await waitFinished((x) => !before.has(x.id) && x.path === 'weights.bin');
    expect(d.status, JSON.stringify(d)).toBe('done');
    expect(d.shardCount).toBe(SHARDS);
    expect(sha256(await savedBytes(d.downloadId!))).toBe(sha256(WEIGHTS));
    await popup.close();
    await page.close();
  });

  it('BLAKE2b shards: hashed with the manifest algorithm', async () => {
    await visit('sh/blake2b');
    const started = (await send(extPage, { type: 'verified/start', url: `${HUB}/sh/blake2b/resolve/main/weights.bin` })) as Reply<Vd>;
    expect(started.ok, JSON.stringify(started.error)).toBe(true);
    expect(started.value).toMatchObject({ algorithm: 'blake2b', shardCount: SHARDS });
    const d = await waitFinished((x) => x.id === started.value!.id);
    expect(d.status, JSON.stringify(d)).toBe('done');
    expect(sha256(await savedBytes(d.downloadId!))).toBe(sha256(WEIGHTS));
  });

  it('a hub lying from the second shard on: the download stops at that shard, nothing is kept, and the range is shown', async () => {
    await visit('sh/lying');
    const before = (await browserDownloads()).length;
    const started = (await send(extPage, { type: 'verified/start', url: `${HUB}/sh/lying/resolve/main/weights.bin` })) as Reply<Vd>;
    expect(started.ok, JSON.stringify(started.error)).toBe(true);
    const d = await waitFinished((x) => x.id === started.value!.id);
    expect(d.status).toBe('failed');
    const served = Buffer.from(WEIGHTS.map((x, i) => (i >= SHARD + 10 ? x ^ 0xff : x)));
    const second = { start: SHARD, end: 2 * SHARD, expected: sha256(WEIGHTS.subarray(SHARD, 2 * SHARD)), actual: sha256(served.subarray(SHARD, 2 * SHARD)) };
    expect(d.failure).toMatchObject({ code: 'DOWNLOAD_DIGEST_MISMATCH', source: 'served-bytes', shard: second });
    // It failed as the second shard's last byte was hashed, not at the end of the file.
    expect(d.failure?.bytesRead).toBe(2 * SHARD);
    expect(d.failure?.reason).toContain(`bytes ${SHARD}-${2 * SHARD}`);
    expect(d.downloadId).toBeUndefined();
    expect((await browserDownloads()).length).toBe(before);
    await expect.poll(privateCopies, { timeout: 10_000 }).toEqual([]);

    const { page, row } = await downloadsRow(d.id);
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 10_000 }).toBe('failed');
    const bad = row.locator(`[data-shard-range="${SHARD}-${2 * SHARD}"]`);
    expect(await bad.innerText()).toContain(`Bytes ${SHARD}–${2 * SHARD} do not match their signed shard`);
    expect(await bad.locator('[data-digest="expected"]').innerText()).toBe(`sha256:${second.expected}`);
    expect(await bad.locator('[data-digest="actual"]').innerText()).toBe(`sha256:${second.actual}`);
    await page.close();
  });

  it('a connection that drops inside a shard resumes with a Range request and re-hashes nothing', async () => {
    await visit('sh/flaky');
    flaky.truncateFirst = 1;
    hub.resetStats();
    const started = (await send(extPage, { type: 'verified/start', url: `${HUB}/sh/flaky/resolve/main/weights.bin` })) as Reply<Vd>;
    expect(started.ok, JSON.stringify(started.error)).toBe(true);
    const d = await waitFinished((x) => x.id === started.value!.id);
    expect(d.status, JSON.stringify(d)).toBe('done');
    const half = Math.floor(WEIGHTS.length / 2);
    expect(half % SHARD).not.toBe(0);
    expect(hub.stats.resolveRequests.filter((r) => r.path === 'weights.bin').map((r) => r.range)).toEqual([undefined, `bytes=${half}-`]);
    expect(d.resumedFrom).toBe(half);
    expect(d.restartReason).toBeUndefined();
    expect(sha256(await savedBytes(d.downloadId!))).toBe(sha256(WEIGHTS));
  });

  it('the warning page names the shards and offers "Download and verify anyway" for a signed shard file', async () => {
    const page = await visit('sh/added', /^files-changed$/);
    const opened = b.context.waitForEvent('page', { timeout: 15_000 });
    await page.locator('a[href*="/resolve/"][href*="weights.bin"]').first().click();
    const warning = await opened;
    await warning.waitForLoadState();
    const signed = warning.locator('[data-signed-digest]');
    await signed.waitFor({ timeout: 15_000 });
    expect(await signed.innerText()).toContain(`sha256, by shards: ${SHARDS} byte ranges`);
    await warning.locator('[data-verify-anyway]').click();
    await warning.waitForURL(/\/extension\/pages\/downloads\.html/, { timeout: 15_000 });
    const d = await waitFinished((x) => x.path === 'weights.bin' && x.repo?.repo === 'sh/added');
    expect(d.status, JSON.stringify(d)).toBe('done');
    expect(d.despiteVerdict).toBe(true);
    expect(sha256(await savedBytes(d.downloadId!))).toBe(sha256(WEIGHTS));
    await warning.close();
    await page.close();
  });
});
