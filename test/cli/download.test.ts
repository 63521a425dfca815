/**
 * `modelseal download` through the BUILT CLI against a Hub API server on loopback (loopback-hub.mjs):
 * honest, lying, truncated, slow, stalled, rate-limited and Range-ignoring servers, resumption after
 * an interrupted run, the token kept from other origins, shard manifests and every hash type, and the
 * rule that no unverified file ever has its final name.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, ensureCliBuilt } from './built-cli.js';
import { startLoopbackHub, noFaults, type LoopbackHub } from './loopback-hub.mjs';
import { KEY, MiB, OTHER_KEY, bytesOf, modelFiles, signedRepo } from './download-fixtures.js';
import { signModel } from '../factory/index.js';
import { file, repo } from '../fixture-hub/repo.mjs';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const roots: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'modelseal-dl-'));
  roots.push(d);
  return d;
}

let keyFile = '';
let otherKeyFile = '';
let hfHome = '';

/** Runs the built CLI with a clean Hub environment (no token from the machine running the tests). */
export function cli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<Run> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('HF_')) env[k] = v;
  Object.assign(env, { HF_HOME: hfHome }, opts.env ?? {});
  return new Promise((done) => {
    execFile(process.execPath, [cliPath, ...args], { cwd: opts.cwd ?? tempDir(), env, timeout: 120_000 }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
    });
  });
}

const files = modelFiles('honest');
const sharded = [
  { path: 'big.bin', bytes: bytesOf('sharded/big', 2 * MiB + 300_001), lfs: true },
  { path: 'small.txt', bytes: Buffer.from('small\n') },
];
const blake3Files = [{ path: 'w.bin', bytes: bytesOf('blake3/w', MiB + 3), lfs: true }];
const perFile = bytesOf('partly/model', MiB);
const perFileSig = signModel({ file: { name: 'model.safetensors', content: new Uint8Array(perFile) }, signer: KEY.signer }).signature;
const repos = [
  signedRepo('acme/model', files),
  signedRepo('acme/other-signer', modelFiles('other'), { key: OTHER_KEY }),
  signedRepo('acme/shards', sharded, { method: 'shards', hashType: 'blake2b', shardSize: MiB }),
  signedRepo('acme/blake3', blake3Files, { hashType: 'blake3' }),
  repo({ id: 'acme/partly', commits: { v1: [file('model.safetensors', perFile, { lfs: true }), file('model.safetensors.sig', perFileSig), file('extra.py', 'print("not signed")\n')] } }),
  repo({ id: 'acme/unsigned', commits: { v1: [file('weights.bin', bytesOf('unsigned', 1000), { lfs: true })] } }),
  { ...signedRepo('acme/gated', modelFiles('gated', [1000, 2000])), gated: true },
  { ...signedRepo('acme/data', modelFiles('data', [5000, 6000])), kind: 'dataset' as const },
];

let hub: LoopbackHub;
beforeAll(async () => {
  ensureCliBuilt();
  hub = await startLoopbackHub(repos);
  const d = tempDir();
  hfHome = join(d, 'hf-home');
  keyFile = join(d, 'key.pem');
  otherKeyFile = join(d, 'other.pem');
  writeFileSync(keyFile, KEY.pem);
  writeFileSync(otherKeyFile, OTHER_KEY.pem);
}, 300_000);
afterEach(() => {
  Object.assign(hub.faults, noFaults());
  hub.seen.length = 0;
});
afterAll(async () => {
  await hub?.close();
  for (const d of roots) rmSync(d, { recursive: true, force: true });
});

const download = (repoSpec: string, dir: string, extra: string[] = [], env?: Record<string, string>) =>
  cli(['download', repoSpec, dir, '--endpoint', hub.endpoint, '--key', keyFile, ...extra], env ? { env } : {});

/** Every name under `dir`, recursively, relative. */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, pre: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), `${pre}${e.name}/`);
      else out.push(`${pre}${e.name}`);
    }
  };
  if (existsSync(dir)) walk(dir, '');
  return out.sort();
}

const weightRequests = () => hub.seen.filter((s) => s.path.includes('/resolve/') && s.path.includes('weights/'));

