/** The import preview and the accept step's list of changes: every change shown, hostile text inert. */
import { describe, expect, it } from 'vitest';
import { ImportChanges } from '../../../popup/SettingsForm.js';
import { AcceptChanges } from '../../../extension/ui/AcceptSigner.js';
import type { ImportDiff } from '../../../extension/core/trust/import.js';
import type { AcceptPlan } from '../../../extension/core/trust/accept.js';
import { html, text } from './render.js';

const HUB = 'https://huggingface.co';
// Cyrillic "а" in "metа" and a right-to-left override: what a crafted trust file would use.
const LOOKALIKE = 'metа-llama/*';
const BIDI = 'release\u202Egpj.bot@example.com';

const diff: ImportDiff = {
  mode: 'replace',
  locks: {
    added: [],
    removed: [{ hub: HUB, kind: 'model', repo: 'acme/locked', before: { commit: 'c'.repeat(40), rootDigest: 'd'.repeat(64), files: 3 } }],
    changed: [],
  },
  pins: {
    added: [{ hub: HUB, kind: 'model', repo: 'new/repo', before: [], after: [{ kind: 'sigstore', identity: BIDI, issuer: 'https://i' }] }],
    removed: [{ hub: HUB, kind: 'model', repo: 'acme/m', before: [{ kind: 'sigstore', identity: 'alice@example.com', issuer: 'https://i' }], after: [] }],
    changed: [],
  },
  policies: {
    added: [{ kind: 'key', scope: LOOKALIKE, publicKeyPem: '-----BEGIN PUBLIC KEY-----', keyFingerprint: 'ab'.repeat(32), createdAt: 1 }],
    removed: [],
    changed: [
      {
        before: { kind: 'sigstore', scope: 'acme/*', identity: 'alice@example.com', issuer: 'https://i', glob: false, createdAt: 1 },
        after: { kind: 'sigstore', scope: 'acme/*', identity: '*@example.com', issuer: 'https://i', glob: true, createdAt: 2 },
      },
    ],
  },
  signersPerRepo: { before: 1, after: 16 },
  alerts: { added: 0, removed: 3 },
  repos: { added: 1, removed: 1 },
  confirmation: 'replace',
  id: 'x',
};

describe('import preview', () => {
  it('lists k, every policy and pin change and the alert and repo counts', () => {
    const out = html(ImportChanges, { diff });
    const words = text(out);
    expect(words).toContain('Signers per repo (k): 1 → 16');
    expect(words).toContain('Policies added (1)');
    expect(words).toContain('Policies changed (1)');
    expect(words).toContain('Pins removed (1)');
    expect(words).toContain('alice@example.com');
    expect(words).toContain('Pins added (1)');
    expect(words).toContain('Alerts: 0 added, 3 removed');
    expect(words).toContain('Repos: 1 added, 1 removed');
    expect(words).toContain('Locks removed (1)');
    expect(words).toMatch(/acme\/locked.*before: commit cccccccccccc, 3 files/);
    expect(words).toMatch(/before: .*alice@example\.com.*after: .*\*@example\.com/);
  });

  it('shows look-alike scopes and hidden characters in identities, never raw', () => {
    const out = html(ImportChanges, { diff });
    expect(out).toContain('ms-confusable');
    expect(out).toContain('⟦U+202E⟧');
    expect(out).not.toMatch(/[\u202a-\u202e]/);
  });

  it('says so when nothing would change', () => {
    const none: ImportDiff = { mode: 'merge', pins: { added: [], removed: [], changed: [] }, policies: { added: [], removed: [], changed: [] }, locks: { added: [], removed: [], changed: [] }, alerts: { added: 0, removed: 0 }, repos: { added: 0, removed: 0 }, id: 'y' };
    expect(text(html(ImportChanges, { diff: none }))).toContain('Nothing would change.');
  });
});

describe('accept step changes', () => {
  const plan: AcceptPlan = {
    repo: 'acme/m',
    signer: { kind: 'sigstore', identity: 'mallory@example.com', issuer: 'https://i' },
    confirmation: 'acme/m',
    pin: { add: true, drop: [{ kind: 'sigstore', identity: 'alice@example.com', issuer: 'https://i' }] },
    policy: {
      scope: 'acme/*',
      current: [{ kind: 'sigstore', scope: 'acme/*', identity: BIDI, issuer: 'https://i', glob: false, createdAt: 1 }],
      choices: ['replace', 'exception'],
    },
  };

  it('names the pin, the pin that makes way, and the policy with both choices', () => {
    const out = html(AcceptChanges, { plan, onChoice: () => undefined });
    const words = text(out);
    expect(words).toContain('Pin the new signer for this repo.');
    expect(words).toContain('Stop trusting the pinned signer:');
    expect(words).toContain('alice@example.com');
    expect(words).toContain('Change your policy for acme/*');
    expect(words).toContain('The policy will expect the new signer instead.');
    expect(words).toContain('add a policy for this repo only');
    expect(out.match(/type="radio"/g)).toHaveLength(2);
    expect(out).toContain('⟦U+202E⟧');
  });

  it('one way to change the policy is stated, not asked; none means edit the policy by hand', () => {
    const one = text(html(AcceptChanges, { plan: { ...plan, policy: { ...plan.policy!, scope: 'acme/m', choices: ['replace'] } } }));
    expect(one).toContain('The policy will expect the new signer instead.');
    const none = html(AcceptChanges, { plan: { ...plan, policy: { ...plan.policy!, choices: [] } } });
    expect(text(none)).toContain('Edit or remove the policy in the Trust tab first.');
    expect(none).not.toContain('type="radio"');
  });
});
