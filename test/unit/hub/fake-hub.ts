/**
 * A small in-memory Hub answering the API the client uses, with the response shapes recorded in
 * ../shared/fixtures/hub-api (revision object with `sha`/`id`/`siblings`, tree items with
 * `oid`/`path`/`size`/`type`/`lfs{oid,size,pointerSize}`/`xetHash`, `Link: <…>; rel="next"` pages,
 * 401 + X-Error-Code, 307 rename with Location, 429 with RateLimit headers). Test-only.
 */
import { createHash } from 'node:crypto';

export interface FakeFile {
  bytes: Uint8Array;
  /** Stored in LFS: the tree reports lfs.oid = SHA-256 of the content. */
  lfs?: boolean;
  /** Lie about the LFS SHA-256 (a hub serving other bytes than it lists). */
  lfsOidOverride?: string;
}

export interface FakeRepo {
  kind: 'model' | 'dataset';
  id: string;
  /** ref name → commit SHA */
  refs: Record<string, string>;
  commits: Record<string, Record<string, FakeFile>>;
  gated?: 'auto' | 'manual';
  private?: boolean;
  /** The ref the repo info endpoint reports the head of (default `main`). */
  defaultBranch?: string;
  /** The model card's metadata, served as `cardData` (e.g. `{ base_model: 'org/name' }`). */
  cardData?: Record<string, unknown>;
}

export interface FakeHubOptions {
  origin?: string;
  pageSize?: number;
  /** Follow redirects like a browser fetch (res.redirected/res.url) instead of handing 3xx back. */
  followRedirects?: boolean;
}

const enc = new TextEncoder();

export function gitBlobSha1(bytes: Uint8Array): string {
  return createHash('sha1').update(enc.encode(`blob ${bytes.byteLength}\0`)).update(bytes).digest('hex');
}
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
export function fakeSha(seed: string): string {
  return createHash('sha1').update(seed).digest('hex');
}

export class FakeHub {
  readonly origin: string;
  readonly repos = new Map<string, FakeRepo>();
  readonly renames = new Map<string, string>();
  /** Every URL requested, in order. */
  readonly log: string[] = [];
  /** Answer the next N requests with 429. */
  rateLimitNext = 0;
  rateLimitHeaders: Record<string, string> = { RateLimit: '"api";r=0;t=2', 'RateLimit-Policy': '"fixed window";"api";q=500;w=300' };
  /** Cookies present (signed-in browser session). */
  signedIn = false;
  /** Per-URL overrides for failure injection. */
  readonly overrides = new Map<string, () => Response | Promise<Response>>();
  pageSize: number;
  private readonly follow: boolean;

  constructor(opts: FakeHubOptions = {}) {
    this.origin = opts.origin ?? 'https://huggingface.co';
    this.pageSize = opts.pageSize ?? 1000;
    this.follow = opts.followRedirects ?? false;
  }

  add(repo: FakeRepo): this {
    this.repos.set(`${repo.kind}:${repo.id}`, repo);
    return this;
  }

  readonly fetch = async (input: string, init?: RequestInit): Promise<Response> => {
    let res = await this.answer(input, init);
    let url = input;
    if (this.follow) {
      for (let i = 0; i < 10 && res.status >= 300 && res.status < 400; i++) {
        url = new URL(res.headers.get('location') ?? '', url).href;
        res = await this.answer(url, init);
        Object.defineProperty(res, 'redirected', { value: true });
        Object.defineProperty(res, 'url', { value: url });
      }
    }
    return res;
  };

