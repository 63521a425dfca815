import { describe, expect, it } from 'vitest';
import { hubOfOrigin, isHubStorageHost, parseHubFileUrl, parseHubPageUrl } from '../../../../extension/core/hubs/huggingface/page-url.js';

const H = 'https://huggingface.co';

describe('parseHubPageUrl', () => {
  it('reads a model repo home', () => {
    expect(parseHubPageUrl(`${H}/google-bert/bert-base-uncased`)).toEqual({
      hub: H, kind: 'model', repo: 'google-bert/bert-base-uncased', view: 'home',
    });
    expect(parseHubPageUrl(`${H}/google-bert/bert-base-uncased/`)?.view).toBe('home');
  });

  it('reads tree, blob, resolve, commit and commits pages', () => {
    expect(parseHubPageUrl(`${H}/ibm-granite/granite-3.3-8b/tree/main`)).toMatchObject({ view: 'tree', revision: 'main' });
    expect(parseHubPageUrl(`${H}/ibm-granite/granite-3.3-8b/tree/main/onnx/sub`)).toMatchObject({ view: 'tree', revision: 'main', path: 'onnx/sub' });
    expect(parseHubPageUrl(`${H}/o/n/blob/v1.0/config.json`)).toMatchObject({ view: 'blob', revision: 'v1.0', path: 'config.json' });
    expect(parseHubPageUrl(`${H}/o/n/resolve/main/model.safetensors?download=true`)).toMatchObject({
      view: 'resolve', revision: 'main', path: 'model.safetensors',
    });
    expect(parseHubPageUrl(`${H}/o/n/commit/DD4BC8B21EFA05EC961E3EFC4EE5E3832A3679C7`)).toMatchObject({
      view: 'commit', revision: 'dd4bc8b21efa05ec961e3efc4ee5e3832a3679c7',
    });
    expect(parseHubPageUrl(`${H}/o/n/commits/main`)).toMatchObject({ view: 'commits', revision: 'main' });
    expect(parseHubPageUrl(`${H}/o/n/commits`)).toMatchObject({ view: 'commits' });
    expect(parseHubPageUrl(`${H}/o/n/commits`)?.revision).toBeUndefined();
  });

  it('decodes %2F-encoded revisions and refs/pr/N in both spellings', () => {
    expect(parseHubPageUrl(`${H}/o/n/tree/refs%2Fpr%2F12/sub/dir`)).toMatchObject({ revision: 'refs/pr/12', path: 'sub/dir' });
    expect(parseHubPageUrl(`${H}/o/n/blob/refs/pr/3/model.sig`)).toMatchObject({ revision: 'refs/pr/3', path: 'model.sig' });
    expect(parseHubPageUrl(`${H}/o/n/tree/feature%2Fx`)).toMatchObject({ revision: 'feature/x' });
    expect(parseHubPageUrl(`${H}/o/n/blob/main/dir/a%20b.txt`)).toMatchObject({ path: 'dir/a b.txt' });
  });

  it('reads dataset repos', () => {
    expect(parseHubPageUrl(`${H}/datasets/bigcode/the-stack/tree/v1.0`)).toEqual({
      hub: H, kind: 'dataset', repo: 'bigcode/the-stack', view: 'tree', revision: 'v1.0',
    });
    expect(parseHubPageUrl(`${H}/datasets/bigcode/the-stack`)).toMatchObject({ kind: 'dataset', view: 'home' });
  });

  it('keeps the repo for other repo sub-pages without inventing a revision', () => {
    const p = parseHubPageUrl(`${H}/o/n/discussions/4`);
    expect(p).toMatchObject({ repo: 'o/n', view: 'other' });
    expect(p?.revision).toBeUndefined();
  });

  it('rejects pages that are not repos', () => {
    for (const path of [
      '/', '/docs/hub/index', '/settings/tokens', '/spaces/o/n', '/models', '/models?other=x', '/datasets',
      '/datasets/onlyowner', '/api/models/o/n', '/julien-c', '/organizations/x/settings', '/collections/a/b',
      '/papers/2401.1', '/blog/post', '/new', '/login',
    ]) {
      expect(parseHubPageUrl(`${H}${path}`), path).toBeNull();
    }
  });

  it('rejects hostile or malformed input', () => {
    expect(parseHubPageUrl('not a url')).toBeNull();
    expect(parseHubPageUrl('javascript:alert(1)')).toBeNull();
    expect(parseHubPageUrl(`${H}/.hidden/n`)).toBeNull();
    expect(parseHubPageUrl(`${H}/o/n%2F..`)).toBeNull();
    expect(parseHubPageUrl(`${H}/o/${'x'.repeat(200)}`)).toBeNull();
    expect(parseHubPageUrl(`${H}/o/n/tree/${'a'.repeat(9000)}`)).toBeNull();
    // Bad escapes and control characters never become a revision.
    expect(parseHubPageUrl(`${H}/o/n/tree/%E0%A4%A`)?.revision).toBeUndefined();
    expect(parseHubPageUrl(`${H}/o/n/tree/main%0A`)?.revision).toBeUndefined();
    // Traversal in a path drops the path, never resolves it.
    expect(parseHubPageUrl(`${H}/o/n/blob/main/%2E%2E/x`)?.path).toBeUndefined();
    expect(parseHubPageUrl(`${H}/o/n/commit/nothex`)?.revision).toBeUndefined();
  });

  it('restricts to configured hubs when given', () => {
    const hubs = [H, 'https://hf-mirror.com'];
    expect(parseHubPageUrl('https://hf-mirror.com/o/n', hubs)).toMatchObject({ hub: 'https://hf-mirror.com', repo: 'o/n' });
    expect(parseHubPageUrl('https://evil.example/o/n', hubs)).toBeNull();
    expect(parseHubPageUrl('https://evil.example/o/n')).toMatchObject({ hub: 'https://evil.example' });
  });

  // Finding 4: a download through an alias of the hub must be judged as the hub's.
  it('maps the aliases of a configured hub to that hub', () => {
    const hubs = [H];
    for (const alias of ['https://hf.co', 'https://www.huggingface.co', 'http://huggingface.co', 'http://hf.co', 'http://www.huggingface.co']) {
      expect(parseHubPageUrl(`${alias}/o/n/resolve/main/f.bin`, hubs), alias).toMatchObject({ hub: H, repo: 'o/n', view: 'resolve', revision: 'main', path: 'f.bin' });
    }
    // The http form of any https hub is that hub; other hosts and look-alikes are not.
    expect(hubOfOrigin('http://hf-mirror.com', ['https://hf-mirror.com'])).toBe('https://hf-mirror.com');
    expect(hubOfOrigin('https://hf.co', ['https://hf-mirror.com'])).toBeUndefined();
    for (const other of ['https://hf.co.evil.example', 'https://huggingface.co.evil.example', 'https://evilhuggingface.co', 'https://hf.co:8443']) {
      expect(parseHubPageUrl(`${other}/o/n/resolve/main/f`, hubs), other).toBeNull();
    }
  });

  it('names the hub storage hosts (file bytes only)', () => {
    expect(isHubStorageHost(H, 'cdn-lfs.hf.co')).toBe(true);
    expect(isHubStorageHost(H, 'cas-bridge.xethub.hf.co')).toBe(true);
    expect(isHubStorageHost(H, 'us.cdn.hf.co')).toBe(true);
    expect(isHubStorageHost(H, 'evil.example')).toBe(false);
    expect(isHubStorageHost(H, 'cdn.hf.co.evil.example')).toBe(false);
    expect(isHubStorageHost('https://hf-mirror.com', 'cdn-lfs.hf.co')).toBe(false);
  });

  it('reads legacy single-name repos in file views only; single segments stay profiles', () => {
    expect(parseHubPageUrl(`${H}/gpt2/resolve/main/config.json`, [H])).toEqual({ hub: H, kind: 'model', repo: 'gpt2', view: 'resolve', revision: 'main', path: 'config.json' });
    expect(parseHubPageUrl(`${H}/gpt2/blob/main/README.md`)).toMatchObject({ repo: 'gpt2', view: 'blob', path: 'README.md' });
    expect(parseHubPageUrl(`${H}/gpt2/tree/main`)).toMatchObject({ repo: 'gpt2', view: 'tree', revision: 'main' });
    expect(parseHubPageUrl(`${H}/datasets/squad/resolve/main/x.json`)).toMatchObject({ kind: 'dataset', repo: 'squad', view: 'resolve', path: 'x.json' });
    expect(parseHubPageUrl(`https://hf.co/gpt2/resolve/main/model.safetensors`, [H])).toMatchObject({ hub: H, repo: 'gpt2', view: 'resolve' });
    // Profiles and profile sub-pages are not repos.
    for (const path of ['/julien-c', '/julien-c/', '/julien-c/resolve', '/julien-c/resolve/', '/api/resolve/main/x', '/docs/tree/main']) {
      const p = parseHubPageUrl(`${H}${path}`);
      expect(p === null || p.repo !== 'julien-c' || p.view !== 'resolve', path).toBe(true);
      expect(p?.view === 'resolve', path).toBe(false);
    }
    // owner/name repos keep their meaning.
    expect(parseHubPageUrl(`${H}/o/n/resolve/main/f`)).toMatchObject({ repo: 'o/n', view: 'resolve' });
  });

  it('a path that reads both as a legacy name and as owner/name is a file if either reading is', () => {
    // A repo named "tree" (or "blob", "resolve") must not hide its downloads behind the legacy reading.
    expect(parseHubPageUrl(`${H}/o/tree/resolve/main/x.bin`, [H])).toMatchObject({ repo: 'o/tree', view: 'resolve', revision: 'main', path: 'x.bin' });
    expect(parseHubFileUrl(`${H}/o/tree/resolve/main/x.bin`, [H])).toMatchObject({ repo: 'o/tree', view: 'resolve' });
    expect(parseHubFileUrl(`${H}/o/blob/raw/main/x.py`, [H])).toMatchObject({ repo: 'o/blob', view: 'raw' });
    // A legacy repo's branch named like a section: the legacy reading is the file.
    expect(parseHubPageUrl(`${H}/gpt2/resolve/resolve/x.bin`, [H])?.view).not.toBe('resolve');
    expect(parseHubFileUrl(`${H}/gpt2/resolve/resolve/x.bin`, [H])).toMatchObject({ repo: 'gpt2', view: 'resolve', revision: 'resolve', path: 'x.bin' });
    // Pages that are no file under any reading.
    for (const path of ['/gpt2/tree/main', '/o/n', '/julien-c', '/o/tree/main', '/api/models/o/n/revision/main']) {
      expect(parseHubFileUrl(`${H}${path}`, [H]), path).toBeNull();
    }
  });
});
