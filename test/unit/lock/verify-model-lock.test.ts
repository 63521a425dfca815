// verifyModel (the CLI's core) with a lock and its agreed sources: files on disk hashed here, the
// signature, the log entry and the user's identity flags; only the locked content verifies.
import { describe, expect, it } from 'vitest';
import { verifyModel, verifySignatureOnly, type VerifyMode } from '../../../extension/core/verify-model.js';
import type { ListedFile } from '../../../extension/core/files/listing.js';
import { createLock, lockContentOf, type LockDocument } from '../../../extension/core/lock/index.js';
import { createKeySigner, createSigstoreSigner, createTestSigstore, signModel, utf8, type FileMap } from '../../factory/index.js';

const FILES: FileMap = { 'config.json': '{"a":1}', 'weights.bin': 'w1', 'sub/t.txt': 't' };
const key = createKeySigner('P-256', { seed: 'verify-model-lock' });
const keyMode: VerifyMode = { kind: 'key', publicKeyPem: key.publicKeyPem };

function listing(files: FileMap): ListedFile[] {
  return Object.entries(files).map(([path, c]) => {
    const bytes = typeof c === 'string' ? utf8(c) : c;
    return { path, size: bytes.length, content: async () => bytes };
  });
}

function lockOf(signature: string, mode: VerifyMode): LockDocument {
  const c = verifySignatureOnly(signature, mode);
  return createLock({ hub: 'https://huggingface.co', kind: 'model', repo: 'acme/model', commit: 'c'.repeat(40), evidence: c.evidence, content: lockContentOf(c.manifest) });
}

describe('verifyModel with a lock', () => {
  const v1 = signModel({ files: FILES, signer: key });
  const lock = lockOf(v1.signature, keyMode);

  it('verifies the locked content, with the lock among the agreed sources', async () => {
    const v = await verifyModel({ signatureBytes: v1.signature, listing: listing(FILES), mode: keyMode, lock });
    expect(v.state).toBe('verified');
    expect(v.agreed).toEqual([{ source: 'signature' }, { source: 'bytes-hashed', files: 3 }, { source: 'lock' }, { source: 'policy' }]);
  });

  it('refuses other content validly signed by the same key, files on disk matching it: lock-mismatch, LOCK_MISMATCH', async () => {
    const files = { ...FILES, 'weights.bin': 'w2' };
    const v2 = signModel({ files, signer: key });
    const unlocked = await verifyModel({ signatureBytes: v2.signature, listing: listing(files), mode: keyMode });
    expect(unlocked.state).toBe('verified');
    const v = await verifyModel({ signatureBytes: v2.signature, listing: listing(files), mode: keyMode, lock });
    expect(v.state).toBe('lock-mismatch');
    if (v.state !== 'lock-mismatch') return;
    expect(v.failure).toMatchObject({ code: 'LOCK_MISMATCH', params: { count: 1, files: 'weights.bin' } });
    expect(v.lock.rootDigest).toBe(lock.manifest.rootDigest);
    expect(v.agreed?.map((a) => a.source)).not.toContain('lock');
  });

  it('files that differ from their own signature stay files-changed; a lock for another repo is LOCK_OTHER_REPO', async () => {
    const tampered = await verifyModel({ signatureBytes: v1.signature, listing: listing({ ...FILES, 'weights.bin': 'evil' }), mode: keyMode, lock });
    expect(tampered.state).toBe('files-changed');
    const other = await verifyModel({ signatureBytes: v1.signature, listing: listing(FILES), mode: keyMode, lock, lockRepo: { hub: 'https://huggingface.co', kind: 'model', repo: 'acme/other' } });
    expect(other.state === 'lock-mismatch' && other.failure.code).toBe('LOCK_OTHER_REPO');
  });
});

describe('verifyModel agreed sources', () => {
  it('Sigstore with identity flags: signature, log, bytes hashed, policy; with anyIdentity no policy; known digests are not "hashed here"', async () => {
    const sigstore = createTestSigstore({ seed: 'verify-model-agreed' });
    const signer = createSigstoreSigner(sigstore, { identity: 'a@example.com', issuer: 'https://issuer.example' });
    const m = signModel({ files: FILES, signer });
    const trustedRoot = sigstore.trustedRoot();
    const named = await verifyModel({ signatureBytes: m.signature, listing: listing(FILES), mode: { kind: 'sigstore', identity: 'a@example.com', issuer: 'https://issuer.example', trustedRoot } });
    expect(named.agreed?.map((a) => a.source)).toEqual(['signature', 'transparency-log', 'bytes-hashed', 'policy']);
    const any = await verifyModel({ signatureBytes: m.signature, listing: listing(FILES), mode: { kind: 'sigstore', anyIdentity: true, trustedRoot } });
    expect(any.agreed?.map((a) => a.source)).toEqual(['signature', 'transparency-log', 'bytes-hashed']);
    // A listing that carries digests (as a hub lists them): those files were not hashed here.
    const withDigests = listing(FILES).map((f) => (f.path === 'weights.bin' ? { path: f.path, size: f.size, digests: { sha256: m.resources.find((r) => r.name === 'weights.bin')!.digest } } : f));
    const mixed = await verifyModel({ signatureBytes: m.signature, listing: withDigests, mode: { kind: 'sigstore', anyIdentity: true, trustedRoot } });
    expect(mixed.state).toBe('verified');
    expect(mixed.agreed).toEqual([{ source: 'signature' }, { source: 'transparency-log' }, { source: 'hub-digests', files: 1 }, { source: 'bytes-hashed', files: 2 }]);
  });

  it('a signature that does not verify agrees on nothing', async () => {
    const m = signModel({ files: FILES, signer: key });
    const v = await verifyModel({ signatureBytes: m.signature, listing: listing(FILES), mode: { kind: 'key', publicKeyPem: createKeySigner('P-256', { seed: 'other' }).publicKeyPem } });
    expect(v.state).toBe('invalid-signature');
    expect(v.agreed).toBeUndefined();
  });
});
