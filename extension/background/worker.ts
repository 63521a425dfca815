/**
 * The worker's logic, free of `browser.*`: everything it touches arrives through `WorkerHost`, so the
 * same code runs in the service worker, the Firefox event page and unit tests.
 */
import type { Verdict } from '../core/verdict.js';
import type { HubAdapter, HubPage } from '../core/hubs/adapter.js';
import { DEFAULT_REVISION } from '../core/hub/revision-check.js';
import { ModelSealError } from '../core/errors.js';
import type { LockInfo, MessageType, PageContext, Reply, Request, Response, TabState } from '../shared/messages.js';
import type { RepoLock } from '../core/trust/types.js';
import { serializeLock } from '../core/lock/parse.js';
import { repoOf, type RepoRef, type RevisionRef } from '../core/repo-ref.js';
import type { TrustStore } from '../core/trust/store.js';
import { validate, type SenderInfo, type Origin } from './validate.js';
import { TabRegistry } from './tabs.js';
import { DownloadGuard, allowDownload, type DownloadsApiLike, type GuardCheck } from './downloads.js';
import type { RevisionChecker } from './revision-checker.js';
import type { SerializedStorage, StorageAreaLike } from './storage.js';
import { SettingsStore, adapterFor, hubAdapters, publishersDirectoryOn } from './settings.js';
import { PublishersStore } from './publishers.js';
import { DiskSignatures } from './disk-check.js';
import type { FetchLike } from '../core/env.js';
import { VerifiedDownloads, type VerifiedSpec } from './verified-downloads.js';
import type { EngineCommand } from '../shared/download-engine.js';
import type { VerifiedDownload } from '../shared/messages.js';
import { isHashAlgorithm } from '../core/hash/types.js';
import type { ShardDigest } from '../core/hash/shard-plan.js';
import { signedShardsOf } from '../core/lock/file-shards.js';
import { pathInScope, scopeCovers } from '../core/hub/signature-locator.js';
import { LogWitness, type CheckedFor } from './log-witness.js';
import { transparencyLogHosts } from '../core/tlog/log-hosts.js';
import { productionTrustedRootJson } from '../core/sigstore/trusted-root.js';
import type { DiskSignatureReply } from '../shared/messages.js';
import { Lineage } from './lineage.js';
import { ListingMarker } from './listing.js';
import type { TrustRootService } from './trust-root.js';
import { SignatureHistory } from './signature-history.js';
import type { SignatureHistoryView } from '../shared/messages.js';
import type { SubtleVerify } from '../core/sigstore/preverify.js';

export interface WorkerHost {
  ownId: string;
  extensionBase: string;
  now: () => number;
  local: SerializedStorage;
  session?: StorageAreaLike;
  /** Revision → Verdict: resolution, commit-keyed cache, verification, trust decision. */
  checker: RevisionChecker;
  trust: TrustStore;
  downloads: DownloadsApiLike;
  /** Opens an extension page in a new tab; resolves to the tab id when the browser gives one. */
  openTab(url: string, openerTabId?: number): Promise<number | undefined>;
  pushToTab(tabId: number, state: TabState): void;
  showTabState(state: TabState): void;
  showAlertCount(n: number): void;
  onHubsChanged?(hubs: string[]): Promise<void>;
  /** A tab's state was dropped (it left the hub): tell open views, reset its toolbar. */
  tabCleared?(tabId: number): void;
  /** Hub requests of the disk check (signature files only); without it the disk check's hub mode is refused. */
  fetch?: FetchLike;
  /** Sigstore trusted root for the disk check; undefined: production. */
  trustedRoot?: unknown;
  /** The TUF-kept trust root (settings show it; the disk check asks it); without it: built-in only. */
  trustRoot?: TrustRootService;
  /** The download engine (offscreen document or, in Firefox, this page): commands go there. */
  engine?: { send(cmd: EngineCommand): Promise<void> };
  /** A verified download changed: tell open downloads pages. */
  pushVerified?(d: VerifiedDownload): void;
  /** Number of queued or running verified downloads (the toolbar badge). */
  showActiveDownloads?(n: number): void;
  /** A verified download's bytes did not match: show the downloads page (the reason and both digests). */
  openDownloadsPage?(): void;
  /** Requests to the transparency logs (online consistency); without it those checks report `network`. */
  logFetch?: FetchLike;
  /** WebCrypto for the signing history's Sigstore checks (the host's `crypto.subtle`). */
  subtle?: SubtleVerify;
  /** A signing history view changed: tell open views. */
  pushHistory?(view: SignatureHistoryView): void;
}

