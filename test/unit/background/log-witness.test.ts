/**
 * The worker's log witness against local test logs (the fixture factory's Rekor v1 and tile-serving
 * Rekor v2 logs: real keys, real multi-leaf Merkle trees, real signed checkpoints), for entries from
 * bundles the factory signed and the core verified: consistent growth, an equivocating log, a log
 * serving a bad proof, invalid and failing answers, the switch off, and the refetch window.
 */
import { describe, expect, it } from 'vitest';
import { createTestSigstore } from '../../factory/sigstore.js';
import { RekorV1Log, type RekorV2Log } from '../../factory/rekor.js';
import { consistencyProof, leafHash, nodeHash } from '../../factory/merkle.js';
import { UnusableTrustedRoot, verifySigstoreBundle } from '../../../extension/core/sigstore/index.js';
import { LogWitness, REFETCH_MS, type CheckedFor } from '../../../extension/background/log-witness.js';
import type { LogEntry } from '../../../extension/core/verdict.js';
import { memoryStorage } from '../error-code.js';

const ID = { identity: 'publisher@example.com', issuer: 'https://issuer.example' };
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const REPO: CheckedFor = { hub: 'https://huggingface.co', kind: 'model', repo: 'acme/model', commit: 'a'.repeat(40) };

interface Lies {
  head?: () => string;
  proof?: (a: number, b: number) => string[];
  tile?: (bytes: Uint8Array) => Uint8Array;
  down?: boolean;
}

/** Hashes at tile heights 0, 8, 16 of a log, as its tile server stores them. */
function tileRow(log: RekorV2Log, level: number, index: number, width: number): Uint8Array {
  let row = log.leaves.map(leafHash);
  for (let h = 0; h < level * 8; h++) {
    const next: Uint8Array[] = [];
    for (let i = 0; i + 1 < row.length; i += 2) next.push(nodeHash(row[i]!, row[i + 1]!));
    row = next;
  }
  const out = new Uint8Array(width * 32);
  for (let k = 0; k < width; k++) out.set(row[index * 256 + k]!, k * 32);
  return out;
}

/** Both logs at their base URLs; `asked` records every URL, `lies` replaces answers. */
function logHosts(v1: RekorV1Log, v2: RekorV2Log, lies: Lies = {}) {
  const asked: string[] = [];
  const fetch = async (input: string) => {
    const url = new URL(input);
    asked.push(url.host + url.pathname + url.search);
    if (lies.down) throw new TypeError('Failed to fetch');
    if (url.origin === v1.baseUrl) {
      if (url.pathname === '/api/v1/log') return Response.json({ treeSize: v1.size, signedTreeHead: lies.head ? lies.head() : v1.checkpoint() });
      if (url.pathname === '/api/v1/log/proof') {
        const a = Number(url.searchParams.get('firstSize'));
        const b = Number(url.searchParams.get('lastSize'));
        return Response.json({ hashes: lies.proof ? lies.proof(a, b) : consistencyProof(a, v1.leaves.slice(0, b).map(leafHash)).map(hex) });
      }
    }
    if (url.origin === v2.baseUrl) {
      if (url.pathname === '/api/v2/checkpoint') return new Response(lies.head ? lies.head() : v2.checkpoint());
      const m = /^\/api\/v2\/tile\/(\d+)\/([x0-9/]+?)(?:\.p\/(\d+))?$/.exec(url.pathname);
      if (m) {
        const bytes = tileRow(v2, Number(m[1]), Number(m[2]!.replaceAll('x', '').replaceAll('/', '')), m[3] ? Number(m[3]) : 256);
        return new Response((lies.tile ? lies.tile(bytes) : bytes) as Uint8Array<ArrayBuffer>);
      }
    }
    return new Response('not found', { status: 404 });
  };
  return { fetch, asked };
}

const NOW = new Date('2026-06-01T00:00:00Z').getTime();

