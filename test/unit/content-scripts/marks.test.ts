// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://huggingface.co/acme/model/tree/main"}
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// The polyfill throws outside an extension: only the runtime URL lookup is needed here.
vi.mock('webextension-polyfill', () => ({
  default: { runtime: { getURL: (p: string) => `chrome-extension://modelsealid/${p.replace(/^\//, '')}` } },
}));

import { markFiles, newMarkMemory, type MarkContext, type MarkMemory } from '../../../content-scripts/marks.js';
import type { Verdict } from '../../../extension/core/verdict.js';
import {
  recordShadowRoots,
  FakeIntersectionObserver,
  FakeResizeObserver,
  IdleQueue,
  fileHref,
  fileList,
  quietFrameLoads,
  verifiedVerdict,
} from './doubles.js';

const HUB = 'https://huggingface.co';
const REPO = 'acme/model';
const CTX: MarkContext = { hub: HUB, kind: 'model', repo: REPO, revision: 'main' };
const TAB = 5;
const MARK_URL = `chrome-extension://modelsealid/extension/pages/mark.html?tab=${TAB}`;

const blob = (path: string, rev = 'main', repo = REPO) => fileHref(repo, 'blob', rev, path);
const resolve = (path: string, rev = 'main', repo = REPO) => `${fileHref(repo, 'resolve', rev, path)}?download=true`;

let page: AbortController;
let memory: MarkMemory;
let idle: IdleQueue;
let roots: ShadowRoot[];

beforeEach(() => {
  document.body.replaceChildren();
  page = new AbortController();
  memory = newMarkMemory();
  idle = new IdleQueue();
  FakeIntersectionObserver.instances = [];
  FakeResizeObserver.instances = [];
  vi.stubGlobal('IntersectionObserver', FakeIntersectionObserver);
  vi.stubGlobal('ResizeObserver', FakeResizeObserver);
  vi.stubGlobal('requestIdleCallback', idle.request);
  vi.stubGlobal('cancelIdleCallback', idle.cancel);
  quietFrameLoads();
  roots = recordShadowRoots();
});

