// Extension benchmark on the fixture hub (built dist/chrome in Debian's Chromium, no network):
// navigation → final state, cold and warm, for 10 / 100 / 1,000 / 10,000-file key-signed repos; hub
// requests per page view; content script size and main-thread time; worker heap after 100 repos.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { resolve } from 'node:path';
import { chromium } from 'playwright';
import { launchWithExtension, extensionPage, send, waitForFinalState, DIST } from '../test/fixture-hub/browser.mjs';
import { installFixtureHub, HUB } from '../test/fixture-hub/hub.mjs';
import { repo } from '../test/fixture-hub/repo.mjs';
import { keySignedFiles, fixtureKey } from '../test/fixture-hub/scenarios.mjs';

const SIZES = (process.env.BENCH_SIZES ?? "10,100,1000,10000").split(",").map(Number);
const RUNS = { 10: 3, 100: 3, 1000: 3, 10000: 1 };
const MEMORY_REPOS = Number(process.env.BENCH_MEMORY_REPOS ?? 100);
const CDP_PORT = 9300 + Math.floor(Math.random() * 500);

const key = fixtureKey();
const repos = [];
for (const n of SIZES) for (let r = 0; r < RUNS[n]; r++) repos.push(repo({ id: `bench/n${n}-r${r}`, commits: { v1: keySignedFiles(key, n, `n${n}`) } }));
for (let i = 0; i < MEMORY_REPOS; i++) repos.push(repo({ id: `bench/mem-${i}`, commits: { v1: keySignedFiles(key, 10, `mem${i}`) } }));

const { context, worker, extensionId } = await launchWithExtension({ extraArgs: [`--remote-debugging-port=${CDP_PORT}`] });
const hub = await installFixtureHub(context, repos);
const ext = await extensionPage(context, extensionId);
const policy = await send(ext, { type: 'trust/set-expected-key', scope: 'bench/*', publicKeyPem: key.pem });
if (!policy.ok) throw new Error(`policy refused: ${JSON.stringify(policy.error)}`);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const hubRequests = (id) => {
  const s = hub.stats.byRepo.get(id);
  return s ? s.api + s.resolve : 0;
};

async function view(page, id) {
  const before = hubRequests(id);
  const t0 = Date.now();
  await page.goto(`${HUB}/${id}`);
  const state = await waitForFinalState(worker, page, { since: t0, timeoutMs: 120_000 });
  const mainThread = await page.evaluate(() => performance.getEntriesByName('modelseal:content').reduce((a, e) => a + e.duration, 0));
  return { ms: state.finishedAt - t0, workerMs: state.finishedAt - state.startedAt, requests: hubRequests(id) - before, state: state.verdict.state, mainThread, files: state.verdict.files?.length ?? 0 };
}

const rows = [];
const page = await context.newPage();
for (const n of SIZES) {
  const cold = [];
  const warm = [];
  for (let r = 0; r < RUNS[n]; r++) {
    const id = `bench/n${n}-r${r}`;
    cold.push(await view(page, id));
    warm.push(await view(page, id));
  }
  const hashed = Math.ceil(n / 10); // every 10th file is a non-LFS file the worker fetches and hashes
  const budget = 3 + Math.ceil((n + 1) / 1000) + hashed;
  rows.push({
    files: n,
    state: cold[0].state,
    coldMs: median(cold.map((x) => x.ms)),
    warmMs: median(warm.map((x) => x.ms)),
    warmWorkerMs: median(warm.map((x) => x.workerMs)),
    coldReq: median(cold.map((x) => x.requests)),
    coldBudget: budget,
    warmReq: median(warm.map((x) => x.requests)),
    csMainMs: median(cold.concat(warm).map((x) => x.mainThread)).toFixed(1),
  });
}

// Worker heap after verifying 100 more repos (each verified, cached and shown once).
async function workerHeap() {
  const browser = await chromium.connectOverCDP(`http://127.0.0.1:${CDP_PORT}`);
  const s = await browser.newBrowserCDPSession();
  const { targetInfos } = await s.send('Target.getTargets');
  const sw = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${extensionId}/`));
  const { sessionId } = await s.send('Target.attachToTarget', { targetId: sw.targetId, flatten: false });
  let id = 0;
  const call = (method) =>
    new Promise((res) => {
      const my = ++id;
      const on = (e) => {
        const m = JSON.parse(e.message);
        if (m.id === my) {
          s.off('Target.receivedMessageFromTarget', on);
          res(m.result);
        }
      };
      s.on('Target.receivedMessageFromTarget', on);
      void s.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: my, method }) });
    });
  await call('HeapProfiler.enable');
  await call('HeapProfiler.collectGarbage');
  const heap = await call('Runtime.getHeapUsage');
  await s.detach().catch(() => undefined);
  return heap.usedSize;
}
const heapBefore = await workerHeap();
for (let i = 0; i < MEMORY_REPOS; i++) await view(page, `bench/mem-${i}`);
const heapAfter = await workerHeap();

const cs = readFileSync(resolve(DIST, 'content-scripts/hub.js'));
await context.close();

const cols = ['files', 'state', 'coldMs', 'warmMs', 'warmWorkerMs', 'coldReq', 'coldBudget', 'warmReq', 'csMainMs'];
const w = Object.fromEntries(cols.map((c) => [c, Math.max(c.length, ...rows.map((r) => String(r[c]).length))]));
console.log('navigation → final state (median ms; warmWorkerMs = the worker part), hub API+file requests per view, content-script main-thread ms per view (median)');
console.log(cols.map((c) => c.padStart(w[c])).join('  '));
for (const r of rows) console.log(cols.map((c) => String(r[c]).padStart(w[c])).join('  '));
const mb = (b) => `${(b / 1024 / 1024).toFixed(1)} MiB`;
console.log(`content script: ${cs.length} bytes, ${gzipSync(cs).length} bytes gzipped (target ≤ 20 KB)`);
console.log(`worker JS heap: ${mb(heapBefore)} before, ${mb(heapAfter)} after ${MEMORY_REPOS} more repos (after GC)`);
const r100 = rows.find((r) => r.files === 100);
console.log(`targets, 100 files: cold ${r100.coldMs} ms (≤ 500), warm ${r100.warmMs} ms (≤ 150); warm requests ≤ 1: ${rows.every((r) => r.warmReq <= 1) ? 'yes' : 'NO'}; cold within budget: ${rows.every((r) => r.coldReq <= r.coldBudget) ? 'yes' : 'NO'}`);