type Handler<T extends MessageType> = (msg: Request<T>, origin: Origin) => Response<T> | Promise<Response<T>>;
type Handlers = { [T in MessageType]: Handler<T> };

export class ModelSealWorker {
  readonly tabs: TabRegistry;
  readonly downloads: DownloadGuard;
  readonly settings: SettingsStore;
  /** The publishers' directory in force (shipped, imported; off when the user says). */
  readonly publishers: PublishersStore;
  readonly disk: DiskSignatures;
  readonly verified: VerifiedDownloads;
  /** Every verified signature's log checkpoints, held against what this browser saw of each log. */
  readonly log: LogWitness;
  readonly lineage: Lineage;
  readonly listing: ListingMarker;
  readonly history: SignatureHistory;
  /** Verifications started (self-test and bench: a warm view starts none). */
  get verifications(): number {
    return this.host.checker.verifications;
  }

  constructor(private readonly host: WorkerHost) {
    this.settings = new SettingsStore(host.local);
    this.publishers = new PublishersStore(host.local, async () => publishersDirectoryOn(await this.settings.get()));
    this.tabs = new TabRegistry(host.session, host.now);
    this.downloads = new DownloadGuard({
      downloads: host.downloads,
      session: host.session,
      isGuardedUrl: (url) => this.isGuardedUrl(url),
      isHubFileUrl: (url) => this.isHubFileUrl(url),
      checkUrl: (url) => this.checkDownloadUrl(url),
      openWarning: (id, opener) => host.openTab(`${host.extensionBase}extension/pages/warning.html?request=${encodeURIComponent(id)}`, opener),
      startVerified: async (check) => {
        if (!host.engine || !check.commitUrl) return false;
        const spec = await this.verifiedSpecOf(check, false);
        if (!spec) return false;
        await this.verified.start(spec);
        return true;
      },
    });
    this.verified = new VerifiedDownloads({
      send: (cmd) => (host.engine ? host.engine.send(cmd) : Promise.reject(new ModelSealError('INTERNAL_ERROR', 'no download engine'))),
      download: (o) => host.downloads.download(o),
      session: host.session,
      now: host.now,
      newId: () => crypto.randomUUID(),
      push: (d) => host.pushVerified?.(d),
      activeChanged: (n) => host.showActiveDownloads?.(n),
      // Only a mismatch opens a tab (it is the warning); network trouble shows in the badge and list.
      failed: (d) => {
        if (d.failure?.code === 'DOWNLOAD_DIGEST_MISMATCH') host.openDownloadsPage?.();
      },
    });
    this.tabs.onChange((s) => {
      host.showTabState(s);
      host.pushToTab(s.tabId, s);
    });
    this.tabs.onClear((tabId) => host.tabCleared?.(tabId));
    this.log = new LogWitness({
      storage: host.local,
      now: host.now,
      ...(host.logFetch ? { fetch: host.logFetch } : {}),
      ...(host.trustedRoot !== undefined ? { trustedRoot: host.trustedRoot } : {}),
      // A log's checkpoint is checked with the key of the root verdicts use now, not the built-in one.
      ...(host.trustedRoot === undefined && host.trustRoot ? { trustRootNow: async () => (await host.trustRoot!.choose()).root } : {}),
      online: () => this.settings.peek().onlineLogChecks !== false,
      equivocation: async (failure, about) => {
        if (!about) return;
        if (await host.trust.logAlert(about, failure)) await this.refreshAlertCount();
      },
    });
    this.listing = new ListingMarker({
      fetch: host.fetch ?? (() => Promise.reject(new ModelSealError('NETWORK_ERROR', 'no network in this worker'))),
      trust: host.trust,
      now: host.now,
      hubs: () => this.settings.peek().hubs,
    });
    this.lineage = new Lineage({ check: (ref) => host.checker.check(ref), trust: host.trust, now: host.now, publishers: () => this.publishers.active() });
    this.history = new SignatureHistory({
      // Only the configured hub of the tab is contacted (the hub client refuses other origins).
      fetch: host.fetch ?? (() => Promise.reject(new ModelSealError('NETWORK_ERROR', 'no network in this worker'))),
      cache: host.local,
      trust: host.trust,
      ...(host.trustedRoot !== undefined ? { trustedRoot: host.trustedRoot } : {}),
      ...(host.trustedRoot === undefined && host.trustRoot ? { trustRoot: () => host.trustRoot!.choose() } : {}),
      ...(host.subtle ? { subtle: host.subtle } : {}),
      push: (view) => host.pushHistory?.(view),
    });
    host.checker.historyForFirstUse = (target) => this.history.firstUse(target);
    this.disk = new DiskSignatures({
      trust: host.trust,
      verdictFor: (ref) => this.verdictFor(ref),
      fetch: host.fetch ?? (() => Promise.reject(new ModelSealError('NETWORK_ERROR', 'no network in this worker'))),
      now: host.now,
      ...(host.trustedRoot !== undefined ? { trustedRoot: host.trustedRoot } : {}),
      ...(host.trustRoot ? { trustRoot: () => host.trustRoot!.choose() } : {}),
    });
  }

