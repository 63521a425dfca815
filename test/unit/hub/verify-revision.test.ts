/**
 * verifyRevision against a fake hub serving real signatures: the factory's test Sigstore and key
 * signers, and (when ../shared exists) the real model_signing fixtures. The verifier is never mocked.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { adapterFor } from '../../../extension/core/hubs/index.js';
import { verifyRevision, type VerifyRevisionInput } from '../../../extension/core/hub/verify-revision.js';
import { MAX_SIGNATURES } from '../../../extension/core/hub/signature-locator.js';
import { DEFAULT_REVISION, type RevisionCheck } from '../../../extension/core/hub/revision-check.js';
import { decide } from '../../../extension/core/trust/decide.js';
import {
  createKeySigner,
  createSigstoreSigner,
  createTestSigstore,
  signModel,
  type FileMap,
  type TestSigstore,
} from '../../factory/index.js';
import { FakeHub, fakeSha, type FakeFile } from './fake-hub.js';

const enc = new TextEncoder();
const ID = 'alice@example.com';
const ISSUER = 'https://accounts.example.com';
const C1 = fakeSha('commit-1');
const NO_TRUST = { pins: [] };
const POLICIES = { signersPerRepo: 1, expected: [] };

let sigstore: TestSigstore;
let root: unknown;
beforeAll(() => {
  sigstore = createTestSigstore({ seed: 'hub-tests' });
  root = sigstore.trustedRoot();
});

const MODEL: FileMap = {
  'config.json': '{"hidden_size": 8}',
  'model.safetensors': 'pretend these are weights',
  'tokenizer/vocab.json': '{"a":0}',
  'tokenizer.json': '{"v":1}',
};
const LFS = new Set(['model.safetensors']);

function toFake(files: FileMap, lfs = LFS): Record<string, FakeFile> {
  const out: Record<string, FakeFile> = {};
  for (const [p, c] of Object.entries(files)) out[p] = { bytes: typeof c === 'string' ? enc.encode(c) : c, lfs: lfs.has(p) };
  return out;
}

function hubWith(files: Record<string, FakeFile>, id = 'acme/model', pageSize = 1000): FakeHub {
  const hub = new FakeHub({ pageSize });
  hub.add({ kind: 'model', id, refs: { main: C1 }, commits: { [C1]: files } });
  return hub;
}

function run(hub: FakeHub, extra: Partial<VerifyRevisionInput> = {}): Promise<RevisionCheck> {
  const client = adapterFor('https://huggingface.co').createClient({ fetch: hub.fetch, sleep: async () => undefined });
  // A home page view (no revision in the URL): the default branch head, which may pin on first use.
  return verifyRevision({ client, kind: 'model', repo: 'acme/model', revision: DEFAULT_REVISION, trustedRoot: root, clock: { now: () => 1_700_000_000_000 }, ...extra });
}

function sigstoreSigned(files: FileMap = MODEL, identity = ID) {
  return signModel({ files, signer: createSigstoreSigner(sigstore, { identity, issuer: ISSUER }) });
}

describe('verifyRevision', () => {
  it('verifies a Sigstore-signed repo without knowing the signer in advance (first use)', async () => {
    const signed = sigstoreSigned();
    const hub = hubWith({ ...toFake(MODEL), 'model.sig': { bytes: enc.encode(signed.signature) }, '.gitattributes': { bytes: enc.encode('*.safetensors filter=lfs') } });
    const check = await run(hub);
    expect(check.commit).toBe(C1);
    expect(check.outcome.status).toBe('signed');
    if (check.outcome.status !== 'signed') return;
    expect(check.outcome.evidence.signer).toMatchObject({ kind: 'sigstore', identity: ID, issuer: ISSUER });
    expect(check.outcome.evidence.rootDigest).toBe(signed.rootDigest);
    const status = Object.fromEntries(check.outcome.files.map((f) => [f.path, f.status]));
    expect(status).toEqual({
      'config.json': 'verified',
      'model.safetensors': 'verified',
      'tokenizer/vocab.json': 'verified',
      'tokenizer.json': 'verified',
      '.gitattributes': 'ignored',
      'model.sig': 'ignored',
    });
    // revision + tree + model.sig + 3 non-LFS files hashed; the LFS file is checked by its listed SHA-256.
    expect(check.requests).toBe(6);
    expect(hub.log.some((u) => u.includes('/resolve/') && u.endsWith('model.safetensors'))).toBe(false);
    const { verdict, newPin } = decide(check, NO_TRUST, POLICIES);
    expect(verdict.state).toBe('verified-first-use');
    expect(newPin?.signer).toMatchObject({ identity: ID, issuer: ISSUER });
  });

  it('reports an LFS file changed after signing and an extra unsigned file', async () => {
    const signed = sigstoreSigned();
    const files: Record<string, FakeFile> = { ...toFake(MODEL), 'model.sig': { bytes: enc.encode(signed.signature) } };
    files['model.safetensors'] = { bytes: enc.encode('other weights!'), lfs: true };
    let check = await run(hubWith(files));
    if (check.outcome.status !== 'signed') throw new Error(check.outcome.status);
    expect(check.outcome.files.find((f) => f.path === 'model.safetensors')?.status).toBe('mismatch');
    let v = decide(check, NO_TRUST, POLICIES).verdict;
    expect(v.state).toBe('files-changed');
    if (v.state === 'files-changed') expect(v.failure.reason).toContain('model.safetensors');

    const extra = { ...toFake(MODEL), 'model.sig': { bytes: enc.encode(signed.signature) }, 'extra.py': { bytes: enc.encode('import os') } };
    check = await run(hubWith(extra));
    if (check.outcome.status !== 'signed') throw new Error(check.outcome.status);
    expect(check.outcome.files.find((f) => f.path === 'extra.py')?.status).toBe('unsigned');
    v = decide(check, NO_TRUST, POLICIES).verdict;
    expect(v.state).toBe('files-changed');
  });

  it('takes LFS digests from the tree listing (serving other bytes is caught by the on-disk check)', async () => {
    // The tree is what we check: a forged lfs.oid equal to the signed digest passes here, and the
    // on-disk check is what catches the bytes. This documents the trust placed in the hub's tree.
    const signed = sigstoreSigned();
    const files: Record<string, FakeFile> = { ...toFake(MODEL), 'model.sig': { bytes: enc.encode(signed.signature) } };
    files['model.safetensors'] = { bytes: enc.encode('evil'), lfs: true, lfsOidOverride: signed.resources.find((r) => r.name === 'model.safetensors')!.digest };
    const check = await run(hubWith(files));
    expect(check.outcome.status).toBe('signed');
  });

  it('says unsigned when there is no signature, and invalid when the signature is broken', async () => {
    expect((await run(hubWith(toFake(MODEL)))).outcome).toEqual({ status: 'unsigned' });
    const signed = sigstoreSigned();
    const bundle = JSON.parse(signed.signature) as { dsseEnvelope: { payload: string } };
    const payload = Buffer.from(bundle.dsseEnvelope.payload, 'base64');
    payload[payload.length - 3]! ^= 1;
    bundle.dsseEnvelope.payload = payload.toString('base64');
    const check = await run(hubWith({ ...toFake(MODEL), 'model.sig': { bytes: enc.encode(JSON.stringify(bundle)) } }));
    expect(check.outcome.status).toBe('invalid-signature');
    expect(decide(check, NO_TRUST, POLICIES).verdict.state).toBe('invalid-signature');
    const junk = await run(hubWith({ ...toFake(MODEL), 'model.sig': { bytes: enc.encode('{"mediaType": 5}') } }));
    expect(['invalid-signature', 'unverifiable']).toContain(junk.outcome.status);
    expect(junk.outcome.status === 'signed').toBe(false);
  });

  it('refuses a signature from a different trusted root (not a first use)', async () => {
    const other = createTestSigstore({ seed: 'someone-else' });
    const signed = signModel({ files: MODEL, signer: createSigstoreSigner(other, { identity: ID, issuer: ISSUER }) });
    const check = await run(hubWith({ ...toFake(MODEL), 'model.sig': { bytes: enc.encode(signed.signature) } }));
    expect(check.outcome.status).toBe('invalid-signature');
  });

  it('verifies key-signed repos only with a key the user named', async () => {
    const key = createKeySigner('P-256', { seed: 'hub-key' });
    const signed = signModel({ files: MODEL, signer: key });
    const hub = hubWith({ ...toFake(MODEL), 'model.sig': { bytes: enc.encode(signed.signature) } });
    const none = await run(hub);
    expect(none.outcome).toMatchObject({ status: 'unverifiable', failure: { code: 'VERIFICATION_MATERIAL_UNSUPPORTED' } });
    const wrong = await run(hub, { publicKeyPems: [createKeySigner('P-256', { seed: 'other' }).publicKeyPem] });
    expect(wrong.outcome.status).toBe('invalid-signature');
    const ok = await run(hub, { publicKeyPems: [createKeySigner('P-256', { seed: 'other' }).publicKeyPem, key.publicKeyPem] });
    expect(ok.outcome.status).toBe('signed');
    if (ok.outcome.status === 'signed') expect(ok.outcome.evidence.signer.kind).toBe('key');
  });

  it('leaves big non-LFS files unchecked with a pointer to the on-disk check', async () => {
    const signed = sigstoreSigned();
    const check = await run(hubWith({ ...toFake(MODEL), 'model.sig': { bytes: enc.encode(signed.signature) } }), { maxHashBytes: 10 });
    if (check.outcome.status !== 'signed') throw new Error(check.outcome.status);
    const cfg = check.outcome.files.find((f) => f.path === 'config.json');
    expect(cfg?.status).toBe('unchecked');
    expect(cfg?.reason).toContain('modelseal verify');
    const v = decide(check, NO_TRUST, POLICIES);
    expect(v.verdict).toMatchObject({ state: 'unverifiable', failure: { code: 'TOO_LARGE_TO_HASH' } });
    expect(v.newPin).toBeUndefined();
  });

  it('fetches LFS files when the manifest does not hash with SHA-256', async () => {
    const signed = signModel({ files: MODEL, hashType: 'blake2b', signer: createSigstoreSigner(sigstore, { identity: ID, issuer: ISSUER }) });
    const hub = hubWith({ ...toFake(MODEL), 'model.sig': { bytes: enc.encode(signed.signature) } });
    const check = await run(hub);
    if (check.outcome.status !== 'signed') throw new Error(JSON.stringify(check.outcome));
    expect(check.outcome.files.filter((f) => f.status === 'verified')).toHaveLength(4);
    expect(hub.log.some((u) => u.endsWith('/model.safetensors'))).toBe(true);
  });

  it('checks shard manifests with one download per file, and LFS files by content', async () => {
    const big = new Uint8Array(100).map((_, i) => i);
    const model: FileMap = { 'big.bin': big, 'weights.safetensors': 'lfs bytes', 'small.json': '{}' };
    const signed = signModel({ files: model, method: 'shards', shardSize: 30, signer: createSigstoreSigner(sigstore, { identity: ID, issuer: ISSUER }) });
    const hub = hubWith({ ...toFake(model, new Set(['weights.safetensors'])), 'model.sig': { bytes: enc.encode(signed.signature) } });
    const check = await run(hub);
    if (check.outcome.status !== 'signed') throw new Error(JSON.stringify(check.outcome));
    expect(Object.fromEntries(check.outcome.files.map((f) => [f.path, f.status]))).toMatchObject({ 'big.bin': 'verified', 'weights.safetensors': 'verified', 'small.json': 'verified' });
    expect(hub.log.filter((u) => u.endsWith('/big.bin'))).toHaveLength(1);
  });

  it('leaves a file unchecked when the hub serves fewer bytes than it lists', async () => {
    const signed = sigstoreSigned();
    const hub = hubWith({ ...toFake(MODEL), 'model.sig': { bytes: enc.encode(signed.signature) } });
    hub.overrides.set(`https://huggingface.co/acme/model/resolve/${C1}/config.json`, () => new Response('{"hid'));
    const check = await run(hub);
    if (check.outcome.status !== 'signed') throw new Error(check.outcome.status);
    expect(check.outcome.files.find((f) => f.path === 'config.json')).toMatchObject({ status: 'unchecked' });
    expect(decide(check, NO_TRUST, POLICIES).verdict.state).toBe('unverifiable');
  });

  it('verifies per-file signatures; a file no signature covers makes the repo partly signed', async () => {
    const weights = enc.encode('gguf weights');
    const signed = signModel({ file: { name: 'model.gguf', content: weights }, signer: createSigstoreSigner(sigstore, { identity: ID, issuer: ISSUER }) });
    const files: Record<string, FakeFile> = {
      'q4/model.gguf': { bytes: weights, lfs: true },
      'q4/model.gguf.sig': { bytes: enc.encode(signed.signature) },
      'README.md': { bytes: enc.encode('# hi') },
      '.gitattributes': { bytes: enc.encode('x') },
    };
    const check = await run(hubWith(files));
    if (check.outcome.status !== 'signed') throw new Error(JSON.stringify(check.outcome));
    expect(check.outcome.ignoreUnsignedFiles).toBe(true);
    expect(check.outcome.signatureFiles).toEqual(['q4/model.gguf.sig']);
    expect(Object.fromEntries(check.outcome.files.map((f) => [f.path, f.status]))).toEqual({
      '.gitattributes': 'ignored',
      'README.md': 'unsigned',
      'q4/model.gguf': 'verified',
      'q4/model.gguf.sig': 'ignored',
    });
    expect(decide(check, NO_TRUST, POLICIES).verdict).toMatchObject({ state: 'partly-signed', uncovered: ['README.md'] });
    // Every present file covered: verified.
    const { 'README.md': _readme, ...covered } = files;
    const full = await run(hubWith(covered));
    expect(decide(full, NO_TRUST, POLICIES).verdict.state).toBe('verified-first-use');

    // The same signature beside another file does not cover it.
    const moved = await run(hubWith({ 'other.gguf': { bytes: enc.encode('different'), lfs: true }, 'other.gguf.sig': { bytes: enc.encode(signed.signature) } }));
    if (moved.outcome.status !== 'signed') throw new Error(moved.outcome.status);
    expect(moved.outcome.files.find((f) => f.path === 'other.gguf')?.status).toBe('mismatch');
    expect(decide(moved, NO_TRUST, POLICIES).verdict.state).toBe('files-changed');
  });

  it('turns hub failures into unverifiable outcomes with their codes', async () => {
    const hub = hubWith(toFake(MODEL));
    hub.repos.get('model:acme/model')!.gated = 'manual';
    expect((await run(hub)).outcome).toMatchObject({ status: 'unverifiable', failure: { code: 'AUTH_REQUIRED' } });
    hub.signedIn = true;
    expect((await run(hub)).outcome.status).toBe('unsigned');
    const missing = await run(hub, { revision: 'nope' });
    expect(missing.outcome).toMatchObject({ status: 'unverifiable', failure: { code: 'NOT_FOUND' } });
    expect(decide(missing, NO_TRUST, POLICIES).verdict.state).toBe('unverifiable');
  });

  it('verifies dataset repos through the /datasets/ routes', async () => {
    const data: FileMap = { 'train.csv': 'a,b\n1,2\n', 'data/part-0.parquet': 'parquet bytes' };
    const signed = sigstoreSigned(data);
    const hub = new FakeHub().add({ kind: 'dataset', id: 'acme/data', refs: { main: C1 }, commits: { [C1]: { ...toFake(data, new Set(['data/part-0.parquet'])), 'model.sig': { bytes: enc.encode(signed.signature) } } } });
    const check = await run(hub, { kind: 'dataset', repo: 'acme/data' });
    expect(check.kind).toBe('dataset');
    expect(check.outcome.status).toBe('signed');
    expect(hub.log.every((u) => u.startsWith('https://huggingface.co/api/datasets/') || u.startsWith('https://huggingface.co/datasets/'))).toBe(true);
    expect(decide(check, NO_TRUST, POLICIES).verdict.state).toBe('verified-first-use');
  });

  it('follows a rename and reports the new repo id', async () => {
    const signed = sigstoreSigned();
    const hub = hubWith({ ...toFake(MODEL), 'model.sig': { bytes: enc.encode(signed.signature) } }, 'acme/model-v2');
    hub.renames.set('model:acme/model', 'acme/model-v2');
    const check = await run(hub);
    expect(check).toMatchObject({ repo: 'acme/model-v2', renamedFrom: 'acme/model' });
    expect(check.outcome.status).toBe('signed');
  });

  it('stays within the request budget for 2,500 LFS files over paginated tree pages', async () => {
    const files: FileMap = {};
    for (let i = 0; i < 2500; i++) files[`shards/part-${String(i).padStart(5, '0')}.bin`] = `w${i}`;
    const signed = sigstoreSigned(files);
    const hub = hubWith({ ...toFake(files, new Set(Object.keys(files))), 'model.sig': { bytes: enc.encode(signed.signature) } });
    const check = await run(hub);
    if (check.outcome.status !== 'signed') throw new Error(check.outcome.status);
    expect(check.outcome.files.filter((f) => f.status === 'verified')).toHaveLength(2500);
    // 2,501 files + 1 directory = 3 tree pages: 1 + 3 + 1 ≤ 3 + ⌈2501/1000⌉.
    expect(check.requests).toBe(5);
  });
});

describe('verifyRevision with signatures the locator finds (folder, Kaggle, several)', () => {
  const ORIGINAL: FileMap = { 'config.json': '{"d": 1}', 'dtypes.json': '{"w": "bf16"}', 'model.safetensors': 'original weights' };
  /** `original/` signed on its own, as model_signing writes it when pointed at that folder. */
  function folderRepo(extra: Record<string, FakeFile> = {}, identity = ID): Record<string, FakeFile> {
    const signed = sigstoreSigned(ORIGINAL, identity);
    const out: Record<string, FakeFile> = { 'original/model.sig': { bytes: enc.encode(signed.signature) }, '.gitattributes': { bytes: enc.encode('*.safetensors filter=lfs') } };
    for (const [p, f] of Object.entries(toFake(ORIGINAL))) out[`original/${p}`] = f;
    return { ...out, ...extra };
  }

  it('a root model.sig whose subject names a folder but whose files are all at the root stays repo-wide (verified)', async () => {
    const signed = signModel({ files: MODEL, name: 'tokenizer', signer: createSigstoreSigner(sigstore, { identity: ID, issuer: ISSUER }) });
    const check = await run(hubWith({ ...toFake(MODEL), 'model.sig': { bytes: enc.encode(signed.signature) } }));
    if (check.outcome.status !== 'signed') throw new Error(JSON.stringify(check.outcome));
    expect(check.outcome.signatures?.map((s) => s.scope)).toEqual([{ kind: 'repo' }]);
    expect(decide(check, NO_TRUST, POLICIES).verdict.state).toBe('verified-first-use');
  });

  it('a root model.sig made by signing original/ (subject `original`): checked in original/, a file added there is files changed', async () => {
    const signed = signModel({ files: ORIGINAL, name: 'original', signer: createSigstoreSigner(sigstore, { identity: ID, issuer: ISSUER }) });
    const files: Record<string, FakeFile> = { 'model.sig': { bytes: enc.encode(signed.signature) }, 'README.md': { bytes: enc.encode('# readme') } };
    for (const [p, f] of Object.entries(toFake(ORIGINAL))) files[`original/${p}`] = f;
    const check = await run(hubWith(files));
    if (check.outcome.status !== 'signed') throw new Error(JSON.stringify(check.outcome));
    expect(check.outcome.signatures?.map((s) => s.scope)).toEqual([{ kind: 'folder', folder: 'original' }]);
    expect(decide(check, NO_TRUST, POLICIES).verdict).toMatchObject({ state: 'partly-signed', uncovered: ['README.md'] });

    const added = await run(hubWith({ ...files, 'original/extra.py': { bytes: enc.encode('import os') } }));
    if (added.outcome.status !== 'signed') throw new Error(JSON.stringify(added.outcome));
    expect(added.outcome.files.find((f) => f.path === 'original/extra.py')?.status).toBe('unsigned');
    expect(decide(added, NO_TRUST, POLICIES).verdict).toMatchObject({ state: 'files-changed', failure: { code: 'FILES_MISMATCH' } });
  });

  it('a folder model.sig checks its folder with paths mapped into it; top-level files are uncovered: partly-signed, code and config first', async () => {
    const hub = hubWith(folderRepo({
      'README.md': { bytes: enc.encode('# copy') },
      'config.json': { bytes: enc.encode('{"d": 1}') },
      'onnx/model.onnx': { bytes: enc.encode('onnx'), lfs: true },
      'tokenizer.json': { bytes: enc.encode('{}') },
    }));
    const check = await run(hub);
    if (check.outcome.status !== 'signed') throw new Error(JSON.stringify(check.outcome));
    expect(check.outcome.signatureFiles).toEqual(['original/model.sig']);
    expect(check.outcome.signatures?.map((s) => s.scope)).toEqual([{ kind: 'folder', folder: 'original' }]);
    expect(Object.fromEntries(check.outcome.files.map((f) => [f.path, f.status]))).toEqual({
      'original/config.json': 'verified',
      'original/dtypes.json': 'verified',
      'original/model.safetensors': 'verified',
      'original/model.sig': 'ignored',
      '.gitattributes': 'ignored',
      'README.md': 'unsigned',
      'config.json': 'unsigned',
      'onnx/model.onnx': 'unsigned',
      'tokenizer.json': 'unsigned',
    });
    // The folder's files were fetched at the folder path (the manifest names them relative to it).
    expect(hub.log.some((u) => u.endsWith(`/resolve/${C1}/original/config.json`))).toBe(true);
    const { verdict, newPin } = decide(check, NO_TRUST, POLICIES);
    expect(verdict).toMatchObject({ state: 'partly-signed', uncovered: ['config.json', 'tokenizer.json', 'README.md', 'onnx/model.onnx'], signatureFiles: ['original/model.sig'] });
    expect(newPin).toBeUndefined();
  });

  it('a folder model.sig with every file inside its folder: verified, naming the signature file', async () => {
    const check = await run(hubWith(folderRepo()));
    const { verdict, newPin } = decide(check, NO_TRUST, POLICIES);
    expect(verdict).toMatchObject({ state: 'verified-first-use', signatureFiles: ['original/model.sig'], signature: { signer: { identity: ID, issuer: ISSUER } } });
    expect(newPin?.signer).toMatchObject({ identity: ID });
  });

  it('a folder signature stays strict inside its folder: a changed or added file there is files-changed', async () => {
    const changed = await run(hubWith(folderRepo({ 'original/model.safetensors': { bytes: enc.encode('other weights'), lfs: true } })));
    expect(decide(changed, NO_TRUST, POLICIES).verdict).toMatchObject({ state: 'files-changed', failure: { params: { files: 'original/model.safetensors' } } });
    const added = await run(hubWith(folderRepo({ 'original/modeling_evil.py': { bytes: enc.encode('import os') } })));
    expect(decide(added, NO_TRUST, POLICIES).verdict).toMatchObject({ state: 'files-changed', failure: { params: { files: 'original/modeling_evil.py' } } });
    const removed = folderRepo();
    delete removed['original/dtypes.json'];
    expect(decide(await run(hubWith(removed)), NO_TRUST, POLICIES).verdict).toMatchObject({ state: 'files-changed', failure: { params: { files: 'original/dtypes.json' } } });
  });

  it("Kaggle's .kaggle/signing.json at the root verifies like model.sig, and is as strict", async () => {
    const signed = sigstoreSigned();
    const files = { ...toFake(MODEL), '.kaggle/signing.json': { bytes: enc.encode(signed.signature) } };
    const check = await run(hubWith(files));
    if (check.outcome.status !== 'signed') throw new Error(JSON.stringify(check.outcome));
    expect(check.outcome).toMatchObject({ signatureFiles: ['.kaggle/signing.json'], ignoreUnsignedFiles: false, signatures: [{ path: '.kaggle/signing.json', scope: { kind: 'repo' } }] });
    expect(check.outcome.files.find((f) => f.path === '.kaggle/signing.json')?.status).toBe('ignored');
    expect(decide(check, NO_TRUST, POLICIES).verdict).toMatchObject({ state: 'verified-first-use', signatureFiles: ['.kaggle/signing.json'] });
    const extra = await run(hubWith({ ...files, 'extra.py': { bytes: enc.encode('import os') } }));
    expect(decide(extra, NO_TRUST, POLICIES).verdict).toMatchObject({ state: 'files-changed', failure: { params: { files: 'extra.py' } } });
  });

  it('signatures by different signers are refused; by one signer they combine', async () => {
    const weights = enc.encode('gguf weights');
    const perFile = (identity: string) => signModel({ file: { name: 'q4.gguf', content: weights }, signer: createSigstoreSigner(sigstore, { identity, issuer: ISSUER }) }).signature;
    const mixed = await run(hubWith(folderRepo({ 'gguf/q4.gguf': { bytes: weights, lfs: true }, 'gguf/q4.gguf.sig': { bytes: enc.encode(perFile('mallory@example.com')) } })));
    if (mixed.outcome.status !== 'signed') throw new Error(JSON.stringify(mixed.outcome));
    expect(mixed.outcome.signatureFiles).toEqual(['original/model.sig', 'gguf/q4.gguf.sig']);
    const refused = decide(mixed, NO_TRUST, POLICIES);
    expect(refused.verdict).toMatchObject({ state: 'invalid-signature', failure: { code: 'IDENTITY_MISMATCH' } });
    if (refused.verdict.state === 'invalid-signature') expect(refused.verdict.failure.reason).toContain('gguf/q4.gguf.sig');
    expect(refused.newPin).toBeUndefined();

    const one = await run(hubWith(folderRepo({ 'gguf/q4.gguf': { bytes: weights, lfs: true }, 'gguf/q4.gguf.sig': { bytes: enc.encode(perFile(ID)) } })));
    if (one.outcome.status !== 'signed') throw new Error(JSON.stringify(one.outcome));
    expect(one.outcome.files.find((f) => f.path === 'gguf/q4.gguf')?.status).toBe('verified');
    expect(decide(one, NO_TRUST, POLICIES).verdict).toMatchObject({ state: 'verified-first-use', signatureFiles: ['original/model.sig', 'gguf/q4.gguf.sig'] });
  });

  it('the verdict lists each signature with its coverage, file count and signer (also when the signers differ)', async () => {
    const weights = enc.encode('gguf weights');
    const perFile = (identity: string) => signModel({ file: { name: 'q4.gguf', content: weights }, signer: createSigstoreSigner(sigstore, { identity, issuer: ISSUER }) }).signature;
    const extra = { 'gguf/q4.gguf': { bytes: weights, lfs: true }, 'README.md': { bytes: enc.encode('# hi') } };
    const one = await run(hubWith(folderRepo({ ...extra, 'gguf/q4.gguf.sig': { bytes: enc.encode(perFile(ID)) } })));
    const { verdict } = decide(one, NO_TRUST, POLICIES);
    expect(verdict).toMatchObject({ state: 'partly-signed', uncovered: ['README.md'] });
    expect(verdict.signatures?.map((s) => [s.path, s.coverage, s.files, s.signer.identity])).toEqual([
      ['original/model.sig', { kind: 'folder', folder: 'original' }, 3, ID],
      ['gguf/q4.gguf.sig', { kind: 'file', file: 'gguf/q4.gguf' }, 1, ID],
    ]);
    if (one.outcome.status === 'signed') expect(verdict.signatures?.[0]?.rootDigest).toBe(one.outcome.signatures?.[0]?.evidence.rootDigest);

    const mixed = decide(await run(hubWith(folderRepo({ ...extra, 'gguf/q4.gguf.sig': { bytes: enc.encode(perFile('mallory@example.com')) } }))), NO_TRUST, POLICIES).verdict;
    expect(mixed.state).toBe('invalid-signature');
    expect(mixed.signatures?.map((s) => s.signer.identity)).toEqual([ID, 'mallory@example.com']);

    // One repo-wide signature: nothing more to list than `signature` itself.
    const signed = sigstoreSigned();
    const plain = decide(await run(hubWith({ ...toFake(MODEL), 'model.sig': { bytes: enc.encode(signed.signature) } })), NO_TRUST, POLICIES).verdict;
    expect(plain.state).toBe('verified-first-use');
    expect(plain.signatures).toBeUndefined();
  });

  it('a root model.sig keeps the strict rule beside a folder signature', async () => {
    const all: FileMap = { ...MODEL, ...Object.fromEntries(Object.entries(ORIGINAL).map(([p, c]) => [`original/${p}`, c])) };
    const folderSig = sigstoreSigned(ORIGINAL).signature;
    const rootSigned = sigstoreSigned({ ...all, 'original/model.sig': folderSig });
    const files = { ...toFake(all), 'original/model.sig': { bytes: enc.encode(folderSig) }, 'model.sig': { bytes: enc.encode(rootSigned.signature) } };
    const ok = await run(hubWith(files));
    expect(decide(ok, NO_TRUST, POLICIES).verdict).toMatchObject({ state: 'verified-first-use', signatureFiles: ['model.sig', 'original/model.sig'] });
    const extra = await run(hubWith({ ...files, 'onnx/model.onnx': { bytes: enc.encode('onnx'), lfs: true } }));
    expect(decide(extra, NO_TRUST, POLICIES).verdict).toMatchObject({ state: 'files-changed', failure: { params: { files: 'onnx/model.onnx' } } });
  });

  it(`verifies at most ${MAX_SIGNATURES} signature files, fetching none beyond the bound`, async () => {
    const files: Record<string, FakeFile> = {};
    for (let i = 0; i <= MAX_SIGNATURES; i++) {
      files[`f${i}.bin`] = { bytes: enc.encode(`w${i}`) };
      files[`f${i}.bin.sig`] = { bytes: enc.encode('{}') };
    }
    const hub = hubWith(files);
    const check = await run(hub);
    expect(check.outcome).toMatchObject({ status: 'unverifiable', failure: { code: 'TOO_MANY_RESOURCES' } });
    expect(check.outcome.status === 'unverifiable' && check.outcome.signatureFiles).toHaveLength(MAX_SIGNATURES + 1);
    expect(hub.log.some((u) => u.includes('/resolve/'))).toBe(false);
  });
});

