/** The popup as a pure view: tabs for this page's verdict, alerts, trust and settings. */
import type { JSX } from 'preact';
import { useRef, useState } from 'preact/hooks';
import type { Signer } from '../extension/core/verdict.js';
import type { Settings, TabState } from '../extension/shared/messages.js';
import type { AlertView, HistoryView, TrustSnapshotView } from '../extension/ui/view-models.js';
import { Icon } from '../extension/ui/Icon.js';
import { VerdictView } from '../extension/ui/VerdictView.js';
import { t } from '../extension/ui/i18n.js';
import { AlertsList } from './AlertsList.js';
import { HistoryList } from './HistoryList.js';
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
}

export interface PopupActions extends TrustActions, SettingsActions {
  acceptSigner(signer: Signer, confirmation: string): Promise<void>;
  markAlertsRead(): void;
}

function Part<T>({ value, children }: { value: Loaded<T>; children: (v: T) => JSX.Element }) {
  if (value === undefined) return <p class="ms-muted">{t('loading')}</p>;
  if (isError(value)) return <p class="ms-error" role="alert">{value.error}</p>;
  return children(value);
}

function Current({ data, actions }: { data: PopupData; actions?: PopupActions | undefined }) {
  return (
    <Part value={data.tab}>
      {(tab) =>
        !tab || (!tab.context && tab.verdict.state !== 'checking') ? (
          <p class="ms-muted">{t('popup_noPage')}</p>
        ) : (
          <>
            <VerdictView verdict={tab.verdict} progress={tab.progress} onAcceptSigner={actions?.acceptSigner} />
            <h3 class="ms-h3">{t('section_history')}</h3>
            <Part value={data.history}>{(h) => <HistoryList entries={h} />}</Part>
          </>
        )
      }
    </Part>
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
