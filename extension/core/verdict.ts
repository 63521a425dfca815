/**
 * The one result type every surface renders (toolbar, popup, in-page frame, download warning, CLI).
 * UIs never compute a state: they display a Verdict produced by the core.
 */
import type { ErrorCode } from './errors.js';
import type { FirstUseHistory } from './history/first-use.js';

export const VERDICT_STATES = [
  'checking',
  'verified',
  'verified-first-use',
  'identity-changed',
  'signature-removed',
  'files-changed',
  'invalid-signature',
  'partly-signed',
  'unpinned-revision',
  'unsigned',
  'unverifiable',
  'lock-mismatch',
] as const;
export type VerdictState = (typeof VERDICT_STATES)[number];

export type Tone = 'grey' | 'green' | 'blue' | 'red' | 'amber';

/** The state table from DESIGN.md: one colour and one severity per state, used everywhere. */
export const STATE_TABLE: Readonly<Record<VerdictState, { tone: Tone; good: boolean; alert: boolean }>> = {
  checking: { tone: 'grey', good: false, alert: false },
  verified: { tone: 'green', good: true, alert: false },
  'verified-first-use': { tone: 'blue', good: true, alert: false },
  'identity-changed': { tone: 'red', good: false, alert: true },
  'signature-removed': { tone: 'red', good: false, alert: true },
  'files-changed': { tone: 'red', good: false, alert: true },
  'invalid-signature': { tone: 'red', good: false, alert: true },
  /** A verified signature covers some files; others (listed) are covered by none. */
  'partly-signed': { tone: 'amber', good: false, alert: false },
  /** Valid signature on a revision that is not the default branch head, with no pin or policy to judge it. */
  'unpinned-revision': { tone: 'amber', good: false, alert: false },
  unsigned: { tone: 'grey', good: false, alert: false },
  unverifiable: { tone: 'amber', good: false, alert: false },
  /**
   * Valid signature by a trusted signer over content other than the user's lock of this repo: not
   * an identity change, not an attack by itself, and never green (the lock authorizes one content).
   */
  'lock-mismatch': { tone: 'amber', good: false, alert: false },
};

export type SignerKind = 'sigstore' | 'key' | 'certificate';

/** Who signed. Every string here came from a signature: hostile text, render as text only. */
export interface Signer {
  kind: SignerKind;
  /** Sigstore: the certificate SAN (email, URI or otherName). Certificate mode: leaf subject. */
  identity?: string;
  /** Sigstore: the OIDC issuer extension of the Fulcio certificate. */
  issuer?: string;
  /** Key mode: lowercase hex SHA-256 of the public key's DER SubjectPublicKeyInfo. */
  keyFingerprint?: string;
  /** Certificate mode: subject of the trust anchor the chain verified to. */
  caSubject?: string;
  /**
   * Sigstore CI identities: the certificate's Source Repository URI (Fulcio OID 1.3.6.1.4.1.57264.1.12),
   * the repo the workflow ran for. One shared reusable workflow gives every calling repo the same
   * identity; this tells them apart.
   */
  sourceRepository?: string;
}

export interface LogEntry {
  /** Log identity: base URL when the trusted root names one, else the base64 log id. */
  log: string;
  logIndex: string;
  /** Seconds since the epoch, from the log (Rekor v1) when present. */
  integratedTime?: number;
  kind: string;
  kindVersion: string;
  /** The log checkpoint that proves the entry, verified as signed by that log (Rekor v2; v1 when present). */
  checkpoint?: { origin: string; treeSize: number; rootHash: string };
}

export interface VerifiedTimestamp {
  source: 'tlog' | 'tsa';
  /** Milliseconds since the epoch. */
  time: number;
}

export const FILE_STATUSES = ['verified', 'mismatch', 'missing', 'unsigned', 'ignored', 'unchecked'] as const;
export type FileStatus = (typeof FILE_STATUSES)[number];

export interface FileResult {
  path: string;
  status: FileStatus;
  /** Signed digest (hex) and its algorithm, when the manifest lists the file. */
  expected?: string;
  actual?: string;
  algorithm?: string;
  /** Why a file is `unchecked` or `ignored` (e.g. "too large to hash here"). */
  reason?: string;
}

export interface SignatureEvidence {
  signer: Signer;
  logEntries: LogEntry[];
  timestamps: VerifiedTimestamp[];
  /** Hex SHA-256 root digest of the signed manifest (the in-toto subject digest). */
  rootDigest: string;
  /** Signed predicate type, e.g. https://model_signing/signature/v1.0 */
  predicateType: string;
}

/**
 * Independent sources that can agree on a revision's content: the signature itself; its verified
 * transparency-log entry; the digests the hub lists (LFS SHA-256); bytes hashed here (small files
 * fetched by the extension, or files on disk by the CLI); the user's lock; the user's pin of the
 * signer; the user's policy (expected identity, key or CA, or the CLI's identity flags).
 */
export const AGREED_SOURCES = ['signature', 'transparency-log', 'hub-digests', 'bytes-hashed', 'lock', 'pin', 'policy'] as const;
export type AgreedSource = (typeof AGREED_SOURCES)[number];