  /** A hub the user configured (the disk check names its hub in the message). */
  private configuredHub(hub: string): string {
    if (!this.settings.peek().hubs.includes(hub)) throw new ModelSealError('NOT_FOUND', 'not a configured hub');
    return hub;
  }

  /**
   * tabs.onUpdated: `url` is the tab's URL, undefined when the browser hides it from us (a site we
   * have no host permission for, so not a hub). Leaving the repo page the state is about drops it, so
   * nothing still shows (or answers frames with) the old verdict.
   */
  async tabNavigated(tabId: number, url: string | undefined): Promise<void> {
    await this.settings.get();
    const cur = await this.tabs.get(tabId);
    if (!cur) return;
    if (url === undefined || !this.samePage(cur, url)) this.tabs.clear(tabId);
  }

  /** Whether `url` is a hub page of the repo the tab state is about. */
  private samePage(state: TabState, url: string): boolean {
    const page = this.readUrl((a, hubs) => a.parsePageUrl(url, hubs));
    const c = state.context;
    return !!page && !!c && page.hub === c.hub && page.kind === c.kind && page.repo === c.repo;
  }

  /** A URL as the configured hubs' adapters read it (each for its own hubs); the first reading wins. */
  private readUrl(read: (adapter: HubAdapter, hubs: string[]) => HubPage | null): HubPage | null {
    for (const { adapter, hubs } of hubAdapters(this.settings.peek())) {
      const page = read(adapter, hubs);
      if (page) return page;
    }
    return null;
  }

  isHubUrl(url: string): boolean {
    try {
      return this.settings.peek().hubs.includes(new URL(url).origin);
    } catch {
      return false;
    }
  }

  /** A file URL of a configured hub (aliases and legacy single-name repos included). */
  isHubFileUrl(url: string): boolean {
    return this.readUrl((a, hubs) => a.parseFileUrl(url, hubs)) !== null;
  }

  /** Downloads the guard judges: hub file URLs, and anything from the hub's storage hosts. */
  isGuardedUrl(url: string): boolean {
    if (this.isHubFileUrl(url)) return true;
    try {
      const u = new URL(url);
      return this.settings.peek().hubs.some((hub) => adapterFor(hub).isStorageHost(hub, u.hostname));
    } catch {
      return false;
    }
  }

  /** Entry point for runtime.onMessage. Never throws: every failure is a typed error reply. */
  async handle(raw: unknown, sender: SenderInfo): Promise<Reply<Response<MessageType>>> {
    await this.settings.get();
    const v = validate(raw, sender, this.host.ownId, this.host.extensionBase, (u) => this.isHubUrl(u));
    if (!v.ok) return { ok: false, error: { code: 'REFUSED', message: v.reason } };
    try {
      return { ok: true, value: await this.dispatch(v.msg, v.origin) };
    } catch (e) {
      const code = typeof (e as { code?: unknown })?.code === 'string' ? (e as { code: string }).code : 'INTERNAL_ERROR';
      return { ok: false, error: { code, message: e instanceof Error ? e.message.slice(0, 300) : 'failed' } };
    }
  }

  private async dispatch<T extends MessageType>(msg: Request<T>, origin: Origin): Promise<Response<T>> {
    const handler: Handler<T> = this.handlers[msg.type as T];
    return handler(msg, origin);
  }

