/**
 * Locks and agreed sources on hub revisions: verifyRevision against a fake hub serving real
 * signatures (factory test Sigstore and key signers), then decide() with the user's lock. A later
 * commit signed by the same signer over other files must be "differs from your lock", never green
 * and never an identity change; the locked content is green with "lock" among its agreed sources.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { adapterFor } from '../../../extension/core/hubs/index.js';
import { verifyRevision } from '../../../extension/core/hub/verify-revision.js';
import type { RevisionCheck } from '../../../extension/core/hub/revision-check.js';
import { decide, type RepoTrustState } from '../../../extension/core/trust/decide.js';
import { createLock, parseLock, serializeLock, type LockDocument } from '../../../extension/core/lock/index.js';
import type { Pin } from '../../../extension/core/trust/types.js';
import type { Verdict } from '../../../extension/core/verdict.js';
import { createKeySigner, createSigstoreSigner, createTestSigstore, signModel, type FileMap, type TestSigstore } from '../../factory/index.js';
import { FakeHub, fakeSha, type FakeFile } from '../hub/fake-hub.js';

const enc = new TextEncoder();
const ID = 'alice@example.com';
const ISSUER = 'https://accounts.example.com';
const C1 = fakeSha('lock-commit-1');
const C2 = fakeSha('lock-commit-2');
const POLICIES = { signersPerRepo: 1, expected: [] };
const NOW = 1_700_000_000_000;

let sigstore: TestSigstore;
let root: unknown;
beforeAll(() => {
  sigstore = createTestSigstore({ seed: 'lock-hub-tests' });
  root = sigstore.trustedRoot();
});

const MODEL: FileMap = { 'config.json': '{"hidden_size": 8}', 'model.safetensors': 'weights v1', 'tokenizer.json': '{"v":1}' };
const LFS = new Set(['model.safetensors']);

function toFake(files: FileMap, signature: string): Record<string, FakeFile> {
  const out: Record<string, FakeFile> = { 'model.sig': { bytes: enc.encode(signature) } };
  for (const [p, c] of Object.entries(files)) out[p] = { bytes: typeof c === 'string' ? enc.encode(c) : c, lfs: LFS.has(p) };
  return out;
}

type Signer = Parameters<typeof signModel>[0]['signer'];
const sigstoreSigner = (identity = ID): Signer => createSigstoreSigner(sigstore, { identity, issuer: ISSUER });

/** A repo whose main moved from C1 to C2; each commit signed as given. */
function hub(commits: Record<string, Record<string, FakeFile>>, id = 'acme/model'): FakeHub {
  return new FakeHub().add({ kind: 'model', id, refs: { main: C2 in commits ? C2 : C1 }, commits });
}

async function check(h: FakeHub, revision: string, extra: { publicKeyPems?: string[]; repo?: string } = {}): Promise<RevisionCheck> {
  const client = adapterFor('https://huggingface.co').createClient({ fetch: h.fetch, sleep: async () => undefined });
  const c = await verifyRevision({ client, kind: 'model', repo: extra.repo ?? 'acme/model', revision, trustedRoot: root, clock: { now: () => NOW }, ...(extra.publicKeyPems ? { publicKeyPems: extra.publicKeyPems } : {}) });
  c.atDefaultHead = true;
  return c;
}

function lockFrom(c: RevisionCheck): LockDocument {
  if (c.outcome.status !== 'signed') throw new Error(JSON.stringify(c.outcome));
  const s = c.outcome.signatures?.[0];
  if (!s?.content || !c.commit) throw new Error('no content');
  return createLock({ hub: c.hub, kind: c.kind, repo: c.repo, commit: c.commit, evidence: s.evidence, content: s.content });
}

function pinOf(v: Verdict): Pin {
  if (!('signature' in v) || !v.signature) throw new Error(v.state);
  return { signer: v.signature.signer, since: NOW, via: 'first-use' };
}

const sources = (v: Verdict) => (v.agreed ?? []).map((a) => a.source);

