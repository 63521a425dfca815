/**
 * The download's pure parts: `--include` patterns (fnmatch, as huggingface-cli), the streaming
 * digester (whole files and shards fed in arbitrary chunks, shards that do not tile the file), the
 * download targets named by repo path, and the token's origin rule.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { globToRegExp, includeFilter } from '../../extension/cli/glob.js';
import { StreamDigester } from '../../extension/cli/stream-digester.js';
import { nodeHasher } from '../../extension/cli/node-hasher.js';
import { authorizedFetch, hubAccess } from '../../extension/cli/hub-access.js';
import { localPath } from '../../extension/cli/verified-fetch.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('--include patterns', () => {
  it('match like fnmatch: * spans folders, ? one character, [..] classes, [!..] negated', () => {
    expect(globToRegExp('*.safetensors').test('weights/a.safetensors')).toBe(true);
    expect(globToRegExp('weights/?.bin').test('weights/a.bin')).toBe(true);
    expect(globToRegExp('weights/?.bin').test('weights/ab.bin')).toBe(false);
    expect(globToRegExp('[ab].txt').test('b.txt')).toBe(true);
    expect(globToRegExp('[!ab].txt').test('b.txt')).toBe(false);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
    expect(includeFilter([])('anything')).toBe(true);
    expect(includeFilter(['*.json', 'tok*'])('tokenizer.model')).toBe(true);
  });
});

describe('StreamDigester', () => {
  const data = new Uint8Array(10_000).map((_, i) => (i * 7) % 251);
  const feed = (d: StreamDigester, sizes: number[]) => {
    let at = 0;
    for (const n of sizes) {
      d.update(data.subarray(at, Math.min(data.length, at + n)));
      at += n;
    }
  };

  it('hashes a whole file fed in any chunking', () => {
    const d = new StreamDigester([{ algorithm: 'sha256', digest: sha(data), manifestRoot: '' }], data.length, nodeHasher);
    feed(d, [1, 999, 4000, 5000]);
    expect(d.results()).toEqual([expect.objectContaining({ ok: true, actual: sha(data) })]);
  });

  it('hashes shards as the stream crosses their ends, and names the first shard that differs', () => {
    const shards = [0, 4000, 8000].map((start) => ({ start, end: Math.min(start + 4000, data.length), digest: sha(data.subarray(start, Math.min(start + 4000, data.length))) }));
    const ok = new StreamDigester([{ algorithm: 'sha256', shards, manifestRoot: '' }], data.length, nodeHasher);
    feed(ok, [3999, 2, 6000]);
    expect(ok.results()[0]?.ok).toBe(true);
    const bad = new StreamDigester([{ algorithm: 'sha256', shards: [shards[0]!, { ...shards[1]!, digest: '00'.repeat(32) }, shards[2]!], manifestRoot: '' }], data.length, nodeHasher);
    feed(bad, [10_000]);
    expect(bad.results()[0]).toMatchObject({ ok: false, range: { start: 4000, end: 8000 } });
  });

  it('refuses shards that do not tile the listed size', () => {
    const d = new StreamDigester([{ algorithm: 'sha256', shards: [{ start: 0, end: 4000, digest: sha(data.subarray(0, 4000)) }], manifestRoot: '' }], data.length, nodeHasher);
    feed(d, [10_000]);
    expect(d.results()[0]).toMatchObject({ ok: false, actual: 'signed shards do not cover the listed size' });
  });
});

describe('local paths and the token', () => {
  it('refuses repo paths that would leave the download folder', () => {
    for (const p of ['../x', 'a/../../x', '/etc/passwd', 'a//b', 'a\\\\b', '.', 'a/./b']) expect(() => localPath('/tmp/root', p), p).toThrow();
    expect(localPath('/tmp/root', 'a/b.bin')).toBe('/tmp/root/a/b.bin');
  });

  it('sends the token to the endpoint origin only, and never forwards a caller Authorization', async () => {
    const seen: Array<[string, string | null]> = [];
    const base = async (url: string, init?: RequestInit) => {
      seen.push([url, new Headers(init?.headers).get('authorization')]);
      return new Response('');
    };
    const f = authorizedFetch(hubAccess({ endpoint: 'https://hub.example', token: 't0k' }, {}), base);
    await f('https://hub.example/api/models/a/b');
    await f('https://cdn.example/blob', { headers: { authorization: 'Bearer smuggled' } });
    await f('http://hub.example/api');
    expect(seen).toEqual([
      ['https://hub.example/api/models/a/b', 'Bearer t0k'],
      ['https://cdn.example/blob', null],
      ['http://hub.example/api', null],
    ]);
  });

  it('takes the endpoint and token as the Hub tools do: flags, then HF_ENDPOINT / HF_TOKEN, then the token file', () => {
    expect(hubAccess({}, { HF_ENDPOINT: 'https://mirror.example/', HF_TOKEN: 'env', HF_HOME: '/nonexistent' })).toEqual({ endpoint: 'https://mirror.example', token: 'env', tokenSource: 'HF_TOKEN' });
    expect(hubAccess({ endpoint: 'https://x.example', token: 'flag' }, { HF_ENDPOINT: 'https://mirror.example', HF_TOKEN: 'env' })).toMatchObject({ endpoint: 'https://x.example', token: 'flag' });
    expect(hubAccess({}, { HF_HOME: '/nonexistent' })).toEqual({ endpoint: 'https://huggingface.co' });
    expect(() => hubAccess({ endpoint: 'ftp://x' }, {})).toThrow();
    expect(() => hubAccess({ endpoint: 'https://x.example/sub' }, {})).toThrow();
  });
});
