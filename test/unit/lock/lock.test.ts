// Locks: made from real verified signatures (factory-signed and the real model_signing ones), read
// back strictly, and checked so that only the exact locked content passes.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifySignatureOnly, type SignatureCheck } from '../../../extension/core/verify-model.js';
import { isModelSealError, ModelSealError } from '../../../extension/core/errors.js';
import { failureFromError } from '../../../extension/core/failure.js';
import {
  LOCK_LIMITS,
  checkAgainstLock,
  compareWithLock,
  createLock,
  lockContentOf,
  parseLock,
  recomputeLockRoot,
  serializeLock,
  validateLock,
  type LockDocument,
} from '../../../extension/core/lock/index.js';
import { createKeySigner, utf8, signModel, type FileMap } from '../../factory/index.js';

const REAL = resolve(process.cwd(), '../shared/fixtures/oms-real');
const HUB = 'https://huggingface.co';
const COMMIT = 'a'.repeat(40);
const key = createKeySigner('P-256', { seed: 'lock-tests' });
const otherKey = createKeySigner('P-256', { seed: 'lock-tests-other' });

function size(files: FileMap, path: string): number | undefined {
  const c = files[path];
  return c === undefined ? undefined : typeof c === 'string' ? utf8(c).length : c.length;
}

function signed(files: FileMap, opts: { signer?: typeof key; ignorePaths?: string[]; method?: 'files' | 'shards'; shardSize?: number; hashType?: 'sha256' | 'blake2b' | 'blake3' } = {}): SignatureCheck {
  const signer = opts.signer ?? key;
  const m = signModel({ files, signer, ...opts });
  return verifySignatureOnly(m.signature, { kind: 'key', publicKeyPem: signer.publicKeyPem });
}

function lockOf(check: SignatureCheck, files: FileMap, repo = 'owner/model'): LockDocument {
  return createLock({ hub: HUB, kind: 'model', repo, commit: COMMIT, evidence: check.evidence, content: lockContentOf(check.manifest, (p) => size(files, p)) });
}

function subjectOf(check: SignatureCheck, repo = 'owner/model') {
  return { repo: { hub: HUB, kind: 'model' as const, repo }, signer: check.evidence.signer, content: lockContentOf(check.manifest) };
}

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return isModelSealError(e) ? e.code : `not ours: ${String(e)}`;
  }
  return 'no error';
}

const FILES: FileMap = { 'config.json': '{"a":1}', 'model.safetensors': 'weights v1', 'tokenizer/vocab.txt': 'a b c' };

