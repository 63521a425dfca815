/**
 * Publishers and copies, end to end: the built dist/chrome in Debian's Chromium against the fixture
 * hub serving the real IBM signatures (production Sigstore root, real crypto). A first visit to IBM's
 * own repo is green "documented by the publisher" (no first-use pin); an exact copy in another
 * namespace is green with the copy made explicit; a re-quantized copy with the original's signature,
 * and the real unsloth re-upload, are "another model's files", not tampering; none is pinned. Switched
 * off in settings, the directory no longer speaks (today's first use).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import type { Page } from 'playwright';
import { send, waitForFinalState } from '../fixture-hub/browser.mjs';
import { HUB } from '../fixture-hub/hub.mjs';
import { EXACT_COPY, ORIGINAL, REQUANT_COPY, UNSLOTH_COPY, hasHfReal, publisherRepos } from '../fixture-hub/publishers.mjs';
import type { Launched, TabStateJson } from '../fixture-hub/index.d.mts';
import { SHOTS, openSession } from './session.js';


describe('publishers and copies (dist/chrome, fixture hub, real IBM signatures)', () => {
  let b: Launched;
  let extPage: Page;
  const { repos, rootDigests } = publisherRepos();

  beforeAll(async () => {
    if (!hasHfReal()) throw new Error('../shared/fixtures/hf-real is missing');
    ({ b, extPage } = await openSession(repos));
  });

  afterAll(async () => {
    await b?.context.close();
  });

  const ok = async <T = unknown>(msg: object): Promise<T> => {
    const r = await send(extPage, msg);
    expect(r, JSON.stringify(msg).slice(0, 120)).toMatchObject({ ok: true });
    return r.value as T;
  };
  const pinsOf = async (repo: string) => {
    const doc = await ok<{ repos: Record<string, { pins: unknown[] }> }>({ type: 'trust/snapshot' });
    return doc.repos[`${HUB}|model|${repo}`]?.pins ?? [];
  };

  async function visit(page: Page, repo: string): Promise<TabStateJson> {
    const t0 = Date.now();
    await page.goto(`${HUB}/${repo}`);
    return (await waitForFinalState(b.worker, page, { since: t0, timeoutMs: 120_000 })) as TabStateJson;
  }

  async function popupText(tabId: number, label: string): Promise<string> {
    const p = await b.context.newPage();
    await p.setViewportSize({ width: 440, height: 1000 });
    await p.goto(`chrome-extension://${b.extensionId}/popup/index.html?tab=${tabId}`);
    // The verdict's own publisher line: the base models panel (lineage) may show one of its own.
    await p.locator('.ms-verdict .ms-publisher').waitFor({ timeout: 30_000 });
    await p.screenshot({ path: resolve(SHOTS, `publishers-${label}.png`), fullPage: true });
    const text = await p.locator('.ms-verdict').innerText();
    await p.close();
    return text;
  }

  it("IBM's own repo: green, documented by the publisher, not first use, nothing pinned", async () => {
    const page = await b.context.newPage();
    const s = await visit(page, ORIGINAL);
    expect(s.verdict).toMatchObject({ state: 'verified', publisher: { relation: 'documented', name: 'IBM', namespace: 'ibm-granite' } });
    expect(s.verdict.signature.signer.identity).toBe('Granite-sign@ibm.com');
    expect(s.verdict.signature.rootDigest).toBe(rootDigests.ibm);
    expect(await pinsOf(ORIGINAL)).toEqual([]);
    const text = await popupText(s.tabId, 'documented');
    expect(text).toContain('Documented by the publisher:');
    expect(text).toContain('IBM (ibm-granite)');
    expect(text).toContain('signatures seen on the publisher');
    await page.close();
  });

  it('an exact copy in another namespace: green with the copy made explicit, nothing pinned', async () => {
    const page = await b.context.newPage();
    const s = await visit(page, EXACT_COPY);
    expect(s.verdict).toMatchObject({ state: 'verified', publisher: { relation: 'exact-copy', original: ORIGINAL, owner: 'copycat' } });
    expect(await pinsOf(EXACT_COPY)).toEqual([]);
    const text = await popupText(s.tabId, 'exact-copy');
    expect(text).toContain('An exact copy of this signed release:');
    expect(text).toContain(ORIGINAL);
    expect(text).toMatch(/Signed by\s+IBM \(ibm-granite\), not by the owner of this repo:\s+copycat/);
    // Its card names the original as base model: the lineage panel judges it by the directory too.
    const p = await b.context.newPage();
    await p.goto(`chrome-extension://${b.extensionId}/popup/index.html?tab=${s.tabId}`);
    const base = p.locator(`li[data-base="${ORIGINAL}"][data-base-state="verified"]`);
    await base.locator('.ms-publisher[data-relation="documented"]').waitFor({ timeout: 30_000 });
    expect(await base.getAttribute('data-base-untrusted')).toBeNull();
    await p.close();
    await page.close();
  });

  it("a re-quantized copy carrying the original's signature: another model's files, not the tampering wording", async () => {
    const page = await b.context.newPage();
    const s = await visit(page, REQUANT_COPY);
    expect(s.verdict).toMatchObject({ state: 'files-changed', failure: { code: 'COPY_FILES_DIFFER' }, publisher: { relation: 'changed-copy', original: ORIGINAL } });
    expect(s.verdict.failure.reason).toContain("carries the signature of another model's files: these files differ");
    expect(await pinsOf(REQUANT_COPY)).toEqual([]);
    const text = await popupText(s.tabId, 'requant');
    expect(text).toContain("Carries the signature of another model's files");
    await page.close();
  });

  it('the real unsloth re-upload (IBM signer, other root digest than the original): a modified copy, never pinned', async () => {
    const page = await b.context.newPage();
    const s = await visit(page, UNSLOTH_COPY);
    expect(s.verdict.signature.rootDigest).toBe(rootDigests.unsloth);
    expect(s.verdict).toMatchObject({ state: 'files-changed', failure: { code: 'COPY_FILES_DIFFER' }, publisher: { relation: 'changed-copy', original: ORIGINAL, owner: 'unsloth' } });
    expect(await pinsOf(UNSLOTH_COPY)).toEqual([]);
    await page.close();
  });

  it('switched off in settings: the directory no longer speaks (first use, as before)', async () => {
    expect(await ok<{ publishersDirectory?: boolean }>({ type: 'settings/set', settings: { publishersDirectory: false } })).toMatchObject({ publishersDirectory: false });
    const page = await b.context.newPage();
    const s = await visit(page, EXACT_COPY);
    expect(s.verdict.state).toBe('verified-first-use');
    expect(s.verdict.publisher).toBeUndefined();
    await page.close();
  });
});