  /** One handler per message type, checked against the protocol: a missing one does not compile. */
  private readonly handlers: Handlers = {
    'page/context': (msg, origin) => {
      // The URL comes from the content script because in-page (pushState) navigation does not
      // update the sender URL; validate() has checked it is on the sender's own hub origin, and
      // everything else is derived from it here, never taken from the message.
      if (origin.kind !== 'content') throw new ModelSealError('INTERNAL_ERROR', 'page/context is for content scripts');
      return this.openPage(origin.tabId, msg.context.url);
    },
    'page/left': (_msg, origin) => {
      if (origin.kind === 'content') this.tabs.clear(origin.tabId);
      return null;
    },
    'download/check': (msg, origin) => this.downloads.onClick(msg.url, origin.kind === 'content' ? origin.tabId : -1),
    'tab/verdict': async (msg) => (await this.tabs.get(msg.tabId)) ?? null,
    'frame/verdict': async (msg, origin) => {
      // validate() has checked the frame sits in a hub page of this tab; the state must also be
      // about the repo that page shows (a missed navigation event must not leak an old verdict).
      const s = await this.tabs.get(msg.tabId);
      return s && origin.kind === 'extension-page' && origin.tabUrl && this.samePage(s, origin.tabUrl) ? s : null;
    },
    'download/pending': async (msg) => (await this.downloads.load(msg.requestId)) ?? null,
    'verified/start': async (msg) => {
      const check = await this.checkDownloadUrl(msg.url);
      const spec = check ? await this.verifiedSpecOf(check, msg.anyway === true) : undefined;
      if (!spec) throw new ModelSealError('DOWNLOAD_NOT_SIGNED', msg.anyway ? 'this file has no signed digest to check a download against' : 'this file is not verified: only verified files download verified');
      const d = await this.verified.start(spec);
      // From a warning: the held download is replaced by this one.
      if (msg.requestId) await this.downloads.decide(msg.requestId, false);
      return d;
    },
    'verified/start-revision': async (msg) => {
      const s = await this.tabs.get(msg.tabId);
      const v = s?.verdict;
      const c = s?.context;
      if (!v || !c || !('files' in v) || !v.files) throw new ModelSealError('NOT_FOUND', 'this tab shows no checked revision');
      const started: VerifiedDownload[] = [];
      for (const f of v.files) {
        if (f.status !== 'verified') continue;
        const check = await this.checkDownloadUrl(adapterFor(c.hub).fileUrl(c.hub, c.kind, c.repo, v.subject?.commit ?? '', f.path));
        const spec = check ? await this.verifiedSpecOf(check, false) : undefined;
        if (spec) started.push(await this.verified.start(spec));
      }
      return started;
    },
    'verified/list': () => this.verified.list(),
    'verified/cancel': (msg) => this.verified.cancel(msg.id),
    'verified/retry': (msg) => this.verified.retry(msg.id),
    'verified/clear': () => this.verified.clear(),
    'trust-root/status': () => this.trustRootService().status(),
    // Checks are cached per trust root, so a changed root needs no cache flush here.
    'trust-root/set-online': (msg) => this.trustRootService().setOnline(msg.online),
    'trust-root/update': () => this.trustRootService().update(),
    'history/get': async (msg) => {
      const target = await this.historyTarget(msg.tabId);
      return target ? this.history.get(target, { more: msg.more === true }) : null;
    },
    'download/decision': (msg) => this.downloads.decide(msg.requestId, msg.proceed),
    'settings/get': async () => {
      // k lives in the trust document (it travels with export/import): report that value.
      const s = await this.settings.get();
      const k = (await this.host.trust.snapshot().catch(() => undefined))?.settings?.signersPerRepo;
      const withK = typeof k === 'number' ? { ...s, signersPerRepo: k } : s;
      return { ...withK, logHosts: this.logHosts() };
    },
    'settings/set': async (msg) => {
      if (msg.settings.signersPerRepo !== undefined) await this.host.trust.setSignersPerRepo(msg.settings.signersPerRepo);
      const s = await this.settings.set(msg.settings);
      await this.host.onHubsChanged?.(s.hubs);
      return s;
    },
    'log/consistency': async (msg) => {
      const s = await this.tabs.get(msg.tabId);
      const v = s?.verdict;
      if (!v || !('signature' in v) || !v.signature) return [];
      return this.log.check(v.signature.logEntries, s.context ? this.checkedFor(s.context, v.subject) : undefined);
    },
    'repo/history': async (msg) => (await this.host.trust.repo(repoOf(msg))) ?? null,
    'alerts/list': () => this.host.trust.alerts(),
    'alerts/mark-read': async () => {
      await this.host.trust.markAlertsRead();
      await this.refreshAlertCount();
    },
    'trust/accept-signer': async (msg) => {
      const ref = repoOf(msg);
      // Accepting may replace a key policy: drop remembered key plans before re-checking.
      const plan = await this.policiesChange(() =>
        this.host.trust.acceptSigner(ref, msg.signer, msg.confirmation, {
          ...(msg.policy ? { policy: msg.policy } : {}),
          ...(msg.policyScope !== undefined ? { policyScope: msg.policyScope } : {}),
        }),
      );
      await this.recheckRepo(ref);
      return plan;
    },
    'lock/get': async (msg) => {
      const lock = (await this.host.trust.repo(repoOf(msg)))?.lock;
      return lock ? lockInfo(lock) : null;
    },
    'lock/create': async (msg) => {
      const ref = repoOf(msg);
      // The popup names the commit; whether it may be locked is decided here, from the check itself.
      const { check } = await this.host.checker.check({ ...ref, revision: msg.commit });
      if (check.commit !== msg.commit) throw new ModelSealError('LOCK_INVALID', 'the hub resolved this revision to another commit');
      const lock = await this.host.trust.lockRevision(check);
      await this.recheckRepo(ref);
      return lockInfo(lock);
    },
    'lock/remove': async (msg) => {
      const ref = repoOf(msg);
      await this.host.trust.removeLock(ref);
      await this.recheckRepo(ref);
    },
    'lock/export': async (msg) => {
      const lock = (await this.host.trust.repo(repoOf(msg)))?.lock;
      if (!lock) throw new ModelSealError('LOCK_INVALID', 'this repo has no lock');
      return { fileName: 'modelseal.lock.json', json: serializeLock(lock.document) };
    },
    'trust/accept-preview': (msg) => this.host.trust.previewAccept(repoOf(msg), msg.signer),
    'trust/import-preview': (msg) => this.host.trust.previewImport(msg.json),
    'publishers/get': () => this.publishers.view(),
    'publishers/import-preview': (msg) => this.publishers.preview(msg.json),
    'publishers/import': (msg) => this.publishers.apply(msg.json, msg.previewId, msg.confirmation),
    'publishers/remove-imported': () => this.publishers.removeImported(),
    'trust/snapshot': () => this.host.trust.snapshot(),
    'trust/remove-pin': (msg) => this.host.trust.removePin(repoOf(msg)),
    'trust/export': () => this.host.trust.exportJson(),
    'trust/set-expected': (msg) => this.policiesChange(() => this.host.trust.setExpected({ scope: msg.scope, identity: msg.identity, issuer: msg.issuer })),
    // The store validates the PEM and computes the fingerprint.
    'trust/set-expected-key': (msg) => this.policiesChange(() => this.host.trust.setExpected({ kind: 'key', scope: msg.scope, publicKeyPem: msg.publicKeyPem })),
    'trust/set-expected-ca': (msg) => this.policiesChange(() => this.host.trust.setExpected({ kind: 'certificate', scope: msg.scope, caPems: msg.caPems })),
    'trust/remove-expected': (msg) => this.policiesChange(() => this.host.trust.removeExpected(msg.scope)),
    'disk/signature': async (msg) => this.observeDisk(await this.disk.folder(msg.signature, msg.repo ? { ...repoOf(msg.repo), hub: this.configuredHub(msg.repo.hub) } : undefined)),
    'disk/revision': async (msg) => this.observeDisk(await this.disk.revision({ hub: this.configuredHub(msg.hub), kind: msg.kind, repo: msg.repo, revision: msg.revision })),
    'listing/marks': (msg, origin) => {
      if (origin.kind !== 'content') throw new ModelSealError('INTERNAL_ERROR', 'listing/marks is for content scripts');
      return this.listing.forTab(origin.tabId, msg.url);
    },
    // validate() has checked the frame sits in a hub page of this tab; the marks must be that page's.
    'listing/mark': (msg, origin) => (origin.kind === 'extension-page' ? this.listing.markFor(msg.tabId, origin.tabUrl, msg.kind, msg.repo) : null),
    'lineage/get': (msg) => this.lineage.of({ hub: this.configuredHub(msg.hub), kind: msg.kind, repo: msg.repo, revision: msg.revision ?? DEFAULT_REVISION }),
    // Without a preview id nothing is applied (PREVIEW_MISMATCH): the user must have seen the change.
    'trust/import': (msg) =>
      this.policiesChange(() =>
        this.host.trust.applyImport(msg.json, { mode: msg.mode ?? 'merge', previewId: msg.previewId ?? '', ...(msg.confirmation !== undefined ? { confirmation: msg.confirmation } : {}) }),
      ),
  };