describe('lock from a verified signature', () => {
  const check = signed(FILES);
  const lock = lockOf(check, FILES);

  it('names the repo, commit, signer, root digest and every file with algorithm, digest and size', () => {
    expect(lock).toMatchObject({ format: 'modelseal-lock', version: 1, hub: HUB, kind: 'model', repo: 'owner/model', commit: COMMIT, signer: check.evidence.signer });
    expect(lock.manifest.rootDigest).toBe(check.evidence.rootDigest);
    expect(lock.manifest).toMatchObject({ method: 'files', hashType: 'sha256', predicateType: 'https://model_signing/signature/v1.0' });
    expect(lock.files.map((f) => [f.path, f.algorithm, f.size])).toEqual([
      ['config.json', 'sha256', 7],
      ['model.safetensors', 'sha256', 10],
      ['tokenizer/vocab.txt', 'sha256', 5],
    ]);
    expect(lock.files.map((f) => f.digest)).toEqual(check.manifest.resources.map((r) => r.digest));
    expect(recomputeLockRoot(lock)).toBe(lock.manifest.rootDigest);
  });

  it('round-trips through its file text unchanged, and the text is stable', () => {
    const text = serializeLock(lock);
    expect(parseLock(text)).toEqual(lock);
    expect(parseLock(new TextEncoder().encode(text))).toEqual(lock);
    expect(serializeLock(parseLock(text))).toBe(text);
    expect(text.endsWith('}\n')).toBe(true);
    expect(Object.keys(JSON.parse(text))).toEqual(['format', 'version', 'hub', 'kind', 'repo', 'commit', 'signer', 'manifest', 'files']);
  });

  it('accepts the exact locked content, also at another commit and with the repo named in another case', () => {
    expect(compareWithLock(subjectOf(check), lock)).toEqual({ matches: true });
    expect(compareWithLock(subjectOf(check, 'Owner/Model'), lock)).toEqual({ matches: true });
    // A model on disk names no repo.
    expect(compareWithLock({ signer: check.evidence.signer, content: lockContentOf(check.manifest) }, lock)).toEqual({ matches: true });
    expect(() => checkAgainstLock(subjectOf(check), lock)).not.toThrow();
  });

  it('refuses other content validly signed by the same signer: LOCK_MISMATCH naming the files', () => {
    const changed = signed({ ...FILES, 'model.safetensors': 'weights v2' });
    const c = compareWithLock(subjectOf(changed), lock);
    expect(c.matches).toBe(false);
    if (c.matches) return;
    expect(c.failure.code).toBe('LOCK_MISMATCH');
    expect(c.failure.params).toMatchObject({ count: 1, files: 'model.safetensors' });
    expect(c.failure.reason).toContain('differs from your lock');

    const added = compareWithLock(subjectOf(signed({ ...FILES, 'extra.py': 'import os' })), lock);
    expect(!added.matches && added.failure.params).toMatchObject({ count: 1, files: 'extra.py' });
    const { 'config.json': _gone, ...fewer } = FILES;
    const removed = compareWithLock(subjectOf(signed(fewer)), lock);
    expect(!removed.matches && removed.failure.code).toBe('LOCK_MISMATCH');
    expect(!removed.matches && removed.failure.params?.files).toContain('config.json');
  });

  it('refuses the same resources signed with other ignore paths, hash or method (they accept other files on disk)', () => {
    const ignoring = compareWithLock(subjectOf(signed(FILES, { ignorePaths: ['extra.py'] })), lock);
    expect(ignoring.matches).toBe(false);
    expect(!ignoring.matches && ignoring.failure.code).toBe('LOCK_MISMATCH');
    expect(!ignoring.matches && ignoring.failure.reason).toContain('ignore paths');
    const blake = compareWithLock(subjectOf(signed(FILES, { hashType: 'blake3' })), lock);
    expect(!blake.matches && blake.failure.code).toBe('LOCK_MISMATCH');
  });

  it('refuses the locked content signed by another signer, and a lock for another repo', () => {
    const other = signed(FILES, { signer: otherKey });
    expect(other.evidence.rootDigest).toBe(check.evidence.rootDigest);
    const c = compareWithLock(subjectOf(other), lock);
    expect(!c.matches && c.failure.code).toBe('LOCK_SIGNER_MISMATCH');
    expect(codeOf(() => checkAgainstLock(subjectOf(check, 'owner/other-model'), lock))).toBe('LOCK_OTHER_REPO');
    expect(compareWithLock({ ...subjectOf(check), repo: { hub: 'https://hf-mirror.com', kind: 'model', repo: 'owner/model' } }, lock).matches).toBe(false);
    expect(compareWithLock({ ...subjectOf(check), repo: { hub: HUB, kind: 'dataset', repo: 'owner/model' } }, lock).matches).toBe(false);
  });

  it("checkAgainstLock's error carries the failure's code and parameters", () => {
    const changed = signed({ ...FILES, 'config.json': '{"a":2}' });
    let thrown: unknown;
    try {
      checkAgainstLock(subjectOf(changed), lock);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ModelSealError);
    expect(failureFromError(thrown)).toMatchObject({ code: 'LOCK_MISMATCH', params: { count: 1, files: 'config.json' } });
  });

  it('createLock refuses a manifest that is not the one the signature covers', () => {
    const other = signed({ a: 'x' });
    expect(codeOf(() => createLock({ hub: HUB, kind: 'model', repo: 'owner/model', commit: COMMIT, evidence: check.evidence, content: lockContentOf(other.manifest) }))).toBe('LOCK_INVALID');
  });
});

