import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';
import { shimAliases } from './scripts/shim-aliases.mjs';

// Suites made only of third-party fixtures read in place from ../shared (never copied here). CI
// always has ../shared; elsewhere they are left out with one line, and every other suite still runs
// (files that mix both register their ../shared tests only when it exists).
const SHARED_ONLY = [
  'test/cli/conformance.test.ts',
  'test/unit/mutation/**',
  'test/unit/oms/golden.test.ts',
  'test/e2e/**',
];
const hasShared = existsSync(resolve(import.meta.dirname, '../shared/fixtures'));
if (!hasShared) console.log(`../shared/fixtures not found: not running ${SHARED_ONLY.join(', ')}`);
const exclude = hasShared ? configDefaults.exclude : [...configDefaults.exclude, ...SHARED_ONLY];

// The pre-bundled sigstore-js (below) contains the shims, and Vite keys that bundle only on the lock
// file and the config: a digest of the shim sources in the config rebuilds it whenever they change,
// so tests never run against a stale adapter.
const shimsDir = resolve(import.meta.dirname, 'extension/core/sigstore/shims');
const shimsDigest = createHash('sha256');
for (const f of readdirSync(shimsDir).sort()) shimsDigest.update(f).update(readFileSync(join(shimsDir, f)));
const shimsBanner = `/* modelseal shims ${shimsDigest.digest('hex').slice(0, 16)} */`;

// Unit and CLI tests run in Node with the browser crypto adapter aliased in, so they test the code
// the extension ships. End-to-end tests drive the built extension in Debian's Chromium.
export default defineConfig({
  test: {
    reporters: ['default', './test/summary-reporter.ts'],
    projects: [
      {
        resolve: { alias: shimAliases },
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['test/unit/**/*.test.ts', 'test/cli/**/*.test.ts', 'test/factory/**/*.test.ts'],
          exclude,
          environment: 'node',
          testTimeout: 60_000,
          // The CLI keeps its Sigstore trust root current through TUF: in tests it finds a closed
          // loopback port (an instant failure, the built-in root) unless a test serves its own.
          env: { MODELSEAL_TUF_URL: 'http://127.0.0.1:9', MODELSEAL_TUF_CACHE: join(tmpdir(), `modelseal-test-tuf-${process.pid}`) },
          server: { deps: { inline: [/@sigstore\//] } },
          // sigstore-js is CommonJS: its require('crypto'/'util') only meets the shim aliases when the
          // packages are pre-bundled (inlining alone leaves require() to Node). Asserted in
          // test/unit/sigstore/verify.test.ts.
          deps: {
            optimizer: {
              ssr: {
                enabled: true,
                include: ['@sigstore/core', '@sigstore/verify', '@sigstore/bundle', '@sigstore/protobuf-specs'],
                esbuildOptions: { banner: { js: shimsBanner } },
              },
            },
          },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          exclude,
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // One Chromium at a time, and only after the unit project: two cores do not share well.
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
