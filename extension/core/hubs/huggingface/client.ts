/**
 * The Hugging Face adapter's HubClient over an injected fetch: revision → commit, recursive tree at a
 * commit (all pages), file bytes at a commit. Only the configured endpoint is addressed; every body is bounded;
 * every failure is one typed ModelSealError; 429 answers are retried with a bounded back-off.
 */
import { ModelSealError } from '../../errors.js';
import type { Clock } from '../../env.js';
import { systemClock } from '../../env.js';
import { isAbort, parseNextLink, readBounded, statusError } from './http.js';
import { hubFileUrl, isHubStorageHost } from './page-url.js';
import { MAX_BASE_MODELS, type HubClient, type HubClientOptions, type HubHistoryClient, type PathChange, type RepoKind, type ResolvedRevision, type TreeFile } from '../adapter.js';

const SHA1 = /^[0-9a-f]{40}$/;
// owner/name, or a legacy single name the hub redirects; never dot segments.
const REPO_ID = /^(?:[A-Za-z0-9_][A-Za-z0-9._-]{0,95}\/)?[A-Za-z0-9_][A-Za-z0-9._-]{0,95}$/;

function assertRepo(repo: string): void {
  if (typeof repo !== 'string' || !REPO_ID.test(repo) || repo.split('/').some((s) => s === '..' || s === '.')) {
    throw new ModelSealError('NOT_FOUND', 'not a hub repo id', { repo: String(repo).slice(0, 200) });
  }
}

/** Repo-relative POSIX path with no empty, '.' or '..' segments (it becomes part of a URL). */
function isSafeRepoPath(path: string): boolean {
  return path.length > 0 && path.length <= MAX_PATH && !path.includes('\\') && path.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}
