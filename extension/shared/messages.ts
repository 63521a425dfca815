/**
 * The typed protocol between extension contexts: every message type declares its request and its
 * response (`MessageProtocol`), and the worker's handler map is checked against it. The worker
 * validates every message (shape and sender) before acting: content scripts may only send the
 * `page/*` and `download/*` kinds, and only about their own tab; everything else must come from an
 * extension page (popup, warning, frame). Worker → page pushes are typed the same way (`PushProtocol`).
 */
import type { Verdict, Signer, FileResult, FailureInfo, PublisherNote } from '../core/verdict.js';
import type { RepoRef } from '../core/repo-ref.js';
import type { Alert, RepoRecord, TrustDocument } from '../core/trust/types.js';
import type { AcceptPlan, PolicyChoice } from '../core/trust/accept.js';
import type { ImportDiff, ImportMode, ImportPreview } from '../core/trust/import.js';
import type { PublisherImportPreview } from '../core/publishers/import.js';
import type { PublisherDirectory } from '../core/publishers/directory.js';
import type { SignatureEvidence } from '../core/verdict.js';
import type { SignedManifest } from '../core/oms/manifest.js';
import type { DiskTrust } from '../core/disk-verdict.js';
import type { ShardDigest, ShardMismatch } from '../core/hash/shard-plan.js';
import type { TrustRootStatus } from '../core/tuf/trust-root.js';

export type { TrustRootStatus };
import type { SignatureVersion } from '../core/history/walk.js';

/** What a content script learned from the page URL: the repo, and the revision and path as named there. */
export interface PageContext extends RepoRef {
  url: string;
  revision?: string; // as in the URL; resolved to a commit by the worker
  path?: string;
}

export interface Settings {
  hubs: string[]; // origins; https://huggingface.co always present
  signersPerRepo: number; // k, default 1
  maxHashBytes: number; // non-LFS files larger than this are "unchecked"
  maxCheckBytes?: number; // download budget per verification, bytes (default 128 MiB)
  maxCheckRequests?: number; // download budget per verification, downloads (default 500)
  /** Online transparency-log consistency checks (default on); only tree sizes are sent to the log hosts. */
  onlineLogChecks?: boolean;
  /** Reported by `settings/get`, never set: the log hosts online checks contact (from the trusted root). */
  logHosts?: string[];
  publishersDirectory?: boolean; // judge first visits against publishers' documented signers (default on)
}

/** The publishers' directories as the settings page shows them. */
export interface PublishersView {
  enabled: boolean;
  builtin: PublisherDirectory;
  imported: PublisherDirectory[];
}

/**
 * Whether a signature's transparency-log entry is in the log everyone else sees: its checkpoint was
 * proven consistent with the log's current checkpoint (fetched at `asOf`), or why that was not shown.
 * `log`: the log's base URL from the trusted root. Reasons: `off` (online checks switched off),
 * `network` (log unreachable or rate limiting), `invalid` (the log's answer did not parse or was not
 * signed by its trusted key), `inconsistent` (a proof did not verify), `equivocation` (two trees of one
 * size), `no-checkpoint` (the entry carries none), `other-shard` (the log's current checkpoint is
 * for another tree than the entry's).
 */
export type LogConsistency =
  | { state: 'consistent'; log: string; origin: string; treeSize: number; logTreeSize: number; asOf: number }
  | { state: 'unchecked'; log: string; reason: LogUncheckedReason; code?: string; message?: string };
export type LogUncheckedReason = 'off' | 'network' | 'invalid' | 'inconsistent' | 'equivocation' | 'no-checkpoint' | 'other-shard';

/** What the worker keeps per tab and every surface renders. */
export interface TabState {
  tabId: number;
  context?: PageContext;
  verdict: Verdict;
  /** e.g. "rate limited, retrying in 12 s" while checking. */
  progress?: string;
  /** When the worker began checking this page, and when its verdict became final (ms since the epoch). */
  startedAt?: number;
  finishedAt?: number;
}