/** A signature logged in each log, verified by the core; then both logs grow. */
function world(seed: string) {
  const sig = createTestSigstore({ seed });
  const root = sig.trustedRoot();
  const entry = (log: 'rekor-v1' | 'rekor-v2', n: number): LogEntry => {
    const signed = sig.signDsse({ ...ID, log, payloadType: 'application/vnd.in-toto+json', payload: new TextEncoder().encode(`{"n":${n}}`) });
    const e = verifySigstoreBundle(signed.bundle, { policy: ID, trustedRoot: root }).logEntries[0]!;
    expect(e.checkpoint).toBeDefined();
    return e;
  };
  const v1 = entry('rekor-v1', 1);
  const v2 = entry('rekor-v2', 2);
  const later = entry('rekor-v1', 3);
  for (let i = 0; i < 6; i++) entry(i % 2 ? 'rekor-v1' : 'rekor-v2', 10 + i);
  return { sig, root, v1, v2, later };
}

function witness(root: unknown, fetch: (u: string) => Promise<Response>, opts: { online?: () => boolean; clock?: { t: number } } = {}) {
  const alerts: Array<{ reason: string; about: CheckedFor | undefined }> = [];
  const clock = opts.clock ?? { t: NOW };
  const storage = memoryStorage();
  const w = new LogWitness({
    storage,
    now: () => clock.t,
    fetch,
    trustedRoot: root,
    online: opts.online ?? (() => true),
    equivocation: async (f, about) => void alerts.push({ reason: f.reason, about }),
  });
  return { w, alerts, clock, storage };
}

