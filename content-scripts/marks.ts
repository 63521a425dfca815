/**
 * Per-file marks beside file rows. Rows are found by their file links (the hub adapter's link and row
 * selectors, each link then read with its URL grammar; never by class names). Marks are drawn by extension-origin frames (`mark.html`), so the page can neither
 * read nor forge what they say: the frame takes each file's status from the worker's verdict and
 * names the file in its tooltip. Inserting a frame costs the page far more main-thread time than
 * anything else we do, so one frame serves a strip of up to STRIP_ROWS consecutive rows of one
 * list: a 16 px wide column just left of the rows, its host a closed-shadow element that is
 * absolutely positioned with no size of its own, so the hub's layout never moves.
 *
 * Cost: scanning only notes which links are file rows. A strip's frame is created lazily when one
 * of its rows comes near the viewport (IntersectionObserver), in idle time after the page has
 * painted; a ResizeObserver keeps the icons on their rows when the rows move (the positions travel
 * in the frame's URL fragment: a same-document navigation, not a reload).
 */
import browser from 'webextension-polyfill';
import type { FileResult, Verdict } from '../extension/core/verdict.js';
import type { HubPages } from '../extension/core/hubs/adapter.js';
import { pagesFor } from '../extension/core/hubs/pages.js';
import { closedHost, important, styleEl } from './shadow.js';
import { timed } from './timing.js';
import type { RepoRef } from '../extension/core/repo-ref.js';

const SIZE = 16;
// Out of flow (never a flex or grid item), no size: the frame inside overflows it to the left.
const HOST_STYLE = important(
  'all:initial;display:block;position:absolute;align-self:flex-start;width:0;height:0;margin:0;padding:0;overflow:visible;opacity:1;visibility:visible;transform:none;filter:none;clip-path:none',
);
const FRAME_CSS = `iframe{position:absolute;left:-${SIZE + 4}px;top:0;width:${SIZE}px;height:${SIZE}px;border:0;padding:0;margin:0;display:block;color-scheme:normal;background:transparent;}`;
/** Rows per frame: fewer frames is less main-thread time; the fragment stays well under URL limits. */
const STRIP_ROWS = 50;
const STRIP_CHARS = 24_000;
/** Rows noted per page (each costs a WeakMap entry and an observed link). */
const MAX_ROWS = 20_000;
/** Strips kept alive at once; beyond this, strips out of view are dropped (and come back on scroll). */
const MAX_LIVE = 12;
/** "Near the viewport": strips this far below or above it get their frame before they scroll in. */
const MARGIN = '400px 0px';

/** The page's repo, and the revision its URL names, if any: links of the file list use it. */
export type MarkContext = RepoRef & { revision?: string };

interface Strip {
  list: Element;
  links: Element[];
  rows: Element[];
  paths: string[];
  chars: number;
  /** Links of this strip near the viewport. */
  near: number;
  host?: HTMLElement;
  frame?: HTMLIFrameElement;
  fragment?: string;
}

type Idle = (cb: () => void, o?: { timeout: number }) => number;

/** Per-page state: links already judged, rows already noted, and the lazy frame layer. */
export interface MarkMemory {
  seen: WeakSet<Element>;
  rows: WeakSet<Element>;
  stripOf: WeakMap<Element, Strip>;
  near: WeakSet<Element>;
  open?: Strip;
  live: Set<Strip>;
  queue: Set<Strip>;
  noted: number;
  io?: IntersectionObserver;
  ro?: ResizeObserver;
  idle?: number;
}

export const newMarkMemory = (): MarkMemory => ({ seen: new WeakSet(), rows: new WeakSet(), stripOf: new WeakMap(), near: new WeakSet(), live: new Set(), queue: new Set(), noted: 0 });

function filesOf(verdict: Verdict): FileResult[] | undefined {
  return 'files' in verdict ? verdict.files : undefined;
}

