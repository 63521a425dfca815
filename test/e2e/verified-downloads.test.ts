/**
 * Verified downloads end to end: the built dist/chrome in Debian's Chromium against the fixture hub.
 * The bytes are fetched by a dedicated worker of the offscreen document, which Playwright routes only
 * when told to attach to "other" targets (PW_CHROMIUM_ATTACH_TO_OTHER, set below before launching).
 *
 * - a lying hub (lists the signed SHA-256, serves other bytes): no file reaches the downloads, the
 *   private copy is gone, and the downloads page shows expected and actual digest and who lied;
 * - an honest hub: the file lands in the downloads with the signed bytes;
 * - a click on a download link of a verified file becomes a verified download (no extra click);
 * - a download whose connection drops halfway resumes with `Range: bytes=N-` and lands whole;
 * - a gated repo downloads with the user's hub session cookie. Playwright's routing does not show the
 *   cookies a request carries, so the gated repo's files are let through (route.continue) to the same
 *   hub served over TLS on 127.0.0.1 (--host-resolver-rules), which sees the real Cookie header and
 *   refuses the weights without the session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createTlsServer, type Server } from 'node:https';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright';
import { launchWithExtension, extensionPage, send, waitForFinalState, DIST } from '../fixture-hub/browser.mjs';
import { installFixtureHub, hubFetch, HUB, SESSION_COOKIE } from '../fixture-hub/hub.mjs';
import { file, repo } from '../fixture-hub/repo.mjs';
import { fixtureKey } from '../fixture-hub/scenarios.mjs';
import { factory } from '../fixture-hub/factory.mjs';
import type { FixtureHub, Launched } from '../fixture-hub/index.d.mts';
import { attachToOffscreen, verifiedDownloadTools, type Reply, type Vd } from './verified-download-tools.js';

type Tools = ReturnType<typeof verifiedDownloadTools>;

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const WEIGHTS = randomBytes(3 * 1024 * 1024 + 123);
const key = fixtureKey();

/** A key-signed repo: model.sig, a small config (git) and the weights (LFS), plus hub behaviour. */
function signedRepo(id: string, behaviour: Record<string, unknown> = {}) {
  const files = [file('config.json', '{"hidden_size": 8}\n'), file('weights.bin', WEIGHTS, { lfs: true })];
  const { signature } = factory.signModel({ files: Object.fromEntries(files.map((f) => [f.path, f.bytes])), signer: key.signer, name: id.split('/')[1] });
  return repo({ id, commits: { v1: [file('model.sig', signature), ...files] }, ...behaviour });
}

/**
 * The hub's listing names another SHA-256 for the weights than the signature (files changed), but it
 * serves the signed bytes; and it has a file no signature covers. Both downloads are held.
 */
function listingLies() {
  const files = [file('config.json', '{"hidden_size": 8}\n'), file('weights.bin', WEIGHTS, { lfs: true })];
  const { signature } = factory.signModel({ files: Object.fromEntries(files.map((f) => [f.path, f.bytes])), signer: key.signer, name: 'listing-lies' });
  const listed = [file('model.sig', signature), files[0]!, file('weights.bin', WEIGHTS, { lfs: true, lfsOid: 'ab'.repeat(32) }), file('notes.txt', 'added after signing\n')];
  return repo({ id: 'dl/listing-lies', commits: { v1: listed } });
}

let releaseSlow: () => void = () => {};
const slowGate = new Promise<void>((r) => (releaseSlow = r));

