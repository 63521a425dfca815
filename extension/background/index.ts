/**
 * Background entry (Chromium service worker / Firefox event page). Listeners are registered
 * synchronously at the top level so a worker woken by an event gets it; all state worth keeping
 * lives in storage, so a stopped worker loses nothing but time.
 */
import browser from 'webextension-polyfill';
import type { Push, TabState } from '../shared/messages.js';
import { STATE_STYLE } from '../shared/state-style.js';
import { ModelSealWorker } from './worker.js';
import { SerializedStorage } from './storage.js';
import { RevisionChecker } from './revision-checker.js';
import { workBudgetOf } from './settings.js';
import { TrustStore } from '../core/trust/store.js';
import { iconImages } from './icon.js';
import { syncHubContentScripts } from './hubs.js';
import { installSelfTest } from './self-test.js';
import { ENGINE_PORT, type EngineCommand, type EngineEvent } from '../shared/download-engine.js';
import { DownloadEngine } from '../offscreen/engine.js';
import type { VerifiedDownload } from '../shared/messages.js';
import { REFRESH_PERIOD_MINUTES, TRUST_ROOT_ALARM, TrustRootService } from './trust-root.js';

// The toolbar badge is shared: unread alerts (red) take it first, since they are about trust; with
// none, it shows the number of verified downloads queued or running (blue).
const badge = { alerts: 0, active: 0 };
function showBadge(): void {
  const text = badge.alerts > 0 ? String(Math.min(badge.alerts, 99)) : badge.active > 0 ? String(Math.min(badge.active, 99)) : '';
  const color = badge.alerts > 0 ? STATE_STYLE['identity-changed'].colours.solid : STATE_STYLE['verified-first-use'].colours.solid;
  void browser.action.setBadgeText({ text }).catch(() => undefined);
  void browser.action.setBadgeBackgroundColor({ color }).catch(() => undefined);
}

/**
 * Where verified downloads run. Chromium: the service worker can create neither workers nor blob
 * URLs, so an offscreen document (reasons WORKERS, BLOBS) hosts the engine and talks over a port.
 * Firefox: the background is an event page with a DOM, so the same engine runs right here.
 */
const OFFSCREEN_PAGE = 'extension/offscreen/offscreen.html';
type Port = browser.Runtime.Port;
let enginePort: Port | undefined;
const portWaiters: Array<(p: Port) => void> = [];
let inPageEngine: DownloadEngine | undefined;

async function engineConnection(): Promise<Port> {
  if (enginePort) return enginePort;
  const connected = new Promise<Port>((resolve, reject) => {
    portWaiters.push(resolve);
    setTimeout(() => reject(new Error('the download engine did not start')), 15_000);
  });
  const offscreen = (globalThis as { chrome?: { offscreen?: { hasDocument?(): Promise<boolean>; createDocument(o: { url: string; reasons: string[]; justification: string }): Promise<void> } } }).chrome?.offscreen;
  if (!offscreen) throw new Error('no offscreen documents in this browser');
  if (!(await offscreen.hasDocument?.().catch(() => false))) {
    // Two callers may race here; the second create fails harmlessly and both wait for the port.
    await offscreen
      .createDocument({ url: OFFSCREEN_PAGE, reasons: ['WORKERS', 'BLOBS'], justification: 'Download model files, hash them as they arrive and keep them only when they match their signature.' })
      .catch(() => undefined);
  }
  return connected;
}

async function sendToEngine(cmd: EngineCommand): Promise<void> {
  if (__MODELSEAL_TARGET__ === 'firefox') {
    inPageEngine ??= new DownloadEngine((e) => void worker.verified.onEngineEvent(e));
    return inPageEngine.handle(cmd);
  }
  (await engineConnection()).postMessage(cmd);
}

