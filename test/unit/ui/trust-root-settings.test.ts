/** Settings' trust root panel: each source worded from the locale file, with version, dates, host and last error. */
import { describe, expect, it } from 'vitest';
import { TrustRootView } from '../../../popup/TrustRootSettings.js';
import type { TrustRootStatus } from '../../../extension/shared/messages.js';
import { html, text } from './render.js';

const base: TrustRootStatus = { source: 'built-in', online: true, host: 'tuf-repo-cdn.sigstore.dev', rootVersion: 14, builtInDate: '2025-09-23' };

describe('trust root settings', () => {
  it('built-in: labelled with its date and "not updated", the switch on and the host named', () => {
    const out = html(TrustRootView, { status: base, onToggle: () => {}, onUpdate: () => {} });
    expect(text(out)).toContain('Built-in, from 2025-09-23, not updated.');
    expect(text(out)).toContain('TUF root version 14');
    expect(text(out)).toContain('Host contacted tuf-repo-cdn.sigstore.dev');
    expect(text(out)).toContain('Keep it current online (from tuf-repo-cdn.sigstore.dev)');
    expect(out).toMatch(/<input[^>]*type="checkbox"[^>]*checked/);
    expect(text(out)).toContain('Update now');
  });

  it('updated: version, date, last update and how long it stays valid', () => {
    const s: TrustRootStatus = { ...base, source: 'updated', rootVersion: 15, updatedDate: '2026-10-01', lastUpdate: Date.parse('2026-11-29T10:00:00Z'), validUntil: Date.parse('2026-12-06T10:00:00Z') };
    const words = text(html(TrustRootView, { status: s }));
    expect(words).toContain('Updated through TUF (root version 15, from 2026-10-01).');
    expect(words).toContain('Last update 2026-11-29 10:00 UTC');
    expect(words).toContain('Valid until 2026-12-06 10:00 UTC');
  });

  it('expired: says Sigstore signatures cannot be checked, and shows the last error by its code', () => {
    const s: TrustRootStatus = {
      ...base,
      source: 'expired',
      rootVersion: 15,
      validUntil: Date.parse('2026-12-06T10:00:00Z'),
      lastError: { code: 'NETWORK_ERROR', reason: 'could not reach the TUF repository', at: Date.parse('2026-12-07T08:00:00Z') },
    };
    const out = html(TrustRootView, { status: s });
    expect(text(out)).toContain('Expired: the updated trust root (root version 15) was valid until 2026-12-06 10:00 UTC');
    expect(text(out)).toContain("Last update failed (2026-12-07 08:00 UTC): Sigstore's TUF repository could not be reached.");
    expect(out).toContain('title="NETWORK_ERROR: could not reach the TUF repository"');
  });

  it('a repository answer that does not verify is worded from its code', () => {
    const s: TrustRootStatus = { ...base, lastError: { code: 'TUF_ROLLBACK', reason: 'TUF timestamp version 1 is older than 2', at: 0 } };
    expect(text(html(TrustRootView, { status: s }))).toContain('The Sigstore trust root update is older than one already trusted.');
  });

  it('switched off: the box unchecked and no update button', () => {
    const out = html(TrustRootView, { status: { ...base, online: false }, onToggle: () => {}, onUpdate: () => {} });
    expect(out).not.toMatch(/<input[^>]*checked/);
    expect(text(out)).not.toContain('Update now');
  });
});
