/**
 * Everything a Verdict says, as data in → markup out: state, signer, trust, log entries, root digest,
 * files, and for a changed identity the old and new signer side by side with the accept step.
 */
import type { Signer, SignatureEvidence, Verdict } from '../core/verdict.js';
import type { AcceptPlan, PolicyChoice } from '../core/trust/accept.js';
import { AcceptSigner } from './AcceptSigner.js';
import { AgreedSources } from './AgreedSources.js';
import { FileTable } from './FileTable.js';
import { IdentityText } from './IdentityText.js';
import { SignerView } from './SignerView.js';
import { SignaturesList } from './SignaturesList.js';
import { PublisherLine } from './PublisherLine.js';
import { StateHeader } from './StateHeader.js';
import { formatTime, logViewerUrl, shortHash } from './format.js';
import { t, tp } from './i18n.js';
import { FirstUseHistoryLine, HistorySignerChoice } from './FirstUseHistoryView.js';

/** Uncovered files listed by name in the popup; the file table below has them all. */
const MAX_UNCOVERED = 20;

export interface VerdictViewProps {
  verdict: Verdict;
  progress?: string | undefined;
  /** Present when the view may offer the accept step (popup only). */
  onAcceptSigner?: (signer: Signer, confirmation: string, policy?: PolicyChoice, policyScope?: string) => Promise<unknown>;
  /** What accepting would change (pin, policy), shown before the user types the repo name. */
  onPreviewAccept?: (signer: Signer) => Promise<AcceptPlan>;
  /** Off where the state line is already shown above (warning page details). */
  header?: boolean;
  /** `disk`: the verdict is about files on this computer (their bytes were hashed), not the hub's listing. */
  surface?: 'hub' | 'disk';
  /** Popup: a verified download of one file (offered where the verdict lets the file download). */
  onDownloadVerified?: ((path: string) => void) | undefined;
}

function Subject({ verdict }: { verdict: Verdict }) {
  const s = verdict.subject;
  if (!s || (!s.repo && !s.path)) return null;
  return (
    <p class="ms-subject">
      <IdentityText value={s.repo ?? s.path} maxChars={96} />
      {s.commit && (
        <span class="ms-muted ms-mono" title={s.commit}>
          {' @ '}
          {shortHash(s.commit)}
        </span>
      )}
    </p>
  );
}