describe('shard manifests', () => {
  const files: FileMap = { 'big.bin': 'x'.repeat(25), small: 'y' };
  const check = signed(files, { method: 'shards', shardSize: 10, hashType: 'blake2b' });
  const lock = lockOf(check, files);

  it('lists one entry per shard with its range, in signed order, and recomputes its root', () => {
    expect(lock.manifest).toMatchObject({ method: 'shards', shardSize: 10, hashType: 'blake2b' });
    expect(lock.files.filter((f) => f.path === 'big.bin').map((f) => f.range)).toEqual([{ start: 0, end: 10 }, { start: 10, end: 20 }, { start: 20, end: 25 }]);
    expect(lock.files.every((f) => f.size === undefined && f.digest.length === 128)).toBe(true);
    expect(parseLock(serializeLock(lock))).toEqual(lock);
    expect(compareWithLock(subjectOf(check), lock).matches).toBe(true);
  });

  it('a different shard size over the same bytes is other content', () => {
    const resharded = signed(files, { method: 'shards', shardSize: 5, hashType: 'blake2b' });
    expect(compareWithLock(subjectOf(resharded), lock).matches).toBe(false);
  });
});

describe('reading a lock file (hostile input)', () => {
  const check = signed(FILES);
  const lock = lockOf(check, FILES);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests edit parsed JSON freely, as an attacker would
  const json = () => JSON.parse(serializeLock(lock)) as Record<string, any>;
  const refuse = (doc: unknown) => codeOf(() => parseLock(typeof doc === 'string' ? doc : JSON.stringify(doc)));

  it('refuses a lock whose root digest does not recompute: an entry edited, or the root edited', () => {
    const edited = json();
    edited.files[1].digest = 'f'.repeat(64);
    expect(refuse(edited)).toBe('LOCK_INVALID');
    expect(codeOf(() => parseLock(JSON.stringify(edited)))).toBe('LOCK_INVALID');
    const root = json();
    root.manifest.rootDigest = 'f'.repeat(64);
    expect(refuse(root)).toBe('LOCK_INVALID');
    const reordered = json();
    reordered.files.reverse();
    expect(refuse(reordered)).toBe('LOCK_INVALID');
    const dropped = json();
    dropped.files.pop();
    expect(refuse(dropped)).toBe('LOCK_INVALID');
  });

  it('refuses unknown fields at every level, other versions and formats', () => {
    expect(refuse({ ...json(), extra: 1 })).toBe('LOCK_INVALID');
    const m = json();
    m.manifest.note = 'x';
    expect(refuse(m)).toBe('LOCK_INVALID');
    const f = json();
    f.files[0].mode = 'rwx';
    expect(refuse(f)).toBe('LOCK_INVALID');
    const s = json();
    s.signer.email = 'x';
    expect(refuse(s)).toBe('LOCK_INVALID');
    expect(refuse({ ...json(), version: 2 })).toBe('LOCK_INVALID');
    expect(refuse({ ...json(), version: '1' })).toBe('LOCK_INVALID');
    expect(refuse({ ...json(), format: 'something-else' })).toBe('LOCK_INVALID');
    const { commit: _c, ...noCommit } = json();
    expect(refuse(noCommit)).toBe('LOCK_INVALID');
  });

  it('refuses bad values: paths leaving the model, upper-case or short digests, odd hubs, repos and commits', () => {
    for (const path of ['../etc/passwd', '/abs', 'a/./b', 'a\\b', '', 'a//b']) {
      const d = json();
      d.files[0].path = path;
      expect(refuse(d), path).toBe('LOCK_INVALID');
    }
    const upper = json();
    upper.files[0].digest = upper.files[0].digest.toUpperCase();
    expect(refuse(upper)).toBe('LOCK_INVALID');
    const short = json();
    short.files[0].digest = 'ab';
    expect(refuse(short)).toBe('LOCK_INVALID');
    for (const hub of ['https://huggingface.co/', 'https://huggingface.co/owner', 'ftp://x', 'javascript:alert(1)', 'not a url']) {
      expect(refuse({ ...json(), hub }), hub).toBe('LOCK_INVALID');
    }
    for (const repo of ['owner', 'owner/name/extra', '../x', 'a b/c']) expect(refuse({ ...json(), repo }), repo).toBe('LOCK_INVALID');
    for (const commit of ['main', 'A'.repeat(40), 'a'.repeat(39)]) expect(refuse({ ...json(), commit }), commit).toBe('LOCK_INVALID');
    expect(refuse({ ...json(), kind: 'space' })).toBe('LOCK_INVALID');
    const neg = json();
    neg.files[0].size = -1;
    expect(refuse(neg)).toBe('LOCK_INVALID');
    const range = json();
    range.files[0].range = { start: 0, end: 1 };
    expect(refuse(range)).toBe('LOCK_INVALID');
    const shard = json();
    shard.manifest.shardSize = 10;
    expect(refuse(shard)).toBe('LOCK_INVALID');
    const dup = json();
    dup.files.push(dup.files[0]);
    expect(refuse(dup)).toBe('LOCK_INVALID');
    const noSigner = json();
    noSigner.signer = { kind: 'sigstore', identity: 'x' };
    expect(refuse(noSigner)).toBe('LOCK_INVALID');
    const wrongAlg = json();
    wrongAlg.files[0].algorithm = 'md5';
    expect(refuse(wrongAlg)).toBe('LOCK_INVALID');
  });

  it('is bounded: size, depth, entry count, and text that is not UTF-8 JSON', () => {
    expect(refuse(' '.repeat(LOCK_LIMITS.bytes + 1))).toBe('LOCK_INVALID');
    expect(refuse('['.repeat(100) + ']'.repeat(100))).toBe('LOCK_INVALID');
    expect(refuse({ ...json(), files: Array.from({ length: LOCK_LIMITS.files + 1 }, () => ({})) })).toBe('LOCK_INVALID');
    expect(refuse({ ...json(), files: [] })).toBe('LOCK_INVALID');
    expect(codeOf(() => parseLock(new Uint8Array([0x7b, 0xff, 0x7d])))).toBe('LOCK_INVALID');
    expect(refuse('{"format": ')).toBe('LOCK_INVALID');
    expect(refuse('[]')).toBe('LOCK_INVALID');
    expect(codeOf(() => validateLock(null))).toBe('LOCK_INVALID');
  });
});

