/**
 * The in-page banner: an extension-origin iframe (the frame page renders the worker's verdict for
 * this tab) inside a closed shadow root, in a fixed-size slot right after the repo header (the hub
 * adapter's banner anchor). The page can neither read nor restyle what is inside; if it covers or
 * removes it, the toolbar still tells the truth. No header → the page is left alone.
 */
import browser from 'webextension-polyfill';
import { pagesFor } from '../extension/core/hubs/pages.js';
import { closedHost, important, styleEl } from './shadow.js';

const SLOT_HEIGHT = 44;
// Inline !important declarations outrank the page's stylesheets, even their !important rules.
const HOST_STYLE = important(`all:initial;display:block;position:relative;box-sizing:border-box;width:100%;height:${SLOT_HEIGHT}px;margin:8px 0;contain:strict;opacity:1;visibility:visible;transform:none;filter:none;clip-path:none`);

/** The repo header the banner goes after, as this hub's adapter finds it. */
export function findHeaderAnchor(): Element | null {
  return pagesFor(location.origin).anchors.bannerAnchor(document);
}

/** Mounts the banner frame once per page; returns false when no anchor was found. */
export function mountBanner(tabId: number, signal: AbortSignal): boolean {
  const anchor = findHeaderAnchor();
  if (!anchor || !anchor.parentNode) return false;
  const { host, root } = closedHost('modelseal-banner', HOST_STYLE, signal);
  host.dataset.modelseal = 'banner';
  root.append(styleEl('iframe{border:0;width:100%;height:100%;display:block;color-scheme:normal;}'));
  const frame = document.createElement('iframe');
  frame.src = `${browser.runtime.getURL('extension/pages/frame.html')}?tab=${tabId}`;
  frame.title = 'ModelSeal';
  // The frame only talks to the worker; the page gets nothing from it.
  frame.setAttribute('referrerpolicy', 'no-referrer');
  root.append(frame);
  anchor.after(host);
  return true;
}
