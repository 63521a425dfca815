/**
 * A Hub API server on loopback for the CLI tests and the download bench: the fixture hub's own
 * handler (test/fixture-hub/hub.mjs: revision, repo info, paginated tree from the factory's
 * hubTree) answers the API, and this file serves `/resolve/` itself, because that is where the
 * attacks and faults live: a lying hub (other bytes for a signed file), truncated bodies, slow and
 * stalled bodies, 429 / 503 answers, servers that ignore Range, and a redirect to a second origin
 * (the "CDN") so tests can see which origin received the token.
 */
import { createServer } from 'node:http';
import { createHubHandler } from '../fixture-hub/hub.mjs';

/** No faults: an honest hub. */
export function noFaults() {
  return { lie: {}, truncate: {}, stall: {}, ignoreRange: false, rateLimit: 0, unavailable: 0, cdn: false };
}

function listen(server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`)));
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The file a `/resolve/` URL names, with its commit, or undefined. */
function findFile(repos, pathname) {
  const parts = pathname.split('/').slice(1).map(decodeURIComponent);
  const kind = parts[0] === 'datasets' ? 'dataset' : 'model';
  const p = kind === 'dataset' ? parts.slice(1) : parts;
  if (p[2] !== 'resolve') return undefined;
  const r = repos.find((x) => x.kind === kind && x.id === `${p[0]}/${p[1]}`);
  if (!r) return undefined;
  const rev = p[3];
  const commit = r.commits.has(rev) ? rev : r.branches.get(rev);
  if (!commit) return undefined;
  const path = p.slice(4).join('/');
  const f = r.commits.get(commit)?.files.find((x) => x.path === path);
  return f ? { commit, path, bytes: f.bytes, lfs: f.lfs } : undefined;
}

/**
 * Starts the hub and its CDN on loopback; `faults` and `seen` are live (tests change and read them).
 * `opts.trees`: commit → tree listing served as is (the bench's gigabyte of weights would take the
 * factory's pure-JS hashing a minute to list).
 */
export async function startLoopbackHub(repos, opts = {}) {
  const handler = createHubHandler(repos);
  const faults = noFaults();
  const seen = [];
  let endpoint = '';
  let cdnOrigin = '';

  /** Serves bytes with Range support and the configured faults. */
  async function serveBytes(req, res, path, real, headers) {
    const body = Buffer.from(faults.lie[path] ?? real);
    let start = 0;
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (m && !faults.ignoreRange) {
      start = Number(m[1]);
      if (start >= body.length) {
        res.writeHead(416, { 'Content-Range': `bytes */${body.length}` }).end();
        return;
      }
      res.writeHead(206, { ...headers, 'Content-Length': String(body.length - start), 'Content-Range': `bytes ${start}-${body.length - 1}/${body.length}`, 'Accept-Ranges': 'bytes' });
    } else {
      res.writeHead(200, { ...headers, 'Content-Length': String(body.length), 'Accept-Ranges': 'bytes' });
    }
    const cut = faults.truncate[path];
    const stall = faults.stall[path];
    let end = body.length;
    if (cut !== undefined) end = Math.min(end, Math.max(start, cut));
    if (stall !== undefined) end = Math.min(end, Math.max(start, stall));
    const chunk = faults.slow?.chunk ?? 256 * 1024;
    for (let at = start; at < end; at += chunk) {
      const piece = body.subarray(at, Math.min(end, at + chunk));
      if (!res.write(piece)) await new Promise((r) => res.once('drain', r));
      if (faults.slow) await sleep(faults.slow.delayMs);
      if (res.destroyed) return;
    }
    if (cut !== undefined && cut < body.length) {
      // Let the sent bytes reach the client, then cut the connection mid-body.
      await sleep(50);
      res.socket?.destroy();
      return;
    }
    if (stall !== undefined && stall < body.length) return; // never ends; the client must time out
    res.end();
  }

  const hub = createServer((req, res) => {
    const url = new URL(req.url ?? '/', endpoint);
    seen.push({ server: 'hub', path: url.pathname, ...(req.headers.range ? { range: req.headers.range } : {}), ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    const file = findFile(repos, url.pathname);
    if (file) {
      const headers = { 'Content-Type': 'application/octet-stream', 'X-Repo-Commit': file.commit };
      if (file.lfs && faults.rateLimit > 0) {
        faults.rateLimit--;
        res.writeHead(429, { 'Retry-After': '1' }).end('Too Many Requests');
        return;
      }
      if (file.lfs && faults.unavailable > 0) {
        faults.unavailable--;
        res.writeHead(503).end('Service Unavailable');
        return;
      }
      if (file.lfs && faults.cdn) {
        res.writeHead(302, { ...headers, Location: `${cdnOrigin}/blobs/${file.commit}/${encodeURIComponent(file.path)}` }).end();
        return;
      }
      void serveBytes(req, res, file.path, file.bytes, headers);
      return;
    }
    const tree = /^\/api\/(?:models|datasets)\/[^/]+\/[^/]+\/tree\/([0-9a-f]{40})$/.exec(url.pathname);
    if (tree && opts.trees?.[tree[1]]) {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(opts.trees[tree[1]]));
      return;
    }
    // Everything else is the fixture hub: a Playwright-style route over this request.
    const auth = req.headers.authorization;
    const headers = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    if (faults.token && auth === `Bearer ${faults.token}`) headers.cookie = 'fixture_session=signed-in';
    const request = { url: () => url.href, method: () => req.method ?? 'GET', headers: () => headers, allHeaders: async () => headers, serviceWorker: () => null };
    void handler.handle({
      request: () => request,
      fulfill: async ({ status = 200, headers: h = {}, contentType, body = '' }) => {
        res.writeHead(status, { ...h, ...(contentType ? { 'Content-Type': contentType } : {}) });
        res.end(body);
      },
    });
  });

  const cdn = createServer((req, res) => {
    const url = new URL(req.url ?? '/', cdnOrigin);
    seen.push({ server: 'cdn', path: url.pathname, ...(req.headers.range ? { range: req.headers.range } : {}), ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    const m = /^\/blobs\/([0-9a-f]{40})\/(.+)$/.exec(url.pathname);
    const r = m ? repos.find((x) => x.commits.has(m[1])) : undefined;
    const path = m ? decodeURIComponent(m[2]) : '';
    const f = r?.commits.get(m?.[1])?.files.find((x) => x.path === path);
    if (!f) {
      res.writeHead(404).end();
      return;
    }
    void serveBytes(req, res, path, f.bytes, { 'Content-Type': 'application/octet-stream' });
  });

  endpoint = await listen(hub);
  cdnOrigin = await listen(cdn);
  return {
    endpoint,
    cdnOrigin,
    faults,
    seen,
    close: () =>
      new Promise((resolve) => {
        hub.closeAllConnections();
        cdn.closeAllConnections();
        hub.close(() => cdn.close(() => resolve()));
      }),
  };
}
