import { describe, expect, it } from 'vitest';
import { VERDICT_STATES } from '../../../extension/core/verdict.js';
import type { PendingDownload } from '../../../extension/shared/messages.js';
import { WarningView, fileFromUrl, warningReason } from '../../../extension/ui/WarningView.js';
import { toAlerts, toHistory, toTrustSnapshot } from '../../../extension/ui/view-models.js';
import { PopupView } from '../../../popup/Popup.js';
import { parseHubOrigin } from '../../../popup/SettingsForm.js';
import { validScope } from '../../../popup/TrustManager.js';
import { LABELS, VERDICTS, popupData, NOOP_ACTIONS as ACTIONS } from './fixtures.js';
import { html, plain, text } from './render.js';


describe('PopupView', () => {
  it.each(VERDICT_STATES)('current tab shows the %s verdict and the repo history', (state) => {
    const out = html(PopupView, { data: popupData(state) });
    const words = text(out);
    expect(words).toContain(LABELS[state]);
    expect(words).toContain('Signer history of this repo');
    expect(out).toContain('role="tablist"');
    expect(out).toContain('aria-selected="true"');
    expect(words).toContain('Alerts (1)');
  });

  it('highlights the revision where the signer changed', () => {
    const out = html(PopupView, { data: popupData('identity-changed') });
    const changed = [...out.matchAll(/<tr class="ms-changed" data-changed="true">/g)];
    expect(changed.length).toBe(1);
    expect(text(out)).toContain('someone-else@gmail.com signer changed');
  });

  it('says so on a page that is not a hub repo, and shows load errors', () => {
    const none = html(PopupView, { data: { ...popupData('unsigned'), tab: { tabId: 1, verdict: VERDICTS.unsigned } } });
    expect(text(none)).toContain('Open a model or dataset page');
    const err = html(PopupView, { data: { ...popupData('unsigned'), tab: { error: 'The extension did not answer.' } } });
    expect(text(err)).toContain('The extension did not answer.');
  });

  it('alerts tab lists alerts newest first, unread marked, hostile repo inert', () => {
    const out = html(PopupView, { data: popupData('verified'), initialTab: 'alerts', actions: undefined });
    expect(text(out)).toContain('1 unread');
    expect(out.indexOf('data-read="false"')).toBeLessThan(out.indexOf('data-read="true"'));
    expect(out).toContain('⟦U+202E⟧');
    expect(out).not.toMatch(/[\u202a-\u202e]/);
  });

  it('alerts tab words an alert from its code and parameters, and an older alert (reason only) by its reason', () => {
    const out = html(PopupView, { data: popupData('verified'), initialTab: 'alerts', actions: undefined });
    expect(plain(out)).toContain('1 file differs from the signed files: model.bin');
    expect(plain(out)).not.toContain('differ from the signed manifest');
    expect(text(out)).toContain('Signer changed');
    const alerts = toAlerts([{ repo: 'a/b', code: 'IDENTITY_MISMATCH', params: { signer: '<b>eve</b>', junk: { x: 1 } } }]);
    expect(alerts[0]).toMatchObject({ code: 'IDENTITY_MISMATCH', params: { signer: '<b>eve</b>' } });
    const one = html(PopupView, { data: { ...popupData('verified'), alerts }, initialTab: 'alerts', actions: undefined });
    expect(plain(one)).toContain('Signed by <b>eve</b>, not by the signer you trust for this repo.');
    expect(one).not.toContain('<b>eve');
  });

  it('trust tab lists pins and expected identities', () => {
    const words = text(html(PopupView, { data: popupData('verified'), initialTab: 'trust', actions: ACTIONS }));
    expect(words).toContain('Pinned signers acme-ai/granite-mini');
    expect(words).toContain('since 2026-02-25 06:13 UTC');
    expect(words).toContain('ibm-granite/* Remove Identity Granite.Preview@ibm.com Issuer https://sigstore.verify.ibm.com/oauth2');
    expect(words).toContain('acme-ai/keyed Remove Key (SHA-256) 3f2a9c01');
    expect(words).not.toContain('plain/unsigned'); // seen, never signed: nothing pinned
  });

  it('settings tab shows hubs and k', () => {
    const out = html(PopupView, { data: popupData('verified'), initialTab: 'settings' });
    expect(text(out)).toContain('https://hf-mirror.com');
    expect(out).toMatch(/type="number"[^>]*value="1"/);
  });
});

