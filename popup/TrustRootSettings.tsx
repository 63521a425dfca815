/**
 * Settings: the Sigstore trust root in force (built-in or updated through TUF, TUF root version,
 * dates, the host contacted, the last error) and the switch for online updates.
 */
import { useEffect, useState } from 'preact/hooks';
import type { TrustRootStatus } from '../extension/shared/messages.js';
import { IdentityText } from '../extension/ui/IdentityText.js';
import { formatTime } from '../extension/ui/format.js';
import { failureText } from '../extension/ui/failure-text.js';
import { t } from '../extension/ui/i18n.js';

export interface TrustRootActions {
  status(): Promise<TrustRootStatus>;
  setOnline(online: boolean): Promise<TrustRootStatus>;
  update(): Promise<TrustRootStatus>;
}

/** Codes that mean "no answer": the generic wording names the hub, here it is the TUF repository. */
const UNREACHABLE = new Set(['NETWORK_ERROR', 'TIMEOUT', 'RATE_LIMITED', 'NOT_FOUND', 'RESPONSE_TOO_LARGE']);

function errorText(e: NonNullable<TrustRootStatus['lastError']>): string {
  return UNREACHABLE.has(e.code) ? t('trustRoot_unreachable') : failureText({ code: e.code, reason: e.reason });
}

function sourceLine(s: TrustRootStatus): string {
  if (s.source === 'updated') return t('trustRoot_updated', String(s.rootVersion), s.updatedDate ?? '?');
  if (s.source === 'expired') return t('trustRoot_expired', String(s.rootVersion), formatTime(s.validUntil));
  return t('trustRoot_builtIn', s.builtInDate ?? '?');
}

export function TrustRootView({ status, busy, onToggle, onUpdate }: { status: TrustRootStatus; busy?: boolean; onToggle?: (online: boolean) => void; onUpdate?: () => void }) {
  return (
    <div class="ms-trust-root" data-trust-root={status.source}>
      <p class={status.source === 'expired' ? 'ms-error' : undefined} data-trust-root-source>
        {sourceLine(status)}
      </p>
      <dl class="ms-kv ms-small">
        <dt>{t('trustRoot_version')}</dt>
        <dd data-trust-root-version>{status.rootVersion}</dd>
        {status.lastUpdate !== undefined && (
          <>
            <dt>{t('trustRoot_lastUpdate')}</dt>
            <dd>{formatTime(status.lastUpdate)}</dd>
          </>
        )}
        {status.validUntil !== undefined && (
          <>
            <dt>{t('trustRoot_validUntil')}</dt>
            <dd data-trust-root-valid-until>{formatTime(status.validUntil)}</dd>
          </>
        )}
        <dt>{t('trustRoot_host')}</dt>
        <dd>
          <IdentityText value={status.host} maxChars={80} />
        </dd>
      </dl>
      {status.lastError && (
        <p class="ms-error ms-small" data-trust-root-error title={`${status.lastError.code}: ${status.lastError.reason}`}>
          {t('trustRoot_lastError', formatTime(status.lastError.at), errorText(status.lastError))}
        </p>
      )}
      <div class="ms-row ms-wrap">
        <label class="ms-grow">
          <input type="checkbox" checked={status.online} disabled={!onToggle || busy} onChange={(e) => onToggle?.(e.currentTarget.checked)} data-trust-root-online />{' '}
          {t('trustRoot_online', status.host)}
        </label>
        {onUpdate && status.online && (
          <button type="button" class="ms-btn" disabled={busy} onClick={onUpdate}>
            {t('trustRoot_updateNow')}
          </button>
        )}
      </div>
    </div>
  );
}

/** Loads the status itself: the settings view needs nothing else from the popup's data. */
export function TrustRootSettings({ actions }: { actions: TrustRootActions }) {
  const [status, setStatus] = useState<TrustRootStatus | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    actions.status().then(setStatus, (e: unknown) => setError(String(e)));
  }, [actions]);
  const run = (p: () => Promise<TrustRootStatus>) => {
    setBusy(true);
    p().then(
      (s) => (setStatus(s), setBusy(false)),
      (e: unknown) => (setError(String(e)), setBusy(false)),
    );
  };
  return (
    <>
      {status ? <TrustRootView status={status} busy={busy} onToggle={(on) => run(() => actions.setOnline(on))} onUpdate={() => run(() => actions.update())} /> : !error && <p class="ms-muted">{t('trustRoot_loading')}</p>}
      {error && <p class="ms-error" role="alert">{error}</p>}
    </>
  );
}