describe('a locked repo on the hub', () => {
  it('the locked revision is green with lock and pin agreeing; a new commit by the same signer with other files differs from the lock', async () => {
    const signer = sigstoreSigner();
    const v1 = signModel({ files: MODEL, signer });
    const changed = { ...MODEL, 'model.safetensors': 'weights v2' };
    const v2 = signModel({ files: changed, signer });
    const h = hub({ [C1]: toFake(MODEL, v1.signature), [C2]: toFake(changed, v2.signature) });

    const first = await check(h, C1);
    const firstUse = decide(first, { pins: [] }, POLICIES).verdict;
    expect(firstUse.state).toBe('verified-first-use');
    const lock = parseLock(serializeLock(lockFrom(first)));
    expect(lock.commit).toBe(C1);
    expect(lock.files.find((f) => f.path === 'model.safetensors')?.size).toBe(10);
    const trust: RepoTrustState = { pins: [pinOf(firstUse)], signedSince: NOW, lock };

    const locked = decide(first, trust, POLICIES).verdict;
    expect(locked.state).toBe('verified');
    expect(sources(locked)).toEqual(['signature', 'transparency-log', 'hub-digests', 'bytes-hashed', 'lock', 'pin']);

    const later = decide(await check(h, 'main'), trust, POLICIES).verdict;
    expect(later.state).toBe('lock-mismatch');
    if (later.state !== 'lock-mismatch') return;
    expect(later.failure.code).toBe('LOCK_MISMATCH');
    expect(later.failure.params).toMatchObject({ count: 1, files: 'model.safetensors' });
    expect(later.lock).toEqual({ commit: C1, rootDigest: lock.manifest.rootDigest });
    expect(later.signature.signer).toEqual(lock.signer);
    // Same signer, files match their own signature: everything agreed except the lock.
    expect(sources(later)).toEqual(['signature', 'transparency-log', 'hub-digests', 'bytes-hashed', 'pin']);
    // Without the lock the same revision is green: the lock alone makes the difference.
    expect(decide(await check(h, 'main'), { ...trust, lock: undefined }, POLICIES).verdict.state).toBe('verified');
  });

  it('another signer on a later commit is still an identity change (the signer is judged first)', async () => {
    const v1 = signModel({ files: MODEL, signer: sigstoreSigner() });
    const v2 = signModel({ files: MODEL, signer: sigstoreSigner('mallory@example.com') });
    const h = hub({ [C1]: toFake(MODEL, v1.signature), [C2]: toFake(MODEL, v2.signature) });
    const first = await check(h, C1);
    const trust: RepoTrustState = { pins: [pinOf(decide(first, { pins: [] }, POLICIES).verdict)], lock: lockFrom(first) };
    expect(decide(await check(h, 'main'), trust, POLICIES).verdict.state).toBe('identity-changed');
  });

  it('the same content at a new commit (same signature) still matches the lock', async () => {
    const v1 = signModel({ files: MODEL, signer: sigstoreSigner() });
    const h = hub({ [C1]: toFake(MODEL, v1.signature), [C2]: toFake(MODEL, v1.signature) });
    const first = await check(h, C1);
    const trust: RepoTrustState = { pins: [pinOf(decide(first, { pins: [] }, POLICIES).verdict)], lock: lockFrom(first) };
    const v = decide(await check(h, 'main'), trust, POLICIES).verdict;
    expect(v.state).toBe('verified');
    expect(sources(v)).toContain('lock');
  });

  it('fails closed: a check without recorded signed content, extra per-file signatures, or another repo is not the locked content', async () => {
    const signer = sigstoreSigner();
    const v1 = signModel({ files: MODEL, signer });
    const h = hub({ [C1]: toFake(MODEL, v1.signature) });
    const first = await check(h, C1);
    const lock = lockFrom(first);
    const trust: RepoTrustState = { pins: [pinOf(decide(first, { pins: [] }, POLICIES).verdict)], lock };

    // A check recorded before locks existed (cached): no content to compare.
    const old = structuredClone(first);
    if (old.outcome.status === 'signed') for (const s of old.outcome.signatures ?? []) delete s.content;
    const v = decide(old, trust, POLICIES).verdict;
    expect(v.state === 'lock-mismatch' && v.failure.code).toBe('LOCK_MISMATCH');

    // The same signature plus a folder signature (the check as combine() would record it): not the one repo-wide signature locked.
    const two = structuredClone(first);
    if (two.outcome.status !== 'signed' || !two.outcome.signatures?.[0]) throw new Error('signed');
    two.outcome.signatures.push({ ...two.outcome.signatures[0], path: 'sub/model.sig', scope: { kind: 'folder', folder: 'sub' } });
    expect(decide(two, trust, POLICIES).verdict.state).toBe('lock-mismatch');
    const folderOnly = structuredClone(first);
    if (folderOnly.outcome.status === 'signed' && folderOnly.outcome.signatures?.[0]) folderOnly.outcome.signatures[0].scope = { kind: 'folder', folder: 'sub' };
    expect(decide(folderOnly, trust, POLICIES).verdict.state).toBe('lock-mismatch');

    // The lock of another repo.
    const other = hub({ [C1]: toFake(MODEL, v1.signature) }, 'acme/other');
    const v3 = decide(await check(other, C1, { repo: 'acme/other' }), trust, POLICIES).verdict;
    expect(v3.state === 'lock-mismatch' && v3.failure.code).toBe('LOCK_OTHER_REPO');
  });
});

