/**
 * "Check files on this computer", end to end: the built dist/chrome in Debian's Chromium, the page
 * driven through its `<input webkitdirectory>` with Playwright's setInputFiles (the directory picker
 * cannot be driven headless), models signed by the fixture factory and written to a temp dir, and
 * the fixture hub (context.route) for the hub-revision mode. The verdict asserted is the page's:
 * state, and each file row's status.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright';
import { launchWithExtension, extensionPage, send, waitForFinalState, DIST } from '../fixture-hub/browser.mjs';
import { factory } from '../fixture-hub/factory.mjs';
import { installFixtureHub, HUB } from '../fixture-hub/hub.mjs';
import { file, repo } from '../fixture-hub/repo.mjs';
import { fixtureKey, hasShared, OMS_REAL } from '../fixture-hub/scenarios.mjs';
import type { Launched } from '../fixture-hub/index.d.mts';

type Files = Record<string, Uint8Array>;

/** Deterministic pseudo-random bytes (a model's weights). */
function weights(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

function writeFolder(dir: string, files: Files, signature?: string): string {
  for (const [path, bytes] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), bytes);
  }
  if (signature !== undefined) writeFileSync(join(dir, 'model.sig'), signature);
  return dir;
}

/** A copy of `dir` with one byte of `path` flipped. */
function tamperedCopy(dir: string, to: string, path: string, at: number): string {
  cpSync(dir, to, { recursive: true });
  const bytes = readFileSync(join(to, path));
  bytes[at] = (bytes[at] ?? 0) ^ 0x01;
  writeFileSync(join(to, path), bytes);
  return to;
}

