/**
 * Base-model lineage through the worker's typed message, over the real core and the fixture hub:
 * each base's verdict is computed like any repo's (signed, changed, unsigned, missing), the first
 * five are shown and the rest counted, the fine-tune's own verdict ignores its bases, a base's
 * valid signature creates no first-use pin (nor history or alert) until the user opens the base
 * itself, checks are cached, and content scripts cannot ask.
 */
import { describe, expect, it } from 'vitest';
import { HUB } from '../../fixture-hub/hub.mjs';
import { file, repo, sha256Hex } from '../../fixture-hub/repo.mjs';
import { OMS_REAL, hasShared, keySignedFiles } from '../../fixture-hub/scenarios.mjs';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { LineageView } from '../../../extension/shared/messages.js';
import { repoKey } from '../../../extension/core/repo-ref.js';
import { EXT, OWN, key, keyPolicy, setupWorker } from './harness.js';
import { ORIGINAL, hasHfReal, publisherRepos } from '../../fixture-hub/publishers.mjs';

// The real public-good signature in ../shared/fixtures/oms-real/v1.1.0-sigstore.
const SIGSTORE_IDENTITY = 'stefanb@us.ibm.com';
const popup = { id: OWN, url: `${EXT}popup/index.html` };
const REF = { hub: HUB, kind: 'model' as const };

function realSigstoreFiles() {
  const read = (n: string) => readFileSync(resolve(OMS_REAL, 'v1.1.0-sigstore', n));
  return ['model.sig', 'signme-1', 'signme-2', 'ignore-me'].map((n) => file(n, read(n), { lfs: n.startsWith('signme') }));
}

function setup({ sigstore = false } = {}) {
  const base = keySignedFiles(key, 8, 'lineage-base');
  const bases = ['acme/base-signed', 'acme/base-changed', 'other/plain', 'ghost/missing', ...(sigstore ? ['ibm-fixture/base-sigstore'] : ['acme/base-signed-2']), 'acme/sixth', 'acme/seventh'];
  const extraRepos = [
    repo({ id: 'acme/base-signed', commits: { v1: base } }),
    repo({ id: 'acme/base-signed-2', commits: { v1: base } }),
    // The same signature, one LFS file listed with other bytes: changed after signing.
    repo({ id: 'acme/base-changed', commits: { v1: base.map((f) => (f.lfs && f.path.endsWith('00001.safetensors') ? { ...f, lfsOid: sha256Hex(Buffer.from('re-quantized')) } : f)) } }),
    repo({ id: 'acme/finetune', commits: { v1: keySignedFiles(key, 6, 'lineage-finetune') }, cardData: { base_model: bases } }),
    repo({ id: 'acme/deep', commits: { v1: [file('config.json', '{}')] }, cardData: { base_model: 'acme/finetune' } }),
    ...(sigstore ? [repo({ id: 'ibm-fixture/base-sigstore', commits: { v1: realSigstoreFiles() } })] : []),
  ];
  const w = setupWorker('lineage', { extraRepos });
  const ask = async (msg: object) => {
    const r = await w.worker.handle({ type: 'lineage/get', ...REF, ...msg }, popup);
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.value as LineageView;
  };
  return { ...w, ask };
}

