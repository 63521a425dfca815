/**
 * "Lock this version", end to end: the built dist/chrome in Debian's Chromium against the fixture hub.
 * A verified repo is locked from the popup (the locked revision then lists "your lock" among the
 * sources that agreed); the hub moves main to a new commit signed by the same key with different
 * files, and the popup says the content differs from the lock (not an identity change, not green);
 * the lock exported from the popup is a lock file the core's strict reader accepts, and verifyModel
 * (what `modelseal verify DIR --lock FILE` runs) accepts the locked files on disk with it and refuses
 * the new commit's files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright';
import { send, waitForFinalState } from '../fixture-hub/browser.mjs';
import { HUB } from '../fixture-hub/hub.mjs';
import { commitSha, repo } from '../fixture-hub/repo.mjs';
import { fixtureKey, keySignedFiles } from '../fixture-hub/scenarios.mjs';
import type { FixtureFile, FixtureHub, Launched, TabStateJson } from '../fixture-hub/index.d.mts';
import { parseLock } from '../../extension/core/lock/index.js';
import { verifyModel } from '../../extension/core/verify-model.js';
import type { ListedFile } from '../../extension/core/files/listing.js';
import { SHOTS, openSession } from './session.js';

const ID = 'lock-fixture/model';
const key = fixtureKey();
const V1_FILES = keySignedFiles(key, 8, 'lock-v1');
const V2_FILES = keySignedFiles(key, 8, 'lock-v2');

/** A commit's files as a model folder on disk would list them (content read from memory). */
function onDisk(files: FixtureFile[]): { signature: Uint8Array; listing: ListedFile[] } {
  const sig = files.find((f) => f.path === 'model.sig');
  if (!sig) throw new Error('no model.sig');
  const listing = files.filter((f) => f.path !== 'model.sig').map((f) => ({ path: f.path, size: f.bytes.length, content: async () => new Uint8Array(f.bytes) }));
  return { signature: new Uint8Array(sig.bytes), listing };
}

describe('lock this version (dist/chrome, fixture hub)', () => {
  let b: Launched;
  let hub: FixtureHub;
  let extPage: Page;

  beforeAll(async () => {
    ({ b, hub, extPage } = await openSession([repo({ id: ID, commits: { v1: V1_FILES, v2: V2_FILES }, branches: { main: 'v1' } })]));
    // The fixture key signs both commits: trusted through a key policy, as a user would set it.
    expect(await send(extPage, { type: 'trust/set-expected-key', scope: 'lock-fixture/*', publicKeyPem: key.pem })).toMatchObject({ ok: true });
  });

  afterAll(async () => {
    await b?.context.close();
  });

  async function visit(page: Page): Promise<TabStateJson> {
    const t0 = Date.now();
    await page.goto(`${HUB}/${ID}`);
    return (await waitForFinalState(b.worker, page, { since: t0 })) as TabStateJson;
  }

  async function openPopup(tabId: number): Promise<Page> {
    const p = await b.context.newPage();
    await p.setViewportSize({ width: 440, height: 900 });
    await p.goto(`chrome-extension://${b.extensionId}/popup/index.html?tab=${tabId}`);
    return p;
  }

  it('locks a verified repo; a new commit by the same signer with other files differs from the lock; the exported lock works for the CLI check', async () => {
    const page = await b.context.newPage();
    const first = await visit(page);
    expect(first.verdict.state).toBe('verified');
    expect(first.verdict.subject.commit).toBe(commitSha(`${ID}:v1`));

    // Lock this version, in the popup.
    const popup = await openPopup(first.tabId);
    await popup.locator('.ms-state[data-state="verified"]').waitFor({ timeout: 30_000 });
    await popup.locator('[data-action="lock"]').click();
    await popup.locator(`.ms-lock[data-locked="${commitSha(`${ID}:v1`)}"]`).waitFor({ timeout: 30_000 });
    // The worker re-checks the repo: the locked revision now lists the lock among the agreed sources.
    await expect.poll(async () => (await popup.locator('.ms-agreed').getAttribute('data-agreed')) ?? '', { timeout: 30_000 }).toContain('lock');
    expect(await popup.locator('.ms-agreed').innerText()).toMatch(/^Agreed: signature · hub’s digests \(\d+ files\) · hashed here \(\d+ files?\) · your lock · your pin · your policy$/);
    await popup.screenshot({ path: resolve(SHOTS, 'lock-locked.png'), fullPage: true });

    // The owner pushes: main now points at a commit signed by the same key over other files.
    hub.moveBranch('model', ID, 'main', 'v2');
    const later = await visit(page);
    expect(later.verdict.subject.commit).toBe(commitSha(`${ID}:v2`));
    expect(later.verdict.state).toBe('lock-mismatch');
    expect(later.verdict.failure.code).toBe('LOCK_MISMATCH');
    expect(later.verdict.signature.signer).toEqual({ kind: 'key', keyFingerprint: key.fingerprint });

    await popup.reload();
    await popup.locator('.ms-state[data-state="lock-mismatch"]').waitFor({ timeout: 30_000 });
    const shown = await popup.locator('.ms-verdict').innerText();
    expect(shown).toContain('Differs from your lock');
    expect(shown).toMatch(/8 files differ from the version you locked/);
    expect(shown).not.toContain('Identity changed');
    expect(await popup.locator('.ms-agreed').getAttribute('data-agreed')).not.toContain('lock');
    expect(await popup.locator('[data-action="lock"]').innerText()).toBe('Lock this version instead');
    await popup.screenshot({ path: resolve(SHOTS, 'lock-differs.png'), fullPage: true });

    // Export the lock file from the popup: a download of the lock document.
    const [download] = await Promise.all([popup.waitForEvent('download'), popup.locator('[data-action="export-lock"]').click()]);
    expect(download.suggestedFilename()).toBe('modelseal.lock.json');
    const text = readFileSync(await download.path());
    const lock = parseLock(new Uint8Array(text));
    expect(lock).toMatchObject({ hub: HUB, kind: 'model', repo: ID, commit: commitSha(`${ID}:v1`), signer: { kind: 'key', keyFingerprint: key.fingerprint } });
    expect(lock.manifest.rootDigest).toBe(first.verdict.signature.rootDigest);

    // What `modelseal verify DIR --lock FILE` runs: the locked files verify, the new commit's do not.
    const mode = { kind: 'key' as const, publicKeyPem: key.pem };
    const v1 = onDisk(V1_FILES);
    const ok = await verifyModel({ signatureBytes: v1.signature, listing: v1.listing, mode, lock });
    expect(ok.state).toBe('verified');
    expect(ok.agreed?.map((a) => a.source)).toContain('lock');
    const v2 = onDisk(V2_FILES);
    const refused = await verifyModel({ signatureBytes: v2.signature, listing: v2.listing, mode, lock });
    expect(refused.state).toBe('lock-mismatch');
    expect(refused.state === 'lock-mismatch' && refused.failure.code).toBe('LOCK_MISMATCH');

    // Removing the lock: the new commit is green again.
    await popup.locator('[data-action="remove-lock"]').click();
    await popup.locator('.ms-lock[data-locked=""]').waitFor({ timeout: 30_000 });
    expect((await visit(page)).verdict.state).toBe('verified');
  });
});
