/**
 * A CA policy with a public CA: trusting DigiCert for `ibm-granite/*` must not make every DigiCert
 * customer green there. The first certificate verified under the policy is pinned by its subject; a
 * certificate for another subject from the same CA is "identity changed" (red, alert) until the user
 * accepts it. Real certificate chains from the fixture factory's CA, the real verifier, the real store.
 */
import { describe, expect, it } from 'vitest';
import { adapterFor } from '../../../extension/core/hubs/index.js';
import { verifyRevision } from '../../../extension/core/hub/verify-revision.js';
import { DEFAULT_REVISION } from '../../../extension/core/hub/revision-check.js';
import { TrustStore } from '../../../extension/core/trust/store.js';
import type { KeyValueStorage } from '../../../extension/core/env.js';
import { createCaSigner, signModel, type FileMap } from '../../factory/index.js';
import { FakeHub, fakeSha, type FakeFile } from '../hub/fake-hub.js';

const enc = new TextEncoder();

class MemoryStorage implements KeyValueStorage {
  private readonly m = new Map<string, unknown>();
  async get(k: string) {
    return this.m.get(k);
  }
  async set(k: string, v: unknown) {
    this.m.set(k, structuredClone(v));
  }
}

function files(model: FileMap, sig: string): Record<string, FakeFile> {
  const out: Record<string, FakeFile> = { 'model.sig': { bytes: enc.encode(sig) } };
  for (const [p, c] of Object.entries(model)) out[p] = { bytes: typeof c === 'string' ? enc.encode(c) : c, lfs: p.endsWith('.safetensors') };
  return out;
}

describe('certificate policy with a CA that issues to many', () => {
  it('pins the first subject; another subject from the same CA is identity changed until accepted', async () => {
    const model: FileMap = { 'config.json': '{}', 'model.safetensors': 'weights' };
    // Same seed: the same root and intermediate CA; two certificate holders.
    const publisher = createCaSigner({ seed: 'public-ca', leafSubject: { organization: 'International Business Machines Corporation', commonName: 'International Business Machines Corporation' } });
    const stranger = createCaSigner({ seed: 'public-ca', leafSubject: { organization: 'Someone Else Ltd', commonName: 'Someone Else Ltd' } });
    expect(stranger.caPem).toBe(publisher.caPem);
    const [c1, c2] = [fakeSha('cert-1'), fakeSha('cert-2')];
    const refs = { main: c1 };
    const hub = new FakeHub().add({
      kind: 'model',
      id: 'ibm-granite/ts-model',
      refs,
      commits: { [c1]: files(model, signModel({ files: model, signer: publisher }).signature), [c2]: files(model, signModel({ files: model, signer: stranger }).signature) },
    });
    const ref = { hub: hub.origin, kind: 'model' as const, repo: 'ibm-granite/ts-model' };
    const store = new TrustStore(new MemoryStorage());
    const visit = async () => {
      const { publicKeyPems, caPems } = await store.plan(ref);
      const client = adapterFor('https://huggingface.co').createClient({ fetch: hub.fetch });
      return store.record(await verifyRevision({ client, kind: 'model', repo: ref.repo, revision: DEFAULT_REVISION, publicKeyPems, caPems }));
    };
    await store.setExpected({ kind: 'certificate', scope: 'ibm-granite/*', caPems: [publisher.caPem] });

    const first = await visit();
    expect(first.state).toBe('verified');
    if (first.state === 'verified') expect(first.signature.signer.identity).toContain('International Business Machines Corporation');
    expect((await store.repo(ref))?.pins.map((p) => p.signer.identity)).toEqual([expect.stringContaining('International Business Machines Corporation')]);

    refs.main = c2; // the publisher's signature replaced by another certificate holder's
    const swapped = await visit();
    expect(swapped).toMatchObject({ state: 'identity-changed', failure: { code: 'IDENTITY_MISMATCH' } });
    if (swapped.state !== 'identity-changed') return;
    expect(swapped.signature.signer.identity).toContain('Someone Else Ltd');
    expect(swapped.previousSigners.map((s) => s.identity)).toEqual([expect.stringContaining('International Business Machines Corporation')]);
    expect((await store.alerts()).unread).toBe(1);

    // The user may accept the new holder (typing the repo name); the CA policy itself stays.
    await store.acceptSigner(ref, swapped.signature.signer, ref.repo);
    expect((await visit()).state).toBe('verified');
  });
});