const REAL = resolve(process.cwd(), '../shared/fixtures/oms-real');
if (!existsSync(REAL)) console.log('../shared/fixtures/oms-real absent: real-fixture hub tests not registered');
else describe('verifyRevision with the real model_signing fixtures', () => {
  const dir = REAL;
  const repoFiles = (name: string): Record<string, FakeFile> => {
    const out: Record<string, FakeFile> = {};
    for (const f of ['signme-1', 'signme-2', 'ignore-me', 'model.sig']) {
      const p = resolve(dir, name, f);
      if (existsSync(p)) out[f] = { bytes: new Uint8Array(readFileSync(p)) };
    }
    return out;
  };

  it('verifies the real P-384 key-signed model with its key (PEM with a preamble)', async () => {
    const pem = readFileSync(resolve(dir, 'keys/certificate/signing-key-pub.pem'), 'utf8');
    const check = await run(hubWith(repoFiles('v1.1.0-elliptic-key')), { publicKeyPems: [pem], trustedRoot: undefined });
    if (check.outcome.status !== 'signed') throw new Error(JSON.stringify(check.outcome));
    expect(Object.fromEntries(check.outcome.files.map((f) => [f.path, f.status]))).toEqual({
      'signme-1': 'verified', 'signme-2': 'verified', 'ignore-me': 'ignored', 'model.sig': 'ignored',
    });
    expect(decide(check, NO_TRUST, POLICIES).verdict.state).toBe('verified-first-use');
  });

  it('verifies the real public-good Sigstore signatures, reading the signer from the verified certificate', async () => {
    for (const name of ['v1.1.0-sigstore', 'v1.0.1-sigstore']) {
      const files = repoFiles(name);
      // 1.0.1 recorded no ignore paths: a hub repo of that model would not carry ignore-me.
      if (name === 'v1.0.1-sigstore') delete files['ignore-me'];
      const check = await run(hubWith(files), { trustedRoot: undefined });
      if (check.outcome.status !== 'signed') throw new Error(`${name}: ${JSON.stringify(check.outcome)}`);
      expect(check.outcome.evidence.signer).toEqual({ kind: 'sigstore', identity: 'stefanb@us.ibm.com', issuer: 'https://sigstore.verify.ibm.com/oauth2' });
      expect(check.outcome.evidence.logEntries[0]?.log).toContain('rekor.sigstore.dev');
      expect(decide(check, NO_TRUST, POLICIES).verdict.state).toBe('verified-first-use');
    }
  });
});

