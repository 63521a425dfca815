/**
 * The trust store document: pins, expected identities, observed history and alerts, versioned.
 */
import type { ErrorCode } from '../errors.js';
import type { Signer, VerdictState } from '../verdict.js';
import type { RepoKind } from '../hubs/adapter.js';
import type { LockDocument } from '../lock/types.js';

export const TRUST_SCHEMA_VERSION = 2;

export { repoKey, type RepoRef } from '../repo-ref.js';

export interface Pin {
  signer: Signer;
  /** When the signer was first trusted (ms since the epoch). */
  since: number;
  /** Commit where it was pinned. */
  commit?: string;
  via: 'first-use' | 'accepted' | 'policy';
}

export interface HistoryEntry {
  commit: string;
  revision?: string;
  seenAt: number;
  state: VerdictState;
  signer?: Signer;
}

export interface RepoRecord {
  hub: string;
  kind: RepoKind;
  repo: string;
  pins: Pin[];
  /** Set once a valid signature was seen for this repo: a later unsigned revision is then an alert. */
  signedSince?: number;
  /** Newest last, bounded. */
  history: HistoryEntry[];
  /** The user locked this repo to one verified revision's signed content ("Lock this version"). */
  lock?: RepoLock;
}

/** A lock kept in the trust store: the same document the CLI reads (`modelseal verify --lock`). */
export interface RepoLock {
  /** When the user locked it (ms since the epoch). */
  lockedAt: number;
  document: LockDocument;
}

/** What the user expects a repo's (or an owner's repos', scope `owner/*`) signer to be. */
export type ExpectedIdentity =
  | {
      kind: 'sigstore';
      scope: string;
      /** Exact identity, or a glob when `glob` is set (`*` = any run except '/', `**` = anything). */
      identity: string;
      glob: boolean;
      issuer: string;
      createdAt: number;
    }
  | {
      kind: 'key';
      scope: string;
      publicKeyPem: string;
      /** Hex SHA-256 of the SPKI DER, when known; the signer's fingerprint must equal it. */
      keyFingerprint?: string;
      createdAt: number;
    }
  | {
      /** Signatures chained to the user's own certificate authority (model_signing `certificate` mode). */
      kind: 'certificate';
      scope: string;
      /** Trust anchors (PEM); a signature verifies only if its chain ends at one of them. */
      caPems: string[];
      createdAt: number;
    };

export interface Alert {
  id: number;
  hub: string;
  kind: RepoKind;
  repo: string;
  commit?: string;
  state: VerdictState;
  at: number;
  read: boolean;
  /** One line, plain text. */
  reason: string;
  /** The verdict's failure code and parameters, so the UI can word the alert in its own language. */
  code?: ErrorCode;
  params?: Record<string, string | number>;
  signer?: Signer;
  previousSigners?: Signer[];
}

export interface TrustSettings {
  /** k: how many distinct signers a repo may have before a new one is an identity change. */
  signersPerRepo: number;
}

export interface TrustDocument {
  schemaVersion: typeof TRUST_SCHEMA_VERSION;
  settings: TrustSettings;
  /** Keyed by repoKey(). */
  repos: Record<string, RepoRecord>;
  expected: ExpectedIdentity[];
  alerts: Alert[];
  nextAlertId: number;
}

export function emptyDocument(): TrustDocument {
  return { schemaVersion: TRUST_SCHEMA_VERSION, settings: { signersPerRepo: 1 }, repos: {}, expected: [], alerts: [], nextAlertId: 1 };
}
