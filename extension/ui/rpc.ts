/**
 * The thin data layer for extension pages: typed requests to the worker over runtime messaging.
 * Components never import this; page entry points do, and hand plain data to the views.
 */
import browser from 'webextension-polyfill';
import type { TabState } from '../shared/messages.js';
import { onPush, request } from '../shared/rpc.js';
import type { AlertView, TrustSnapshotView } from './view-models.js';
import { toAlerts, toTrustSnapshot } from './view-models.js';

export { request, RpcError } from '../shared/rpc.js';

export async function loadAlerts(): Promise<AlertView[]> {
  return toAlerts(await request({ type: 'alerts/list' }));
}

export async function loadTrust(): Promise<TrustSnapshotView> {
  return toTrustSnapshot(await request({ type: 'trust/snapshot' }));
}

/** The export as JSON text. */
export function exportTrust(): Promise<string> {
  return request({ type: 'trust/export' });
}

/** Tab state pushes from the worker (`tab/state`) for one tab; returns an unsubscribe. */
export function onTabState(tabId: number, listener: (state: TabState) => void): () => void {
  return onPush('tab/state', (push) => {
    if (push.state?.tabId === tabId) listener(push.state);
  });
}

/** The worker dropped this tab's state (the tab left the hub); returns an unsubscribe. */
export function onTabCleared(tabId: number, listener: () => void): () => void {
  return onPush('tab/cleared', (push) => {
    if (push.tabId === tabId) listener();
  });
}

export async function activeTabId(): Promise<number | undefined> {
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id;
}

export { browser };
