/**
 * The worker's import and accept messages, over the real TrustStore: validated shapes, the preview
 * that changes nothing, and the apply that needs the previewed id and the typed word.
 */
import { describe, expect, it } from 'vitest';
import { ModelSealWorker, type WorkerHost } from '../../../extension/background/worker.js';
import { MemoryArea, SerializedStorage } from '../../../extension/background/storage.js';
import { validate } from '../../../extension/background/validate.js';
import { TrustStore } from '../../../extension/core/trust/store.js';
import type { RevisionChecker } from '../../../extension/background/revision-checker.js';
import type { ImportPreview } from '../../../extension/core/trust/import.js';
import { createKeySigner } from '../../factory/index.js';

const EXT = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop/';
const OWN = 'abcdefghijklmnopabcdefghijklmnop';
const POPUP = { id: OWN, url: `${EXT}popup/index.html` };
const isHub = (u: string) => u.startsWith('https://huggingface.co/');

function setup() {
  const local = new SerializedStorage(new MemoryArea());
  const store = new TrustStore(local);
  let policiesChanged = 0;
  const checker = { policiesChanged: () => void policiesChanged++ } as unknown as RevisionChecker;
  const host: WorkerHost = {
    ownId: OWN,
    extensionBase: EXT,
    now: () => Date.now(),
    local,
    checker,
    trust: store,
    downloads: { pause: async () => {}, resume: async () => {}, cancel: async () => {}, download: async () => 1 },
    openTab: async () => undefined,
    pushToTab: () => undefined,
    showTabState: () => undefined,
    showAlertCount: () => undefined,
  };
  return { worker: new ModelSealWorker(host), store, policiesChanged: () => policiesChanged };
}

describe('trust import and accept messages', () => {
  it('validates the new shapes and refuses anything else', () => {
    const signer = { kind: 'sigstore', identity: 'a@b', issuer: 'https://i' };
    const v = (m: unknown) => validate(m, POPUP, OWN, EXT, isHub).ok;
    expect(v({ type: 'trust/import-preview', json: '{}' })).toBe(true);
    expect(v({ type: 'trust/import-preview' })).toBe(false);
    expect(v({ type: 'trust/import', json: '{}', mode: 'merge', confirmation: 'merge', previewId: 'abc' })).toBe(true);
    expect(v({ type: 'trust/import', json: '{}', mode: 'everything' })).toBe(false);
    expect(v({ type: 'trust/import', json: '{}', previewId: 5 })).toBe(false);
    expect(v({ type: 'trust/accept-preview', hub: 'https://huggingface.co', kind: 'model', repo: 'a/b', signer })).toBe(true);
    expect(v({ type: 'trust/accept-signer', hub: 'https://huggingface.co', kind: 'model', repo: 'a/b', signer, confirmation: 'a/b', policy: 'exception' })).toBe(true);
    expect(v({ type: 'trust/accept-signer', hub: 'https://huggingface.co', kind: 'model', repo: 'a/b', signer, confirmation: 'a/b', policy: 'delete-all' })).toBe(false);
    // A repo is named by hub, kind and id: without the kind (or with another) the worker has nothing to guess from.
    expect(v({ type: 'trust/accept-preview', hub: 'https://huggingface.co', repo: 'a/b', signer })).toBe(false);
    expect(v({ type: 'trust/remove-pin', hub: 'https://huggingface.co', kind: 'space', repo: 'a/b' })).toBe(false);
    expect(v({ type: 'repo/history', hub: 'https://huggingface.co', kind: 'dataset', repo: 'a/b' })).toBe(true);
    // Content scripts may not even ask for a preview.
    const content = { id: OWN, url: 'https://huggingface.co/a/b', tab: { id: 3 }, frameId: 0 };
    expect(validate({ type: 'trust/import-preview', json: '{}' }, content, OWN, EXT, isHub).ok).toBe(false);
  });

  it('previews without changing anything, and applies only the previewed, typed-confirmed change', async () => {
    const { worker, store, policiesChanged } = setup();
    await store.setExpected({ scope: 'acme/*', identity: 'alice@example.com', issuer: 'https://i' });
    const src = new TrustStore(new SerializedStorage(new MemoryArea()));
    await src.setExpected({ kind: 'key', scope: 'meta-llama/*', publicKeyPem: createKeySigner('P-256', { seed: 'msg-test' }).publicKeyPem });
    await src.setSignersPerRepo(16);
    const json = await src.exportJson();
    const before = await store.snapshot();

    const preview = await worker.handle({ type: 'trust/import-preview', json }, POPUP);
    expect(preview.ok).toBe(true);
    const p = (preview as { value: ImportPreview }).value;
    expect(p.replace.policies.removed.map((e) => e.scope)).toEqual(['acme/*']);
    expect(await store.snapshot()).toEqual(before);

    // The old message shape (just the file) now applies nothing.
    expect(await worker.handle({ type: 'trust/import', json }, POPUP)).toMatchObject({ ok: false, error: { code: 'PREVIEW_MISMATCH' } });
    expect(await worker.handle({ type: 'trust/import', json, mode: 'merge', previewId: p.merge.id }, POPUP)).toMatchObject({ ok: false, error: { code: 'CONFIRMATION_MISMATCH' } });
    expect(await store.snapshot()).toEqual(before);
    expect(await worker.handle({ type: 'trust/import', json, mode: 'merge', previewId: p.merge.id, confirmation: 'merge' }, POPUP)).toMatchObject({ ok: true });
    const doc = await store.snapshot();
    expect(doc.expected.map((e) => e.scope)).toEqual(['acme/*', 'meta-llama/*']);
    expect(doc.settings.signersPerRepo).toBe(16);
    // Policies changed: the worker dropped its remembered key plans each time.
    expect(policiesChanged()).toBe(3);
  });

  it('refuses a key policy whose fingerprint is not its key\'s', async () => {
    const { store } = setup();
    const src = new TrustStore(new SerializedStorage(new MemoryArea()));
    await src.setExpected({ kind: 'key', scope: 'meta-llama/*', publicKeyPem: createKeySigner('P-256', { seed: 'msg-test' }).publicKeyPem });
    const json = (await src.exportJson()).replace(/"keyFingerprint": "[0-9a-f]{64}"/, `"keyFingerprint": "${'ab'.repeat(32)}"`);
    await expect(store.previewImport(json)).rejects.toMatchObject({ code: 'STORE_INVALID' });
  });
});
