// The fixture hub's history endpoints, as the Hub serves them (shapes of ../shared/fixtures/hub-api
// commits_*.json and paths_info_*.json): `POST …/paths-info/{rev}` with `expand` gives each path's
// `lastCommit` {id, title, date}, and `GET …/commits/{rev}?limit=N` lists commits newest first. A
// repo's commits are linear in the order they were declared (oldest first); a commit's date is
// `dates[label]` or one day after the previous commit's.

const DAY = 86_400_000;
// After the log times of the real signatures used (2025-10 to 2026-05): a commit is never older than its signature.
const EPOCH = Date.UTC(2026, 5, 1, 12);

/** Commit order, dates and titles of a fixture repo (built once per repo). */
function historyOf(r) {
  if (r._history) return r._history;
  const shas = [...r.commits.keys()];
  const index = new Map(shas.map((s, i) => [s, i]));
  const info = shas.map((sha, i) => {
    const { label } = r.commits.get(sha);
    const date = r.dates?.[label] ?? new Date(EPOCH + i * DAY).toISOString();
    return { id: sha, title: r.titles?.[label] ?? `Commit ${label}`, date };
  });
  r._history = { shas, index, info };
  return r._history;
}

const bytesOf = (r, sha, path) => r.commits.get(sha).files.find((f) => f.path === path)?.bytes;

/** The commit that last changed `path` at or before commit `sha` (undefined: not there). */
export function lastChangeOf(r, sha, path) {
  const h = historyOf(r);
  let i = h.index.get(sha);
  const now = bytesOf(r, sha, path);
  if (now === undefined) return undefined;
  while (i > 0) {
    const before = bytesOf(r, h.shas[i - 1], path);
    if (before === undefined || (before !== now && !before.equals(now))) break;
    i--;
  }
  return h.info[i];
}

/** Counts history requests and answers 429 to the n-th of them (once) when the repo says so. */
function rateLimitedNow(r) {
  r._historyRequests = (r._historyRequests ?? 0) + 1;
  return r.rateLimitHistoryAt !== undefined && r._historyRequests === r.rateLimitHistoryAt;
}

/**
 * Answers `paths-info` and `commits` for a resolved commit; returns undefined for other operations.
 * `respond(status, body, headers)` writes the JSON answer.
 */
export function historyAnswer(r, op, commit, request, url, respond) {
  if (op !== 'paths-info' && op !== 'commits') return undefined;
  if (rateLimitedNow(r)) return { status: 429, rateLimited: true };
  const h = historyOf(r);
  if (op === 'paths-info') {
    if (request.method() !== 'POST') return respond(405, { error: 'POST only' });
    let body;
    try {
      body = JSON.parse(request.postData() ?? '');
    } catch {
      return respond(400, { error: 'bad body' });
    }
    const paths = Array.isArray(body?.paths) ? body.paths.filter((p) => typeof p === 'string') : [];
    const expand = body?.expand === true;
    const items = [];
    for (const path of paths) {
      const f = r.commits.get(commit).files.find((x) => x.path === path);
      if (!f) continue; // unknown paths are skipped, as the Hub does
      const item = { type: 'file', path, size: f.bytes.length };
      if (expand) item.lastCommit = lastChangeOf(r, commit, path);
      items.push(item);
    }
    return respond(200, items);
  }
  const limit = Math.min(1000, Math.max(1, Number(url.searchParams.get('limit') ?? '50') || 50));
  const page = Math.max(0, Number(url.searchParams.get('p') ?? '0') || 0);
  const at = h.index.get(commit);
  const newestFirst = [];
  for (let i = at - page * limit; i >= 0 && newestFirst.length < limit; i--) {
    const c = h.info[i];
    newestFirst.push({ id: c.id, title: c.title, message: '', authors: [{ user: 'fixture' }], date: c.date });
  }
  return respond(200, newestFirst, { 'X-Total-Count': String(at + 1) });
}
