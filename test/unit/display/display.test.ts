import { describe, expect, it } from 'vitest';
import { analyseIdentity, parseGitHubActionsIdentity } from '../../../extension/core/display/index.js';

describe('analyseIdentity', () => {
  it('leaves plain identities alone', () => {
    const a = analyseIdentity('stefanb@us.ibm.com');
    expect(a.flags).toEqual([]);
    expect(a.segments).toEqual([{ kind: 'text', text: 'stefanb@us.ibm.com' }]);
    expect(a.visible).toBe('stefanb@us.ibm.com');
    expect(a.scripts).toEqual(['Latin']);
  });

  it('makes bidi controls visible and flags them', () => {
    // "moc.elgoog@" reversed by RLO: the classic spoof.
    const a = analyseIdentity('attacker\u202Emoc.elgoog@x');
    expect(a.flags).toContain('bidi-control');
    expect(a.segments[1]).toEqual({ kind: 'hidden', codePoint: 0x202e, label: '⟦U+202E⟧', why: 'bidi-control' });
    expect(a.visible).toBe('attacker⟦U+202E⟧moc.elgoog@x');
    expect(analyseIdentity('a\u2067b').flags).toContain('bidi-control');
  });

  it('flags zero-width, invisible, odd spaces and control characters', () => {
    expect(analyseIdentity('ad\u200bmin@example.com').flags).toEqual(['invisible']);
    expect(analyseIdentity('a\ufeffb').flags).toEqual(['invisible']);
    expect(analyseIdentity('a\u00a0b').flags).toEqual(['invisible']);
    expect(analyseIdentity('a\u{E0041}b').flags).toEqual(['invisible']);
    const c = analyseIdentity('line1\nline2\u0007');
    expect(c.flags).toEqual(['control']);
    expect(c.visible).toBe('line1⟦U+000A⟧line2⟦U+0007⟧');
  });

  it('flags Cyrillic and Greek look-alikes and mixed scripts', () => {
    const a = analyseIdentity('p\u0430ypal@example.com'); // Cyrillic а
    expect(a.flags).toEqual(expect.arrayContaining(['confusable', 'mixed-script']));
    expect(a.segments).toContainEqual({ kind: 'confusable', text: '\u0430', looksLike: 'a', script: 'Cyrillic' });
    expect(a.scripts.sort()).toEqual(['Cyrillic', 'Latin']);
    // Whole-script spoof: every letter Cyrillic, still flagged as look-alike.
    const w = analyseIdentity('\u0430\u0440\u0440\u04cf\u0435');
    expect(w.flags).toContain('confusable');
    expect(w.flags).not.toContain('mixed-script');
    expect(analyseIdentity('\u03bf\u03c1en').flags).toEqual(expect.arrayContaining(['confusable', 'mixed-script']));
    expect(analyseIdentity('ｇｏｏｇｌｅ').flags).toContain('confusable');
  });

  it('does not flag honest non-Latin identities as look-alikes', () => {
    const a = analyseIdentity('研究者@example.com');
    expect(a.flags).toEqual(['mixed-script']);
    expect(analyseIdentity('Ζωή').flags).toEqual([]);
  });

  it('truncates over-long values visibly but keeps flags from the hidden tail', () => {
    const long = 'a'.repeat(300) + '\u202e';
    const a = analyseIdentity(long, { maxLength: 100 });
    expect(a.flags).toEqual(expect.arrayContaining(['truncated', 'bidi-control']));
    expect(a.segments.at(-1)).toEqual({ kind: 'truncated', omitted: 201 });
    expect(a.visible).toBe('a'.repeat(100) + '… (+201)');
  });

  it('counts code points, not UTF-16 units, and flags empty values', () => {
    expect(analyseIdentity('😀'.repeat(5), { maxLength: 5 }).flags).toEqual([]);
    expect(analyseIdentity('').flags).toEqual(['empty']);
  });

  it('keeps markup as inert text', () => {
    const a = analyseIdentity('<img src=x onerror=alert(1)>');
    expect(a.segments).toEqual([{ kind: 'text', text: '<img src=x onerror=alert(1)>' }]);
  });
});

describe('parseGitHubActionsIdentity', () => {
  it('splits a workflow identity into repo, workflow and ref', () => {
    expect(parseGitHubActionsIdentity('https://github.com/sigstore/model-transparency/.github/workflows/release.yml@refs/tags/v1.1.0')).toEqual({
      host: 'github.com', owner: 'sigstore', repo: 'model-transparency', workflow: '.github/workflows/release.yml', ref: 'refs/tags/v1.1.0',
    });
    expect(parseGitHubActionsIdentity('https://github.com/a/b/.github/workflows/sub/x.yaml@refs/heads/feature/y')).toMatchObject({
      workflow: '.github/workflows/sub/x.yaml', ref: 'refs/heads/feature/y',
    });
  });

  it('refuses anything else so the UI shows the raw, flagged text', () => {
    for (const s of [
      'stefanb@us.ibm.com',
      'https://github.com/a/b/.github/workflows/x.yml',
      'https://github.com.evil.com/a/b/.github/workflows/x.yml@refs/heads/main',
      'https://github.com/\u0430/b/.github/workflows/x.yml@refs/heads/main',
      'https://github.com/a/b/.github/workflows/../x.yml@refs/heads/main',
      'https://github.com/a/b/.github/workflows/x.yml@refs/heads/ma\u202ein',
      'https://github.com/a/b/other/x.yml@refs/heads/main',
      'http://github.com/a/b/.github/workflows/x.yml@refs/heads/main',
    ]) {
      expect(parseGitHubActionsIdentity(s), s).toBeNull();
    }
  });
});
