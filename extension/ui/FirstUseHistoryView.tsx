/**
 * A first visit's reading of the signing history: "signed by X since DATE (N versions)", why the
 * history could not be read, or (for a change of signer) both signers side by side, each with the
 * same typed confirmation as accepting a changed identity. Hostile values go through IdentityText.
 */
import type { AcceptPlan, PolicyChoice } from '../core/trust/accept.js';
import type { FirstUseHistory } from '../core/history/first-use.js';
import type { Signer } from '../core/verdict.js';
import { AcceptSigner } from './AcceptSigner.js';
import { FailureText } from './FailureText.js';
import { SignerView } from './SignerView.js';
import { SignerName, isoDay } from './SigningHistory.js';
import { t, tp } from './i18n.js';

export function FirstUseHistoryLine({ history }: { history: FirstUseHistory }) {
  if (history.status === 'unreadable') {
    return (
      <p class="ms-small ms-error" data-history="unreadable" data-failure={history.failure.code}>
        {t('firstUse_historyUnreadable')} <FailureText failure={history.failure} />
      </p>
    );
  }
  const since = isoDay(history.since);
  return (
    <p class="ms-small" data-history="read">
      {t('shistory_signedBy')} <SignerName signer={history.signer} />{' '}
      {since ? (history.complete ? t('firstUse_since', since) : t('firstUse_sinceAtLeast', since)) : ''} ({tp('shistory_versions', history.versions)})
    </p>
  );
}

export interface HistorySignerChoiceProps {
  repo: string;
  history: Extract<FirstUseHistory, { status: 'read' }>;
  current: Signer;
  onAccept?: ((signer: Signer, confirmation: string, policy?: PolicyChoice, policyScope?: string) => Promise<unknown>) | undefined;
  loadPlan?: ((signer: Signer) => Promise<AcceptPlan>) | undefined;
}

/** The change the history shows, and the choice of which signer to pin. */
export function HistorySignerChoice({ repo, history, current, onAccept, loadPlan }: HistorySignerChoiceProps) {
  const earlier = history.changedFrom?.signer ?? history.signer;
  const on = isoDay(history.changedFrom?.at);
  const column = (which: 'earlier' | 'current', signer: Signer) => (
    <section class={`ms-compare-${which === 'earlier' ? 'old' : 'new'}`} data-choice={which}>
      <h3 class="ms-h3">{which === 'earlier' ? t('firstUse_earlierSigner') : t('firstUse_currentSigner')}</h3>
      <SignerView signer={signer} compact />
      {onAccept && loadPlan && <AcceptSigner key={JSON.stringify([repo, signer])} repo={repo} signer={signer} onAccept={onAccept} loadPlan={loadPlan} />}
    </section>
  );
  return (
    <div class="ms-history-choice">
      <p class="ms-hmark-change-line" data-marker="change">
        <strong>
          {t('shistory_changed')} <SignerName signer={earlier} /> → <SignerName signer={current} /> {on}
        </strong>
      </p>
      <p class="ms-small">{t('firstUse_choose')}</p>
      <div class="ms-compare">
        {column('earlier', earlier)}
        {column('current', current)}
      </div>
    </div>
  );
}