  private async answer(input: string, init?: RequestInit): Promise<Response> {
    this.log.push(input);
    const u = new URL(input);
    if (u.origin !== this.origin) return new Response('wrong host', { status: 599 });
    const override = this.overrides.get(input);
    if (override) return override();
    if (this.rateLimitNext > 0) {
      this.rateLimitNext--;
      return new Response('rate limited', { status: 429, headers: this.rateLimitHeaders });
    }
    const cookies = init?.credentials === 'include' && this.signedIn;
    const p = u.pathname;

    // Repo info: the default branch head's `sha` (GET /api/models/{repo}, as recorded in hub-api).
    let m = /^\/api\/(models|datasets)\/([^/]+\/[^/]+)\/?$/.exec(p);
    if (m) {
      const kind = m[1] === 'datasets' ? 'dataset' : 'model';
      const id = m[2]!;
      const renamed = this.renames.get(`${kind}:${id}`);
      if (renamed) return new Response('redirect', { status: 307, headers: { Location: `${p.replace(id, renamed)}${u.search}` } });
      const repo = this.repos.get(`${kind}:${id}`);
      if (!repo || (repo.private && !cookies)) return this.error(401, 'RepoNotFound', 'Repository not found');
      if (repo.gated && !cookies) return this.error(401, 'GatedRepo', 'Access to model is restricted');
      const sha = repo.refs[repo.defaultBranch ?? 'main'];
      if (!sha || !repo.commits[sha]) return this.error(404, 'RevisionNotFound', 'Invalid rev id');
      return this.json(revisionAnswer(repo, sha));
    }

    m = /^\/api\/(models|datasets)\/([^/]+\/[^/]+)\/(revision|tree)\/([^/]+)\/?$/.exec(p);
    if (m) {
      const kind = m[1] === 'datasets' ? 'dataset' : 'model';
      const id = m[2]!;
      const renamed = this.renames.get(`${kind}:${id}`);
      if (renamed) {
        return new Response('redirect', {
          status: 307,
          headers: { Location: `${p.replace(id, renamed)}${u.search}`, 'Content-Type': 'text/plain; charset=utf-8' },
        });
      }
      const repo = this.repos.get(`${kind}:${id}`);
      if (!repo || (repo.private && !cookies)) return this.error(401, 'RepoNotFound', 'Repository not found');
      if (repo.gated && !cookies) return this.error(401, 'GatedRepo', 'Access to model is restricted');
      const rev = decodeURIComponent(m[4]!);
      const sha = repo.commits[rev] ? rev : repo.refs[rev];
      if (!sha || !repo.commits[sha]) return this.error(404, 'RevisionNotFound', 'Invalid rev id');
      const files = repo.commits[sha];
      if (m[3] === 'revision') {
        return this.json(revisionAnswer(repo, sha));
      }
      const all = Object.entries(files)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([path, f]) => this.treeItem(path, f));
      // Directories appear in recursive listings too; the client must drop them.
      const dirs = [...new Set(Object.keys(files).flatMap((x) => x.split('/').slice(0, -1).map((_, i, a) => a.slice(0, i + 1).join('/'))))];
      const items = [...dirs.map((path) => ({ type: 'directory', oid: fakeSha(path), path, size: 0 })), ...all];
      const cursor = Number(u.searchParams.get('cursor') ?? '0');
      const page = items.slice(cursor, cursor + this.pageSize);
      const headers: Record<string, string> = {};
      if (cursor + this.pageSize < items.length) {
        const next = new URL(u.href);
        next.searchParams.set('cursor', String(cursor + this.pageSize));
        headers.Link = `<${next.href}>; rel="next"`;
      }
      return this.json(page, headers);
    }

    m = /^\/(datasets\/)?([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(p);
    if (m) {
      const kind = m[1] ? 'dataset' : 'model';
      const repo = this.repos.get(`${kind}:${m[2]!}`);
      if (!repo || ((repo.private || repo.gated) && !cookies)) return this.error(401, 'RepoNotFound', 'Repository not found');
      const sha = decodeURIComponent(m[3]!);
      const path = m[4]!.split('/').map(decodeURIComponent).join('/');
      const f = repo.commits[sha]?.[path];
      if (!f) return this.error(404, 'EntryNotFound', 'Entry not found');
      return new Response(f.bytes.slice(), {
        status: 200,
        headers: { 'Content-Length': String(f.bytes.byteLength), 'X-Repo-Commit': sha, ETag: `"${gitBlobSha1(f.bytes)}"` },
      });
    }
    return this.error(404, 'RepoNotFound', 'not found');
  }

  private treeItem(path: string, f: FakeFile): Record<string, unknown> {
    const size = f.bytes.byteLength;
    if (!f.lfs) return { oid: gitBlobSha1(f.bytes), path, size, type: 'file' };
    const oid = f.lfsOidOverride ?? sha256Hex(f.bytes);
    const pointer = `version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize ${size}\n`;
    return {
      lfs: { oid, size, pointerSize: pointer.length },
      xetHash: sha256Hex(enc.encode(`xet:${oid}`)),
      oid: gitBlobSha1(enc.encode(pointer)),
      path,
      size,
      type: 'file',
    };
  }

  private json(body: unknown, headers: Record<string, string> = {}): Response {
    const text = JSON.stringify(body);
    return new Response(text, {
      status: 200,
      headers: { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(enc.encode(text).byteLength), ...headers },
    });
  }

  private error(status: number, code: string, message: string): Response {
    return new Response(JSON.stringify({ error: message }), {
      status,
      headers: { 'Content-Type': 'application/json', 'X-Error-Code': code, 'X-Error-Message': message },
    });
  }
}

/** The revision (and repo info) answer's shape, as in the recorded hub-api responses. */
function revisionAnswer(repo: { id: string; private?: boolean; gated?: false | 'auto' | 'manual'; cardData?: Record<string, unknown>; commits: Record<string, Record<string, unknown>> }, sha: string) {
  return {
    _id: '621ffdc036468d709f174338',
    id: repo.id,
    private: !!repo.private,
    gated: repo.gated ?? false,
    sha,
    lastModified: '2024-02-19T11:06:12.000Z',
    siblings: Object.keys(repo.commits[sha] ?? {}).map((rfilename) => ({ rfilename })),
    ...(repo.cardData ? { cardData: repo.cardData } : {}),
  };
}
