// The fixture hub: answers https://huggingface.co/** for pages, the API (revision, paginated tree,
// resolve) and the special behaviours (401 gated, 429 rate limits, 307 renames), through Playwright's
// `context.route`, which also sees the extension service worker's requests. Nothing leaves the machine.
import { treeListing } from './repo.mjs';
import { repoPage, notFoundPage } from './pages.mjs';
import { listed, listingAnswer, listingPage } from './listing-pages.mjs';
import { historyAnswer } from './history-api.mjs';

export const HUB = 'https://huggingface.co';
const TREE_PAGE = 1000;
export const SESSION_COOKIE = { name: 'fixture_session', value: 'signed-in', domain: 'huggingface.co', path: '/', secure: true, httpOnly: true, sameSite: 'Lax' };

/** Other bytes of the same length (every byte flipped): what a lying hub or mirror serves. */
/** Every byte from `from` on flipped (0: the whole file). */
function lieAbout(bytes, from = 0) {
  return Buffer.from(bytes.map((b, i) => (i >= from ? b ^ 0xff : b)));
}

function json(route, status, body, headers = {}) {
  return route.fulfill({ status, contentType: 'application/json', headers, body: JSON.stringify(body) });
}

function hubError(route, status, code, message) {
  return route.fulfill({ status, contentType: 'application/json', headers: { 'X-Error-Code': code, 'X-Error-Message': message }, body: JSON.stringify({ error: message }) });
}

/**
 * The hub's request handler over Playwright-style routes ({ request(), fulfill() }). `repos` come
 * from scenarios.mjs. Returns the handler and counters (requests by kind and repo, and a log).
 */
