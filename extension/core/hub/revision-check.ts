/**
 * What verifying one hub revision found, before trust is applied. Only `verifyRevision` builds a
 * `signed` outcome (from evidence the verifiers produced); `decide()` in ../trust turns it into the
 * final Verdict.
 */
import type { FailureInfo, FileResult, SignatureEvidence, Signer } from '../verdict.js';
import type { SignatureScope } from './signature-locator.js';
import type { LockContent } from '../lock/types.js';
import type { FirstUseHistory } from '../history/first-use.js';

/** One signature file that verified cryptographically: where it is, what it speaks for, who signed it. */
export interface VerifiedSignature {
  /** Path of the signature file in the repo. */
  path: string;
  scope: SignatureScope;
  evidence: SignatureEvidence;
  /**
   * What it signed, as a lock would name it (manifest header and every resource, sizes from the
   * tree): what a user's lock is compared with, and what "Lock this version" writes down. Absent in
   * checks recorded before locks existed (a lock then cannot match: fail closed).
   */
  content?: LockContent;
}
import type { RevisionRef } from '../repo-ref.js';

/**
 * The revision of a page that names none (a repo's home page): the repo's default branch head, resolved
 * through the repo info endpoint. ':' cannot occur in a git ref name or a SHA, so no URL can spell it.
 */
export const DEFAULT_REVISION = ':default';

export type RevisionOutcome =
  | { status: 'unsigned' }
  /**
   * Every signature found verified cryptographically; the signers are not yet judged (decide() refuses
   * signatures by different signers) and files may differ.
   */
  | {
      status: 'signed';
      /** The signature files used, repo-wide first (as the locator orders them). */
      signatureFiles: string[];
      /** The first signature's evidence (the repo-wide one when there is one). */
      evidence: SignatureEvidence;
      /** One result per file of the revision (repo paths), the worst any covering signature found. */
      files: FileResult[];
      /**
       * No repo-wide signature: a file outside every signature's scope is uncovered (partly signed),
       * not changed. With `signatures`, decide() tells the two apart by scope.
       */
      ignoreUnsignedFiles: boolean;
      /**
       * Each signature with its scope and signer, in `signatureFiles` order. Absent in checks recorded
       * before signatures were combined (then `ignoreUnsignedFiles` alone decides coverage).
       */
      signatures?: VerifiedSignature[];
      /** Set when the per-check download budget ran out: some files are `unchecked` because of it. */
      budgetExceeded?: { limit: string };
      /**
       * How the verified files were matched: by the digest the hub lists (LFS SHA-256) or by bytes
       * fetched and hashed here. Counts of files, for the verdict's agreed sources.
       */
      verifiedBy?: { hubDigests: number; bytesHashed: number };
    }
  | { status: 'invalid-signature'; signatureFiles: string[]; failure: FailureInfo }
  /**
   * `signatureUncheckable`: the signature's own bytes were fetched but cannot be checked here (format,
   * key or CA we lack…). Amber for a repo never seen signed, red for one with a pin or policy.
   */
  | { status: 'unverifiable'; failure: FailureInfo; signatureFiles?: string[]; signatureUncheckable?: boolean };

/**
 * The revision checked, named as everywhere else (RevisionRef): `repo` is the id after following
 * renames, `revision` as asked (branch, tag, PR ref or SHA), `commit` the resolved SHA once known.
 */
export interface RevisionCheck extends RevisionRef {
  /** The id that was asked for, when the hub renamed it. */
  renamedFrom?: string;
  /** Milliseconds since the epoch. */
  checkedAt: number;
  outcome: RevisionOutcome;
  /** Hub requests this check made (budget: 2 + ⌈files/1000⌉ + signature files + non-LFS files hashed). */
  requests: number;
  /**
   * Whether `commit` is the head of the repo's default branch, decided per page view (never taken from
   * a cache): only then may a first-use pin be created. Absent means "not known to be": no pin.
   */
  atDefaultHead?: boolean;
  /** The default branch's name, when the hub named it. */
  defaultBranch?: string;
  /** Per page view, only when a first-use pin would follow: the repo's signing history as read (never cached). */
  history?: FirstUseHistory;
  /**
   * The candidate original of a copy (another publisher's signer on this repo): its signature at its
   * default branch, verified. Looked up per page view (never taken from the cache), like atDefaultHead.
   */
  copyOf?: CopyCandidate;
}

/** What the candidate original's own signature says, for comparing signed content (manifest root digests). */
export interface CopyCandidate {
  /** The original's repo id (owner/name). */
  repo: string;
  /** `signed`: its signature verified (signer and root digest below); `unsigned`; `unavailable`: not found or not checkable. */
  status: 'signed' | 'unsigned' | 'unavailable';
  signer?: Signer;
  rootDigest?: string;
}
