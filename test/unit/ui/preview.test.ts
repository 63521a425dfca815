/**
 * Writes a static HTML preview of every UI surface in every state to test-results/ui-preview/
 * (the real components, stylesheet and locale file), so people and `screenshot.mjs` can look at them.
 * Asserts each page is self-contained: no scripts, no remote assets.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERDICT_STATES } from '../../../extension/core/verdict.js';
import { Banner } from '../../../extension/ui/Banner.js';
import { FileMark } from '../../../extension/ui/FileMark.js';
import { WarningView } from '../../../extension/ui/WarningView.js';
import { longValues, withSigner, NOOP_ACTIONS as ACTIONS } from './fixtures.js';
import { HOSTILE, VERDICTS, popupData } from './fixtures.js';
import { PopupView } from '../../../popup/Popup.js';
import { html } from './render.js';


const OUT = resolve(process.cwd(), 'test-results/ui-preview');
const css = readFileSync(resolve(process.cwd(), 'extension/ui/styles.css'), 'utf8');

function page(title: string, bodyClass: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title><style>${css}</style></head><body class="${bodyClass}">${body}</body></html>`;
}

const written: Record<string, string> = {};
function write(name: string, doc: string) {
  writeFileSync(resolve(OUT, `${name}.html`), doc);
  written[name] = doc;
}

describe('static previews', () => {
  it('are written for every state and surface', () => {
    mkdirSync(OUT, { recursive: true });
    for (const state of VERDICT_STATES) {
      write(`popup-${state}`, page(`popup ${state}`, 'ms-popup-body', html(PopupView, { data: popupData(state), actions: ACTIONS })));
    }
    for (const tab of ['alerts', 'trust', 'settings'] as const) {
      write(`popup-tab-${tab}`, page(`popup ${tab}`, 'ms-popup-body', html(PopupView, { data: popupData('verified'), initialTab: tab, actions: ACTIONS })));
    }
    const hostile = withSigner(VERDICTS['identity-changed'], { kind: 'sigstore', identity: HOSTILE.bidi, issuer: HOSTILE.cyrillic });
    write(
      'popup-hostile',
      page('popup hostile', 'ms-popup-body', html(PopupView, { data: { ...popupData('identity-changed'), tab: { tabId: 7, verdict: hostile, context: { url: '', hub: '', kind: 'model', repo: 'acme-ai/granite-mini' } } }, actions: ACTIONS })),
    );
    // Long log ids, a 20-digit index and a long path: what the layout test checks, for people to look at.
    write('popup-long-values', page('popup long values', 'ms-popup-body', html(PopupView, { data: { ...popupData('verified'), tab: { tabId: 7, verdict: longValues(VERDICTS.verified), context: { url: '', hub: '', kind: 'model', repo: 'acme-ai/granite-mini' } } }, actions: ACTIONS })));
    const banners = VERDICT_STATES.map((s) => `<div style="width:720px;margin:6px">${html(Banner, { verdict: VERDICTS[s] })}</div>`).join('');
    const bannerHostile = `<div style="width:720px;margin:6px">${html(Banner, { verdict: hostile })}</div>`;
    write('banners', page('banners', 'ms-frame-body', banners + bannerHostile));
    const marks = VERDICTS['files-changed'];
    const markRow = ['config.json', 'model-00002-of-00002.safetensors', 'extra.bin', 'absent.bin']
      .map((p) => `<div style="display:flex;gap:6px;align-items:center;margin:4px">${html(FileMark, { verdict: marks, path: p })}<span>${p}</span></div>`)
      .join('');
    write('marks', page('marks', '', markRow));
    const v = VERDICTS['files-changed'];
    const file = 'files' in v ? v.files?.find((f) => f.status === 'mismatch') : undefined;
    const pending = { requestId: 'r1', url: 'https://huggingface.co/acme-ai/granite-mini/resolve/main/model-00002-of-00002.safetensors?download=true', check: { verdict: v, file, allow: false }, source: 'click' as const };
    write('warning', page('warning', 'ms-page-body', html(WarningView, { pending, onDecision: async () => undefined })));
    write('warning-details', page('warning', 'ms-page-body', html(WarningView, { pending, onDecision: async () => undefined, initialDetails: true })));

    expect(Object.keys(written).length).toBe(VERDICT_STATES.length + 3 + 2 + 4);
    for (const [name, doc] of Object.entries(written)) {
      expect(doc, name).not.toMatch(/<script|<img|<link|url\(/i);
      const remote = [...doc.matchAll(/(?:src|href)="(https?:[^"]*)"/g)].map((m) => m[1]!);
      expect(remote.every((u) => u.startsWith('https://search.sigstore.dev/?logIndex=')), name).toBe(true);
    }
  });
});
