/**
 * What verifying one hub revision found, before trust is applied. Only `verifyRevision` builds a
 * `signed` outcome (from evidence the verifiers produced); `decide()` in ../trust turns it into the
 * final Verdict.
 */
import type { FailureInfo, FileResult, SignatureEvidence } from '../verdict.js';
import type { RepoKind } from './page-url.js';

export type RevisionOutcome =
  | { status: 'unsigned' }
  /** The signature verified cryptographically; the signer is not yet judged and files may differ. */
  | {
      status: 'signed';
      signatureFiles: string[];
      evidence: SignatureEvidence;
      files: FileResult[];
      /** Per-file signatures: files no signature covers are fine ("ignore unsigned files"). */
      ignoreUnsignedFiles: boolean;
    }
  | { status: 'invalid-signature'; signatureFiles: string[]; failure: FailureInfo }
  | { status: 'unverifiable'; failure: FailureInfo; signatureFiles?: string[] };

export interface RevisionCheck {
  /** Hub origin. */
  hub: string;
  kind: RepoKind;
  /** Repo id after following renames. */
  repo: string;
  /** The id that was asked for, when the hub renamed it. */
  renamedFrom?: string;
  /** The revision as asked (branch, tag, PR ref or SHA). */
  revision: string;
  /** Resolved commit SHA, once known. */
  commit?: string;
  /** Milliseconds since the epoch. */
  checkedAt: number;
  outcome: RevisionOutcome;
  /** Hub requests this check made (budget: 3 + ⌈files/1000⌉ + non-LFS files hashed). */
  requests: number;
}
