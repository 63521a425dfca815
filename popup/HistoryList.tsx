/** The signer history of one repo as ModelSeal saw it, newest first; a signer change is highlighted. */
import type { Signer } from '../extension/core/verdict.js';
import type { HistoryView } from '../extension/ui/view-models.js';
import { IdentityText } from '../extension/ui/IdentityText.js';
import { StateChip } from '../extension/ui/StateHeader.js';
import { signerLine } from '../extension/ui/SignerView.js';
import { formatTime, shortHash } from '../extension/ui/format.js';
import { t } from '../extension/ui/i18n.js';

export function signerKey(s: Signer | undefined): string {
  if (!s) return '';
  return JSON.stringify([s.kind, s.identity ?? '', s.issuer ?? '', s.keyFingerprint ?? '', s.caSubject ?? '']);
}

const MAX_ROWS = 100;

export function HistoryList({ entries }: { entries: HistoryView[] }) {
  if (entries.length === 0) return <p class="ms-muted">{t('history_empty')}</p>;
  const rows = [...entries].sort((a, b) => b.seenAt - a.seenAt).slice(0, MAX_ROWS);
  return (
    <table class="ms-table ms-history">
      <thead>
        <tr>
          <th scope="col">{t('history_commit')}</th>
          <th scope="col">{t('history_date')}</th>
          <th scope="col">{t('history_signer')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((e, i) => {
          // Compare with the next older signed revision: a different signer is a change.
          const older = rows.slice(i + 1).find((x) => x.signer);
          const changed = Boolean(e.signer && older?.signer && signerKey(e.signer) !== signerKey(older.signer));
          return (
            <tr key={e.commit + i} class={changed ? 'ms-changed' : undefined} data-changed={changed ? 'true' : undefined}>
              <td class="ms-mono" title={e.commit}>
                {shortHash(e.commit, 10)}
              </td>
              <td>{formatTime(e.seenAt)}</td>
              <td>
                {e.signer?.kind === 'key' ? (
                  // Our own label around a SHA-256 we computed: nothing hostile to analyse (the "…" of the
                  // short form would otherwise read as a look-alike character).
                  <span class="ms-mono">{signerLine(e.signer)}</span>
                ) : e.signer ? (
                  <IdentityText value={signerLine(e.signer)} maxChars={64} />
                ) : (
                  <StateChip state={e.state} />
                )}
                {changed && <span class="ms-chip">{t('history_changed')}</span>}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
