// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://huggingface.co/acme/model"}
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adapterFor } from '../../../extension/core/hubs/index.js';
import { groupHubs, pagesFor } from '../../../extension/core/hubs/pages.js';
import { hubFileUrl, isHubStorageHost, parseHubFileUrl, parseHubPageUrl } from '../../../extension/core/hubs/huggingface/page-url.js';
import { huggingface } from '../../../extension/core/hubs/huggingface/index.js';
import { huggingfacePages } from '../../../extension/core/hubs/huggingface/pages.js';

const HUBS = ['https://huggingface.co', 'https://hf-mirror.com', 'https://hub.example.internal'];

describe('hub adapter registry', () => {
  it('maps every configured hub origin to the Hugging Face adapter (mirrors and custom endpoints speak its API)', () => {
    for (const hub of HUBS) {
      expect(adapterFor(hub)).toBe(huggingface);
      expect(pagesFor(hub)).toBe(huggingfacePages);
      expect(adapterFor(hub).name).toBe(pagesFor(hub).name);
    }
  });

  it('groups configured hubs by adapter, order kept', () => {
    expect(groupHubs(HUBS, adapterFor)).toEqual([{ adapter: huggingface, hubs: HUBS }]);
    expect(groupHubs([], adapterFor)).toEqual([]);
  });
});

describe('Hugging Face adapter', () => {
  const a = adapterFor('https://huggingface.co');

  it('reads page and file URLs as the Hugging Face grammar does, aliases and legacy names included', () => {
    const urls = [
      'https://huggingface.co/acme/model/tree/main/sub',
      'https://hf.co/acme/model/resolve/main/model.safetensors?download=true',
      'https://www.huggingface.co/datasets/acme/data/blob/refs%2Fpr%2F3/x.json',
      'https://huggingface.co/gpt2/resolve/main/config.json',
      'https://huggingface.co/o/tree/resolve/main/f',
      'https://hf-mirror.com/acme/model/resolve/v1/a.bin',
      'https://huggingface.co/docs/hub',
      'https://evil.example/acme/model/resolve/main/a.bin',
    ];
    for (const u of urls) {
      expect(a.parsePageUrl(u, HUBS)).toEqual(parseHubPageUrl(u, HUBS));
      expect(a.parsePageUrl(u)).toEqual(parseHubPageUrl(u));
      expect(a.parseFileUrl(u, HUBS)).toEqual(parseHubFileUrl(u, HUBS));
    }
    expect(a.parseFileUrl('https://hf.co/acme/model/resolve/main/model.safetensors', HUBS)).toMatchObject({ hub: 'https://huggingface.co', repo: 'acme/model', view: 'resolve', revision: 'main', path: 'model.safetensors' });
    expect(a.hubOfOrigin('https://hf.co', HUBS)).toBe('https://huggingface.co');
  });

  it('knows its storage hosts only for huggingface.co', () => {
    expect(a.isStorageHost('https://huggingface.co', 'cas-bridge.xethub.hf.co')).toBe(true);
    expect(a.isStorageHost('https://huggingface.co', 'us.cdn.hf.co')).toBe(isHubStorageHost('https://huggingface.co', 'us.cdn.hf.co'));
    expect(a.isStorageHost('https://hf-mirror.com', 'cas-bridge.xethub.hf.co')).toBe(false);
    expect(a.isStorageHost('https://huggingface.co', 'evil.example')).toBe(false);
  });

  it('builds file URLs at a commit on the hub itself, paths encoded per segment', () => {
    const c = 'a'.repeat(40);
    expect(a.fileUrl('https://huggingface.co', 'model', 'acme/m', c, 'dir/a b#.bin')).toBe(`https://huggingface.co/acme/m/resolve/${c}/dir/a%20b%23.bin`);
    expect(a.fileUrl('https://hf-mirror.com', 'dataset', 'acme/d', c, 'x.json', { download: true })).toBe(`https://hf-mirror.com/datasets/acme/d/resolve/${c}/x.json?download=true`);
    expect(hubFileUrl('https://huggingface.co', 'model', 'acme/m', c, 'x')).toBe(a.createClient({ fetch }).fileUrl('model', 'acme/m', c, 'x'));
  });

  it('gives the root-relative file link prefixes of a file list', () => {
    expect(a.fileLinkPrefixes('model', 'acme/m', 'refs/pr/1')).toEqual(['/acme/m/blob/refs%2Fpr%2F1/', '/acme/m/resolve/refs%2Fpr%2F1/']);
    expect(a.fileLinkPrefixes('dataset', 'acme/d', 'main')).toEqual(['/datasets/acme/d/blob/main/', '/datasets/acme/d/resolve/main/']);
  });

  it('anchors the banner to the header island by data-target only, model header first', () => {
    const el = (tag: string, attrs: Record<string, string>, ...kids: Node[]) => {
      const e = document.createElement(tag);
      for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
      e.append(...kids);
      return e;
    };
    const byClass = el('div', { class: 'ModelHeader RepoHeader' }, document.createTextNode('ModelHeader'));
    document.body.replaceChildren(byClass);
    expect(a.anchors.bannerAnchor(document)).toBeNull();
    const model = el('div', { 'data-target': 'ModelHeader' });
    document.body.replaceChildren(byClass, el('div', { 'data-target': 'RepoHeader' }), model);
    expect(a.anchors.bannerAnchor(document)).toBe(model);
    const file = el('a', { href: '/acme/m/resolve/main/a.bin' });
    const row = el('li', {}, file);
    document.body.replaceChildren(el('ul', {}, row, el('li', {}, el('a', { href: '/acme/m/discussions' }))));
    const links = [...document.querySelectorAll(a.anchors.fileLinkSelector)];
    expect(links).toEqual([file]);
    expect(file.closest(a.anchors.fileRowSelector)).toBe(row);
  });

  it('creates an API client for the hub over the injected fetch', () => {
    const client = a.createClient({ fetch, endpoint: 'https://hf-mirror.com/' });
    expect(client.endpoint).toBe('https://hf-mirror.com');
    expect(client.requestCount).toBe(0);
  });
});

describe('content-script part of the adapters', () => {
  // What content scripts import must not reach the API client: it would grow every hub page's script.
  it('hubs/pages.ts reaches no API client module', () => {
    const root = resolve(import.meta.dirname, '../../../extension/core/hubs/pages.ts');
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const src = readFileSync(file, 'utf8');
      // Value imports only: `import type` is erased from the bundle.
      for (const m of src.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'(\.[^']+)';/gms)) {
        visit(resolve(dirname(file), (m[1] ?? '').replace(/\.js$/, '.ts')));
      }
    };
    visit(root);
    const names = [...seen].map((f) => f.slice(f.indexOf('/hubs/') + 1));
    expect(names).toContain('hubs/huggingface/page-url.ts');
    expect(names.filter((n) => /client|http|index/.test(n))).toEqual([]);
  });
});