/** Repo-relative file path of a file-list link, or undefined when the link is about something else. */
function linkPath(
  a: HTMLAnchorElement,
  pages: HubPages,
  prefixes: readonly string[],
  hub: string,
  names: Set<string>,
  revisions: readonly string[],
  kind: MarkContext['kind'],
): string | undefined {
  const raw = a.getAttribute('href') ?? '';
  // Fast path: file-list links are root-relative, starting with one of the adapter's file link prefixes.
  for (const p of prefixes) {
    if (!raw.startsWith(p)) continue;
    const rest = raw.slice(p.length).split(/[?#]/)[0] ?? '';
    try {
      const path = rest.split('/').map(decodeURIComponent).join('/');
      return path && !path.split('/').some((s) => s === '' || s === '.' || s === '..') ? path : undefined;
    } catch {
      return undefined;
    }
  }
  const page = pages.parsePageUrl(a.href, [hub]);
  // A link to the same file at another revision is not what this verdict is about.
  if (!page || !names.has(page.repo) || page.kind !== kind || !page.path || !revisions.includes(page.revision ?? '')) return undefined;
  return page.view === 'resolve' || page.view === 'blob' ? page.path : undefined;
}

function requestIdle(cb: () => void): number {
  const ric = (globalThis as { requestIdleCallback?: Idle }).requestIdleCallback;
  // The timeout bounds the wait on a page that is never idle.
  return ric ? ric(cb, { timeout: 500 }) : (setTimeout(cb, 50) as unknown as number);
}

function cancelIdle(id: number): void {
  const cic = (globalThis as { cancelIdleCallback?: (id: number) => void }).cancelIdleCallback;
  if (cic) cic(id);
  else clearTimeout(id);
}

type Box = { top: number; height: number };

/**
 * Where each row's icon goes, relative to `origin` (the top of the strip's host): `[[path, y], …]`
 * plus the frame's own top and height.
 */
function place(s: Strip, origin: number, box: (l: Element) => Box | undefined): { top: number; height: number; fragment: string } {
  const ys = s.links.map((l) => {
    const r = box(l);
    return r ? r.top + r.height / 2 - SIZE / 2 - origin : 0;
  });
  const top = Math.floor(Math.min(0, ...ys));
  const height = Math.ceil(Math.max(0, ...ys) - top + SIZE);
  const fragment = encodeURIComponent(JSON.stringify(s.paths.map((p, i) => [p, Math.round((ys[i] ?? 0) - top)])));
  return { top, height, fragment };
}

function apply(s: Strip, base: string, at: { top: number; height: number; fragment: string }): void {
  if (!s.frame) return;
  s.frame.style.top = `${at.top}px`;
  s.frame.style.height = `${at.height}px`;
  if (at.fragment === s.fragment) return;
  s.fragment = at.fragment;
  // After the first load only the fragment changes: the frame redraws without reloading.
  s.frame.src = `${base}#${at.fragment}`;
}

/** Exact placement from layout; runs only where layout is already clean (ResizeObserver). */
function update(s: Strip, base: string): void {
  if (!s.host?.isConnected) return;
  apply(s, base, place(s, s.host.getBoundingClientRect().top, (l) => l.getBoundingClientRect()));
}

function mount(s: Strip, base: string, signal: AbortSignal, ro: ResizeObserver, seen: WeakMap<Element, Box>): void {
  const first = s.links[0];
  if (!first?.isConnected) return;
  const { host, root } = closedHost('modelseal-mark', HOST_STYLE, signal);
  root.append(styleEl(FRAME_CSS));
  const frame = document.createElement('iframe');
  frame.title = 'ModelSeal';
  frame.setAttribute('referrerpolicy', 'no-referrer');
  frame.setAttribute('scrolling', 'no');
  frame.tabIndex = -1;
  s.host = host;
  s.frame = frame;
  // First placement from the rectangles the IntersectionObserver already reported (no layout
  // forced here), with the URL set before insertion so the frame loads once. The host sits at the
  // first link's top; the ResizeObserver's first report corrects any difference by fragment.
  const origin = seen.get(first)?.top ?? 0;
  apply(s, base, place(s, origin, (l) => seen.get(l)));
  root.append(frame);
  // Inside the first row's link: its static position is the link's start; it adds no text.
  first.prepend(host);
  // Then a link or row changing size may move the rows below it (window resize, wrapping, fonts).
  for (const l of [...s.links, ...s.rows]) ro.observe(l);
}

function unmount(s: Strip, ro: ResizeObserver): void {
  s.host?.remove();
  for (const l of [...s.links, ...s.rows]) ro.unobserve(l);
  s.host = s.frame = s.fragment = undefined;
}

function layer(memory: MarkMemory, tabId: number, signal: AbortSignal): IntersectionObserver {
  if (memory.io) return memory.io;
  const base = `${browser.runtime.getURL('extension/pages/mark.html')}?tab=${tabId}`;
  let moved = new Set<Strip>();
  // Link rectangles as last reported by the IntersectionObserver (it computes them anyway).
  const boxes = new WeakMap<Element, Box>();
  const ro = new ResizeObserver((entries) =>
    timed(() => {
      for (const e of entries) {
        const s = memory.stripOf.get(e.target);
        if (s) moved.add(s);
      }
      const now = moved;
      moved = new Set();
      for (const s of now) update(s, base);
    }),
  );
  // One strip per idle slice: a frame insertion is the expensive step, and the page comes first.
  const flush = () =>
    timed(() => {
      memory.idle = undefined;
      if (signal.aborted) return;
      const [s] = memory.queue;
      if (!s) return;
      memory.queue.delete(s);
      if (!s.host && s.near > 0) {
        mount(s, base, signal, ro, boxes);
        if (s.host) memory.live.add(s);
      }
      if (memory.queue.size) memory.idle = requestIdle(flush);
    });
  const io = new IntersectionObserver(
    (entries) =>
      timed(() => {
        for (const e of entries) {
          const s = memory.stripOf.get(e.target);
          if (!s) continue;
          boxes.set(e.target, e.boundingClientRect);
          if (e.isIntersecting) {
            if (memory.near.has(e.target)) continue;
            memory.near.add(e.target);
            s.near++;
            if (!s.host) memory.queue.add(s);
          } else if (memory.near.has(e.target)) {
            memory.near.delete(e.target);
            s.near--;
            if (s.near === 0 && s.host && memory.live.size > MAX_LIVE) {
              unmount(s, ro);
              memory.live.delete(s);
            }
          }
        }
        if (memory.queue.size && memory.idle === undefined) memory.idle = requestIdle(flush);
      }),
    { rootMargin: MARGIN },
  );
  memory.io = io;
  memory.ro = ro;
  signal.addEventListener(
    'abort',
    () => {
      io.disconnect();
      ro.disconnect();
      if (memory.idle !== undefined) cancelIdle(memory.idle);
      memory.queue.clear();
      memory.live.clear();
    },
    { once: true },
  );
  return io;
}

/** Adds a row to the open strip, or opens a new one (new list, strip full, or URL budget spent). */
function note(memory: MarkMemory, link: Element, row: Element, path: string): void {
  const list = row.parentElement ?? row;
  const chars = path.length * 3 + 12;
  let s = memory.open;
  if (!s || s.list !== list || s.links.length >= STRIP_ROWS || s.chars + chars > STRIP_CHARS || s.host) {
    s = { list, links: [], rows: [], paths: [], chars: 0, near: 0 };
    memory.open = s;
  }
  s.links.push(link);
  s.rows.push(row);
  s.paths.push(path);
  s.chars += chars;
  memory.stripOf.set(link, s);
  memory.stripOf.set(row, s);
}

/**
 * Notes every file link of this repo that the verdict knows about (one per row) and watches it;
 * its strip is drawn when it comes near the viewport. Returns how many rows were newly noted.
 */
export function markFiles(ctx: MarkContext, verdict: Verdict, tabId: number, signal: AbortSignal, memory: MarkMemory): number {
  const files = filesOf(verdict);
  if (!files?.length || tabId < 0 || signal.aborted) return 0;
  // A renamed repo's links may use its new name, which the worker reports as the subject.
  const names = new Set([ctx.repo, verdict.subject?.repo].filter((n): n is string => Boolean(n)));
  const revisions = [...new Set([ctx.revision ?? 'main', verdict.subject?.revision, verdict.subject?.commit].filter((r): r is string => Boolean(r)))];
  const pages = pagesFor(ctx.hub);
  const prefixes = [...names].flatMap((n) => revisions.flatMap((r) => pages.fileLinkPrefixes(ctx.kind, n, r)));
  const known = new Set(files.map((f) => f.path));
  const io = layer(memory, tabId, signal);
  let n = 0;
  const links = document.querySelectorAll<HTMLAnchorElement>(pages.anchors.fileLinkSelector);
  for (const a of links) {
    if (memory.noted >= MAX_ROWS) break;
    if (memory.seen.has(a)) continue;
    memory.seen.add(a);
    // One mark per row (the blob link and the download link of a row share it).
    const row = a.closest(pages.anchors.fileRowSelector) ?? a.parentElement;
    if (!row || memory.rows.has(row)) continue;
    const path = linkPath(a, pages, prefixes, ctx.hub, names, revisions, ctx.kind);
    if (path === undefined || !known.has(path)) continue;
    memory.rows.add(row);
    note(memory, a, row, path);
    memory.noted++;
    io.observe(a);
    n++;
  }
  // Rows noted in a later pass start a new strip rather than growing one already drawn.
  memory.open = undefined;
  return n;
}
