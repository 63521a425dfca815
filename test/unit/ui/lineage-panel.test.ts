/** The popup's base-model rows: wording per state, a signer nobody trusted yet, hostile names as inert text, the next level on request. */
import { describe, expect, it } from 'vitest';
import { LineagePanel } from '../../../popup/LineagePanel.js';
import type { LineageView } from '../../../extension/shared/messages.js';
import { html, text } from './render.js';

const IBM = { kind: 'sigstore' as const, identity: 'Granite-sign@ibm.com', issuer: 'https://sigstore.verify.ibm.com/oauth2' };

describe('LineagePanel', () => {
  it('names each base with its state and signer, says when a signer is not trusted yet, and counts what is not shown', () => {
    const view: LineageView = {
      repo: 'acme/finetune',
      more: 2,
      bases: [
        { repo: 'ibm-granite/granite-4.1-3b', state: 'verified', signer: IBM, bases: 0 },
        { repo: 'ibm-granite/other', state: 'verified-first-use', signer: IBM, untrusted: true, bases: 1 },
        { repo: 'someone/changed', state: 'files-changed', signer: IBM, failure: { code: 'FILES_MISMATCH', reason: 'files differ' }, bases: 0 },
        { repo: 'someone/plain', state: 'unsigned', bases: 0 },
      ],
    };
    const markup = html(LineagePanel, { view, load: async () => ({ repo: 'x/y', bases: [], more: 0 }) });
    const out = text(markup);
    expect(out).toContain('Base model: ibm-granite/granite-4.1-3b Verified');
    expect(out).toContain('signed by Granite-sign@ibm.com');
    expect(out).toContain('Signed, signer not trusted yet');
    expect(out).toContain('Nothing was pinned for this base model');
    expect(out).toContain('Files changed after signing');
    expect(out).toContain('FILES_MISMATCH');
    expect(out).toContain('Not signed');
    expect(out).toContain('2 more base models are named in the card');
    // Only the base that names bases of its own offers the next level.
    expect(markup.match(/data-lineage-deeper=/g)).toHaveLength(1);
    expect(out).toContain('Show its base model (1)');
    // "Verified, first use" would claim a pin that was not made: never shown for a base.
    expect(out).not.toContain('Verified, first use');
  });

  it('renders nothing for a card with no base model, and hostile names as text', () => {
    expect(html(LineagePanel, { view: { repo: 'a/b', bases: [], more: 0 } })).toBe('');
    const markup = html(LineagePanel, { view: { repo: 'a/b', more: 0, bases: [{ repo: 'evil/<img src=x>\u202e', state: 'unsigned', bases: 0 }] } });
    expect(markup).not.toContain('<img');
    expect(text(markup)).toContain('U+202E');
  });
});
