/**
 * Online consistency against a local Rekor v1 log (the fixture factory's, with real keys and a real
 * Merkle tree): a bundle's checkpoint, then the log's current signed tree head and a consistency proof
 * between them; an equivocating log, a log serving a bad proof, and hostile answers.
 */
import { describe, expect, it } from 'vitest';
import { createTestSigstore } from '../../factory/sigstore.js';
import { RekorV1Log } from '../../factory/rekor.js';
import { consistencyProof, leafHash } from '../../factory/merkle.js';
import { rekorV1Client, treeIdOf } from '../../../extension/core/tlog/rekor-v1.js';
import { CheckpointWitness } from '../../../extension/core/tlog/witness.js';
import { parseCheckpoint } from '../../../extension/core/tlog/checkpoint.js';
import { verifyFetchedCheckpoint, verifySigstoreBundle } from '../../../extension/core/sigstore/index.js';
import { errorCodeAsync, memoryStorage } from '../error-code.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const ID = { identity: 'publisher@example.com', issuer: 'https://issuer.example' };

/** A fetch that plays the log at its base URL; `lie` replaces parts of its answers. */
function logServer(log: RekorV1Log, lie: { head?: () => string; proof?: (a: number, b: number) => string[] } = {}) {
  const asked: string[] = [];
  const fetch = async (input: string) => {
    const url = new URL(input);
    asked.push(url.pathname + url.search);
    if (url.origin !== log.baseUrl) return new Response('wrong host', { status: 404 });
    if (url.pathname === '/api/v1/log') return Response.json({ treeSize: log.size, signedTreeHead: lie.head ? lie.head() : log.checkpoint() });
    if (url.pathname === '/api/v1/log/proof') {
      const a = Number(url.searchParams.get('firstSize'));
      const b = Number(url.searchParams.get('lastSize'));
      const hashes = lie.proof ? lie.proof(a, b) : consistencyProof(a, log.leaves.slice(0, b).map(leafHash)).map(hex);
      return Response.json({ rootHash: '', hashes });
    }
    return new Response('not found', { status: 404 });
  };
  return { fetch, asked };
}

const code = errorCodeAsync;

function scenario() {
  const sig = createTestSigstore({ seed: 'witness-test' });
  const root = sig.trustedRoot();
  const signed = sig.signDsse({ ...ID, log: 'rekor-v1', payloadType: 'application/vnd.in-toto+json', payload: new TextEncoder().encode('{"a":1}') });
  const verification = verifySigstoreBundle(signed.bundle, { policy: ID, trustedRoot: root });
  const bundleCp = verification.logEntries[0]!.checkpoint!;
  // The log grows after this signature.
  for (let i = 0; i < 7; i++) sig.signDsse({ ...ID, log: 'rekor-v1', payloadType: 'application/vnd.in-toto+json', payload: new TextEncoder().encode(`{"n":${i}}`) });
  return { sig, root, bundleCp };
}

const now = new Date('2026-06-01T00:00:00Z');

