// Verified download in the browser vs a plain fetch of the same file (target ≥ 0.7×): the built
// dist/chrome in headless Chromium. The file (1 GiB by default, BENCH_VD_MIB to change) is served by a
// real local HTTPS server (in its own thread) that huggingface.co resolves to (--host-resolver-rules),
// because Playwright's route.fulfill needs whole bodies in memory; pages and the API still come from
// the fixture hub through Playwright's routing.
//
// plain fetch: an extension page fetches the file and reads the stream to the end (no hashing, no disk).
// verified:    `verified/start` → fetched by a dedicated worker of the offscreen document, hashed
//              (hash-wasm SHA-256) and written to the origin-private file system as it arrives;
//              "verified" is the moment the digest matched, "saved" the moment the browser finished
//              copying the verified file into the downloads folder.
import { Worker } from 'node:worker_threads';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomFillSync } from 'node:crypto';
import { launchWithExtension, extensionPage, send, waitForFinalState } from '../test/fixture-hub/browser.mjs';
import { installFixtureHub, hubFetch, HUB } from '../test/fixture-hub/hub.mjs';
import { file, repo } from '../test/fixture-hub/repo.mjs';
import { fixtureKey } from '../test/fixture-hub/scenarios.mjs';
import { factory } from '../test/fixture-hub/factory.mjs';

const MIB = Number(process.env.BENCH_VD_MIB ?? 1024);
const RUNS = Number(process.env.BENCH_VD_RUNS ?? 2);
const SIZE = MIB * 1024 * 1024;

