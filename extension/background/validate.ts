/**
 * Shape and sender validation for every message the worker receives. Anything that does not match
 * exactly is refused before a handler sees it: messages come from content scripts living in hub
 * pages, which we treat as hostile.
 */
import { CONTENT_MESSAGE_TYPES, type MessageType, type WorkerMessage, type PageContext, type Settings } from '../shared/messages.js';
import type { RepoKind } from '../core/repo-ref.js';
import type { Signer } from '../core/verdict.js';

const MAX_STR = 4096;
const MAX_JSON = 5 * 1024 * 1024;

export interface SenderInfo {
  /** Extension id of the sender (must be ours). */
  id?: string;
  /** URL of the sending document (hub page for content scripts, extension page otherwise). */
  url?: string;
  /** The tab the sender lives in; `url` is its top-level page (present for hub pages we may read). */
  tab?: { id?: number; url?: string };
  frameId?: number;
}

export type Origin =
  | { kind: 'content'; tabId: number; pageUrl: string }
  | { kind: 'extension-page'; tabId?: number; url: string; tabUrl?: string };

export type Validated = { ok: true; msg: WorkerMessage; origin: Origin } | { ok: false; reason: string };

const CONTENT_TYPES: ReadonlySet<string> = new Set(CONTENT_MESSAGE_TYPES);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown, max = MAX_STR): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;
const optStr = (v: unknown): boolean => v === undefined || (typeof v === 'string' && v.length <= MAX_STR);
const int = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function httpsOrigin(v: unknown): v is string {
  if (!str(v)) return false;
  try {
    const u = new URL(v);
    return u.protocol === 'https:' && u.origin === v;
  } catch {
    return false;
  }
}

function isHttpsUrl(v: unknown): v is string {
  if (!str(v)) return false;
  try {
    return new URL(v).protocol === 'https:';
  } catch {
    return false;
  }
}

function isPageContext(v: unknown): v is PageContext {
  if (!isObj(v)) return false;
  return (
    isHttpsUrl(v.url) &&
    httpsOrigin(v.hub) &&
    isKind(v.kind) &&
    str(v.repo, 200) &&
    /^[\w.-]+\/[\w.-]+$/.test(v.repo) &&
    optStr(v.revision) &&
    optStr(v.path)
  );
}

function isSigner(v: unknown): v is Signer {
  if (!isObj(v)) return false;
  return (
    (v.kind === 'sigstore' || v.kind === 'key' || v.kind === 'certificate') &&
    optStr(v.identity) &&
    optStr(v.issuer) &&
    optStr(v.keyFingerprint) &&
    optStr(v.caSubject) &&
    (v.sourceRepository === undefined || str(v.sourceRepository, 1024))
  );
}

function isSettingsPatch(v: unknown): v is Partial<Settings> {
  if (!isObj(v)) return false;
  if (v.hubs !== undefined && !(Array.isArray(v.hubs) && v.hubs.length <= 32 && v.hubs.every(httpsOrigin))) return false;
  if (v.signersPerRepo !== undefined && !(int(v.signersPerRepo) && v.signersPerRepo >= 1 && v.signersPerRepo <= 16)) return false;
  if (v.maxHashBytes !== undefined && !(int(v.maxHashBytes) && v.maxHashBytes <= 2 ** 31)) return false;
  if (v.onlineLogChecks !== undefined && typeof v.onlineLogChecks !== 'boolean') return false;
  if (v.logHosts !== undefined) return false;
  if (v.publishersDirectory !== undefined && typeof v.publishersDirectory !== 'boolean') return false;
  return true;
}

const isKind = (v: unknown): v is RepoKind => v === 'model' || v === 'dataset';
/** A repo named by a message: hub origin, kind and owner/name. */
const isRepoRef = (m: Obj): boolean => httpsOrigin(m.hub) && isKind(m.kind) && str(m.repo, 200);
const always = (): boolean => true;
/** owner/name as the hub spells repo ids. */
const REPO_ID = /^[\w.-]+\/[\w.-]+$/;