describe('verified downloads (dist/chrome, fixture hub)', () => {
  let b: Launched;
  let hub: FixtureHub;
  let extPage: Page;
  let restoreAttach: (() => void) | undefined;
  let visit: Tools['visit'], list: Tools['list'], waitFinished: Tools['waitFinished'];
  let browserDownloads: Tools['browserDownloads'], privateCopies: Tools['privateCopies'], savedBytes: Tools['savedBytes'];
  let tls: Server;
  /** What the TLS hub saw: path and whether the session cookie came with it. */
  const tlsHits: { path: string; cookie: boolean }[] = [];

  beforeAll(async () => {
    if (!existsSync(resolve(DIST, 'manifest.json'))) throw new Error(`${DIST} is missing: run \`node scripts/build.mjs chrome\` first`);
    const dir = mkdtempSync(join(tmpdir(), 'modelseal-e2e-vd-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=huggingface.co', '-days', '1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    let fetchHub: (url: string) => Promise<Response> = async () => new Response('not ready', { status: 503 });
    tls = createTlsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => {
      const path = req.url ?? '/';
      const cookie = (req.headers.cookie ?? '').split(/;\s*/).includes(`${SESSION_COOKIE.name}=${SESSION_COOKIE.value}`);
      tlsHits.push({ path, cookie });
      if (path.includes('/weights.bin') && !cookie) {
        res.writeHead(401, { 'x-error-code': 'GatedRepo' });
        res.end('Access restricted');
        return;
      }
      void fetchHub(`${HUB}${path}`).then(async (r) => {
        const headers: Record<string, string> = {};
        r.headers.forEach((v, k) => (headers[k] = v));
        res.writeHead(r.status, headers);
        res.end(Buffer.from(await r.arrayBuffer()));
      });
    });
    await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
    const tlsAddr = tls.address();
    const tlsPort = typeof tlsAddr === 'object' && tlsAddr ? tlsAddr.port : 0;
    restoreAttach = attachToOffscreen();
    b = await launchWithExtension({ extraArgs: [`--host-resolver-rules=MAP huggingface.co 127.0.0.1:${tlsPort}`, '--ignore-certificate-errors'] });
    hub = await installFixtureHub(b.context, [
      signedRepo('dl/honest'),
      signedRepo('dl/clicked'),
      signedRepo('dl/lying', { lie: true }),
      signedRepo('dl/flaky', { truncateFirst: 1 }),
      signedRepo('dl/gated', { gated: true }),
      signedRepo('dl/slow'),
      listingLies(),
    ]);
    // dl/slow's weights wait until the test lets them go (a download that can be watched and cancelled).
    await b.context.route(`${HUB}/dl/slow/resolve/**`, async (route) => {
      if (route.request().url().includes('weights.bin')) await slowGate;
      return route.fallback();
    });
    fetchHub = hubFetch(hub as Parameters<typeof hubFetch>[0]) as (url: string) => Promise<Response>;
    // The gated repo's files go to the TLS hub, which sees the browser's real Cookie header.
    await b.context.route(`${HUB}/dl/gated/resolve/**`, (route) => route.continue());
    extPage = await extensionPage(b.context, b.extensionId);
    ({ visit, list, waitFinished, browserDownloads, privateCopies, savedBytes } = verifiedDownloadTools(b, extPage));
    const set = (await send(extPage, { type: 'trust/set-expected-key', scope: 'dl/*', publicKeyPem: key.pem })) as Reply<unknown>;
    expect(set.ok, JSON.stringify(set.error)).toBe(true);
  });

  afterAll(async () => {
    await b?.context.close();
    restoreAttach?.();
    tls?.closeAllConnections();
    await new Promise((r) => tls?.close(r));
  });







  it('an honest hub: the verified file lands in the downloads with the signed bytes, and the private copy goes', async () => {
    await visit('dl/honest');
    const started = (await send(extPage, { type: 'verified/start', url: `${HUB}/dl/honest/resolve/main/weights.bin` })) as Reply<Vd>;
    expect(started.ok, JSON.stringify(started.error)).toBe(true);
    const d = await waitFinished((x) => x.id === started.value!.id);
    expect(d.status, JSON.stringify(d)).toBe('done');
    expect(d.actual).toBe(sha256(WEIGHTS));
    expect(d.expected).toBe(sha256(WEIGHTS));
    const bytes = await savedBytes(d.downloadId!);
    expect(sha256(bytes)).toBe(sha256(WEIGHTS));
    const item = (await browserDownloads()).find((x) => x.id === d.downloadId)!;
    expect(item.url.startsWith('blob:')).toBe(true);
    await expect.poll(privateCopies, { timeout: 10_000 }).toEqual([]);
  });

  it('a lying hub (signed digest listed, other bytes served): nothing is kept, and the page says who lied', async () => {
    await visit('dl/lying');
    const before = (await browserDownloads()).length;
    const started = (await send(extPage, { type: 'verified/start', url: `${HUB}/dl/lying/resolve/main/weights.bin` })) as Reply<Vd>;
    expect(started.ok, JSON.stringify(started.error)).toBe(true);
    const d = await waitFinished((x) => x.id === started.value!.id);
    expect(d.status).toBe('failed');
    expect(d.failure?.code).toBe('DOWNLOAD_DIGEST_MISMATCH');
    expect(d.failure?.source).toBe('served-bytes');
    expect(d.failure?.bytesRead).toBe(WEIGHTS.length);
    expect(d.expected).toBe(sha256(WEIGHTS));
    expect(d.actual).toBe(sha256(Buffer.from(WEIGHTS.map((x) => x ^ 0xff))));
    expect(d.downloadId).toBeUndefined();
    // No browser download was created, and no private copy is left.
    expect((await browserDownloads()).length).toBe(before);
    await expect.poll(privateCopies, { timeout: 10_000 }).toEqual([]);

    const page = await b.context.newPage();
    await page.goto(`chrome-extension://${b.extensionId}/extension/pages/downloads.html`);
    const row = page.locator(`tr[data-download-id="${d.id}"]`);
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 10_000 }).toBe('failed');
    expect(await row.locator('[data-digest="expected"]').innerText()).toContain(sha256(WEIGHTS));
    expect(await row.locator('[data-digest="actual"]').innerText()).toContain(d.actual!);
    expect(await row.innerText()).toContain("The hub's listing agreed with the signature, but the bytes it served did not.");
    await page.close();
  });

  it('a click on the download link of a verified file becomes a verified download', async () => {
    const page = await visit('dl/clicked');
    const before = new Set((await list()).map((d) => d.id));
    await page.locator('a[href*="/resolve/"][href*="weights.bin"]').first().click();
    const d = await waitFinished((x) => !before.has(x.id) && x.path === 'weights.bin');
    expect(d.status, JSON.stringify(d)).toBe('done');
    expect(sha256(await savedBytes(d.downloadId!))).toBe(sha256(WEIGHTS));
    // Whatever the browser itself started for the hub URL did not complete with unhashed bytes.
    const hubItems = (await browserDownloads()).filter((x) => x.url.includes('/dl/clicked/'));
    for (const item of hubItems) expect(item.state).not.toBe('complete');
  });

  it('a connection that drops halfway resumes with a Range request and re-hashes nothing', async () => {
    await visit('dl/flaky');
    hub.resetStats();
    const started = (await send(extPage, { type: 'verified/start', url: `${HUB}/dl/flaky/resolve/main/weights.bin` })) as Reply<Vd>;
    expect(started.ok, JSON.stringify(started.error)).toBe(true);
    const d = await waitFinished((x) => x.id === started.value!.id);
    expect(d.status, JSON.stringify(d)).toBe('done');
    const half = Math.floor(WEIGHTS.length / 2);
    const requests = hub.stats.resolveRequests.filter((r) => r.path === 'weights.bin');
    expect(requests.map((r) => r.range)).toEqual([undefined, `bytes=${half}-`]);
    expect(d.resumedFrom).toBe(half);
    expect(d.restartReason).toBeUndefined();
    expect(sha256(await savedBytes(d.downloadId!))).toBe(sha256(WEIGHTS));
  });

  it('a gated repo downloads with the user hub session', async () => {
    await hub.signIn();
    await visit('dl/gated');
    tlsHits.length = 0;
    const started = (await send(extPage, { type: 'verified/start', url: `${HUB}/dl/gated/resolve/main/weights.bin` })) as Reply<Vd>;
    expect(started.ok, JSON.stringify(started.error)).toBe(true);
    const d = await waitFinished((x) => x.id === started.value!.id);
    expect(d.status, JSON.stringify(d)).toBe('done');
    const weights = tlsHits.filter((h) => h.path.includes('/dl/gated/resolve/') && h.path.includes('weights.bin'));
    expect(weights.length).toBeGreaterThan(0);
    expect(weights.every((h) => h.cookie)).toBe(true);
    expect(sha256(await savedBytes(d.downloadId!))).toBe(sha256(WEIGHTS));
  });

  it('the warning page offers "Download and verify anyway" for a file with a signed digest, and keeps it only on a match', async () => {
    const page = await b.context.newPage();
    await page.goto(`${HUB}/dl/listing-lies`);
    const s = await waitForFinalState(b.worker, page);
    expect(s.verdict.state).toBe('files-changed');
    const opened = b.context.waitForEvent('page', { timeout: 15_000 });
    await page.locator('a[href*="/resolve/"][href*="weights.bin"]').first().click();
    const warning = await opened;
    await warning.waitForLoadState();
    const verifyAnyway = warning.locator('[data-verify-anyway]');
    await verifyAnyway.waitFor({ timeout: 15_000 });
    await verifyAnyway.click();
    // The tab becomes the downloads page, which lists it.
    await warning.waitForURL(/\/extension\/pages\/downloads\.html/, { timeout: 15_000 });
    const d = await waitFinished((x) => x.path === 'weights.bin' && x.repo?.repo === 'dl/listing-lies');
    expect(d.status, JSON.stringify(d)).toBe('done');
    expect(d.despiteVerdict).toBe(true);
    // The hub listed other bytes, but served the signed ones: those match the signature, so they are kept.
    expect(sha256(await savedBytes(d.downloadId!))).toBe(sha256(WEIGHTS));
    await warning.close();

    // A file no signature covers has no digest to verify against: only "Download anyway".
    const opened2 = b.context.waitForEvent('page', { timeout: 15_000 });
    await page.locator('a[href*="/resolve/"][href*="notes.txt"]').first().click();
    const warning2 = await opened2;
    await warning2.waitForFunction(() => document.body.innerText.includes('notes.txt'), undefined, { timeout: 15_000 });
    expect(await warning2.locator('[data-verify-anyway]').count()).toBe(0);
    const refused = (await send(extPage, { type: 'verified/start', url: `${HUB}/dl/listing-lies/resolve/main/notes.txt`, anyway: true })) as Reply<Vd>;
    expect(refused).toMatchObject({ ok: false, error: { code: 'DOWNLOAD_NOT_SIGNED' } });
    await warning2.close();
    await page.close();
  });

  it('the popup: "Download verified" per file, and the whole revision one file after another', async () => {
    const page = await visit('dl/honest');
    const s = await waitForFinalState(b.worker, page);
    const before = new Set((await list()).map((d) => d.id));
    const popup = await b.context.newPage();
    await popup.goto(`chrome-extension://${b.extensionId}/popup/index.html?tab=${s.tabId}`);
    await popup.locator('[data-download-verified="weights.bin"]').click();
    const one = await waitFinished((x) => !before.has(x.id) && x.path === 'weights.bin');
    expect(one.status).toBe('done');
    expect(sha256(await savedBytes(one.downloadId!))).toBe(sha256(WEIGHTS));

    const before2 = new Set((await list()).map((d) => d.id));
    await popup.bringToFront();
    await popup.locator('[data-download-revision]').click();
    await expect.poll(async () => (await list()).filter((d) => !before2.has(d.id) && d.status === 'done').map((d) => d.path).sort(), { timeout: 20_000 }).toEqual(['config.json', 'weights.bin']);
    await popup.close();
  });

  it('the downloads page: progress, cancel, retry; the toolbar badge counts active downloads', async () => {
    await visit('dl/slow');
    const badge = () => b.worker.evaluate(() => (globalThis as unknown as { chrome: { action: { getBadgeText(o: object): Promise<string> } } }).chrome.action.getBadgeText({}));
    // Unread alerts (the files-changed repo above raised one) take the badge first; read them.
    expect(await badge()).not.toBe('');
    await send(extPage, { type: 'alerts/mark-read' });
    await expect.poll(badge).toBe('');
    const started = (await send(extPage, { type: 'verified/start', url: `${HUB}/dl/slow/resolve/main/weights.bin` })) as Reply<Vd>;
    expect(started.ok, JSON.stringify(started.error)).toBe(true);
    const id = started.value!.id;
    await expect.poll(badge).toBe('1');
    const page = await b.context.newPage();
    await page.goto(`chrome-extension://${b.extensionId}/extension/pages/downloads.html`);
    const row = page.locator(`tr[data-download-id="${id}"]`);
    await expect.poll(() => row.getAttribute('data-status')).toBe('downloading');
    await row.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => row.getAttribute('data-status')).toBe('cancelled');
    await expect.poll(badge).toBe('');
    releaseSlow();
    await row.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 20_000 }).toBe('done');
    const d = (await list()).find((x) => x.id === id)!;
    expect(sha256(await savedBytes(d.downloadId!))).toBe(sha256(WEIGHTS));
    expect(await badge()).toBe('');
    await page.close();
  });
});
