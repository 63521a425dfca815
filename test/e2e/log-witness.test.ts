/**
 * The transparency log, witness-style, end to end: the built dist/chrome in Debian's Chromium, a repo
 * carrying a real public-good Sigstore signature (../shared/fixtures/oms-real, logged in the real
 * Rekor), and the log hosts routed through Playwright to local answers. The log answers with real
 * Rekor-signed checkpoints (the bundle's own) or with altered ones; nothing here can forge one.
 * Shown: the popup's "consistent as of" line; the switch off → not one request to a log host; an
 * invalid log answer → a named reason, never consistent; a checkpoint contradicting what this browser
 * saw of the log → an equivocation line and an alert naming the log and both roots.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page, Route } from 'playwright';
import { launchWithExtension, extensionPage, send, waitForFinalState, DIST } from '../fixture-hub/browser.mjs';
import { installFixtureHub, HUB } from '../fixture-hub/hub.mjs';
import { file, repo } from '../fixture-hub/repo.mjs';
import { OMS_REAL } from '../fixture-hub/scenarios.mjs';
import type { Launched, TabStateJson } from '../fixture-hub/index.d.mts';

const ID = 'log-fixture/signed';
const REAL = resolve(OMS_REAL, 'v1.1.0-sigstore');
const read = (n: string) => readFileSync(resolve(REAL, n));
const FILES = [file('model.sig', read('model.sig')), file('signme-1', read('signme-1'), { lfs: true }), file('signme-2', read('signme-2'), { lfs: true }), file('ignore-me', read('ignore-me'))];
const ENTRY = (JSON.parse(read('model.sig').toString('utf8')) as { verificationMaterial: { tlogEntries: Array<{ logIndex: string; inclusionProof: { checkpoint: { envelope: string } } }> } }).verificationMaterial.tlogEntries[0]!;
/** The real checkpoint Rekor signed for this entry: "rekor.sigstore.dev - <tree>", size, root. */
const CHECKPOINT = ENTRY.inclusionProof.checkpoint.envelope;
const [ORIGIN, SIZE, ROOT] = CHECKPOINT.split('\n') as [string, string, string];
const SHOTS = resolve(process.cwd(), 'test-results/screenshots');
const LOG_HOSTS = ['https://rekor.sigstore.dev', 'https://log2025-1.rekor.sigstore.dev'];

type Mode = 'honest' | 'invalid';

/** storage.local as the extension page's `chrome` global has it (the test's TypeScript has no chrome types). */
type ChromeGlobal = { chrome: { storage: { local: { set(items: Record<string, unknown>): Promise<void>; remove(key: string): Promise<void> } } } };

/** Both log hosts answered here; every request recorded. */
async function routeLogs(b: Launched, mode: () => Mode): Promise<string[]> {
  const asked: string[] = [];
  for (const host of LOG_HOSTS) {
    await b.context.route(`${host}/**`, (route: Route) => {
      const u = new URL(route.request().url());
      asked.push(u.host + u.pathname + u.search);
      if (u.host === 'rekor.sigstore.dev' && u.pathname === '/api/v1/log') {
        // Invalid: the real note with its root hash changed, so Rekor's signature no longer holds.
        const head = mode() === 'honest' ? CHECKPOINT : CHECKPOINT.replace(ROOT, Buffer.alloc(32, 9).toString('base64'));
        return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ treeSize: Number(SIZE), signedTreeHead: head }) });
      }
      return route.fulfill({ status: 404, body: 'not here' });
    });
  }
  return asked;
}

async function visit(b: Launched, page: Page): Promise<TabStateJson> {
  const t0 = Date.now();
  await page.goto(`${HUB}/${ID}`);
  return (await waitForFinalState(b.worker, page, { since: t0 })) as TabStateJson;
}

async function popupFor(b: Launched, tabId: number): Promise<Page> {
  const p = await b.context.newPage();
  await p.setViewportSize({ width: 440, height: 900 });
  await p.goto(`chrome-extension://${b.extensionId}/popup/index.html?tab=${tabId}`);
  // The first view pins the signer (blue); later views are green.
  await p.locator('.ms-state[data-state^="verified"]').first().waitFor({ timeout: 30_000 });
  return p;
}

function launchWithLogs(mode: () => Mode) {
  const env = {} as { b: Launched; extPage: Page; asked: string[] };
  beforeAll(async () => {
    if (!existsSync(resolve(DIST, 'manifest.json'))) throw new Error('dist/chrome is missing: run `node scripts/build.mjs chrome` first');
    mkdirSync(SHOTS, { recursive: true });
    env.b = await launchWithExtension();
    await installFixtureHub(env.b.context, [repo({ id: ID, commits: { v1: FILES } })]);
    env.asked = await routeLogs(env.b, mode);
    env.extPage = await extensionPage(env.b.context, env.b.extensionId);
  });
  afterAll(async () => {
    await env.b?.context.close();
  });
  return env;
}

