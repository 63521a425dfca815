/**
 * A repo's signing history from the hub (issue 8 §2): one row per signature version, newest first
 * (date, commit linked to the hub's commit page, signer, log entry linked to the log viewer), runs by
 * the same signer collapsed into a band, and loud markers where the signer changed, where a signature
 * was removed, and where a signature file first appears. Every value from the hub or a bundle is
 * hostile text: identities go through IdentityText, failures through FailureText.
 */
import type { SignatureHistoryView } from '../shared/messages.js';
import type { SignatureVersion } from '../core/history/walk.js';
import { historyBands, type HistoryBand } from '../core/history/bands.js';
import type { Signer } from '../core/verdict.js';
import { IdentityText } from './IdentityText.js';
import { FailureText } from './FailureText.js';
import { signerLine } from './SignerView.js';
import { formatTime, logViewerUrl, shortHash } from './format.js';
import { t, tp } from './i18n.js';
import type { ComponentChildren } from 'preact';

/** The hub's commit page, for a configured hub origin and a validated commit id only. */
export function commitPageUrl(view: Pick<SignatureHistoryView, 'hub' | 'kind' | 'repo'>, commit: string): string | undefined {
  if (!/^https?:\/\/[^/]+$/.test(view.hub) || !/^[0-9a-f]{40}$/.test(commit)) return undefined;
  const repo = view.repo.split('/').map(encodeURIComponent).join('/');
  return `${view.hub}${view.kind === 'dataset' ? '/datasets' : ''}/${repo}/commit/${commit}`;
}

/** "2025-03" (month) or "2025-03-14" (day) of an ISO date, '' when absent. */
export const isoMonth = (iso: string | undefined) => (iso && /^\d{4}-\d{2}/.test(iso) ? iso.slice(0, 7) : '');
export const isoDay = (iso: string | undefined) => (iso && /^\d{4}-\d{2}-\d{2}/.test(iso) ? iso.slice(0, 10) : '');

export function SignerName({ signer }: { signer: Signer | undefined }) {
  if (!signer) return null;
  // Our own label around a fingerprint we computed: nothing hostile to analyse.
  if (signer.kind === 'key') return <span class="ms-mono">{signerLine(signer)}</span>;
  return <IdentityText value={signerLine(signer)} maxChars={64} />;
}

function LogCell({ v }: { v: SignatureVersion }) {
  if (!v.outcome.ok) return null;
  const e = v.outcome.evidence.logEntries[0];
  if (!e) return <span class="ms-muted">{t('shistory_noLog')}</span>;
  const url = logViewerUrl(e);
  const time = e.integratedTime ? formatTime(e.integratedTime * 1000) : '';
  const label = t('shistory_logEntry', e.logIndex, time);
  return (
    <span class="ms-small" data-log-index={e.logIndex}>
      <IdentityText value={e.log} maxChars={40} chips={false} />{' '}
      {url ? (
        <a href={url} target="_blank" rel="noopener noreferrer">
          {label}
        </a>
      ) : (
        label
      )}
    </span>
  );
}

function VersionRow({ v, view }: { v: SignatureVersion; view: SignatureHistoryView }) {
  const url = commitPageUrl(view, v.commit);
  const signer = v.outcome.ok ? v.outcome.evidence.signer : undefined;
  return (
    <tr class={v.outcome.ok ? 'ms-hrow' : 'ms-hrow ms-hrow-bad'} data-commit={v.commit} data-ok={v.outcome.ok ? 'true' : 'false'}>
      <td>{isoDay(v.date) || t('shistory_noDate')}</td>
      <td class="ms-mono">
        {url ? (
          <a href={url} target="_blank" rel="noopener noreferrer" title={v.commit}>
            {shortHash(v.commit, 10)}
          </a>
        ) : (
          shortHash(v.commit, 10)
        )}
        {v.path !== 'model.sig' && (
          <>
            {' '}
            <IdentityText value={v.path} maxChars={40} chips={false} />
          </>
        )}
      </td>
      <td>
        {signer ? (
          <SignerName signer={signer} />
        ) : (
          !v.outcome.ok && (
            <span class="ms-error" data-failure={v.outcome.failure.code}>
              {t('shistory_notVerified')} <FailureText failure={v.outcome.failure} />
            </span>
          )
        )}
      </td>
      <td>
        <LogCell v={v} />
      </td>
    </tr>
  );
}

function Marker({ kind, children }: { kind: 'change' | 'removed' | 'added'; children: ComponentChildren }) {
  return (
    <tr class={`ms-hmark ms-hmark-${kind}`} data-marker={kind}>
      <td colSpan={4}>
        <strong>{children}</strong>
      </td>
    </tr>
  );
}

