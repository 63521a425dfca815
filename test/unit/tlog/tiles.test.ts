/**
 * Consistency proofs computed from C2SP tiles equal the RFC 9162 proofs, up to trees with level-2
 * tiles; a Rekor v2-style log (the factory's, Ed25519 signed notes) is checked end to end through the
 * witness; a lying tile makes the check fail, never pass.
 */
import { describe, expect, it } from 'vitest';
import { proofFromTiles, tileIndexPath, tileLogClient } from '../../../extension/core/tlog/tiles.js';
import { verifyConsistency } from '../../../extension/core/tlog/merkle.js';
import { CheckpointWitness } from '../../../extension/core/tlog/witness.js';
import { parseCheckpoint } from '../../../extension/core/tlog/checkpoint.js';
import { verifyFetchedCheckpoint } from '../../../extension/core/sigstore/index.js';
import { consistencyProof, leafHash, nodeHash, rootHash } from '../../factory/merkle.js';
import { createTestSigstore } from '../../factory/sigstore.js';
import { errorCodeAsync, memoryStorage } from '../error-code.js';

/** Hashes at heights 0, 8 and 16 of a tree, as a tile server stores them. */
function tileStore(leaves: Uint8Array[]) {
  const heights = new Map<number, Uint8Array[]>([[0, leaves]]);
  let cur = leaves;
  for (let h = 1; h <= 16; h++) {
    const next: Uint8Array[] = [];
    for (let i = 0; i + 1 < cur.length; i += 2) next.push(nodeHash(cur[i]!, cur[i + 1]!));
    cur = next;
    if (h % 8 === 0) heights.set(h, cur);
  }
  const asked: string[] = [];
  const fetchTile = async (level: number, index: number, width: number) => {
    asked.push(`${level}/${index}/${width}`);
    const row = heights.get(level * 8) ?? [];
    const out = new Uint8Array(width * 32);
    for (let k = 0; k < width; k++) {
      const h = row[index * 256 + k];
      if (!h) throw new Error(`tile ${level}/${index} has no hash ${k}`);
      out.set(h, k * 32);
    }
    return out;
  };
  return { fetchTile, asked };
}

const code = errorCodeAsync;

const hashes = (n: number) => Array.from({ length: n }, (_, i) => leafHash(new TextEncoder().encode(`leaf ${i}`)));

describe('tiles', () => {
  it('names tiles the C2SP way', () => {
    expect([0, 7, 999, 1000, 1234067].map(tileIndexPath)).toEqual(['000', '007', '999', 'x001/000', 'x001/x234/067']);
  });

  it('proofs from tiles equal RFC 9162 proofs (small trees, every pair)', async () => {
    const leaves = hashes(600);
    for (const n of [1, 2, 3, 255, 256, 257, 511, 512, 513, 600]) {
      const { fetchTile } = tileStore(leaves.slice(0, n));
      for (let m = 1; m <= n; m += m < 20 ? 1 : 37) {
        expect(await proofFromTiles(fetchTile, m, n), `${m}→${n}`).toEqual(consistencyProof(m, leaves.slice(0, n)));
      }
    }
  });

  it('large trees use level-1 and level-2 tiles and few fetches', async () => {
    const leaves = hashes(70_001);
    const { fetchTile, asked } = tileStore(leaves);
    const root2 = rootHash(leaves);
    const all: string[] = [];
    for (const m of [1, 255, 256, 65_535, 65_536, 65_537, 69_999]) {
      asked.length = 0;
      const proof = await proofFromTiles(fetchTile, m, leaves.length);
      expect(() => verifyConsistency({ size1: m, size2: leaves.length, root1: rootHash(leaves.slice(0, m)), root2, proof })).not.toThrow();
      expect(asked.length, `tiles for ${m}`).toBeLessThanOrEqual(12);
      all.push(...asked);
    }
    // 70,001 leaves: 273 full level-1 tiles' worth of nodes and one level-2 node (a partial tile of width 1).
    expect(all).toContain('2/0/1');
    expect(all.some((t) => t.startsWith('1/'))).toBe(true);
  });

  it('a Rekor v2-style log: its Ed25519 checkpoint, then consistency from tiles, through the witness', async () => {
    const sig = createTestSigstore({ seed: 'tiles-test' });
    const root = sig.trustedRoot();
    const log = sig.rekorV2;
    const first = log.checkpoint();
    for (let i = 0; i < 3; i++) sig.signDsse({ identity: 'a@example.com', issuer: 'https://issuer.example', log: 'rekor-v2', payloadType: 'application/vnd.in-toto+json', payload: new TextEncoder().encode(`{"n":${i}}`) });
    let lie = false;
    const store = () => tileStore(log.leaves.map(leafHash));
    const fetch = async (input: string) => {
      const url = new URL(input);
      if (url.origin !== log.baseUrl) return new Response('', { status: 404 });
      if (url.pathname === '/api/v2/checkpoint') return new Response(log.checkpoint());
      const m = /^\/api\/v2\/tile\/(\d+)\/([x0-9/]+?)(?:\.p\/(\d+))?$/.exec(url.pathname);
      if (!m) return new Response('', { status: 404 });
      const index = Number(m[2]!.replaceAll('x', '').replaceAll('/', ''));
      const bytes = await store().fetchTile(Number(m[1]), index, m[3] ? Number(m[3]) : 256);
      if (lie) bytes[0]! ^= 1;
      return new Response(bytes);
    };
    const client = tileLogClient(fetch, log.baseUrl);
    const now = new Date('2026-06-01T00:00:00Z');
    const witness = new CheckpointWitness(memoryStorage(), { now: () => 1 });
    expect(await witness.observe(parseCheckpoint(first), 'bundle')).toEqual({ kind: 'first' });
    const head = verifyFetchedCheckpoint(await client.checkpoint(), now, root);
    expect(head.log).toBe(log.baseUrl);
    lie = true;
    expect(await code(witness.observe(head.checkpoint, 'log', client.proofs))).toBe('LOG_INCONSISTENT');
    lie = false;
    expect(await witness.observe(head.checkpoint, 'log', client.proofs)).toEqual({ kind: 'grew', from: parseCheckpoint(first).treeSize });
  });

  it('a tile of the wrong length is refused', async () => {
    const leaves = hashes(10);
    const short = async () => new Uint8Array(31);
    expect(await code(proofFromTiles(short, 3, leaves.length))).toBe('RESPONSE_MALFORMED');
  });
});
