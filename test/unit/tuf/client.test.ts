/**
 * The TUF client against a local test repository, one test per attack the TUF specification lists
 * (rollback, freeze, arbitrary software, mix-and-match, endless data) plus root rotation and an
 * unreachable repository; and the real Sigstore root embedded at build time verifies itself.
 */
import { describe, expect, it } from 'vitest';
import seeds from '@sigstore/tuf/seeds.json';
import { TufClient } from '../../../extension/core/tuf/client.js';
import { parseEnvelope, verifyThreshold, type RootSigned } from '../../../extension/core/tuf/metadata.js';
import { TestTufRepo } from '../../factory/tuf.js';
import { deriveKey } from '../../factory/keys.js';
import { errorCodeAsync, memoryStorage } from '../error-code.js';

const DAY = 86_400_000;
const start = Date.parse('2026-11-02T00:00:00Z');

function setup() {
  const repo = new TestTufRepo();
  const seedRoot = repo.publishRoot();
  repo.publish();
  const storage = memoryStorage();
  let now = start;
  const clock = { now: () => now };
  const served = repo.fetcher();
  let fetch: (input: string) => Promise<Response> = served.fetch;
  const client = new TufClient({ fetch: (u) => fetch(u), baseUrl: repo.base, seedRoot, storage, clock });
  return {
    repo,
    client,
    asked: served.asked,
    setNow: (t: number) => void (now = t),
    setFetch: (f: typeof fetch) => void (fetch = f),
  };
}

const code = errorCodeAsync;