describe('transparency log witness (dist/chrome): the log answers honestly', () => {
  const env = launchWithLogs(() => 'honest');

  it('the popup says the entry is in the log, consistent with the log as of now; only the log head was asked', async () => {
    const page = await env.b.context.newPage();
    const state = await visit(env.b, page);
    expect(state.verdict.state).toBe('verified-first-use');
    const popup = await popupFor(env.b, state.tabId);
    const line = popup.locator('[data-log-consistency="consistent"]');
    await line.waitFor({ timeout: 30_000 });
    expect(await line.textContent()).toMatch(/^In the log, consistent with the log as of \d{4}-\d\d-\d\d \d\d:\d\d UTC \(rekor\.sigstore\.dev\)$/);
    // The log's head was the bundle's own checkpoint: no proof needed, and nothing names the entry.
    expect(env.asked).toEqual(['rekor.sigstore.dev/api/v1/log']);
    expect(env.asked.join(' ')).not.toContain(ENTRY.logIndex);
    await popup.screenshot({ path: resolve(SHOTS, 'log-consistent-popup.png'), fullPage: true });
    await popup.close();
    await page.close();
  });
});

describe('transparency log witness (dist/chrome): switched off, a split view, an invalid answer', () => {
  let mode: Mode = 'invalid';
  const env = launchWithLogs(() => mode);

  it('switched off in the settings (which name the log hosts): not one request to a log host', async () => {
    // The switch, as a user flips it: in the popup's settings.
    const settings = await env.b.context.newPage();
    await settings.goto(`chrome-extension://${env.b.extensionId}/popup/index.html`);
    await settings.locator('#tab-settings').click();
    const box = settings.locator('[data-setting="online-log-checks"]');
    await box.waitFor({ timeout: 30_000 });
    expect(await box.isChecked()).toBe(true);
    const label = (await settings.locator('label', { has: box }).textContent()) ?? '';
    expect(label).toContain('rekor.sigstore.dev, log2025-1.rekor.sigstore.dev');
    await box.uncheck();
    await expect.poll(async () => ((await send(env.extPage, { type: 'settings/get' })).value as { onlineLogChecks?: boolean }).onlineLogChecks, { timeout: 10_000 }).toBe(false);
    await settings.close();

    const page = await env.b.context.newPage();
    const state = await visit(env.b, page);
    expect(state.verdict.state).toBe('verified-first-use');
    const popup = await popupFor(env.b, state.tabId);
    await popup.locator('[data-log-consistency="unchecked"][data-log-reason="off"]').waitFor({ timeout: 30_000 });
    expect(await popup.locator('[data-log-consistency="consistent"]').count()).toBe(0);
    expect(env.asked).toEqual([]);
    await popup.close();
    await page.close();
  });

  it('a checkpoint that contradicts what this browser saw of the log is an equivocation alert (still offline)', async () => {
    // What this browser would hold had the log once shown it another tree of this very size.
    const other = Buffer.alloc(32, 7).toString('base64');
    await env.extPage.evaluate(
      ([key, value]) => (globalThis as unknown as ChromeGlobal).chrome.storage.local.set({ [key as string]: value }),
      [`tlog:checkpoint:${ORIGIN}`, { origin: ORIGIN, treeSize: Number(SIZE), rootHash: other, since: Date.now() - 86_400_000, source: 'log' }] as const,
    );
    const page = await env.b.context.newPage();
    const state = await visit(env.b, page);
    const popup = await popupFor(env.b, state.tabId);
    const line = popup.locator('[data-log-consistency="unchecked"][data-log-reason="equivocation"]');
    await line.waitFor({ timeout: 30_000 });
    expect(await line.getAttribute('class')).toContain('ms-error');
    // The alerts list: red, naming the log and both roots.
    await popup.locator('#tab-alerts').click();
    const detail = popup.locator('[data-alert-detail="log-equivocation"]');
    await detail.waitFor({ timeout: 30_000 });
    const text = (await detail.textContent()) ?? '';
    expect(text).toContain(ORIGIN);
    expect(text).toContain(other);
    expect(text).toContain(ROOT);
    expect(await popup.locator('#tab-alerts').textContent()).toMatch(/\(1\)/);
    await popup.screenshot({ path: resolve(SHOTS, 'log-equivocation-alert.png'), fullPage: true });
    expect(env.asked).toEqual([]);
    await popup.close();
    await page.close();
  });

  it('switched on, a log answer not signed by the log key: a named reason, never consistent', async () => {
    await env.extPage.evaluate((key) => (globalThis as unknown as ChromeGlobal).chrome.storage.local.remove(key), `tlog:checkpoint:${ORIGIN}`);
    expect(await send(env.extPage, { type: 'settings/set', settings: { onlineLogChecks: true } })).toMatchObject({ ok: true });
    mode = 'invalid';
    const page = await env.b.context.newPage();
    const state = await visit(env.b, page);
    const popup = await popupFor(env.b, state.tabId);
    const line = popup.locator('[data-log-consistency="unchecked"][data-log-reason="invalid"]');
    await line.waitFor({ timeout: 30_000 });
    expect(await line.textContent()).toContain("the log's answer is invalid");
    await popup.screenshot({ path: resolve(SHOTS, 'log-invalid-popup.png'), fullPage: true });
    expect(await popup.locator('[data-log-consistency="consistent"]').count()).toBe(0);
    expect(env.asked).toEqual(['rekor.sigstore.dev/api/v1/log']);
    await popup.close();
    await page.close();
  });
});
