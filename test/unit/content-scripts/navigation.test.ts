// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://huggingface.co/acme/model"}
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watchPages } from '../../../content-scripts/navigation.js';
import { nextFrame, settle } from './doubles.js';

const START = 'https://huggingface.co/acme/model';

interface Call {
  url: string;
  signal: AbortSignal;
}

let root: AbortController;
let calls: Call[];
const onPage = (url: string, signal: AbortSignal) => calls.push({ url, signal });

/** The page navigates in place the way the hub's router does: history API, then a re-render. */
async function spaNavigate(path: string): Promise<void> {
  history.pushState({}, '', path);
  document.body.append(document.createElement('div'));
  await settle();
  await nextFrame();
}

async function popTo(path: string): Promise<void> {
  history.replaceState({}, '', path);
  dispatchEvent(new PopStateEvent('popstate'));
  await settle();
}

beforeEach(() => {
  history.replaceState({}, '', START);
  document.body.replaceChildren();
  calls = [];
  root = new AbortController();
});

afterEach(() => {
  root.abort();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('watchPages', () => {
  it('calls onPage at once for the current URL, without its fragment, with a live signal', () => {
    history.replaceState({}, '', `${START}#readme`);
    watchPages(onPage, root.signal);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe(START);
    expect(calls[0]!.signal.aborted).toBe(false);
  });

  it('follows pushState navigation seen through DOM mutations, aborting the previous page first', async () => {
    // Whether the previous page's signal was already aborted when onPage ran for the next one.
    const previousAborted: boolean[] = [];
    watchPages((url, signal) => {
      const prev = calls.at(-1);
      if (prev) previousAborted.push(prev.signal.aborted);
      onPage(url, signal);
    }, root.signal);
    await spaNavigate('/acme/model/tree/main');
    expect(calls.map((c) => c.url)).toEqual([START, `${START}/tree/main`]);
    expect(previousAborted).toEqual([true]);
    expect(calls[0]!.signal.aborted).toBe(true);
    expect(calls[1]!.signal.aborted).toBe(false);
  });

  it('follows popstate (back/forward), once per distinct URL', async () => {
    watchPages(onPage, root.signal);
    await popTo('/acme/model/tree/main');
    await popTo('/acme/model/tree/main'); // same URL again: nothing new
    await popTo('/acme/model/tree/main#files'); // only the fragment changed: same page
    await popTo('/acme/model'); // back to the first page: a new page again
    expect(calls.map((c) => c.url)).toEqual([START, `${START}/tree/main`, START]);
    expect(calls.map((c) => c.signal.aborted)).toEqual([true, true, false]);
  });

  it('ignores DOM changes that do not change the URL', async () => {
    watchPages(onPage, root.signal);
    for (let i = 0; i < 3; i++) {
      document.body.append(document.createElement('p'));
      await settle();
      await nextFrame();
    }
    expect(calls).toHaveLength(1);
    expect(calls[0]!.signal.aborted).toBe(false);
  });

  it('compares the URL once per animation frame for a burst of mutations', async () => {
    const raf = vi.spyOn(globalThis, 'requestAnimationFrame');
    watchPages(onPage, root.signal);
    history.pushState({}, '', '/acme/model/blob/main/config.json');
    for (let i = 0; i < 20; i++) document.body.append(document.createElement('span'));
    await settle();
    // Mutations delivered in one or more records, but only one frame requested until it runs.
    expect(raf).toHaveBeenCalledTimes(1);
    await nextFrame();
    expect(calls.map((c) => c.url)).toEqual([START, `${START}/blob/main/config.json`]);
  });

  it('listens to the Navigation API when the page has one', async () => {
    const navigation = new EventTarget();
    vi.stubGlobal('navigation', navigation);
    watchPages(onPage, root.signal);
    history.pushState({}, '', '/datasets/acme/data');
    navigation.dispatchEvent(new Event('navigatesuccess'));
    expect(calls.map((c) => c.url)).toEqual([START, 'https://huggingface.co/datasets/acme/data']);
    expect(calls[0]!.signal.aborted).toBe(true);
  });

  it('on root abort: aborts the current page and stops watching popstate, navigation and mutations', async () => {
    const navigation = new EventTarget();
    vi.stubGlobal('navigation', navigation);
    const disconnect = vi.spyOn(MutationObserver.prototype, 'disconnect');
    const raf = vi.spyOn(globalThis, 'requestAnimationFrame');
    watchPages(onPage, root.signal);
    root.abort();
    expect(calls[0]!.signal.aborted).toBe(true);
    expect(disconnect).toHaveBeenCalled();

    history.pushState({}, '', '/acme/other');
    dispatchEvent(new PopStateEvent('popstate'));
    navigation.dispatchEvent(new Event('navigatesuccess'));
    document.body.append(document.createElement('div'));
    await settle();
    await nextFrame();
    expect(raf).toHaveBeenCalledTimes(1); // only our own nextFrame()
    expect(calls).toHaveLength(1);
  });

  it('does nothing, and watches nothing, when started with an aborted root', async () => {
    const raf = vi.spyOn(globalThis, 'requestAnimationFrame');
    root.abort();
    watchPages(onPage, root.signal);
    expect(calls).toEqual([]);
    history.pushState({}, '', '/acme/other');
    document.body.append(document.createElement('div'));
    await settle();
    await nextFrame();
    expect(calls).toEqual([]);
    // No mutation observer left behind waking up on every change of the page.
    expect(raf).toHaveBeenCalledTimes(1); // only our own nextFrame()
  });
});