describe('TUF client', () => {
  it('an update verifies every role and the target, by consistent-snapshot names', async () => {
    const { repo, client, asked } = setup();
    const state = await client.update();
    expect(new TextDecoder().decode(state.target)).toBe('{"mediaType":"trusted root v1"}');
    expect(state.rootVersion).toBe(1);
    expect(asked.map((a) => a.replace(/^targets\/[0-9a-f]{64}\./, 'targets/HASH.'))).toEqual(['2.root.json', 'timestamp.json', '1.snapshot.json', '1.targets.json', 'targets/HASH.trusted_root.json']);
    expect(state.expires).toBe(Date.parse(repo.expires(7)));
    expect(await client.current()).toEqual(state);
  });

  it('root rotation: a new root counts only when signed by the old root and by itself', async () => {
    const { repo, client } = setup();
    const old = repo.keys.root;
    const fresh = [0, 1, 2].map((i) => deriveKey('P-256', `rotated:${i}`));
    // Signed only by the new keys: refused.
    repo.keys.root = fresh;
    repo.publishRoot(fresh);
    expect(await code(client.update())).toBe('TUF_INVALID');
    // Signed by two old and two new keys: accepted, and so is a third root signed by the new keys alone.
    repo.files.delete('2.root.json');
    repo.rootVersion = 1;
    repo.publishRoot([old[0]!, old[1]!, fresh[0]!, fresh[1]!]);
    repo.publishRoot([fresh[1]!, fresh[2]!]);
    repo.publish();
    expect((await client.update()).rootVersion).toBe(3);
  });

  it('a root file that names another version is refused', async () => {
    const { repo, client } = setup();
    repo.files.set('2.root.json', repo.sign(repo.rootSigned(3), repo.keys.root));
    expect(await code(client.update())).toBe('TUF_INVALID');
  });

  it('rollback: an older timestamp, or a timestamp naming an older snapshot, is refused', async () => {
    const { repo, client } = setup();
    repo.publish();
    await client.update(); // timestamp 2, snapshot 2
    const newer = repo.files.get('timestamp.json')!;
    repo.publish({ timestampVersion: 1 });
    expect(await code(client.update())).toBe('TUF_ROLLBACK');
    repo.files.set('timestamp.json', newer);
    repo.publish({ snapshotVersion: 1, timestampVersion: 5 });
    expect(await code(client.update())).toBe('TUF_ROLLBACK');
  });

  it('freeze: expired metadata is refused, and the last verified state lasts only until it expires', async () => {
    const { repo, client, setNow } = setup();
    const good = await client.update();
    repo.publish({ expiresDays: { timestamp: 0.5 } });
    setNow(start + DAY); // the new timestamp expired half a day ago
    expect(await code(client.update())).toBe('TUF_EXPIRED');
    expect(await client.current()).toEqual(good);
    setNow(good.expires + 1);
    expect(await code(client.current())).toBe('TUF_EXPIRED');
  });

  it('arbitrary software: a target that does not match, or targets signed by the wrong key, is refused', async () => {
    const { repo, client } = setup();
    for (const [name, body] of repo.files) if (name.startsWith('targets/')) repo.files.set(name, new TextEncoder().encode(new TextDecoder().decode(body).replace('v1', 'v6')));
    expect(await code(client.update())).toBe('TUF_INVALID');
    const r2 = setup();
    r2.repo.publish({ targetsBy: r2.repo.keys.timestamp });
    expect(await code(r2.client.update())).toBe('TUF_INVALID');
  });

  it('mix-and-match: a snapshot other than the one the timestamp names is refused', async () => {
    const { repo, client } = setup();
    const first = repo.files.get('1.snapshot.json')!;
    repo.publish();
    repo.files.set('2.snapshot.json', first);
    expect(await code(client.update())).toBe('TUF_INVALID'); // its hash differs
    // Without hashes in the timestamp, the version inside the snapshot is what catches it.
    const ts = JSON.parse(new TextDecoder().decode(repo.files.get('timestamp.json')!)) as { signed: { meta: { 'snapshot.json': Record<string, unknown> } } };
    ts.signed.meta['snapshot.json'] = { version: 2 };
    repo.files.set('timestamp.json', repo.sign(ts.signed as unknown as Record<string, unknown>, repo.keys.timestamp));
    expect(await code(client.update())).toBe('TUF_INVALID');
  });

  it('endless data: oversized metadata is cut off, never read whole', async () => {
    const { client, setFetch } = setup();
    let sent = 0;
    setFetch(async (u) => {
      if (!u.endsWith('timestamp.json')) return new Response('', { status: 404 });
      const stream = new ReadableStream<Uint8Array>({
        pull(c) {
          sent += 65_536;
          if (sent > 64 * 1024 * 1024) c.close();
          else c.enqueue(new Uint8Array(65_536).fill(32));
        },
      });
      return new Response(stream);
    });
    expect(await code(client.update())).toBe('RESPONSE_TOO_LARGE');
    expect(sent).toBeLessThan(1024 * 1024);
  });

  it('an unreachable repository leaves the last verified state in force', async () => {
    const { client, setFetch } = setup();
    const good = await client.update();
    setFetch(async () => {
      throw new TypeError('offline');
    });
    expect(await code(client.update())).toBe('NETWORK_ERROR');
    expect(await client.current()).toEqual(good);
  });

  it('a rotated timestamp key resets the timestamp kept (fast-forward recovery)', async () => {
    const { repo, client } = setup();
    repo.publish({ timestampVersion: 50 });
    await client.update();
    repo.keys.timestamp = [deriveKey('P-256', 'new timestamp key')];
    repo.publishRoot();
    repo.publish({ timestampVersion: 1 });
    expect((await client.update()).rootVersion).toBe(2);
  });

  it("the real Sigstore root embedded at build time parses and carries its own root role's threshold", () => {
    const entry = (seeds as unknown as Record<string, Record<string, string>>)['https://tuf-repo-cdn.sigstore.dev']!;
    const root = parseEnvelope<RootSigned>(Buffer.from(entry['root.json']!, 'base64'), 'root');
    expect(root.signed.consistent_snapshot).toBe(true);
    expect(() => verifyThreshold(root, root.signed.roles.root, root.signed.keys, 'embedded root')).not.toThrow();
    // The same root with one byte of `signed` changed no longer carries the threshold.
    const tampered = { ...root, canonical: Uint8Array.from(root.canonical, (b, i) => (i === 10 ? b ^ 1 : b)) };
    expect(() => verifyThreshold(tampered, root.signed.roles.root, root.signed.keys, 'tampered')).toThrow();
  });
});