const HF_REAL = resolve(process.cwd(), '../shared/fixtures/hf-real');
if (!existsSync(HF_REAL)) console.log('../shared/fixtures/hf-real absent: real Hub signature tests not registered');
else describe("verifyRevision with OpenAI's real folder signature (openai/privacy-filter, recorded from the Hub)", () => {
  // The recording has the bundle and the file names only, not the files' bytes: the fake hub lists
  // the digests the signature signs as each file's LFS SHA-256 (what the browser checks against), so
  // what is tested is locating, real cryptographic verification against the production trusted root,
  // and the folder scope mapping `original/…` to the manifest's names, not the Hub's actual bytes.
  const sig = new Uint8Array(readFileSync(resolve(HF_REAL, 'openai-privacy-filter.model.sig.json')));
  const info = JSON.parse(readFileSync(resolve(HF_REAL, 'openai-privacy-filter.model-info.json'), 'utf8')) as { siblings: { rfilename: string }[] };
  const bundle = JSON.parse(new TextDecoder().decode(sig)) as { dsseEnvelope: { payload: string } };
  const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8')) as {
    subject: { name: string }[];
    predicate: { resources: { name: string; digest: string }[] };
  };
  const signedDigest = new Map(statement.predicate.resources.map((r) => [r.name, r.digest]));

  /** The recorded repo's files; `sigAt` is where its signature is served. */
  function repo(sigAt: string, keep: (path: string) => boolean = () => true): Record<string, FakeFile> {
    const out: Record<string, FakeFile> = {};
    for (const { rfilename } of info.siblings) {
      if (rfilename === 'model.sig' || !keep(rfilename)) continue;
      const inOriginal = rfilename.startsWith('original/') ? signedDigest.get(rfilename.slice('original/'.length)) : undefined;
      out[rfilename] = inOriginal ? { bytes: enc.encode(`placeholder for ${rfilename}`), lfs: true, lfsOidOverride: inOriginal } : { bytes: enc.encode(`placeholder for ${rfilename}`) };
    }
    out[sigAt] = { bytes: sig };
    return out;
  }

  it('the recording is what the test assumes: subject original/, four resources relative to it', () => {
    expect(statement.subject[0]?.name).toBe('original');
    expect([...signedDigest.keys()].sort()).toEqual(['config.json', 'dtypes.json', 'model.safetensors', 'viterbi_calibration.json']);
    for (const name of signedDigest.keys()) expect(info.siblings.some((s) => s.rfilename === `original/${name}`)).toBe(true);
  });

  it('served as original/model.sig: located as a folder signature, verified with the production root, top-level copies uncovered', async () => {
    const check = await run(hubWith(repo('original/model.sig')), { trustedRoot: undefined });
    if (check.outcome.status !== 'signed') throw new Error(JSON.stringify(check.outcome));
    expect(check.outcome.signatures?.map((s) => [s.path, s.scope])).toEqual([['original/model.sig', { kind: 'folder', folder: 'original' }]]);
    expect(check.outcome.evidence.signer).toEqual({ kind: 'sigstore', identity: 'mihaimaruseac@openai.com', issuer: 'https://github.com/login/oauth' });
    expect(check.outcome.evidence.logEntries[0]?.log).toContain('rekor.sigstore.dev');
    const status = Object.fromEntries(check.outcome.files.map((f) => [f.path, f.status]));
    for (const name of signedDigest.keys()) expect(status[`original/${name}`]).toBe('verified');
    expect(status['config.json']).toBe('unsigned');
    const { verdict } = decide(check, NO_TRUST, POLICIES);
    expect(verdict).toMatchObject({ state: 'partly-signed', signatureFiles: ['original/model.sig'] });
    if (verdict.state === 'partly-signed') expect(verdict.uncovered.slice(0, 3)).toEqual(['config.json', 'tokenizer.json', 'tokenizer_config.json']);

    // Only the signed folder (and git metadata) left: verified on first use.
    const only = await run(hubWith(repo('original/model.sig', (p) => p.startsWith('original/') || p === '.gitattributes')), { trustedRoot: undefined });
    expect(decide(only, NO_TRUST, POLICIES).verdict).toMatchObject({ state: 'verified-first-use', signatureFiles: ['original/model.sig'] });
  });

  it('served as the Hub serves it, a root model.sig: its files are checked in original/ (the signed subject), the rest is uncovered', async () => {
    const check = await run(hubWith(repo('model.sig')), { trustedRoot: undefined });
    if (check.outcome.status !== 'signed') throw new Error(JSON.stringify(check.outcome));
    expect(check.outcome.signatures?.map((s) => [s.path, s.scope])).toEqual([['model.sig', { kind: 'folder', folder: 'original' }]]);
    const status = Object.fromEntries(check.outcome.files.map((f) => [f.path, f.status]));
    for (const name of signedDigest.keys()) expect(status[`original/${name}`]).toBe('verified');
    // Same names at the top level are other files: not covered, not "missing".
    expect(status['config.json']).toBe('unsigned');
    expect(status['model.safetensors']).toBe('unsigned');
    expect(status['onnx/model.onnx']).toBe('unsigned');
    expect(status['model.sig']).toBe('ignored');
    const { verdict, newPin } = decide(check, NO_TRUST, POLICIES);
    expect(newPin).toBeUndefined();
    expect(verdict).toMatchObject({ state: 'partly-signed', signatureFiles: ['model.sig'], failure: { code: 'PARTLY_SIGNED' } });
    if (verdict.state !== 'partly-signed') return;
    expect(verdict.failure.reason).toContain('signed: original/');
    expect(verdict.uncovered).toHaveLength(info.siblings.length - 4 /* original/ */ - 2 /* model.sig, .gitattributes */);
    expect(verdict.uncovered.slice(0, 3)).toEqual(['config.json', 'tokenizer.json', 'tokenizer_config.json']);
  });

  it('a root model.sig whose subject folder was changed after signing is still files changed (checked in original/)', async () => {
    const files = repo('model.sig');
    files['original/dtypes.json'] = { bytes: enc.encode('{"tampered": true}') };
    const check = await run(hubWith(files), { trustedRoot: undefined });
    if (check.outcome.status !== 'signed') throw new Error(JSON.stringify(check.outcome));
    expect(check.outcome.files.find((f) => f.path === 'original/dtypes.json')?.status).toBe('mismatch');
    const { verdict } = decide(check, NO_TRUST, POLICIES);
    expect(verdict).toMatchObject({ state: 'files-changed', failure: { code: 'FILES_MISMATCH' } });
  });

  /** The recorded files moved from original/ into each of `folders` (the subject names none of them). */
  function moved(folders: readonly string[]): Record<string, FakeFile> {
    const base = repo('model.sig');
    const out: Record<string, FakeFile> = {};
    for (const [p, f] of Object.entries(base)) {
      if (!p.startsWith('original/')) out[p] = f;
      else for (const d of folders) out[`${d}/${p.slice('original/'.length)}`] = f;
    }
    return out;
  }

  it('no subject folder, but exactly one folder holds every resource: checked there', async () => {
    const check = await run(hubWith(moved(['weights/v1'])), { trustedRoot: undefined });
    if (check.outcome.status !== 'signed') throw new Error(JSON.stringify(check.outcome));
    expect(check.outcome.signatures?.map((s) => s.scope)).toEqual([{ kind: 'folder', folder: 'weights/v1' }]);
    expect(decide(check, NO_TRUST, POLICIES).verdict.state).toBe('partly-signed');
  });

  it('no guessing: two folders each hold every resource, none named by the subject: repo-wide, files changed', async () => {
    const check = await run(hubWith(moved(['a', 'b'])), { trustedRoot: undefined });
    if (check.outcome.status !== 'signed') throw new Error(JSON.stringify(check.outcome));
    expect(check.outcome.signatures?.map((s) => s.scope)).toEqual([{ kind: 'repo' }]);
    expect(check.outcome.files.find((f) => f.path === 'dtypes.json')?.status).toBe('missing');
    expect(decide(check, NO_TRUST, POLICIES).verdict.state).toBe('files-changed');
  });

  it('no guessing: the resources are in no one folder (one only at the root, the others elsewhere): repo-wide, files changed', async () => {
    const files = moved(['a']);
    delete files['a/dtypes.json'];
    const check = await run(hubWith(files), { trustedRoot: undefined });
    if (check.outcome.status !== 'signed') throw new Error(JSON.stringify(check.outcome));
    expect(check.outcome.signatures?.map((s) => s.scope)).toEqual([{ kind: 'repo' }]);
    expect(decide(check, NO_TRUST, POLICIES).verdict.state).toBe('files-changed');
  });
});
