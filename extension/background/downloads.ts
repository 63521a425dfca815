/**
 * The download guard. Two ways in: (a) the content script intercepts a click on a hub download link
 * and asks; (b) `downloads.onCreated` sees a hub `/resolve/` download started any other way (address
 * bar, another site, a script) and pauses it. Either way a download that is not a verified file opens
 * the warning page, and only the user's "Download anyway" lets it through.
 *
 * A download is judged by where its bytes come from (`finalUrl`, then the first URL), with hub
 * aliases and legacy URLs read as the hub's; an allowed one is fetched from the verified commit's
 * URL, never from a branch that may have moved since the check.
 *
 * A signed, verified file (one with a signed digest) is not let through as a browser download at all:
 * `startVerified` turns it into a verified download (fetched, hashed, kept only when it matches the
 * signed digest), and the browser's own download is cancelled. Without that hook (or for a file with
 * no signed digest, e.g. in a never-signed repo) an allowed file goes through as before.
 */
import type { DownloadCheck, DownloadCheckReply, PendingDownload } from '../shared/messages.js';
import type { Verdict, FileResult } from '../core/verdict.js';
import type { StorageAreaLike } from './storage.js';
import { ModelSealError } from '../core/errors.js';
import { unverifiableForError } from '../core/failure.js';

export interface DownloadItemLike {
  id: number;
  url: string;
  finalUrl?: string;
  state?: string;
}

export interface DownloadsApiLike {
  pause(id: number): Promise<void>;
  resume(id: number): Promise<void>;
  cancel(id: number): Promise<void>;
  download(options: { url: string; filename?: string; conflictAction?: 'uniquify'; saveAs?: boolean }): Promise<number>;
}

/** A check plus, when the revision resolved to a commit, the file's URL at that commit. */
export interface GuardCheck extends DownloadCheck {
  /** `/resolve/<commit>/<path>` on the hub itself: where an allowed download is fetched from. */
  commitUrl?: string;
}

export interface GuardDeps {
  downloads: DownloadsApiLike;
  /** The verdict for the repo revision a `/resolve/` URL names, and the file it names. */
  checkUrl(url: string): Promise<GuardCheck | undefined>;
  /** True for hub file URLs (`/resolve/`, aliases, legacy names) and the hub's storage hosts. */
  isGuardedUrl(url: string): boolean;
  /** True for hub file URLs that name a repo file (not storage hosts). */
  isHubFileUrl?(url: string): boolean;
  /** Opens the warning page; resolves to its tab id when known. */
  openWarning(requestId: string, openerTabId?: number): Promise<number | undefined>;
  session?: StorageAreaLike;
  newId?: () => string;
  /**
   * Starts a verified download of an allowed file; false when the file has no signed digest to check
   * it against (then the browser downloads it as before).
   */
  startVerified?(check: GuardCheck): Promise<boolean>;
}

/** Files that download with no friction: a verified file in a repo whose verdict is good. */
export function allowDownload(verdict: Verdict, file: FileResult | undefined): boolean {
  if (verdict.state === 'unsigned') return true; // absence is not failure: never-signed repos are neutral
  // Partly signed: a signed, matching file may pass; a file no signature covers is unverified.
  if (verdict.state === 'partly-signed') return file?.status === 'verified' && !verdict.uncovered.includes(file.path);
  if (verdict.state !== 'verified' && verdict.state !== 'verified-first-use') return false;
  return file?.status === 'verified';
}

const ONE_SHOT_MS = 60_000;
const HOLD_GRACE_MS = 250;
// A page can start downloads in a loop: past this many warnings opened in a short window, more
// downloads are cancelled unasked (a window, so warnings left open do not silence later ones).
const MAX_RECENT_WARNINGS = 3;
const FLOOD_WINDOW_MS = 10_000;

type Pending = PendingDownload & { downloadId?: number; cancelled?: boolean; warningTabId?: number; commitUrl?: string; openedAt?: number };

/** The URL without query or fragment (`?download=true` does not change the file). */
function bare(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return url;
  }
}

export class DownloadGuard {
  private readonly pending = new Map<string, Pending>();
  /** Held downloads (Chromium's filename step): calling it lets the download finish. */
  private readonly releases = new Map<string, () => void>();
  /**
   * Set when the host holds downloads at the filename step (Chromium `onDeterminingFilename`): a
   * download cannot complete before that, so even a tiny file is stopped; onCreated then stands back.
   */
  holdMode = false;
  private readonly held = new Set<number>();
  /** URLs the user (or a verified check) just let through: the resulting onCreated must pass. */
  private readonly allowOnce = new Map<string, number>();

  constructor(private readonly deps: GuardDeps) {}

