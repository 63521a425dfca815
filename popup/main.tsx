/**
 * Popup entry: the data layer. Finds the tab (`?tab=N`, else the active tab), loads everything the
 * view shows from the worker, follows state pushes, and turns the view's callbacks into requests.
 */
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import '../extension/ui/styles.css';
import type { Signer } from '../extension/core/verdict.js';
import type { PolicyChoice } from '../extension/core/trust/accept.js';
import { repoOf } from '../extension/core/repo-ref.js';
import { pagesFor } from '../extension/core/hubs/pages.js';
import type { TabState } from '../extension/shared/messages.js';
import { activeTabId, browser, exportTrust, loadAlerts, loadTrust, request } from '../extension/ui/rpc.js';
import { followTab, type TabFollower } from '../extension/ui/follow-tab.js';
import { toHistory } from '../extension/ui/view-models.js';
import { followHistory, type HistoryFollower } from '../extension/ui/follow-history.js';
import '../extension/ui/signing-history.css';
import { t } from '../extension/ui/i18n.js';
import { PopupView } from './Popup.js';
import type { PopupActions, PopupData, PopupTab } from './Popup.js';
import { POPUP_TABS } from './Popup.js';
import type { TrustRootActions } from './TrustRootSettings.js';

/** One stable object: the settings view loads the trust root status once per mount. */
const trustRootActions: TrustRootActions = {
  status: () => request({ type: 'trust-root/status' }),
  setOnline: (online) => request({ type: 'trust-root/set-online', online }),
  update: () => request({ type: 'trust-root/update' }),
};

const msg = (e: unknown) => ({ error: e instanceof Error ? e.message : String(e) });

