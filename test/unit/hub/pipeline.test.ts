/**
 * The hub pipeline as the worker runs it: verifyRevision (real signatures, fake hub) → TrustStore.record
 * → Verdict, across revisions of one repo, the way a user would browse them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { adapterFor } from '../../../extension/core/hubs/index.js';
import { verifyRevision } from '../../../extension/core/hub/verify-revision.js';
import { TrustStore } from '../../../extension/core/trust/store.js';
import { DEFAULT_REVISION } from '../../../extension/core/hub/revision-check.js';
import type { KeyValueStorage } from '../../../extension/core/env.js';
import type { Verdict } from '../../../extension/core/verdict.js';
import { createCaSigner, createKeySigner, createSigstoreSigner, createTestSigstore, signModel, type FileMap, type TestSigstore } from '../../factory/index.js';
import { FakeHub, fakeSha, type FakeFile } from './fake-hub.js';

const enc = new TextEncoder();
const ISSUER = 'https://token.actions.githubusercontent.com';
const RELEASE = 'https://github.com/acme/model/.github/workflows/release.yml@refs/tags/v1';
const FORK = 'https://github.com/m4llory/model/.github/workflows/release.yml@refs/heads/main';

class MemoryStorage implements KeyValueStorage {
  private readonly m = new Map<string, unknown>();
  async get(k: string) {
    return this.m.get(k);
  }
  async set(k: string, v: unknown) {
    this.m.set(k, structuredClone(v));
  }
}

let sigstore: TestSigstore;
let root: unknown;
beforeAll(() => {
  sigstore = createTestSigstore({ seed: 'pipeline' });
  root = sigstore.trustedRoot();
});

function files(model: FileMap, sig?: string): Record<string, FakeFile> {
  const out: Record<string, FakeFile> = {};
  for (const [p, c] of Object.entries(model)) out[p] = { bytes: typeof c === 'string' ? enc.encode(c) : c, lfs: p.endsWith('.safetensors') };
  if (sig) out['model.sig'] = { bytes: enc.encode(sig) };
  return out;
}

describe('hub pipeline with trust on first use', () => {
  it('follows one repo through first use, same signer, identity change, acceptance and signature removal', async () => {
    const v1: FileMap = { 'config.json': '{"v":1}', 'model.safetensors': 'weights v1' };
    const v2: FileMap = { 'config.json': '{"v":2}', 'model.safetensors': 'weights v2' };
    const release = createSigstoreSigner(sigstore, { identity: RELEASE, issuer: ISSUER });
    const fork = createSigstoreSigner(sigstore, { identity: FORK, issuer: ISSUER });
    const commits = [fakeSha('a'), fakeSha('b'), fakeSha('c'), fakeSha('d'), fakeSha('e')];
    const hub = new FakeHub().add({
      kind: 'model',
      id: 'acme/model',
      // main starts at the first signed commit and later moves to the unsigned one.
      refs: { main: commits[0]! },
      commits: {
        [commits[0]!]: files(v1, signModel({ files: v1, signer: release }).signature),
        [commits[1]!]: files(v2, signModel({ files: v2, signer: release }).signature),
        [commits[2]!]: files(v1, signModel({ files: v1, signer: fork }).signature),
        [commits[3]!]: files(v2, signModel({ files: v2, signer: fork }).signature),
        [commits[4]!]: files(v2),
      },
    });
    const store = new TrustStore(new MemoryStorage());
    const visit = async (rev: string): Promise<Verdict> => {
      const client = adapterFor('https://huggingface.co').createClient({ fetch: hub.fetch });
      const check = await verifyRevision({ client, kind: 'model', repo: 'acme/model', revision: rev, trustedRoot: root });
      return store.record(check);
    };

    // First visit: the repo's home page, i.e. the default branch head (only it may pin).
    const first = await visit(DEFAULT_REVISION);
    expect(first.state).toBe('verified-first-use');
    if (first.state === 'verified-first-use') expect(first.signature.signer.identity).toBe(RELEASE);
    expect((await visit(commits[1]!)).state).toBe('verified');
    const changed = await visit(commits[2]!);
    expect(changed.state).toBe('identity-changed');
    if (changed.state !== 'identity-changed') return;
    expect(changed.previousSigners[0]?.identity).toBe(RELEASE);
    expect(changed.signature.signer.identity).toBe(FORK);
    expect((await store.alerts()).unread).toBe(1);

    await store.acceptSigner({ hub: 'https://huggingface.co', kind: 'model', repo: 'acme/model' }, changed.signature.signer, 'acme/model');
    expect((await visit(commits[3]!)).state).toBe('verified');
    hub.repos.get('model:acme/model')!.refs.main = commits[4]!;
    const removed = await visit('main');
    expect(removed.state).toBe('signature-removed');
    const history = (await store.repo({ hub: 'https://huggingface.co', kind: 'model', repo: 'acme/model' }))?.history ?? [];
    expect(history.map((h) => h.state)).toEqual(['verified-first-use', 'verified', 'identity-changed', 'verified', 'signature-removed']);
  });

  it('verifies a key-signed repo once the user pins the key by policy, and flags another key', async () => {
    const model: FileMap = { 'config.json': '{}', 'model.safetensors': 'w' };
    const key = createKeySigner('P-256', { seed: 'pipeline-key' });
    const other = createKeySigner('P-256', { seed: 'pipeline-other' });
    const c1 = fakeSha('k1');
    const c2 = fakeSha('k2');
    const hub = new FakeHub().add({
      kind: 'model',
      id: 'acme/keyed',
      refs: { main: c1 },
      commits: { [c1]: files(model, signModel({ files: model, signer: key }).signature), [c2]: files(model, signModel({ files: model, signer: other }).signature) },
    });
    const store = new TrustStore(new MemoryStorage());
    const visit = async (rev: string) => {
      const { publicKeyPems } = await store.plan({ hub: hub.origin, kind: 'model', repo: 'acme/keyed' });
      const check = await verifyRevision({ client: adapterFor('https://huggingface.co').createClient({ fetch: hub.fetch }), kind: 'model', repo: 'acme/keyed', revision: rev, publicKeyPems });
      return store.record(check);
    };
    expect((await visit(c1)).state).toBe('unverifiable');
    await store.setExpected({ kind: 'key', scope: 'acme/keyed', publicKeyPem: key.publicKeyPem });
    const ok = await visit(c1);
    expect(ok.state).toBe('verified');
    if (ok.state === 'verified') expect(ok.signature.signer.kind).toBe('key');
    // Signed with a key the user did not name: it cannot verify, so it is not "verified".
    expect((await visit(c2)).state).toBe('invalid-signature');
  });

  it('verifies certificate-mode signatures against the CA the user named, pinning the CA subject', async () => {
    const model: FileMap = { 'config.json': '{}', 'model.safetensors': 'w' };
    const ca = createCaSigner({ seed: 'pipeline-ca' });
    const otherCa = createCaSigner({ seed: 'pipeline-other-ca' });
    const c1 = fakeSha('ca1');
    const hub = new FakeHub().add({
      kind: 'model',
      id: 'corp/model',
      refs: { main: c1 },
      commits: { [c1]: files(model, signModel({ files: model, signer: ca }).signature) },
    });
    const store = new TrustStore(new MemoryStorage());
    const visit = async () => {
      const { publicKeyPems, caPems } = await store.plan({ hub: hub.origin, kind: 'model', repo: 'corp/model' });
      const check = await verifyRevision({ client: adapterFor('https://huggingface.co').createClient({ fetch: hub.fetch }), kind: 'model', repo: 'corp/model', revision: 'main', publicKeyPems, caPems });
      return store.record(check);
    };
    const none = await visit();
    expect(none).toMatchObject({ state: 'unverifiable', failure: { code: 'CERTIFICATE_CA_NOT_TRUSTED' } });
    await store.setExpected({ kind: 'certificate', scope: 'corp/*', caPems: [otherCa.caPem] });
    expect((await visit()).state).toBe('invalid-signature');
    await store.setExpected({ kind: 'certificate', scope: 'corp/*', caPems: [ca.caPem] });
    const ok = await visit();
    expect(ok.state).toBe('verified');
    if (ok.state === 'verified') expect(ok.signature.signer).toMatchObject({ kind: 'certificate', caSubject: expect.stringContaining('root-ca') });
    const pins = (await store.repo({ hub: hub.origin, kind: 'model', repo: 'corp/model' }))?.pins ?? [];
    expect(pins[0]?.signer.caSubject).toContain('root-ca');
    await expect(store.setExpected({ kind: 'certificate', scope: 'corp/*', caPems: ['not a pem'] })).rejects.toMatchObject({ code: 'STORE_INVALID' });
  });
});
