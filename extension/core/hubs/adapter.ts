/**
 * The hub seam. Everything specific to one hub (its page URL grammar, its API, its storage hosts, the
 * page islands and links the content script anchors to) lives in one adapter under `hubs/<name>/`;
 * the rest of ModelSeal speaks only these types. Types only: importing this file costs no code.
 *
 * Content scripts load an adapter's `HubPages` part (hubs/pages.ts); the worker and the CLI its
 * whole `HubAdapter` (hubs/index.ts), which adds the API client.
 */
import type { Clock, FetchLike } from '../env.js';
import type { RepoRef } from '../repo-ref.js';

export type RepoKind = 'model' | 'dataset';
export type PageView = 'home' | 'tree' | 'blob' | 'resolve' | 'raw' | 'commit' | 'commits' | 'other';

/**
 * What a hub page (or file) URL is about, read from the URL alone: which repo (`repo` may be a legacy
 * single name, `gpt2`, that the hub redirects) and which view.
 */
export interface HubPage extends RepoRef {
  view: PageView;
  /** As written in the URL (decoded): a branch, tag, refs/pr/N or a commit SHA. */
  revision?: string;
  /** File or folder path inside the repo (decoded, POSIX). */
  path?: string;
}

// --- URL grammar (pure; content scripts use it) ---------------------------------------------------

/** A hub's URLs: which repo, revision and file a page, link or download is about, and back. */
export interface HubUrls {
  /**
   * The repo page a URL shows, or null for anything else (docs, profiles, listings, API URLs, other
   * origins). `hubs`: the configured origins this adapter speaks for (aliases of them are read as
   * them); without it the URL's own origin is the hub.
   */
  parsePageUrl(url: string | URL, hubs?: readonly string[]): HubPage | null;
  /** The repo file (view `resolve` or `raw`, with revision and path) a link or download URL names. */
  parseFileUrl(url: string | URL, hubs: readonly string[]): HubPage | null;
  /** The configured hub an origin stands for: itself or one of its aliases. */
  hubOfOrigin(origin: string, hubs: readonly string[]): string | undefined;
  /** Hosts the hub serves file bytes from (storage, CDN): nothing under them names a repo file. */
  isStorageHost(hub: string, host: string): boolean;
  /** The download URL of `path` at `commit` on `hub` itself (`download`: the hub's save-as form). */
  fileUrl(hub: string, kind: RepoKind, repo: string, commit: string, path: string, opts?: { download?: boolean }): string;
  /**
   * Root-relative href prefixes of the links a file list of `repo` at `revision` shows (a path
   * follows, percent-encoded per segment): the fast path for marking rows.
   */
  fileLinkPrefixes(kind: RepoKind, repo: string, revision: string): string[];
}

// --- page anchors (selectors only; URL tests stay in HubUrls) --------------------------------------

/** Where in a hub page the content script mounts things: stable markers, never styling classes. */
export interface HubPageAnchors {
  /** The element the banner goes right after (the repo header), or null when the page has none. */
  bannerAnchor(root: ParentNode): Element | null;
  /** Links that may be file-row links (each is then read with HubUrls). */
  readonly fileLinkSelector: string;
  /** The row a file link belongs to, for `closest()`. */
  readonly fileRowSelector: string;
  /** Links of repo entries on listing pages (each then read with HubUrls); absent: no listing marks. */
  readonly listingLinkSelector?: string;
}

/** The part of an adapter content scripts load: URL grammar and page anchors, no API client. */
export interface HubPages extends HubUrls {
  /** Adapter name (`huggingface`); the registry maps origins to names. */
  readonly name: string;
  readonly anchors: HubPageAnchors;
  /** A page listing repos (organisation, profile, search results), or null; absent: the hub has none we read. */
  parseListingUrl?(url: string, hubs: readonly string[]): ListingPage | null;
}

/** A listing page as the adapter reads its URL (what the one listing request asks for). */
export interface ListingPage {
  hub: string;
  kind: RepoKind;
  author?: string;
  search?: string;
  /** The API's sort key for the page's sort (absent: the API's default). */
  sort?: string;
  /** Entries the page can show up to. */
  limit: number;
}

// --- API client (worker, CLI, tests) ---------------------------------------------------------------

