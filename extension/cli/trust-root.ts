/**
 * The CLI's Sigstore trust root: `--trusted-root FILE` when given; else the root kept current from
 * Sigstore's TUF repository (the same client and policy as the extension, metadata cached in
 * `$MODELSEAL_TUF_CACHE`, else `$XDG_CACHE_HOME/modelseal/tuf`, else `~/.cache/modelseal/tuf`),
 * updated when the cached one is a day old; `--offline` uses the built-in root.
 *
 * Test seam: `MODELSEAL_TUF_URL` names another repository and `MODELSEAL_TUF_SEED` the file of the
 * root it starts from, so tests serve a loopback repository and never reach the network.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { KeyValueStorage } from '../core/env.js';
import { PRODUCTION_TUF_URL, productionTrustedRootJson, productionTufSeedRoot } from '../core/sigstore/trusted-root.js';
import { TrustRootKeeper } from '../core/tuf/trust-root.js';
import { safe } from './report.js';
import { readSmall, trustedRootOf } from './verify-command.js';

const UPDATE_AGE_MS = 24 * 3_600_000;

/** One JSON file per key, written whole then renamed (a crash never leaves half a file). */
export class FileStorage implements KeyValueStorage {
  constructor(private readonly dir: string) {}

  private path(key: string): string {
    return join(this.dir, `${createHash('sha256').update(key).digest('hex').slice(0, 32)}.json`);
  }

  async get(key: string): Promise<unknown> {
    try {
      const v = JSON.parse(await readFile(this.path(key), 'utf8')) as { key?: unknown; value?: unknown };
      return v.key === key ? v.value : undefined;
    } catch {
      return undefined;
    }
  }

  async set(key: string, value: unknown): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const file = this.path(key);
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify({ key, value }), { mode: 0o600 });
    await rename(tmp, file);
  }
}

export function tufCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MODELSEAL_TUF_CACHE) return env.MODELSEAL_TUF_CACHE;
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'modelseal', 'tuf');
}

async function keeper(env: NodeJS.ProcessEnv): Promise<TrustRootKeeper> {
  const baseUrl = env.MODELSEAL_TUF_URL || PRODUCTION_TUF_URL;
  const seedRoot = env.MODELSEAL_TUF_SEED ? new Uint8Array(await readSmall(env.MODELSEAL_TUF_SEED, 'TUF seed root')) : productionTufSeedRoot();
  return new TrustRootKeeper({
    fetch: (input, init) => fetch(input, init),
    storage: new FileStorage(tufCacheDir(env)),
    clock: { now: () => Date.now() },
    baseUrl,
    seedRoot,
    builtIn: productionTrustedRootJson(),
  });
}

/**
 * The trusted root a Sigstore verification of this command uses (undefined: the built-in one; an
 * UnusableTrustedRoot when the updated one expired and could not be renewed). Says on stderr when
 * the built-in root is used and why.
 */
export async function sigstoreTrustedRoot(args: { trustedRoot?: string; offline: boolean }, env: NodeJS.ProcessEnv = process.env): Promise<unknown> {
  if (args.trustedRoot !== undefined) return trustedRootOf(args.trustedRoot);
  const k = await keeper(env);
  if (!args.offline) await k.refreshIfDue(UPDATE_AGE_MS);
  const choice = await k.choose(!args.offline);
  if (choice.tag === 'builtin') {
    const s = await k.status(!args.offline);
    const why = args.offline ? '--offline' : s.lastError ? `${safe(s.host)}: ${safe(s.lastError.reason)} [${s.lastError.code}]` : 'no update yet';
    process.stderr.write(`modelseal: Sigstore trust root: built-in, from ${s.builtInDate ?? 'unknown date'}, not updated (${why})\n`);
  }
  return choice.root;
}
