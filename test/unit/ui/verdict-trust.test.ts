/** VerdictView for the trust-attack states: what green compared, uncovered files, the default branch. */
import { describe, expect, it } from 'vitest';
import { VerdictView } from '../../../extension/ui/VerdictView.js';
import { VERDICTS } from './fixtures.js';
import { html, text } from './render.js';

describe('VerdictView wording for trust states', () => {
  it('verified states say what was compared and where the bytes are checked', () => {
    for (const state of ['verified', 'verified-first-use'] as const) {
      const t = text(html(VerdictView, { verdict: VERDICTS[state] }));
      expect(t).toContain("the hub's listed SHA-256 of each file matches the signature");
      expect(t).toContain('checked on download or on disk (modelseal verify)');
    }
    expect(text(html(VerdictView, { verdict: VERDICTS['files-changed'] }))).not.toContain('listed SHA-256');
  });

  it('partly signed lists the uncovered files; unpinned names the signer and the default branch', () => {
    const partly = text(html(VerdictView, { verdict: VERDICTS['partly-signed'] }));
    expect(partly).toContain('Covered by no signature');
    expect(partly).toContain('modeling_evil.py');
    const unpinned = text(html(VerdictView, { verdict: VERDICTS['unpinned-revision'] }));
    expect(unpinned).toContain('default branch (main)');
    const v = VERDICTS['unpinned-revision'];
    if (v.state !== 'unpinned-revision') throw new Error('fixture');
    expect(unpinned).toContain(v.signature.signer.identity as string);
    const { defaultBranch: _omit, ...unnamed } = v;
    expect(text(html(VerdictView, { verdict: unnamed }))).toContain('head of its default branch.');
  });
});
