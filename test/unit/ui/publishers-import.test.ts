/**
 * The publishers' directory import review: every entry shown (hostile names as text), the ones that
 * would speak for a namespace already listed marked, the typed word named, and apply disabled until
 * it is typed.
 */
import { describe, expect, it } from 'vitest';
import { ImportPreviewForm, type PublishersActions } from '../../../popup/PublishersSettings.js';
import type { PublisherImportPreview } from '../../../extension/core/publishers/import.js';
import { html, text } from './render.js';

const never = () => Promise.reject(new Error('not in this test'));
const actions: PublishersActions = { get: never, preview: never, apply: never, removeImported: never };

const preview: PublisherImportPreview = {
  id: 'a'.repeat(64),
  entries: [
    { namespace: 'ibm-granite', name: 'Evil <b>IBM</b>', signers: ['attacker@example.com (https://issuer.example)'], source: { kind: 'organisation-policy', urls: ['https://intranet.example/signers'], checked: '2026-11-01' }, overrides: true },
    { namespace: 'acme', name: 'Acme', signers: ['key 74b6…'], source: { kind: 'organisation-policy', urls: [], checked: '2026-11-01' }, overrides: false },
  ],
  confirmation: 'trust these publishers',
};

describe('publishers directory import review', () => {
  it('lists every entry as text, marks the overriding one, names the typed word, and keeps apply disabled', () => {
    const out = html(ImportPreviewForm, { text: '{}', preview, actions, onDone: () => {}, onCancel: () => {} });
    expect(out).not.toContain('<b>IBM</b>');
    expect(text(out)).toContain('Evil <b>IBM</b> (ibm-granite)');
    expect(text(out)).toContain('attacker@example.com');
    expect(out).toMatch(/data-namespace="ibm-granite" data-overrides="yes"/);
    expect(out).toMatch(/data-namespace="acme" data-overrides="no"/);
    expect(text(out)).toContain('trust these publishers');
    expect(out).toMatch(/<button type="submit"[^>]*disabled/);
    expect(out).toContain('name="ms-publishers-confirm"');
  });
});
