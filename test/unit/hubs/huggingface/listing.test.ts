/** Listing pages: which URLs are listings, the one API request each makes, and the hostile answer read bounded. */
import { describe, expect, it } from 'vitest';
import { listingApiUrl, parseListingUrl } from '../../../../extension/core/hubs/huggingface/listing-url.js';
import { readListingAnswer } from '../../../../extension/core/hubs/huggingface/listing-answer.js';
import { parseHubPageUrl } from '../../../../extension/core/hubs/huggingface/page-url.js';

const HUB = 'https://huggingface.co';
const hubs = [HUB];

describe('listing URLs', () => {
  it('reads organisation and profile pages as the owner\'s models, and search results with their query', () => {
    expect(parseListingUrl(`${HUB}/ibm-granite`, hubs)).toEqual({ hub: HUB, kind: 'model', author: 'ibm-granite', limit: 1000 });
    expect(parseListingUrl('https://hf.co/ibm-granite', hubs)).toMatchObject({ hub: HUB, author: 'ibm-granite' });
    expect(parseListingUrl(`${HUB}/models?search=granite&sort=downloads&p=2`, hubs)).toEqual({ hub: HUB, kind: 'model', search: 'granite', sort: 'downloads', limit: 90 });
    expect(parseListingUrl(`${HUB}/datasets?author=ibm-granite`, hubs)).toEqual({ hub: HUB, kind: 'dataset', author: 'ibm-granite', limit: 30 });
    expect(parseListingUrl(`${HUB}/models?p=999999`, hubs)?.limit).toBe(1000);
  });

  it('is never a repo page, a reserved page, another site or a malformed query', () => {
    for (const url of [`${HUB}/ibm-granite/granite-4.1-3b`, `${HUB}/docs`, `${HUB}/settings`, `${HUB}/collections/ibm-granite/x`, `${HUB}/`, 'https://evil.example/ibm-granite', `${HUB}/models?author=../x`, `${HUB}/.hidden`, `${HUB}/models?search=${'a'.repeat(300)}`]) {
      expect(parseListingUrl(url, hubs), url).toBeNull();
    }
    // And a listing is never read as a repo page (the repo grammar leaves single segments alone).
    expect(parseHubPageUrl(`${HUB}/ibm-granite`, hubs)).toBeNull();
  });

  it('asks for every listed repo\'s file names and head commit in one request', () => {
    const page = parseListingUrl(`${HUB}/models?search=granite&sort=likes`, hubs)!;
    expect(listingApiUrl(page)).toBe(`${HUB}/api/models?search=granite&sort=likes&direction=-1&limit=30&expand%5B%5D=siblings&expand%5B%5D=sha`);
    expect(listingApiUrl(parseListingUrl(`${HUB}/datasets?author=a`, hubs)!)).toBe(`${HUB}/api/datasets?author=a&limit=30&expand%5B%5D=siblings&expand%5B%5D=sha`);
  });
});

describe('listing answers', () => {
  const sha = 'a'.repeat(40);
  it('finds root, folder, per-file and Kaggle signatures and keeps the head commit', () => {
    const out = readListingAnswer([
      { id: 'ibm-granite/a', sha, siblings: [{ rfilename: 'config.json' }, { rfilename: 'model.sig' }] },
      { id: 'openai/b', sha: 'not-a-sha', siblings: [{ rfilename: 'original/model.sig' }] },
      { id: 'x/c', siblings: [{ rfilename: 'w.gguf' }, { rfilename: 'w.gguf.sig' }] },
      { id: 'k/d', siblings: [{ rfilename: '.kaggle/signing.json' }] },
      { id: 'u/e', siblings: [{ rfilename: 'README.md' }, { rfilename: 'orphan.sig' }] },
    ]);
    expect(out).toEqual([
      { repo: 'ibm-granite/a', sha, signatureFiles: ['model.sig'] },
      { repo: 'openai/b', signatureFiles: ['original/model.sig'] },
      { repo: 'x/c', signatureFiles: ['w.gguf.sig'] },
      { repo: 'k/d', signatureFiles: ['.kaggle/signing.json'] },
      { repo: 'u/e', signatureFiles: [] },
    ]);
  });

  it('skips malformed entries and bounds the work', () => {
    expect(readListingAnswer({ not: 'a list' })).toEqual([]);
    expect(readListingAnswer([null, 7, { id: '../../etc' }, { id: 'a/b', siblings: 'x' }, { id: 'a/c', siblings: [null, { rfilename: 5 }] }])).toEqual([
      { repo: 'a/b', signatureFiles: [] },
      { repo: 'a/c', signatureFiles: [] },
    ]);
    const many = Array.from({ length: 5000 }, (_, i) => ({ id: `o/m${i}`, siblings: [{ rfilename: 'model.sig' }] }));
    expect(readListingAnswer(many)).toHaveLength(1000);
  });
});
