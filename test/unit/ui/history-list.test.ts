import { describe, expect, it } from 'vitest';
import { HistoryList } from '../../../popup/HistoryList.js';
import { html, text } from './render.js';

const KEY = { kind: 'key' as const, keyFingerprint: '74b628948dcc6654efcc8e6ec02a5b8fe0a3d769a7db1ac48a1fe94f5a27ee27' };

describe('HistoryList', () => {
  it('a key signer is our own short label: no look-alike warning for its ellipsis', () => {
    const out = text(html(HistoryList, { entries: [{ commit: 'a'.repeat(40), seenAt: 1_700_000_000_000, state: 'verified', signer: KEY }] }));
    expect(out).toContain('key 74b628948dcc6654…');
    expect(out).not.toContain('look-alike');
  });

  it('a Sigstore identity is still analysed: a Cyrillic look-alike is flagged', () => {
    const signer = { kind: 'sigstore' as const, identity: 'аlice@example.com', issuer: 'https://accounts.example.com' };
    const out = text(html(HistoryList, { entries: [{ commit: 'b'.repeat(40), seenAt: 1_700_000_000_000, state: 'verified', signer }] }));
    expect(out).toContain('look-alike');
  });
});
