import { describe, expect, it } from 'vitest';
import { repoKey, repoOf, revisionKey } from '../../extension/core/repo-ref.js';

const HUB = 'https://huggingface.co';

describe('repo and revision references', () => {
  it('keeps the trust store key format (stored documents still read)', () => {
    expect(repoKey({ hub: HUB, kind: 'model', repo: 'Acme/Model' })).toBe('https://huggingface.co|model|acme/model');
    expect(repoKey({ hub: HUB, kind: 'dataset', repo: 'acme/model' })).not.toBe(repoKey({ hub: HUB, kind: 'model', repo: 'acme/model' }));
  });

  it('keys a revision by its commit once known, else by the revision as named', () => {
    const ref = { hub: HUB, kind: 'model' as const, repo: 'acme/m', revision: 'main' };
    expect(revisionKey(ref)).toBe('https://huggingface.co|model|acme/m@main');
    expect(revisionKey({ ...ref, commit: 'c'.repeat(40) })).toBe(`https://huggingface.co|model|acme/m@${'c'.repeat(40)}`);
    expect(repoOf({ ...ref, commit: 'x' } as typeof ref & { commit: string })).toEqual({ hub: HUB, kind: 'model', repo: 'acme/m' });
  });
});
