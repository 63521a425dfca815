/**
 * Partial and subfolder signatures end to end (issue 9 §3): the built extension (dist/chrome) in
 * Debian's Chromium against the fixture hub. A root model.sig made by signing `original/` (factory
 * key, and OpenAI's real public-good bundle), and a repo with two folder signatures: the verdict
 * says which part is signed and lists the rest, the popup lists each signature with its coverage and
 * signer, the file marks show which rows are covered, and the download guard holds uncovered files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright';
import { send } from '../fixture-hub/browser.mjs';
import { buildScenarios } from '../fixture-hub/scenarios.mjs';
import { hasHfReal } from '../fixture-hub/partial-scenarios.mjs';
import { runScenario } from '../fixture-hub/run-scenario.mjs';
import type { FixtureHub, Launched, TabStateJson } from '../fixture-hub/index.d.mts';
import { SHOTS, openSession } from './session.js';

const messages = JSON.parse(readFileSync(resolve(process.cwd(), 'public/_locales/en/messages.json'), 'utf8')) as Record<string, { message: string }>;

describe('partial and subfolder signatures end to end (dist/chrome, fixture hub)', () => {
  let b: Launched;
  let hub: FixtureHub;
  let extPage: Page;
  const built = buildScenarios();
  const byName = new Map(built.scenarios.map((s) => [s.name, s]));

  beforeAll(async () => {
    ({ b, hub, extPage } = await openSession(built.repos));
  });

  afterAll(async () => {
    await b?.context.close();
  });

  const run = async (name: string) => {
    const s = byName.get(name);
    if (!s) throw new Error(`no scenario ${name}`);
    const r = await runScenario({ context: b.context, worker: b.worker, extPage, hub }, s);
    return { ...r, final: r.final as TabStateJson };
  };

  async function popupText(tabId: number, shot: string): Promise<string> {
    const p = await b.context.newPage();
    await p.goto(`chrome-extension://${b.extensionId}/popup/index.html?tab=${tabId}`);
    await p.waitForFunction(() => document.body.innerText.includes('·'), undefined, { timeout: 15_000 });
    const text = await p.evaluate(() => document.body.innerText);
    await p.screenshot({ path: resolve(SHOTS, `partial-popup-${shot}.png`), fullPage: true });
    await p.close();
    return text;
  }

  async function bannerText(page: Page): Promise<string> {
    const frame = page.frames().find((f) => f.url().includes('/extension/pages/frame.html'));
    return frame ? await frame.evaluate(() => document.body.innerText).catch(() => '') : '';
  }

  /** path → status of the marks the extension's mark frames draw, once none is still checking. */
  async function marks(page: Page): Promise<Map<string, string>> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const out = new Map<string, string>();
      for (const f of page.frames().filter((x) => x.url().includes('/extension/pages/mark.html'))) {
        const icons = await f
          .evaluate(() => [...document.querySelectorAll<HTMLElement>('.ms-mark')].map((m) => [m.dataset.path ?? '', m.dataset.status ?? ''] as const))
          .catch(() => []);
        for (const [p, st] of icons) out.set(p, st);
      }
      const settled = out.size > 0 && [...out.values()].every((st) => st !== '' && st !== 'checking');
      if (settled || Date.now() > deadline) return out;
      await page.waitForTimeout(100);
    }
  }

  it('a root model.sig over original/ only: partly signed, original/ covered, top-level files held', async () => {
    const r = await run('root signature over original/ only');
    const v = r.final.verdict;
    expect(v).toMatchObject({ state: 'partly-signed', failure: { code: 'PARTLY_SIGNED' }, signatureFiles: ['model.sig'] });
    expect(v.failure.reason).toContain('signed: original/');
    expect(v.uncovered).toEqual(['config.json', 'README.md', 'model.safetensors']);
    expect(v.signatures).toEqual([
      { path: 'model.sig', coverage: { kind: 'folder', folder: 'original' }, signer: { kind: 'key', keyFingerprint: built.key.fingerprint }, rootDigest: v.signature.rootDigest, files: 3 },
    ]);

    const m = await marks(r.page);
    for (const p of ['original/config.json', 'original/dtypes.json', 'original/model.safetensors']) expect(m.get(p), p).toBe('verified');
    for (const p of ['config.json', 'README.md', 'model.safetensors']) expect(m.get(p), p).toBe('unsigned');
    await r.page.screenshot({ path: resolve(SHOTS, 'partial-original-only.png') });
    // The in-page banner (extension-origin frame) says what is signed, then what is not.
    await expect.poll(() => bannerText(r.page), { timeout: 15_000 }).toMatch(/Signed:\s*original\/\s*·\s*3 files are covered by no signature/);

    const popup = await popupText(r.final.tabId, 'original-only');
    expect(popup).toContain(messages.state_partlySigned!.message);
    expect(popup).toMatch(/Signature \(1\)/i); // headings are upper-cased by CSS
    expect(popup).toMatch(/Folder\s+original\/\s+· 3 files · signature\s+model\.sig/);

    // The covered weights download verified at once; the uncovered top-level copy gets the warning.
    const verified = async (path: string) => ((await send(extPage, { type: 'verified/list' })).value as Array<{ path: string }>).filter((d) => d.path === path).length;
    const pagesBefore = b.context.pages().length;
    await r.page.locator('a[href*="/resolve/"][href*="original/model.safetensors?"]').click();
    await expect.poll(() => verified('original/model.safetensors'), { timeout: 15_000 }).toBe(1);
    expect(b.context.pages().length).toBe(pagesBefore);
    const warningOpened = b.context.waitForEvent('page', { timeout: 15_000 });
    await r.page.locator('a[href*="/resolve/"][href$="/model.safetensors?download=true"]:not([href*="original/"])').click();
    const warning = await warningOpened;
    expect(warning.url()).toContain('/extension/pages/warning.html?request=');
    const requestId = new URL(warning.url()).searchParams.get('request') ?? '';
    const pending = await send(extPage, { type: 'download/pending', requestId });
    expect((pending.value as { check: { allow: boolean; verdict: { state: string } } }).check).toMatchObject({ allow: false, verdict: { state: 'partly-signed' } });
    await send(extPage, { type: 'download/decision', requestId, proceed: false });
    await warning.close().catch(() => undefined);
    await r.page.close();
  });

  it('two folder signatures: each listed with its folder, file count and signer; unsigned top-level files marked', async () => {
    const r = await run('two folder signatures');
    const v = r.final.verdict;
    expect(v).toMatchObject({ state: 'partly-signed', signatureFiles: ['fp16/model.sig', 'q4/model.sig'] });
    expect(v.uncovered).toEqual(['convert.py', 'README.md']);
    expect(v.signatures.map((s: { path: string; coverage: unknown; files: number }) => [s.path, s.coverage, s.files])).toEqual([
      ['fp16/model.sig', { kind: 'folder', folder: 'fp16' }, 2],
      ['q4/model.sig', { kind: 'folder', folder: 'q4' }, 2],
    ]);
    const m = await marks(r.page);
    for (const p of ['fp16/config.json', 'fp16/model.safetensors', 'q4/model.gguf', 'q4/tokenizer.json']) expect(m.get(p), p).toBe('verified');
    for (const p of ['convert.py', 'README.md']) expect(m.get(p), p).toBe('unsigned');
    const popup = await popupText(r.final.tabId, 'two-folders');
    expect(popup).toMatch(/Signatures \(2\)/i);
    expect(popup).toMatch(/Folder\s+fp16\/\s+· 2 files · signature\s+fp16\/model\.sig/);
    expect(popup).toMatch(/Folder\s+q4\/\s+· 2 files · signature\s+q4\/model\.sig/);
    expect(popup).toContain(built.key.fingerprint.slice(0, 16));
    await r.page.screenshot({ path: resolve(SHOTS, 'partial-two-folders.png') });
    await r.page.close();
  });

  if (!hasHfReal()) console.log('e2e: ../shared/fixtures/hf-real not found: the real OpenAI subfolder signature test not registered');
  else
    it("OpenAI's real root model.sig over original/ (public-good Sigstore): checked in original/, partly signed", async () => {
      const r = await run("OpenAI's real subfolder signature");
      const v = r.final.verdict;
      expect(v).toMatchObject({ state: 'partly-signed', signature: { signer: { kind: 'sigstore', identity: 'mihaimaruseac@openai.com', issuer: 'https://github.com/login/oauth' } } });
      expect(v.signatures.map((s: { path: string; coverage: unknown; files: number }) => [s.path, s.coverage, s.files])).toEqual([['model.sig', { kind: 'folder', folder: 'original' }, 4]]);
      const m = await marks(r.page);
      for (const p of ['original/config.json', 'original/dtypes.json', 'original/model.safetensors', 'original/viterbi_calibration.json']) expect(m.get(p), p).toBe('verified');
      for (const p of ['config.json', 'model.safetensors', 'tokenizer.json']) expect(m.get(p), p).toBe('unsigned');
      const popup = await popupText(r.final.tabId, 'openai');
      expect(popup).toContain('mihaimaruseac@openai.com');
      expect(popup).toMatch(/Folder\s+original\/\s+· 4 files/);
      await r.page.screenshot({ path: resolve(SHOTS, 'partial-openai.png') });
      await r.page.close();
    });
});
