// Manifest check: 10,000 signed resources against a 10,000-file listing with known digests (the
// Hub case: LFS sha256 per file), through the built core (dist/cli/core-lib.js). Target ≤ 50 ms.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';

const lib = new URL('../dist/cli/core-lib.js', import.meta.url);
if (!existsSync(lib)) {
  console.error('manifest bench: dist/cli/core-lib.js missing, run `npm run build` first');
  process.exit(1);
}
const { checkFiles, computeRootDigest } = await import(lib.href);

const N = 10_000;
const RUNS = 30;
const resources = Array.from({ length: N }, (_, i) => {
  const name = `shard-${String(i % 100).padStart(3, '0')}/tensor-${i}.bin`;
  return { name, path: name, algorithm: 'sha256', digest: createHash('sha256').update(String(i)).digest('hex') };
});
const manifest = {
  predicateType: 'https://model_signing/signature/v1.0',
  format: 'v1.0',
  modelName: 'bench',
  rootDigest: computeRootDigest(resources.map((r) => r.digest)),
  serialization: { method: 'files', hashType: 'sha256', allowSymlinks: false, ignorePaths: [] },
  resources,
};
// Listing in a different order than the manifest, one file changed, as a hub tree would come back.
const listing = resources.map((r) => ({ path: r.path, size: 1, digests: { sha256: r.digest } })).reverse();
listing[N / 2] = { ...listing[N / 2], digests: { sha256: '0'.repeat(64) } };

for (let i = 0; i < 5; i++) await checkFiles(manifest, listing); // warm-up (JIT)
const times = [];
let results;
for (let i = 0; i < RUNS; i++) {
  globalThis.gc?.();
  const t0 = performance.now();
  results = await checkFiles(manifest, listing);
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(RUNS / 2)];
const mismatches = results.filter((r) => r.status === 'mismatch').length;
const rows = [
  ['resources × listed files', `${N} × ${N}`],
  ['runs', String(RUNS)],
  ['best (ms)', times[0].toFixed(1)],
  ['median (ms)', median.toFixed(1)],
  ['p90 (ms)', times[Math.floor(RUNS * 0.9)].toFixed(1)],
  ['target', '≤ 50 ms (median)'],
  ['result', median <= 50 ? 'PASS' : 'FAIL'],
  ['sanity: mismatches found', String(mismatches)],
];
const w = Math.max(...rows.map((r) => r[0].length));
for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
if (mismatches !== 1) process.exit(1);
