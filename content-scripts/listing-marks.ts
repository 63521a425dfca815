/**
 * Marks on listing pages (organisation, profile, search results): the worker answers which listed
 * repos are signed with ONE hub request for the whole page; each such entry gets an extension-origin
 * frame (`listing-mark.html`) in a closed shadow root, which asks the worker (never the page) what to
 * show. Entries are found by their links (the adapter's listing selector, each href read with its URL
 * grammar), never by class names.
 *
 * Main-thread cost is bounded for pages of hundreds of entries: a scan only reads hrefs (no layout);
 * inserting a frame is by far the dearest step, so a signed entry gets its frame only when its card
 * comes near the viewport (IntersectionObserver), in idle time, BATCH frames per idle slot, at most
 * MAX_MARKS per page; in-place re-renders are re-scanned at most every 100 ms, skipping links seen.
 */
import browser from 'webextension-polyfill';
import { pagesFor } from '../extension/core/hubs/pages.js';
import type { ListingMark } from '../extension/shared/messages.js';
import { request } from '../extension/shared/rpc.js';
import { closedHost, important, styleEl } from './shadow.js';
import { timed } from './timing.js';

const BATCH = 2;
/** "Near the viewport": cards this far below or above it get their frame before they scroll in. */
const MARGIN = '400px 0px';
const MAX_MARKS = 1000;
// A zero-height block at the top of the card: the frame inside floats over its top-right corner, so the page's layout never moves.
const HOST_STYLE = important('all:initial;display:block;position:relative;height:0;width:auto;margin:0;padding:0;overflow:visible;opacity:1;visibility:visible;transform:none;filter:none;clip-path:none;z-index:1');
const FRAME_CSS = 'iframe{position:absolute;right:2px;top:2px;width:150px;height:20px;border:0;padding:0;margin:0;display:block;color-scheme:normal;background:transparent;}';

type Idle = (cb: () => void, o?: { timeout: number }) => number;

function requestIdle(cb: () => void): void {
  const ric = (globalThis as { requestIdleCallback?: Idle }).requestIdleCallback;
  // The timeout bounds the wait on a page that is never idle.
  if (ric) ric(cb, { timeout: 500 });
  else setTimeout(cb, 50);
}

const markKey = (kind: string, repo: string) => `${kind}:${repo.toLowerCase()}`;
const ours = (r: MutationRecord): boolean => [...r.addedNodes, ...r.removedNodes].every((n) => n.nodeName.startsWith('MODELSEAL-'));

/** Starts marking if `url` is a listing page of `hub`; false when it is not one. */
export function markListing(hub: string, url: string, signal: AbortSignal): boolean {
  const pages = pagesFor(hub);
  const selector = pages.anchors.listingLinkSelector;
  const listing = pages.parseListingUrl?.(url, [hub]);
  if (!listing || !selector) return false;

  let marks: Map<string, ListingMark> | undefined;
  let tabId = -1;
  let placed = 0;
  const seen = new WeakSet<Element>();
  const pending = new WeakMap<Element, ListingMark>();
  const queue: { link: Element; mark: ListingMark }[] = [];
  let draining = false;
  const frameBase = browser.runtime.getURL('extension/pages/listing-mark.html');

  const insert = (link: Element, mark: ListingMark) => {
    const card = link.parentElement;
    if (!card || !link.isConnected) return;
    const { host, root } = closedHost('modelseal-listing-mark', HOST_STYLE, signal);
    const frame = document.createElement('iframe');
    frame.src = `${frameBase}?tab=${tabId}&kind=${mark.kind}&repo=${encodeURIComponent(mark.repo)}`;
    frame.setAttribute('title', 'ModelSeal');
    frame.setAttribute('scrolling', 'no');
    root.append(styleEl(FRAME_CSS), frame);
    card.insertBefore(host, link);
  };

  const drain = () =>
    timed(() => {
      draining = false;
      if (signal.aborted) return;
      for (const { link, mark } of queue.splice(0, BATCH)) insert(link, mark);
      if (queue.length > 0) schedule();
    }, ':listing-insert');
  const schedule = () => {
    if (draining) return;
    draining = true;
    requestIdle(drain);
  };

  const io = new IntersectionObserver(
    (entries) =>
      timed(() => {
        for (const e of entries) {
          const mark = e.isIntersecting ? pending.get(e.target) : undefined;
          if (!mark) continue;
          io.unobserve(e.target);
          pending.delete(e.target);
          queue.push({ link: e.target, mark });
        }
        if (queue.length > 0) schedule();
      }, ':listing-near'),
    { rootMargin: MARGIN },
  );
  signal.addEventListener('abort', () => io.disconnect(), { once: true });

  const scan = () =>
    timed(() => {
      if (!marks || signal.aborted) return;
      for (const a of document.querySelectorAll(selector)) {
        if (seen.has(a) || placed >= MAX_MARKS) continue;
        seen.add(a);
        const page = pages.parsePageUrl((a as HTMLAnchorElement).href, [hub]);
        if (!page || page.view !== 'home') continue;
        const mark = marks.get(markKey(page.kind, page.repo));
        if (!mark) continue;
        placed++;
        pending.set(a, mark);
        io.observe(a);
      }
    }, ':listing-scan');

  // Cards re-render in place (filters, pagination): look again, throttled, ignoring our own hosts.
  let queued = false;
  const mo = new MutationObserver((records) => {
    if (queued || !marks || records.every(ours)) return;
    queued = true;
    setTimeout(() => {
      queued = false;
      scan();
    }, 100);
  });
  mo.observe(document, { childList: true, subtree: true });
  signal.addEventListener('abort', () => mo.disconnect(), { once: true });

  request({ type: 'listing/marks', url }).then(
    (reply) => {
      if (!reply || signal.aborted) return;
      tabId = reply.tabId;
      marks = new Map(reply.marks.map((m) => [markKey(m.kind, m.repo), m]));
      if (document.readyState === 'loading') addEventListener('DOMContentLoaded', scan, { once: true, signal });
      else scan();
    },
    () => undefined,
  );
  return true;
}