  /** (a) A click in a hub page. Returns the check; when not allowed, the warning page is opened. */
  async onClick(url: string, tabId: number): Promise<DownloadCheckReply> {
    const { commitUrl, ...check } = await this.safeCheck(url);
    if (check.allow && commitUrl) {
      if (await this.verifiedInstead({ ...check, commitUrl })) return check;
      // The verified bytes are the commit's: the branch in the link may have moved since.
      this.markAllowed(commitUrl);
      await this.deps.downloads.download({ url: commitUrl });
      return check;
    }
    const open = this.openRequestFor(url);
    if (open) return { ...check, allow: false, requestId: open }; // one warning per file, however often clicked
    const requestId = await this.addPending({ url, check: { ...check, allow: false }, source: 'click' }, undefined, undefined, commitUrl);
    this.noteWarningTab(requestId, await this.deps.openWarning(requestId, tabId));
    return { ...check, allow: false, requestId };
  }

  /** The URL a download is judged by: a hub file URL its bytes come from, else its first one. */
  judgedUrl(item: DownloadItemLike): string | undefined {
    const seen = [item.finalUrl, item.url].filter((u): u is string => typeof u === 'string' && u !== '');
    const names = this.deps.isHubFileUrl ?? this.deps.isGuardedUrl;
    return seen.find((u) => names(u)) ?? seen.find((u) => this.deps.isGuardedUrl(u));
  }

  /** True when the download needs the guard (any URL it came through is a hub file or storage URL). */
  guards(item: DownloadItemLike): boolean {
    return this.judgedUrl(item) !== undefined;
  }

  /**
   * (b) Chromium: a hub `/resolve/` download waits at its filename step until checked; `release`
   * lets it complete. Not allowed → it stays held while the warning page asks the user.
   */
  async onHold(item: DownloadItemLike, release: () => void): Promise<void> {
    this.held.add(item.id);
    const url = this.judgedUrl(item);
    if (url === undefined || this.consumeAllowed(item.url)) return release();
    const { commitUrl, ...check } = await this.safeCheck(url);
    if (check.allow && commitUrl && (await this.verifiedInstead({ ...check, commitUrl }))) {
      // The browser's copy would be unhashed bytes: drop it, the verified download replaces it.
      await this.deps.downloads.cancel(item.id).catch(() => undefined);
      return release();
    }
    if (check.allow && commitUrl) {
      if (bare(url) === bare(commitUrl)) return release();
      // Allowed, but fetched by a branch (or alias) URL: drop it and fetch the verified commit's file.
      await this.deps.downloads.cancel(item.id).catch(() => undefined);
      release();
      this.markAllowed(commitUrl);
      await this.deps.downloads.download({ url: commitUrl }).catch(() => undefined);
      return;
    }
    if (this.tooManyWarnings(url)) {
      await this.deps.downloads.cancel(item.id).catch(() => undefined);
      return release();
    }
    const requestId = await this.addPending({ url, check: { ...check, allow: false }, source: 'browser' }, item.id, undefined, commitUrl);
    this.releases.set(requestId, release);
    this.noteWarningTab(requestId, await this.deps.openWarning(requestId));
  }

  /** (b) Any download (browsers without a filename step). Hub `/resolve/` downloads are paused until checked. */
  async onCreated(item: DownloadItemLike): Promise<void> {
    const url = this.judgedUrl(item);
    if (url === undefined) return;
    if (this.holdMode) {
      // The filename step normally takes it; when something else names the file (automation,
      // enterprise policy) that step never comes, so fall back to pausing.
      await new Promise((r) => setTimeout(r, HOLD_GRACE_MS));
      if (this.held.has(item.id)) return;
    }
    if (this.consumeAllowed(item.url)) return;
    let paused = true;
    try {
      await this.deps.downloads.pause(item.id);
    } catch {
      paused = false;
    }
    const { commitUrl, ...check } = await this.safeCheck(url);
    if (check.allow && commitUrl && (await this.verifiedInstead({ ...check, commitUrl }))) {
      await this.deps.downloads.cancel(item.id).catch(() => undefined);
      return;
    }
    if (check.allow && commitUrl) {
      if (bare(url) === bare(commitUrl)) {
        if (paused) await this.deps.downloads.resume(item.id).catch(() => undefined);
        return;
      }
      // Allowed by a branch or alias URL: the kept copy must be the verified commit's file.
      await this.deps.downloads.cancel(item.id).catch(() => undefined);
      this.markAllowed(commitUrl);
      await this.deps.downloads.download({ url: commitUrl }).catch(() => undefined);
      return;
    }
    // Not allowed: keep it paused (or cancel it if it could not be paused) and ask the user.
    if (this.tooManyWarnings(url)) {
      // A repeat of a download already being asked about, or a flood: cancelled, not asked again.
      await this.deps.downloads.cancel(item.id).catch(() => undefined);
      return;
    }
    if (!paused) await this.deps.downloads.cancel(item.id).catch(() => undefined);
    const requestId = await this.addPending({ url, check: { ...check, allow: false }, source: 'browser' }, paused ? item.id : undefined, !paused, commitUrl);
    this.noteWarningTab(requestId, await this.deps.openWarning(requestId));
  }

