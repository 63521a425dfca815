/**
 * The signing history end to end: the built dist/chrome in Debian's Chromium against the fixture hub's
 * multi-commit repos (real Sigstore signatures: IBM Granite's from ../shared/fixtures/hf-real, then
 * the oms-real one; the fixture key for the long same-signer history). The popup's history section
 * shows the rows newest first with commit links, the band of a same-signer run, the loud signer
 * change marker, a row whose signature does not verify, and the removal marker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import type { Page } from 'playwright';
import { send, waitForFinalState } from '../fixture-hub/browser.mjs';
import { HUB } from '../fixture-hub/hub.mjs';
import { commitSha } from '../fixture-hub/repo.mjs';
import { fixtureKey, SIGSTORE_IDENTITY } from '../fixture-hub/scenarios.mjs';
import { HISTORY_REPOS, historyRepos } from '../fixture-hub/history.mjs';
import type { FixtureHub, Launched, TabStateJson } from '../fixture-hub/index.d.mts';
import { SHOTS, openSession } from './session.js';

const key = fixtureKey();

describe('signing history (dist/chrome, fixture hub)', () => {
  let b: Launched;
  let hub: FixtureHub;
  let extPage: Page;

  beforeAll(async () => {
    ({ b, hub, extPage } = await openSession(historyRepos(key)));
  });

  afterAll(async () => {
    await b?.context.close();
  });

  async function visit(page: Page, path: string): Promise<TabStateJson> {
    const t0 = Date.now();
    await page.goto(`${HUB}/${path}`);
    return (await waitForFinalState(b.worker, page, { since: t0 })) as TabStateJson;
  }

  async function openPopup(tabId: number): Promise<Page> {
    const p = await b.context.newPage();
    await p.setViewportSize({ width: 480, height: 1200 });
    await p.goto(`chrome-extension://${b.extensionId}/popup/index.html?tab=${tabId}`);
    return p;
  }

  it('a signer change: rows newest first with commit links, two bands, the change marked loudly, a row that does not verify', async () => {
    const R = HISTORY_REPOS.signerChange;
    const page = await b.context.newPage();
    const state = await visit(page, R);
    // The first visit read this history: a change of signer, so nothing is pinned (next test).
    expect(state.verdict.state).toBe('unpinned-revision');
    const popup = await openPopup(state.tabId);
    await popup.locator('.ms-shistory-status[data-status="done"]').waitFor({ timeout: 60_000 });
    const rows = popup.locator('.ms-shistory tr.ms-hrow');
    expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-commit')))).toEqual(['s2', 's1', 'bad', 'g2', 'g1'].map((l) => commitSha(`${R}:${l}`)));
    // The commit links to the hub's commit page.
    expect(await rows.first().locator('a[href*="/commit/"]').getAttribute('href')).toBe(`${HUB}/${R}/commit/${commitSha(`${R}:s2`)}`);
    // The log entry: index and a link to the public log viewer.
    expect(await rows.first().locator('a[href^="https://search.sigstore.dev/?logIndex="]').count()).toBe(1);
    // Bands: stefanb (2 versions), the bad version, Granite (2 versions).
    const bands = popup.locator('.ms-shistory tbody.ms-band');
    expect(await bands.evaluateAll((els) => els.map((e) => e.getAttribute('data-band-versions')))).toEqual(['2', '1', '2']);
    expect(await bands.first().locator('.ms-band-line').innerText()).toMatch(new RegExp(`^Signed by ${SIGSTORE_IDENTITY.replace('.', '\\.')}, 2 versions, 2026-06 → 2026-06$`));
    const change = popup.locator('.ms-hmark-change');
    expect(await change.count()).toBe(1);
    expect(await change.innerText()).toMatch(/^Signer changed: .*@ibm\.com → stefanb@us\.ibm\.com 2026-06-\d\d$/);
    const bad = popup.locator(`tr.ms-hrow[data-commit="${commitSha(`${R}:bad`)}"]`);
    expect(await bad.getAttribute('data-ok')).toBe('false');
    expect(await bad.innerText()).toContain('Does not verify:');
    await popup.screenshot({ path: resolve(SHOTS, 'history-signer-change.png'), fullPage: true });

    // The full-page view, from the popup's link: the timeline (two signer bands, the change line, the
    // failing version), keyboard reachable, and readable in dark mode.
    expect(await popup.locator('[data-testid="history-page-link"]').getAttribute('href')).toBe(`../extension/pages/history.html?tab=${state.tabId}`);
    const full = await b.context.newPage();
    await full.emulateMedia({ colorScheme: 'dark' });
    await full.goto(`chrome-extension://${b.extensionId}/extension/pages/history.html?tab=${state.tabId}`);
    await full.bringToFront();
    await full.locator('.ms-shistory-status[data-status="done"]').waitFor({ timeout: 60_000 });
    expect(await full.locator('rect.ms-tl-band').count()).toBe(2);
    expect(await full.locator('line.ms-tl-change').count()).toBe(1);
    expect(await full.locator('rect.ms-tl-bad').count()).toBe(1);
    expect(await full.locator('rect.ms-tl-band').first().getAttribute('aria-label')).toMatch(/^Signed by .+, 2 versions, 2026-06-\d\d → 2026-06-\d\d$/);
    // Reachable by keyboard: Tab from the top of the page lands on the first band within a few presses.
    let focused: string | null | undefined;
    for (let i = 0; i < 12 && focused !== 'ms-tl-band'; i++) {
      await full.keyboard.press('Tab');
      focused = await full.evaluate(() => document.activeElement?.getAttribute('class'));
    }
    expect(focused).toBe('ms-tl-band');
    await full.keyboard.press('Enter');
    expect(await full.evaluate(() => document.activeElement?.closest('tr')?.getAttribute('data-commit'))).toMatch(/^[0-9a-f]{40}$/);
    const bg = await full.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).toBe('rgb(13, 17, 23)');
    await full.screenshot({ path: resolve(SHOTS, 'history-page-dark.png'), fullPage: true });
    await full.close();

    // Tab states are found by URL: the next test visits the same page.
    await popup.close();
    await page.close();
  });

  it('first visit with a signer change: not blue, the change named (from, to, date), both signers offered; typing the repo name pins the chosen one', async () => {
    const R = HISTORY_REPOS.signerChange;
    const page = await b.context.newPage();
    const state = await visit(page, R);
    expect(state.verdict.state).toBe('unpinned-revision');
    expect(state.verdict.failure.code).toBe('HISTORY_SIGNER_CHANGED');
    const popup = await openPopup(state.tabId);
    const verdict = popup.locator('.ms-verdict[data-history-change="true"]');
    await verdict.waitFor({ timeout: 30_000 });
    expect(await popup.locator('.ms-state-label').first().innerText()).toBe("Signer changed in this repo's history");
    expect(await verdict.locator('.ms-hmark-change-line').innerText()).toMatch(/^Signer changed: Granite-sign@ibm\.com → stefanb@us\.ibm\.com 2026-06-\d\d$/);
    // Both signers, each with its own typed confirmation; the button is disabled until the name is typed.
    const earlier = verdict.locator('[data-choice="earlier"]');
    const current = verdict.locator('[data-choice="current"]');
    expect(await earlier.innerText()).toContain('Granite-sign@ibm.com');
    expect(await current.innerText()).toContain(SIGSTORE_IDENTITY);
    const input = current.locator('form input');
    const button = current.locator('form button[type="submit"]');
    await input.waitFor({ timeout: 15_000 });
    expect(await button.isDisabled()).toBe(true);
    await popup.screenshot({ path: resolve(SHOTS, 'history-first-visit-change.png'), fullPage: true });
    await input.fill(R);
    await button.click();
    await popup.locator('.ms-state[data-state="verified"]').waitFor({ timeout: 30_000 });
    expect((await visit(page, R)).verdict.state).toBe('verified');
    const pins = (await send(extPage, { type: 'repo/history', hub: HUB, kind: 'model', repo: R })) as { ok: boolean; value: { pins: { signer: { identity?: string }; via: string }[] } };
    expect(pins.value.pins.map((p) => [p.signer.identity, p.via])).toEqual([[SIGSTORE_IDENTITY, 'accepted']]);
  });

  it('the same signer over 14 versions collapses into one band; a removal and a re-signing is marked', async () => {
    expect((await send(extPage, { type: 'trust/set-expected-key', scope: 'history-fixture/same-signer', publicKeyPem: key.pem })) as { ok: boolean }).toMatchObject({ ok: true });
    const page = await b.context.newPage();
    const same = await visit(page, HISTORY_REPOS.sameSigner);
    expect(same.verdict.state).toBe('verified');
    const popup = await openPopup(same.tabId);
    await popup.locator('.ms-shistory-status[data-status="done"]').waitFor({ timeout: 60_000 });
    expect(await popup.locator('.ms-shistory tbody.ms-band').count()).toBe(1);
    expect(await popup.locator('.ms-shistory .ms-band-line').innerText()).toMatch(/^Signed by key [0-9a-f]+…?, 14 versions, 2026-06 → 2026-06$/);
    expect(await popup.locator('.ms-hmark-change').count()).toBe(0);

    // The repo seen signed at its first commit, then at its head (signed again after a removal).
    const R = HISTORY_REPOS.removal;
    const tab = await b.context.newPage();
    expect((await visit(tab, `${R}/tree/old`)).verdict.state).toBe('unpinned-revision');
    const head = await visit(tab, R);
    const p2 = await openPopup(head.tabId);
    await p2.locator('.ms-shistory-status[data-status="done"]').waitFor({ timeout: 60_000 });
    expect(await p2.locator('.ms-shistory tr.ms-hrow').evaluateAll((els) => els.map((e) => e.getAttribute('data-commit')))).toEqual([commitSha(`${R}:a4`), commitSha(`${R}:a1`)]);
    const removed = p2.locator('.ms-hmark-removed');
    expect(await removed.count()).toBe(1);
    expect(await removed.innerText()).toBe(`Signature removed after ${commitSha(`${R}:a1`).slice(0, 10)} and signed again at ${commitSha(`${R}:a4`).slice(0, 10)}: unsigned in between.`);
    await p2.screenshot({ path: resolve(SHOTS, 'history-removal.png'), fullPage: true });
    expect(hub).toBeDefined();
  });
});