  private trustRootService(): TrustRootService {
    if (!this.host.trustRoot) throw new ModelSealError('INTERNAL_ERROR', 'no trust root service in this worker');
    return this.host.trustRoot;
  }

  /** Runs a change to policies; whatever its outcome, remembered key plans are dropped afterwards. */
  private async policiesChange<R>(change: () => Promise<R>): Promise<R> {
    try {
      return await change();
    } finally {
      this.host.checker.policiesChanged();
    }
  }

  /** A hub page in a tab: checking now, the final verdict when the revision is verified. */
  async openPage(tabId: number, url: string): Promise<TabState | null> {
    const page = this.readUrl((a, hubs) => a.parsePageUrl(url, hubs));
    if (!page) {
      if (tabId >= 0) this.tabs.clear(tabId);
      return null;
    }
    const context: PageContext = { url, hub: page.hub, kind: page.kind, repo: page.repo };
    if (page.revision !== undefined) context.revision = page.revision;
    if (page.path !== undefined) context.path = page.path;
    const gen = this.tabs.begin(tabId, context);
    // No revision in the URL: the default branch, whatever it is called (resolved by the revision checker).
    const ref: RevisionRef = { hub: page.hub, kind: page.kind, repo: page.repo, revision: page.revision ?? DEFAULT_REVISION };
    void this.verdictFor(ref, (p) => this.tabs.progress(tabId, gen, p)).then(async (verdict) => {
      if (this.tabs.finish(tabId, gen, verdict)) await this.refreshAlertCount();
    });
    return (await this.tabs.get(tabId)) ?? null;
  }

