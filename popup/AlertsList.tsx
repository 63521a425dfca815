/** Alerts across repos (identity changed, signature removed, files changed, invalid), newest first. */
import type { AlertView } from '../extension/ui/view-models.js';
import type { ErrorCode } from '../extension/core/errors.js';
import { FailureText } from '../extension/ui/FailureText.js';
import { IdentityText } from '../extension/ui/IdentityText.js';
import { StateChip } from '../extension/ui/StateHeader.js';
import { formatTime, shortHash } from '../extension/ui/format.js';
import { t, tp } from '../extension/ui/i18n.js';

export function AlertsList({ alerts, onMarkRead }: { alerts: AlertView[]; onMarkRead?: () => void }) {
  const unread = alerts.filter((a) => !a.read).length;
  return (
    <div class="ms-alerts">
      <div class="ms-row">
        <p class="ms-grow">{unread ? tp('alerts_unread', unread) : t('alerts_noneUnread')}</p>
        {onMarkRead && unread > 0 && (
          <button type="button" class="ms-btn" onClick={onMarkRead}>
            {t('alerts_markRead')}
          </button>
        )}
      </div>
      {alerts.length === 0 ? (
        <p class="ms-muted">{t('alerts_empty')}</p>
      ) : (
        <ul class="ms-list">
          {alerts.slice(0, 200).map((a) => (
            <li key={a.id} class={a.read ? 'ms-read' : 'ms-unread'} data-read={a.read ? 'true' : 'false'}>
              <div class="ms-row">
                <StateChip state={a.state} />
                <span class="ms-grow">
                  <IdentityText value={a.repo} maxChars={80} />
                </span>
                <span class="ms-muted ms-small">{formatTime(a.at)}</span>
              </div>
              {(a.reason || a.code || a.commit) && (
                <div class="ms-small">
                  {a.commit && <span class="ms-mono ms-muted">{shortHash(a.commit, 10)} </span>}
                  {/* Worded from the code in the UI's language when the store kept it; older alerts have the reason only. */}
                  {a.code ? (
                    <FailureText failure={{ code: a.code as ErrorCode, reason: a.reason ?? '', ...(a.params ? { params: a.params } : {}) }} />
                  ) : (
                    a.reason && <IdentityText value={a.reason} chips={false} mono={false} maxChars={200} />
                  )}
                </div>
              )}
              {/* A log equivocation names the log and both checkpoints: the core's line says which. */}
              {a.code === 'LOG_EQUIVOCATION' && a.reason && (
                <div class="ms-small ms-error" data-alert-detail="log-equivocation">
                  <IdentityText value={a.reason} chips={false} maxChars={400} />
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