let downloadsTabId: number | undefined;
async function openDownloadsPage(): Promise<void> {
  if (downloadsTabId !== undefined) {
    const ok = await browser.tabs.update(downloadsTabId, { active: true }).then(
      () => true,
      () => false,
    );
    if (ok) return;
  }
  downloadsTabId = (await browser.tabs.create({ url: browser.runtime.getURL('extension/pages/downloads.html') })).id;
}

const local = new SerializedStorage(browser.storage.local);
const session = browser.storage.session;
// The trust document has its own serialized writer inside TrustStore; storage.local underneath.
const trustStore = new TrustStore(local);
// The Sigstore trust root, kept current from Sigstore's TUF repository (the only host it contacts).
const trustRoot = new TrustRootService({ storage: local, fetch: (input, init) => fetch(input, init), now: () => Date.now() });

const worker: ModelSealWorker = new ModelSealWorker({
  ownId: browser.runtime.id,
  extensionBase: browser.runtime.getURL(''),
  now: () => Date.now(),
  local,
  session,
  checker: new RevisionChecker({
    // Only configured hubs are ever addressed: the core's hub client refuses other origins.
    fetch: (input, init) => fetch(input, init),
    trust: trustStore,
    cache: local,
    now: () => Date.now(),
    maxHashBytes: () => worker.settings.peek().maxHashBytes,
    budget: () => workBudgetOf(worker.settings.peek()),
    subtle: crypto.subtle,
    trustRoot: () => trustRoot.choose(),
    publishers: () => worker.publishers.active(),
  }),
  trust: trustStore,
  trustRoot,
  // The disk check fetches a hub revision's signature file (never the user's files) from configured hubs only.
  fetch: (input, init) => fetch(input, init),
  downloads: {
    pause: (id) => browser.downloads.pause(id),
    resume: (id) => browser.downloads.resume(id),
    cancel: (id) => browser.downloads.cancel(id),
    download: (o) => browser.downloads.download(o),
  },
  async openTab(url, openerTabId) {
    return (await browser.tabs.create(openerTabId !== undefined && openerTabId >= 0 ? { url, openerTabId } : { url })).id;
  },
  pushToTab(tabId, state) {
    if (tabId < 0) return;
    browser.tabs.sendMessage(tabId, { type: 'tab/state', state } satisfies Push<'tab/state'>).catch(() => undefined);
  },
  showTabState(state: TabState) {
    if (state.tabId < 0) return;
    const style = STATE_STYLE[state.verdict.state];
    const images = iconImages(state.verdict.state);
    const label = browser.i18n.getMessage(style.labelKey) || state.verdict.state;
    const title = state.progress ? `ModelSeal: ${label} (${state.progress})` : `ModelSeal: ${label}`;
    const tabId = state.tabId;
    if (images) browser.action.setIcon({ tabId, imageData: images as unknown as Record<string, browser.Action.ImageDataType> }).catch(() => undefined);
    browser.action.setTitle({ tabId, title }).catch(() => undefined);
  },
  showAlertCount(n) {
    badge.alerts = n;
    showBadge();
  },
  engine: { send: sendToEngine },
  pushVerified(download: VerifiedDownload) {
    browser.runtime.sendMessage({ type: 'verified/progress', download } satisfies Push<'verified/progress'>).catch(() => undefined);
  },
  showActiveDownloads(n) {
    badge.active = n;
    showBadge();
  },
  openDownloadsPage: () => void openDownloadsPage().catch(() => undefined),
  // Only the trusted root's transparency logs, and only when online log checks are on (settings).
  logFetch: (input, init) => fetch(input, init),
  subtle: crypto.subtle,
  pushHistory(view) {
    browser.runtime.sendMessage({ type: 'history/progress', view } satisfies Push<'history/progress'>).catch(() => undefined);
  },
  onHubsChanged: (hubs) => syncHubContentScripts(hubs),
  tabCleared(tabId) {
    // Open popups and frames drop the old verdict; the toolbar goes back to plain.
    browser.runtime.sendMessage({ type: 'tab/cleared', tabId } satisfies Push<'tab/cleared'>).catch(() => undefined);
    browser.action.setTitle({ tabId, title: browser.i18n.getMessage('extName') || 'ModelSeal' }).catch(() => undefined);
  },
});