  /** Verdict for a revision (see RevisionChecker.verdictFor). Never throws. */
  verdictFor(ref: RevisionRef, onProgress: (t: string | undefined) => void = () => {}): Promise<Verdict> {
    return this.host.checker.verdictFor(ref, onProgress).then((v) => {
      // Every verified signature's log entries meet the witness, whoever asked for the check.
      if ('signature' in v && v.signature) void this.log.check(v.signature.logEntries, this.checkedFor(ref, v.subject));
      return v;
    });
  }

  /** What a log check was made for (the alert names it): the repo as checked, and its commit. */
  private checkedFor(ref: RepoRef, subject: Verdict['subject']): CheckedFor {
    return { hub: ref.hub, kind: ref.kind, repo: subject?.repo ?? ref.repo, ...(subject?.commit ? { commit: subject.commit } : {}) };
  }

  /** A disk check's signature evidence meets the witness too. */
  private observeDisk(reply: DiskSignatureReply): DiskSignatureReply {
    if (reply.kind === 'signed') void this.log.check(reply.evidence.logEntries, reply.repo ? this.checkedFor(reply.repo, reply.repo) : undefined);
    return reply;
  }

  /** Hosts the online log checks contact: the trusted root's logs (the settings name them). */
  private logHosts(): string[] {
    try {
      return transparencyLogHosts(this.host.trustedRoot ?? productionTrustedRootJson());
    } catch {
      return [];
    }
  }

  private async checkDownloadUrl(url: string): Promise<GuardCheck | undefined> {
    const page = this.readUrl((a, hubs) => a.parseFileUrl(url, hubs));
    if (!page || !page.revision || !page.path) {
      if (!this.isGuardedUrl(url)) return undefined;
      // Bytes from the hub's storage with no hub URL we could see (a redirector in between): the
      // file is unknown, so it cannot be verified.
      const failure = { code: 'NOT_FOUND' as const, reason: 'this download comes from the hub\'s storage by way of another site: which repo file it is cannot be told' };
      return { allow: false, verdict: { state: 'unverifiable', checkedAt: this.host.now(), failure } };
    }
    const verdict = await this.verdictFor({ hub: page.hub, kind: page.kind, repo: page.repo, revision: page.revision });
    const file = 'files' in verdict ? verdict.files?.find((f) => f.path === page.path) : undefined;
    const check: GuardCheck = { verdict, allow: allowDownload(verdict, file) };
    if (file) check.file = file;
    // The file at the commit the verdict is about, on the hub itself (not an alias, not http).
    const commit = verdict.subject?.commit;
    if (commit && /^[0-9a-f]{40}$/.test(commit)) {
      const repo = verdict.subject?.repo ?? page.repo;
      check.commitUrl = adapterFor(page.hub).fileUrl(page.hub, page.kind, repo, commit, page.path, { download: true });
      // A file signed by shards: how many, for the warning page (the list itself stays here).
      if (file && file.expected === undefined && 'signature' in verdict) {
        const shards = await this.signedShards({ hub: page.hub, kind: page.kind, repo }, commit, page.path).catch(() => undefined);
        if (shards) check.signedShards = shards.length;
      }
    }
    return check;
  }

