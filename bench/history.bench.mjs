// Signing history (issue 8 §1, §5): the core walk `walkSignatureHistory` (dist/cli/core-lib.js, built
// as the extension ships it) against a mock Hugging Face hub that counts requests, with REAL Sigstore
// verification of real `model.sig` bundles (../shared/fixtures: hf-real and oms-real, production
// trusted root). Prints
//   1. hub requests for the whole history as a function of commits and signature versions (one
//      signature file, its versions spread evenly over a linear history), plus a repeat visit and a
//      visit after one new commit, with the answers cached as the extension caches them;
//   2. time to the full history for 10 and 100 versions, verification included (pages of 50, the
//      default, continued with `next` as "load more" does), with WebCrypto pre-verification (the
//      worker's path), and pure JS for 10 versions. Node's WebCrypto stands in for the worker's here; see
//      bench/sigstore-worker.bench.mjs for the per-bundle figures in the worker itself.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const fixtures = resolve(repoRoot, '../shared/fixtures');
const lib = join(repoRoot, 'dist/cli/core-lib.js');
if (!existsSync(lib)) {
  console.log('history bench: dist/cli/core-lib.js missing, run `npm run build` (or `node scripts/build.mjs cli`) first');
  process.exit(1);
}
if (!existsSync(fixtures)) {
  console.log(`history bench: ${fixtures} not found, nothing to measure`);
  process.exit(0);
}
const { walkSignatureHistory, HuggingFaceClient, verifyUnknownSigner, withPreverifiedSignatures } = await import(lib);

const HUB = 'https://hub.bench';
const REPO = 'publisher/model';
const SIG = 'model.sig';

// Real keyless Sigstore signatures (public-good Fulcio + Rekor), reused in turn for the versions.
const bundles = [
  'hf-real/ibm-granite-granite-4.0-micro.model.sig.json',
  'hf-real/ibm-granite-granite-4.1-3b.model.sig.json',
  'hf-real/unsloth-granite-4.1-3b.model.sig.json',
  'hf-real/openai-privacy-filter.model.sig.json',
  'oms-real/v1.0.1-sigstore/model.sig',
  'oms-real/v1.1.0-sigstore/model.sig',
].map((p) => readFileSync(join(fixtures, p)));

const sha = (i) => i.toString(16).padStart(40, '0');
const date = (i) => new Date(Date.UTC(2025, 0, 1) + i * 3_600_000).toISOString();

/**
 * A linear history of `commits` commits (0 is the root) where model.sig is written at `versions`
 * evenly spread commits (the first one not at the root, so its addition is found by asking the
 * parent; `span`: the commits they are spread over, default all). Answers the three calls the walk makes: paths-info with expand, commits/{sha}?limit=2 and
 * resolve/{sha}/model.sig.
 */