/** One shape check per message type; a type without one does not compile. */
const SHAPES: { [T in MessageType]: (m: Obj) => boolean } = {
  'page/context': (m) => isPageContext(m.context),
  'page/left': always,
  'alerts/list': always,
  'alerts/mark-read': always,
  'trust/snapshot': always,
  'trust/export': always,
  'settings/get': always,
  'download/check': (m) => isHttpsUrl(m.url),
  'tab/verdict': (m) => int(m.tabId),
  'frame/verdict': (m) => int(m.tabId),
  'log/consistency': (m) => int(m.tabId),
  'repo/history': isRepoRef,
  'trust/remove-pin': isRepoRef,
  'lock/get': isRepoRef,
  'lock/create': (m) => isRepoRef(m) && typeof m.commit === 'string' && /^[0-9a-f]{40}$/.test(m.commit),
  'lock/remove': isRepoRef,
  'lock/export': isRepoRef,
  'trust/accept-signer': (m) =>
    isRepoRef(m) &&
    isSigner(m.signer) &&
    typeof m.confirmation === 'string' &&
    m.confirmation.length <= 200 &&
    (m.policy === undefined || m.policy === 'replace' || m.policy === 'exception') &&
    (m.policyScope === undefined || str(m.policyScope, 200)),
  'trust/accept-preview': (m) => isRepoRef(m) && isSigner(m.signer),
  'trust/set-expected': (m) => str(m.scope, 200) && str(m.identity) && str(m.issuer),
  'trust/set-expected-key': (m) => str(m.scope, 200) && str(m.publicKeyPem, 16_384) && m.publicKeyPem.includes('-----BEGIN PUBLIC KEY-----'),
  'trust/set-expected-ca': (m) =>
    str(m.scope, 200) &&
    Array.isArray(m.caPems) &&
    m.caPems.length >= 1 &&
    m.caPems.length <= 8 &&
    m.caPems.every((p: unknown) => str(p, 16_384) && (p as string).includes('-----BEGIN CERTIFICATE-----')),
  'trust/remove-expected': (m) => str(m.scope, 200),
  'trust/import-preview': (m) => typeof m.json === 'string' && m.json.length <= MAX_JSON,
  'trust/import': (m) =>
    typeof m.json === 'string' &&
    m.json.length <= MAX_JSON &&
    (m.mode === undefined || m.mode === 'merge' || m.mode === 'replace') &&
    (m.confirmation === undefined || (typeof m.confirmation === 'string' && m.confirmation.length <= 200)) &&
    (m.previewId === undefined || (typeof m.previewId === 'string' && m.previewId.length <= 200)),
  'settings/set': (m) => isSettingsPatch(m.settings),
  'publishers/get': always,
  'publishers/import-preview': (m) => typeof m.json === 'string' && m.json.length <= MAX_JSON,
  'publishers/import': (m) => typeof m.json === 'string' && m.json.length <= MAX_JSON && str(m.previewId, 200) && typeof m.confirmation === 'string' && m.confirmation.length <= 200,
  'publishers/remove-imported': always,
  'download/decision': (m) => str(m.requestId, 64) && typeof m.proceed === 'boolean',
  'download/pending': (m) => str(m.requestId, 64),
  // A model.sig is at most MAX_BUNDLE_BYTES (1 MiB) of JSON text; the core bounds it again.
  'disk/signature': (m) => typeof m.signature === 'string' && m.signature.length <= 1024 * 1024 && (m.repo === undefined || (isObj(m.repo) && isRepoRef(m.repo) && REPO_ID.test(m.repo.repo as string))),
  'disk/revision': (m) => isRepoRef(m) && REPO_ID.test(m.repo as string) && str(m.revision, 256) && !/[\s?#]/.test(m.revision),
  'listing/marks': (m) => isHttpsUrl(m.url),
  'listing/mark': (m) => int(m.tabId) && isKind(m.kind) && str(m.repo, 200) && REPO_ID.test(m.repo),
  'lineage/get': (m) => isRepoRef(m) && REPO_ID.test(m.repo as string) && !(m.repo as string).split('/').some((s) => s === '.' || s === '..') && (m.revision === undefined || (str(m.revision, 256) && !/[\s?#]/.test(m.revision))),
  'verified/start': (m) => isHttpsUrl(m.url) && (m.requestId === undefined || str(m.requestId, 64)) && (m.anyway === undefined || typeof m.anyway === 'boolean'),
  'verified/start-revision': (m) => int(m.tabId),
  'verified/list': always,
  'verified/cancel': (m) => str(m.id, 64),
  'verified/retry': (m) => str(m.id, 64),
  'verified/clear': always,
  'trust-root/status': always,
  'trust-root/set-online': (m) => typeof m.online === 'boolean',
  'trust-root/update': always,
  'history/get': (m) => int(m.tabId) && (m.more === undefined || typeof m.more === 'boolean'),
};

/** Checks the message body against the protocol. Unknown types and extra-long strings are refused. */
export function isWorkerMessage(m: unknown): m is WorkerMessage {
  if (!isObj(m) || typeof m.type !== 'string' || !Object.hasOwn(SHAPES, m.type)) return false;
  return SHAPES[m.type as MessageType](m);
}

/**
 * Who may send what: content scripts (a hub page in a tab, top frame) only `page/*` and `download/*`
 * about their own tab; extension pages (popup, warning, frame) everything else. `extensionBase` is
 * `runtime.getURL('')`; `isHubPage` says whether a URL belongs to a configured hub.
 */
export function validate(
  msg: unknown,
  sender: SenderInfo,
  ownId: string,
  extensionBase: string,
  isHubPage: (url: string) => boolean,
): Validated {
  if (sender.id !== ownId) return { ok: false, reason: 'foreign sender' };
  if (!isWorkerMessage(msg)) return { ok: false, reason: 'malformed message' };
  const url = sender.url ?? '';
  if (url.startsWith(extensionBase)) {
    if (msg.type === 'frame/verdict' || msg.type === 'listing/mark') {
      // Answered only to a frame embedded (subframe) in a configured hub page of the very tab it asks
      // about: a tab that left the hub, another site embedding frame.html, or the page opened on its
      // own get nothing, whatever state the worker still holds.
      if (sender.tab?.id === undefined || msg.tabId !== sender.tab.id) return { ok: false, reason: 'frame asked about another tab' };
      if (sender.frameId === undefined || sender.frameId === 0) return { ok: false, reason: 'frame is not embedded' };
      if (!sender.tab.url || !isHubPage(sender.tab.url)) return { ok: false, reason: 'frame is not in a hub page' };
    }
    if (CONTENT_TYPES.has(msg.type) && msg.type !== 'download/check') return { ok: false, reason: 'page message from extension page' };
    const origin: Origin = { kind: 'extension-page', tabId: sender.tab?.id, url };
    if (sender.tab?.url) origin.tabUrl = sender.tab.url;
    return { ok: true, msg, origin };
  }
  const tabId = sender.tab?.id;
  if (tabId === undefined || tabId < 0) return { ok: false, reason: 'content message without a tab' };
  if (sender.frameId !== undefined && sender.frameId !== 0) return { ok: false, reason: 'subframe sender' };
  if (!isHubPage(url)) return { ok: false, reason: 'sender is not a hub page' };
  if (!CONTENT_TYPES.has(msg.type)) return { ok: false, reason: `content scripts may not send ${msg.type}` };
  if (msg.type === 'page/context' && !sameOrigin(msg.context.url, url)) return { ok: false, reason: 'context is not about the sender page' };
  if (msg.type === 'download/check' && !sameOrigin(msg.url, url)) return { ok: false, reason: 'download is not on the sender hub' };
  if (msg.type === 'listing/marks' && !sameOrigin(msg.url, url)) return { ok: false, reason: 'listing is not the sender page' };
  return { ok: true, msg, origin: { kind: 'content', tabId, pageUrl: url } };
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}