export interface DownloadCheck {
  verdict: Verdict;
  file?: FileResult;
  /** true when the download may proceed with no warning (file verified in a verified repo). */
  allow: boolean;
  /** The file is signed by the `shards` method, in this many byte ranges (a verified signature's). */
  signedShards?: number;
}

/** The worker's reply to `download/check`: when not allowed, the warning page has been opened. */
export type DownloadCheckReply = DownloadCheck & { requestId?: string };

/** A download waiting for the user's decision on the warning page (`download/pending` answers this). */
export interface PendingDownload {
  requestId: string;
  url: string;
  check: DownloadCheck;
  /** `click`: intercepted in a hub page; `browser`: caught by the downloads API (paused or cancelled). */
  source: 'click' | 'browser';
}

/**
 * The worker's answer to the disk-check page ("Check files on this computer"): a verified signature's
 * evidence and signed manifest, with the user's trust for the named repo, for the page to hash the
 * local files against; or the verdict that ends the check (invalid signature, unsigned revision…).
 */
export type DiskSignatureReply =
  | {
      kind: 'signed';
      evidence: SignatureEvidence;
      manifest: SignedManifest;
      /** The signature file the manifest came from (`model.sig` in the folder, or the hub's path). */
      signatureFile: string;
      /** The repo it is judged for (and, from the hub, the revision and its commit). */
      repo?: RepoRef & { revision?: string; commit?: string };
      trust?: DiskTrust;
    }
  | { kind: 'verdict'; verdict: Verdict };
/** A repo's lock ("Lock this version") as the popup shows it; the full document stays in the worker. */
export interface LockInfo extends RepoRef {
  commit: string;
  rootDigest: string;
  /** Resources the lock names (files, or shards of files). */
  files: number;
  lockedAt: number;
  signer: Signer;
}

/** A lock file for the CLI (`modelseal verify DIR --lock FILE`): its suggested name and JSON text. */
export interface LockFileText {
  fileName: string;
  json: string;
}

/** Where a verified download stands (the downloads page and the badge render this). */
export const VERIFIED_DOWNLOAD_STATUSES = ['queued', 'downloading', 'paused', 'saving', 'done', 'failed', 'cancelled'] as const;
export type VerifiedDownloadStatus = (typeof VERIFIED_DOWNLOAD_STATUSES)[number];

/**
 * One file fetched from `/resolve/<commit>/<path>`, hashed as it streams, and handed to the browser's
 * downloads only when its digest matches the signed one. Every string from the hub is hostile text.
 */
export interface VerifiedDownload {
  id: string;
  repo: RepoRef;
  commit: string;
  path: string;
  /** The commit URL the bytes are fetched from. */
  url: string;
  algorithm: string;
  /** Signed digest (hex) of the whole file; absent when the manifest signs it by shards. */
  expected?: string;
  /**
   * Signed shard digests of a file signed by the `shards` method (sorted, tiling the file). Kept by
   * the background only: pages get `shardCount`.
   */
  shards?: ShardDigest[];
  shardCount?: number;
  /** Bytes hashed and kept so far; `size` when known (signed or from the response). */
  received: number;
  size?: number;
  /** Bytes per second over the last few seconds, while downloading. */
  rate?: number;
  status: VerifiedDownloadStatus;
  startedAt: number;
  finishedAt?: number;
  /** The computed digest once the stream ended (matching or not). */
  actual?: string;
  /** `done`: the browser's download id of the kept file. */
  downloadId?: number;
  /** Why it failed (digest mismatch, truncated, network, hub refused…); reason is English, params hostile. */
  failure?: FailureInfo & { bytesRead?: number; source?: string; shard?: ShardMismatch };
  /** Set when a resumed download had to start over, and why (e.g. the server ignored the Range). */
  restartReason?: string;
  /** How many bytes a resume picked up from instead of fetching again. */
  resumedFrom?: number;
  /** Set when the user chose "Download and verify anyway" on a file that is not verified: no allow rule applied. */
  despiteVerdict?: boolean;
}

