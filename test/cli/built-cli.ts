/**
 * The CLI tests run the BUILT `dist/cli/modelseal.js`, so they exercise the code users run. This
 * rebuilds it first when it is missing or older than anything it is built from.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const repo = process.cwd();
export const cliPath = resolve(repo, 'dist/cli/modelseal.js');

function newestSource(path: string): number {
  if (!statSync(path).isDirectory()) return statSync(path).mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestSource(join(path, entry)));
  return newest;
}

const INPUTS = ['extension/core', 'extension/cli', 'scripts/shim-aliases.mjs', 'vite.cli.config.ts', 'package-lock.json'];

export function ensureCliBuilt(): void {
  const sources = Math.max(...INPUTS.map((p) => newestSource(resolve(repo, p))));
  if (existsSync(cliPath) && statSync(cliPath).mtimeMs >= sources) return;
  const r = spawnSync(process.execPath, ['scripts/build.mjs', 'cli'], { cwd: repo, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`CLI build failed (run \`npm run build\`):\n${r.stdout}\n${r.stderr}`);
}
