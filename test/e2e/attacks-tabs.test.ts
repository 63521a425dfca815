/**
 * Stale tab state and embeddable frames, in the built extension (dist/chrome) in Debian's Chromium.
 * A tab that leaves the hub for another site must stop showing (popup, frames) the verdict of the
 * hub page it left; that site, or any other, must not be able to embed our frame pages to show a
 * real "Verified" frame or to detect the extension; our own frames on hub pages keep working.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright';
import { launchWithExtension, waitForFinalState, DIST } from '../fixture-hub/browser.mjs';
import { installFixtureHub, HUB } from '../fixture-hub/hub.mjs';
import { buildScenarios, hasShared } from '../fixture-hub/scenarios.mjs';
import type { Launched, TabStateJson } from '../fixture-hub/index.d.mts';

const messages = JSON.parse(readFileSync(resolve(process.cwd(), 'public/_locales/en/messages.json'), 'utf8')) as Record<string, { message: string }>;
const VERIFIED_FIRST_USE = messages.state_verifiedFirstUse?.message ?? 'Verified, first use';
const VERIFIED = messages.state_verified?.message ?? 'Verified';
const NO_PAGE = messages.popup_noPage?.message ?? '';
const EVIL = 'https://evil.example';
const REPO = 'ibm-fixture/sigstore-signed';

if (!hasShared()) {
  console.log('e2e: ../shared/fixtures/oms-real not found: tab-state attack tests not registered');
} else {
  describe('stale tab state and embeddable frames (dist/chrome)', () => {
    let b: Launched;
    /** What the fake site embeds; set per test. */
    let evilBody = '<!doctype html><title>evil</title><h1>another site</h1>';

    beforeAll(async () => {
      if (!existsSync(resolve(DIST, 'manifest.json'))) throw new Error('dist/chrome is missing: run `node scripts/build.mjs chrome` first');
      b = await launchWithExtension();
      await installFixtureHub(b.context, buildScenarios().repos);
      // Another https site, served like the hub through context.route (no network).
      await b.context.route(`${EVIL}/**`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: evilBody }));
    });

    afterAll(async () => {
      await b?.context.close();
    });

    const allStates = () => b.worker.evaluate(() => (globalThis as unknown as { modelsealSelfTest: { allTabStates(): TabStateJson[] } }).modelsealSelfTest.allTabStates());
    const stateOfTab = async (tabId: number) => (await allStates()).find((s) => s.tabId === tabId);

    async function verifiedTab(): Promise<{ page: Page; state: TabStateJson }> {
      const page = await b.context.newPage();
      const since = Date.now();
      await page.goto(`${HUB}/${REPO}`);
      // `since`: the state of this visit, not one a tab that left the same page still holds.
      const state = await waitForFinalState(b.worker, page, { since });
      expect(state.verdict.state).toMatch(/^verified/);
      return { page, state };
    }

    const popup = async (tabId: number) => {
      const p = await b.context.newPage();
      await p.goto(`chrome-extension://${b.extensionId}/popup/index.html?tab=${tabId}`);
      await p.waitForFunction(() => document.body.innerText.trim().length > 20, undefined, { timeout: 15_000 });
      return p;
    };
    const text = (p: Page) => p.evaluate(() => document.body.innerText);
    const frameTexts = (page: Page) =>
      Promise.all(page.frames().filter((f) => f !== page.mainFrame()).map(async (f) => ({ url: f.url(), text: await f.evaluate(() => document.body?.innerText ?? '').catch(() => '') })));

    it('(a) leaving the hub for another site clears the tab state; an open popup and a new one drop the old verdict', async () => {
      const { page, state } = await verifiedTab();
      const open = await popup(state.tabId);
      await expect.poll(() => text(open), { timeout: 10_000 }).toContain(REPO);

      await page.goto(`${EVIL}/landing`);
      await expect.poll(() => stateOfTab(state.tabId), { timeout: 10_000 }).toBeUndefined();
      // The popup that was open when the tab left stops showing the old verdict…
      await expect.poll(() => text(open), { timeout: 10_000 }).toContain(NO_PAGE);
      expect(await text(open)).not.toContain(REPO);
      // …and one opened now never shows it.
      const fresh = await popup(state.tabId);
      await expect.poll(() => text(fresh), { timeout: 10_000 }).toContain(NO_PAGE);
      expect(await text(fresh)).not.toContain(REPO);
      // The toolbar title no longer names the old state.
      const title = await b.worker.evaluate((id) => (globalThis as unknown as { chrome: { action: { getTitle(o: object): Promise<string> } } }).chrome.action.getTitle({ tabId: id }), state.tabId);
      expect(title).not.toContain(VERIFIED);
      await Promise.all([open.close(), fresh.close(), page.close()]);
    });

    it('(b) the site the tab went to cannot embed frame.html or mark.html (no verdict, not even a load), nor detect the extension', async () => {
      const { page, state } = await verifiedTab();
      const id = b.extensionId;
      const tab = state.tabId;
      evilBody = `<!doctype html><title>evil</title>
        <iframe id="f" src="chrome-extension://${id}/extension/pages/frame.html?tab=${tab}"></iframe>
        <iframe id="m" src="chrome-extension://${id}/extension/pages/mark.html?tab=${tab}&path=signme-1"></iframe>`;
      await page.goto(`${EVIL}/embed`);
      await page.waitForTimeout(2500);
      const frames = await frameTexts(page);
      // Not web-accessible to this site (and only at the per-session dynamic URL anyway): Chromium
      // loads neither page, so nothing of ours runs there and nothing says "Verified".
      expect(frames.length).toBe(2);
      for (const f of frames) {
        expect(f.url.startsWith(`chrome-extension://${id}/`)).toBe(false);
        expect(f.text).not.toContain(VERIFIED);
      }
      // Probing for the extension's files tells the site nothing: every request fails alike.
      const probe = await page.evaluate(
        async (urls) => Promise.all(urls.map((u) => fetch(u).then((r) => `status ${r.status}`, () => 'failed'))),
        [`chrome-extension://${id}/extension/pages/frame.html`, `chrome-extension://${id}/extension/pages/mark.html`, `chrome-extension://${id}/manifest.json`],
      );
      expect(probe).toEqual(['failed', 'failed', 'failed']);
      expect(await stateOfTab(tab)).toBeUndefined();
      await page.close();
    });

    it('(b) even a hub page\'s own scripts cannot load the frame at its static URL (use_dynamic_url)', async () => {
      const { page } = await verifiedTab();
      const id = b.extensionId;
      const loaded = await page.evaluate(async (u) => {
        const f = document.createElement('iframe');
        f.src = u;
        document.body.append(f);
        const fetched = await fetch(u).then(() => 'loaded', () => 'failed');
        await new Promise((r) => setTimeout(r, 1500));
        return fetched;
      }, `chrome-extension://${id}/extension/pages/frame.html?tab=1`);
      expect(loaded).toBe('failed');
      // The page-made frame is Chromium's error page; only the content script's own frames are ours.
      expect(page.frames().map((f) => f.url())).not.toContain(`chrome-extension://${id}/extension/pages/frame.html?tab=1`);
      await page.close();
    });

    it('(b) frame.html opened outside a hub page (top level in the tab that held the verdict) gets no verdict', async () => {
      const { page, state } = await verifiedTab();
      await page.goto(`chrome-extension://${b.extensionId}/extension/pages/frame.html?tab=${state.tabId}`);
      await page.waitForTimeout(2500);
      const body = await page.evaluate(() => document.body.innerText);
      expect(body).not.toContain(VERIFIED);
      expect(body).not.toContain('stefanb@us.ibm.com');
      await page.close();
    });

    it('(c) coming back to the hub page (Back, possibly from the back/forward cache) shows its verdict again', async () => {
      const { page, state } = await verifiedTab();
      await page.goto(`${EVIL}/landing`);
      await expect.poll(() => stateOfTab(state.tabId), { timeout: 10_000 }).toBeUndefined();
      await page.goBack();
      await expect.poll(async () => (await stateOfTab(state.tabId))?.verdict.state ?? 'none', { timeout: 20_000 }).toMatch(/^verified/);
      await expect
        .poll(async () => (await frameTexts(page)).find((f) => f.url.includes('/extension/pages/frame.html'))?.text ?? '', { timeout: 15_000 })
        .toContain(VERIFIED);
      await page.close();
    });

    it('(c) the content script\'s own frames on hub pages still show the verdict', async () => {
      const { page, state } = await verifiedTab();
      const label = state.verdict.state === 'verified' ? VERIFIED : VERIFIED_FIRST_USE;
      await expect
        .poll(async () => (await frameTexts(page)).find((f) => f.url.includes('/extension/pages/frame.html'))?.text ?? '', { timeout: 15_000 })
        .toContain(label);
      const marks = async () => {
        const out: string[] = [];
        for (const f of page.frames().filter((x) => x.url().includes('/extension/pages/mark.html'))) {
          out.push(...(await f.evaluate(() => [...document.querySelectorAll<HTMLElement>('.ms-mark')].map((m) => `${m.dataset.path}:${m.dataset.status}`)).catch(() => [])));
        }
        return out;
      };
      await expect.poll(marks, { timeout: 15_000 }).toContain('signme-1:verified');
      await page.close();
    });
  });
}
