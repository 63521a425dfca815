/**
 * "Lock this version": the repo's lock as the popup shows it, and the steps around it. The worker
 * decides whether a revision may be locked (it re-checks it); this view only offers the step where
 * it can make sense, and shows what happened.
 */
import { useState } from 'preact/hooks';
import type { Verdict } from '../extension/core/verdict.js';
import type { LockInfo } from '../extension/shared/messages.js';
import { formatTime, shortHash } from '../extension/ui/format.js';
import { t, tp } from '../extension/ui/i18n.js';

export interface LockActions {
  /** Locks the repo to this commit's signed content. */
  lockVersion(commit: string): Promise<void>;
  removeLock(): Promise<void>;
  /** Saves the lock as a CLI lock file (a download). */
  exportLock(): Promise<void>;
}

type Note = { ok: boolean; text: string };

export function LockPanel({ lock, verdict, actions }: { lock: LockInfo | null; verdict: Verdict; actions?: LockActions | undefined }) {
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<Note | undefined>();
  const commit = verdict.subject?.commit;
  const run = (work: () => Promise<void>, done: string) => {
    if (busy) return;
    setBusy(true);
    setNote(undefined);
    work().then(
      () => {
        setBusy(false);
        setNote({ ok: true, text: done });
      },
      (e: unknown) => {
        setBusy(false);
        setNote({ ok: false, text: t('lock_failed', e instanceof Error ? e.message : String(e)) });
      },
    );
  };
  const verified = verdict.state === 'verified' || verdict.state === 'verified-first-use';
  // With a lock, only a revision that differs from it can be locked instead (the worker re-checks it is verified).
  const canLock = !!actions && !!commit && /^[0-9a-f]{40}$/.test(commit) && (lock ? verdict.state === 'lock-mismatch' && verdict.failure.code === 'LOCK_MISMATCH' : verified);
  return (
    <section class="ms-lock" data-locked={lock ? lock.commit : ''}>
      <h3 class="ms-h3">{t('section_lock')}</h3>
      {lock ? (
        <p class="ms-small">
          {t('lock_lockedTo')}{' '}
          <span class="ms-mono" title={`${lock.commit}\n${lock.rootDigest}`}>
            {shortHash(lock.commit)}
          </span>{' '}
          <span class="ms-muted">
            ({tp('lock_files', lock.files)}, {formatTime(lock.lockedAt)})
          </span>
        </p>
      ) : (
        <p class="ms-small ms-muted">{t('lock_none')}</p>
      )}
      <div class="ms-actions">
        {canLock && commit && (
          <button type="button" class="ms-btn" data-action="lock" disabled={busy} onClick={() => run(() => actions!.lockVersion(commit), t('lock_done'))}>
            {lock ? t('lock_lockInstead') : t('lock_lockThis')}
          </button>
        )}
        {lock && actions && (
          <>
            <button type="button" class="ms-btn" data-action="export-lock" disabled={busy} onClick={() => run(() => actions.exportLock(), t('lock_exported'))}>
              {t('lock_export')}
            </button>
            <button type="button" class="ms-btn ms-btn-danger" data-action="remove-lock" disabled={busy} onClick={() => run(() => actions.removeLock(), t('lock_removed'))}>
              {t('lock_remove')}
            </button>
          </>
        )}
      </div>
      {note && (
        <p class={note.ok ? 'ms-small ms-ok' : 'ms-small ms-error'} role={note.ok ? 'status' : 'alert'}>
          {note.text}
        </p>
      )}
    </section>
  );
}
