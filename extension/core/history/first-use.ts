/**
 * What a first visit learns from the repo's signing history (issue 8 §2): who has been signing and
 * since when, and whether the signer changed. Built only from versions whose signatures verified;
 * when the history could not be read, that is said instead (never a "since" claim).
 */
import type { FailureInfo, Signer } from '../verdict.js';
import { historyBands } from './bands.js';
import type { SignatureVersion } from './walk.js';

export type FirstUseHistory =
  | {
      status: 'read';
      /** The newest verified version's signer and the run of versions it signed. */
      signer: Signer;
      versions: number;
      /** Commit date of the oldest version of that run (ISO), when the hub gave it. */
      since?: string;
      /** False when older versions were left unread (beyond the walk's limit): "since" is "since at least". */
      complete: boolean;
      /** The signer before the most recent change, its newest version's commit, and when the current one took over. */
      changedFrom?: { signer: Signer; commit: string; at?: string };
    }
  | { status: 'unreadable'; failure: FailureInfo };

export function firstUseHistory(versionsNewestFirst: readonly SignatureVersion[], complete: boolean): FirstUseHistory {
  const bands = historyBands(versionsNewestFirst).filter((b) => b.signer);
  const current = bands[0];
  if (!current?.signer) return { status: 'unreadable', failure: { code: 'NOT_FOUND', reason: 'no version of the signature in the history verified' } };
  const older = bands[1];
  return {
    status: 'read',
    signer: current.signer,
    versions: current.versions.length,
    ...(current.from ? { since: current.from } : {}),
    complete,
    ...(older?.signer && current.signerChangedFromOlder
      ? { changedFrom: { signer: older.signer, commit: older.versions[0]!.commit, ...(current.from ? { at: current.from } : {}) } }
      : {}),
  };
}