browser.runtime.onMessage.addListener((msg: unknown, sender: browser.Runtime.MessageSender) =>
  worker.handle(msg, { id: sender.id, url: sender.url, tab: sender.tab, frameId: sender.frameId }),
);
// Chromium lets an extension hold a download at its filename step, before it can complete: the
// guard uses that (a tiny file would finish before a pause lands). Firefox has no such step and
// falls back to pausing in onCreated.
// Both URLs are passed: the bytes come from `finalUrl` (after redirects), which the guard judges.
type FilenameEvent = { addListener(cb: (item: { id: number; url: string; finalUrl?: string }, suggest: () => void) => boolean | void): void };
const determining = (globalThis as { chrome?: { downloads?: { onDeterminingFilename?: FilenameEvent } } }).chrome?.downloads?.onDeterminingFilename;
if (determining) {
  worker.downloads.holdMode = true;
  determining.addListener((item, suggest) => {
    const seen = { id: item.id, url: item.url, finalUrl: item.finalUrl };
    if (!worker.downloads.guards(seen)) return false; // not ours: the browser names it as usual
    void worker.downloads.onHold(seen, () => suggest());
    return true; // we call suggest() later
  });
}
// The offscreen document's engine connects here; nothing else may.
browser.runtime.onConnect.addListener((port) => {
  if (port.name !== ENGINE_PORT) return;
  if (port.sender?.id !== browser.runtime.id || port.sender?.url !== browser.runtime.getURL(OFFSCREEN_PAGE)) {
    port.disconnect();
    return;
  }
  enginePort = port;
  port.onMessage.addListener((m: unknown) => void worker.verified.onEngineEvent(m as EngineEvent));
  port.onDisconnect.addListener(() => {
    if (enginePort === port) enginePort = undefined;
  });
  for (const resolve of portWaiters.splice(0)) resolve(port);
});
// The browser has saved (or dropped) a verified copy: the private one is deleted.
browser.downloads.onChanged.addListener((delta) => {
  void worker.verified.onBrowserDownloadChanged(delta.id, delta.state?.current);
});
browser.downloads.onCreated.addListener((item) => {
  void worker.downloads.onCreated({ id: item.id, url: item.url, finalUrl: (item as { finalUrl?: string }).finalUrl, state: item.state });
});
// A tab leaving the hub page its state is about (another site, another repo) drops that state.
// Without the tabs permission the URL of a non-hub site is hidden from us: undefined means "not a hub".
browser.tabs.onUpdated.addListener((tabId, change, tab) => {
  if (change.url === undefined && change.status !== 'loading') return;
  void worker.tabNavigated(tabId, change.url ?? tab.url);
});
browser.tabs.onRemoved.addListener((tabId) => {
  worker.tabs.clear(tabId);
  void worker.downloads.onTabClosed(tabId);
});
const syncHubs = () => void worker.settings.get().then((s) => syncHubContentScripts(s.hubs));
browser.runtime.onInstalled.addListener(syncHubs);
// Granting or revoking a hub's host permission (from the popup's settings) changes where we run.
browser.permissions.onAdded.addListener(syncHubs);
browser.permissions.onRemoved.addListener(syncHubs);

browser.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === TRUST_ROOT_ALARM) void trustRoot.alarm().catch(() => undefined);
});
void browser.alarms.get(TRUST_ROOT_ALARM).then((a) => {
  if (!a) void browser.alarms.create(TRUST_ROOT_ALARM, { periodInMinutes: REFRESH_PERIOD_MINUTES });
});
void trustRoot.started().catch(() => undefined);

installSelfTest(worker, trustRoot);
