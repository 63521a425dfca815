/** The popup as a pure view: tabs for this page's verdict, alerts, trust and settings. */
import type { JSX } from 'preact';
import { useRef, useState } from 'preact/hooks';
import type { Signer, Verdict } from '../extension/core/verdict.js';
import type { AcceptPlan, PolicyChoice } from '../extension/core/trust/accept.js';
import type { LineageView, LockInfo, LogConsistency, Settings, SignatureHistoryView, TabState } from '../extension/shared/messages.js';
import { LogConsistencyList } from '../extension/ui/LogConsistencyView.js';
import { SigningHistory } from '../extension/ui/SigningHistory.js';
import type { AlertView, HistoryView, TrustSnapshotView } from '../extension/ui/view-models.js';
import { Icon } from '../extension/ui/Icon.js';
import { VerdictView } from '../extension/ui/VerdictView.js';
import { t } from '../extension/ui/i18n.js';
import { checkFilesPath } from '../extension/ui/check-files-link.js';
import { AlertsList } from './AlertsList.js';
import { HistoryList } from './HistoryList.js';
import { LockPanel, type LockActions } from './LockPanel.js';
import { LineagePanel } from './LineagePanel.js';
import { SettingsForm } from './SettingsForm.js';
import type { SettingsActions } from './SettingsForm.js';
import { TrustManager } from './TrustManager.js';
import type { TrustActions } from './TrustManager.js';

export type PopupTab = 'current' | 'alerts' | 'trust' | 'settings';
export const POPUP_TABS: readonly PopupTab[] = ['current', 'alerts', 'trust', 'settings'];

/** Each part is `undefined` while loading, or an error message when it failed. */
export type Loaded<T> = T | { error: string } | undefined;
export const isError = (v: unknown): v is { error: string } => typeof v === 'object' && v !== null && 'error' in v;

export interface PopupData {
  /** null: the tab shows no hub repo page. */
  tab: Loaded<TabState | null>;
  history: Loaded<HistoryView[]>;
  alerts: Loaded<AlertView[]>;
  trust: Loaded<TrustSnapshotView>;
  settings: Loaded<Settings>;
  /** This repo's lock (null: none); absent where the view has no lock data (previews). */
  lock?: Loaded<LockInfo | null>;
  /** The verdict's log entries held against the logs (witness-style); absent where not loaded. */
  log?: Loaded<LogConsistency[]>;
  /** The repo's base models with their verdicts (null: not a model page); absent where not loaded (previews). */
  lineage?: Loaded<LineageView | null>;
  /** The signing history read from the hub (null: no checked revision); absent in previews. */
  signingHistory?: Loaded<SignatureHistoryView | null>;
}

export interface PopupActions extends TrustActions, SettingsActions, LockActions {
  /** Resolves to what was changed (the worker's plan). */
  acceptSigner(signer: Signer, confirmation: string, policy?: PolicyChoice, policyScope?: string): Promise<unknown>;
  previewAccept(signer: Signer): Promise<AcceptPlan>;
  markAlertsRead(): void;
  /** Verified downloads: one file, every verified file of the revision, the downloads page. */
  downloadVerified?(path: string): Promise<void>;
  downloadRevision?(): Promise<void>;
  openDownloads?(): void;
  /** The base models of `repo` (the next lineage level, on request). */
  loadLineage?(repo: string): Promise<LineageView>;
  /** Signing history: 50 more versions. */
  moreHistory?(): void;
}

function Part<T>({ value, children }: { value: Loaded<T>; children: (v: T) => JSX.Element }) {
  if (value === undefined) return <p class="ms-muted">{t('loading')}</p>;
  if (isError(value)) return <p class="ms-error" role="alert">{value.error}</p>;
  return children(value);
}

interface Accepted {
  repo: string;
  signer: Signer;
  policyChanged: boolean;
}

const sameSignerJson = (a: Signer, b: Signer) => JSON.stringify([a.kind, a.identity, a.issuer, a.keyFingerprint, a.caSubject]) === JSON.stringify([b.kind, b.identity, b.issuer, b.keyFingerprint, b.caSubject]);

