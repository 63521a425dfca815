/**
 * Locks through the BUILT CLI against a loopback Hub server: `modelseal lock` writes a revision's
 * signed content; `download --lock` and `verify --lock` accept only that exact content. A later
 * revision validly signed by the same signer over other content is refused with LOCK_MISMATCH, a
 * lock for another repo with LOCK_OTHER_REPO, and a lock whose own root digest does not recompute
 * (or that is not a lock at all) with LOCK_INVALID, before anything is fetched.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, ensureCliBuilt } from './built-cli.js';
import { startLoopbackHub, type LoopbackHub } from './loopback-hub.mjs';
import { KEY, bytesOf, signedRepo } from './download-fixtures.js';
import { createSigstoreSigner, createTestSigstore, signModel } from '../factory/index.js';
import { commitSha, file, repo } from '../fixture-hub/repo.mjs';

const v1 = [
  { path: 'config.json', bytes: Buffer.from('{"v": 1}\n') },
  { path: 'w.bin', bytes: bytesOf('lock/v1', 300_000), lfs: true },
];
const v2 = [
  { path: 'config.json', bytes: Buffer.from('{"v": 2}\n') },
  { path: 'w.bin', bytes: bytesOf('lock/v2', 300_000), lfs: true },
];
const signedCommit = (files: typeof v1) => {
  const r = signedRepo('tmp/x', files);
  return [...r.commits.values()][0]!.files;
};
const sigstore = createTestSigstore({ seed: 'cli-lock' });
const root = sigstore.trustedRoot();
const sigFiles = (() => {
  const model = { 'w.bin': new Uint8Array(bytesOf('lock/sig', 100_000)) };
  const { signature } = signModel({ files: model, signer: createSigstoreSigner(sigstore, { identity: 'carol@example.com', issuer: 'https://issuer.example' }) });
  return [file('model.sig', signature), file('w.bin', Buffer.from(model['w.bin']), { lfs: true })];
})();

const repos = [
  repo({ id: 'acme/locked', commits: { v1: signedCommit(v1), v2: signedCommit(v2) } }),
  signedRepo('acme/elsewhere', v1),
  repo({ id: 'acme/sig', commits: { v1: sigFiles } }),
];
const V1 = commitSha('acme/locked:v1');

let hub: LoopbackHub;
const roots: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'modelseal-lock-'));
  roots.push(d);
  return d;
};
let keyFile = '';
let rootFile = '';
let lockV1 = '';

function run(args: string[], cwd = temp()): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('HF_')) env[k] = v;
  env.HF_HOME = join(temp(), 'hf');
  return new Promise((done) => execFile(process.execPath, [cliPath, ...args], { cwd, env, timeout: 120_000 }, (err, stdout, stderr) => done({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr })));
}

beforeAll(async () => {
  ensureCliBuilt();
  hub = await startLoopbackHub(repos);
  const d = temp();
  keyFile = join(d, 'key.pem');
  writeFileSync(keyFile, KEY.pem);
  rootFile = join(d, 'root.json');
  writeFileSync(rootFile, JSON.stringify(root));
  lockV1 = join(d, 'v1.lock.json');
  const r = await run(['lock', `acme/locked@${V1}`, '-o', lockV1, '--endpoint', hub.endpoint, '--key', keyFile]);
  if (r.code !== 0) throw new Error(`lock failed: ${r.stderr}`);
}, 300_000);
afterAll(async () => {
  await hub?.close();
  for (const d of roots) rmSync(d, { recursive: true, force: true });
});

describe('modelseal lock', () => {
  it('writes hub, kind, repo, commit, signer, root digest and every file with algorithm, digest and size', () => {
    const lock = JSON.parse(readFileSync(lockV1, 'utf8'));
    expect(lock).toMatchObject({ format: 'modelseal-lock', version: 1, hub: hub.endpoint, kind: 'model', repo: 'acme/locked', commit: V1, signer: { kind: 'key', keyFingerprint: KEY.fingerprint } });
    expect(lock.manifest.rootDigest).toMatch(/^[0-9a-f]{64}$/);
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(lock.files).toEqual([
      { path: 'config.json', algorithm: 'sha256', digest: sha(v1[0]!.bytes), size: v1[0]!.bytes.length },
      { path: 'w.bin', algorithm: 'sha256', digest: sha(v1[1]!.bytes), size: v1[1]!.bytes.length },
    ]);
  });
});

describe('--lock accepts only the locked content', () => {
  it('download --lock alone fetches the locked commit and verifies it; verify --lock accepts the copy', async () => {
    const cwd = temp();
    const alone = await run(['download', '--lock', lockV1, '--key', keyFile, '--endpoint', hub.endpoint], cwd);
    expect(alone.code, alone.stderr).toBe(0);
    expect(readFileSync(join(cwd, 'locked', 'w.bin')).equals(v1[1]!.bytes)).toBe(true);

    const dir = join(temp(), 'copy');
    const r = await run(['download', '--lock', lockV1, 'acme/locked', dir, '--endpoint', hub.endpoint, '--key', keyFile]);
    // acme/locked without @: the default head (v2) is other content: refused.
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('NOT VERIFIED (lock-mismatch)');
    expect(r.stderr).toContain('[LOCK_MISMATCH]');
    expect(existsSync(join(dir, 'w.bin'))).toBe(false);

    const d1 = join(temp(), 'v1');
    const ok = await run(['download', `acme/locked@${V1}`, d1, '--lock', lockV1, '--endpoint', hub.endpoint, '--key', keyFile]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/sources that agreed: signature, hub's listed digests \(1 file\), bytes hashed here \(2 files\), your lock, your policy/);
    expect(readFileSync(join(d1, 'w.bin')).equals(v1[1]!.bytes)).toBe(true);
    const v = await run(['verify', d1, '--lock', lockV1, '--key', keyFile]);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toContain('your lock');
  });

  it('a later revision validly signed by the same signer is refused by verify --lock (LOCK_MISMATCH), though verify alone accepts it', async () => {
    const d2 = join(temp(), 'v2');
    const got = await run(['download', 'acme/locked', d2, '--endpoint', hub.endpoint, '--key', keyFile]);
    expect(got.code, got.stderr).toBe(0);
    expect((await run(['verify', d2, '--key', keyFile])).code).toBe(0);
    const locked = await run(['verify', d2, '--lock', lockV1, '--key', keyFile]);
    expect(locked.code).toBe(1);
    expect(locked.stderr).toContain('NOT VERIFIED (lock-mismatch)');
    expect(locked.stderr).toContain('[LOCK_MISMATCH]');
  });

  it('a lock for another repo is refused with LOCK_OTHER_REPO, before any weight is fetched', async () => {
    hub.seen.length = 0;
    const r = await run(['download', 'acme/elsewhere', join(temp(), 'e'), '--lock', lockV1, '--endpoint', hub.endpoint, '--key', keyFile]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[LOCK_OTHER_REPO]');
    expect(hub.seen.filter((s) => s.path.endsWith('/w.bin'))).toEqual([]);
  });

  it('a lock whose root digest does not recompute, or that is not a lock, is refused with LOCK_INVALID and nothing is fetched', async () => {
    const lock = JSON.parse(readFileSync(lockV1, 'utf8'));
    lock.files[1].digest = 'f'.repeat(64);
    const forged = join(temp(), 'forged.json');
    writeFileSync(forged, JSON.stringify(lock));
    hub.seen.length = 0;
    const d = await run(['download', '--lock', forged, '--endpoint', hub.endpoint, '--key', keyFile]);
    expect(d.code).toBe(1);
    expect(d.stderr).toContain('[LOCK_INVALID]');
    expect(d.stderr).toContain('does not recompute');
    expect(hub.seen).toEqual([]);
    const copy = join(temp(), 'c');
    expect((await run(['download', `acme/locked@${V1}`, copy, '--endpoint', hub.endpoint, '--key', keyFile])).code).toBe(0);
    const v = await run(['verify', copy, '--lock', forged, '--key', keyFile]);
    expect(v.code).toBe(1);
    expect(v.stderr).toContain('[LOCK_INVALID]');
    const junk = join(temp(), 'junk.json');
    writeFileSync(junk, '{"format": "modelseal-lock", "version": 2}');
    expect((await run(['verify', copy, '--lock', junk, '--key', keyFile])).stderr).toContain('[LOCK_INVALID]');
  });

  it('a Sigstore lock stands alone: lock with no signer named records it; download and verify --lock need nothing else', async () => {
    const lockFile = join(temp(), 'sig.lock.json');
    const l = await run(['lock', 'acme/sig', '-o', lockFile, '--endpoint', hub.endpoint, '--trusted-root', rootFile]);
    expect(l.code, l.stderr).toBe(0);
    expect(l.stdout).toContain('carol@example.com');
    expect(l.stdout).toContain('no signer was named');
    const dir = join(temp(), 'sig');
    const d = await run(['download', '--lock', lockFile, 'acme/sig', dir, '--endpoint', hub.endpoint, '--trusted-root', rootFile]);
    expect(d.code, d.stderr).toBe(0);
    expect(d.stdout).toContain('transparency log entry');
    const v = await run(['verify', dir, '--lock', lockFile, '--trusted-root', rootFile]);
    expect(v.code, v.stderr).toBe(0);
  });
});