const SHA256 = /^[0-9a-f]{64}$/;
const MAX_REDIRECTS = 5;
const MAX_PATH = 4096;
/** Paths per paths-info query (signature files of one revision: the locator allows 64). */
const MAX_PATHS_INFO = 100;

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new ModelSealError('NETWORK_ERROR', 'cancelled'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new ModelSealError('NETWORK_ERROR', 'cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Owner-qualified repo ids only: a bare name would resolve to a different namespace on some hubs. */
const QUALIFIED_REPO = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,95}\/[A-Za-z0-9_][A-Za-z0-9._-]{0,95}$/;

/** `cardData.base_model` (a string or a list of strings) → distinct, well-formed repo ids, bounded. */
export function baseModelsOf(cardData: unknown): string[] {
  if (typeof cardData !== 'object' || cardData === null || Array.isArray(cardData)) return [];
  const raw = (cardData as Record<string, unknown>).base_model;
  const list = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw.slice(0, 100) : [];
  const out: string[] = [];
  for (const item of list) {
    if (typeof item !== 'string' || !QUALIFIED_REPO.test(item) || out.includes(item)) continue;
    out.push(item);
    if (out.length === MAX_BASE_MODELS) break;
  }
  return out;
}

function apiPrefix(kind: RepoKind): string {
  return kind === 'dataset' ? '/api/datasets/' : '/api/models/';
}

export class HuggingFaceClient implements HubClient, HubHistoryClient {
  readonly endpoint: string;
  private readonly opts: HubClientOptions;
  private readonly clock: Clock;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Requests sent so far (including retries and redirect hops), for budgets and benchmarks. */
  requestCount = 0;

  constructor(opts: HubClientOptions) {
    const origin = new URL(opts.endpoint ?? 'https://huggingface.co').origin;
    if (!origin.startsWith('https://') && !origin.startsWith('http://')) {
      throw new ModelSealError('INTERNAL_ERROR', 'hub endpoint must be an http(s) origin');
    }
    this.endpoint = origin;
    this.opts = opts;
    this.clock = opts.clock ?? systemClock;
    this.sleep = opts.sleep ?? defaultSleep;
  }

  /** URL of a file at a commit (what the page's download links point at). */
  fileUrl(kind: RepoKind, repo: string, commit: string, path: string): string {
    return hubFileUrl(this.endpoint, kind, repo, commit, path);
  }

  async resolveRevision(kind: RepoKind, repo: string, revision: string): Promise<ResolvedRevision> {
    assertRepo(repo);
    if (typeof revision !== 'string' || revision.length === 0 || revision.length > 256) {
      throw new ModelSealError('NOT_FOUND', 'not a revision', { repo });
    }
    const url = `${this.endpoint}${apiPrefix(kind)}${repo}/revision/${encodeURIComponent(revision)}`;
    const { body, finalUrl } = await this.get(url, async (res, finalUrl) => ({ body: await this.readJson(res, url), finalUrl }));
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ModelSealError('RESPONSE_MALFORMED', 'revision answer is not an object', { url });
    }
    const b = body as Record<string, unknown>;
    const sha = b.sha;
    if (typeof sha !== 'string' || !SHA1.test(sha)) {
      throw new ModelSealError('RESPONSE_MALFORMED', 'revision answer has no commit SHA', { url });
    }
    // The canonical id comes from the answer; the redirect path is the fallback.
    let finalRepo = repo;
    if (typeof b.id === 'string' && /^[A-Za-z0-9_][A-Za-z0-9._-]{0,95}\/[A-Za-z0-9_][A-Za-z0-9._-]{0,95}$/.test(b.id)) {
      finalRepo = b.id;
    } else if (finalUrl !== url) {
      const m = new RegExp(`^${apiPrefix(kind)}([^/]+/[^/]+)/revision/`).exec(new URL(finalUrl).pathname);
      if (m?.[1]) finalRepo = decodeURIComponent(m[1]);
    }
    const out: ResolvedRevision = { commit: sha, repo: finalRepo };
    if (finalRepo !== repo) out.renamedFrom = repo;
    if (b.gated === false || b.gated === 'auto' || b.gated === 'manual') out.gated = b.gated;
    if (typeof b.private === 'boolean') out.private = b.private;
    const bases = baseModelsOf(b.cardData);
    if (bases.length > 0) out.baseModels = bases;
    return out;
  }

  /**
   * The head commit of the repo's default branch, from the repo info endpoint (`GET /api/models/{repo}`,
   * whose `sha` is the default branch head whatever that branch is called). Same answer shape and
   * rename handling as resolveRevision.
   */
  async resolveDefaultHead(kind: RepoKind, repo: string): Promise<ResolvedRevision & { defaultBranch?: string }> {
    assertRepo(repo);
    const url = `${this.endpoint}${apiPrefix(kind)}${repo}`;
    const { body, finalUrl } = await this.get(url, async (res, finalUrl) => ({ body: await this.readJson(res, url), finalUrl }));
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ModelSealError('RESPONSE_MALFORMED', 'repo info answer is not an object', { url });
    }
    const b = body as Record<string, unknown>;
    if (typeof b.sha !== 'string' || !SHA1.test(b.sha)) {
      throw new ModelSealError('RESPONSE_MALFORMED', 'repo info answer has no default branch commit', { url });
    }
    let finalRepo = repo;
    if (typeof b.id === 'string' && /^[A-Za-z0-9_][A-Za-z0-9._-]{0,95}\/[A-Za-z0-9_][A-Za-z0-9._-]{0,95}$/.test(b.id)) {
      finalRepo = b.id;
    } else if (finalUrl !== url) {
      const m = new RegExp(`^${apiPrefix(kind)}([^/]+/[^/]+)/?$`).exec(new URL(finalUrl).pathname);
      if (m?.[1]) finalRepo = decodeURIComponent(m[1]);
    }
    const out: ResolvedRevision & { defaultBranch?: string } = { commit: b.sha, repo: finalRepo };
    if (finalRepo !== repo) out.renamedFrom = repo;
    if (b.gated === false || b.gated === 'auto' || b.gated === 'manual') out.gated = b.gated;
    if (typeof b.private === 'boolean') out.private = b.private;
    // Not in the recorded Hub answers today; taken only when a hub names it, as a plain ref name.
    if (typeof b.defaultBranch === 'string' && /^[A-Za-z0-9._/-]{1,200}$/.test(b.defaultBranch)) out.defaultBranch = b.defaultBranch;
    const bases = baseModelsOf(b.cardData);
    if (bases.length > 0) out.baseModels = bases;
    return out;
  }

  /** Every file in the repo at `commit` (directories dropped), following `Link: rel="next"` pages. */
  async listTree(kind: RepoKind, repo: string, commit: string): Promise<TreeFile[]> {
    assertRepo(repo);
    const maxEntries = this.opts.maxTreeEntries ?? 250_000;
    const files: TreeFile[] = [];
    let seen = 0;
    let url: string | undefined = `${this.endpoint}${apiPrefix(kind)}${repo}/tree/${encodeURIComponent(commit)}?recursive=true`;
    const visited = new Set<string>();
    while (url) {
      if (visited.has(url)) throw new ModelSealError('RESPONSE_MALFORMED', 'tree pagination loops', { url });
      visited.add(url);
      const pageUrl: string = url;
      const { body, next } = await this.get(pageUrl, async (res) => ({
        next: parseNextLink(res.headers.get('link')),
        body: await this.readJson(res, pageUrl),
      }));
      if (!Array.isArray(body)) throw new ModelSealError('RESPONSE_MALFORMED', 'tree page is not a list', { url });
      seen += body.length;
      if (seen > maxEntries) {
        throw new ModelSealError('RESPONSE_TOO_LARGE', `repo has more than ${maxEntries} entries`, { url });
      }
      for (const item of body) {
        const f = parseTreeItem(item, url);
        if (f) files.push(f);
      }
      url = next === undefined ? undefined : this.sameOrigin(next, url);
    }
    return files;
  }

  /** File bytes at a commit, refusing more than `maxBytes`. */
  async fetchFile(kind: RepoKind, repo: string, commit: string, path: string, maxBytes: number): Promise<Uint8Array> {
    assertRepo(repo);
    if (!isSafeRepoPath(path)) throw new ModelSealError('RESPONSE_MALFORMED', 'unsafe file path', { path: path.slice(0, 200) });
    const url = this.fileUrl(kind, repo, commit, path);
    return this.get(
      url,
      (res) => {
        // The hub names the commit it served; anything but the one asked for is not this revision.
        const served = res.headers.get('x-repo-commit');
        if (served && SHA1.test(commit) && served.toLowerCase() !== commit) {
          return Promise.reject(new ModelSealError('RESPONSE_MALFORMED', 'the hub served a file from another commit', { url, served: served.slice(0, 64) }));
        }
        return readBounded(res, maxBytes, url);
      },
      true,
    );
  }

  /**
   * `POST …/paths-info/{revision}` with `expand`: each listed path's last commit. Paths the revision
   * does not have are simply absent from the answer (the hub skips them).
   */
  async lastChanges(kind: RepoKind, repo: string, revision: string, paths: readonly string[]): Promise<Map<string, PathChange>> {
    assertRepo(repo);
    if (paths.length === 0) return new Map();
    if (paths.length > MAX_PATHS_INFO || !paths.every(isSafeRepoPath)) throw new ModelSealError('INTERNAL_ERROR', 'paths-info asks for unsafe or too many paths');
    const url = `${this.endpoint}${apiPrefix(kind)}${repo}/paths-info/${encodeURIComponent(revision)}`;
    const body = await this.get(url, (res) => this.readJson(res, url), false, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ paths, expand: true }),
    });
    if (!Array.isArray(body) || body.length > paths.length) throw new ModelSealError('RESPONSE_MALFORMED', 'paths-info answer is not a list of the paths asked for', { url });
    const wanted = new Set(paths);
    const out = new Map<string, PathChange>();
    for (const item of body) {
      const it = item as Record<string, unknown>;
      if (typeof it !== 'object' || it === null || typeof it.path !== 'string' || !wanted.has(it.path)) {
        throw new ModelSealError('RESPONSE_MALFORMED', 'paths-info answered about a path not asked for', { url });
      }
      if (it.type !== 'file') continue;
      const lc = it.lastCommit as Record<string, unknown> | undefined;
      if (typeof lc !== 'object' || lc === null || typeof lc.id !== 'string' || !SHA1.test(lc.id)) {
        throw new ModelSealError('RESPONSE_MALFORMED', 'paths-info item without its last commit', { url, path: it.path });
      }
      const change: PathChange = { commit: lc.id };
      if (typeof lc.date === 'string' && lc.date.length <= 40 && Number.isFinite(Date.parse(lc.date))) change.date = lc.date;
      if (typeof lc.title === 'string') change.title = lc.title.slice(0, 300);
      out.set(it.path, change);
    }
    return out;
  }

  /** `GET …/commits/{commit}?limit=2`: the commit itself, then the next older one. */
  async parentCommit(kind: RepoKind, repo: string, commit: string): Promise<string | undefined> {
    assertRepo(repo);
    if (!SHA1.test(commit)) throw new ModelSealError('INTERNAL_ERROR', 'parent of something that is not a commit');
    const url = `${this.endpoint}${apiPrefix(kind)}${repo}/commits/${commit}?limit=2`;
    const body = await this.get(url, (res) => this.readJson(res, url));
    if (!Array.isArray(body) || body.length === 0 || body.length > 2) throw new ModelSealError('RESPONSE_MALFORMED', 'commits answer is not a short list', { url });
    const ids = body.map((c) => (typeof c === 'object' && c !== null ? (c as { id?: unknown }).id : undefined));
    if (ids[0] !== commit) throw new ModelSealError('RESPONSE_MALFORMED', 'commits answer does not start at the commit asked for', { url });
    const parent = ids[1];
    if (parent === undefined) return undefined;
    if (typeof parent !== 'string' || !SHA1.test(parent)) throw new ModelSealError('RESPONSE_MALFORMED', 'commits answer has a malformed commit id', { url });
    return parent;
  }

  // --- internals ---------------------------------------------------------------------------------

  private sameOrigin(target: string, base: string): string {
    let u: URL;
    try {
      u = new URL(target, base);
    } catch {
      throw new ModelSealError('RESPONSE_MALFORMED', 'bad link target', { url: base });
    }
    if (u.origin !== this.endpoint) {
      throw new ModelSealError('RESPONSE_MALFORMED', 'hub pointed outside the configured endpoint', { url: base, target: u.origin });
    }
    return u.href;
  }

  private async readJson(res: Response, url: string): Promise<unknown> {
    const bytes = await readBounded(res, this.opts.maxJsonBytes ?? 16 * 1024 * 1024, url);
    try {
      return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch {
      throw new ModelSealError('RESPONSE_MALFORMED', 'hub answer is not valid JSON', { url });
    }
  }

  private async withTimeout<T>(url: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const ctl = new AbortController();
    const outer = this.opts.signal;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ctl.abort();
    }, this.opts.timeoutMs ?? 30_000);
    const onOuter = () => ctl.abort();
    outer?.addEventListener('abort', onOuter, { once: true });
    try {
      if (outer?.aborted) throw new ModelSealError('NETWORK_ERROR', 'cancelled', { url });
      return await fn(ctl.signal);
    } catch (e) {
      if (e instanceof ModelSealError) throw e;
      if (timedOut) throw new ModelSealError('TIMEOUT', 'the hub did not answer in time', { url });
      if (isAbort(e)) throw new ModelSealError('NETWORK_ERROR', 'cancelled', { url });
      throw new ModelSealError('NETWORK_ERROR', 'could not reach the hub', { url, cause: e instanceof Error ? e.message : String(e) });
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuter);
    }
  }

  /**
   * Where a redirect from `base` may lead, checked before anything is sent there: the hub itself,
   * and for file bytes also the hub's own storage hosts over https. Anything else is refused.
   */
  private redirectTarget(target: string, base: string, fileBytes: boolean): string {
    let u: URL;
    try {
      u = new URL(target, base);
    } catch {
      throw new ModelSealError('RESPONSE_MALFORMED', 'bad redirect target', { url: base });
    }
    if (u.origin === this.endpoint) return u.href;
    if (fileBytes && u.protocol === 'https:' && u.port === '' && isHubStorageHost(this.endpoint, u.hostname)) return u.href;
    throw new ModelSealError('RESPONSE_MALFORMED', 'hub pointed outside the configured endpoint', { url: base, target: u.origin, redirect: 'refused' });
  }

  /**
   * One logical GET: redirects followed by hand (each target checked before it is requested), 429
   * retried with back-off, other failures typed. `consume` reads the OK body under the same timeout.
   */
  private async get<T>(
    url: string,
    consume: (res: Response, finalUrl: string) => Promise<T>,
    fileBytes = false,
    send?: { method: 'POST'; headers: Record<string, string>; body: string },
  ): Promise<T> {
    const maxRetries = this.opts.maxRetries ?? 3;
    const maxWait = this.opts.maxRetryWaitSeconds ?? 60;
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.withTimeout(url, async (signal) => {
        let current = url;
        for (let hop = 0; ; hop++) {
          this.requestCount++;
          const target = current;
          // 'manual': a followed redirect would already have sent a request (cookies and all) to
          // wherever the hub pointed before we could look; we decide each hop ourselves.
          // A redirected POST is not replayed: only the hub's own answer to it counts.
          if (send && hop > 0) throw new ModelSealError('RESPONSE_MALFORMED', 'the hub redirected a query', { url });
          const res = await this.opts.fetch(target, {
            method: send ? send.method : 'GET',
            ...(send ? { headers: send.headers, body: send.body } : {}),
            credentials: this.opts.includeCredentials === false ? 'omit' : 'include',
            redirect: 'manual',
            signal,
          });
          if (res.type === 'opaqueredirect') {
            // Browsers hide a manual redirect's Location, so it cannot be checked: refuse rather
            // than follow blind. (A renamed repo's page is redirected by the hub itself, and the
            // page URL then names the new repo.)
            throw new ModelSealError('RESPONSE_MALFORMED', 'the hub answered with a redirect whose target the browser hides; not followed', { url: target, redirect: 'hidden' });
          }
          if (res.redirected && res.url) {
            // A host fetch that followed anyway (ignoring 'manual'): never accept an answer from elsewhere.
            current = this.redirectTarget(res.url, target, fileBytes);
          }
          if (res.status >= 300 && res.status < 400 && res.status !== 304) {
            const loc = res.headers.get('location');
            await res.body?.cancel().catch(() => undefined);
            if (!loc) throw new ModelSealError('RESPONSE_MALFORMED', 'redirect without a location', { url: target });
            if (hop >= MAX_REDIRECTS) throw new ModelSealError('RESPONSE_MALFORMED', 'too many redirects', { url });
            current = this.redirectTarget(loc, target, fileBytes);
            continue;
          }
          if (res.ok) return { ok: true as const, value: await consume(res, current) };
          const err = statusError(res, current, this.clock.now());
          await res.body?.cancel().catch(() => undefined);
          return { ok: false as const, err };
        }
      });
      if (outcome.ok) return outcome.value;
      const err = outcome.err;
      if (err.code !== 'RATE_LIMITED' || attempt >= maxRetries) throw err;
      const named = err.details?.retryAfterSeconds;
      const wait = typeof named === 'number' ? named : (this.opts.defaultRetrySeconds ?? 5) * 2 ** attempt;
      if (wait > maxWait) throw err;
      this.opts.onProgress?.({ kind: 'rate-limited', retryInSeconds: wait, attempt: attempt + 1 });
      await this.sleep(wait * 1000, this.opts.signal);
    }
  }
}

function parseTreeItem(item: unknown, url: string): TreeFile | undefined {
  if (typeof item !== 'object' || item === null) throw new ModelSealError('RESPONSE_MALFORMED', 'bad tree item', { url });
  const it = item as Record<string, unknown>;
  if (it.type === 'directory') return undefined;
  if (it.type !== 'file') throw new ModelSealError('RESPONSE_MALFORMED', 'tree item of unknown type', { url });
  const { path, size } = it;
  if (typeof path !== 'string' || !isSafeRepoPath(path) || typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw new ModelSealError('RESPONSE_MALFORMED', 'tree item without a valid path or size', { url });
  }
  const f: TreeFile = { path, size };
  if (typeof it.oid === 'string') f.oid = it.oid;
  if (it.lfs !== undefined && it.lfs !== null) {
    const l = it.lfs as Record<string, unknown>;
    if (typeof l !== 'object' || typeof l.oid !== 'string' || !SHA256.test(l.oid) || typeof l.size !== 'number') {
      throw new ModelSealError('RESPONSE_MALFORMED', 'tree item with a malformed lfs record', { url, path });
    }
    f.lfs = { sha256: l.oid, size: l.size };
  }
  return f;
}
