/**
 * `modelseal verify` through the BUILT CLI (dist/cli/modelseal.js):
 * - the four real model_signing signatures with the upstream commands' parameters (both styles:
 *   from the fixtures folder and from inside the model), each with negative variants on a temp copy;
 * - generated models (factory): shards, every hash type, single files, symlinks, JSON output;
 * - usage errors exit 2.
 */
import { execFile, execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureCliBuilt, cliPath } from './built-cli.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaSigner, createKeySigner, signModel, writeModel, writeScenarioModels } from '../factory/index.js';

const repo = process.cwd();
const REAL = resolve(repo, '../shared/fixtures/oms-real');
const cli = cliPath;
const IDENTITY = 'stefanb@us.ibm.com';
const ISSUER = 'https://sigstore.verify.ibm.com/oauth2';



interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function verify(args: string[], cwd: string): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, [cli, 'verify', ...args], { cwd, timeout: 60_000 }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
    });
  });
}

const tmpRoots: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'modelseal-cli-'));
  tmpRoots.push(d);
  return d;
}
afterAll(() => {
  for (const d of tmpRoots) rmSync(d, { recursive: true, force: true });
});

/** Copies a fixture model (read-only files) into a writable temp dir; returns the copy's parent. */
function copyFixture(name: string): { parent: string; dir: string } {
  const parent = tempDir();
  const dir = join(parent, name);
  cpSync(join(REAL, name), dir, { recursive: true });
  chmodSync(dir, 0o755);
  for (const f of readdirSync(dir)) chmodSync(join(dir, f), 0o644);
  return { parent, dir };
}

function expectFailure(r: Run, code: string): void {
  expect(r.code, r.stderr + r.stdout).toBe(1);
  expect(r.stderr).toContain(`[${code}]`);
}

beforeAll(ensureCliBuilt, 300_000);