describe('LogWitness (worker service)', () => {
  it('Rekor v1, consistent growth: the entry is proven part of the log\'s current tree; only tree sizes are sent', async () => {
    const { sig, root, v1 } = world('lw-v1');
    const { fetch, asked } = logHosts(sig.rekorV1, sig.rekorV2);
    const { w, alerts } = witness(root, fetch);
    const [r] = await w.check([v1], REPO);
    expect(r).toEqual({ state: 'consistent', log: sig.rekorV1.baseUrl, origin: v1.checkpoint!.origin, treeSize: v1.checkpoint!.treeSize, logTreeSize: sig.rekorV1.size, asOf: NOW });
    expect(asked[0]).toBe('rekor.sigstore.test/api/v1/log');
    // From the bundle's size to the log's: sizes and the shard's tree id, never an index or a hash.
    for (const a of asked.slice(1)) {
      expect(a).toMatch(/^rekor\.sigstore\.test\/api\/v1\/log\/proof\?firstSize=\d+&lastSize=\d+&treeID=\d+$/);
      expect(a).not.toContain(`=${v1.logIndex}&`);
    }
    expect((await w.witness.latest(v1.checkpoint!.origin))?.treeSize).toBe(sig.rekorV1.size);
    expect(alerts).toEqual([]);
  });

  it('Rekor v2, consistent growth: the proof is computed from tiles; only the checkpoint and tiles are fetched', async () => {
    const { sig, root, v2 } = world('lw-v2');
    const { fetch, asked } = logHosts(sig.rekorV1, sig.rekorV2);
    const { w } = witness(root, fetch);
    const [r] = await w.check([v2], REPO);
    expect(r).toMatchObject({ state: 'consistent', log: sig.rekorV2.baseUrl, treeSize: v2.checkpoint!.treeSize, logTreeSize: sig.rekorV2.size });
    expect(asked[0]).toBe('log2025-1.rekor.sigstore.test/api/v2/checkpoint');
    expect(asked.slice(1).every((a) => /^log2025-1\.rekor\.sigstore\.test\/api\/v2\/tile\/\d\/[x0-9/]+(\.p\/\d+)?$/.test(a))).toBe(true);
  });

  it('the log\'s checkpoint is fetched once per window, successes and failures alike; a smaller tree never replaces a larger one', async () => {
    const { sig, root, v1, later } = world('lw-window');
    const { fetch, asked } = logHosts(sig.rekorV1, sig.rekorV2);
    const { w, clock } = witness(root, fetch);
    await w.check([later], REPO);
    const heads = () => asked.filter((a) => a.endsWith('/api/v1/log')).length;
    expect(heads()).toBe(1);
    // An older entry of the same log: proven against the stored (larger) tree, which stays.
    expect((await w.check([v1], REPO))[0]).toMatchObject({ state: 'consistent', treeSize: v1.checkpoint!.treeSize, logTreeSize: sig.rekorV1.size });
    expect(heads()).toBe(1);
    expect((await w.witness.latest(v1.checkpoint!.origin))?.treeSize).toBe(sig.rekorV1.size);
    // The same entry again in the window: nothing is asked at all.
    const before = asked.length;
    await w.check([v1], REPO);
    expect(asked.length).toBe(before);
    clock.t += REFETCH_MS + 1;
    expect((await w.check([v1], REPO))[0]).toMatchObject({ state: 'consistent', asOf: clock.t });
    expect(heads()).toBe(2);
  });

  it('an equivocating log: another tree of a size already seen is an alert naming the log and both roots', async () => {
    const { sig, root, v1 } = world('lw-equivocate');
    // Same key, another history: the log shows this browser a fork of the tree the bundle was proven in.
    const fork = new RekorV1Log('lw-equivocate');
    while (fork.size < v1.checkpoint!.treeSize) (fork as unknown as { appendLeaf(b: Uint8Array): number }).appendLeaf(new TextEncoder().encode(`fork ${fork.size}`));
    const { fetch } = logHosts(sig.rekorV1, sig.rekorV2, { head: () => fork.checkpoint(v1.checkpoint!.treeSize) });
    const { w, alerts } = witness(root, fetch);
    const [r] = await w.check([v1], REPO);
    expect(r).toMatchObject({ state: 'unchecked', reason: 'equivocation', code: 'LOG_EQUIVOCATION' });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.about).toEqual(REPO);
    expect(alerts[0]!.reason).toContain(v1.checkpoint!.origin);
    expect(alerts[0]!.reason).toContain(v1.checkpoint!.rootHash);
    expect(alerts[0]!.reason).toContain(b64(Buffer.from(fork.checkpoint(v1.checkpoint!.treeSize).split('\n')[2]!, 'base64')));
    // The first tree seen stays the reference.
    expect((await w.witness.latest(v1.checkpoint!.origin))?.rootHash).toBe(v1.checkpoint!.rootHash);
  });

  it('a bundle checkpoint that contradicts the stored one is equivocation even with online checks off', async () => {
    const { sig, root, v1 } = world('lw-offline-equivocate');
    const { fetch, asked } = logHosts(sig.rekorV1, sig.rekorV2);
    let online = true;
    const { w, alerts } = witness(root, fetch, { online: () => online });
    await w.check([v1], REPO);
    online = false;
    asked.length = 0;
    const stored = (await w.witness.latest(v1.checkpoint!.origin))!;
    const forked: LogEntry = { ...v1, checkpoint: { origin: stored.origin, treeSize: stored.treeSize, rootHash: b64(new Uint8Array(32).fill(7)) } };
    expect((await w.check([forked], REPO))[0]).toMatchObject({ state: 'unchecked', reason: 'equivocation' });
    expect(alerts).toHaveLength(1);
    expect(asked).toEqual([]);
  });

  it('a log serving a bad consistency proof (v1) or a lying tile (v2) is inconsistent, and the stored checkpoint stays', async () => {
    const { sig, root, v1, v2 } = world('lw-bad-proof');
    const { fetch } = logHosts(sig.rekorV1, sig.rekorV2, {
      proof: (a, b) => consistencyProof(a, sig.rekorV1.leaves.slice(0, b).map(leafHash)).map((h, i) => hex(i === 0 ? leafHash(h) : h)),
      tile: (bytes) => {
        // Every hash of the tile altered: whichever ones the proof needs, they lie.
        const copy = Uint8Array.from(bytes);
        for (let i = 0; i < copy.length; i += 32) copy[i]! ^= 1;
        return copy;
      },
    });
    const { w } = witness(root, fetch);
    const [r1, r2] = await w.check([v1, v2], REPO);
    expect(r1).toMatchObject({ state: 'unchecked', reason: 'inconsistent', code: 'LOG_INCONSISTENT' });
    expect(r2).toMatchObject({ state: 'unchecked', reason: 'inconsistent', code: 'LOG_INCONSISTENT' });
    expect((await w.witness.latest(v1.checkpoint!.origin))?.treeSize).toBe(v1.checkpoint!.treeSize);
    expect((await w.witness.latest(v2.checkpoint!.origin))?.treeSize).toBe(v2.checkpoint!.treeSize);
  });

  it('an answer not signed by the trusted log key, or not a checkpoint, is invalid; an unreachable log is a network reason', async () => {
    const { sig, root, v1 } = world('lw-invalid');
    const stranger = new RekorV1Log('someone else');
    for (const [head, code] of [
      [() => stranger.checkpoint(), 'CHECKPOINT_INVALID'],
      [() => 'not a checkpoint', 'CHECKPOINT_INVALID'],
    ] as const) {
      const { fetch } = logHosts(sig.rekorV1, sig.rekorV2, { head });
      const { w, alerts } = witness(root, fetch);
      expect((await w.check([v1], REPO))[0]).toMatchObject({ state: 'unchecked', reason: 'invalid', code });
      expect(alerts).toEqual([]);
    }
    const down = logHosts(sig.rekorV1, sig.rekorV2, { down: true });
    const { w } = witness(root, down.fetch);
    expect((await w.check([v1], REPO))[0]).toMatchObject({ state: 'unchecked', reason: 'network', code: 'NETWORK_ERROR' });
    // Another entry of that log in the window: the failure is remembered, the log is not asked again.
    await w.check([{ ...v1, checkpoint: { ...v1.checkpoint!, treeSize: v1.checkpoint!.treeSize - 1, rootHash: b64(new Uint8Array(32)) } }], REPO);
    expect(down.asked).toHaveLength(1);
  });

  it("checks the log's checkpoint with the root in force now (TUF), and an expired root checks nothing", async () => {
    const { sig, root, v1 } = world('lw-root-now');
    const { fetch } = logHosts(sig.rekorV1, sig.rekorV2);
    const make = (rootNow: unknown) =>
      new LogWitness({ storage: memoryStorage(), now: () => NOW, fetch, trustRootNow: async () => rootNow, online: () => true, equivocation: async () => undefined });
    expect((await make(root).check([v1], REPO))[0]).toMatchObject({ state: 'consistent' });
    // The built-in production root does not hold the test log's key: the same answer is not trusted.
    expect((await make(undefined).check([v1], REPO))[0]).toMatchObject({ state: 'unchecked' });
    const expired = new UnusableTrustedRoot('TRUST_ROOT_EXPIRED', 'the trust root expired');
    expect((await make(expired).check([v1], REPO))[0]).toMatchObject({ state: 'unchecked', code: 'TRUST_ROOT_EXPIRED' });
  });

  it('switched off: no request to any log, and the reason says so; an entry without a checkpoint says that', async () => {
    const { sig, root, v1, v2 } = world('lw-off');
    const { fetch, asked } = logHosts(sig.rekorV1, sig.rekorV2);
    const { w } = witness(root, fetch, { online: () => false });
    const results = await w.check([v1, v2, { ...v1, checkpoint: undefined } as LogEntry], REPO);
    expect(results.map((r) => (r.state === 'unchecked' ? r.reason : r.state))).toEqual(['off', 'off', 'no-checkpoint']);
    expect(asked).toEqual([]);
    // The witness still learned the bundles' checkpoints.
    expect((await w.witness.latest(v1.checkpoint!.origin))?.source).toBe('bundle');
  });
});
