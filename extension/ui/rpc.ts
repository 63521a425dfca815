/**
 * The thin data layer for extension pages: typed requests to the worker over runtime messaging.
 * Components never import this; page entry points do, and hand plain data to the views.
 */
import browser from 'webextension-polyfill';
import type { ExtensionPageToWorker, PendingDownload, Reply, Settings, TabState, WorkerToPages } from '../shared/messages.js';
import type { AlertView, TrustSnapshotView } from './view-models.js';
import { toAlerts, toTrustSnapshot } from './view-models.js';

type Kind = ExtensionPageToWorker['type'];
type Msg<K extends Kind> = Extract<ExtensionPageToWorker, { type: K }>;

/** What each request answers (the worker's side of the contract in messages.ts). */
export interface ReplyMap {
  /** null: the tab shows no hub repo page. */
  'tab/verdict': TabState | null;
  'frame/verdict': TabState | null;
  /** The repo's trust record (`history` newest last) or null; read with `toHistory`. */
  'repo/history': unknown;
  'alerts/list': unknown;
  'alerts/mark-read': unknown;
  'trust/accept-signer': unknown;
  'trust/snapshot': unknown;
  'trust/set-expected': unknown;
  'trust/remove-expected': unknown;
  'trust/remove-pin': unknown;
  'trust/export': unknown;
  'trust/import': unknown;
  'settings/get': Settings;
  'settings/set': Settings;
  'download/decision': unknown;
  /** null: unknown or already decided. */
  'download/pending': PendingDownload | null;
}

export class RpcError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Kinds added to messages.ts later answer `unknown` until listed above. */
export type ReplyOf<K extends Kind> = K extends keyof ReplyMap ? ReplyMap[K] : unknown;

export async function request<K extends Kind>(msg: Msg<K>): Promise<ReplyOf<K>> {
  const raw = (await browser.runtime.sendMessage(msg)) as Reply<ReplyOf<K>> | undefined;
  if (!raw || typeof raw !== 'object') throw new RpcError('NO_REPLY', 'The extension did not answer.');
  if (raw.ok) return raw.value;
  throw new RpcError(String(raw.error?.code ?? 'ERROR'), String(raw.error?.message ?? 'Request failed.'));
}

export async function loadAlerts(): Promise<AlertView[]> {
  return toAlerts(await request({ type: 'alerts/list' }));
}

export async function loadTrust(): Promise<TrustSnapshotView> {
  return toTrustSnapshot(await request({ type: 'trust/snapshot' }));
}

/** The export as JSON text, whatever shape the worker hands back (string or object). */
export async function exportTrust(): Promise<string> {
  const v = await request({ type: 'trust/export' });
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && 'json' in v && typeof (v as { json: unknown }).json === 'string') return (v as { json: string }).json;
  return JSON.stringify(v, null, 2);
}

/** Tab state pushes from the worker (runtime broadcast `tab/state`) for one tab; returns an unsubscribe. */
export function onTabState(tabId: number, listener: (state: TabState) => void): () => void {
  const handler = (m: unknown) => {
    if (!m || typeof m !== 'object') return;
    const msg = m as { type?: unknown; state?: TabState };
    if (msg.type === 'tab/state' && msg.state && msg.state.tabId === tabId) listener(msg.state);
  };
  browser.runtime.onMessage.addListener(handler);
  return () => browser.runtime.onMessage.removeListener(handler);
}

/** The worker dropped this tab's state (the tab left the hub); returns an unsubscribe. */
export function onTabCleared(tabId: number, listener: () => void): () => void {
  const handler = (m: unknown) => {
    const msg = m as Partial<WorkerToPages> | null;
    if (msg?.type === 'tab/cleared' && msg.tabId === tabId) listener();
  };
  browser.runtime.onMessage.addListener(handler);
  return () => browser.runtime.onMessage.removeListener(handler);
}

export async function activeTabId(): Promise<number | undefined> {
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id;
}

export { browser };
