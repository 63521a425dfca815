/**
 * Base-model lineage and listing-page marks, end to end: the built dist/chrome in Debian's Chromium
 * against the fixture hub. A fine-tune names three bases; the popup shows each with its own verdict
 * (signed and trusted by policy, unsigned, changed after signing) while the fine-tune stays verified,
 * and opening the popup pins nothing for a base. An organisation page of 200 models, 5 signed, gets
 * exactly 5 extension-origin marks from ONE hub API request (whatever synthetic events the page
 * fires), and a repo verified earlier in this browser shows its recorded state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import type { Page } from 'playwright';
import { send, waitForFinalState } from '../fixture-hub/browser.mjs';
import { HUB } from '../fixture-hub/hub.mjs';
import { fixtureKey } from '../fixture-hub/scenarios.mjs';
import { BASE_CHANGED, BASE_SIGNED, BASE_UNSIGNED, FINETUNE, LINEAGE_OWNER, lineageRepos, listingRepos, signedIndices } from '../fixture-hub/lineage.mjs';
import type { FixtureHub, Launched, TabStateJson } from '../fixture-hub/index.d.mts';
import { SHOTS, openSession } from './session.js';

const key = fixtureKey();
const ORG = 'listing-org';
const SIGNED = signedIndices(200, 5).map((i) => `${ORG}/model-${String(i).padStart(3, '0')}`);
// A hostile listing page: synthetic navigation and load events, and in-place re-renders of its cards.
const LISTING_SCRIPT = `
for (let i = 0; i < 20; i++) { dispatchEvent(new PopStateEvent('popstate')); document.dispatchEvent(new Event('DOMContentLoaded')); }
let n = 0; const t = setInterval(() => { const a = document.querySelector('article'); if (a) a.append(document.createElement('span')); if (++n > 10) clearInterval(t); }, 50);
`;

describe('base-model lineage and listing marks (dist/chrome, fixture hub)', () => {
  let b: Launched;
  let hub: FixtureHub;
  let extPage: Page;

  beforeAll(async () => {
    ({ b, hub, extPage } = await openSession([...lineageRepos(key), ...listingRepos(key, { owner: ORG, count: 200, signed: 5 })], { listingScript: LISTING_SCRIPT }));
    expect(await send(extPage, { type: 'trust/set-expected-key', scope: `${LINEAGE_OWNER}/*`, publicKeyPem: key.pem })).toMatchObject({ ok: true });
    expect(await send(extPage, { type: 'trust/set-expected-key', scope: `${ORG}/*`, publicKeyPem: key.pem })).toMatchObject({ ok: true });
  });

  afterAll(async () => {
    await b?.context.close();
  });

  it('the popup shows each base model with its own verdict; the fine-tune\'s verdict is its own and no base is recorded', async () => {
    const page = await b.context.newPage();
    const t0 = Date.now();
    await page.goto(`${HUB}/${FINETUNE}`);
    const state = (await waitForFinalState(b.worker, page, { since: t0 })) as TabStateJson;
    expect(state.verdict.state).toBe('verified');

    const popup = await b.context.newPage();
    await popup.setViewportSize({ width: 440, height: 1000 });
    const opened = Date.now();
    await popup.goto(`chrome-extension://${b.extensionId}/popup/index.html?tab=${state.tabId}`);
    const panel = popup.locator('[data-testid="lineage"]');
    await panel.locator(`li[data-base="${BASE_CHANGED}"]`).waitFor({ timeout: 60_000 });
    const toPanel = Date.now() - opened;
    const row = (repo: string) => panel.locator(`li[data-base="${repo}"]`);
    expect(await row(BASE_SIGNED).getAttribute('data-base-state')).toBe('verified');
    expect(await row(BASE_UNSIGNED).getAttribute('data-base-state')).toBe('unsigned');
    expect(await row(BASE_CHANGED).getAttribute('data-base-state')).toBe('files-changed');
    const text = await panel.innerText();
    expect(text).toContain(`Base model: ${BASE_SIGNED}`);
    expect(text).toMatch(/signed by\s+key [0-9a-f]{16}/);
    expect(text).toContain('Not signed');
    expect(text).toContain('Files changed after signing');
    // The fine-tune's own verdict is untouched by its bases.
    await popup.locator('.ms-state[data-state="verified"]').first().waitFor();
    await popup.screenshot({ path: resolve(SHOTS, 'lineage-popup.png'), fullPage: true });

    // Nothing recorded for the bases: no history, no pin, no alert (only the user's own visit counts).
    const doc = (await send(extPage, { type: 'trust/snapshot' })) as { ok: true; value: { repos: Record<string, unknown>; alerts: unknown[] } };
    const recorded = Object.keys(doc.value.repos);
    expect(recorded.some((k) => k.includes(FINETUNE))).toBe(true);
    for (const base of [BASE_SIGNED, BASE_UNSIGNED, BASE_CHANGED]) expect(recorded.some((k) => k.includes(base))).toBe(false);
    expect(doc.value.alerts).toEqual([]);
    console.log(`[lineage] popup open → lineage panel: ${toPanel} ms (3 bases, cold)`);
    await popup.close();
    await page.close();
  });

  it('an organisation page of 200 models marks the 5 signed ones from one API request; a repo checked before shows its state', async () => {
    // The user checked one signed model earlier: its state at that commit is recorded.
    const page = await b.context.newPage();
    const t0 = Date.now();
    await page.goto(`${HUB}/${SIGNED[2]}`);
    expect(((await waitForFinalState(b.worker, page, { since: t0 })) as TabStateJson).verdict.state).toBe('verified');

    hub.resetStats();
    await page.goto(`${HUB}/${ORG}`);
    expect(await page.locator('article').count()).toBe(200);
    const hosts = page.locator('modelseal-listing-mark');
    // Frames are made only for signed cards near the viewport: the first one is, the others are far below.
    await expect.poll(() => hosts.count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await hosts.count()).toBeLessThan(5);
    for (const repo of SIGNED) await page.locator(`article a[href="/${repo}"]`).scrollIntoViewIfNeeded();
    await expect.poll(() => hosts.count(), { timeout: 30_000 }).toBe(5);
    // Each mark's frame draws what the worker says about that entry.
    const marks = async () => {
      const out: Record<string, string | null> = {};
      for (const f of page.frames().filter((f) => f.url().includes('listing-mark.html'))) {
        const el = f.locator('[data-listing-mark]');
        if ((await el.count()) === 0) continue;
        out[(await el.getAttribute('data-listing-mark')) ?? ''] = await el.getAttribute('data-state');
      }
      return out;
    };
    await expect.poll(async () => Object.keys(await marks()).length, { timeout: 30_000 }).toBe(5);
    const drawn = await marks();
    expect(Object.keys(drawn).sort()).toEqual([...SIGNED].sort());
    for (const repo of SIGNED) expect(drawn[repo]).toBe(repo === SIGNED[2] ? 'verified' : 'signed');
    // Marks sit next to the signed cards only, inside closed shadow roots the page cannot open.
    const where = await page.evaluate(() =>
      [...document.querySelectorAll('modelseal-listing-mark')].map((h) => ({ open: h.shadowRoot !== null, card: h.parentElement?.querySelector('a')?.getAttribute('href') })),
    );
    expect(where.every((w) => !w.open)).toBe(true);
    expect(where.map((w) => w.card?.slice(1)).sort()).toEqual([...SIGNED].sort());
    await page.locator(`article a[href="/${SIGNED[2]}"]`).scrollIntoViewIfNeeded();
    await page.screenshot({ path: resolve(SHOTS, 'listing-marks.png') });

    // One API request for the whole page, none per model, despite the page's synthetic events.
    const api = hub.stats.requests.filter((r) => r.includes('/api/'));
    expect(api).toHaveLength(1);
    expect(api[0]).toMatch(/^GET \/api\/models\?author=listing-org&limit=1000&expand%5B%5D=siblings&expand%5B%5D=sha$/);
    expect(hub.stats.listing).toBe(1);
    await page.close();
  });
});