/**
 * What the user just accepted. Kept here, above the verdict, because the worker re-checks the repo
 * right after: the verdict goes to "checking" and back, and a message inside the accept form would
 * vanish with it. If the re-check still reports this signer as a change, it says so instead of "trusted".
 */
function AcceptedNotice({ accepted, verdict }: { accepted: Accepted; verdict: Verdict }) {
  const still = verdict.state === 'identity-changed' && sameSignerJson(verdict.signature.signer, accepted.signer);
  if (still)
    return (
      <p class="ms-error" role="alert" data-accept="still-changed">
        {t('accept_stillChanged')}
      </p>
    );
  return (
    <div class="ms-ok" role="status" data-accept="done">
      <p>{t('accept_done')}</p>
      {accepted.policyChanged && <p>{t('accept_donePolicy')}</p>}
    </div>
  );
}

function Current({ data, actions }: { data: PopupData; actions?: PopupActions | undefined }) {
  const [accepted, setAccepted] = useState<Accepted | undefined>();
  const onAccept = actions
    ? async (signer: Signer, confirmation: string, policy?: PolicyChoice, policyScope?: string) => {
        const result = await actions.acceptSigner(signer, confirmation, policy, policyScope);
        const policyChanged = typeof result === 'object' && result !== null && 'policy' in result && !!(result as AcceptPlan).policy;
        setAccepted({ repo: confirmation.trim(), signer, policyChanged });
      }
    : undefined;
  return (
    <Part value={data.tab}>
      {(tab) =>
        !tab || (!tab.context && tab.verdict.state !== 'checking') ? (
          <p class="ms-muted">{t('popup_noPage')}</p>
        ) : (
          <>
            {accepted && tab.context?.repo === accepted.repo && <AcceptedNotice accepted={accepted} verdict={tab.verdict} />}
            <VerdictView
              verdict={tab.verdict}
              progress={tab.progress}
              onAcceptSigner={onAccept}
              onPreviewAccept={actions?.previewAccept}
              onDownloadVerified={actions?.downloadVerified ? (path) => void actions.downloadVerified!(path).catch(() => undefined) : undefined}
            />
            {'signature' in tab.verdict && tab.verdict.signature && data.log !== undefined && !isError(data.log) && <LogConsistencyList entries={data.log} />}
            <DownloadButtons verdict={tab.verdict} actions={actions} />
            {tab.context && tab.verdict.state !== 'checking' && data.lock !== undefined && (
              <Part value={data.lock}>{(lock) => <LockPanel lock={lock} verdict={tab.verdict} actions={actions} />}</Part>
            )}
            {data.lineage !== undefined && data.lineage !== null && (
              <Part value={data.lineage}>{(l) => (l ? <LineagePanel view={l} load={actions?.loadLineage} /> : <></>)}</Part>
            )}
            {tab.context && tab.verdict.state !== 'checking' && data.signingHistory !== undefined && (
              <>
                <h3 class="ms-h3">{t('section_signingHistory')}</h3>
                <Part value={data.signingHistory}>
                  {(h) => (h ? <SigningHistory view={h} onMore={actions?.moreHistory} fullPageUrl={`../extension/pages/history.html?tab=${tab.tabId}`} /> : <p class="ms-muted">{t('shistory_none')}</p>)}
                </Part>
              </>
            )}
            <h3 class="ms-h3">{t('section_history')}</h3>
            <Part value={data.history}>{(h) => <HistoryList entries={h} />}</Part>
            <CheckFilesLink tab={tab} />
          </>
        )
      }
    </Part>
  );
}

