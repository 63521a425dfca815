/**
 * Importing a further publishers' directory: a preview lists every entry (signers, source, whether it
 * overrides one in force); applying needs that preview's id and the typed confirmation; the imported
 * entry then speaks for its namespace (before the shipped one), and switching the directory off in
 * settings leaves none in force.
 */
import { describe, expect, it } from 'vitest';
import { MemoryArea, SerializedStorage } from '../../../extension/background/storage.js';
import { PublishersStore } from '../../../extension/background/publishers.js';
import { PUBLISHERS_IMPORT_CONFIRMATION } from '../../../extension/core/publishers/import.js';
import { entryForRepo } from '../../../extension/core/publishers/directory.js';

const ENTERPRISE = JSON.stringify({
  format: 'modelseal-publishers/v1',
  publishers: [
    { namespace: 'acme-ml', name: 'ACME', signers: [{ kind: 'sigstore', identity: 'release@acme.example', issuer: 'https://login.acme.example' }], source: { kind: 'organisation-policy', urls: ['https://intranet.acme.example/ml/signing'], checked: '2026-11-20' } },
    { namespace: 'ibm-granite', name: 'IBM (as our policy says)', signers: [{ kind: 'key', keyFingerprint: 'b'.repeat(64) }], source: { kind: 'organisation-policy', urls: ['https://intranet.acme.example/ml/ibm'], checked: '2026-11-20' } },
  ],
});

describe('publishers directory import', () => {
  it('previews, refuses without the typed word or for other text, then applies; off in settings means none in force', async () => {
    let enabled = true;
    const store = new PublishersStore(new SerializedStorage(new MemoryArea()), async () => enabled);
    const preview = await store.preview(ENTERPRISE);
    expect(preview.confirmation).toBe(PUBLISHERS_IMPORT_CONFIRMATION);
    expect(preview.entries).toEqual([
      expect.objectContaining({ namespace: 'acme-ml', overrides: false, signers: ['release@acme.example (https://login.acme.example)'] }),
      expect.objectContaining({ namespace: 'ibm-granite', overrides: true }),
    ]);
    // Previewing changed nothing.
    expect(entryForRepo(await store.active(), 'acme-ml/model')).toBeUndefined();
    await expect(store.apply(ENTERPRISE, preview.id, 'yes')).rejects.toMatchObject({ code: 'CONFIRMATION_MISMATCH' });
    await expect(store.apply(ENTERPRISE.replace('ACME', 'EVIL'), preview.id, PUBLISHERS_IMPORT_CONFIRMATION)).rejects.toMatchObject({ code: 'PREVIEW_MISMATCH' });
    await expect(store.preview('{"format":"modelseal-publishers/v1","publishers":[{"namespace":"x"}]}')).rejects.toMatchObject({ code: 'STORE_INVALID' });

    await store.apply(ENTERPRISE, preview.id, ` ${PUBLISHERS_IMPORT_CONFIRMATION} `);
    const active = await store.active();
    expect(entryForRepo(active, 'acme-ml/model')?.name).toBe('ACME');
    // The organisation's entry speaks for ibm-granite instead of the shipped one.
    expect(entryForRepo(active, 'ibm-granite/granite-4.1-3b')?.signers).toEqual([{ kind: 'key', keyFingerprint: 'b'.repeat(64) }]);
    enabled = false;
    expect(await store.active()).toBeUndefined();
    enabled = true;
    await store.removeImported();
    expect(entryForRepo(await store.active(), 'ibm-granite/x')?.name).toBe('IBM');
  });
});