/** One source that agreed; `files`: how many files it vouched for, for the per-file sources. */
export interface AgreedEntry {
  source: AgreedSource;
  files?: number;
}

/** What one signature of a revision speaks for (the signature locator's scope, as plain data). */
export type SignatureCoverage = { kind: 'repo' } | { kind: 'folder'; folder: string } | { kind: 'file'; file: string };

/** One verified signature of a revision, for showing several together. Strings are hostile text. */
export interface SignatureSummary {
  /** Path of the signature file in the repo. */
  path: string;
  coverage: SignatureCoverage;
  signer: Signer;
  rootDigest: string;
  /** Files of the revision inside its coverage (signature files and git metadata not counted). */
  files: number;
}

/**
 * Whose signature it is, from the publishers' directory: the repo's own publisher's documented signer,
 * or another publisher's (a copy). Names and namespaces are hostile text: render as text only.
 */
export interface PublisherNote {
  /**
   * `documented`: the repo's namespace lists this signer. `exact-copy`: another publisher's signature
   * over exactly the content of `original`'s signed release. `other-publisher`: another publisher's
   * signer, not shown to be an exact copy. `changed-copy`: another publisher's signature over other files.
   */
  relation: 'documented' | 'exact-copy' | 'other-publisher' | 'changed-copy';
  /** The publisher that documents the signer, e.g. "IBM", and its namespace. */
  name: string;
  namespace: string;
  /** The repo's owner (namespace). */
  owner: string;
  /** The repo this one copies (found from the card's base models or the publisher's namespace). */
  original?: string;
  /** Where the directory's entry comes from (first URL) and when it was checked. */
  source?: { kind: string; url: string; checked: string };
}

interface VerdictBase {
  /** Repo and commit for hub verdicts; the model path for CLI verdicts. */
  subject?: { repo?: string; revision?: string; commit?: string; path?: string };
  /** Hub verdicts: the signature files (repo paths) this verdict rests on, repo-wide first. */
  signatureFiles?: string[];
  /**
   * Hub verdicts of a revision with folder, per-file or several signatures: each verified one with
   * its coverage and signer (absent for one repo-wide signature, which `signature` already shows).
   */
  signatures?: SignatureSummary[];
  /** Milliseconds since the epoch when the verdict was made. */
  checkedAt: number;
  /**
   * The sources that were actually checked and agreed for this revision, in AGREED_SOURCES order.
   * Only what held is listed: a source not checked, or checked and disagreeing, is absent.
   */
  agreed?: AgreedEntry[];
  /** Set when the publishers' directory speaks about the signer (hub verdicts with a verified signature). */
  publisher?: PublisherNote;
  /** A first visit's reading of the repo's signing history (who signed since when, a change), or why it could not be read. */
  history?: FirstUseHistory;
}

export interface FailureInfo {
  code: ErrorCode;
  /** One line for people (English, the CLI's wording); never contains markup. */
  reason: string;
  /**
   * What the sentence is made of, for UIs that render it from `_locales` (`failure_<CODE>`). Names used:
   * `count` (number of files), `files` (a short list of paths), `signer` (described signer),
   * `defaultBranch`, `limit`. Values are hostile text: render as text only.
   */
  params?: Record<string, string | number>;
}

export type Verdict =
  | (VerdictBase & { state: 'checking' })
  | (VerdictBase & { state: 'verified' | 'verified-first-use'; signature: SignatureEvidence; files: FileResult[]; trustedSince?: number })
  | (VerdictBase & {
      state: 'identity-changed';
      signature: SignatureEvidence;
      files: FileResult[];
      previousSigners: Signer[];
      failure: FailureInfo;
    })
  | (VerdictBase & { state: 'files-changed'; signature: SignatureEvidence; files: FileResult[]; failure: FailureInfo })
  | (VerdictBase & { state: 'signature-removed'; previousSigners: Signer[]; failure: FailureInfo })
  | (VerdictBase & { state: 'invalid-signature'; failure: FailureInfo; files?: FileResult[] })
  /** `uncovered`: paths no verified signature covers, code and config files first. */
  | (VerdictBase & { state: 'partly-signed'; signature: SignatureEvidence; files: FileResult[]; uncovered: string[]; failure: FailureInfo })
  /** `defaultBranch`: the branch whose head may create a pin, when the hub named it. */
  | (VerdictBase & { state: 'unpinned-revision'; signature: SignatureEvidence; files: FileResult[]; defaultBranch?: string; failure: FailureInfo })
  | (VerdictBase & { state: 'unsigned' })
  /** `lock`: the locked commit and root digest this revision's signed content differs from. */
  | (VerdictBase & { state: 'lock-mismatch'; signature: SignatureEvidence; files: FileResult[]; lock: { commit: string; rootDigest: string }; failure: FailureInfo })
  | (VerdictBase & { state: 'unverifiable'; failure: FailureInfo; signature?: SignatureEvidence; files?: FileResult[] });

