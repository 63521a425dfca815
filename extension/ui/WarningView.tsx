/**
 * The download warning: which file, why, and the repo's state. Cancel is the default and has focus;
 * "Download anyway" is the only way through; "Show details" expands the full verdict.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { PendingDownload } from '../shared/messages.js';
import { Icon } from './Icon.js';
import { IdentityText } from './IdentityText.js';
import { StateHeader, failureLine, failureOf } from './StateHeader.js';
import { FailureText } from './FailureText.js';
import { VerdictView } from './VerdictView.js';
import { fileStatusKey } from './FileTable.js';
import { t, tp } from './i18n.js';
import { styleOf } from '../shared/state-style.js';

/** The file path a hub `/resolve/REV/PATH` URL names (decoded), else the URL's last segment. */
export function fileFromUrl(url: string): string {
  try {
    const u = new URL(url);
    const m = /\/resolve\/[^/]+\/(.+)$/.exec(u.pathname);
    const raw = m ? m[1]! : (u.pathname.split('/').pop() ?? '');
    return decodeURIComponent(raw);
  } catch {
    return url.slice(0, 300);
  }
}

/** Why this download is stopped, in one line. */
export function warningReason(p: PendingDownload): string {
  const f = p.check.file;
  if (f && f.status !== 'verified') return f.reason ? `${t(`warn_${fileStatusKey(f.status)}`)} (${f.reason})` : t(`warn_${fileStatusKey(f.status)}`);
  const line = failureLine(p.check.verdict);
  if (line) return line;
  if (!f && 'files' in p.check.verdict && p.check.verdict.files) return t('warn_file_notListed');
  return t(styleOf(p.check.verdict.state).summaryKey);
}

export type Decision = 'pending' | 'sending' | 'cancelled' | 'proceeded' | 'verifying';

export interface WarningViewProps {
  pending: PendingDownload;
  onDecision: (proceed: boolean) => Promise<void>;
  /** "Download and verify anyway": fetched, hashed, kept only if it matches the signed digest. */
  onVerifyAnyway?: () => Promise<void>;
  initialDetails?: boolean;
}

/**
 * Whether the file has a digest a download can be checked against: one from a signature that
 * verified (whatever the verdict's state): the whole file's, or each shard's for a file signed by
 * the `shards` method. A file with neither can only be downloaded anyway, never "verified anyway".
 */
export function canVerifyAnyway(p: PendingDownload): boolean {
  const f = p.check.file;
  const signed = !!f?.expected || (p.check.signedShards ?? 0) > 0;
  return 'signature' in p.check.verdict && !!p.check.verdict.signature && signed && !!f?.algorithm && ['sha256', 'blake2b', 'blake3'].includes(f.algorithm);
}

/** What a verified download of the file is checked against, in one line (none: undefined). */
function signedDigestLine(p: PendingDownload): string | undefined {
  const f = p.check.file;
  if (!f?.algorithm) return undefined;
  if (f.expected) return `${f.algorithm}:${f.expected}`;
  if (p.check.signedShards) return tp('warn_signedShards', p.check.signedShards, f.algorithm);
  return undefined;
}

export function WarningView({ pending, onDecision, onVerifyAnyway, initialDetails = false }: WarningViewProps) {
  const [details, setDetails] = useState(initialDetails);
  const [decision, setDecision] = useState<Decision>('pending');
  const [error, setError] = useState<string | undefined>();
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => cancelRef.current?.focus(), []);
  const v = pending.check.verdict;
  const s = styleOf(v.state);
  // Same choice as warningReason: the file's own status first, else the verdict's failure sentence.
  const file = pending.check.file;
  const reasonFailure = file && file.status !== 'verified' ? undefined : failureOf(v);
  const decide = (proceed: boolean) => {
    if (decision !== 'pending') return;
    setDecision('sending');
    onDecision(proceed).then(
      () => setDecision(proceed ? 'proceeded' : 'cancelled'),
      (e: unknown) => {
        setDecision('pending');
        setError(e instanceof Error ? e.message : String(e));
      },
    );
  };
  const verifyAnyway = () => {
    if (decision !== 'pending' || !onVerifyAnyway) return;
    setDecision('sending');
    onVerifyAnyway().then(
      () => setDecision('verifying'),
      (e: unknown) => {
        setDecision('pending');
        setError(e instanceof Error ? e.message : String(e));
      },
    );
  };
  return (
    <div class="ms-warning" data-tone={s.tone} data-state={v.state}>
      <h1 class="ms-warning-title">
        <Icon name="warnTriangle" size={22} /> {t('warn_title')}
      </h1>
      <dl class="ms-kv">
        <dt>{t('warn_file')}</dt>
        <dd>
          <IdentityText value={pending.check.file?.path ?? fileFromUrl(pending.url)} maxChars={200} />
        </dd>
        <dt>{t('warn_repo')}</dt>
        <dd>
          <IdentityText value={v.subject?.repo ?? ''} maxChars={120} />
        </dd>
        {signedDigestLine(pending) && (
          <>
            <dt>{t('warn_signedDigest')}</dt>
            <dd data-signed-digest>
              <IdentityText value={signedDigestLine(pending) ?? ''} chips={false} maxChars={200} />
            </dd>
          </>
        )}
        <dt>{t('warn_reason')}</dt>
        <dd class="ms-warning-reason">
          {reasonFailure ? <FailureText failure={reasonFailure} maxChars={400} /> : <IdentityText value={warningReason(pending)} chips={false} mono={false} maxChars={400} />}
        </dd>
      </dl>
      <StateHeader verdict={v} />
      {decision === 'cancelled' && <p class="ms-ok" role="status">{t('warn_cancelled')}</p>}
      {decision === 'proceeded' && <p class="ms-ok" role="status">{t('warn_proceeded')}</p>}
      {decision === 'verifying' && <p class="ms-ok" role="status">{t('warn_verifyStarted')}</p>}
      {error && <p class="ms-error" role="alert">{error}</p>}
      <div class="ms-actions">
        <button ref={cancelRef} type="button" class="ms-btn ms-btn-primary" onClick={() => decide(false)} disabled={decision !== 'pending'}>
          {t('warn_cancel')}
        </button>
        {onVerifyAnyway && canVerifyAnyway(pending) && (
          <button type="button" class="ms-btn" data-verify-anyway onClick={verifyAnyway} disabled={decision !== 'pending'}>
            {t('warn_verifyAnyway')}
          </button>
        )}
        <button type="button" class="ms-btn ms-btn-danger" onClick={() => decide(true)} disabled={decision !== 'pending'}>
          {t('warn_proceed')}
        </button>
        <button type="button" class="ms-btn" aria-expanded={details} aria-controls="ms-details" onClick={() => setDetails(!details)}>
          {details ? t('warn_hideDetails') : t('warn_showDetails')}
        </button>
      </div>
      {details && (
        <section id="ms-details" class="ms-details">
          <VerdictView verdict={v} header={false} />
        </section>
      )}
    </div>
  );
}
