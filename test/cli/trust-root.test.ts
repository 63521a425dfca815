/**
 * The CLI's trust root through the BUILT CLI, against a loopback TUF repository (MODELSEAL_TUF_URL
 * and MODELSEAL_TUF_SEED) whose target trusts the factory's test Sigstore instance: `--offline` and
 * a fresh cache use the built-in root (the test signature does not verify, and stderr says so); an
 * update makes it verify and is cached for a day; an expired cached root with the repository gone is
 * "could not verify" (TRUST_ROOT_EXPIRED), never the built-in root.
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, ensureCliBuilt } from './built-cli.js';
import { writeModel } from '../factory/index.js';
import { sigstoreTuf, sigstoreSignedModel, TUF_TEST_IDENTITY, TUF_TEST_ISSUER } from '../factory/tuf-sigstore.js';
import { FileStorage } from '../../extension/cli/trust-root.js';
import { parseDownloadArgs } from '../../extension/cli/download-args.js';
import { parseVerifyArgs } from '../../extension/cli/verify-command.js';
import { TrustRootKeeper } from '../../extension/core/tuf/trust-root.js';
import { productionTrustedRootJson } from '../../extension/core/sigstore/trusted-root.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const roots: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'modelseal-cli-tuf-'));
  roots.push(d);
  return d;
};

const { sigstore, tuf, seedRoot } = sigstoreTuf(new Date());
const asked: string[] = [];
let server: Server;
let base: string;
let modelDir: string;
let seedFile: string;

// Building the CLI when its sources are newer takes a while on a loaded machine.
beforeAll(ensureCliBuilt, 300_000);

beforeAll(async () => {
  server = createServer((req, res) => {
    const name = (req.url ?? '/').slice(1);
    asked.push(name);
    const body = tuf.files.get(name);
    res.writeHead(body ? 200 : 404).end(body ? Buffer.from(body) : 'not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = temp();
  seedFile = join(dir, '1.root.json');
  writeFileSync(seedFile, seedRoot);
  modelDir = join(dir, 'model');
  const { signature, files } = sigstoreSignedModel(sigstore, 'cli-model');
  writeModel(modelDir, files);
  writeFileSync(join(modelDir, 'model.sig'), signature);
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  for (const d of roots) rmSync(d, { recursive: true, force: true });
});

function verify(extra: string[], env: Record<string, string>): Promise<Run> {
  const args = [cliPath, 'verify', modelDir, '--identity', TUF_TEST_IDENTITY, '--issuer', TUF_TEST_ISSUER, ...extra];
  return new Promise((done) =>
    execFile(process.execPath, args, { env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout, stderr) =>
      done({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr }),
    ),
  );
}

describe('modelseal trust root (TUF)', () => {
  it('--offline is a flag of every command that verifies (verify, download, lock)', () => {
    expect(parseVerifyArgs(['m', '--key', 'k.pem', '--offline'])).toMatchObject({ offline: true });
    expect(parseVerifyArgs(['m', '--key', 'k.pem'])).toMatchObject({ offline: false });
    expect(parseDownloadArgs(['org/x', '--key', 'k.pem', '--offline'])).toMatchObject({ offline: true });
    expect(parseDownloadArgs(['org/x', '--offline'], 'lock')).toMatchObject({ offline: true });
    expect(parseDownloadArgs(['org/x', '--offline=yes'], 'lock')).toBe('--offline takes no value');
  });

  it('--offline uses the built-in root and says so; no request is made', async () => {
    const cache = temp();
    const n = asked.length;
    const r = await verify(['--offline'], { MODELSEAL_TUF_URL: base, MODELSEAL_TUF_SEED: seedFile, MODELSEAL_TUF_CACHE: cache });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Sigstore trust root: built-in, from \d{4}-\d{2}-\d{2}, not updated \(--offline\)/);
    expect(asked.length).toBe(n);
    expect(readdirSync(cache)).toEqual([]);
  });

  it('updates from the repository, verifies with the updated root, and reuses the cache for a day', async () => {
    const cache = temp();
    const env = { MODELSEAL_TUF_URL: base, MODELSEAL_TUF_SEED: seedFile, MODELSEAL_TUF_CACHE: cache };
    const n = asked.length;
    const r = await verify([], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('built-in');
    expect(asked.slice(n)).toContain('timestamp.json');
    const m = asked.length;
    const again = await verify([], env);
    expect(again.code, again.stderr).toBe(0);
    expect(asked.length).toBe(m);
  });

  it('an unreachable repository on a fresh cache: the built-in root, with the reason on stderr', async () => {
    const r = await verify([], { MODELSEAL_TUF_URL: 'http://127.0.0.1:9', MODELSEAL_TUF_SEED: seedFile, MODELSEAL_TUF_CACHE: temp() });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/trust root: built-in, from [\d-]+, not updated \(127\.0\.0\.1:9: .*\[NETWORK_ERROR\]\)/);
  });

  it('an expired cached root and the repository gone: could not verify (TRUST_ROOT_EXPIRED), not the built-in root', async () => {
    const cache = temp();
    // A root verified 30 days ago (its timestamp lived 7): the cache as an old update left it.
    const old = sigstoreTuf(new Date(Date.now() - 30 * 86_400_000));
    const oldSeed = join(temp(), 'old-seed.json');
    writeFileSync(oldSeed, old.seedRoot);
    const gone = 'http://127.0.0.1:9';
    const keeper = new TrustRootKeeper({
      fetch: async (u) => {
        const body = old.tuf.files.get(new URL(String(u)).pathname.slice(1));
        return body ? new Response(new Uint8Array(body)) : new Response('no', { status: 404 });
      },
      storage: new FileStorage(cache),
      clock: { now: () => Date.now() - 30 * 86_400_000 },
      baseUrl: gone,
      seedRoot: old.seedRoot,
      builtIn: productionTrustedRootJson(),
    });
    expect(await keeper.refresh()).toBeDefined();
    const r = await verify(['--json'], { MODELSEAL_TUF_URL: gone, MODELSEAL_TUF_SEED: oldSeed, MODELSEAL_TUF_CACHE: cache });
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain('built-in');
    const out = JSON.parse(r.stdout) as { state: string; failure: { code: string; reason: string } };
    expect(out.state).toBe('unverifiable');
    expect(out.failure.code).toBe('TRUST_ROOT_EXPIRED');
    expect(out.failure.reason).toContain('could not renew it');
  });
});