/** Band summary: "Signed by X, 14 versions, 2025-03 → 2026-10". */
export function BandLine({ band }: { band: HistoryBand }) {
  const n = band.versions.length;
  if (!band.signer) return <>{tp('shistory_bandInvalid', n)}</>;
  return (
    <>
      {t('shistory_signedBy')} <SignerName signer={band.signer} />
      {', '}
      {tp('shistory_versions', n)}
      {band.from || band.to ? `, ${isoMonth(band.from)} → ${isoMonth(band.to)}` : ''}
    </>
  );
}

function olderSigner(bands: HistoryBand[], i: number): Signer | undefined {
  return bands.slice(i + 1).find((b) => b.signer)?.signer;
}

export function SigningHistoryTable({ view }: { view: SignatureHistoryView }) {
  const bands = historyBands(view.versions);
  const removedAt = new Map(view.removals.filter((r) => r.before).map((r) => [`${r.path}@${r.before}`, r]));
  const oldest = view.versions.at(-1);
  return (
    <table class="ms-table ms-shistory" data-versions={view.versions.length}>
      <thead>
        <tr>
          <th scope="col">{t('shistory_date')}</th>
          <th scope="col">{t('history_commit')}</th>
          <th scope="col">{t('history_signer')}</th>
          <th scope="col">{t('shistory_log')}</th>
        </tr>
      </thead>
      {view.removals
        .filter((r) => !r.before)
        .map((r) => (
          <tbody key={`gone-${r.after}`}>
            <Marker kind="removed">{t('shistory_removedNow', shortHash(r.after, 10))}</Marker>
          </tbody>
        ))}
      {bands.map((band, i) => {
        const from = olderSigner(bands, i);
        return (
          <tbody key={`${band.versions[0]!.commit}-${i}`} class="ms-band" data-band-versions={band.versions.length} data-changed={band.signerChangedFromOlder ? 'true' : undefined}>
            <tr class="ms-band-line">
              <th scope="rowgroup" colSpan={4}>
                <BandLine band={band} />
              </th>
            </tr>
            {band.versions.map((v) => {
              const removal = removedAt.get(`${v.path}@${v.commit}`);
              const last = v === band.versions.at(-1);
              return [
                <VersionRow key={v.commit + v.path} v={v} view={view} />,
                removal ? (
                  <Marker key={`r-${v.commit}`} kind="removed">
                    {t('shistory_removed', shortHash(removal.after, 10), shortHash(v.commit, 10))}
                  </Marker>
                ) : v.added && v !== oldest ? (
                  <Marker key={`a-${v.commit}`} kind="added">
                    {t('shistory_addedGap', shortHash(v.commit, 10))}
                  </Marker>
                ) : null,
                last && band.signerChangedFromOlder && band.signer && from ? (
                  <Marker key={`c-${v.commit}`} kind="change">
                    {t('shistory_changed')} <SignerName signer={from} /> → <SignerName signer={band.signer} /> {isoDay(band.from)}
                  </Marker>
                ) : null,
              ];
            })}
          </tbody>
        );
      })}
    </table>
  );
}

/** The progress line: versions found so far, rate-limit waits, or why the walk stopped. */
export function HistoryStatus({ view }: { view: SignatureHistoryView }) {
  return (
    <p class="ms-small ms-shistory-status" data-status={view.status} role="status">
      {view.status === 'loading' ? tp('shistory_loading', view.versions.length) : tp('shistory_done', view.versions.length)}
      {view.progress ? ` (${view.progress})` : ''}
      {view.failure && (
        <span class="ms-error" data-failure={view.failure.code}>
          {' '}
          {t('shistory_failed')} <FailureText failure={view.failure} />
        </span>
      )}
    </p>
  );
}

export function SigningHistory({ view, onMore, fullPageUrl }: { view: SignatureHistoryView; onMore?: () => void; fullPageUrl?: string }) {
  return (
    <div class="ms-shistory-box" data-repo={view.repo}>
      <HistoryStatus view={view} />
      {view.versions.length === 0 && view.status !== 'loading' && view.removals.length === 0 ? <p class="ms-muted">{t('shistory_none')}</p> : <SigningHistoryTable view={view} />}
      {view.more && view.status !== 'loading' && onMore && (
        <button type="button" class="ms-button" data-action="history-more" onClick={onMore}>
          {t('shistory_more')}
        </button>
      )}
      {fullPageUrl && (
        <p class="ms-small">
          <a href={fullPageUrl} target="_blank" rel="noopener" data-testid="history-page-link">
            {t('shistory_openPage')}
          </a>
        </p>
      )}
    </div>
  );
}
