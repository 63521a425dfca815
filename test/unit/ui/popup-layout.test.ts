/**
 * The popup laid out by real Chromium (Debian's, via Playwright; never downloaded) at the widths a
 * popup gets: nothing may stick out past the right edge. Long values (log ids, digests, identities,
 * paths) must wrap or scroll inside their own box, or people lose the end of them.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from 'playwright';
import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERDICT_STATES } from '../../../extension/core/verdict.js';
import type { Verdict, VerdictState } from '../../../extension/core/verdict.js';
import { PopupView } from '../../../popup/Popup.js';
import type { PopupData, PopupTab } from '../../../popup/Popup.js';
import { HOSTILE, VERDICTS, longValues, popupData, withSigner, NOOP_ACTIONS as ACTIONS } from './fixtures.js';
import { html } from './render.js';


const css = readFileSync(resolve(process.cwd(), 'extension/ui/styles.css'), 'utf8');
// Same body as popup/index.html, with the built stylesheet inlined.
const doc = (body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><style>${css}</style></head><body class="ms-popup-body"><div id="app">${body}</div></body></html>`;

const withVerdict = (state: VerdictState, verdict: Verdict): PopupData => {
  const d = popupData(state);
  return { ...d, tab: { tabId: 7, verdict, context: { url: '', hub: 'https://huggingface.co', kind: 'model', repo: 'acme-ai/granite-mini' } } };
};

const CASES: Array<[string, PopupData, PopupTab]> = [
  ...VERDICT_STATES.map((s) => [s, popupData(s), 'current'] as [string, PopupData, PopupTab]),
  ...VERDICT_STATES.map((s) => [`${s}, long values`, withVerdict(s, longValues(VERDICTS[s])), 'current'] as [string, PopupData, PopupTab]),
  ['hostile signer', withVerdict('identity-changed', withSigner(VERDICTS['identity-changed'], { kind: 'sigstore', identity: HOSTILE.long, issuer: HOSTILE.cyrillic })), 'current'],
  ['alerts tab', popupData('verified'), 'alerts'],
  ['trust tab', popupData('verified'), 'trust'],
  ['settings tab', popupData('verified'), 'settings'],
];

/** What sticks out past the viewport's right edge (or makes the page scroll sideways). */
async function overflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) out.push(`page scrolls sideways: ${root.scrollWidth} > ${root.clientWidth}`);
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      // Inside a box that scrolls on its own, the box is what must fit.
      let clipped = false;
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const ox = getComputedStyle(p).overflowX;
        if (ox === 'auto' || ox === 'scroll' || ox === 'hidden') clipped = true;
      }
      if (!clipped && r.right > root.clientWidth + 0.5) out.push(`${el.tagName.toLowerCase()}.${el.className || '-'} right edge ${Math.round(r.right)} > ${root.clientWidth}: ${(el.textContent ?? '').slice(0, 40)}`);
    }
    return out.slice(0, 5);
  });
}

describe('popup layout in Chromium', () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
    page = await browser.newPage({ deviceScaleFactor: 1 });
  });
  afterAll(async () => {
    await browser?.close();
  });

  // 440: Chrome's popup (the popup's own width). 420: the demo's window. 340: a Firefox overflow-menu panel.
  for (const width of [440, 420, 340]) {
    it.each(CASES)(`fits ${width} px: %s`, async (_name, data, initialTab) => {
      await page.setViewportSize({ width, height: 600 });
      await page.setContent(doc(html(PopupView, { data, actions: ACTIONS, initialTab })));
      expect(await overflow(page)).toEqual([]);
    });
  }
});