function mockHub(commits, versions, span = commits) {
  const writes = [];
  for (let k = 0; k < versions; k++) writes.push(Math.min(span - 1, 1 + Math.floor((k * (span - 1)) / versions)));
  const writeIndex = new Map(writes.map((c, k) => [c, k]));
  const lastWriteAt = (i) => {
    // The newest write at or before commit i (binary search over the sorted write commits).
    let lo = 0;
    let hi = writes.length - 1;
    let found;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (writes[mid] <= i) {
        found = writes[mid];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
  const counts = { total: 0, pathsInfo: 0, commits: 0, files: 0 };
  const index = (s) => parseInt(s, 16);
  const fetch = async (input, init) => {
    counts.total++;
    const url = new URL(input);
    let m = /^\/api\/models\/publisher\/model\/paths-info\/([0-9a-f]{40})$/.exec(url.pathname);
    if (m && init?.method === 'POST') {
      counts.pathsInfo++;
      const paths = JSON.parse(String(init.body)).paths;
      const at = lastWriteAt(index(m[1]));
      const items = at === undefined ? [] : paths.filter((p) => p === SIG).map((p) => ({ type: 'file', path: p, size: 1, lastCommit: { id: sha(at), title: `sign ${at}`, date: date(at) } }));
      return Response.json(items);
    }
    m = /^\/api\/models\/publisher\/model\/commits\/([0-9a-f]{40})$/.exec(url.pathname);
    if (m) {
      counts.commits++;
      const i = index(m[1]);
      return Response.json([i, i - 1].filter((c) => c >= 0).map((c) => ({ id: sha(c), title: `commit ${c}`, date: date(c) })));
    }
    m = /^\/publisher\/model\/resolve\/([0-9a-f]{40})\/model\.sig$/.exec(url.pathname);
    if (m) {
      counts.files++;
      const k = writeIndex.get(lastWriteAt(index(m[1])));
      return k === undefined ? new Response('', { status: 404 }) : new Response(bundles[k % bundles.length], { headers: { 'x-repo-commit': m[1] } });
    }
    return new Response('', { status: 404 });
  };
  const client = new HuggingFaceClient({ fetch, endpoint: HUB, sleep: async () => undefined });
  return { client, counts, head: sha(commits - 1), headAt: (i) => sha(i) };
}

function memoryStorage() {
  const map = new Map();
  return { get: async (k) => map.get(k), set: async (k, v) => void map.set(k, structuredClone(v)) };
}

/** Verifies one version as the worker does for a signer it does not know yet (keyless Sigstore). */
const verifiers = {
  webcrypto: (bytes) => withPreverifiedSignatures(() => verifyUnknownSigner(bytes, [], undefined), globalThis.crypto.subtle).then((c) => c.evidence),
  pure: async (bytes) => verifyUnknownSigner(bytes, [], undefined).evidence,
};

/** The whole history, page after page (limit 50 each, like "load more"). */
async function fullHistory(client, head, verify, cache) {
  const versions = [];
  let resume;
  let firstPageMs;
  const t0 = performance.now();
  for (;;) {
    const page = await walkSignatureHistory({ client, kind: 'model', repo: REPO, head, paths: [SIG], verify, cache, ...(resume ? { resume } : {}) });
    firstPageMs ??= performance.now() - t0;
    versions.push(...page.versions);
    if (!page.next) break;
    resume = page.next;
  }
  return { versions, ms: performance.now() - t0, firstPageMs };
}

// 1. Requests.
const requestRows = [];
for (const commits of [10, 100, 1_000, 10_000]) {
  for (const versions of [1, 3, 10, 100]) {
    if (versions >= commits) continue;
    const hub = mockHub(commits, versions);
    const cache = memoryStorage();
    const first = await fullHistory(hub.client, hub.head, verifiers.webcrypto, cache);
    if (first.versions.length !== versions) throw new Error(`expected ${versions} versions, found ${first.versions.length}`);
    const bad = first.versions.find((v) => !v.outcome.ok);
    if (bad) throw new Error(`a real bundle did not verify: ${bad.outcome.failure.code} ${bad.outcome.failure.reason}`);
    const firstVisit = { ...hub.counts };
    await fullHistory(hub.client, hub.head, verifiers.webcrypto, cache);
    const repeat = hub.counts.total - firstVisit.total;
    // One more commit on top that changes nothing signed: the head moved, the history did not.
    const moved = mockHub(commits + 1, versions, commits);
    const movedBefore = { ...moved.counts };
    // Same immutable answers: reuse the first visit's cache under the same hub endpoint and repo.
    await fullHistory(moved.client, moved.head, verifiers.webcrypto, cache);
    requestRows.push({
      commits,
      'signature versions': versions,
      'requests (first visit)': firstVisit.total,
      'paths-info': firstVisit.pathsInfo,
      'commits/{sha}': firstVisit.commits,
      'model.sig fetches': firstVisit.files,
      'repeat visit': repeat,
      'after 1 new commit': moved.counts.total - movedBefore.total,
    });
  }
}
console.log(`Signing history: hub requests per repo (one signature file, versions spread over a linear history; real Sigstore bundles verified, all ok)`);
console.table(requestRows);

// 2. Time to the full history.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const timeRows = [];
for (const versions of [10, 100]) {
  const row = { 'signature versions': versions, commits: 1_000 };
  for (const [name, verify] of Object.entries(verifiers)) {
    // Pure JS is the fallback path (no WebCrypto) and ~10× slower: timed on the short history only.
    if (name === 'pure' && versions > 10) continue;
    const total = [];
    const first = [];
    for (let r = 0; r < ROUNDS; r++) {
      // A fresh hub and no cache: a first visit, every version fetched and verified.
      const hub = mockHub(1_000, versions);
      globalThis.gc?.();
      const h = await fullHistory(hub.client, hub.head, verify, undefined);
      if (h.versions.length !== versions || h.versions.some((v) => !v.outcome.ok)) throw new Error('history incomplete or not verified');
      total.push(h.ms);
      first.push(h.firstPageMs);
    }
    row[`${name}: full history ms`] = median(total).toFixed(0);
    row[`${name}: first page (≤50) ms`] = median(first).toFixed(0);
    row[`${name}: ms/version`] = (median(total) / versions).toFixed(1);
  }
  timeRows.push(row);
}
console.log(`Signing history: time to the full history, first visit, verification included (median of ${ROUNDS}; Node ${process.version}; mock hub answers instantly, so this is the client's own cost)`);
console.table(timeRows);
