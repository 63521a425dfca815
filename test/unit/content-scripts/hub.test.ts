// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://huggingface.co/acme/model/tree/main"}
/**
 * hub.ts wires navigation, banner and marks to the worker. It starts itself on import and lives for
 * the whole file (as in a tab); each test navigates in place to a page of its own, the way the hub's
 * router does, and talks to it through a recording stand-in for `browser.runtime`.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PageContext, Push, TabState, WorkerMessage } from '../../../extension/shared/messages.js';
import { FakeIntersectionObserver, FakeResizeObserver, IdleQueue, fileHref, fileList, quietFrameLoads, settle, verifiedVerdict } from './doubles.js';

const rt = vi.hoisted(() => ({
  sent: [] as unknown[],
  /** `matches` of the manifest's web-accessible frame pages (the built-in hub unless a test changes it). */
  frameMatches: ['https://huggingface.co/*'],
  listeners: new Set<(m: unknown) => unknown>(),
  /** How the worker answers a message; by default it never does. */
  reply: (_m: unknown): Promise<unknown> => new Promise(() => undefined),
}));

// Only browser.runtime is used by the content scripts; the real polyfill throws outside an extension.
vi.mock('webextension-polyfill', () => ({
  default: {
    runtime: {
      sendMessage: (m: unknown) => {
        rt.sent.push(m);
        return rt.reply(m);
      },
      onMessage: {
        addListener: (l: (m: unknown) => unknown) => void rt.listeners.add(l),
        removeListener: (l: (m: unknown) => unknown) => void rt.listeners.delete(l),
      },
      getURL: (p: string) => `chrome-extension://modelsealid/${p.replace(/^\//, '')}`,
      getManifest: () => ({ web_accessible_resources: [{ resources: ['extension/pages/frame.html'], matches: rt.frameMatches, use_dynamic_url: true }] }),
    },
  },
}));

const HUB = 'https://huggingface.co';
const FIRST = `${HUB}/acme/model/tree/main`;
const idle = new IdleQueue();
const roots: ShadowRoot[] = [];

/** The page moves in place (history API) and the browser reports it (popstate). */
function navigate(path: string): void {
  history.pushState({}, '', path);
  dispatchEvent(new PopStateEvent('popstate'));
}

function push(state: TabState): void {
  const msg: Push<'tab/state'> = { type: 'tab/state', state };
  for (const l of [...rt.listeners]) l(msg);
}

function header(): HTMLElement {
  const el = document.createElement('header');
  el.dataset.target = 'ModelHeader';
  return el;
}

const contexts = (): PageContext[] => rt.sent.filter((m): m is { type: 'page/context'; context: PageContext } => (m as WorkerMessage).type === 'page/context').map((m) => m.context);
const banners = () => document.querySelectorAll('modelseal-banner');
const bannerSrc = (): string | null => {
  const host = banners()[0];
  return roots.find((r) => r.host === host)?.querySelector('iframe')?.getAttribute('src') ?? null;
};
const observedLinks = (): number => FakeIntersectionObserver.instances.filter((o) => !o.disconnected).reduce((n, o) => n + o.observed.size, 0);

const stateFor = (url: string, tabId: number, verdict = verifiedVerdict(['config.json'])): TabState => {
  const p = new URL(url);
  const [, owner, name] = p.pathname.split('/');
  return { tabId, context: { url, hub: HUB, kind: 'model', repo: `${owner}/${name}` }, verdict };
};

beforeAll(async () => {
  vi.stubGlobal('IntersectionObserver', FakeIntersectionObserver);
  vi.stubGlobal('ResizeObserver', FakeResizeObserver);
  vi.stubGlobal('requestIdleCallback', idle.request);
  vi.stubGlobal('cancelIdleCallback', idle.cancel);
  quietFrameLoads();
  const attach = HTMLElement.prototype.attachShadow;
  vi.spyOn(HTMLElement.prototype, 'attachShadow').mockImplementation(function (this: HTMLElement, init: ShadowRootInit) {
    const root = attach.call(this, init);
    roots.push(root);
    return root;
  });
  document.body.append(header());
  await import('../../../content-scripts/hub.js');
});