function App({ tabId, initialTab }: { tabId: number | undefined; initialTab: PopupTab }) {
  const [data, setData] = useState<PopupData>({ tab: undefined, history: undefined, alerts: undefined, trust: undefined, settings: undefined });
  const patch = (p: Partial<PopupData>) => setData((d) => ({ ...d, ...p }));

  const loadHistory = (state: TabState | null) => {
    const c = state?.context;
    if (!c) return patch({ history: [], lock: null });
    request({ type: 'repo/history', ...repoOf(c) }).then((r) => patch({ history: toHistory(r) }), (e) => patch({ history: msg(e) }));
    request({ type: 'lock/get', ...repoOf(c) }).then((lock) => patch({ lock }), (e) => patch({ lock: msg(e) }));
    loadLineageOnce(c);
  };
  // Base models depend on the page's repo and revision only: asked once per page, not per state push.
  const lineageFor = useRef<string | undefined>(undefined);
  const loadLineageOnce = (c: NonNullable<TabState['context']>) => {
    if (c.kind !== 'model') return patch({ lineage: null });
    if (lineageFor.current === c.url) return;
    lineageFor.current = c.url;
    request({ type: 'lineage/get', ...repoOf(c), ...(c.revision !== undefined ? { revision: c.revision } : {}) }).then(
      (lineage) => patch({ lineage }),
      (e) => patch({ lineage: msg(e) }),
    );
  };
  // The worker checks each log at most once per few minutes; asking again only joins that answer.
  const loadLog = (state: TabState | null) => {
    const v = state?.verdict;
    if (!state || !v || !('signature' in v) || !v.signature) return patch({ log: undefined });
    request({ type: 'log/consistency', tabId: state.tabId }).then((log) => patch({ log }), (e) => patch({ log: msg(e) }));
  };
  // The signing history follows the tab's checked commit: a new commit (navigation, re-check) starts over.
  const historyFollower = useRef<{ commit: string; f: HistoryFollower } | undefined>(undefined);
  const followSigningHistory = (state: TabState | null) => {
    const commit = state?.context && state.verdict.state !== 'checking' ? state.verdict.subject?.commit : undefined;
    const cur = historyFollower.current;
    if (cur?.commit === commit) return;
    cur?.f.stop();
    historyFollower.current = undefined;
    if (!commit || !state) return patch({ signingHistory: null });
    patch({ signingHistory: undefined });
    historyFollower.current = { commit, f: followHistory(state.tabId, (signingHistory) => patch({ signingHistory }), (e) => patch({ signingHistory: msg(e) })) };
  };
  const [follower, setFollower] = useState<TabFollower | undefined>(undefined);
  const loadTab = () => follower?.refresh();
  const reloadTrust = () => loadTrust().then((trust) => patch({ trust }), (e) => patch({ trust: msg(e) }));
  const reloadAlerts = () => loadAlerts().then((alerts) => patch({ alerts }), (e) => patch({ alerts: msg(e) }));
  const reloadSettings = () => request({ type: 'settings/get' }).then((settings) => patch({ settings }), (e) => patch({ settings: msg(e) }));

  useEffect(() => {
    reloadAlerts();
    reloadTrust();
    reloadSettings();
    if (tabId === undefined) return patch({ tab: { error: t('popup_noTab') } });
    // The same follower as the in-page frames, except that the popup outlives a page: when the tab
    // leaves the hub it shows "no page" (null) and goes on following the tab.
    const f = followTab(tabId, {
      ask: 'tab/verdict',
      stopWhenGone: false,
      onState: (tab) => {
        patch({ tab });
        loadHistory(tab);
        loadLog(tab);
        followSigningHistory(tab);
      },
      onError: (e) => patch({ tab: msg(e) }),
    });
    setFollower(f);
    return () => {
      f.stop();
      historyFollower.current?.f.stop();
    };
  }, []);

  const context = data.tab && !('error' in data.tab) ? data.tab.context : undefined;
  const openDownloads = () => void browser.tabs.create({ url: browser.runtime.getURL('extension/pages/downloads.html') }).catch(() => undefined);
  const actions: PopupActions = {
    async acceptSigner(signer: Signer, confirmation: string, policy?: PolicyChoice, policyScope?: string) {
      if (!context) throw new Error(t('popup_noPage'));
      const plan = await request({
        type: 'trust/accept-signer',
        ...repoOf(context),
        signer,
        confirmation,
        ...(policy ? { policy } : {}),
        ...(policyScope !== undefined ? { policyScope } : {}),
      });
      loadTab();
      reloadTrust();
      reloadAlerts();
      return plan;
    },
    async previewAccept(signer: Signer) {
      if (!context) throw new Error(t('popup_noPage'));
      return request({ type: 'trust/accept-preview', ...repoOf(context), signer });
    },
    async lockVersion(commit: string) {
      if (!context) throw new Error(t('popup_noPage'));
      patch({ lock: await request({ type: 'lock/create', ...repoOf(context), commit }) });
      loadTab();
      reloadTrust();
    },
    async removeLock() {
      if (!context) throw new Error(t('popup_noPage'));
      await request({ type: 'lock/remove', ...repoOf(context) });
      patch({ lock: null });
      loadTab();
      reloadTrust();
    },
    async exportLock() {
      if (!context) throw new Error(t('popup_noPage'));
      const file = await request({ type: 'lock/export', ...repoOf(context) });
      // The same document `modelseal verify DIR --lock FILE` reads, saved through a blob URL.
      const url = URL.createObjectURL(new Blob([file.json], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = file.fileName;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
    markAlertsRead() {
      request({ type: 'alerts/mark-read' }).then(reloadAlerts, (e) => patch({ alerts: msg(e) }));
    },
    async downloadVerified(path) {
      const tab = data.tab && !('error' in data.tab) ? data.tab : undefined;
      const commit = tab?.verdict.subject?.commit;
      if (!context || !commit) throw new Error(t('popup_noPage'));
      // The commit's URL: the worker checks it again and fetches exactly that.
      await request({ type: 'verified/start', url: pagesFor(context.hub).fileUrl(context.hub, context.kind, context.repo, commit, path, { download: true }) });
      openDownloads();
    },
    async downloadRevision() {
      const tab = data.tab && !('error' in data.tab) ? data.tab : undefined;
      if (!tab) throw new Error(t('popup_noPage'));
      await request({ type: 'verified/start-revision', tabId: tab.tabId });
    },
    openDownloads,
    async loadLineage(repo) {
      if (!context) throw new Error(t('popup_noPage'));
      return request({ type: 'lineage/get', hub: context.hub, kind: 'model', repo });
    },
    moreHistory: () => historyFollower.current?.f.more(),
    async removePin(ref) {
      await request({ type: 'trust/remove-pin', ...repoOf(ref) });
      await reloadTrust();
    },
    async setExpected(p) {
      if (p.kind === 'key') await request({ type: 'trust/set-expected-key', scope: p.scope, publicKeyPem: p.publicKeyPem });
      else if (p.kind === 'certificate') await request({ type: 'trust/set-expected-ca', scope: p.scope, caPems: p.caPems });
      else await request({ type: 'trust/set-expected', scope: p.scope, identity: p.identity, issuer: p.issuer });
      await reloadTrust();
    },
    async removeExpected(scope) {
      await request({ type: 'trust/remove-expected', scope });
      await reloadTrust();
    },
    async save(settings) {
      patch({ settings: await request({ type: 'settings/set', settings }) });
    },
    requestHost(origin) {
      // Called synchronously from the click: the browser only shows the prompt for a user gesture.
      return browser.permissions.request({ origins: [`${origin}/*`] });
    },
    exportJson: exportTrust,
    trustRoot: trustRootActions,
    async previewImport(text) {
      return request({ type: 'trust/import-preview', json: text });
    },
    async applyImport(text, mode, confirmation, previewId) {
      await request({ type: 'trust/import', json: text, mode, previewId, ...(confirmation !== undefined ? { confirmation } : {}) });
      await Promise.all([reloadTrust(), reloadSettings(), reloadAlerts()]);
    },
    publishers: {
      get: () => request({ type: 'publishers/get' }),
      preview: (json) => request({ type: 'publishers/import-preview', json }),
      apply: (json, previewId, confirmation) => request({ type: 'publishers/import', json, previewId, confirmation }),
      removeImported: () => request({ type: 'publishers/remove-imported' }),
    },
  };

  return <PopupView data={data} actions={actions} initialTab={initialTab} />;
}

async function main() {
  const params = new URLSearchParams(location.search);
  const fromQuery = Number(params.get('tab'));
  const tabId = Number.isInteger(fromQuery) && fromQuery > 0 ? fromQuery : await activeTabId().catch(() => undefined);
  const view = params.get('view');
  const initialTab = (POPUP_TABS as readonly string[]).includes(view ?? '') ? (view as PopupTab) : 'current';
  document.documentElement.lang = browser.i18n.getUILanguage();
  document.title = t('extName');
  const root = document.getElementById('app');
  if (root) render(<App tabId={tabId} initialTab={initialTab} />, root);
}

void main();