/** One base model in a lineage panel: its verdict at its default branch head, judged without recording. */
export interface BaseModelView {
  repo: string;
  state: Verdict['state'];
  commit?: string;
  signer?: Signer;
  failure?: FailureInfo;
  /** A valid signature by a signer no pin or policy names: nothing was pinned for it (the user did not open it). */
  untrusted?: true;
  /** The publishers' directory's word on the signer (e.g. documented by IBM for ibm-granite). */
  publisher?: PublisherNote;
  /** How many base models its own card names (the next level, on request). */
  bases: number;
}

/** The base models a repo's card names (`cardData.base_model`): the first few, and how many more. */
export interface LineageView {
  repo: string;
  bases: BaseModelView[];
  more: number;
}

/** A listed repo whose latest revision carries a signature file (listing pages). */
export interface ListingMark {
  kind: RepoRef['kind'];
  repo: string;
  /** Signature files named in its latest revision (a few at most). */
  signatureFiles: string[];
  /** That revision's commit, when the hub said. */
  commit?: string;
  /** The state the user's own check of that very commit recorded in this browser, if any. */
  state?: Verdict['state'];
}

/** The marks of one listing page (one hub request for the whole page). */
export interface ListingMarks {
  /** The tab the page is in: the mark frames name it and the worker answers them only there. */
  tabId: number;
  kind: RepoRef['kind'];
  marks: ListingMark[];
}

/** The signing history of a tab's repo (issue 8), as the worker found it so far. */
/** A stretch where the signature was gone: after `after` was written, before `before` (absent: still gone at the head). */
export interface HistoryRemoval {
  path: string;
  after: string;
  before?: string;
}

/** What the popup and the history page render. Every string from the hub is hostile text. */
export interface SignatureHistoryView extends RepoRef {
  head: string;
  status: 'loading' | 'done' | 'failed';
  /** Newest first. */
  versions: SignatureVersion[];
  removals: HistoryRemoval[];
  /** Older versions remain: "load more". */
  more: boolean;
  /** Versions asked for so far. */
  limit: number;
  /** e.g. "rate limited, retrying in 2 s". */
  progress?: string;
  /** Why the walk stopped early (the versions found before it stay). */
  failure?: FailureInfo;
  /** Hub requests made for this view so far (history, signature files). */
  requests: number;
}

/** Every message the worker answers: type → { request; response }. */
export interface MessageProtocol {
  // Content scripts (a hub page, top frame, about its own tab).
  /** The page the content script is on; the worker re-derives everything from `context.url`. null: not a repo page. */
  'page/context': { request: { type: 'page/context'; context: PageContext }; response: TabState | null };
  'page/left': { request: { type: 'page/left' }; response: null };
  /** Before letting a hub download link proceed (also allowed from extension pages). */
  'download/check': { request: { type: 'download/check'; url: string }; response: DownloadCheckReply };
  /** A listing page (organisation, profile, search results): its signed repos. null: not a listing page. */
  'listing/marks': { request: { type: 'listing/marks'; url: string }; response: ListingMarks | null };

