/**
 * The typed message union between extension contexts. The worker validates every message (shape and
 * sender) before acting: content scripts may only send the `page/*` and `download/*` kinds, and only
 * about their own tab; everything else must come from an extension page (popup, warning, frame).
 */
import type { Verdict, Signer, FileResult } from '../core/verdict.js';

/** What a content script learned from the page URL (and, as a bonus, page data). */
export interface PageContext {
  url: string;
  hub: string; // origin, e.g. https://huggingface.co
  kind: 'model' | 'dataset';
  repo: string; // owner/name
  revision?: string; // as in the URL; resolved to a commit by the worker
  path?: string;
}

export type ContentToWorker =
  | { type: 'page/context'; context: PageContext }
  | { type: 'page/left' }
  | { type: 'download/check'; url: string }; // before letting a hub download link proceed

export type ExtensionPageToWorker =
  | { type: 'tab/verdict'; tabId: number }
  | { type: 'frame/verdict'; tabId: number } // the in-page extension-origin frame asks for its tab
  | { type: 'repo/history'; hub: string; repo: string }
  | { type: 'alerts/list' }
  | { type: 'alerts/mark-read' }
  | { type: 'trust/accept-signer'; hub: string; repo: string; signer: Signer; confirmation: string; policy?: 'replace' | 'exception'; policyScope?: string } // policy: how to change the policy (of policyScope, as shown) that names another signer
  | { type: 'trust/accept-preview'; hub: string; repo: string; signer: Signer } // what accepting would change (pin, policy)
  | { type: 'trust/snapshot' }
  | { type: 'trust/set-expected'; scope: string; identity: string; issuer: string } // scope: owner/name or owner/*
  | { type: 'trust/set-expected-key'; scope: string; publicKeyPem: string } // key-signed repos: the signer's public key
  | { type: 'trust/set-expected-ca'; scope: string; caPems: string[] } // certificate-signed repos: the CA certificates to trust
  | { type: 'trust/remove-expected'; scope: string }
  | { type: 'trust/remove-pin'; hub: string; repo: string }
  | { type: 'trust/export' }
  | { type: 'trust/import-preview'; json: string } // what importing would change, merged or replacing; changes nothing
  | { type: 'trust/import'; json: string; mode?: 'merge' | 'replace'; confirmation?: string; previewId?: string } // applies only the previewed change
  | { type: 'settings/get' }
  | { type: 'settings/set'; settings: Partial<Settings> }
  | { type: 'download/decision'; requestId: string; proceed: boolean }
  | { type: 'download/pending'; requestId: string };

export type WorkerMessage = ContentToWorker | ExtensionPageToWorker;

export interface Settings {
  hubs: string[]; // origins; https://huggingface.co always present
  signersPerRepo: number; // k, default 1
  maxHashBytes: number; // non-LFS files larger than this are "unchecked"
  maxCheckBytes?: number; // download budget per verification, bytes (default 128 MiB)
  maxCheckRequests?: number; // download budget per verification, downloads (default 500)
}

/** What the worker keeps per tab and every surface renders. */
export interface TabState {
  tabId: number;
  context?: PageContext;
  verdict: Verdict;
  /** e.g. "rate limited, retrying in 12 s" while checking. */
  progress?: string;
  /** When the worker began checking this page, and when its verdict became final (ms since the epoch). */
  startedAt?: number;
  finishedAt?: number;
}

export interface HistoryEntry {
  commit: string;
  seenAt: number;
  state: Verdict['state'];
  signer?: Signer;
}

export interface DownloadCheck {
  verdict: Verdict;
  file?: FileResult;
  /** true when the download may proceed with no warning (file verified in a verified repo). */
  allow: boolean;
}

export type Reply<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

/** A download waiting for the user's decision on the warning page (`download/pending` answers this). */
export interface PendingDownload {
  requestId: string;
  url: string;
  check: DownloadCheck;
  /** `click`: intercepted in a hub page; `browser`: caught by the downloads API (paused or cancelled). */
  source: 'click' | 'browser';
}

/** Worker → content script pushes (tabs.sendMessage): the tab's state changed. */
export type WorkerToContent = { type: 'tab/state'; state: TabState };

/** Worker → extension pages broadcast (runtime.sendMessage): the tab left the hub, its state is gone. */
export type WorkerToPages = { type: 'tab/cleared'; tabId: number };

/** The worker's reply to `download/check`: when not allowed, the warning page has been opened. */
export type DownloadCheckReply = DownloadCheck & { requestId?: string };
