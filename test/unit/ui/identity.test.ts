import { describe, expect, it } from 'vitest';
import { analyzeIdentity, parseGithubActionsIdentity, warningFlags } from '../../../extension/ui/identity-analysis.js';
import { IdentityText, isSuspicious } from '../../../extension/ui/IdentityText.js';
import { HOSTILE } from './fixtures.js';
import { html, text } from './render.js';

describe('identity seam over the core analysis', () => {
  it('leaves a plain identity unflagged', () => {
    expect(warningFlags(analyzeIdentity('Granite.Preview@ibm.com'))).toEqual([]);
    expect(isSuspicious('Granite.Preview@ibm.com')).toBe(false);
    expect(isSuspicious('')).toBe(false);
  });

  it('flags each hostile sample', () => {
    expect(warningFlags(analyzeIdentity(HOSTILE.bidi))).toContain('bidi-control');
    expect(warningFlags(analyzeIdentity(HOSTILE.zeroWidth))).toContain('invisible');
    expect(warningFlags(analyzeIdentity(HOSTILE.control))).toContain('control');
    expect(warningFlags(analyzeIdentity(HOSTILE.cyrillic))).toEqual(expect.arrayContaining(['mixed-script', 'confusable']));
    expect(warningFlags(analyzeIdentity(HOSTILE.long))).toContain('truncated');
  });

  it('maps GitHub Actions identities to repo, workflow, ref (GHE hosts keep their host)', () => {
    expect(parseGithubActionsIdentity('https://github.com/acme/models/.github/workflows/sign.yml@refs/heads/main')).toEqual({
      repo: 'acme/models',
      workflow: '.github/workflows/sign.yml',
      ref: 'refs/heads/main',
    });
    expect(parseGithubActionsIdentity('https://acme.ghe.com/acme/models/.github/workflows/sign.yml@refs/tags/v1')?.repo).toBe('acme.ghe.com/acme/models');
    expect(parseGithubActionsIdentity('https://github.com.evil.example/acme/models/.github/workflows/a.yml@refs/heads/main')).toBeUndefined();
    expect(parseGithubActionsIdentity(HOSTILE.cyrillic)).toBeUndefined();
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

  it('never emits a raw bidi control: shows it visibly, isolated, with a chip', () => {
    const out = html(IdentityText, { value: HOSTILE.bidi });
    expect(out).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
    expect(out).toContain('⟦U+202E⟧');
    expect(out).toContain('data-flag="bidi-control"');
    expect(text(out)).toContain('bidi control');
    expect(out).toContain('<bdi dir="ltr"');
  });

  it('shows zero-width and control characters visibly', () => {
    const zw = html(IdentityText, { value: HOSTILE.zeroWidth });
    expect(zw).not.toContain('\u200b');
    expect(text(zw)).toContain('rel ⟦U+200B⟧ ease@acme.example');
    const ctl = html(IdentityText, { value: HOSTILE.control });
    expect(ctl).not.toMatch(/[\u0007\u001b]/);
    expect(ctl).toContain('⟦U+001B⟧');
  });

  it('underlines look-alike letters and flags mixed scripts, in a monospace face', () => {
    const out = html(IdentityText, { value: HOSTILE.cyrillic });
    expect(out).toContain('data-flag="mixed-script"');
    expect(out).toContain('data-flag="confusable"');
    expect(out).toMatch(/<span class="ms-confusable" title="Cyrillic letter that looks like “a”">а<\/span>/);
    expect(out).toContain('class="ms-mono"');
  });

  it('cuts a very long value visibly and keeps the output small', () => {
    const out = html(IdentityText, { value: HOSTILE.long });
    expect(out).toContain('data-flag="truncated"');
    expect(out.length).toBeLessThan(2000);
    expect(text(out)).toContain(`+${(HOSTILE.long.length - 160).toLocaleString('en')} more characters`);
    expect(text(out)).toContain('show all');
  });

  it('shows an absent value as such', () => {
    expect(text(html(IdentityText, { value: undefined }))).toBe('(none)');
  });
});