afterEach(() => {
  page.abort();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const io = (): FakeIntersectionObserver => {
  expect(FakeIntersectionObserver.instances).toHaveLength(1);
  return FakeIntersectionObserver.instances[0]!;
};
const ro = (): FakeResizeObserver => {
  expect(FakeResizeObserver.instances).toHaveLength(1);
  return FakeResizeObserver.instances[0]!;
};

/** Every observed link comes near the viewport (rows 30 px apart from y=100), then idle time runs out. */
function scrollAllIntoView(): void {
  const order = [...io().observed];
  io().report(order, true, (el) => ({ top: 100 + 30 * order.indexOf(el), height: 30 }));
  idle.drain();
}

const hosts = (): HTMLElement[] => [...document.querySelectorAll<HTMLElement>('modelseal-mark')];
const frames = (): HTMLIFrameElement[] => roots.filter((r) => r.host.isConnected).map((r) => r.querySelector('iframe')!);
/** The `[[path, y], …]` a mark frame is told through its URL fragment. */
function fragmentOf(frame: HTMLIFrameElement): [string, number][] {
  const src = frame.getAttribute('src')!;
  expect(src.startsWith(`${MARK_URL}#`)).toBe(true);
  return JSON.parse(decodeURIComponent(src.slice(MARK_URL.length + 1))) as [string, number][];
}
const pathsOf = (frame: HTMLIFrameElement): string[] => fragmentOf(frame).map(([p]) => p);

describe('markFiles: which rows', () => {
  it('notes one row per file link of this repo and revision (blob or resolve), and nothing else', () => {
    const { links } = fileList([
      { hrefs: [blob('config.json'), resolve('config.json')] }, // blob and download link share a row
      { hrefs: [blob('weights/model.safetensors')] },
      { hrefs: [`${HUB}/acme/model/resolve/main/tokenizer.json`] }, // absolute URL to the hub
      { hrefs: [blob('README.md', 'main', 'acme/other')] }, // another repo
      { hrefs: [blob('README.md', 'dev')] }, // another revision
      { hrefs: [fileHref(REPO, 'blob', 'main', 'README.md', true)] }, // the dataset of the same name
      { hrefs: ['https://evil.example/acme/model/blob/main/README.md'] }, // another origin
      { hrefs: ['/acme/model/blob/main/../README.md'] }, // not a clean path
      { hrefs: [blob('not-in-verdict.bin')] },
      { hrefs: ['/acme/model/tree/main/weights'], className: 'file-row blob resolve' }, // folder row
    ]);
    const verdict = verifiedVerdict(['config.json', 'weights/model.safetensors', 'tokenizer.json', 'README.md']);
    expect(markFiles(CTX, verdict, TAB, page.signal, memory)).toBe(3);
    expect([...io().observed]).toEqual([links[0]![0], links[1]![0], links[2]![0]]);
    scrollAllIntoView();
    expect(frames()).toHaveLength(1);
    expect(pathsOf(frames()[0]!)).toEqual(['config.json', 'weights/model.safetensors', 'tokenizer.json']);
  });

  it('goes by links, never by class names', () => {
    const list = document.createElement('ul');
    for (const cls of ['file', 'blob', 'resolve', 'modelseal-row']) {
      const li = document.createElement('li');
      li.className = cls;
      li.dataset.path = 'config.json';
      li.textContent = 'config.json';
      list.append(li);
    }
    document.body.append(list);
    expect(markFiles(CTX, verifiedVerdict(['config.json']), TAB, page.signal, memory)).toBe(0);
    // A bare link with no class at all is a row.
    fileList([{ hrefs: [blob('config.json')] }]);
    expect(markFiles(CTX, verifiedVerdict(['config.json']), TAB, page.signal, memory)).toBe(1);
  });

  it('finds table rows too', () => {
    const table = document.createElement('table');
    const body = table.createTBody();
    for (const p of ['a.bin', 'b.bin']) {
      const cell = body.insertRow().insertCell();
      const a = document.createElement('a');
      a.href = blob(p);
      a.textContent = p;
      cell.append(a);
    }
    document.body.append(table);
    expect(markFiles(CTX, verifiedVerdict(['a.bin', 'b.bin']), TAB, page.signal, memory)).toBe(2);
  });

  it('takes links under the name and commit the worker reports (renamed repo, pinned commit)', () => {
    const commit = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b';
    fileList([
      { hrefs: [blob('a.bin', 'main', 'acme/renamed')] },
      { hrefs: [resolve('b.bin', commit)] },
      { hrefs: [blob('c.bin', 'v1')] },
    ]);
    const verdict = verifiedVerdict(['a.bin', 'b.bin', 'c.bin'], { repo: 'acme/renamed', revision: 'main', commit });
    expect(markFiles(CTX, verdict, TAB, page.signal, memory)).toBe(2);
  });

  it('uses the page revision, encoded as the hub writes it, and defaults to main', () => {
    fileList([
      { hrefs: ['/acme/model/blob/refs%2Fpr%2F3/a.bin'] },
      { hrefs: [blob('b.bin')] },
    ]);
    expect(markFiles({ ...CTX, revision: 'refs/pr/3' }, verifiedVerdict(['a.bin', 'b.bin']), TAB, page.signal, memory)).toBe(1);
    const other = newMarkMemory();
    const { revision: _, ...noRevision } = CTX;
    expect(markFiles(noRevision, verifiedVerdict(['a.bin', 'b.bin']), TAB, page.signal, other)).toBe(1);
  });

  it('on dataset pages takes only dataset links', () => {
    fileList([
      { hrefs: [fileHref('acme/data', 'blob', 'main', 'train.parquet', true)] },
      { hrefs: [fileHref('acme/data', 'blob', 'main', 'test.parquet', false)] },
    ]);
    const ctx: MarkContext = { hub: HUB, kind: 'dataset', repo: 'acme/data', revision: 'main' };
    expect(markFiles(ctx, verifiedVerdict(['train.parquet', 'test.parquet']), TAB, page.signal, memory)).toBe(1);
  });

  it('marks nothing without per-file results, without a tab, or after the page is gone', () => {
    fileList([{ hrefs: [blob('a.bin')] }]);
    const unsigned: Verdict = { state: 'unsigned', checkedAt: 1 };
    expect(markFiles(CTX, unsigned, TAB, page.signal, memory)).toBe(0);
    expect(markFiles(CTX, verifiedVerdict([]), TAB, page.signal, memory)).toBe(0);
    expect(markFiles(CTX, verifiedVerdict(['a.bin']), -1, page.signal, memory)).toBe(0);
    expect(FakeIntersectionObserver.instances).toHaveLength(0);
    page.abort();
    expect(markFiles(CTX, verifiedVerdict(['a.bin']), TAB, page.signal, memory)).toBe(0);
    expect(FakeIntersectionObserver.instances).toHaveLength(0);
  });

  it('notes only new rows on a later pass, and draws them in a strip of their own', () => {
    const { list } = fileList([{ hrefs: [blob('a.bin')] }, { hrefs: [blob('b.bin')] }, { hrefs: [blob('c.bin')] }]);
    const verdict = verifiedVerdict(['a.bin', 'b.bin', 'c.bin', 'd.bin', 'e.bin']);
    expect(markFiles(CTX, verdict, TAB, page.signal, memory)).toBe(3);
    expect(markFiles(CTX, verdict, TAB, page.signal, memory)).toBe(0);
    for (const p of ['d.bin', 'e.bin']) {
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.setAttribute('href', blob(p));
      li.append(a);
      list.append(li);
    }
    expect(markFiles(CTX, verdict, TAB, page.signal, memory)).toBe(2);
    expect(io().observed.size).toBe(5);
    scrollAllIntoView();
    expect(frames().map(pathsOf)).toEqual([
      ['a.bin', 'b.bin', 'c.bin'],
      ['d.bin', 'e.bin'],
    ]);
  });
});

describe('markFiles: strips and frames', () => {
  it('draws nothing until a row comes near the viewport, then one frame per strip in idle time', () => {
    const { links } = fileList(['config.json', 'model.safetensors', 'tokenizer.json'].map((p) => ({ hrefs: [blob(p), resolve(p)] })));
    markFiles(CTX, verifiedVerdict(['config.json', 'model.safetensors', 'tokenizer.json']), TAB, page.signal, memory);
    expect(hosts()).toHaveLength(0);
    expect(io().options?.rootMargin).toBe('400px 0px');

    io().report([links[1]![0]!], true, () => ({ top: 130, height: 30 }));
    io().report([links[0]![0]!, links[2]![0]!], true, (el) => ({ top: el === links[0]![0] ? 100 : 160, height: 30 }));
    expect(hosts()).toHaveLength(0); // waits for idle time
    expect(idle.runSlice()).toBe(1);

    expect(hosts()).toHaveLength(1);
    const host = hosts()[0]!;
    // Inside the strip's first link, before its text: no layout of the page moves.
    expect(links[0]![0]!.firstChild).toBe(host);
    expect(host.shadowRoot).toBeNull();
    expect(roots).toHaveLength(1);
    expect(roots[0]!.mode).toBe('closed');
    expect([...roots[0]!.children].map((c) => c.tagName)).toEqual(['STYLE', 'IFRAME']);
    for (const d of host.getAttribute('style')!.split(';')) expect(d).toMatch(/ !important$/);

    const frame = frames()[0]!;
    expect(frame.getAttribute('referrerpolicy')).toBe('no-referrer');
    expect(frame.tabIndex).toBe(-1);
    // Centre of each 30 px row, minus half the 16 px icon, from the first link's top.
    expect(fragmentOf(frame)).toEqual([
      ['config.json', 7],
      ['model.safetensors', 37],
      ['tokenizer.json', 67],
    ]);
    expect(frame.style.top).toBe('0px');
    expect(frame.style.height).toBe('83px');
    // The rows are now watched for moves.
    expect(ro().observed.has(links[0]![0]!)).toBe(true);
    expect(ro().observed.has(links[2]![0]!.parentElement!)).toBe(true);
  });

  it('puts at most 50 rows in a strip, and inserts one frame per idle slice', () => {
    const paths = Array.from({ length: 120 }, (_, i) => `shard-${String(i).padStart(3, '0')}.bin`);
    const { links } = fileList(paths.map((p) => ({ hrefs: [blob(p)] })));
    expect(markFiles(CTX, verifiedVerdict(paths), TAB, page.signal, memory)).toBe(120);
    const order = [...io().observed];
    io().report(order, true, (el) => ({ top: 30 * order.indexOf(el), height: 30 }));
    expect(idle.runSlice()).toBe(1);
    expect(hosts()).toHaveLength(1);
    idle.drain();
    expect(hosts()).toHaveLength(3);
    expect(frames().map((f) => pathsOf(f).length)).toEqual([50, 50, 20]);
    expect(frames().flatMap(pathsOf)).toEqual(paths);
    expect(hosts().map((h) => h.parentElement)).toEqual([links[0]![0], links[50]![0], links[100]![0]]);
  });

  it('starts a new strip for each list', () => {
    fileList([{ hrefs: [blob('a.bin')] }, { hrefs: [blob('b.bin')] }]);
    fileList([{ hrefs: [blob('c.bin')] }]);
    markFiles(CTX, verifiedVerdict(['a.bin', 'b.bin', 'c.bin']), TAB, page.signal, memory);
    scrollAllIntoView();
    expect(frames().map(pathsOf)).toEqual([['a.bin', 'b.bin'], ['c.bin']]);
  });

  it('never turns hostile file names into markup: they travel as encoded data only', () => {
    const hostile = [
      '\u202Egpj.exe', // right-to-left override
      'say "hi" \'there\'.bin',
      '<script>alert(1)</script>.txt',
      '<img src=x onerror=alert(1)>.md',
      'dir/"><iframe src=javascript:alert(1)>/x.json',
      'a&amp;b\u200B.json',
    ];
    fileList(hostile.map((p) => ({ hrefs: [blob(p), resolve(p)], text: p })));
    expect(markFiles(CTX, verifiedVerdict(hostile), TAB, page.signal, memory)).toBe(hostile.length);
    scrollAllIntoView();

    expect(frames()).toHaveLength(1);
    const frame = frames()[0]!;
    expect(pathsOf(frame)).toEqual(hostile);
    const src = frame.getAttribute('src')!;
    expect(src).not.toMatch(/[<>"\s\u202E\u200B]/);
    // No element was made from a name: in the page, only our host was added; in the root, style and frame.
    expect(document.querySelectorAll('script, img')).toHaveLength(0);
    expect(document.querySelectorAll('iframe')).toHaveLength(0);
    expect(roots).toHaveLength(1);
    expect([...roots[0]!.querySelectorAll('*')].map((e) => e.tagName)).toEqual(['STYLE', 'IFRAME']);
    expect(hosts()[0]!.childNodes).toHaveLength(0);
  });

  it('moves the icons by fragment when rows move, without reloading when nothing moved', () => {
    const paths = ['a.bin', 'b.bin', 'c.bin'];
    const { links, rows } = fileList(paths.map((p) => ({ hrefs: [blob(p)] })));
    markFiles(CTX, verifiedVerdict(paths), TAB, page.signal, memory);
    scrollAllIntoView();
    const frame = frames()[0]!;
    const host = hosts()[0]!;
    host.getBoundingClientRect = () => ({ top: 200, height: 0 }) as DOMRect;
    links.forEach(([a], i) => {
      a!.getBoundingClientRect = () => ({ top: 200 + 40 * i, height: 20 }) as DOMRect;
    });
    ro().report([rows[1]!]);
    expect(fragmentOf(frame)).toEqual([
      ['a.bin', 2],
      ['b.bin', 42],
      ['c.bin', 82],
    ]);
    expect(frame.style.height).toBe('98px');
    const src = frame.getAttribute('src');
    const set = vi.spyOn(frame, 'src', 'set');
    ro().report([links[0]![0]!]);
    expect(set).not.toHaveBeenCalled();
    expect(frame.getAttribute('src')).toBe(src);
    // A row above the host's top: the frame extends upwards and the offsets stay positive.
    links[0]![0]!.getBoundingClientRect = () => ({ top: 150, height: 20 }) as DOMRect;
    ro().report([rows[0]!]);
    expect(frame.style.top).toBe('-48px');
    expect(fragmentOf(frame)).toEqual([
      ['a.bin', 0],
      ['b.bin', 90],
      ['c.bin', 130],
    ]);
  });

  it('drops strips that leave the viewport only beyond 12 live strips, and redraws them on return', () => {
    const paths = Array.from({ length: 14 * 50 }, (_, i) => `f${i}.bin`);
    const { links } = fileList(paths.map((p) => ({ hrefs: [blob(p)] })));
    markFiles(CTX, verifiedVerdict(paths), TAB, page.signal, memory);
    scrollAllIntoView();
    expect(hosts()).toHaveLength(14);
    const strip = (k: number) => links.slice(k * 50, k * 50 + 50).map(([a]) => a!);

    io().report(strip(0), false);
    expect(hosts()).toHaveLength(13);
    expect(strip(0)[0]!.querySelector('modelseal-mark')).toBeNull();
    expect(ro().observed.has(strip(0)[0]!)).toBe(false);
    io().report(strip(1), false);
    expect(hosts()).toHaveLength(12);
    io().report(strip(2), false); // 12 live: kept
    expect(hosts()).toHaveLength(12);
    expect(strip(2)[0]!.querySelector('modelseal-mark')).not.toBeNull();

    // Partly out of view is still near: a strip goes only when its last row leaves.
    io().report(strip(3).slice(0, 49), false);
    expect(strip(3)[0]!.querySelector('modelseal-mark')).not.toBeNull();

    io().report(strip(0), true);
    idle.drain();
    expect(hosts()).toHaveLength(13);
    expect(strip(0)[0]!.firstChild?.nodeName).toBe('MODELSEAL-MARK');
  });

  it('on abort: removes every mark, disconnects both observers and cancels pending idle work', () => {
    const paths = Array.from({ length: 60 }, (_, i) => `f${i}.bin`);
    fileList(paths.map((p) => ({ hrefs: [blob(p)] })));
    markFiles(CTX, verifiedVerdict(paths), TAB, page.signal, memory);
    const order = [...io().observed];
    io().report(order, true);
    idle.runSlice(); // first strip drawn, second still queued
    expect(hosts()).toHaveLength(1);
    expect(idle.pending.size).toBe(1);
    const theIo = io();
    const theRo = ro();

    page.abort();
    expect(hosts()).toHaveLength(0);
    expect(theIo.disconnected).toBe(true);
    expect(theRo.disconnected).toBe(true);
    expect(idle.pending.size).toBe(0);
    expect(memory.queue.size).toBe(0);
    expect(memory.live.size).toBe(0);
  });
});
