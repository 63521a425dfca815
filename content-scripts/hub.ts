/**
 * ModelSeal content script for hub pages. Holds no verification code: it tells the worker which page
 * it is on (the worker re-derives repo and revision from that URL), mounts the banner frame, marks
 * file rows from the worker's answer and holds download clicks. One AbortSignal per page tears all of
 * it down on in-place navigation. It runs at document_start so the worker checks the revision while
 * the page is still loading; drawing waits for the DOM.
 */
import browser from 'webextension-polyfill';
import { pagesFor } from '../extension/core/hubs/pages.js';
import type { PageContext, TabState } from '../extension/shared/messages.js';
import { onPush, request } from '../extension/shared/rpc.js';
import { watchPages } from './navigation.js';
import { mountBanner } from './banner.js';
import { markFiles, newMarkMemory, type MarkContext } from './marks.js';
import { interceptDownloads } from './download-links.js';
import { markListing } from './listing-marks.js';
import { timed } from './timing.js';

/** Our own hosts coming and going is no reason to look at the page again. */
const ours = (r: MutationRecord): boolean => {
  for (const n of r.addedNodes) if (!n.nodeName.startsWith('MODELSEAL-')) return false;
  for (const n of r.removedNodes) if (!n.nodeName.startsWith('MODELSEAL-')) return false;
  return true;
};

/**
 * Our frame pages are web-accessible only to the built-in hubs (fixed in the manifest at build time);
 * on a hub the user added, the browser would refuse to load them, so no frames are mounted there and
 * the toolbar icon and popup carry the verdict.
 */
function framesAllowedHere(): boolean {
  const war = browser.runtime.getManifest().web_accessible_resources ?? [];
  return war.some((w) => typeof w === 'object' && (w.matches ?? []).some((m) => m === `${location.origin}/*`));
}

function onPage(url: string, signal: AbortSignal): void {
  const page = pagesFor(location.origin).parsePageUrl(url, [location.origin]);
  if (!page) {
    void request({ type: 'page/left' }).catch(() => undefined);
    // Not a repo page: perhaps a listing (organisation, profile, search), whose signed entries get marks.
    if (framesAllowedHere()) markListing(location.origin, url, signal);
    return;
  }
  const context: PageContext = { url, hub: page.hub, kind: page.kind, repo: page.repo };
  if (page.revision !== undefined) context.revision = page.revision;
  if (page.path !== undefined) context.path = page.path;
  const mctx: MarkContext = context;
  const memory = newMarkMemory();

  interceptDownloads(page.hub, signal);
  let state: TabState | undefined;
  let bannerMounted = false;
  const frames = framesAllowedHere();
  const render = () =>
    timed(() => {
      if (signal.aborted || !state || !frames) return;
      if (!bannerMounted) bannerMounted = timed(() => mountBanner(state?.tabId ?? -1, signal), ':banner');
      timed(() => markFiles(mctx, state?.verdict ?? { state: 'checking', checkedAt: 0 }, state?.tabId ?? -1, signal, memory), ':marks');
    });

  const offPush = onPush('tab/state', (push) => {
    if (push.state?.context?.url !== url) return;
    state = push.state;
    render();
  });
  signal.addEventListener('abort', offPush, { once: true });

  // File lists paginate and re-render in place: re-mark (throttled) when the DOM changes.
  let queued = false;
  const mo = new MutationObserver((records) => {
    if (queued || !state || records.every(ours)) return;
    queued = true;
    setTimeout(() => {
      queued = false;
      render();
    }, 100);
  });
  // Observing the document (not body): at document_start the page is not parsed yet, and the
  // header island appearing during parsing is what lets the banner mount.
  mo.observe(document, { childList: true, subtree: true });
  signal.addEventListener('abort', () => mo.disconnect(), { once: true });
  if (document.readyState === 'loading') addEventListener('DOMContentLoaded', render, { once: true, signal });

  request({ type: 'page/context', context }).then(
    (reply) => {
      if (signal.aborted) return;
      // A push may have delivered a newer state already.
      if (!state || state.verdict.state === 'checking') state = reply ?? undefined;
      render();
    },
    () => undefined,
  );
}

timed(() => watchPages(onPage, new AbortController().signal));