if (!existsSync(REAL)) {
  console.log(`real OMS fixtures not found at ${REAL}: lock tests on real signatures not registered`);
} else {
  describe('locks of the real model_signing signatures', () => {
    const sigstore = { kind: 'sigstore' as const, identity: 'stefanb@us.ibm.com', issuer: 'https://sigstore.verify.ibm.com/oauth2' };
    const real = (dir: string, mode: Parameters<typeof verifySignatureOnly>[1]) => verifySignatureOnly(new Uint8Array(readFileSync(resolve(REAL, dir, 'model.sig'))), mode);

    it('v1.1.0 key, v1.1.0 and v1.0.1 Sigstore: the lock recomputes the signed root and matches only its own signature', () => {
      const pem = readFileSync(resolve(REAL, 'keys/certificate/signing-key-pub.pem'), 'utf8');
      const checks = {
        key: real('v1.1.0-elliptic-key', { kind: 'key', publicKeyPem: pem }),
        sigstore110: real('v1.1.0-sigstore', sigstore),
        sigstore101: real('v1.0.1-sigstore', sigstore),
      };
      expect(checks.key.evidence.rootDigest).toBe('92745110b1ab4368471cbe31664e10174e954b113a3df333db860317b2c6dec4');
      for (const [name, c] of Object.entries(checks)) {
        const lock = lockOf(c, {});
        expect(lock.manifest.rootDigest, name).toBe(c.evidence.rootDigest);
        expect(recomputeLockRoot(parseLock(serializeLock(lock))), name).toBe(c.evidence.rootDigest);
        expect(lock.files.map((f) => f.path).sort(), name).toEqual(['signme-1', 'signme-2']);
        expect(compareWithLock(subjectOf(c), lock), name).toEqual({ matches: true });
      }
      // Same signer (Sigstore, same identity and issuer), other signed content: refused.
      const lock110 = lockOf(checks.sigstore110, {});
      const c = compareWithLock(subjectOf(checks.sigstore101), lock110);
      expect(!c.matches && c.failure.code).toBe('LOCK_MISMATCH');
      // Same content signed with a key instead of Sigstore: the signer differs.
      if (checks.key.evidence.rootDigest === checks.sigstore110.evidence.rootDigest) {
        expect(compareWithLock(subjectOf(checks.key), lock110).matches).toBe(false);
      }
    });
  });
}