describe('Check files on this computer (dist/chrome)', () => {
  let b: Launched;
  let extPage: Page;
  let tmp: string;
  const key = fixtureKey('modelseal-disk-check');
  const MODEL = 'disk/key-model';
  const model: Files = {
    'config.json': new TextEncoder().encode('{"architectures": ["DiskModel"]}\n'),
    'weights/model-00001.safetensors': weights(3 * 1024 * 1024 + 17, 1),
    'weights/model-00002.safetensors': weights(1024 * 1024, 2),
    'tokenizer/vocab.json': new TextEncoder().encode('{"a": 1}\n'),
    'empty.txt': new Uint8Array(0),
  };
  const signed = factory.signModel({ files: model, signer: key.signer, name: 'key-model' });
  const dirs: Record<string, string> = {};

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'modelseal-disk-'));
    dirs.good = writeFolder(join(tmp, 'good', 'key-model'), model, signed.signature);
    dirs.tampered = tamperedCopy(dirs.good, join(tmp, 'tampered', 'key-model'), 'weights/model-00001.safetensors', 2 * 1024 * 1024 + 5);
    dirs.extra = join(tmp, 'extra', 'key-model');
    cpSync(dirs.good, dirs.extra, { recursive: true });
    writeFileSync(join(dirs.extra, 'weights', 'added.py'), 'import os\n');
    // The same model without its model.sig, for the hub mode (downloaded files only).
    dirs.bare = writeFolder(join(tmp, 'bare', 'key-model'), model);
    dirs.bareTampered = tamperedCopy(dirs.bare, join(tmp, 'bare-tampered', 'key-model'), 'config.json', 3);
    // BLAKE3 shards (1 MiB) and BLAKE2b files: every hasher the workers carry.
    const shardModel: Files = { 'w.bin': weights(2.5 * 1024 * 1024, 3), 'small.json': new TextEncoder().encode('{}') };
    const shards = factory.signModel({ files: shardModel, signer: key.signer, name: 'shards', method: 'shards', hashType: 'blake3', shardSize: 1024 * 1024 });
    dirs.shards = writeFolder(join(tmp, 'shards', 'm'), shardModel, shards.signature);
    dirs.shardsTampered = tamperedCopy(dirs.shards, join(tmp, 'shards-tampered', 'm'), 'w.bin', 1024 * 1024 + 10);
    const b2 = factory.signModel({ files: model, signer: key.signer, name: 'b2', hashType: 'blake2b' });
    dirs.blake2b = writeFolder(join(tmp, 'blake2b', 'm'), model, b2.signature);
    // A model.sig over the 1 MiB bound.
    dirs.hugeSig = writeFolder(join(tmp, 'huge', 'm'), { 'a.bin': new Uint8Array([1]) }, `{"pad":"${'x'.repeat(1024 * 1024 + 10)}"}`);
    dirs.noSig = writeFolder(join(tmp, 'nosig', 'm'), { 'a.bin': new Uint8Array([1]) });
    if (hasShared()) {
      dirs.real = join(tmp, 'real', 'v1.1.0-sigstore');
      cpSync(join(OMS_REAL, 'v1.1.0-sigstore'), dirs.real, { recursive: true });
      dirs.realTampered = tamperedCopy(dirs.real, join(tmp, 'real-tampered', 'v1.1.0-sigstore'), 'signme-2', 0);
    }

    if (!existsSync(join(DIST, 'manifest.json'))) throw new Error(`${DIST} is missing: run \`node scripts/build.mjs chrome\` first`);
    b = await launchWithExtension();
    const hubFiles = [file('model.sig', signed.signature), ...Object.entries(model).map(([p, bytes]) => file(p, bytes, { lfs: p.endsWith('.safetensors') }))];
    await installFixtureHub(b.context, [repo({ id: MODEL, commits: { v1: hubFiles } })]);
    extPage = await extensionPage(b.context, b.extensionId);
    const set = await send(extPage, { type: 'trust/set-expected-key', scope: MODEL, publicKeyPem: key.pem });
    expect(set.ok).toBe(true);
  }, 120_000);

  afterAll(async () => {
    await b?.context.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  /** Opens the page, picks `dir` through the webkitdirectory input, sets the mode, runs, returns the page. */
  async function check(dir: string, opts: { against?: 'folder' | 'revision'; repo?: string; query?: string } = {}): Promise<Page> {
    const page = await b.context.newPage();
    await page.goto(`chrome-extension://${b.extensionId}/extension/pages/check-files.html${opts.query ?? ''}`);
    await page.locator('[data-testid=disk-folder-input]').setInputFiles(dir);
    await page.locator('[data-testid=disk-picked]').waitFor();
    if (opts.against) await page.locator(`input[name=against][value=${opts.against}]`).check();
    if (opts.repo !== undefined) await page.locator('[data-testid=disk-repo]').fill(opts.repo);
    await page.locator('[data-testid=disk-run]').click();
    await page.locator('[data-testid=disk-result]').waitFor({ timeout: 60_000 });
    return page;
  }

  const stateOf = (page: Page) => page.locator('[data-testid=disk-result]').getAttribute('data-state');
  const rowStatus = (page: Page, path: string) => page.locator('tr[data-status]', { hasText: path }).first().getAttribute('data-status');
  const statuses = async (page: Page) => (await page.locator('tr[data-status]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')))) as string[];
  const code = (page: Page) => page.locator('[data-testid=disk-result] .ms-code').first().textContent();

  it('a good copy, folder signature judged for the named repo (key policy): green, every file verified', async () => {
    const page = await check(dirs.good!, { repo: MODEL });
    expect(await stateOf(page)).toBe('verified');
    const s = await statuses(page);
    expect(s.filter((x) => x === 'verified')).toHaveLength(5);
    // The signature file itself is the only other row.
    expect(s.filter((x) => x !== 'verified')).toEqual(['ignored']);
    expect(await rowStatus(page, 'model.sig')).toBe('ignored');
    await expect(page.locator('[data-testid=disk-picked]').textContent()).resolves.toContain('key-model');
    await page.screenshot({ path: 'test-results/screenshots/disk-check-verified.png', fullPage: true });
    await page.close();
  });

  it('a tampered copy (one byte changed): that file is a mismatch, state files-changed', async () => {
    const page = await check(dirs.tampered!, { repo: MODEL });
    expect(await stateOf(page)).toBe('files-changed');
    expect(await rowStatus(page, 'weights/model-00001.safetensors')).toBe('mismatch');
    expect(await rowStatus(page, 'weights/model-00002.safetensors')).toBe('verified');
    expect(await rowStatus(page, 'config.json')).toBe('verified');
    expect(await code(page)).toBe('FILES_MISMATCH');
    await page.screenshot({ path: 'test-results/screenshots/disk-check-tampered.png', fullPage: true });
    await page.close();
  });

  it('a file added to the folder is not signed: files-changed', async () => {
    const page = await check(dirs.extra!, { repo: MODEL });
    expect(await stateOf(page)).toBe('files-changed');
    expect(await rowStatus(page, 'weights/added.py')).toBe('unsigned');
  });

  it('BLAKE3 shard manifest: verified; one byte changed in the second shard: mismatch', async () => {
    const good = await check(dirs.shards!, { repo: MODEL });
    expect(await stateOf(good)).toBe('verified');
    expect(await rowStatus(good, 'w.bin')).toBe('verified');
    const bad = await check(dirs.shardsTampered!, { repo: MODEL });
    expect(await stateOf(bad)).toBe('files-changed');
    expect(await rowStatus(bad, 'w.bin')).toBe('mismatch');
    await expect(bad.locator('tr[data-status=mismatch]').textContent()).resolves.toContain('shard 1048576:2097152 differs');
  });

  it('BLAKE2b manifest: verified', async () => {
    const page = await check(dirs.blake2b!, { repo: MODEL });
    expect(await stateOf(page)).toBe('verified');
  });

  it('another repo named (no key policy for it): the key signature cannot be checked, amber', async () => {
    // Key signatures need the repo's key: with none for this repo the signature cannot be checked.
    const page = await check(dirs.good!, { repo: 'someone/else' });
    expect(await stateOf(page)).toBe('unverifiable');
    expect(await code(page)).toBe('VERIFICATION_MATERIAL_UNSUPPORTED');
  });

  it('hostile input: a model.sig over 1 MiB is refused unread; no model.sig says so', async () => {
    const huge = await check(dirs.hugeSig!);
    expect(await stateOf(huge)).toBe('unverifiable');
    expect(await code(huge)).toBe('BUNDLE_TOO_LARGE');
    const none = await check(dirs.noSig!);
    expect(await stateOf(none)).toBe('unverifiable');
    expect(await code(none)).toBe('NOT_FOUND');
  });

  it('hub revision mode: downloaded files checked against the hub revision signature, good and tampered', async () => {
    const good = await check(dirs.bare!, { against: 'revision', repo: `${MODEL}@main` });
    expect(await stateOf(good)).toBe('verified');
    expect(await statuses(good)).toEqual(['verified', 'verified', 'verified', 'verified', 'verified']);
    await expect(good.locator('.ms-subject').textContent()).resolves.toContain(MODEL);
    const bad = await check(dirs.bareTampered!, { against: 'revision', repo: MODEL });
    expect(await stateOf(bad)).toBe('files-changed');
    expect(await rowStatus(bad, 'config.json')).toBe('mismatch');
  });

  it('opened from a tab (repo and commit in the query): hub revision mode is preselected', async () => {
    const query = `?hub=${encodeURIComponent(HUB)}&kind=model&repo=${encodeURIComponent(MODEL)}&revision=main`;
    const page = await check(dirs.bare!, { query });
    await expect(page.locator('[data-testid=disk-repo]').inputValue()).resolves.toBe(`${MODEL}@main`);
    expect(await stateOf(page)).toBe('verified');
  });

  it('from the popup of a repo page: the page opens on that repo at its verified commit, hub mode, and checks the folder', async () => {
    const hubPage = await b.context.newPage();
    const since = Date.now();
    await hubPage.goto(`${HUB}/${MODEL}`);
    const state = await waitForFinalState(b.worker, hubPage, { since });
    expect(state.verdict.state).toBe('verified');
    const commit = state.verdict.subject?.commit;
    expect(commit).toMatch(/^[0-9a-f]{40}$/);
    const popup = await b.context.newPage();
    await popup.goto(`chrome-extension://${b.extensionId}/popup/index.html?tab=${state.tabId}`);
    const opened = b.context.waitForEvent('page');
    await popup.locator('[data-testid=popup-check-files]').click();
    const page = await opened;
    await page.waitForLoadState();
    expect(new URL(page.url()).pathname).toBe('/extension/pages/check-files.html');
    await expect(page.locator('[data-testid=disk-repo]').inputValue()).resolves.toBe(`${MODEL}@${commit}`);
    await expect(page.locator('input[name=against][value=revision]').isChecked()).resolves.toBe(true);
    await page.locator('[data-testid=disk-folder-input]').setInputFiles(dirs.bare!);
    await page.locator('[data-testid=disk-run]').click();
    await page.locator('[data-testid=disk-result]').waitFor({ timeout: 60_000 });
    expect(await stateOf(page)).toBe('verified');
    await expect(page.locator('.ms-subject').textContent()).resolves.toContain(commit!.slice(0, 7));
  });

  if (hasShared()) {
    it('real Sigstore signature in the folder, no repo named: files match, signer named but not judged (amber)', async () => {
      const page = await check(dirs.real!);
      expect(await stateOf(page)).toBe('unpinned-revision');
      expect(await code(page)).toBe('SIGNER_NOT_JUDGED');
      await expect(page.locator('[data-testid=disk-result]').textContent()).resolves.toContain('stefanb@us.ibm.com');
      expect(await rowStatus(page, 'signme-1')).toBe('verified');
      await page.screenshot({ path: 'test-results/screenshots/disk-check-not-judged.png', fullPage: true });
    });

    it('real Sigstore signature judged for a named repo: by its policy (green), by another signer\'s policy (red), with none (amber)', async () => {
      const policy = await send(extPage, { type: 'trust/set-expected', scope: 'ibm-disk/trusted', identity: 'stefanb@us.ibm.com', issuer: 'https://sigstore.verify.ibm.com/oauth2' });
      expect(policy.ok).toBe(true);
      const other = await send(extPage, { type: 'trust/set-expected', scope: 'ibm-disk/other', identity: 'someone@example.com', issuer: 'https://sigstore.verify.ibm.com/oauth2' });
      expect(other.ok).toBe(true);
      const trusted = await check(dirs.real!, { repo: 'ibm-disk/trusted' });
      expect(await stateOf(trusted)).toBe('verified');
      const changed = await check(dirs.real!, { repo: 'ibm-disk/other' });
      expect(await stateOf(changed)).toBe('identity-changed');
      expect(await code(changed)).toBe('IDENTITY_MISMATCH');
      const none = await check(dirs.real!, { repo: 'ibm-disk/nobody' });
      expect(await stateOf(none)).toBe('unpinned-revision');
      expect(await code(none)).toBe('SIGNER_NOT_JUDGED');
      // A disk check never pins: the repo still has no pin afterwards.
      const history = await send(extPage, { type: 'repo/history', hub: HUB, kind: 'model', repo: 'ibm-disk/nobody' });
      expect(history).toEqual({ ok: true, value: null });
    });

    it('real Sigstore signature, one byte changed: files-changed', async () => {
      const page = await check(dirs.realTampered!);
      expect(await stateOf(page)).toBe('files-changed');
      expect(await rowStatus(page, 'signme-2')).toBe('mismatch');
      expect(await rowStatus(page, 'signme-1')).toBe('verified');
    });
  } else {
    console.log('e2e: ../shared/fixtures/oms-real not found: disk checks of the real Sigstore signature not registered');
  }

  it('progress shows bytes and throughput; Stop cancels the hashing: could not verify (CANCELLED), never green', async () => {
    const big: Files = { 'big.bin': weights(96 * 1024 * 1024, 11) };
    const dir = writeFolder(join(tmp, 'big', 'm'), big, factory.signModel({ files: big, signer: key.signer }).signature);
    const page = await b.context.newPage();
    // One worker, so the check takes long enough to be stopped on any machine.
    await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => 1 }));
    await page.goto(`chrome-extension://${b.extensionId}/extension/pages/check-files.html`);
    await page.locator('[data-testid=disk-folder-input]').setInputFiles(dir);
    await page.locator('[data-testid=disk-repo]').fill(MODEL);
    await page.locator('[data-testid=disk-run]').click();
    const progress = page.locator('[data-testid=disk-progress-text]');
    await expect(progress.textContent({ timeout: 30_000 })).resolves.toMatch(/^[\d.]+ of 101 MB hashed · \d+ MB\/s$/);
    // Some bytes hashed, and a throughput to show, before it is stopped.
    await page.waitForFunction(() => /^(?!0\.0 )[\d.]+ of 101 MB hashed · [1-9]\d* MB\/s$/.test(document.querySelector('[data-testid=disk-progress-text]')?.textContent ?? ''), undefined, { timeout: 30_000 });
    await page.screenshot({ path: 'test-results/screenshots/disk-check-progress.png', fullPage: true });
    await page.locator('[data-testid=disk-cancel]').click();
    await page.locator('[data-testid=disk-result]').waitFor({ timeout: 30_000 });
    expect(await stateOf(page)).toBe('unverifiable');
    expect(await code(page)).toBe('CANCELLED');
    expect(await rowStatus(page, 'big.bin')).toBe('unchecked');
  });

  it('file names are text: a hostile name renders as text, never as markup', async () => {
    const dir = join(tmp, 'hostile', 'm');
    writeFolder(dir, { '<img src=x onerror=alert(1)>.bin': randomBytes(10) }, signed.signature);
    const page = await check(dir, { repo: MODEL });
    expect(await stateOf(page)).toBe('files-changed');
    expect(await page.locator('[data-testid=disk-result] img').count()).toBe(0);
    await expect(page.locator('[data-testid=disk-result]').textContent()).resolves.toContain('<img src=x onerror=alert(1)>.bin');
  });
});
