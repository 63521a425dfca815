import { describe, expect, it } from 'vitest';
import { analyzeIdentity, parseGithubActionsIdentity } from '../../../extension/ui/identity-seam.js';
import { IdentityText } from '../../../extension/ui/IdentityText.js';
import { HOSTILE } from './fixtures.js';
import { html, text } from './render.js';

describe('analyzeIdentity', () => {
  it('passes a plain identity through unflagged', () => {
    const a = analyzeIdentity('Granite.Preview@ibm.com');
    expect(a.flags).toEqual([]);
    expect(a.segments).toEqual([{ kind: 'text', text: 'Granite.Preview@ibm.com' }]);
  });

  it('replaces bidi controls by visible stand-ins and flags them', () => {
    const a = analyzeIdentity(HOSTILE.bidi);
    expect(a.flags).toContain('bidi');
    expect(a.segments.filter((s) => s.kind === 'hidden').map((s) => (s.kind === 'hidden' ? s.label : ''))).toEqual(['⟦U+202E⟧', '⟦U+202C⟧']);
    expect(a.segments.some((s) => s.kind === 'text' && /[\u202a-\u202e]/.test(s.text))).toBe(false);
  });

  it('flags zero-width, control characters, odd spaces', () => {
    expect(analyzeIdentity(HOSTILE.zeroWidth).flags).toContain('invisible');
    expect(analyzeIdentity(HOSTILE.control).flags).toContain('control');
    expect(analyzeIdentity('a\u00a0b@example.com').flags).toContain('invisible');
    expect(analyzeIdentity('tag\u{e0041}@example.com').flags).toContain('invisible');
  });

  it('flags Cyrillic and Greek look-alikes and mixed scripts', () => {
    const a = analyzeIdentity(HOSTILE.cyrillic);
    expect(a.flags).toEqual(expect.arrayContaining(['mixed-script', 'confusable']));
    expect(analyzeIdentity('ρayρal@example.com').flags).toContain('confusable'); // Greek rho
    expect(analyzeIdentity('ｇｏｏｇｌｅ@example.com').flags).toContain('confusable'); // fullwidth
    // A single non-Latin script is not "mixed" (a Cyrillic-only name is legitimate).
    expect(analyzeIdentity('иван').flags).not.toContain('mixed-script');
  });

  it('truncates over-long values visibly', () => {
    const a = analyzeIdentity(HOSTILE.long, 160);
    expect(a.flags).toContain('too-long');
    expect(a.length).toBe(5012);
    expect(a.omitted).toBe(5012 - 160);
    expect(a.segments.map((s) => (s.kind === 'text' ? s.text : s.label)).join('').length).toBe(160);
  });
});

describe('parseGithubActionsIdentity', () => {
  it('splits repo, workflow and ref', () => {
    expect(parseGithubActionsIdentity('https://github.com/acme/models/.github/workflows/sign.yml@refs/heads/main')).toEqual({
      repo: 'acme/models',
      workflow: '.github/workflows/sign.yml',
      ref: 'refs/heads/main',
    });
  });
  it('rejects other URLs and look-alike hosts', () => {
    expect(parseGithubActionsIdentity('https://github.com.evil.example/acme/models/.github/workflows/a.yml@refs/heads/main')).toBeUndefined();
    expect(parseGithubActionsIdentity('https://gitlab.com/acme/models//.gitlab-ci.yml@refs/heads/main')).toBeUndefined();
    expect(parseGithubActionsIdentity('alice@example.com')).toBeUndefined();
  });
});

describe('IdentityText', () => {
  it('renders markup in identities as inert text', () => {
    const out = html(IdentityText, { value: HOSTILE.script });
    expect(out).not.toContain('<script');
    expect(out).toContain('&lt;script>');
    expect(text(out)).toContain('<script>alert(1)</script>@evil.example');
  });

  it('never emits a raw bidi control, shows it visibly with a chip', () => {
    const out = html(IdentityText, { value: HOSTILE.bidi });
    expect(out).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
    expect(out).toContain('⟦U+202E⟧');
    expect(out).toContain('data-flag="bidi"');
    expect(text(out)).toContain('bidi control');
    expect(out).toContain('dir="ltr"');
  });

  it('flags look-alikes and long values, in a monospace face', () => {
    const spoof = html(IdentityText, { value: HOSTILE.cyrillic });
    expect(spoof).toContain('data-flag="mixed-script"');
    expect(spoof).toContain('data-flag="confusable"');
    expect(spoof).toContain('class="ms-mono"');
    const long = html(IdentityText, { value: HOSTILE.long });
    expect(long).toContain('data-flag="too-long"');
    expect(long.length).toBeLessThan(2000);
    expect(text(long)).toContain('+4852 more characters');
  });

  it('shows an absent value as such', () => {
    expect(text(html(IdentityText, { value: undefined }))).toBe('(none)');
  });
});