describe('agreed sources on hub verdicts', () => {
  it('key signatures have no log entry; a policy agrees, a first-use pin does not; non-LFS files are hashed here', async () => {
    const key = createKeySigner('P-256', { seed: 'lock-agreed' });
    const m = signModel({ files: MODEL, signer: key });
    const h = hub({ [C1]: toFake(MODEL, m.signature) });
    const c = await check(h, C1, { publicKeyPems: [key.publicKeyPem] });
    const firstUse = decide(c, { pins: [] }, POLICIES).verdict;
    expect(firstUse.state).toBe('verified-first-use');
    expect(firstUse.agreed).toEqual([
      { source: 'signature' },
      { source: 'hub-digests', files: 1 },
      { source: 'bytes-hashed', files: 2 },
    ]);
    const policy = { signersPerRepo: 1, expected: [{ kind: 'key' as const, scope: 'acme/model', publicKeyPem: key.publicKeyPem, createdAt: NOW }] };
    expect(sources(decide(c, { pins: [] }, policy).verdict)).toEqual(['signature', 'hub-digests', 'bytes-hashed', 'policy']);
  });

  it('blake2b manifests: the hub lists no usable digest, so every verified file was hashed here', async () => {
    const signer = sigstoreSigner();
    const m = signModel({ files: MODEL, signer, hashType: 'blake2b' });
    const c = await check(hub({ [C1]: toFake(MODEL, m.signature) }), C1);
    expect(decide(c, { pins: [] }, POLICIES).verdict.agreed).toEqual([
      { source: 'signature' },
      { source: 'transparency-log' },
      { source: 'bytes-hashed', files: 3 },
    ]);
  });

  it('a file that differs is not counted, and unsigned or unverifiable verdicts list nothing', async () => {
    const signer = sigstoreSigner();
    const m = signModel({ files: MODEL, signer });
    const tampered = toFake({ ...MODEL, 'config.json': '{"hidden_size": 9}' }, m.signature);
    const v = decide(await check(hub({ [C1]: tampered }), C1), { pins: [] }, POLICIES).verdict;
    expect(v.state).toBe('files-changed');
    expect(v.agreed).toEqual([{ source: 'signature' }, { source: 'transparency-log' }, { source: 'hub-digests', files: 1 }, { source: 'bytes-hashed', files: 1 }]);
    const unsigned = new FakeHub().add({ kind: 'model', id: 'acme/model', refs: { main: C1 }, commits: { [C1]: { 'a.txt': { bytes: enc.encode('x') } } } });
    expect(decide(await check(unsigned, C1), { pins: [] }, POLICIES).verdict.agreed).toBeUndefined();
    // A key signature without the key: could not verify, nothing agreed.
    const key = createKeySigner('P-256', { seed: 'lock-agreed-2' });
    const noKey = decide(await check(hub({ [C1]: toFake(MODEL, signModel({ files: MODEL, signer: key }).signature) }), C1), { pins: [] }, POLICIES).verdict;
    expect(noKey.state).toBe('unverifiable');
    expect(noKey.agreed).toBeUndefined();
  });
});
