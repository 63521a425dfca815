/**
 * Full-page signing history (opened from the popup with `?tab=N`): the timeline picture and the
 * table, for long histories. The worker answers only about that tab's repo and checked commit.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import '../ui/styles.css';
import '../ui/signing-history.css';
import type { SignatureHistoryView } from '../shared/messages.js';
import { followHistory, type HistoryFollower } from '../ui/follow-history.js';
import { tabIdFromQuery } from '../ui/follow-tab.js';
import { HistoryTimeline } from '../ui/HistoryTimeline.js';
import { SigningHistory } from '../ui/SigningHistory.js';
import { IdentityText } from '../ui/IdentityText.js';
import { t } from '../ui/i18n.js';

function App({ tabId }: { tabId: number | undefined }) {
  const [view, setView] = useState<SignatureHistoryView | null | undefined>(undefined);
  const [error, setError] = useState<string | undefined>();
  const [follower, setFollower] = useState<HistoryFollower | undefined>();
  useEffect(() => {
    if (tabId === undefined) return;
    const f = followHistory(tabId, setView, (e) => setError(e instanceof Error ? e.message : String(e)));
    setFollower(f);
    return () => f.stop();
  }, []);
  const select = (commit: string) => {
    const row = document.querySelector<HTMLElement>(`tr[data-commit="${CSS.escape(commit)}"] a`);
    row?.focus();
    row?.scrollIntoView({ block: 'center' });
  };
  return (
    <main class="ms-page">
      <h1 class="ms-h1">{t('historyPage_title')}</h1>
      {tabId === undefined && <p class="ms-error">{t('popup_noTab')}</p>}
      {error && (
        <p class="ms-error" role="alert">
          {error}
        </p>
      )}
      {view === undefined && tabId !== undefined && !error && <p class="ms-muted">{t('loading')}</p>}
      {view === null && <p class="ms-muted">{t('shistory_none')}</p>}
      {view && (
        <>
          <p class="ms-subject">
            <IdentityText value={view.repo} maxChars={96} />
          </p>
          <HistoryTimeline view={view} onSelect={select} />
          <SigningHistory view={view} onMore={() => follower?.more()} />
        </>
      )}
    </main>
  );
}

const root = document.getElementById('app');
if (root) render(<App tabId={tabIdFromQuery()} />, root);
