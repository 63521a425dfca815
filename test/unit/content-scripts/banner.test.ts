// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://huggingface.co/acme/model"}
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// The polyfill throws outside an extension: only the runtime URL lookup is needed here.
vi.mock('webextension-polyfill', () => ({
  default: { runtime: { getURL: (p: string) => `chrome-extension://modelsealid/${p.replace(/^\//, '')}` } },
}));

import { findHeaderAnchor, mountBanner } from '../../../content-scripts/banner.js';
import { quietFrameLoads, recordShadowRoots } from './doubles.js';

let page: AbortController;
let roots: ShadowRoot[];

function header(target: string): HTMLElement {
  const el = document.createElement('div');
  el.dataset.target = target;
  el.textContent = 'acme/model';
  return el;
}

beforeEach(() => {
  document.body.replaceChildren();
  page = new AbortController();
  quietFrameLoads();
  roots = recordShadowRoots();
});
afterEach(() => {
  page.abort();
  vi.restoreAllMocks();
});

describe('findHeaderAnchor', () => {
  it('finds the model, dataset or repo header island, model header first', () => {
    expect(findHeaderAnchor()).toBeNull();
    const repo = header('RepoHeader');
    document.body.append(repo);
    expect(findHeaderAnchor()).toBe(repo);
    const dataset = header('DatasetHeader');
    document.body.append(dataset);
    expect(findHeaderAnchor()).toBe(dataset);
    const model = header('ModelHeader');
    document.body.append(model);
    expect(findHeaderAnchor()).toBe(model);
  });

  it('does not go by class names or text', () => {
    const el = document.createElement('div');
    el.className = 'ModelHeader RepoHeader';
    el.textContent = 'ModelHeader';
    document.body.append(el);
    expect(findHeaderAnchor()).toBeNull();
  });
});

describe('mountBanner', () => {
  it('leaves a page without a header island alone', () => {
    const before = document.body.childNodes.length;
    expect(mountBanner(7, page.signal)).toBe(false);
    expect(document.body.childNodes.length).toBe(before);
    expect(document.querySelector('modelseal-banner')).toBeNull();
    expect(roots).toHaveLength(0);
  });

  it('mounts one host right after the header, with a closed shadow root holding the frame for this tab', () => {
    const anchor = header('ModelHeader');
    const next = document.createElement('main');
    document.body.append(anchor, next);
    expect(mountBanner(7, page.signal)).toBe(true);

    const hosts = document.querySelectorAll('modelseal-banner');
    expect(hosts).toHaveLength(1);
    const host = hosts[0] as HTMLElement;
    expect(anchor.nextElementSibling).toBe(host);
    expect(host.nextElementSibling).toBe(next);
    expect(host.dataset.modelseal).toBe('banner');
    expect(host.shadowRoot).toBeNull();
    // Nothing of ours is in the page's light DOM besides the host.
    expect(host.childNodes).toHaveLength(0);
    expect(document.querySelectorAll('iframe')).toHaveLength(0);

    expect(roots).toHaveLength(1);
    const root = roots[0]!;
    expect(root.mode).toBe('closed');
    expect(root.host).toBe(host);
    const frames = root.querySelectorAll('iframe');
    expect(frames).toHaveLength(1);
    const frame = frames[0]!;
    expect(frame.getAttribute('src')).toBe('chrome-extension://modelsealid/extension/pages/frame.html?tab=7');
    expect(frame.getAttribute('referrerpolicy')).toBe('no-referrer');
    expect(frame.title).toBe('ModelSeal');
    expect(root.querySelector('style')?.textContent).toContain('iframe{');
  });

  it('gives the host a fixed-size slot whose every declaration is !important', () => {
    document.body.append(header('DatasetHeader'));
    mountBanner(1, page.signal);
    const style = document.querySelector('modelseal-banner')!.getAttribute('style')!;
    const decls = style.split(';');
    expect(decls.length).toBeGreaterThan(5);
    for (const d of decls) expect(d).toMatch(/^[a-z-]+:[^;]+ !important$/);
    expect(decls).toContain('all:initial !important');
    expect(decls).toContain('height:44px !important');
    expect(decls).toContain('contain:strict !important');
  });

  it('puts the tab id in the frame URL as a number only', () => {
    document.body.append(header('RepoHeader'));
    mountBanner(123456, page.signal);
    expect(roots[0]!.querySelector('iframe')!.src).toBe('chrome-extension://modelsealid/extension/pages/frame.html?tab=123456');
  });

  it('is removed when the page signal aborts', () => {
    const anchor = header('ModelHeader');
    document.body.append(anchor);
    mountBanner(7, page.signal);
    expect(document.querySelector('modelseal-banner')).not.toBeNull();
    page.abort();
    expect(document.querySelector('modelseal-banner')).toBeNull();
    expect(anchor.isConnected).toBe(true);
  });

  it('keeps its style when the page rewrites it', async () => {
    document.body.append(header('ModelHeader'));
    mountBanner(7, page.signal);
    const host = document.querySelector('modelseal-banner') as HTMLElement;
    const want = host.getAttribute('style');
    host.setAttribute('style', 'display:none');
    await new Promise((r) => setTimeout(r, 0));
    expect(host.getAttribute('style')).toBe(want);
  });
});
