// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://huggingface.co/listing-org"}
/**
 * Listing marks in the page: one worker request per listing page, only signed entries observed,
 * frames only for entries near the viewport, at most two per idle slot, inside closed shadow roots,
 * and re-renders re-scanned without asking again.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('webextension-polyfill', () => ({
  default: { runtime: { getURL: (p: string) => `chrome-extension://modelsealid/${p.replace(/^\//, '')}` } },
}));
const requests: unknown[] = [];
vi.mock('../../../extension/shared/rpc.js', () => ({
  request: async (msg: { type: string }) => {
    requests.push(msg);
    return {
      tabId: 9,
      kind: 'model',
      marks: ['listing-org/model-001', 'listing-org/model-050', 'listing-org/model-120'].map((repo) => ({ kind: 'model', repo, signatureFiles: ['model.sig'] })),
    };
  },
}));

import { markListing } from '../../../content-scripts/listing-marks.js';
import { FakeIntersectionObserver, IdleQueue, quietFrameLoads, recordShadowRoots, settle } from './doubles.js';

const HUB = 'https://huggingface.co';
let page: AbortController;
let idle: IdleQueue;
let roots: ShadowRoot[];

function cards(n: number): HTMLAnchorElement[] {
  const grid = document.createElement('div');
  const links: HTMLAnchorElement[] = [];
  for (let i = 0; i < n; i++) {
    const article = document.createElement('article');
    const a = document.createElement('a');
    a.href = `/listing-org/model-${String(i).padStart(3, '0')}`;
    a.textContent = a.getAttribute('href')!;
    article.append(a);
    grid.append(article);
    links.push(a);
  }
  document.body.append(grid);
  return links;
}

beforeEach(() => {
  document.body.replaceChildren();
  requests.length = 0;
  page = new AbortController();
  idle = new IdleQueue();
  FakeIntersectionObserver.instances = [];
  vi.stubGlobal('IntersectionObserver', FakeIntersectionObserver);
  vi.stubGlobal('requestIdleCallback', idle.request);
  quietFrameLoads();
  roots = recordShadowRoots();
});

afterEach(() => {
  page.abort();
  vi.unstubAllGlobals();
});

const hosts = () => [...document.querySelectorAll('modelseal-listing-mark')];

describe('listing marks', () => {
  it('asks once, observes only signed entries, and frames them near the viewport two per idle slot', async () => {
    const links = cards(200);
    expect(markListing(HUB, `${HUB}/listing-org`, page.signal)).toBe(true);
    await settle();
    expect(requests).toEqual([{ type: 'listing/marks', url: `${HUB}/listing-org` }]);
    const io = FakeIntersectionObserver.instances[0]!;
    expect([...io.observed]).toEqual([links[1], links[50], links[120]]);
    expect(hosts()).toHaveLength(0);

    io.report([links[1]!, links[50]!, links[120]!], true);
    expect(idle.runSlice()).toBe(1);
    expect(hosts()).toHaveLength(2);
    idle.drain();
    expect(hosts()).toHaveLength(3);
    // Each host sits right before its card's link, closed, with a frame naming the tab and the repo.
    expect(hosts().map((h) => h.nextElementSibling)).toEqual([links[1], links[50], links[120]]);
    expect((hosts()[0] as HTMLElement).shadowRoot).toBeNull();
    const src = roots[0]!.querySelector('iframe')!.getAttribute('src');
    expect(src).toBe('chrome-extension://modelsealid/extension/pages/listing-mark.html?tab=9&kind=model&repo=listing-org%2Fmodel-001');
    expect(io.observed.size).toBe(0);
  });

  it('re-scans re-rendered cards without asking the worker again, and is not a listing on a repo page', async () => {
    cards(10);
    markListing(HUB, `${HUB}/listing-org`, page.signal);
    await settle();
    const more = cards(60).slice(50);
    await new Promise((r) => setTimeout(r, 150));
    expect(requests).toHaveLength(1);
    expect([...FakeIntersectionObserver.instances[0]!.observed]).toContain(more[0]);
    expect(markListing(HUB, `${HUB}/listing-org/model-001`, page.signal)).toBe(false);
    expect(requests).toHaveLength(1);
  });
});