export function createHubHandler(repos, { log = false, onSignIn, listingScript } = {}) {
  const byId = new Map();
  const renames = new Map();
  for (const r of repos) {
    byId.set(`${r.kind}:${r.id}`, r);
    if (r.renamedFrom) renames.set(`${r.kind}:${r.renamedFrom}`, r);
  }
  // resolveRequests: every file request with its Range header and whether the session cookie came.
  const stats = { api: 0, pages: 0, resolve: 0, byRepo: new Map(), requests: [], resolveRequests: [] };
  // One tree listing per commit, built on first use (a commit's file array never changes).
  const listings = new WeakMap();
  const listingOf = (files) => {
    let l = listings.get(files);
    if (!l) {
      const items = treeListing(files);
      l = { items, byPath: new Map(items.map((i) => [i.path, i])) };
      listings.set(files, l);
    }
    return l;
  };
  const rateLimited = new Map();
  const count = (id, kind) => {
    const s = stats.byRepo.get(id) ?? { api: 0, pages: 0, resolve: 0 };
    s[kind]++;
    stats[kind]++;
    stats.byRepo.set(id, s);
  };

  const findRevision = (r, rev) => {
    if (/^[0-9a-f]{40}$/.test(rev) && r.commits.has(rev)) return rev;
    return r.branches.get(rev);
  };

  // Playwright hands us service-worker requests before the cookie jar is applied, so the worker's
  // credentialed requests carry no visible cookie here: after signIn() the hub treats the session as
  // signed in for them (pages still need the real cookie).
  let sessionActive = false;
  async function signedIn(request) {
    if (sessionActive && request.serviceWorker()) return true;
    const headers = await request.allHeaders().catch(() => request.headers());
    return (headers.cookie ?? '').split(/;\s*/).includes(`${SESSION_COOKIE.name}=${SESSION_COOKIE.value}`);
  }

  async function handle(route, rewrittenPath) {
    const request = route.request();
    const url = new URL(request.url());
    if (rewrittenPath) url.pathname = rewrittenPath;
    if (log) console.log(`[hub] ${request.method()} ${url.pathname}${url.search}`);
    stats.requests.push(`${request.method()} ${url.pathname}${url.search}`);
    const parts = url.pathname.split('/').slice(1).map(decodeURIComponent);

    // Listing API: /api/{models|datasets}?author=…&search=…&limit=…&expand[]=siblings&expand[]=sha
    if (parts[0] === 'api' && (parts[1] === 'models' || parts[1] === 'datasets') && parts.length === 2) {
      stats.api++;
      stats.listing = (stats.listing ?? 0) + 1;
      const q = url.searchParams;
      const found = listed(repos, { kind: parts[1] === 'datasets' ? 'dataset' : 'model', author: q.get('author') ?? undefined, search: q.get('search') ?? undefined, limit: Math.min(1000, Number(q.get('limit') ?? '1000') || 1000) });
      return json(route, 200, listingAnswer(found));
    }
    // Listing pages: /{owner} (organisation or user) and /models?author=…&search=…
    if (parts.length === 1 && parts[0] && (parts[0] === 'models' || parts[0] === 'datasets' || repos.some((r) => r.id.split('/')[0] === parts[0]))) {
      stats.pages++;
      const kind = parts[0] === 'datasets' ? 'dataset' : 'model';
      const q = url.searchParams;
      const query = parts[0] === 'models' || parts[0] === 'datasets' ? { kind, author: q.get('author') ?? undefined, search: q.get('search') ?? undefined } : { kind, author: parts[0] };
      const entries = listed(repos, query);
      return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: listingPage({ title: query.author ?? query.search ?? 'Models', entries, kind, script: listingScript ?? '' }) });
    }

    // API: /api/{models|datasets}/{owner}/{name}/{revision|tree}/{rev}[/path]
    if (parts[0] === 'api' && (parts[1] === 'models' || parts[1] === 'datasets')) {
      const kind = parts[1] === 'datasets' ? 'dataset' : 'model';
      const id = `${parts[2]}/${parts[3]}`;
      const [, , , , op, rev, ...rest] = parts;
      const renamed = renames.get(`${kind}:${id}`);
      if (renamed && request.serviceWorker()) {
        // Playwright does not intercept the follow-up hop of a service worker's redirected fetch
        // (it would go to the real network), so the worker gets what fetch returns after following
        // the 307: the new repo's answer, whose `id` names the new repo.
        count(id, 'api');
        stats.redirectsServedAsFinal = (stats.redirectsServedAsFinal ?? 0) + 1;
        return handle(route, `/api/${parts[1]}/${renamed.id}/${parts.slice(4).map(encodeURIComponent).join('/')}`);
      }
      if (renamed) {
        count(id, 'api');
        const location = `/api/${parts[1]}/${renamed.id}/${parts.slice(4).map(encodeURIComponent).join('/')}${url.search}`;
        return route.fulfill({ status: 307, headers: { Location: location }, body: `Temporary Redirect. Redirecting to ${location}` });
      }
      const r = byId.get(`${kind}:${id}`);
      count(id, 'api');
      if (!r) return hubError(route, 401, 'RepoNotFound', 'Repository not found');
      if (r.gated && !(await signedIn(request))) return hubError(route, 401, 'GatedRepo', `Access to model ${id} is restricted. You must be authenticated to access it.`);
      if (r.rateLimitFirst) {
        const seen = rateLimited.get(id) ?? 0;
        if (seen < r.rateLimitFirst) {
          rateLimited.set(id, seen + 1);
          return route.fulfill({ status: 429, headers: { RateLimit: '"api";r=0;t=1', 'RateLimit-Policy': '"fixed window";"api";q=500;w=300' }, body: 'Too Many Requests' });
        }
      }
      if (op === undefined || op === '') {
        // Repo info (GET /api/models/{repo}): `sha` is the default branch head, whatever its name.
        const head = r.branches.get(r.defaultBranch ?? 'main');
        if (!head) return hubError(route, 404, 'RevisionNotFound', 'Invalid rev id: default branch');
        return json(route, 200, {
          _id: id,
          id: r.id,
          private: false,
          gated: r.gated ? 'manual' : false,
          sha: head,
          lastModified: '2026-01-01T00:00:00.000Z',
          siblings: r.commits.get(head).files.map((f) => ({ rfilename: f.path })),
          ...(r.cardData ? { cardData: r.cardData } : {}),
        });
      }
      const commit = rev === undefined ? undefined : findRevision(r, rev);
      if (!commit) return hubError(route, 404, 'RevisionNotFound', `Invalid rev id: ${rev}`);
      const files = r.commits.get(commit).files;
      if (op === 'revision') {
        return json(route, 200, {
          _id: id,
          id: r.id,
          private: false,
          gated: r.gated ? 'manual' : false,
          sha: commit,
          lastModified: '2026-01-01T00:00:00.000Z',
          siblings: files.map((f) => ({ rfilename: f.path })),
          ...(r.cardData ? { cardData: r.cardData } : {}),
        });
      }
      if (op === 'tree') {
        const dir = rest.join('/');
        const recursive = url.searchParams.get('recursive') === 'true';
        const inDir = listingOf(files).items.filter((i) => (dir ? i.path.startsWith(`${dir}/`) : true)).filter((i) => recursive || !i.path.slice(dir ? dir.length + 1 : 0).includes('/'));
        const cursor = Number(url.searchParams.get('cursor') ?? '0');
        const page = inDir.slice(cursor, cursor + TREE_PAGE);
        const headers = {};
        if (cursor + TREE_PAGE < inDir.length) {
          const next = new URL(url);
          next.searchParams.set('cursor', String(cursor + TREE_PAGE));
          headers.Link = `<${next.href}>; rel="next"`;
        }
        return json(route, 200, page, headers);
      }
      // Signing history: paths-info with lastCommit, and the commit list (history-api.mjs).
      const history = historyAnswer(r, op, commit, request, url, (status, body, headers) => json(route, status, body, headers));
      if (history?.rateLimited) {
        return route.fulfill({ status: 429, headers: { RateLimit: '"api";r=0;t=1', 'RateLimit-Policy': '"fixed window";"api";q=500;w=300' }, body: 'Too Many Requests' });
      }
      if (history) return history;
      return hubError(route, 404, 'EntryNotFound', 'Not found');
    }

    // Pages and files: [/datasets]/{owner}/{name}[/{tree|blob|resolve}/{rev}/{path}]
    const kind = parts[0] === 'datasets' ? 'dataset' : 'model';
    const p = kind === 'dataset' ? parts.slice(1) : parts;
    const id = `${p[0]}/${p[1]}`;
    const r = byId.get(`${kind}:${id}`) ?? renames.get(`${kind}:${id}`);
    if (!r) return route.fulfill({ status: 404, contentType: 'text/html', body: notFoundPage() });
    const [, , section, rev = r.defaultBranch ?? 'main', ...rest] = p;
    const commit = findRevision(r, rev);
    if (!commit) return route.fulfill({ status: 404, contentType: 'text/html', body: notFoundPage('Revision not found') });
    const files = r.commits.get(commit).files;
    if (section === 'resolve') {
      count(r.id, 'resolve');
      const path = rest.join('/');
      const f = files.find((x) => x.path === path);
      if (!f) return hubError(route, 404, 'EntryNotFound', 'Entry not found');
      if (r.gated && !(await signedIn(request))) return hubError(route, 401, 'GatedRepo', 'Access restricted');
      const item = listingOf(files).byPath.get(path);
      // Only LFS files misbehave (the signature and small files the checker fetches stay honest).
      // A lying hub lists the signed digest (the listing is built from f.bytes) but serves other bytes.
      // `honestFirst`: that many LFS downloads are honest first (the checker's), the later ones lie.
      const honestNow = r.lie && f.lfs && (r.honestFirst ?? 0) > 0 && r.honestFirst-- > 0;
      const served = r.lie && f.lfs && !honestNow ? lieAbout(f.bytes, r.lieFrom ?? 0) : f.bytes;
      const headers = { 'X-Repo-Commit': commit, ETag: `"${r.changeEtag && f.lfs ? `${item.lfs?.oid ?? item.oid}-${stats.resolve}` : (item.lfs?.oid ?? item.oid)}"`, 'Accept-Ranges': r.ignoreRange ? 'none' : 'bytes' };
      if (url.searchParams.get('download') === 'true') headers['Content-Disposition'] = `attachment; filename="${path.split('/').pop()}"`;
      const reqHeaders = await request.allHeaders().catch(() => request.headers());
      stats.resolveRequests.push({ path, range: reqHeaders.range, cookie: (reqHeaders.cookie ?? '').includes(SESSION_COOKIE.name) });
      const range = /^bytes=(\d+)-$/.exec(reqHeaders.range ?? '');
      if (range && !r.ignoreRange) {
        const start = Number(range[1]);
        if (start >= served.length) return route.fulfill({ status: 416, headers: { ...headers, 'Content-Range': `bytes */${served.length}` }, body: '' });
        return route.fulfill({ status: 206, contentType: 'application/octet-stream', headers: { ...headers, 'Content-Range': `bytes ${start}-${served.length - 1}/${served.length}` }, body: served.subarray(start) });
      }
      if ((r.truncateFirst ?? 0) > 0 && f.lfs) {
        // The connection drops halfway: the announced length is the whole file, the body half of it.
        r.truncateFirst--;
        return route.fulfill({ status: 200, contentType: 'application/octet-stream', headers: { ...headers, 'Content-Length': String(served.length) }, body: served.subarray(0, Math.floor(served.length / 2)) });
      }
      return route.fulfill({ status: 200, contentType: 'application/octet-stream', headers, body: served });
    }
    count(r.id, 'pages');
    const view = section === 'blob' ? 'blob' : 'home';
    const html = repoPage({ r, rev, commit, files, view, signedIn: await signedIn(request), script: r.pageScript ?? '', bare: Boolean(r.bareLayout) });
    return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
  }

  return {
    handle: (route) =>
      handle(route).catch((e) => {
        console.error('[hub] handler failed', e);
        return route.fulfill({ status: 500, body: 'fixture hub error' }).catch(() => undefined);
      }),
    stats,
    resetStats() {
      stats.api = stats.pages = stats.resolve = 0;
      stats.listing = 0;
      stats.byRepo.clear();
      stats.requests.length = 0;
      stats.resolveRequests.length = 0;
    },
    async signIn() {
      sessionActive = true;
      await onSignIn?.();
    },
    /** Points a branch at another commit of the repo (the owner pushed, or merged a PR). */
    moveBranch(kind, id, branch, label) {
      const r = byId.get(`${kind}:${id}`);
      const sha = r && [...r.commits].find(([, c]) => c.label === label)?.[0];
      if (!sha) throw new Error(`no commit ${label} in ${kind}:${id}`);
      r.branches.set(branch, sha);
    },
  };
}

/** Installs the hub on a Playwright BrowserContext (pages and the extension worker alike). */
export async function installFixtureHub(context, repos, opts = {}) {
  const hub = createHubHandler(repos, { ...opts, onSignIn: () => context.addCookies([SESSION_COOKIE]) });
  await context.route(`${HUB}/**`, hub.handle);
  return hub;
}

/**
 * The same hub as a WHATWG fetch, for Node tests of the worker logic: each call runs the route
 * handler with a request that counts as the extension worker's.
 */
export function hubFetch(hub) {
  return (input, init = {}) =>
    new Promise((resolvePromise) => {
      const url = String(input);
      const headers = Object.fromEntries(new Headers(init.headers ?? {}).entries());
      const request = { url: () => url, method: () => init.method ?? 'GET', headers: () => headers, allHeaders: async () => headers, serviceWorker: () => ({}), postData: () => (typeof init.body === 'string' ? init.body : null) };
      void hub.handle({
        request: () => request,
        fulfill: async ({ status = 200, headers: h = {}, contentType, body = '' }) => {
          const out = new Headers(h);
          if (contentType) out.set('content-type', contentType);
          resolvePromise(new Response(status === 204 || status === 304 ? null : body, { status, headers: out }));
        },
      });
    });
}
