/**
 * Attacks on the popup's trust steps, in the built extension (dist/chrome) in Chromium over the
 * fixture hub:
 *  - a crafted trust export (a key policy for meta-llama/*, k = 16, no pins, no alerts) chosen in
 *    Settings is only previewed; merging is the default, and nothing that widens trust applies
 *    without the typed word; the worker refuses a stale or unconfirmed apply;
 *  - accepting a new signer when an expected-identity policy named the old one used to pin, say
 *    "now trusted" and leave the policy in force (the next check: "identity changed" again). The
 *    step now shows the policy change, makes it, and the repo verifies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright';
import { launchWithExtension, extensionPage, send, waitForFinalState, DIST } from '../fixture-hub/browser.mjs';
import { installFixtureHub, HUB } from '../fixture-hub/hub.mjs';
import { fixtureKey, hasShared, keySignedFiles, OMS_REAL } from '../fixture-hub/scenarios.mjs';
import { file, repo, sha256Hex } from '../fixture-hub/repo.mjs';
import type { Launched, TabStateJson } from '../fixture-hub/index.d.mts';
import type { TrustDocument } from '../../extension/core/trust/types.js';
import type { ImportPreview } from '../../extension/core/trust/import.js';

const SHOTS = resolve(process.cwd(), 'test-results/screenshots');
const SIGSTORE_IDENTITY = 'stefanb@us.ibm.com';
const SIGSTORE_ISSUER = 'https://sigstore.verify.ibm.com/oauth2';
const key = fixtureKey();
const attackerKey = fixtureKey('attacker-meta-llama');

/** The real Sigstore-signed fixture (stefanb@us.ibm.com), for a signer change the extension can verify. */
function sigstoreFiles() {
  const dir = resolve(OMS_REAL, 'v1.1.0-sigstore');
  return ['model.sig', 'signme-1', 'signme-2', 'ignore-me'].map((n) => file(n, readFileSync(resolve(dir, n))));
}

function repos() {
  const signed = keySignedFiles(key, 4, 'pinned');
  const list = [
    repo({ id: 'acme/pinned', commits: { v1: signed } }),
    // One LFS file differs from the signed manifest: a red state, so an alert.
    repo({ id: 'acme/changed', commits: { v1: keySignedFiles(key, 4, 'changed').map((f) => (f.path.endsWith('00001.safetensors') ? { ...f, lfsOid: sha256Hex(Buffer.from('tampered')) } : f)) } }),
  ];
  if (hasShared()) {
    // v1 signed with the fixture key (trusted through a key policy), v2 by the Sigstore identity.
    for (const id of ['policy-fixture/repo-scope', 'policy-owner/model']) {
      list.push(repo({ id, commits: { v1: keySignedFiles(key, 4, id), v2: sigstoreFiles() }, branches: { main: 'v2', old: 'v1' } }));
    }
  }
  return list;
}

