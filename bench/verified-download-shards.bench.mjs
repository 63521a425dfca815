// Verified download of a file signed by shards vs the same file signed whole, and a plain fetch:
// the built dist/chrome in headless Chromium, one local HTTPS server (own thread) serving both repos'
// copies of the same bytes (BENCH_VDS_MIB, default 256 MiB). The shard repo uses small shards
// (BENCH_VDS_SHARD_KIB, default 1024 KiB: one fresh hasher and one digest compare per MiB), the
// costly end of what model_signing produces (its default is 1 GB). What it shows: the per-shard cost
// of cutting batches at shard ends and starting a hasher per shard, next to the whole-file path.
// The shard file is larger than the checker hashes in the browser, so its verdict is not verified:
// it is started as "Download and verify anyway" (the bytes are still checked against every shard).
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

const MIB = Number(process.env.BENCH_VDS_MIB ?? 256);
const SHARD = Number(process.env.BENCH_VDS_SHARD_KIB ?? 1024) * 1024;
const RUNS = Number(process.env.BENCH_VDS_RUNS ?? 2);
const SIZE = MIB * 1024 * 1024;

const big = Buffer.allocUnsafe(SIZE);
for (let off = 0; off < SIZE; off += 64 << 20) randomFillSync(big, off, Math.min(64 << 20, SIZE - off));
const key = fixtureKey();
const whole = factory.signModel({ files: { 'big.bin': big }, signer: key.signer, name: 'vdw' }).signature;
const sharded = factory.signModel({ files: { 'big.bin': big }, signer: key.signer, name: 'vds', method: 'shards', shardSize: SHARD }).signature;
const repos = [
  repo({ id: 'bench/vdw', commits: { v1: [file('model.sig', whole), file('big.bin', big, { lfs: true })] } }),
  repo({ id: 'bench/vds', commits: { v1: [file('model.sig', sharded), file('big.bin', big, { lfs: true })] } }),
];

const dir = mkdtempSync(join(tmpdir(), 'modelseal-bench-vds-'));
execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=huggingface.co', '-days', '1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
const shared = new SharedArrayBuffer(SIZE);
new Uint8Array(shared).set(big);
const serverThread = new Worker(
  `
  const { workerData, parentPort } = require('node:worker_threads');
  const { createServer } = require('node:https');
  const big = Buffer.from(workerData.shared);
  const sigs = { vdw: Buffer.from(workerData.whole), vds: Buffer.from(workerData.sharded) };
  const SIZE = big.length;
  const server = createServer({ key: workerData.key, cert: workerData.cert }, (req, res) => {
    const path = req.url || '/';
    const name = /\\/bench\\/(vd[ws])\\//.exec(path);
    if (name && path.includes('/model.sig')) { const s = sigs[name[1]]; return res.writeHead(200, { 'content-length': String(s.length) }), res.end(s); }
    if (!path.includes('/big.bin')) return res.writeHead(404), res.end();
    const m = /^bytes=(\\d+)-$/.exec(req.headers.range || '');
    const start = m ? Number(m[1]) : 0;
    const headers = { 'content-type': 'application/octet-stream', 'content-length': String(SIZE - start), etag: '"big"', 'accept-ranges': 'bytes' };
    if (m) headers['content-range'] = 'bytes ' + start + '-' + (SIZE - 1) + '/' + SIZE;
    res.writeHead(m ? 206 : 200, headers);
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
  { eval: true, workerData: { shared, whole: Buffer.from(whole), sharded: Buffer.from(sharded), key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) } },
);
const port = await new Promise((ok) => serverThread.once('message', ok));

const { context, worker, extensionId } = await launchWithExtension({ extraArgs: [`--host-resolver-rules=MAP huggingface.co 127.0.0.1:${port}`, '--ignore-certificate-errors'] });
const hub = await installFixtureHub(context, repos);
for (const r of repos) await hubFetch(hub)(`${HUB}/api/models/${r.id}/tree/main?recursive=true&expand=true`);
await context.route(`${HUB}/bench/*/resolve/**`, (route) => route.continue());
const ext = await extensionPage(context, extensionId);
const policy = await send(ext, { type: 'trust/set-expected-key', scope: 'bench/*', publicKeyPem: key.pem });
if (!policy.ok) throw new Error(`policy refused: ${JSON.stringify(policy.error)}`);

async function commitOf(id) {
  const page = await context.newPage();
  await page.goto(`${HUB}/${id}`);
  const state = await waitForFinalState(worker, page, { timeoutMs: 300_000 });
  if (!('signature' in state.verdict)) throw new Error(`${id}: no verified signature (${state.verdict.state})`);
  await page.close();
  return state.verdict.subject.commit;
}
const urls = { vdw: `${HUB}/bench/vdw/resolve/${await commitOf('bench/vdw')}/big.bin`, vds: `${HUB}/bench/vds/resolve/${await commitOf('bench/vds')}/big.bin` };

async function plainFetch(url) {
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

async function verified(url, anyway) {
  const started = await send(ext, { type: 'verified/start', url, ...(anyway ? { anyway: true } : {}) });
  if (!started.ok) throw new Error(`verified/start refused: ${JSON.stringify(started.error)}`);
  const id = started.value.id;
  const t = Date.now();
  for (;;) {
    const d = (await send(ext, { type: 'verified/list' })).value.find((x) => x.id === id);
    if (d.status === 'saving' || d.status === 'done') return { ms: Date.now() - t, bytes: d.received };
    if (d.status === 'failed' || d.status === 'cancelled') throw new Error(`verified download ${d.status}: ${JSON.stringify(d.failure)}`);
    await new Promise((ok) => setTimeout(ok, 20));
  }
}

const mbs = (bytes, ms) => bytes / 1e6 / (ms / 1000);
const rows = [];
for (let i = 0; i < RUNS; i++) {
  const p = await plainFetch(urls.vdw);
  const w = await verified(urls.vdw, false);
  const s = await verified(urls.vds, true);
  for (const x of [p, w, s]) if (x.bytes !== SIZE) throw new Error(`read ${x.bytes} of ${SIZE} bytes`);
  rows.push({ plain: mbs(p.bytes, p.ms), whole: mbs(w.bytes, w.ms), shards: mbs(s.bytes, s.ms) });
  await send(ext, { type: 'verified/clear' });
}
const best = (k) => Math.max(...rows.map((x) => x[k]));
console.log(`\nVerified download, whole-file vs ${SIZE / SHARD} shards of ${SHARD / 1024} KiB (${MIB} MiB, headless Chromium, local HTTPS, best of ${RUNS}; time to digest matched)`);
console.table([
  { path: 'plain fetch (read to the end)', 'MB/s': best('plain').toFixed(0), 'vs plain': '1.00' },
  { path: 'verified, signed whole (SHA-256)', 'MB/s': best('whole').toFixed(0), 'vs plain': (best('whole') / best('plain')).toFixed(2) },
  { path: `verified, signed by shards (SHA-256, ${SHARD / 1024} KiB each)`, 'MB/s': best('shards').toFixed(0), 'vs plain': (best('shards') / best('plain')).toFixed(2) },
]);
console.log(`shards vs whole: ${(best('shards') / best('whole')).toFixed(2)}×`);
await context.close();
await serverThread.terminate();