describe('base-model lineage', () => {
  it('shows each of the first five bases with its own verdict and counts the rest; the repo\'s own verdict is unchanged', async () => {
    const { worker, ask } = setup();
    await keyPolicy(worker);
    const own = await worker.verdictFor({ ...REF, repo: 'acme/finetune', revision: 'main' });
    expect(own.state).toBe('verified');

    const view = await ask({ repo: 'acme/finetune' });
    expect(view.repo).toBe('acme/finetune');
    expect(view.more).toBe(2);
    expect(view.bases.map((b) => [b.repo, b.state])).toEqual([
      ['acme/base-signed', 'verified'],
      ['acme/base-changed', 'files-changed'],
      ['other/plain', 'unsigned'],
      ['ghost/missing', 'unverifiable'],
      ['acme/base-signed-2', 'verified'],
    ]);
    const signed = view.bases[0]!;
    expect(signed.signer).toMatchObject({ kind: 'key', keyFingerprint: key.fingerprint });
    expect(signed.untrusted).toBeUndefined();
    expect(signed.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(view.bases[1]!.failure?.code).toBe('FILES_MISMATCH');
    expect(view.bases[3]!.failure?.code).toBe('AUTH_REQUIRED'); // the hub answers 401 for missing, private and gated repos alike
    // Changed and unverifiable bases do not touch the fine-tune's verdict.
    expect((await worker.verdictFor({ ...REF, repo: 'acme/finetune', revision: 'main' })).state).toBe('verified');
  });

  it('reports a base with no key to check it as could-not-verify, never green', async () => {
    const { ask } = setup();
    // No key policy: the key-signed bases cannot be checked.
    const view = await ask({ repo: 'acme/finetune' });
    expect(view.bases[0]).toMatchObject({ repo: 'acme/base-signed', state: 'unverifiable', failure: { code: 'VERIFICATION_MATERIAL_UNSUPPORTED' } });
  });

  it('goes one level deeper only when asked, and says how many bases each base names', async () => {
    const { worker, ask } = setup();
    await keyPolicy(worker);
    const top = await ask({ repo: 'acme/deep' });
    expect(top.bases).toHaveLength(1);
    expect(top.bases[0]).toMatchObject({ repo: 'acme/finetune', state: 'verified', bases: 7 });
    const next = await ask({ repo: top.bases[0]!.repo });
    expect(next.bases).toHaveLength(5);
  });

  it('reuses cached checks: asking again verifies nothing', async () => {
    const { worker, ask } = setup();
    await keyPolicy(worker);
    const first = await ask({ repo: 'acme/finetune' });
    const after = worker.verifications;
    expect(after).toBeGreaterThan(0);
    const again = await ask({ repo: 'acme/finetune' });
    expect(worker.verifications).toBe(after);
    expect(again.bases.map((b) => b.state)).toEqual(first.bases.map((b) => b.state));
  });

  it('refuses lineage requests from content scripts and malformed repo names', async () => {
    const { worker } = setup();
    const content = { id: OWN, url: `${HUB}/acme/finetune`, tab: { id: 7 }, frameId: 0 };
    expect(await worker.handle({ type: 'lineage/get', ...REF, repo: 'acme/finetune' }, content)).toMatchObject({ ok: false, error: { code: 'REFUSED' } });
    expect(await worker.handle({ type: 'lineage/get', ...REF, repo: '../x' }, popup)).toMatchObject({ ok: false, error: { code: 'REFUSED' } });
    expect(await worker.handle({ type: 'lineage/get', ...REF, repo: 'acme/finetune', revision: 'main branch' }, popup)).toMatchObject({ ok: false, error: { code: 'REFUSED' } });
    expect(await worker.handle({ type: 'lineage/get', hub: 'https://evil.example', kind: 'model', repo: 'acme/finetune' }, popup)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it.runIf(hasShared())('a base signed by someone nobody trusted yet is shown as such and pins nothing until the base itself is opened', async () => {
    const { worker, store, ask } = setup({ sigstore: true });
    await keyPolicy(worker);
    const view = await ask({ repo: 'acme/finetune' });
    const base = view.bases.find((b) => b.repo === 'ibm-fixture/base-sigstore')!;
    // decide() would say "verified, first use" for a page view; here nothing is pinned, so it is not trusted.
    expect(base).toMatchObject({ state: 'verified-first-use', untrusted: true, signer: { kind: 'sigstore', identity: SIGSTORE_IDENTITY } });
    const baseKey = repoKey({ ...REF, repo: 'ibm-fixture/base-sigstore' });
    const doc = await store.snapshot();
    expect(doc.repos[baseKey]).toBeUndefined();
    expect(doc.alerts).toEqual([]);

    // The user opens the base's own page: now, and only now, its signer is pinned.
    expect((await worker.verdictFor({ ...REF, repo: 'ibm-fixture/base-sigstore', revision: ':default' })).state).toBe('verified-first-use');
    expect((await store.snapshot()).repos[baseKey]?.pins).toHaveLength(1);
    const later = (await ask({ repo: 'acme/finetune' })).bases.find((b) => b.repo === 'ibm-fixture/base-sigstore')!;
    expect(later.state).toBe('verified');
    expect(later.untrusted).toBeUndefined();
  });
  it.runIf(hasHfReal())("a base in a publisher's namespace is judged by the publishers' directory, as on its own page, and still records nothing", async () => {
    const extraRepos = [...publisherRepos().repos, repo({ id: 'acme/granite-tune', commits: { v1: [file('config.json', '{}')] }, cardData: { base_model: ORIGINAL } })];
    const { worker, store } = setupWorker('lineage-publisher', { extraRepos });
    const r = await worker.handle({ type: 'lineage/get', ...REF, repo: 'acme/granite-tune' }, popup);
    if (!r.ok) throw new Error(r.error.message);
    const [base] = (r.value as LineageView).bases;
    expect(base).toMatchObject({ repo: ORIGINAL, state: 'verified', signer: { identity: 'Granite-sign@ibm.com' }, publisher: { relation: 'documented', namespace: 'ibm-granite' } });
    expect(base!.untrusted).toBeUndefined();
    expect((await store.snapshot()).repos[repoKey({ ...REF, repo: ORIGINAL })]).toBeUndefined();
  });
});