if (!existsSync(REAL)) {
  console.log(`real OMS fixtures not found at ${REAL}: real-signature CLI tests not registered`);
} else {
  // The four upstream scripts, as argument lists (model_signing's flag spellings, unchanged).
  const sigstoreArgs = (v: string, style: 'outside' | 'inside', identity = IDENTITY, issuer = ISSUER) =>
    style === 'outside'
      ? ['--identity', identity, '--identity_provider', issuer, '--ignore-paths', `./${v}/ignore-me`, '--signature', `./${v}/model.sig`, `./${v}/`]
      : ['--identity', identity, '--identity_provider', issuer, '--ignore-paths', 'ignore-me', '--signature', 'model.sig', '.'];
  const certArgs = (ca: string) => ['--ignore-paths', './v1.1.0-certificate/ignore-me', '--signature', './v1.1.0-certificate/model.sig', '--certificate_chain', ca, './v1.1.0-certificate/'];
  const keyArgs = (key: string) => ['--ignore-paths', './v1.1.0-elliptic-key/ignore-me', '--signature', './v1.1.0-elliptic-key/model.sig', '--public_key', key, './v1.1.0-elliptic-key'];

  describe('real model_signing signatures (upstream test-verify-*.sh parameters)', () => {
    for (const v of ['v1.0.1-sigstore', 'v1.1.0-sigstore']) {
      it(`${v}: verifies from the fixtures folder and from inside the model`, async () => {
        const outside = await verify(sigstoreArgs(v, 'outside'), REAL);
        expect(outside.code, outside.stderr).toBe(0);
        expect(outside.stdout).toContain(`signed by ${IDENTITY} (issuer ${ISSUER}) [sigstore]`);
        const inside = await verify(sigstoreArgs(v, 'inside'), join(REAL, v));
        expect(inside.code, inside.stderr).toBe(0);
      });

      it(`${v}: --json prints a verified Verdict with the Rekor entry`, async () => {
        const r = await verify([...sigstoreArgs(v, 'outside'), '--json'], REAL);
        expect(r.code).toBe(0);
        const verdict = JSON.parse(r.stdout);
        expect(verdict.state).toBe('verified');
        expect(verdict.signature.signer).toMatchObject({ kind: 'sigstore', identity: IDENTITY, issuer: ISSUER });
        expect(verdict.signature.logEntries.length).toBe(1);
        expect(verdict.signature.rootDigest).toBe('61d4849d9d90076d6215f4d525f13d6574af8e3f67aef3e6f36fc40a14fdd226');
        expect(verdict.files.map((f: { path: string; status: string }) => `${f.path}:${f.status}`)).toEqual(['signme-1:verified', 'signme-2:verified', 'ignore-me:ignored', 'model.sig:ignored']);
      });

      it(`${v}: wrong identity, wrong issuer`, async () => {
        expectFailure(await verify(sigstoreArgs(v, 'outside', 'someone@example.com'), REAL), 'IDENTITY_MISMATCH');
        expectFailure(await verify(sigstoreArgs(v, 'outside', IDENTITY, 'https://accounts.google.com'), REAL), 'ISSUER_MISMATCH');
      });

      it(`${v}: one byte changed, a file added, a file removed (temp copy)`, async () => {
        const changed = copyFixture(v);
        const original = readFileSync(join(REAL, v, 'signme-2'));
        original[0] = (original[0] ?? 0) ^ 1; // one byte changed
        writeFileSync(join(changed.dir, 'signme-2'), original);
        const r1 = await verify(sigstoreArgs(v, 'outside'), changed.parent);
        expectFailure(r1, 'FILES_MISMATCH');
        expect(r1.stderr).toMatch(/mismatch\s+signme-2/);

        const added = copyFixture(v);
        writeFileSync(join(added.dir, 'extra.bin'), 'not signed');
        const r2 = await verify(sigstoreArgs(v, 'outside'), added.parent);
        expectFailure(r2, 'FILES_MISMATCH');
        expect(r2.stderr).toMatch(/unsigned\s+extra\.bin/);

        const removed = copyFixture(v);
        unlinkSync(join(removed.dir, 'signme-1'));
        const r3 = await verify(sigstoreArgs(v, 'inside'), removed.dir);
        expectFailure(r3, 'FILES_MISMATCH');
        expect(r3.stderr).toMatch(/missing\s+signme-1/);
      });
    }

    it('v1.0.1-sigstore records no ignore_paths: without --ignore-paths the extra file fails', async () => {
      const r = await verify(['--identity', IDENTITY, '--issuer', ISSUER, './v1.0.1-sigstore'], REAL);
      expectFailure(r, 'FILES_MISMATCH');
      expect(r.stderr).toMatch(/unsigned\s+ignore-me/);
    });

    it('v1.1.0-certificate verifies; wrong CA, changed/added/removed files fail', async () => {
      const ok = await verify(certArgs('./keys/certificate/ca-cert.pem'), REAL);
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toContain('signed by CN=intermediate-ca (CA CN=root-ca) [certificate]');
      const wrongCa = join(tempDir(), 'other-ca.pem');
      writeFileSync(wrongCa, createCaSigner({ seed: 'not-the-ca' }).caPem);
      expectFailure(await verify(certArgs(wrongCa), REAL), 'CERTIFICATE_CHAIN_INVALID');
      for (const mutate of mutations) {
        const copy = copyFixture('v1.1.0-certificate');
        mutate(copy.dir);
        expectFailure(await verify(certArgs(resolve(REAL, 'keys/certificate/ca-cert.pem')), copy.parent), 'FILES_MISMATCH');
      }
    });

    it('v1.1.0-elliptic-key verifies; wrong key, changed/added/removed files fail', async () => {
      const ok = await verify(keyArgs('./keys/certificate/signing-key-pub.pem'), REAL);
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toContain('key sha256:c1e49d63327f85c7e2971aefd30b5a0d1c6b9b5e1a892e7f5fba995adace816d');
      const wrongKey = join(tempDir(), 'other.pem');
      writeFileSync(wrongKey, createKeySigner('P-384', { seed: 'not-the-key' }).publicKeyPem);
      expectFailure(await verify(keyArgs(wrongKey), REAL), 'KEY_MISMATCH');
      for (const mutate of mutations) {
        const copy = copyFixture('v1.1.0-elliptic-key');
        mutate(copy.dir);
        expectFailure(await verify(keyArgs(resolve(REAL, 'keys/certificate/signing-key-pub.pem')), copy.parent), 'FILES_MISMATCH');
      }
    });

    it('a key signature checked in Sigstore mode, and a Sigstore one with --key, fail without crashing', async () => {
      expectFailure(await verify(['--identity', IDENTITY, '--issuer', ISSUER, '--ignore-paths', './v1.1.0-elliptic-key/ignore-me', './v1.1.0-elliptic-key'], REAL), 'VERIFICATION_MATERIAL_UNSUPPORTED');
      expectFailure(await verify(['--key', './keys/certificate/signing-key-pub.pem', './v1.1.0-sigstore'], REAL), 'VERIFICATION_MATERIAL_UNSUPPORTED');
    });
  });
}

