// In-browser hashing throughput of "Check files on this computer": the built dist/chrome in
// headless Chromium, the page driven as a user would (webkitdirectory input, repo named, Check), a
// key-signed model written to a temp dir. Per algorithm (sha256, blake2b, blake3):
// - one worker (navigator.hardwareConcurrency forced to 1), one 128 MiB file, against
//   `openssl dgst -sha256` / `-blake2b512` over the same file on one core (target ≥ 0.5× for sha256);
// - the page's own pool (one worker per core) over 4 × 32 MiB files.
// Times are taken in the page, from the click to the verdict, so they include the signature check
// (a few ms) and listing; both sides read from the page cache after a warm-up run. Two more columns
// say where the time goes: reading the File alone (no hashing) and the same hash worker hashing an
// in-memory Blob (no disk).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { randomFillSync } from 'node:crypto';
import { tmpdir, availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { launchWithExtension, extensionPage, send, DIST } from '../test/fixture-hub/browser.mjs';
import { factory } from '../test/fixture-hub/factory.mjs';
import { fixtureKey } from '../test/fixture-hub/scenarios.mjs';

if (!existsSync(join(DIST, 'manifest.json'))) {
  console.error('browser hashing bench: dist/chrome missing, run `npm run build` first');
  process.exit(1);
}
const MiB = 1024 * 1024;
const ALGORITHMS = ['sha256', 'blake2b', 'blake3'];
const OPENSSL = { sha256: '-sha256', blake2b: '-blake2b512' };
const RUNS = 2;
const REPO = 'bench/disk-hashing';

const root = mkdtempSync(join(tmpdir(), 'modelseal-browser-hash-'));
let browser;
try {
  const key = fixtureKey('modelseal-browser-hash-bench');
  const random = (n) => randomFillSync(Buffer.allocUnsafe(n));
  const layouts = {
    single: { 'weights.bin': random(128 * MiB) },
    parallel: Object.fromEntries([1, 2, 3, 4].map((i) => [`weights-0000${i}.bin`, random(32 * MiB)])),
  };
  const dirs = {};
  for (const [name, files] of Object.entries(layouts)) {
    dirs[name] = join(root, name, 'model');
    mkdirSync(dirs[name], { recursive: true });
    for (const [p, b] of Object.entries(files)) writeFileSync(join(dirs[name], p), b);
  }
  // One signature per layout and algorithm, swapped in before each run.
  const signatures = {};
  for (const [name, files] of Object.entries(layouts))
    for (const alg of ALGORITHMS) signatures[`${name}:${alg}`] = factory.signModel({ files, signer: key.signer, hashType: alg, name: 'model' }).signature;
  delete layouts.single;
  delete layouts.parallel;

  const launched = await launchWithExtension();
  browser = launched.context;
  const ext = await extensionPage(browser, launched.extensionId);
  const policy = await send(ext, { type: 'trust/set-expected-key', scope: REPO, publicKeyPem: key.pem });
  if (!policy.ok) throw new Error(`key policy refused: ${JSON.stringify(policy)}`);

  /** One check in a fresh page; returns seconds from click to verdict (must be verified). */
  async function run(layout, alg, { oneWorker }) {
    writeFileSync(join(dirs[layout], 'model.sig'), signatures[`${layout}:${alg}`]);
    const page = await browser.newPage();
    if (oneWorker) await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => 1 }));
    await page.goto(`chrome-extension://${launched.extensionId}/extension/pages/check-files.html`);
    await page.locator('[data-testid=disk-folder-input]').setInputFiles(dirs[layout]);
    await page.locator('[data-testid=disk-repo]').fill(REPO);
    const { ms, state, workers } = await page.evaluate(
      () =>
        new Promise((resolve) => {
          const button = document.querySelector('[data-testid=disk-run]');
          const t0 = performance.now();
          const done = () => {
            const r = document.querySelector('[data-testid=disk-result]');
            if (!r) return false;
            resolve({ ms: performance.now() - t0, state: r.getAttribute('data-state'), workers: navigator.hardwareConcurrency });
            return true;
          };
          new MutationObserver((_m, obs) => done() && obs.disconnect()).observe(document.body, { childList: true, subtree: true });
          button.click();
        }),
    );
    await page.close();
    if (state !== 'verified') throw new Error(`${layout} ${alg}: state ${state}, expected verified`);
    return { s: ms / 1000, workers };
  }
  const workerAsset = readdirSync(join(DIST, 'assets')).find((f) => f.startsWith('file-hash-worker-'));
  /** The page's hash worker on an in-memory Blob, and a plain read of the picked File: seconds each. */
  async function parts(alg) {
    const page = await browser.newPage();
    await page.goto(`chrome-extension://${launched.extensionId}/extension/pages/check-files.html`);
    await page.locator('[data-testid=disk-files-input]').setInputFiles(join(dirs.single, 'weights.bin'));
    const r = await page.evaluate(
      async ({ url, alg, size }) => {
        const file = document.querySelector('[data-testid=disk-files-input]').files[0];
        const w = new Worker(url, { type: 'module' });
        const hash = (blob) =>
          new Promise((resolve) => {
            const t0 = performance.now();
            w.onmessage = (e) => e.data.type !== 'progress' && resolve(performance.now() - t0);
            w.postMessage({ type: 'hash', id: 1, file: blob, algorithm: alg });
          });
        await hash(new Blob([new Uint8Array(1024)]));
        const memory = await hash(new Blob([new Uint8Array(size).fill(7)]));
        w.terminate();
        const t0 = performance.now();
        for (let at = 0; at < file.size; at += 8 << 20) await file.slice(at, at + (8 << 20)).arrayBuffer();
        return { memory: memory / 1000, read: (performance.now() - t0) / 1000 };
      },
      { url: `/assets/${workerAsset}`, alg, size: 128 * MiB },
    );
    await page.close();
    return r;
  }
  const best = async (f) => {
    let top;
    for (let i = 0; i < RUNS; i++) {
      const r = await f();
      if (!top || r.s < top.s) top = r;
    }
    return top;
  };
  const opensslSeconds = (alg) => {
    const args = ['dgst', OPENSSL[alg], join(dirs.single, 'weights.bin')];
    let top = Infinity;
    for (let i = 0; i < RUNS + 1; i++) {
      const t0 = process.hrtime.bigint();
      const r = spawnSync('openssl', args);
      if (r.status !== 0) return undefined;
      if (i > 0) top = Math.min(top, Number(process.hrtime.bigint() - t0) / 1e9);
    }
    return top;
  };

  await run('single', 'sha256', { oneWorker: true }); // warm-up: page cache, wasm compile
  const rows = [];
  let poolWorkers = 0;
  for (const alg of ALGORITHMS) {
    const one = await best(() => run('single', alg, { oneWorker: true }));
    const pool = await best(() => run('parallel', alg, { oneWorker: false }));
    poolWorkers = pool.workers;
    const ssl = OPENSSL[alg] ? opensslSeconds(alg) : undefined;
    const split = await parts(alg);
    const mbps = (bytes, s) => bytes / 1e6 / s;
    const oneRate = mbps(128 * MiB, one.s);
    const sslRate = ssl ? mbps(128 * MiB, ssl) : undefined;
    rows.push([
      alg,
      `${oneRate.toFixed(0)} MB/s`,
      sslRate ? `${sslRate.toFixed(0)} MB/s` : 'n/a (no openssl dgst)',
      sslRate ? (oneRate / sslRate).toFixed(2) : '-',
      `${mbps(128 * MiB, pool.s).toFixed(0)} MB/s`,
      (mbps(128 * MiB, pool.s) / oneRate).toFixed(2),
      `${mbps(128 * MiB, split.read).toFixed(0)} MB/s`,
      `${mbps(128 * MiB, split.memory).toFixed(0)} MB/s`,
    ]);
  }
  const head = ['algorithm', 'browser, 1 worker, 1 × 128 MiB', 'openssl dgst, 1 core', 'ratio', `browser, ${poolWorkers} workers, 4 × 32 MiB`, 'vs 1 worker', 'read File only (page)', 'worker on in-memory Blob'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(`machine: ${availableParallelism()} cores, load average ${loadavg()[0].toFixed(1)} at the end; best of ${RUNS}; times from click to verdict, in the page`);
  console.log(line(head));
  for (const r of rows) console.log(line(r));
  const shaRatio = Number(rows[0][3]);
  console.log(`target: sha256 ratio ≥ 0.50 → ${Number.isFinite(shaRatio) ? (shaRatio >= 0.5 ? 'PASS' : 'FAIL') : 'n/a'}`);
} finally {
  await browser?.close();
  rmSync(root, { recursive: true, force: true });
}
