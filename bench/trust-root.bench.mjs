// The trust root kept through TUF, in Node on the CLI's build (dist/cli/core-lib.js): time of a full
// TUF update (root, timestamp, snapshot, targets, trusted_root.json, every signature checked) from a
// local test repository, with 0 and 10 root rotations to step through; and the cost a verification
// pays to ask which root is in force (choose(), warm). No network: the repository is served from memory.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { loadFactory } from '../test/factory/load.mjs';

const repo = fileURLToPath(new URL('..', import.meta.url));
const lib = join(repo, 'dist/cli/core-lib.js');
if (!existsSync(lib)) {
  console.log('trust-root bench: dist/cli/core-lib.js missing, run `node scripts/build.mjs cli` first');
  process.exit(1);
}
const { TrustRootKeeper, productionTrustedRootJson } = await import(lib);
const factory = await loadFactory();
const { sigstoreTuf } = await import(pathToFileURL(join(repo, 'node_modules/.cache/modelseal-factory/tuf-sigstore.js')).href);
const N = Number(process.env.BENCH_N ?? 20);

function memory() {
  const m = new Map();
  return { get: async (k) => m.get(k), set: async (k, v) => void m.set(k, structuredClone(v)) };
}

function keeperFor(tuf, seedRoot) {
  const { fetch, asked } = tuf.fetcher();
  return { keeper: new TrustRootKeeper({ fetch, storage: memory(), clock: { now: () => Date.now() }, baseUrl: tuf.base, seedRoot, builtIn: productionTrustedRootJson() }), asked };
}

async function updateTime(rotations) {
  const { tuf, seedRoot } = sigstoreTuf(new Date());
  for (let i = 0; i < rotations; i++) {
    const old = tuf.keys.root;
    const fresh = [0, 1, 2].map((j) => factory.deriveKey('P-256', `bench-rot-${i}-${j}`));
    tuf.keys.root = fresh;
    tuf.publishRoot([...old, ...fresh]);
  }
  tuf.publish();
  const times = [];
  let requests = 0;
  for (let i = 0; i < N; i++) {
    const { keeper, asked } = keeperFor(tuf, seedRoot);
    const t0 = performance.now();
    if (!(await keeper.refresh())) throw new Error('update failed');
    times.push(performance.now() - t0);
    requests = asked.length;
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], requests };
}

async function chooseTime() {
  const { tuf, seedRoot } = sigstoreTuf(new Date());
  const { keeper } = keeperFor(tuf, seedRoot);
  await keeper.refresh();
  await keeper.choose(true);
  const n = N * 50;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await keeper.choose(true);
  return (performance.now() - t0) / n;
}

const rows = [];
for (const r of [0, 10]) {
  const { median, requests } = await updateTime(r);
  rows.push([`full TUF update, ${r} root rotations`, `${median.toFixed(1)} ms`, `${requests} requests`]);
}
rows.push(['choose() per verification (warm, stored root valid)', `${(await chooseTime()).toFixed(3)} ms`, '0 requests']);
console.log(`\ntrust root (TUF), Node, median of ${N}`);
for (const r of rows) console.log(`  ${r[0].padEnd(54)} ${r[1].padStart(10)}  ${r[2]}`);