describe('WarningView', () => {
  const pending = (state: (typeof VERDICT_STATES)[number], path = 'model-00002-of-00002.safetensors'): PendingDownload => {
    const verdict = VERDICTS[state];
    const file = 'files' in verdict ? verdict.files?.find((f) => f.path === path) : undefined;
    return {
      requestId: 'r1',
      url: `https://huggingface.co/acme-ai/granite-mini/resolve/main/${encodeURIComponent(path)}?download=true`,
      check: file ? { verdict, file, allow: false } : { verdict, allow: false },
      source: 'click',
    };
  };

  it('names the file, the reason and the repo state; Cancel comes first', () => {
    const out = html(WarningView, { pending: pending('files-changed'), onDecision: async () => undefined });
    const words = text(out);
    expect(words).toContain('File model-00002-of-00002.safetensors');
    expect(words).toContain('Why This file differs from the file that was signed.');
    expect(words).toContain('Files changed after signing');
    const buttons = [...out.matchAll(/<button[^>]*>([^<]*)<\/button>/g)].map((m) => m[1]);
    expect(buttons).toEqual(['Cancel', 'Download anyway', 'Show details']);
    expect(out).not.toContain('id="ms-details"');
  });

  it('expands the verdict detail on request', () => {
    const out = html(WarningView, { pending: pending('invalid-signature'), onDecision: async () => undefined, initialDetails: true });
    expect(out).toContain('id="ms-details"');
    expect(text(out)).toContain('Hide details');
    expect(text(out)).toContain('The signature does not match the signed content.');
    expect(out).toContain('title="The DSSE signature does not verify with the certificate key."');
  });

  it('derives the file name from the URL when the verdict has no result for it', () => {
    expect(fileFromUrl('https://huggingface.co/a/b/resolve/main/sub%2Fdir/w.bin?download=true')).toBe('sub/dir/w.bin');
    expect(fileFromUrl('https://huggingface.co/datasets/a/b/resolve/refs%2Fpr%2F1/data.parquet')).toBe('data.parquet');
    expect(warningReason(pending('unverifiable', 'x.bin'))).toContain('Sign in to the hub');
    expect(warningReason(pending('verified', 'not-listed.bin'))).toBe('This file is not listed in the verified signature.');
  });
});

describe('input validation', () => {
  it('accepts only https hub origins', () => {
    expect(parseHubOrigin('https://hf-mirror.com')).toBe('https://hf-mirror.com');
    expect(parseHubOrigin(' https://hub.example.org:8443/ ')).toBe('https://hub.example.org:8443');
    for (const bad of ['http://hf-mirror.com', 'https://hf-mirror.com/path', 'javascript:alert(1)', 'https://user:pw@x.com', 'hf-mirror.com', ''])
      expect(parseHubOrigin(bad)).toBeUndefined();
  });

  it('accepts owner/name and owner/* scopes only', () => {
    expect(validScope('ibm-granite/*')).toBe(true);
    expect(validScope('acme/model.v2')).toBe(true);
    for (const bad of ['*', 'acme', 'acme/*/x', '../x', 'a b/c']) expect(validScope(bad)).toBe(false);
  });
});

describe('view models from worker replies', () => {
  it('drop malformed entries and bound the lists', () => {
    expect(toAlerts([null, 1, { repo: 5 }, { repo: 'a/b', unread: true }])).toEqual([{ id: '3', repo: 'a/b', state: 'unverifiable', read: false }]);
    expect(toAlerts({ alerts: Array.from({ length: 5000 }, (_, i) => ({ repo: `a/${i}` })) }).length).toBe(2000);
    const snap = toTrustSnapshot({
      repos: {
        k: { hub: 'https://huggingface.co', kind: 'model', repo: 'a/b', pins: [{ signer: { kind: 'key', keyFingerprint: 'ab' } }, { signer: { kind: 'evil' } }] },
        // A record that does not name its repo the store's way (no kind) cannot be acted on: dropped.
        j: { hub: 'https://huggingface.co', repo: 'c/d', pins: [{ signer: { kind: 'key', keyFingerprint: 'cd' } }] },
      },
      expected: [{ scope: 'a/*', identity: 'x' }],
    });
    expect(snap.pins).toEqual([{ hub: 'https://huggingface.co', kind: 'model', repo: 'a/b', signers: [{ kind: 'key', keyFingerprint: 'ab' }] }]);
    expect(snap.policies).toEqual([{ scope: 'a/*', kind: 'sigstore', identity: 'x', issuer: '' }]);
    expect(toTrustSnapshot('nonsense')).toEqual({ pins: [], policies: [] });
    expect(toHistory(null)).toEqual([]);
    expect(toHistory({ history: [{ commit: 'c', seenAt: 1, state: 'verified', signer: { kind: 'evil' } }, { commit: 5 }] })).toEqual([
      { commit: 'c', seenAt: 1, state: 'verified' },
    ]);
  });
});