/** One byte changed, a file added, a file removed. */
const mutations: ((dir: string) => void)[] = [
  (dir) => appendFileSync(join(dir, 'signme-1'), 'x'),
  (dir) => writeFileSync(join(dir, 'new-file'), 'extra'),
  (dir) => unlinkSync(join(dir, 'signme-2')),
];

describe('generated models through the CLI', () => {
  const key = createKeySigner('P-256', { seed: 'cli-test' });
  let keyFile: string;
  beforeAll(() => {
    keyFile = join(tempDir(), 'key.pem');
    writeFileSync(keyFile, key.publicKeyPem);
  });
  const model = { 'config.json': '{"layers": 2}', 'weights/part-1.bin': 'a'.repeat(5000), 'weights/part-2.bin': 'b'.repeat(3000), 'empty.txt': '' };

  for (const method of ['files', 'shards'] as const) {
    for (const hashType of ['sha256', 'blake2b', 'blake3'] as const) {
      it(`${method} / ${hashType}: verifies, then detects a changed byte`, async () => {
        const dir = join(tempDir(), 'model');
        writeModel(dir, model);
        signModel({ dir, signer: key, method, hashType, shardSize: 1024 });
        const ok = await verify(['--key', keyFile, dir], repo);
        expect(ok.code, ok.stderr).toBe(0);
        writeFileSync(join(dir, 'weights/part-2.bin'), 'b'.repeat(2999) + 'c');
        const bad = await verify(['--key', keyFile, dir], repo);
        expectFailure(bad, 'FILES_MISMATCH');
        expect(bad.stderr).toMatch(/mismatch\s+weights\/part-2\.bin/);
      });
    }
  }

  it('single-file model: MODEL_PATH is the file, signature given', async () => {
    const d = tempDir();
    const file = join(d, 'model.gguf');
    writeFileSync(file, 'GGUF weights');
    const signed = signModel({ file: { name: 'model.gguf', content: 'GGUF weights' }, signer: key });
    writeFileSync(join(d, 'model.gguf.sig'), signed.signature);
    expect((await verify(['--key', keyFile, '--signature', join(d, 'model.gguf.sig'), file], repo)).code).toBe(0);
    // Default signature for a single file: FILE.sig next to it.
    expect((await verify(['--key', keyFile, file], repo)).code).toBe(0);
    writeFileSync(file, 'GGUF weightz');
    expectFailure(await verify(['--key', keyFile, '--signature', join(d, 'model.gguf.sig'), file], repo), 'FILES_MISMATCH');
  });

  it('single-file model without FILE.sig: the default signature is model.sig beside it', async () => {
    const d = tempDir();
    const file = join(d, 'weights.gguf');
    writeFileSync(file, 'GGUF weights');
    const signed = signModel({ file: { name: 'weights.gguf', content: 'GGUF weights' }, signer: key });
    writeFileSync(join(d, 'model.sig'), signed.signature);
    expect((await verify(['--key', keyFile, file], repo)).code).toBe(0);
    writeFileSync(file, 'GGUF weightz');
    expectFailure(await verify(['--key', keyFile, file], repo), 'FILES_MISMATCH');
  });

  it('symlinks fail unless the signature allows them', async () => {
    const dir = join(tempDir(), 'model');
    writeModel(dir, { a: 'x' });
    const target = join(tempDir(), 'outside.bin');
    writeFileSync(target, 'outside');
    symlinkSync(target, join(dir, 'link.bin'));
    // Signed from a file map: the same statement model_signing writes for this directory.
    const allowed = signModel({ files: { a: 'x', 'link.bin': 'outside' }, signer: key, allowSymlinks: true });
    const disallowed = signModel({ files: { a: 'x', 'link.bin': 'outside' }, signer: key, allowSymlinks: false });
    writeFileSync(join(dir, 'model.sig'), disallowed.signature);
    expectFailure(await verify(['--key', keyFile, dir], repo), 'SYMLINK_NOT_ALLOWED');
    writeFileSync(join(dir, 'model.sig'), allowed.signature);
    const ok = await verify(['--key', keyFile, dir], repo);
    expect(ok.code, ok.stderr).toBe(0);
  });

  // Finding 11: open() on a FIFO blocks until a writer appears, so a symlinked FIFO used to hang the
  // CLI forever. Every file must be refused unless the opened handle is a regular file.
  const promptly = (args: string[]): Promise<Run & { killed: boolean }> =>
    new Promise((done) => {
      execFile(process.execPath, [cli, 'verify', ...args], { cwd: repo, timeout: 20_000, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
        done({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr, killed: err?.killed ?? false });
      });
    });
  for (const hashType of ['sha256', 'blake3'] as const) {
    // sha256 hashes on the worker pool, blake3 on the main thread: both open files.
    it(`a FIFO behind an allowed symlink is refused with IO_ERROR instead of hanging (${hashType})`, async () => {
      const dir = join(tempDir(), 'model');
      writeModel(dir, { a: 'x' });
      const fifo = join(tempDir(), 'pipe');
      execFileSync('mkfifo', [fifo]);
      symlinkSync(fifo, join(dir, 'pipe.bin'));
      const signed = signModel({ files: { a: 'x', 'pipe.bin': 'weights' }, signer: key, allowSymlinks: true, hashType });
      writeFileSync(join(dir, 'model.sig'), signed.signature);
      const r = await promptly(['--key', keyFile, dir]);
      expect(r.killed, 'the CLI hung on the FIFO').toBe(false);
      expectFailure(r, 'IO_ERROR');
      expect(r.stderr).toMatch(/pipe\.bin: .*not a regular file/);
    });
  }

  it('a signature or key that is a symlink to a FIFO is refused promptly (exit 2)', async () => {
    const dir = join(tempDir(), 'model');
    writeModel(dir, { a: 'x' });
    const fifo = join(tempDir(), 'pipe');
    execFileSync('mkfifo', [fifo]);
    symlinkSync(fifo, join(dir, 'model.sig'));
    const sig = await promptly(['--key', keyFile, dir]);
    expect(sig.killed, 'the CLI hung on the FIFO').toBe(false);
    expect(sig.code, sig.stderr).toBe(2);
    expect(sig.stderr).toContain('not a regular file');
    unlinkSync(join(dir, 'model.sig'));
    signModel({ dir, signer: key });
    const keyLink = join(tempDir(), 'key.pem');
    symlinkSync(fifo, keyLink);
    const k = await promptly(['--key', keyLink, dir]);
    expect(k.killed, 'the CLI hung on the FIFO').toBe(false);
    expect(k.code, k.stderr).toBe(2);
    expect(k.stderr).toContain('not a regular file');
  });

  it('verify-bundle refuses a FIFO artifact promptly', async () => {
    const d = tempDir();
    const fifo = join(d, 'artifact');
    execFileSync('mkfifo', [fifo]);
    writeFileSync(join(d, 'bundle.json'), '{}');
    const r = await new Promise<{ code: number | null; stderr: string; killed: boolean }>((done) => {
      execFile(process.execPath, [cli, 'verify-bundle', '--bundle', join(d, 'bundle.json'), '--key', keyFile, fifo], { timeout: 20_000, killSignal: 'SIGKILL' }, (err, _o, stderr) =>
        done({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stderr, killed: err?.killed ?? false }),
      );
    });
    expect(r.killed, 'the CLI hung on the FIFO').toBe(false);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/IO_ERROR: artifact .* is not a regular file \(a FIFO\)/);
  });

  it('ignore paths outside the model are dropped; inside ones apply (relative to the CWD)', async () => {
    const parent = tempDir();
    const dir = join(parent, 'm');
    writeModel(dir, { a: 'x' });
    signModel({ dir, signer: key });
    mkdirSync(join(dir, 'cache'));
    writeFileSync(join(dir, 'cache', 'tmp'), 'y');
    expectFailure(await verify(['--key', keyFile, '--ignore-paths', join(parent, 'elsewhere'), dir], repo), 'FILES_MISMATCH');
    expect((await verify(['--key', keyFile, '--ignore-paths', 'm/cache', 'm'], parent)).code).toBe(0);
    expect((await verify(['--key', keyFile, '--ignore-paths', 'cache', '--', '.'], dir)).code).toBe(0);
  });

  it('a corrupt or oversized signature is exit 1 with a code, never a crash', async () => {
    const dir = join(tempDir(), 'model');
    writeModel(dir, { a: 'x' });
    writeFileSync(join(dir, 'model.sig'), '{"mediaType": ');
    expectFailure(await verify(['--key', keyFile, dir], repo), 'BUNDLE_MALFORMED');
    writeFileSync(join(dir, 'model.sig'), '['.repeat(100) + ']'.repeat(100));
    expectFailure(await verify(['--key', keyFile, dir], repo), 'BUNDLE_TOO_DEEP');
    writeFileSync(join(dir, 'model.sig'), ' '.repeat(1024 * 1024 + 1));
    expectFailure(await verify(['--key', keyFile, dir], repo), 'BUNDLE_TOO_LARGE');
    writeFileSync(join(dir, 'model.sig'), Buffer.alloc(64 * 1024 * 1024, 0x20)); // read no further than the limit
    expectFailure(await verify(['--key', keyFile, dir], repo), 'BUNDLE_TOO_LARGE');
  });
});