describe('modelseal download: an honest hub', () => {
  it('verifies the signature first, then downloads every signed file, hashed, into place; a rerun fetches nothing', async () => {
    const dir = join(tempDir(), 'model');
    const r = await download('acme/model', dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Verified: signed by key sha256:');
    expect(tree(dir)).toEqual(['config.json', 'model.sig', 'weights/a.safetensors', 'weights/b.safetensors']);
    for (const f of files) expect(readFileSync(join(dir, f.path)).equals(f.bytes), f.path).toBe(true);
    // Plain lines when stderr is not a terminal.
    expect(r.stderr).toContain('downloading weights/a.safetensors');
    expect(r.stderr).toMatch(/verified +weights\/a\.safetensors/);
    // The resolve requests name the verified commit, never a branch.
    expect(weightRequests().every((s) => /\/resolve\/[0-9a-f]{40}\//.test(s.path))).toBe(true);

    // The copy verifies on disk with `modelseal verify` (model.sig came along).
    const v = await cli(['verify', dir, '--key', keyFile]);
    expect(v.code, v.stderr).toBe(0);

    hub.seen.length = 0;
    const again = await download('acme/model', dir);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('(already on disk)');
    expect(weightRequests()).toEqual([]);
  });

  it('--json prints the verdict and what happened to each file; --include selects files', async () => {
    const dir = join(tempDir(), 'm');
    const r = await download('acme/model', dir, ['--json', '--include', 'weights/a*']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.verdict.state).toBe('verified');
    expect(out.download.downloaded).toEqual(['weights/a.safetensors']);
    expect(out.download.excluded).toBe(2);
    expect(tree(dir)).toEqual(['model.sig', 'weights/a.safetensors']);
  });

  it('shard manifests (blake2b, 1 MiB shards) and blake3 manifests are hashed while streaming', async () => {
    const d1 = join(tempDir(), 's');
    const r1 = await download('acme/shards', d1);
    expect(r1.code, r1.stderr).toBe(0);
    expect(readFileSync(join(d1, 'big.bin')).equals(sharded[0]!.bytes)).toBe(true);
    const d2 = join(tempDir(), 'b3');
    const r2 = await download('acme/blake3', d2);
    expect(r2.code, r2.stderr).toBe(0);
    expect(readFileSync(join(d2, 'w.bin')).equals(blake3Files[0]!.bytes)).toBe(true);
  });

  it('a lying shard server is caught at the shard that differs', async () => {
    const lie = Buffer.from(sharded[0]!.bytes);
    lie[MiB + 5] = lie[MiB + 5]! ^ 1;
    hub.faults.lie['big.bin'] = lie;
    const dir = join(tempDir(), 's');
    const r = await download('acme/shards', dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[FILES_MISMATCH]');
    expect(r.stderr).toContain(`(bytes ${MiB}-${2 * MiB})`);
    expect(tree(dir)).toEqual(['model.sig', 'small.txt']);
  });
});

describe('modelseal download: refused before any weight is fetched', () => {
  it('a signer other than the one named', async () => {
    const dir = join(tempDir(), 'x');
    const r = await download('acme/other-signer', dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('NOT VERIFIED (invalid-signature)');
    expect(r.stderr).toContain('[KEY_MISMATCH]');
    expect(r.stderr).toContain('nothing was downloaded');
    expect(weightRequests()).toEqual([]);
    expect(existsSync(dir)).toBe(false);
  });

  it('an unsigned repo', async () => {
    const dir = join(tempDir(), 'x');
    const r = await download('acme/unsigned', dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('signature-removed');
    expect(hub.seen.filter((s) => s.path.includes('/resolve/'))).toEqual([]);
    expect(existsSync(dir)).toBe(false);
  });

  it('bad usage exits 2', async () => {
    expect((await cli(['download'])).code).toBe(2);
    expect((await cli(['download', 'acme/model'])).code).toBe(2);
    expect((await cli(['download', 'acme/model', '--key', keyFile, '--trust-store', keyFile])).code).toBe(2);
    expect((await cli(['download', 'acme/model', '--key', keyFile, '--jobs', '0'])).code).toBe(2);
  });
});

describe('modelseal download: hostile and faulty servers', () => {
  it('a lying hub (lists the signed SHA-256, serves other bytes) is refused with expected and actual digests; nothing unverified is kept', async () => {
    const real = files[1]!.bytes;
    const lie = Buffer.from(real);
    lie[12345] = lie[12345]! ^ 0xff;
    hub.faults.lie['weights/a.safetensors'] = lie;
    const dir = join(tempDir(), 'lie');
    const r = await download('acme/model', dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('NOT VERIFIED (files-changed)');
    expect(r.stderr).toContain('[FILES_MISMATCH]');
    const expected = (await import('node:crypto')).createHash('sha256').update(real).digest('hex');
    const actual = (await import('node:crypto')).createHash('sha256').update(lie).digest('hex');
    expect(r.stderr).toContain(`expected ${expected} actual ${actual}`);
    expect(r.stderr).toContain(`served by 127.0.0.1`);
    // The lied-about file is neither under its name nor kept as a partial; the honest ones are in place.
    expect(tree(dir)).toEqual(['config.json', 'model.sig', 'weights/b.safetensors']);
  });

  it('a truncated body is an error that keeps the partial file; the next run resumes it with a Range request', async () => {
    const cut = 1 * MiB + 4321;
    hub.faults.truncate['weights/a.safetensors'] = cut;
    const dir = join(tempDir(), 'trunc');
    const first = await download('acme/model', dir, ['--retries', '1']);
    expect(first.code).toBe(1);
    expect(first.stderr).toContain('[NETWORK_ERROR]');
    expect(first.stderr).toMatch(/retrying in 1 s \(attempt 2 of 2\), from byte \d+/);
    expect(first.stderr).toContain('partial kept as');
    expect(tree(dir)).toEqual(['config.json', 'model.sig', 'weights/.a.safetensors.modelseal-partial', 'weights/b.safetensors']);
    const kept = readFileSync(join(dir, 'weights/.a.safetensors.modelseal-partial'));
    expect(kept.length).toBe(cut);

    Object.assign(hub.faults, noFaults());
    hub.seen.length = 0;
    const second = await download('acme/model', dir);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain(`resuming from byte ${cut}`);
    expect(weightRequests().map((s) => s.range)).toEqual([`bytes=${cut}-`]);
    expect(readFileSync(join(dir, 'weights/a.safetensors')).equals(files[1]!.bytes)).toBe(true);
    expect(tree(dir)).toEqual(['config.json', 'model.sig', 'weights/a.safetensors', 'weights/b.safetensors']);
  });

  it('a server that ignores Range restarts the file from byte 0 and says why', async () => {
    const dir = join(tempDir(), 'norange');
    mkdirSync(join(dir, 'weights'), { recursive: true });
    writeFileSync(join(dir, 'weights/.a.safetensors.modelseal-partial'), files[1]!.bytes.subarray(0, 1000));
    hub.faults.ignoreRange = true;
    const r = await download('acme/model', dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('the server ignored the Range request (answered 200); restarted from byte 0');
    expect(readFileSync(join(dir, 'weights/a.safetensors')).equals(files[1]!.bytes)).toBe(true);
  });

  it('a wrong partial (bytes not the signed ones) is resumed, fails the digest, is deleted, and the file is fetched again from byte 0', async () => {
    const dir = join(tempDir(), 'badpartial');
    mkdirSync(join(dir, 'weights'), { recursive: true });
    writeFileSync(join(dir, 'weights/.a.safetensors.modelseal-partial'), Buffer.alloc(1000, 7));
    const r = await download('acme/model', dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('the resumed file does not match the signature');
    expect(weightRequests().filter((s) => s.path.endsWith('/a.safetensors')).map((s) => s.range)).toEqual(['bytes=1000-', undefined]);
    expect(readFileSync(join(dir, 'weights/a.safetensors')).equals(files[1]!.bytes)).toBe(true);
    expect(tree(dir)).toEqual(['config.json', 'model.sig', 'weights/a.safetensors', 'weights/b.safetensors']);
  });

  it('a lying server with a kept partial: the fresh fetch fails too, and nothing is kept', async () => {
    const dir = join(tempDir(), 'lie-partial');
    mkdirSync(join(dir, 'weights'), { recursive: true });
    writeFileSync(join(dir, 'weights/.a.safetensors.modelseal-partial'), files[1]!.bytes.subarray(0, 1000));
    const lie = Buffer.from(files[1]!.bytes);
    lie[lie.length - 1] = lie[lie.length - 1]! ^ 1;
    hub.faults.lie['weights/a.safetensors'] = lie;
    const r = await download('acme/model', dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[FILES_MISMATCH]');
    expect(tree(dir)).toEqual(['config.json', 'model.sig', 'weights/b.safetensors']);
  });

  it('429 and 503 answers are retried after Retry-After / back-off, within bounds', async () => {
    hub.faults.rateLimit = 2;
    hub.faults.unavailable = 1;
    const dir = join(tempDir(), 'rl');
    const r = await download('acme/model', dir, ['--jobs', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('the hub is rate limiting downloads (429); retrying in 1 s');
    expect(r.stderr).toContain('the server answered 503; retrying in');

    hub.faults.rateLimit = 100;
    const d2 = join(tempDir(), 'rl2');
    const give = await download('acme/model', d2, ['--retries', '1', '--include', 'weights/b*']);
    expect(give.code).toBe(1);
    expect(give.stderr).toContain('[RATE_LIMITED]');
    expect(tree(d2)).toEqual(['model.sig']);
  });

  it('a slow server completes; a stalled one times out and keeps its partial', async () => {
    hub.faults.slow = { chunk: 64 * 1024, delayMs: 5 };
    const dir = join(tempDir(), 'slow');
    const r = await download('acme/model', dir, ['--include', 'weights/b*']);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'weights/b.safetensors')).equals(files[2]!.bytes)).toBe(true);

    Object.assign(hub.faults, noFaults());
    hub.faults.stall['weights/a.safetensors'] = 500_000;
    const d2 = join(tempDir(), 'stall');
    const s = await download('acme/model', d2, ['--timeout', '1', '--retries', '0', '--include', 'weights/a*']);
    expect(s.code).toBe(1);
    expect(s.stderr).toContain('[TIMEOUT]');
    expect(tree(d2)).toEqual(['model.sig', 'weights/.a.safetensors.modelseal-partial']);
  });

  it('a file already under its final name that is not the signed one is moved aside, then replaced by verified bytes only', async () => {
    const dir = join(tempDir(), 'tampered');
    mkdirSync(join(dir, 'weights'), { recursive: true });
    const bad = Buffer.from(files[2]!.bytes);
    bad[0] = bad[0]! ^ 1;
    writeFileSync(join(dir, 'weights/b.safetensors'), bad);
    hub.faults.truncate['weights/b.safetensors'] = 1000;
    const r = await download('acme/model', dir, ['--retries', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is not the signed one; moved aside');
    expect(existsSync(join(dir, 'weights/b.safetensors'))).toBe(false);
    expect(readFileSync(join(dir, 'weights/.b.safetensors.modelseal-rejected')).equals(bad)).toBe(true);
  });
});

describe('modelseal download: hub access', () => {
  it('HF_ENDPOINT and HF_TOKEN are honoured; the token goes to the hub origin only, never to the CDN it redirects to', async () => {
    hub.faults.cdn = true;
    hub.faults.token = 'hf_secret_token';
    const dir = join(tempDir(), 'gated');
    const r = await cli(['download', 'acme/gated', dir, '--key', keyFile], { env: { HF_ENDPOINT: hub.endpoint, HF_TOKEN: 'hf_secret_token' } });
    expect(r.code, r.stderr).toBe(0);
    const toHub = hub.seen.filter((s) => s.server === 'hub');
    const toCdn = hub.seen.filter((s) => s.server === 'cdn');
    expect(toCdn.length).toBe(2);
    expect(toCdn.every((s) => s.authorization === undefined)).toBe(true);
    expect(toHub.length).toBeGreaterThan(3);
    expect(toHub.every((s) => s.authorization === 'Bearer hf_secret_token')).toBe(true);
    expect(r.stderr).not.toContain('hf_secret_token');
  });

  it('--token overrides HF_TOKEN; without a token a gated repo is "could not verify", nothing downloaded', async () => {
    hub.faults.token = 'right';
    const dir = join(tempDir(), 'g2');
    const ok = await cli(['download', 'acme/gated', dir, '--key', keyFile, '--token', 'right'], { env: { HF_ENDPOINT: hub.endpoint, HF_TOKEN: 'wrong' } });
    expect(ok.code, ok.stderr).toBe(0);
    const d3 = join(tempDir(), 'g3');
    const anon = await cli(['download', 'acme/gated', d3, '--key', keyFile], { env: { HF_ENDPOINT: hub.endpoint } });
    expect(anon.code).toBe(1);
    expect(anon.stderr).toContain('[AUTH_REQUIRED]');
    expect(existsSync(d3)).toBe(false);
  });
});

describe('modelseal download: datasets', () => {
  it('--dataset reads the dataset API and resolves dataset files', async () => {
    const dir = join(tempDir(), 'data');
    const r = await download('acme/data', dir, ['--dataset']);
    expect(r.code, r.stderr).toBe(0);
    expect(hub.seen.some((s) => s.path.startsWith('/api/datasets/acme/data/'))).toBe(true);
    expect(hub.seen.some((s) => s.path.startsWith('/datasets/acme/data/resolve/'))).toBe(true);
    expect(tree(dir)).toEqual(['config.json', 'model.sig', 'weights/a.safetensors', 'weights/b.safetensors']);
    // Without --dataset the model of that name does not exist: could not verify, nothing written.
    const m = await download('acme/data', join(tempDir(), 'm'));
    expect(m.code).toBe(1);
  });
});

describe('modelseal download: partly signed repos', () => {
  it('downloads only what a signature covers and says what it left out', async () => {
    const dir = join(tempDir(), 'p');
    const r = await download('acme/partly', dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('NOT VERIFIED (partly-signed)');
    expect(r.stderr).toContain('not downloaded, covered by no signature: extra.py');
    expect(tree(dir)).toEqual(['model.safetensors', 'model.safetensors.sig']);
    const only = await download('acme/partly', join(tempDir(), 'p2'), ['--include', 'model.safetensors']);
    expect(only.code, only.stderr).toBe(0);
  });
});