  /**
   * What a verified download of a checked file needs: the commit URL and the signed digest of the
   * whole file, or of each shard for a file signed by the `shards` method. Only digests from a
   * signature that verified count; `anyway` (the user's choice on a warning) waives the allow rule,
   * never the digests. Undefined when there is nothing signed to check against.
   */
  private async verifiedSpecOf(check: GuardCheck, anyway: boolean): Promise<VerifiedSpec | undefined> {
    const v = check.verdict;
    const f = check.file;
    const commit = v.subject?.commit;
    if (!check.allow && !anyway) return undefined;
    if (!('signature' in v) || !f || !isHashAlgorithm(f.algorithm) || !check.commitUrl || !commit) return undefined;
    const page = this.readUrl((a, hubs) => a.parseFileUrl(check.commitUrl!, hubs));
    if (!page) return undefined;
    const base = {
      repo: { hub: page.hub, kind: page.kind, repo: page.repo },
      commit,
      path: f.path,
      url: check.commitUrl,
      algorithm: f.algorithm,
      ...(check.allow ? {} : { despiteVerdict: true }),
    };
    if (f.expected !== undefined) return /^[0-9a-f]+$/i.test(f.expected) ? { ...base, expected: f.expected.toLowerCase() } : undefined;
    const shards = await this.signedShards({ hub: page.hub, kind: page.kind, repo: page.repo }, commit, f.path).catch(() => undefined);
    return shards ? { ...base, shards } : undefined;
  }

  /**
   * The shard digests the verified signatures of `commit` give `path` (the checked revision, from the
   * checker's cache): the first covering signature that signs it by shards, repo-wide first.
   * Undefined when none does; throws when one does with ranges that do not tile the file.
   */
  private async signedShards(ref: RepoRef, commit: string, path: string): Promise<ShardDigest[] | undefined> {
    const { check } = await this.host.checker.check({ ...ref, revision: commit });
    if (check.outcome.status !== 'signed' || check.commit !== commit) return undefined;
    for (const sig of check.outcome.signatures ?? []) {
      if (!sig.content || !scopeCovers(sig.scope, path)) continue;
      const shards = signedShardsOf(sig.content, pathInScope(sig.scope, path));
      if (shards) return shards;
    }
    return undefined;
  }

  /** The tab's repo and checked commit, on a configured hub, with the signature files the verdict rests on. */
  private async historyTarget(tabId: number) {
    const s = await this.tabs.get(tabId);
    const c = s?.context;
    const v = s?.verdict;
    const commit = v?.subject?.commit;
    if (!c || !v || v.state === 'checking' || !commit || !/^[0-9a-f]{40}$/.test(commit)) return undefined;
    return { hub: this.configuredHub(c.hub), kind: c.kind, repo: v.subject?.repo ?? c.repo, commit, paths: v.signatureFiles ?? [] };
  }

  private async recheckRepo(ref: RepoRef): Promise<void> {
    for (const s of this.tabs.tabsFor(ref)) if (s.context) await this.openPage(s.tabId, s.context.url);
  }

  async refreshAlertCount(): Promise<void> {
    try {
      this.host.showAlertCount((await this.host.trust.alerts()).unread);
    } catch {
      // The badge is a convenience; the per-tab icon still shows the state.
    }
  }
}

/** A stored lock as the popup shows it. */
function lockInfo(lock: RepoLock): LockInfo {
  const d = lock.document;
  return { hub: d.hub, kind: d.kind, repo: d.repo, commit: d.commit, rootDigest: d.manifest.rootDigest, files: d.files.length, lockedAt: lock.lockedAt, signer: d.signer };
}
