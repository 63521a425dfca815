// Listing marks and lineage on the fixture hub (built dist/chrome in Debian's Chromium, no network):
// for organisation pages of 30 and 200 entries, hub API requests per page view (target: 1), the
// content script's main-thread time (every `modelseal:content*` measure on the page, the listing
// scan and the batched frame inserts included) and navigation → first mark and → all marks (after
// scrolling through the page: frames are made near the viewport only); then popup open →
// base-model lineage panel, cold (bases verified) and warm (cached checks).
import { launchWithExtension, extensionPage, send, waitForFinalState } from '../test/fixture-hub/browser.mjs';
import { installFixtureHub, HUB } from '../test/fixture-hub/hub.mjs';
import { fixtureKey } from '../test/fixture-hub/scenarios.mjs';
import { FINETUNE, LINEAGE_OWNER, lineageRepos, listingRepos } from '../test/fixture-hub/lineage.mjs';

const RUNS = Number(process.env.BENCH_LISTING_RUNS ?? 3);
const CASES = [
  { owner: 'bench-list30', count: 30, signed: 5 },
  { owner: 'bench-list200', count: 200, signed: 5 },
  { owner: 'bench-list200s', count: 200, signed: 50 },
];

const key = fixtureKey();
const repos = [...lineageRepos(key), ...CASES.flatMap((c) => listingRepos(key, c))];
const { context, worker, extensionId } = await launchWithExtension();
const hub = await installFixtureHub(context, repos);
const ext = await extensionPage(context, extensionId);
for (const scope of [`${LINEAGE_OWNER}/*`]) {
  const r = await send(ext, { type: 'trust/set-expected-key', scope, publicKeyPem: key.pem });
  if (!r.ok) throw new Error(`policy refused: ${JSON.stringify(r.error)}`);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const apiRequests = () => hub.stats.requests.filter((r) => r.includes('/api/')).length;

/** Marks drawn so far: frames whose chip is rendered. */
async function drawnMarks(page) {
  const frames = page.frames().filter((f) => f.url().includes('listing-mark.html'));
  const ready = await Promise.all(frames.map((f) => f.locator('[data-listing-mark]').count().catch(() => 0)));
  return ready.filter((n) => n > 0).length;
}

async function waitForMarks(page, n, t0, what) {
  while ((await drawnMarks(page)) < n) {
    if (Date.now() - t0 > 120_000) throw new Error(`marks not drawn: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function listingView(page, c) {
  const before = apiRequests();
  const t0 = Date.now();
  await page.goto(`${HUB}/${c.owner}`);
  await waitForMarks(page, 1, t0, c.owner);
  const firstMs = Date.now() - t0;
  // Then the whole page is scrolled through, as a reader would, until every signed entry has its mark.
  for (let y = 0; y < 40 && (await drawnMarks(page)) < c.signed; y++) {
    await page.mouse.wheel(0, 700);
    await page.waitForTimeout(50);
  }
  await waitForMarks(page, c.signed, t0, c.owner);
  const ms = Date.now() - t0;
  const main = await page.evaluate(() => {
    const ours = performance.getEntriesByType('measure').filter((e) => e.name.startsWith('modelseal:content'));
    const sum = (name) => ours.filter((e) => e.name === name).reduce((a, e) => a + e.duration, 0);
    // Top-level measures only (named parts nested inside a `modelseal:content` one are already in it).
    const top = ours.filter((e) => e.name === 'modelseal:content' || e.name.startsWith('modelseal:content:listing'));
    return { total: top.reduce((a, e) => a + e.duration, 0), scan: sum('modelseal:content:listing-scan'), insert: sum('modelseal:content:listing-insert'), longest: top.reduce((a, e) => Math.max(a, e.duration), 0) };
  });
  return { firstMs, ms, requests: apiRequests() - before, ...main };
}

const rows = [];
for (const c of CASES) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    // A fresh tab each run: the measures are per document, and the worker's per-URL answer (60 s) is
    // bypassed by a query the page ignores, so every run makes its one request.
    const page = await context.newPage();
    runs.push(await listingView(page, { ...c, owner: `${c.owner}?run=${i}` }));
    await page.close();
  }
  rows.push({
    entries: c.count,
    signed: c.signed,
    apiRequests: median(runs.map((r) => r.requests)),
    toFirstMarkMs: median(runs.map((r) => r.firstMs)),
    toAllMarksMs: median(runs.map((r) => r.ms)),
    mainMs: median(runs.map((r) => r.total)).toFixed(1),
    scanMs: median(runs.map((r) => r.scan)).toFixed(1),
    insertMs: median(runs.map((r) => r.insert)).toFixed(1),
    longestTaskMs: median(runs.map((r) => r.longest)).toFixed(1),
  });
}

// Popup open → lineage panel drawn (3 bases), first open (bases verified) and again (cached).
async function lineagePanel(tabId) {
  const popup = await context.newPage();
  const t0 = Date.now();
  await popup.goto(`chrome-extension://${extensionId}/popup/index.html?tab=${tabId}`);
  await popup.locator('[data-testid="lineage"] li[data-base]').nth(2).waitFor({ timeout: 60_000 });
  const ms = Date.now() - t0;
  await popup.close();
  return ms;
}
const page = await context.newPage();
const t0 = Date.now();
await page.goto(`${HUB}/${FINETUNE}`);
const state = await waitForFinalState(worker, page, { since: t0 });
const before = apiRequests();
const lineageCold = await lineagePanel(state.tabId);
const coldRequests = apiRequests() - before;
const warm = [];
for (let i = 0; i < RUNS; i++) warm.push(await lineagePanel(state.tabId));
const warmBefore = apiRequests();
await lineagePanel(state.tabId);
const warmRequests = apiRequests() - warmBefore;
await context.close();

const cols = ['entries', 'signed', 'apiRequests', 'toFirstMarkMs', 'toAllMarksMs', 'mainMs', 'scanMs', 'insertMs', 'longestTaskMs'];
const w = Object.fromEntries(cols.map((col) => [col, Math.max(col.length, ...rows.map((r) => String(r[col]).length))]));
console.log('organisation listing page: hub API requests per view; navigation → first mark, and → every mark after scrolling the page through (ms, the scrolling included); content-script main-thread ms per view (all of it; scan and frame inserts apart; longest single task); medians');
console.log(cols.map((col) => col.padStart(w[col])).join('  '));
for (const r of rows) console.log(cols.map((col) => String(r[col]).padStart(w[col])).join('  '));
console.log(`one API request per listing page: ${rows.every((r) => r.apiRequests === 1) ? 'yes' : 'NO'}`);
console.log(`lineage panel (3 bases): popup open → panel ${lineageCold} ms cold (${coldRequests} hub API requests), ${median(warm)} ms warm (median of ${RUNS}; ${warmRequests} API requests: the page's revision and each base's default head)`);