  // Extension pages (popup, warning, frame).
  /** null: the tab shows no hub repo page. */
  'tab/verdict': { request: { type: 'tab/verdict'; tabId: number }; response: TabState | null };
  /** The in-page extension-origin frame asks for its tab; null unless it sits in that tab's repo page. */
  'frame/verdict': { request: { type: 'frame/verdict'; tabId: number }; response: TabState | null };
  /** A listing mark frame asks for its repo's mark; null unless it sits in that tab's listing page. */
  'listing/mark': { request: { type: 'listing/mark'; tabId: number; kind: RepoRef['kind']; repo: string }; response: ListingMark | null };
  /** The repo's trust record (`history` newest last), null when never seen. */
  'repo/history': { request: { type: 'repo/history' } & RepoRef; response: RepoRecord | null };
  /** The tab's verdict's log entries, each held against the log (witness-style); [] when it has none. */
  'log/consistency': { request: { type: 'log/consistency'; tabId: number }; response: LogConsistency[] };
  /** Newest first. */
  'alerts/list': { request: { type: 'alerts/list' }; response: { alerts: Alert[]; unread: number } };
  'alerts/mark-read': { request: { type: 'alerts/mark-read' }; response: void };
  /** policy: how to change the policy (of policyScope, as shown) that names another signer. */
  'trust/accept-signer': {
    request: { type: 'trust/accept-signer'; signer: Signer; confirmation: string; policy?: PolicyChoice; policyScope?: string } & RepoRef;
    response: AcceptPlan;
  };
  /** What accepting would change (pin, policy). */
  'trust/accept-preview': { request: { type: 'trust/accept-preview'; signer: Signer } & RepoRef; response: AcceptPlan };
  'trust/snapshot': { request: { type: 'trust/snapshot' }; response: TrustDocument };
  /** scope: owner/name or owner/* */
  'trust/set-expected': { request: { type: 'trust/set-expected'; scope: string; identity: string; issuer: string }; response: void };
  /** Key-signed repos: the signer's public key. */
  'trust/set-expected-key': { request: { type: 'trust/set-expected-key'; scope: string; publicKeyPem: string }; response: void };
  /** Certificate-signed repos: the CA certificates to trust. */
  'trust/set-expected-ca': { request: { type: 'trust/set-expected-ca'; scope: string; caPems: string[] }; response: void };
  'trust/remove-expected': { request: { type: 'trust/remove-expected'; scope: string }; response: void };
  'trust/remove-pin': { request: { type: 'trust/remove-pin' } & RepoRef; response: void };
  /** The trust document as JSON text. */
  'trust/export': { request: { type: 'trust/export' }; response: string };
  /** What importing would change, merged or replacing; changes nothing. */
  'trust/import-preview': { request: { type: 'trust/import-preview'; json: string }; response: ImportPreview };
  /** Applies only the previewed change (without a preview id: PREVIEW_MISMATCH). */
  'trust/import': { request: { type: 'trust/import'; json: string; mode?: ImportMode; confirmation?: string; previewId?: string }; response: ImportDiff };
  /** The publishers' directories: on or off, the shipped one and the user's imports. */
  'publishers/get': { request: { type: 'publishers/get' }; response: PublishersView };
  /** What importing a further directory would add (every entry with its signers and source); changes nothing. */
  'publishers/import-preview': { request: { type: 'publishers/import-preview'; json: string }; response: PublisherImportPreview };
  /** Imports only the previewed directory, with the typed confirmation. */
  'publishers/import': { request: { type: 'publishers/import'; json: string; previewId: string; confirmation: string }; response: PublishersView };
  'publishers/remove-imported': { request: { type: 'publishers/remove-imported' }; response: PublishersView };
  /** The repo's lock, null when it has none. */
  'lock/get': { request: { type: 'lock/get' } & RepoRef; response: LockInfo | null };
  /** Locks the repo to this commit's signed content; the worker re-checks it and refuses unless verified. */
  'lock/create': { request: { type: 'lock/create'; commit: string } & RepoRef; response: LockInfo };
  'lock/remove': { request: { type: 'lock/remove' } & RepoRef; response: void };
  /** The repo's lock as a CLI lock file. */
  'lock/export': { request: { type: 'lock/export' } & RepoRef; response: LockFileText };
  'settings/get': { request: { type: 'settings/get' }; response: Settings };
  'settings/set': { request: { type: 'settings/set'; settings: Partial<Settings> }; response: Settings };
  /** false: unknown or already decided. */
  'download/decision': { request: { type: 'download/decision'; requestId: string; proceed: boolean }; response: boolean };
  /** null: unknown or already decided. */
  'download/pending': { request: { type: 'download/pending'; requestId: string }; response: PendingDownload | null };
  /** Disk check: verify a folder's `model.sig` (its text, ≤ 1 MiB), judged for `repo` when named. File bytes never travel. */
  'disk/signature': { request: { type: 'disk/signature'; signature: string; repo?: RepoRef }; response: DiskSignatureReply };
  /** Disk check: a hub revision's verdict and, when signed, its signed manifest (revision ':default' = default branch). */
  'disk/revision': { request: { type: 'disk/revision'; hub: string; kind: RepoRef['kind']; repo: string; revision: string }; response: DiskSignatureReply };

