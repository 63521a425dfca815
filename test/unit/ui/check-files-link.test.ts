import { describe, expect, it } from 'vitest';
import { checkFilesPath, parseRepoAtRevision, readCheckFilesQuery } from '../../../extension/ui/check-files-link.js';

describe('check-files page link and query', () => {
  it('round-trips a repo and commit through the URL; the default branch is no revision', () => {
    const target = { hub: 'https://huggingface.co', kind: 'dataset' as const, repo: 'acme/data', revision: 'a'.repeat(40) };
    const path = checkFilesPath(target);
    expect(path.startsWith('extension/pages/check-files.html?')).toBe(true);
    expect(readCheckFilesQuery(path.slice(path.indexOf('?')))).toEqual(target);
    expect(checkFilesPath({ ...target, revision: ':default' })).not.toContain('revision=');
    expect(checkFilesPath()).toBe('extension/pages/check-files.html');
  });

  it('drops a malformed query (another scheme, a path in the hub, a bad repo id, odd revision)', () => {
    expect(readCheckFilesQuery('?hub=http%3A%2F%2Fhuggingface.co&kind=model&repo=a%2Fb')).toBeUndefined();
    expect(readCheckFilesQuery('?hub=https%3A%2F%2Fhuggingface.co%2Fx&kind=model&repo=a%2Fb')).toBeUndefined();
    expect(readCheckFilesQuery('?hub=https%3A%2F%2Fhuggingface.co&kind=space&repo=a%2Fb')).toBeUndefined();
    expect(readCheckFilesQuery('?hub=https%3A%2F%2Fhuggingface.co&kind=model&repo=a%2Fb%2Fc')).toBeUndefined();
    expect(readCheckFilesQuery('?hub=https%3A%2F%2Fhuggingface.co&kind=model&repo=a%2Fb&revision=x%20y')).toBeUndefined();
  });

  it('reads owner/name[@revision] as typed', () => {
    expect(parseRepoAtRevision(' acme/model@refs/pr/3 ')).toEqual({ repo: 'acme/model', revision: 'refs/pr/3' });
    expect(parseRepoAtRevision('acme/model')).toEqual({ repo: 'acme/model' });
    expect(parseRepoAtRevision('acme')).toBeUndefined();
    expect(parseRepoAtRevision('acme/model@a b')).toBeUndefined();
  });
});