  get(requestId: string): PendingDownload | undefined {
    const p = this.pending.get(requestId);
    if (!p) return undefined;
    return { requestId: p.requestId, url: p.url, check: p.check, source: p.source };
  }

  async load(requestId: string): Promise<PendingDownload | undefined> {
    if (!this.pending.has(requestId) && this.deps.session) {
      const key = `dl:${requestId}`;
      const saved = (await this.deps.session.get(key))[key] as Pending | undefined;
      if (saved) this.pending.set(requestId, saved);
    }
    return this.get(requestId);
  }

  /** The user's answer on the warning page. */
  async decide(requestId: string, proceed: boolean): Promise<boolean> {
    await this.load(requestId);
    const p = this.pending.get(requestId);
    if (!p) return false;
    this.pending.delete(requestId);
    void this.deps.session?.remove(`dl:${requestId}`).catch(() => undefined);
    const release = this.releases.get(requestId);
    this.releases.delete(requestId);
    const swap = proceed && p.commitUrl !== undefined && bare(p.url) !== bare(p.commitUrl);
    if (p.downloadId !== undefined && swap) {
      // "Download anyway" of a download held by a branch URL: the warning described the file at the
      // checked commit, and the branch may have moved since; fetch that file instead (below).
      await this.deps.downloads.cancel(p.downloadId).catch(() => undefined);
      release?.();
    } else if (p.downloadId !== undefined) {
      if (proceed) {
        if (release) release();
        else await this.deps.downloads.resume(p.downloadId).catch(() => undefined);
      } else {
        await this.deps.downloads.cancel(p.downloadId).catch(() => undefined);
        release?.(); // the cancelled download no longer needs its name
      }
      return true;
    }
    if (proceed) {
      // What the warning described is the file at the checked commit, so that is what is fetched.
      const url = p.commitUrl ?? p.url;
      this.markAllowed(url);
      await this.deps.downloads.download({ url });
    }
    return true;
  }

  /** True when a verified download replaces this one (never throws: a failure falls back to the old path). */
  private async verifiedInstead(check: GuardCheck): Promise<boolean> {
    if (!this.deps.startVerified) return false;
    try {
      return await this.deps.startVerified(check);
    } catch {
      return false;
    }
  }

  /** A warning tab closed without an answer means Cancel, the default. */
  async onTabClosed(tabId: number): Promise<void> {
    for (const [id, p] of this.pending) if (p.warningTabId === tabId) await this.decide(id, false);
  }

  private noteWarningTab(requestId: string, tabId: number | undefined): void {
    const p = this.pending.get(requestId);
    if (p && tabId !== undefined) p.warningTabId = tabId;
  }

  /** A warning for this file is already open (the user is being asked), by its bare URL. */
  private openRequestFor(url: string): string | undefined {
    const b = bare(url);
    for (const [id, p] of this.pending) if (bare(p.url) === b) return id;
    return undefined;
  }

  /** True when no new warning should open: one is open for this file, or many opened just now. */
  private tooManyWarnings(url: string): boolean {
    if (this.openRequestFor(url) !== undefined) return true;
    const since = Date.now() - FLOOD_WINDOW_MS;
    let recent = 0;
    for (const p of this.pending.values()) if ((p.openedAt ?? 0) >= since) recent++;
    return recent >= MAX_RECENT_WARNINGS;
  }

  private async safeCheck(url: string): Promise<GuardCheck> {
    try {
      const c = await this.deps.checkUrl(url);
      if (c) return c;
    } catch {
      // fall through: fail closed
    }
    // Whatever went wrong (its message may quote the URL), the user is told only that it failed.
    return { allow: false, verdict: unverifiableForError(new ModelSealError('INTERNAL_ERROR', 'could not check this download'), { checkedAt: Date.now() }) };
  }

  private async addPending(p: Omit<PendingDownload, 'requestId'>, downloadId?: number, cancelled?: boolean, commitUrl?: string): Promise<string> {
    const requestId = this.deps.newId ? this.deps.newId() : crypto.randomUUID();
    const entry: Pending = { ...p, requestId, downloadId, cancelled, commitUrl, openedAt: Date.now() };
    this.pending.set(requestId, entry);
    await this.deps.session?.set({ [`dl:${requestId}`]: entry }).catch(() => undefined);
    return requestId;
  }

  private markAllowed(url: string): void {
    const now = Date.now();
    // Forget passes that were never used (the download failed to start) so the map stays small.
    for (const [u, until] of this.allowOnce) if (until < now) this.allowOnce.delete(u);
    this.allowOnce.set(url, now + ONE_SHOT_MS);
  }

  private consumeAllowed(url: string): boolean {
    const until = this.allowOnce.get(url);
    if (until === undefined) return false;
    this.allowOnce.delete(url);
    return until >= Date.now();
  }
}
