// Builds everything `npm test`, `npm run demo` and users need:
//   dist/cli      the `modelseal` command (vite.cli.config.ts)
//   dist/chrome   the MV3 extension for Chromium browsers (vite.config.ts, mode chrome)
//   dist/firefox  the same for Firefox (vite.config.ts, mode firefox)
// `node scripts/build.mjs cli` (or chrome, firefox) builds one target.
import { spawnSync } from 'node:child_process';

const targets = {
  cli: ['vite', 'build', '-c', 'vite.cli.config.ts', '--logLevel', 'warn'],
  chrome: ['vite', 'build', '--mode', 'chrome', '--logLevel', 'warn'],
  firefox: ['vite', 'build', '--mode', 'firefox', '--logLevel', 'warn'],
};

const wanted = process.argv.slice(2);
for (const name of wanted.length ? wanted : Object.keys(targets)) {
  const args = targets[name];
  if (!args) {
    console.error(`build: unknown target ${name} (expected ${Object.keys(targets).join(', ')})`);
    process.exit(2);
  }
  const started = Date.now();
  const r = spawnSync('npx', args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`build: ${name} failed`);
    process.exit(r.status ?? 1);
  }
  console.log(`build: ${name} ok (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