  /** Base-model lineage of a repo at a revision (absent: its default branch); judged without pinning anything. */
  'lineage/get': { request: { type: 'lineage/get'; revision?: string } & RepoRef; response: LineageView };

  // Verified downloads (extension pages: popup, warning page, downloads page).
  /**
   * Fetch a hub file (any hub file URL, as the guard reads it) from its verified commit, hash it, and
   * keep it only when it matches. `anyway`: the user chose "Download and verify anyway" from a warning
   * (the bytes must still match the signed digest, when there is one). Refused with a typed error
   * when the file is not signed by a verified signature.
   */
  'verified/start': { request: { type: 'verified/start'; url: string; requestId?: string; anyway?: boolean }; response: VerifiedDownload };
  /** Every signed, verified file of the tab's revision, one after another. */
  'verified/start-revision': { request: { type: 'verified/start-revision'; tabId: number }; response: VerifiedDownload[] };
  /** Active first, then finished, newest first. */
  'verified/list': { request: { type: 'verified/list' }; response: VerifiedDownload[] };
  'verified/cancel': { request: { type: 'verified/cancel'; id: string }; response: boolean };
  /** A failed or cancelled download, again (resuming from what was kept when the server allows it). */
  'verified/retry': { request: { type: 'verified/retry'; id: string }; response: VerifiedDownload | null };
  /** Forget finished entries. */
  'verified/clear': { request: { type: 'verified/clear' }; response: void };
  /** The Sigstore trust root in force: built-in or updated through TUF, version, dates, host, last error. */
  'trust-root/status': { request: { type: 'trust-root/status' }; response: TrustRootStatus };
  /** Switches online trust root updates on or off (on: an update is tried at once). */
  'trust-root/set-online': { request: { type: 'trust-root/set-online'; online: boolean }; response: TrustRootStatus };
  /** Updates the trust root now (settings' button); the status says how it went. */
  'trust-root/update': { request: { type: 'trust-root/update' }; response: TrustRootStatus };

  // Signing history (popup, history page): the tab's repo, walked from the commit the tab shows.
  /** The history found so far (the walk starts on the first ask); `more`: 50 more versions. null: no checked revision in the tab. */
  'history/get': { request: { type: 'history/get'; tabId: number; more?: boolean }; response: SignatureHistoryView | null };
}

export type MessageType = keyof MessageProtocol;
export type Request<T extends MessageType> = MessageProtocol[T]['request'];
export type Response<T extends MessageType> = MessageProtocol[T]['response'];

/** The kinds a content script may send (validate.ts enforces it). */
export const CONTENT_MESSAGE_TYPES = ['page/context', 'page/left', 'download/check', 'listing/marks'] as const satisfies readonly MessageType[];
export type ContentMessageType = (typeof CONTENT_MESSAGE_TYPES)[number];

/** Any request, as a union discriminated by `type`. */
export type WorkerMessage = { [T in MessageType]: Request<T> }[MessageType];

/** The worker's answer on the wire: a value, or a typed error (never a throw across contexts). */
export type Reply<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

/** Worker → content script (tabs.sendMessage) and worker → extension pages (runtime.sendMessage) pushes. */
export interface PushProtocol {
  /** The tab's state changed. */
  'tab/state': { type: 'tab/state'; state: TabState };
  /** The tab left the hub, its state is gone. */
  'tab/cleared': { type: 'tab/cleared'; tabId: number };
  /** A verified download changed (progress at most a few times per second). */
  'verified/progress': { type: 'verified/progress'; download: VerifiedDownload };
  /** A signing history view changed (versions found, progress, done). */
  'history/progress': { type: 'history/progress'; view: SignatureHistoryView };
}
export type PushType = keyof PushProtocol;
export type Push<T extends PushType = PushType> = PushProtocol[T];

/** Whether `m` looks like a push of `type` (the sender is the worker; shape checked before use). */
export function isPush<T extends PushType>(m: unknown, type: T): m is Push<T> {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === type;
}