export interface HubProgress {
  kind: 'rate-limited';
  /** Seconds until the retry (for "rate limited, retrying in N s"). */
  retryInSeconds: number;
  attempt: number;
}

export interface HubClientOptions {
  fetch: FetchLike;
  /** Hub origin (a configured hub: huggingface.co, hf-mirror.com or a custom endpoint). */
  endpoint?: string;
  /** Send the browser's hub cookies so a signed-in session reaches gated and private repos. Default true. */
  includeCredentials?: boolean;
  /** Per request, ms. Default 30 s. */
  timeoutMs?: number;
  /** Cap for one JSON body. Default 16 MiB. */
  maxJsonBytes?: number;
  /** Cap on tree entries (all pages together). Default 250,000. */
  maxTreeEntries?: number;
  /** 429 handling: retries after the first answer (default 3) and longest single wait (default 60 s). */
  maxRetries?: number;
  maxRetryWaitSeconds?: number;
  /** Wait used when a 429 names no delay. Default 5 s. */
  defaultRetrySeconds?: number;
  signal?: AbortSignal;
  clock?: Clock;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  onProgress?: (p: HubProgress) => void;
}

export interface ResolvedRevision {
  /** 40-hex commit SHA. */
  commit: string;
  /** Repo id after following renames (equals the requested one when not renamed). */
  repo: string;
  /** Set when the hub redirected the requested id to another one. */
  renamedFrom?: string;
  gated?: false | 'auto' | 'manual';
  private?: boolean;
  /**
   * Repos the model card names as its base models (`cardData.base_model`, a string or a list), as
   * the hub returned them: a claim by the repo's owner, not a verified fact. Only well-formed repo
   * ids, at most MAX_BASE_MODELS, in the card's order.
   */
  baseModels?: string[];
}

/** Base models kept from one card: more is noise (or an attempt to make us fetch a lot). */
export const MAX_BASE_MODELS = 10;

export interface TreeFile {
  path: string;
  size: number;
  /** Git blob SHA-1 (of the LFS pointer for LFS files). */
  oid?: string;
  /** For LFS (and Xet-backed) files: SHA-256 of the content. */
  lfs?: { sha256: string; size: number };
}

/**
 * The hub API verification needs. Only the configured endpoint is addressed, every body is bounded,
 * every failure is one typed ModelSealError.
 */
export interface HubClient {
  readonly endpoint: string;
  /** Requests sent so far (including retries and redirect hops), for budgets and benchmarks. */
  readonly requestCount: number;
  /** URL of a file at a commit (what the page's download links point at). */
  fileUrl(kind: RepoKind, repo: string, commit: string, path: string): string;
  resolveRevision(kind: RepoKind, repo: string, revision: string): Promise<ResolvedRevision>;
  /** The head commit of the repo's default branch (and its name when the hub says). */
  resolveDefaultHead(kind: RepoKind, repo: string): Promise<ResolvedRevision & { defaultBranch?: string }>;
  /** Every file in the repo at `commit` (directories dropped), all pages. */
  listTree(kind: RepoKind, repo: string, commit: string): Promise<TreeFile[]>;
  /** File bytes at a commit, refusing more than `maxBytes`. */
  fetchFile(kind: RepoKind, repo: string, commit: string, path: string, maxBytes: number): Promise<Uint8Array>;
}

/** The commit that last changed a path, at or before some revision. */
export interface PathChange {
  commit: string;
  /** ISO date of that commit, as the hub reports it. */
  date?: string;
  /** The commit's title (hostile text). */
  title?: string;
}

/**
 * What walking a file's history needs, in requests that grow with the file's versions, not with the
 * repo's commits: the last change of some paths at a revision, and a commit's parent.
 */
export interface HubHistoryClient {
  /** For each of `paths` that exists at `revision`: the commit that last changed it. One request. */
  lastChanges(kind: RepoKind, repo: string, revision: string, paths: readonly string[]): Promise<Map<string, PathChange>>;
  /** The parent of `commit` (the next older commit in the hub's history), or undefined for the first commit. */
  parentCommit(kind: RepoKind, repo: string, commit: string): Promise<string | undefined>;
}

/** One hub family: its pages (content-script safe) and its API client over an injected fetch. */
export interface HubAdapter extends HubPages {
  createClient(opts: HubClientOptions): HubClient;
}