/** Opens "Check files on this computer" for this tab's repo, at the commit it verified when known. */
function CheckFilesLink({ tab }: { tab: TabState }) {
  const c = tab.context;
  const revision = tab.verdict.subject?.commit ?? c?.revision;
  const path = checkFilesPath(c ? { hub: c.hub, kind: c.kind, repo: c.repo, ...(revision ? { revision } : {}) } : undefined);
  // The popup lives at popup/index.html: the page is one folder up.
  return (
    <p class="ms-small">
      <a href={`../${path}`} target="_blank" rel="noopener" data-testid="popup-check-files">
        {t('popup_checkFiles')}
      </a>
    </p>
  );
}

/** "Download the whole revision, verified" (one file after another) and the downloads page. */
function DownloadButtons({ verdict, actions }: { verdict: Verdict; actions: PopupActions | undefined }) {
  const [error, setError] = useState<string | undefined>();
  const [started, setStarted] = useState(false);
  if (!actions?.openDownloads) return null;
  const canRevision = (verdict.state === 'verified' || verdict.state === 'verified-first-use' || verdict.state === 'partly-signed') && verdict.files.some((f) => f.status === 'verified' && f.expected);
  return (
    <div class="ms-actions">
      {canRevision && actions.downloadRevision && (
        <button
          type="button"
          class="ms-btn"
          data-download-revision
          disabled={started}
          onClick={() => {
            setStarted(true);
            actions.downloadRevision!().then(actions.openDownloads, (e: unknown) => {
              setStarted(false);
              setError(e instanceof Error ? e.message : String(e));
            });
          }}
        >
          {t('popup_downloadRevision')}
        </button>
      )}
      <button type="button" class="ms-btn" data-open-downloads onClick={() => actions.openDownloads!()}>
        {t('popup_openDownloads')}
      </button>
      {error && (
        <p class="ms-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

export function PopupView({ data, actions, initialTab = 'current' }: { data: PopupData; actions?: PopupActions; initialTab?: PopupTab }) {
  const [tab, setTab] = useState<PopupTab>(initialTab);
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const unread = Array.isArray(data.alerts) ? data.alerts.filter((a) => !a.read).length : 0;
  const label: Record<PopupTab, string> = {
    current: t('tab_current'),
    alerts: unread ? t('tab_alertsUnread', unread) : t('tab_alerts'),
    trust: t('tab_trust'),
    settings: t('tab_settings'),
  };
  const onKey = (e: KeyboardEvent) => {
    const i = POPUP_TABS.indexOf(tab);
    const next = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? POPUP_TABS.length - 1 : -2;
    if (next === -2) return;
    e.preventDefault();
    const target = POPUP_TABS[(next + POPUP_TABS.length) % POPUP_TABS.length]!;
    setTab(target);
    refs.current[target]?.focus();
  };
  return (
    <div class="ms-popup">
      <header class="ms-header">
        <span class="ms-brand">
          <Icon name="shieldCheck" size={16} /> {t('extName')}
        </span>
        <nav class="ms-tabs" role="tablist" aria-label={t('tabs_label')} onKeyDown={onKey}>
          {POPUP_TABS.map((id) => (
            <button
              key={id}
              ref={(el) => {
                refs.current[id] = el;
              }}
              type="button"
              role="tab"
              id={`tab-${id}`}
              aria-selected={tab === id}
              aria-controls={`panel-${id}`}
              tabIndex={tab === id ? 0 : -1}
              class={id === 'alerts' && unread ? 'ms-tab ms-tab-alert' : 'ms-tab'}
              onClick={() => setTab(id)}
            >
              {label[id]}
            </button>
          ))}
        </nav>
      </header>
      <main class="ms-panel" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} tabIndex={0}>
        {tab === 'current' && <Current data={data} actions={actions} />}
        {tab === 'alerts' && (
          <Part value={data.alerts}>{(a) => <AlertsList alerts={a} onMarkRead={actions?.markAlertsRead} />}</Part>
        )}
        {tab === 'trust' && <Part value={data.trust}>{(s) => <TrustManager snapshot={s} actions={actions} />}</Part>}
        {tab === 'settings' && <Part value={data.settings}>{(s) => <SettingsForm settings={s} actions={actions} />}</Part>}
      </main>
    </div>
  );
}