describe('Rekor v1 online consistency', () => {
  it("the bundle's checkpoint is consistent with the log's current tree; only sizes are sent", async () => {
    const { sig, root, bundleCp } = scenario();
    const { fetch, asked } = logServer(sig.rekorV1);
    const client = rekorV1Client(fetch, sig.rekorV1.baseUrl);
    const w = new CheckpointWitness(memoryStorage(), { now: () => 5 });
    const fromBundle = parseCheckpoint(sig.rekorV1.checkpoint(bundleCp.treeSize));
    expect(await w.observe(fromBundle, 'bundle')).toEqual({ kind: 'first' });
    const current = verifyFetchedCheckpoint(await client.checkpoint(), now, root);
    expect(current.checkpoint.treeSize).toBeGreaterThan(bundleCp.treeSize);
    expect(await w.observe(current.checkpoint, 'log', client.proofs)).toEqual({ kind: 'grew', from: bundleCp.treeSize });
    expect(asked).toEqual(['/api/v1/log', `/api/v1/log/proof?firstSize=${bundleCp.treeSize}&lastSize=${sig.rekorV1.size}&treeID=${treeIdOf(bundleCp.origin)}`]);
  });

  it('a log showing another tree of a size already seen is equivocating', async () => {
    const { sig, root, bundleCp } = scenario();
    // Same key, different history: a split view.
    const other = new RekorV1Log('witness-test');
    while (other.size < bundleCp.treeSize) (other as unknown as { appendLeaf(b: Uint8Array): number }).appendLeaf(new TextEncoder().encode(`fork ${other.size}`));
    const { fetch } = logServer(sig.rekorV1, { head: () => other.checkpoint(bundleCp.treeSize) });
    const w = new CheckpointWitness(memoryStorage(), { now: () => 5 });
    await w.observe(parseCheckpoint(sig.rekorV1.checkpoint(bundleCp.treeSize)), 'bundle');
    const head = verifyFetchedCheckpoint(await rekorV1Client(fetch, sig.rekorV1.baseUrl).checkpoint(), now, root);
    expect(await code(w.observe(head.checkpoint, 'log'))).toBe('LOG_EQUIVOCATION');
  });

  it('a bad consistency proof is refused and the stored checkpoint stays', async () => {
    const { sig, root, bundleCp } = scenario();
    const { fetch } = logServer(sig.rekorV1, { proof: (a, b) => consistencyProof(a, sig.rekorV1.leaves.slice(0, b).map(leafHash)).map((h, i) => (i === 0 ? hex(leafHash(h)) : hex(h))) });
    const client = rekorV1Client(fetch, sig.rekorV1.baseUrl);
    const w = new CheckpointWitness(memoryStorage(), { now: () => 5 });
    await w.observe(parseCheckpoint(sig.rekorV1.checkpoint(bundleCp.treeSize)), 'bundle');
    const head = verifyFetchedCheckpoint(await client.checkpoint(), now, root);
    expect(await code(w.observe(head.checkpoint, 'log', client.proofs))).toBe('LOG_INCONSISTENT');
    expect((await w.latest(bundleCp.origin))?.treeSize).toBe(bundleCp.treeSize);
  });

  it('hostile or failing answers are typed errors', async () => {
    const log = createTestSigstore({ seed: 'hostile' }).rekorV1;
    const answer = (r: Response) => rekorV1Client(async () => r, log.baseUrl);
    expect(await code(answer(new Response('{', { status: 200 })).checkpoint())).toBe('RESPONSE_MALFORMED');
    expect(await code(answer(Response.json({ treeSize: 3 })).checkpoint())).toBe('RESPONSE_MALFORMED');
    expect(await code(answer(new Response('slow down', { status: 429 })).checkpoint())).toBe('RATE_LIMITED');
    expect(await code(answer(new Response('x'.repeat(70_000))).checkpoint())).toBe('RESPONSE_TOO_LARGE');
    expect(await code(answer(Response.json({ hashes: ['AB'.repeat(32)] })).proofs('o - 1', 1, 2))).toBe('RESPONSE_MALFORMED');
    expect(await code(answer(Response.json({ hashes: Array(131).fill('ab'.repeat(32)) })).proofs('o - 1', 1, 2))).toBe('RESPONSE_MALFORMED');
    expect(await code(rekorV1Client(async () => { throw new TypeError('offline'); }, log.baseUrl).checkpoint())).toBe('NETWORK_ERROR');
    expect(await code(verifyFetchedCheckpointAsync('not a checkpoint'))).toBe('CHECKPOINT_INVALID');
    expect(() => rekorV1Client(fetch, 'http://rekor.example')).toThrow();
  });
});

async function verifyFetchedCheckpointAsync(note: string) {
  return verifyFetchedCheckpoint(note, now);
}