describe('trust UI attacks (dist/chrome, fixture hub)', () => {
  let b: Launched;
  let extPage: Page;

  beforeAll(async () => {
    if (!existsSync(resolve(DIST, 'manifest.json'))) throw new Error('dist/chrome is missing: run `node scripts/build.mjs chrome` first');
    mkdirSync(SHOTS, { recursive: true });
    b = await launchWithExtension();
    await installFixtureHub(b.context, repos());
    extPage = await extensionPage(b.context, b.extensionId);
  });

  afterAll(async () => {
    await b?.context.close();
  });

  const ok = async <T = unknown>(msg: object): Promise<T> => {
    const r = await send(extPage, msg);
    expect(r, JSON.stringify(msg).slice(0, 120)).toMatchObject({ ok: true });
    return r.value as T;
  };
  const snapshot = () => ok<TrustDocument>({ type: 'trust/snapshot' });

  async function visit(page: Page, path: string): Promise<TabStateJson> {
    const t0 = Date.now();
    await page.goto(`${HUB}${path}`);
    return (await waitForFinalState(b.worker, page, { since: t0 })) as TabStateJson;
  }

  async function openPopup(tabId: number, view = ''): Promise<Page> {
    const p = await b.context.newPage();
    await p.setViewportSize({ width: 440, height: 900 });
    await p.goto(`chrome-extension://${b.extensionId}/popup/index.html?tab=${tabId}${view ? `&view=${view}` : ''}`);
    return p;
  }

  it('a crafted trust file is only previewed when chosen; merge is the default and policy and k changes need the typed word', async () => {
    await ok({ type: 'trust/set-expected-key', scope: 'acme/*', publicKeyPem: key.pem });
    const page = await b.context.newPage();
    expect((await visit(page, '/acme/pinned')).verdict.state).toBe('verified');
    const changed = await visit(page, '/acme/changed');
    expect(changed.verdict.state).toBe('files-changed');
    const before = await snapshot();
    expect(Object.keys(before.repos).length).toBeGreaterThan(0);
    expect(before.alerts.length).toBeGreaterThan(0);

    // The attacker's file: a key policy for meta-llama/*, a policy with a hidden right-to-left
    // override in its identity, k = 16, and no pins or alerts.
    const exported = JSON.parse(await ok<string>({ type: 'trust/export' }));
    exported.document.expected = [
      { kind: 'key', scope: 'meta-llama/*', publicKeyPem: attackerKey.pem, createdAt: 1 },
      { kind: 'sigstore', scope: 'meta-llama/Llama-3', identity: 'release\u202Egpj.bot@meta.com', issuer: 'https://accounts.google.com', glob: false, createdAt: 1 },
    ];
    exported.document.settings.signersPerRepo = 16;
    exported.document.repos = {};
    exported.document.alerts = [];
    const crafted = JSON.stringify(exported);

    const popup = await openPopup(changed.tabId, 'settings');
    await popup.locator('input[type=file][name=ms-trust-import]').setInputFiles({ name: 'trust.json', mimeType: 'application/json', buffer: Buffer.from(crafted) });
    const review = popup.locator('form.ms-import');
    await review.waitFor({ timeout: 10_000 });
    // Choosing the file applied nothing (it used to replace everything right here).
    expect(await snapshot()).toEqual(before);
    expect(await review.locator('input[value=merge]').isChecked()).toBe(true);
    let shown = await review.innerText();
    expect(shown).toContain('Signers per repo (k): 1 → 16');
    expect(shown).toMatch(/Policies added \(2\)/i); // headings are upper-cased by CSS
    expect(shown).toContain('meta-llama/*');
    expect(shown).toContain(attackerKey.fingerprint);
    expect(shown).toContain('⟦U+202E⟧');
    expect(shown).not.toMatch(/Pins removed/i);
    const apply = review.getByRole('button', { name: 'Apply import' });
    const word = review.locator('input[name=ms-import-confirm]');
    expect(await apply.isDisabled()).toBe(true);
    await word.fill('replace');
    expect(await apply.isDisabled()).toBe(true);
    await popup.screenshot({ path: resolve(SHOTS, 'import-preview-merge.png'), fullPage: true });

    // Replace shows what it wipes, and wants its own word.
    await review.locator('input[value=replace]').check();
    shown = await review.innerText();
    expect(shown).toMatch(/Pins removed \(1\)/i);
    expect(shown).toContain('acme/pinned');
    expect(shown).toMatch(/Alerts: 0 added, [1-9]\d* removed/);
    expect(await word.inputValue()).toBe('');
    await word.fill('merge');
    expect(await apply.isDisabled()).toBe(true);
    await popup.screenshot({ path: resolve(SHOTS, 'import-preview-replace.png'), fullPage: true });

    // The worker refuses an apply that was not previewed, or not confirmed, whatever sends it.
    const preview = await ok<ImportPreview>({ type: 'trust/import-preview', json: crafted });
    expect(await send(extPage, { type: 'trust/import', json: crafted, mode: 'replace', confirmation: 'replace' })).toMatchObject({ ok: false, error: { code: 'PREVIEW_MISMATCH' } });
    expect(await send(extPage, { type: 'trust/import', json: crafted, mode: 'replace', previewId: preview.replace.id })).toMatchObject({ ok: false, error: { code: 'CONFIRMATION_MISMATCH' } });
    expect(await send(extPage, { type: 'trust/import', json: crafted, mode: 'merge', previewId: preview.merge.id, confirmation: 'replace' })).toMatchObject({ ok: false, error: { code: 'CONFIRMATION_MISMATCH' } });
    expect(await snapshot()).toEqual(before);

    // The trust data changes after the preview (another popup adds a policy): the replace shown no
    // longer says what would be removed, so it is refused and previewed again.
    await review.locator('input[value=replace]').check();
    await ok({ type: 'trust/set-expected', scope: 'other/*', identity: 'ops@example.com', issuer: 'https://accounts.google.com' });
    await word.fill('replace');
    await apply.click();
    await popup.getByText('preview it again').waitFor({ timeout: 10_000 });
    await review.waitFor({ timeout: 10_000 });
    expect(await review.locator('input[value=merge]').isChecked()).toBe(true);
    await review.locator('input[value=replace]').check();
    expect(await review.innerText()).toMatch(/Policies removed \(2\)[\s\S]*other\/\*/i);
    const unchanged = await snapshot();
    expect(unchanged.repos).toEqual(before.repos);
    expect(unchanged.expected.map((e) => e.scope).sort()).toEqual(['acme/*', 'other/*']);

    // The user merges, typing the shown word: pins and alerts stay, the policies and k are added.
    await review.locator('input[value=merge]').check();
    await word.fill('merge');
    await apply.click();
    await popup.getByText('Imported.').waitFor({ timeout: 10_000 });
    const after = await snapshot();
    expect(after.repos).toEqual(before.repos);
    expect(after.alerts).toEqual(before.alerts);
    expect(after.settings.signersPerRepo).toBe(16);
    expect(after.expected.map((e) => e.scope).sort()).toEqual(['acme/*', 'meta-llama/*', 'meta-llama/Llama-3', 'other/*']);
    await popup.close();
    await page.close();
    // Back to k = 1 for the tests that follow.
    await ok({ type: 'settings/set', settings: { signersPerRepo: 1 } });
  });

  if (!hasShared()) {
    console.log('e2e: ../shared/fixtures/oms-real not found: accept-against-policy tests not registered');
  } else {
    /** Key policy on `scope`, the key-signed revision verified, then the Sigstore one: identity changed by policy. */
    async function changedByPolicy(scope: string, repoId: string) {
      await ok({ type: 'trust/set-expected-key', scope, publicKeyPem: key.pem });
      const page = await b.context.newPage();
      expect((await visit(page, `/${repoId}/tree/old`)).verdict.state).toBe('verified');
      const s = await visit(page, `/${repoId}`);
      expect(s.verdict).toMatchObject({ state: 'identity-changed', failure: { code: 'IDENTITY_MISMATCH' } });
      expect(s.verdict.signature.signer).toMatchObject({ identity: SIGSTORE_IDENTITY, issuer: SIGSTORE_ISSUER });
      return { page, state: s };
    }

    async function typeAndAccept(popup: Page, repoId: string) {
      const form = popup.locator('form.ms-accept');
      await form.locator('input[type=text]').fill(repoId);
      await form.locator('button[type=submit]').click();
      // The confirmation stays while the worker re-checks (checking → verified), and the repo
      // does not come back as "identity changed".
      await popup.locator('[data-accept="done"]').waitFor({ timeout: 15_000 });
      await popup.locator('.ms-state[data-state="verified"]').waitFor({ timeout: 30_000 });
      expect(await popup.locator('[data-accept="done"]').innerText()).toContain('The new signer is now trusted for this repo.');
      expect(await popup.locator('[data-accept="still-changed"]').count()).toBe(0);
      expect(await popup.locator('form.ms-accept').count()).toBe(0);
    }

    it('accepting a new signer against a repo policy shows the policy change, makes it, and the repo verifies (no loop)', async () => {
      const repoId = 'policy-fixture/repo-scope';
      const { page, state } = await changedByPolicy(repoId, repoId);
      // A pin alone would not help while the policy names the key: the worker refuses it.
      const signer = state.verdict.signature.signer;
      expect(await send(extPage, { type: 'trust/accept-signer', hub: HUB, kind: 'model', repo: repoId, signer, confirmation: repoId })).toMatchObject({ ok: false, error: { code: 'POLICY_CONFLICT' } });

      const popup = await openPopup(state.tabId);
      const change = popup.locator('form.ms-accept [data-change="policy"]');
      await change.waitFor({ timeout: 15_000 });
      expect(await change.innerText()).toContain(`Change your policy for ${repoId}`);
      expect(await change.innerText()).toContain(key.fingerprint);
      expect(await change.innerText()).toContain('The policy will expect the new signer instead.');
      expect(await popup.locator('form.ms-accept [data-change="pin"]').innerText()).toContain('Pin the new signer');
      const button = popup.locator('form.ms-accept button[type=submit]');
      expect(await button.isDisabled()).toBe(true);
      await popup.screenshot({ path: resolve(SHOTS, 'accept-against-policy.png'), fullPage: true });
      await typeAndAccept(popup, repoId);
      await popup.screenshot({ path: resolve(SHOTS, 'accept-against-policy-done.png'), fullPage: true });

      expect((await visit(page, `/${repoId}`)).verdict.state).toBe('verified');
      const policies = (await snapshot()).expected.filter((e) => e.scope === repoId);
      expect(policies).toEqual([expect.objectContaining({ kind: 'sigstore', identity: SIGSTORE_IDENTITY, issuer: SIGSTORE_ISSUER, glob: false })]);
      await popup.close();
      await page.close();
    });

    it('against an owner/* policy the user chooses: a repo exception keeps the owner policy', async () => {
      const repoId = 'policy-owner/model';
      const { page, state } = await changedByPolicy('policy-owner/*', repoId);
      const popup = await openPopup(state.tabId);
      const form = popup.locator('form.ms-accept');
      await form.locator('[data-change="policy"]').waitFor({ timeout: 15_000 });
      const radios = form.locator('input[name=ms-accept-policy]');
      expect(await radios.count()).toBe(2);
      await form.locator('input[type=text]').fill(repoId);
      // Typed, but no choice yet: still disabled.
      expect(await form.locator('button[type=submit]').isDisabled()).toBe(true);
      await form.locator('input[name=ms-accept-policy][value=exception]').check();
      await form.locator('input[type=text]').fill('');
      await typeAndAccept(popup, repoId);
      const expected = (await snapshot()).expected.filter((e) => e.scope.startsWith('policy-owner/'));
      expect(expected.map((e) => [e.scope, e.kind]).sort()).toEqual([
        ['policy-owner/*', 'key'],
        ['policy-owner/model', 'sigstore'],
      ]);
      expect((await visit(page, `/${repoId}`)).verdict.state).toBe('verified');
      await popup.close();
      await page.close();
    });
  }
});