afterAll(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

beforeEach(() => {
  rt.reply = () => new Promise(() => undefined);
});

describe('hub content script', () => {
  it('tells the worker the page it starts on, with the context read from the URL', () => {
    expect(rt.sent).toHaveLength(1);
    expect(rt.sent[0]).toStrictEqual({
      type: 'page/context',
      context: { url: FIRST, hub: HUB, kind: 'model', repo: 'acme/model', revision: 'main' },
    });
    expect(rt.listeners.size).toBe(1);
  });

  it('sends a new page/context on in-place navigation, with revision and path decoded, without the fragment', () => {
    const before = contexts().length;
    navigate('/datasets/acme/data/blob/v1.0/dir/file%20name.json#L3');
    expect(contexts().slice(before)).toStrictEqual([
      {
        url: `${HUB}/datasets/acme/data/blob/v1.0/dir/file%20name.json`,
        hub: HUB,
        kind: 'dataset',
        repo: 'acme/data',
        revision: 'v1.0',
        path: 'dir/file name.json',
      },
    ]);
    // The same page again (fragment only): nothing new.
    navigate('/datasets/acme/data/blob/v1.0/dir/file%20name.json#L9');
    expect(contexts()).toHaveLength(before + 1);
    // Only the current page listens for the worker's pushes.
    expect(rt.listeners.size).toBe(1);
  });

  it('sends page/left for pages that are not a repo, and stops listening; listing pages also ask for their marks', () => {
    for (const path of ['/docs/hub/index', '/acme', '/models?search=x']) {
      const n = rt.sent.length;
      navigate(path);
      const listing = path === '/docs/hub/index' ? [] : [{ type: 'listing/marks', url: `${HUB}${path}` }];
      expect(rt.sent.slice(n)).toStrictEqual([{ type: 'page/left' }, ...listing]);
      expect(rt.listeners.size).toBe(0);
    }
  });

  it("renders from the worker's reply: one banner frame for the tab, and marks on the file rows", async () => {
    const url = `${HUB}/acme/model/tree/v2`;
    rt.reply = async (m) => ((m as WorkerMessage).type === 'page/context' ? { ok: true, value: stateFor(url, 9) } : undefined);
    fileList([{ hrefs: [fileHref('acme/model', 'blob', 'v2', 'config.json')] }]);
    const observed = observedLinks();
    navigate('/acme/model/tree/v2');
    expect(banners()).toHaveLength(0); // nothing is drawn before the worker answers
    await settle();
    expect(banners()).toHaveLength(1);
    expect(bannerSrc()).toBe('chrome-extension://modelsealid/extension/pages/frame.html?tab=9');
    expect(observedLinks()).toBe(observed + 1);
  });

  it('mounts no frame on a hub whose pages may not load our frames (a user-added hub), but still reports the page', async () => {
    const url = `${HUB}/acme/model/tree/v9`;
    rt.frameMatches = ['https://hf-mirror.com/*'];
    try {
      rt.reply = async (m) => ((m as WorkerMessage).type === 'page/context' ? { ok: true, value: stateFor(url, 11) } : undefined);
      navigate('/acme/model/tree/v9');
      await settle();
      expect((rt.sent.at(-1) as WorkerMessage).type).toBe('page/context');
      expect(banners()).toHaveLength(0);
    } finally {
      rt.frameMatches = ['https://huggingface.co/*'];
    }
  });

  it("renders on the worker's push only when it is about this page's URL", async () => {
    const url = `${HUB}/acme/model/tree/v3`;
    navigate('/acme/model/tree/v3');
    expect(banners()).toHaveLength(0); // the previous page's banner went with it
    push(stateFor(`${HUB}/acme/model/tree/v2`, 4)); // the page we left
    push({ tabId: 4, verdict: { state: 'unsigned', checkedAt: 1 } }); // no context at all
    for (const l of [...rt.listeners]) l({ type: 'something/else', state: stateFor(url, 4) });
    expect(banners()).toHaveLength(0);
    push(stateFor(url, 4));
    expect(banners()).toHaveLength(1);
    expect(bannerSrc()).toBe('chrome-extension://modelsealid/extension/pages/frame.html?tab=4');
    // Later pushes re-mark but never mount a second banner.
    push(stateFor(url, 4));
    push(stateFor(url, 4));
    await settle();
    expect(banners()).toHaveLength(1);
  });

  it('tears the page down on navigation: banner removed, listener removed, observers disconnected', () => {
    const url = `${HUB}/acme/model/tree/v4`;
    navigate('/acme/model/tree/v4');
    push(stateFor(url, 4));
    expect(banners()).toHaveLength(1);
    const io = FakeIntersectionObserver.instances.at(-1)!;
    expect(io.disconnected).toBe(false);
    const listener = [...rt.listeners][0]!;

    navigate('/acme/model/tree/v5');
    expect(banners()).toHaveLength(0);
    expect(io.disconnected).toBe(true);
    expect(rt.listeners.has(listener)).toBe(false);
    // A late push for the old page draws nothing on the new one.
    listener({ type: 'tab/state', state: stateFor(url, 4) });
    push(stateFor(url, 4));
    expect(banners()).toHaveLength(0);
  });

  it('re-marks rows that appear after rendering (pagination, re-render)', async () => {
    const url = `${HUB}/acme/model/tree/v6`;
    navigate('/acme/model/tree/v6');
    push(stateFor(url, 4, verifiedVerdict(['a.bin', 'b.bin'])));
    const before = observedLinks();
    fileList([{ hrefs: [fileHref('acme/model', 'blob', 'v6', 'a.bin')] }, { hrefs: [fileHref('acme/model', 'blob', 'v6', 'b.bin')] }]);
    await new Promise((r) => setTimeout(r, 200)); // re-render is throttled to one per 100 ms
    expect(observedLinks()).toBe(before + 2);
  });

  it('re-renders on page changes, at most once per 100 ms, but not for our own hosts coming and going', async () => {
    const url = `${HUB}/acme/model/tree/v10`;
    navigate('/acme/model/tree/v10');
    push(stateFor(url, 4));
    const measure = vi.spyOn(performance, 'measure');
    const renders = () => measure.mock.calls.filter(([name]) => name === 'modelseal:content:marks').length;
    const wait = () => new Promise((r) => setTimeout(r, 200));

    const ours = document.createElement('modelseal-mark');
    document.body.append(ours);
    ours.remove();
    await wait();
    expect(renders()).toBe(0);

    // Separate bursts of changes within 100 ms: one re-render.
    for (let i = 0; i < 5; i++) {
      document.body.append(document.createElement('div'));
      await settle();
    }
    await wait();
    expect(renders()).toBe(1);
    measure.mockRestore();
  });

  it("keeps a newer pushed verdict when the worker's (older) reply arrives later", async () => {
    const url = `${HUB}/acme/model/tree/v7`;
    let answer: (v: unknown) => void = () => undefined;
    rt.reply = () => new Promise((r) => (answer = r));
    navigate('/acme/model/tree/v7');
    push(stateFor(url, 4, verifiedVerdict(['late.bin'])));
    answer({ ok: true, value: stateFor(url, 4, { state: 'checking', checkedAt: 0 }) });
    await settle();
    // Rows that show up now are marked from the pushed verdict, not the stale "checking".
    const before = observedLinks();
    fileList([{ hrefs: [fileHref('acme/model', 'blob', 'v7', 'late.bin')] }]);
    await new Promise((r) => setTimeout(r, 200));
    expect(observedLinks()).toBe(before + 1);
  });

  it("takes the reply when only a 'checking' state was pushed, and ignores a refused reply", async () => {
    const url = `${HUB}/acme/model/tree/v8`;
    let answer: (v: unknown) => void = () => undefined;
    rt.reply = () => new Promise((r) => (answer = r));
    fileList([{ hrefs: [fileHref('acme/model', 'blob', 'v8', 'x.bin')] }]);
    navigate('/acme/model/tree/v8');
    push(stateFor(url, 4, { state: 'checking', checkedAt: 0 }));
    const before = observedLinks();
    answer({ ok: true, value: stateFor(url, 4, verifiedVerdict(['x.bin'])) });
    await settle();
    expect(observedLinks()).toBe(before + 1);

    rt.reply = async () => ({ ok: false, error: { code: 'INTERNAL', message: 'no' } });
    navigate('/acme/model/tree/v9');
    await settle();
    expect(banners()).toHaveLength(0);
  });
});
