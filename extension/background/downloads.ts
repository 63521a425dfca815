/**
 * The download guard. Two ways in: (a) the content script intercepts a click on a hub download link
 * and asks; (b) `downloads.onCreated` sees a hub `/resolve/` download started any other way (address
 * bar, another site, a script) and pauses it. Either way a download that is not a verified file opens
 * the warning page, and only the user's "Download anyway" lets it through.
 */
import type { DownloadCheck, PendingDownload } from '../shared/messages.js';
import type { Verdict, FileResult } from '../core/verdict.js';
import type { StorageAreaLike } from './storage.js';

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
  download(options: { url: string }): Promise<number>;
}

export interface GuardDeps {
  downloads: DownloadsApiLike;
  /** The verdict for the repo revision a `/resolve/` URL names, and the file it names. */
  checkUrl(url: string): Promise<DownloadCheck | undefined>;
  /** True for `/resolve/` URLs of configured hubs. */
  isGuardedUrl(url: string): boolean;
  /** Opens the warning page; resolves to its tab id when known. */
  openWarning(requestId: string, openerTabId?: number): Promise<number | undefined>;
  session?: StorageAreaLike;
  newId?: () => string;
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

export class DownloadGuard {
  private readonly pending = new Map<string, PendingDownload & { downloadId?: number; cancelled?: boolean; warningTabId?: number }>();
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
  async onClick(url: string, tabId: number): Promise<DownloadCheck & { requestId?: string }> {
    const check = await this.safeCheck(url);
    if (check.allow) {
      this.markAllowed(url);
      await this.deps.downloads.download({ url });
      return check;
    }
    const requestId = await this.addPending({ url, check, source: 'click' });
    this.noteWarningTab(requestId, await this.deps.openWarning(requestId, tabId));
    return { ...check, requestId };
  }

  /**
   * (b) Chromium: a hub `/resolve/` download waits at its filename step until checked; `release`
   * lets it complete. Not allowed → it stays held while the warning page asks the user.
   */
  async onHold(item: DownloadItemLike, release: () => void): Promise<void> {
    this.held.add(item.id);
    const url = item.url;
    if (!this.deps.isGuardedUrl(url) || this.consumeAllowed(url)) return release();
    const check = await this.safeCheck(url);
    if (check.allow) return release();
    const requestId = await this.addPending({ url, check, source: 'browser' }, item.id);
    this.releases.set(requestId, release);
    this.noteWarningTab(requestId, await this.deps.openWarning(requestId));
  }

  /** (b) Any download (browsers without a filename step). Hub `/resolve/` downloads are paused until checked. */
  async onCreated(item: DownloadItemLike): Promise<void> {
    const url = item.url;
    if (!this.deps.isGuardedUrl(url)) return;
    if (this.holdMode) {
      // The filename step normally takes it; when something else names the file (automation,
      // enterprise policy) that step never comes, so fall back to pausing.
      await new Promise((r) => setTimeout(r, HOLD_GRACE_MS));
      if (this.held.has(item.id)) return;
    }
    if (this.consumeAllowed(url)) return;
    let paused = true;
    try {
      await this.deps.downloads.pause(item.id);
    } catch {
      paused = false;
    }
    const check = await this.safeCheck(url);
    if (check.allow) {
      if (paused) await this.deps.downloads.resume(item.id).catch(() => undefined);
      return;
    }
    // Not allowed: keep it paused (or cancel it if it could not be paused) and ask the user.
    if (!paused) await this.deps.downloads.cancel(item.id).catch(() => undefined);
    const requestId = await this.addPending({ url, check, source: 'browser' }, paused ? item.id : undefined, !paused);
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
      const saved = (await this.deps.session.get(key))[key] as (PendingDownload & { downloadId?: number; cancelled?: boolean }) | undefined;
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
    if (p.downloadId !== undefined) {
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
      this.markAllowed(p.url);
      await this.deps.downloads.download({ url: p.url });
    }
    return true;
  }

  /** A warning tab closed without an answer means Cancel, the default. */
  async onTabClosed(tabId: number): Promise<void> {
    for (const [id, p] of this.pending) if (p.warningTabId === tabId) await this.decide(id, false);
  }

  private noteWarningTab(requestId: string, tabId: number | undefined): void {
    const p = this.pending.get(requestId);
    if (p && tabId !== undefined) p.warningTabId = tabId;
  }

  private async safeCheck(url: string): Promise<DownloadCheck> {
    try {
      const c = await this.deps.checkUrl(url);
      if (c) return c;
    } catch {
      // fall through: fail closed
    }
    return {
      allow: false,
      verdict: { state: 'unverifiable', checkedAt: Date.now(), failure: { code: 'INTERNAL_ERROR', reason: 'could not check this download' } },
    };
  }

  private async addPending(p: Omit<PendingDownload, 'requestId'>, downloadId?: number, cancelled?: boolean): Promise<string> {
    const requestId = this.deps.newId ? this.deps.newId() : crypto.randomUUID();
    const entry = { ...p, requestId, downloadId, cancelled };
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