function Evidence({ sig }: { sig: SignatureEvidence }) {
  return (
    <>
      <h3 class="ms-h3">{t('section_log')}</h3>
      {sig.logEntries.length === 0 ? (
        <p class="ms-muted">{t('log_none')}</p>
      ) : (
        <table class="ms-table ms-log">
          <thead>
            <tr>
              <th scope="col">{t('log_log')}</th>
              <th scope="col">{t('log_index')}</th>
              <th scope="col">{t('log_time')}</th>
            </tr>
          </thead>
          <tbody>
            {sig.logEntries.slice(0, 8).map((e, i) => {
              const url = logViewerUrl(e);
              return (
                <tr key={i}>
                  <td>
                    <IdentityText value={e.log} maxChars={48} />
                  </td>
                  <td class="ms-mono">
                    {url ? (
                      <a href={url} target="_blank" rel="noopener noreferrer" title={t('log_viewerTitle')}>
                        {e.logIndex}
                      </a>
                    ) : (
                      <IdentityText value={e.logIndex} maxChars={24} />
                    )}
                  </td>
                  <td>{formatTime(e.integratedTime !== undefined ? e.integratedTime * 1000 : undefined) || '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {sig.timestamps.length > 0 && (
        <p class="ms-small">
          {t('timestamps_label')}{' '}
          {sig.timestamps
            .slice(0, 4)
            .map((ts) => `${formatTime(ts.time)} (${ts.source})`)
            .join(', ')}
        </p>
      )}
      <h3 class="ms-h3">{t('section_digest')}</h3>
      <p class="ms-digest">
        <IdentityText value={sig.rootDigest} maxChars={64} />
      </p>
    </>
  );
}

function PreviousSigners({ signers }: { signers: Signer[] }) {
  return (
    <>
      {signers.slice(0, 8).map((s, i) => (
        <SignerView key={i} signer={s} compact />
      ))}
    </>
  );
}

/** States whose verified files download without a warning (as the download guard allows them). */
const DOWNLOADABLE = new Set(['verified', 'verified-first-use', 'partly-signed']);

export function VerdictView({ verdict, progress, onAcceptSigner, onPreviewAccept, header = true, surface = 'hub', onDownloadVerified }: VerdictViewProps) {
  const v = verdict;
  // A first visit whose signing history shows a change of signer: its own name, not "not the default branch".
  const historyChange = v.state === 'unpinned-revision' && v.failure.code === 'HISTORY_SIGNER_CHANGED' && v.history?.status === 'read' ? v.history : undefined;
  return (
    <div class="ms-verdict" data-state={v.state} data-history-change={historyChange ? 'true' : undefined}>
      {header && (historyChange ? <StateHeader verdict={v} progress={progress} label={t('state_historyChanged')} summary={t('state_historyChanged_summary')} /> : <StateHeader verdict={v} progress={progress} />)}
      <Subject verdict={v} />
      <PublisherLine note={v.publisher} />
      <AgreedSources agreed={v.agreed} />

      {(v.state === 'verified' || v.state === 'verified-first-use') && (
        <>
          <h3 class="ms-h3">{t('section_signer')}</h3>
          <SignerView signer={v.signature.signer} />
          <p class="ms-small">
            {v.state === 'verified'
              ? v.trustedSince !== undefined
                ? t('trust_since', formatTime(v.trustedSince))
                : v.publisher
                  ? t('trust_publisher')
                  : t('trust_expected')
              : t('trust_pinnedNow')}
          </p>
          {v.state === 'verified-first-use' && v.history && <FirstUseHistoryLine history={v.history} />}
          {/* Until downloads are verified, say exactly what green rests on and where bytes get checked. */}
          <p class="ms-small ms-compared">
            {surface === 'disk' ? (
              t('disk_compared')
            ) : (
              <>
                {t('verified_compared')} {t('verified_bytesLater')}
              </>
            )}
          </p>
        </>
      )}

      {v.state === 'partly-signed' && (
        <>
          <h3 class="ms-h3">{t('section_signer')}</h3>
          <SignerView signer={v.signature.signer} compact />
          <h3 class="ms-h3">{t('partly_uncovered')}</h3>
          <ul class="ms-uncovered">
            {v.uncovered.slice(0, MAX_UNCOVERED).map((p) => (
              <li key={p}>
                <IdentityText value={p} maxChars={96} />
              </li>
            ))}
          </ul>
          {v.uncovered.length > MAX_UNCOVERED && <p class="ms-small ms-muted">{tp('partly_more', v.uncovered.length - MAX_UNCOVERED)}</p>}
        </>
      )}

      {historyChange && v.state === 'unpinned-revision' && v.subject?.repo && (
        <HistorySignerChoice repo={v.subject.repo} history={historyChange} current={v.signature.signer} onAccept={onAcceptSigner} loadPlan={onPreviewAccept} />
      )}

      {v.state === 'unpinned-revision' && !historyChange && (
        <>
          <h3 class="ms-h3">{t('section_signer')}</h3>
          <SignerView signer={v.signature.signer} />
          <p class="ms-small">{surface === 'disk' ? t('disk_notJudgedWhere') : v.defaultBranch ? t('unpinned_whereNamed', v.defaultBranch) : t('unpinned_where')}</p>
        </>
      )}

      {v.state === 'identity-changed' && (
        <>
          <div class="ms-compare">
            <section class="ms-compare-old">
              <h3 class="ms-h3">{t('compare_old')}</h3>
              {v.previousSigners.length ? <PreviousSigners signers={v.previousSigners} /> : <p class="ms-muted">{t('compare_expectedPolicy')}</p>}
            </section>
            <section class="ms-compare-new">
              <h3 class="ms-h3">{t('compare_new')}</h3>
              <SignerView signer={v.signature.signer} compact />
            </section>
          </div>
          {onAcceptSigner && v.subject?.repo && (
            // Keyed by repo and signer: a re-render for another signer starts a fresh step, so text
            // typed (and a plan shown) for one signer can never accept another.
            <AcceptSigner
              key={JSON.stringify([v.subject.repo, v.signature.signer])}
              repo={v.subject.repo}
              signer={v.signature.signer}
              onAccept={onAcceptSigner}
              {...(onPreviewAccept ? { loadPlan: onPreviewAccept } : {})}
            />
          )}
        </>
      )}

      {v.state === 'lock-mismatch' && (
        <>
          <h3 class="ms-h3">{t('section_signer')}</h3>
          <SignerView signer={v.signature.signer} compact />
          <p class="ms-small ms-lock-mismatch">
            {t('lockMismatch_locked')}{' '}
            <span class="ms-mono" title={v.lock.rootDigest}>
              <IdentityText value={shortHash(v.lock.commit)} maxChars={16} />
            </span>
          </p>
        </>
      )}

      {v.state === 'files-changed' && (
        <>
          <h3 class="ms-h3">{t('section_signer')}</h3>
          <SignerView signer={v.signature.signer} compact />
        </>
      )}

      {v.state === 'signature-removed' && (
        <>
          <h3 class="ms-h3">{t('compare_old')}</h3>
          <PreviousSigners signers={v.previousSigners} />
        </>
      )}

      {v.signatures && v.signatures.length > 0 && <SignaturesList signatures={v.signatures} />}

      {'signature' in v && v.signature && <Evidence sig={v.signature} />}

      {'files' in v && v.files && v.files.length > 0 && (
        <>
          <h3 class="ms-h3">{t('section_files')}</h3>
          <FileTable files={v.files} onDownloadVerified={DOWNLOADABLE.has(v.state) ? onDownloadVerified : undefined} />
        </>
      )}

      {v.state !== 'checking' && <p class="ms-small ms-muted">{t('checked_at', formatTime(v.checkedAt))}</p>}
    </div>
  );
}