const t0 = Date.now();
const big = Buffer.allocUnsafe(SIZE);
for (let off = 0; off < SIZE; off += 64 << 20) randomFillSync(big, off, Math.min(64 << 20, SIZE - off));
const key = fixtureKey();
const { signature } = factory.signModel({ files: { 'big.bin': big }, signer: key.signer, name: 'vd' });
const r = repo({ id: 'bench/vd', commits: { v1: [file('model.sig', signature), file('big.bin', big, { lfs: true })] } });
console.log(`prepared and signed ${MIB} MiB in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

// The hub's file bytes over TLS, from a server in its own thread (so this process's Playwright client
// does not slow it down): the big file with Range support, and the signature.
const dir = mkdtempSync(join(tmpdir(), 'modelseal-bench-vd-'));
execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=huggingface.co', '-days', '1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
const shared = new SharedArrayBuffer(SIZE);
new Uint8Array(shared).set(big);
const serverThread = new Worker(
  `
  const { workerData, parentPort } = require('node:worker_threads');
  const { createServer } = require('node:https');
  const big = Buffer.from(workerData.shared);
  const sig = Buffer.from(workerData.signature);
  const SIZE = big.length;
  const server = createServer({ key: workerData.key, cert: workerData.cert }, (req, res) => {
    const path = req.url || '/';
    if (path.includes('/model.sig')) return res.writeHead(200, { 'content-length': String(sig.length) }), res.end(sig);
    if (!path.includes('/big.bin')) return res.writeHead(404), res.end();
    const m = /^bytes=(\\d+)-$/.exec(req.headers.range || '');
    const start = m ? Number(m[1]) : 0;
    const headers = { 'content-type': 'application/octet-stream', 'content-length': String(SIZE - start), etag: '"big"', 'accept-ranges': 'bytes' };
    if (m) headers['content-range'] = 'bytes ' + start + '-' + (SIZE - 1) + '/' + SIZE;
    res.writeHead(m ? 206 : 200, headers);
    // 1 MiB pieces with backpressure, as a real server streams a file.
    let off = start;
    const pump = () => {
      while (off < SIZE) {
        const end = Math.min(off + (1 << 20), SIZE);
        const ok = res.write(big.subarray(off, end));
        off = end;
        if (!ok) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  });
  server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
  `,
  { eval: true, workerData: { shared, signature: Buffer.from(signature), key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) } },
);
const port = await new Promise((ok) => serverThread.once('message', ok));

const { context, worker, extensionId } = await launchWithExtension({ extraArgs: [`--host-resolver-rules=MAP huggingface.co 127.0.0.1:${port}`, '--ignore-certificate-errors'] });
const hub = await installFixtureHub(context, [r]);
// The hub's tree listing hashes the file once (slowly, in JS); build it before the extension asks.
await hubFetch(hub)(`${HUB}/api/models/bench/vd/tree/main?recursive=true&expand=true`);
// The file's bytes go to the TLS server (Playwright would need the whole body in memory).
await context.route(`${HUB}/bench/vd/resolve/**`, (route) => route.continue());
const ext = await extensionPage(context, extensionId);
const policy = await send(ext, { type: 'trust/set-expected-key', scope: 'bench/*', publicKeyPem: key.pem });
if (!policy.ok) throw new Error(`policy refused: ${JSON.stringify(policy.error)}`);
const page = await context.newPage();
await page.goto(`${HUB}/bench/vd`);
const state = await waitForFinalState(worker, page, { timeoutMs: 300_000 });
if (!/^verified/.test(state.verdict.state)) throw new Error(`bench repo is ${state.verdict.state}: ${JSON.stringify(state.verdict.failure ?? state.verdict.files?.filter((f) => f.status !== "verified"))}`);
const commit = state.verdict.subject.commit;
const url = `${HUB}/bench/vd/resolve/${commit}/big.bin`;

async function plainFetch() {
  return ext.evaluate(async (u) => {
    const t = performance.now();
    const res = await fetch(u, { cache: 'no-store' });
    const reader = res.body.getReader();
    let n = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      n += value.length;
    }
    return { ms: performance.now() - t, bytes: n };
  }, url);
}

async function verified() {
  const started = await send(ext, { type: 'verified/start', url });
  if (!started.ok) throw new Error(`verified/start refused: ${JSON.stringify(started.error)}`);
  const id = started.value.id;
  const t = Date.now();
  let verifiedAt;
  for (;;) {
    const d = (await send(ext, { type: 'verified/list' })).value.find((x) => x.id === id);
    if (!verifiedAt && (d.status === 'saving' || d.status === 'done')) verifiedAt = Date.now();
    if (d.status === 'done') return { verifiedMs: verifiedAt - t, savedMs: Date.now() - t, bytes: d.received };
    if (d.status === 'failed' || d.status === 'cancelled') throw new Error(`verified download ${d.status}: ${JSON.stringify(d.failure)}`);
    await new Promise((ok) => setTimeout(ok, 20));
  }
}

const mbs = (bytes, ms) => bytes / 1e6 / (ms / 1000);
const rows = [];
for (let i = 0; i < RUNS; i++) {
  const p = await plainFetch();
  if (p.bytes !== SIZE) throw new Error(`plain fetch read ${p.bytes} bytes`);
  const v = await verified();
  if (v.bytes !== SIZE) throw new Error(`verified download read ${v.bytes} bytes`);
  rows.push({ plain: mbs(p.bytes, p.ms), verified: mbs(v.bytes, v.verifiedMs), saved: mbs(v.bytes, v.savedMs) });
  await send(ext, { type: 'verified/clear' });
}
const best = (k) => Math.max(...rows.map((x) => x[k]));
console.log(`\nIn-browser verified download of ${MIB} MiB (headless Chromium, local HTTPS server, best of ${RUNS})`);
console.table([
  { path: 'plain fetch (read to the end)', 'MB/s': best('plain').toFixed(0), 'vs plain': '1.00' },
  { path: 'verified: fetched + SHA-256 + OPFS, digest matched', 'MB/s': best('verified').toFixed(0), 'vs plain': (best('verified') / best('plain')).toFixed(2) },
  { path: 'verified and saved to the downloads folder', 'MB/s': best('saved').toFixed(0), 'vs plain': (best('saved') / best('plain')).toFixed(2) },
]);
console.log(`target: verified ≥ 0.7× plain fetch → ${best('verified') / best('plain') >= 0.7 ? 'met' : 'NOT met'}`);
await context.close();
await serverThread.terminate();