describe('factory scenarios through the CLI (Sigstore with --trusted-root, key, certificate)', () => {
  const dir = tempDir();
  const scenarios = writeScenarioModels(dir);
  const codes: Record<string, string> = { mismatch: 'FILES_MISMATCH', 'unsigned-file': 'FILES_MISMATCH', 'missing-file': 'FILES_MISMATCH', 'wrong-identity': 'IDENTITY_MISMATCH' };
  for (const s of scenarios) {
    it(`${s.name} → ${s.expect}`, async () => {
      const trust = join(dir, `${s.name}.trust`);
      const v = s.verify;
      const mode =
        v.method === 'sigstore'
          ? ['--identity', v.identity, '--issuer', v.issuer, '--trusted-root', join(trust, 'trusted_root.json')]
          : v.method === 'key'
            ? ['--key', join(trust, 'key.pub')]
            : ['--ca', join(trust, 'ca.pem')];
      const r = await verify([...mode, join(dir, s.name)], repo);
      if (s.expect === 'verified') expect(r.code, r.stderr).toBe(0);
      else expectFailure(r, codes[s.expect] ?? '?');
    });
  }
});

describe('usage errors exit 2', () => {
  const cases: [string, string[]][] = [
    ['no arguments', []],
    ['no mode', ['.']],
    ['two modes', ['--key', 'k.pem', '--ca', 'c.pem', '.']],
    ['identity without issuer', ['--identity', 'a@b', '.']],
    ['unknown option', ['--frobnicate', '.']],
    ['missing value', ['--key']],
    ['two model paths', ['--key', 'k.pem', 'a', 'b']],
    ['model path does not exist', ['--key', 'package.json', '/nonexistent/model']],
    ['key file does not exist', ['--key', '/nonexistent/key.pem', '.']],
    ['trusted root without Sigstore', ['--key', 'package.json', '--trusted-root', 'x.json', '.']],
  ];
  for (const [name, args] of cases) {
    it(name, async () => {
      const r = await verify(args, repo);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain('usage: modelseal verify');
    });
  }
});
