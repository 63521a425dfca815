/**
 * The witness: per log, the largest verified checkpoint; equivocation and inconsistency are errors;
 * a smaller tree never replaces a larger one; a larger one only with a proof.
 */
import { describe, expect, it } from 'vitest';
import { CheckpointWitness, type ConsistencyProofSource } from '../../../extension/core/tlog/witness.js';
import type { Checkpoint } from '../../../extension/core/tlog/checkpoint.js';
import { errorCodeAsync, memoryStorage } from '../error-code.js';
import { consistencyProof, leafHash, rootHash } from '../../factory/merkle.js';

const leaves = Array.from({ length: 40 }, (_, i) => leafHash(new TextEncoder().encode(`entry ${i}`)));
const forked = leaves.map((l, i) => (i >= 20 ? leafHash(new TextEncoder().encode(`other ${i}`)) : l));
const ORIGIN = 'log.example - 1';
const cp = (n: number, tree = leaves): Checkpoint => ({ origin: ORIGIN, treeSize: n, rootHash: rootHash(tree.slice(0, n)), body: '' });
const honest: ConsistencyProofSource = async (_o, a, b) => consistencyProof(a, leaves.slice(0, b));

const code = errorCodeAsync;

describe('CheckpointWitness', () => {
  it('keeps the largest consistent checkpoint per log', async () => {
    let t = 1000;
    const w = new CheckpointWitness(memoryStorage(), { now: () => t++ });
    expect(await w.observe(cp(10), 'bundle')).toEqual({ kind: 'first' });
    expect(await w.observe(cp(10), 'log')).toEqual({ kind: 'same' });
    expect(await w.observe(cp(25), 'log')).toEqual({ kind: 'unproven', latest: 10 });
    expect((await w.latest(ORIGIN))?.treeSize).toBe(10);
    expect(await w.observe(cp(25), 'log', honest)).toEqual({ kind: 'grew', from: 10 });
    expect(await w.observe(cp(7), 'bundle')).toEqual({ kind: 'older', latest: 25, proven: false });
    expect(await w.observe(cp(7), 'bundle', honest)).toEqual({ kind: 'older', latest: 25, proven: true });
    expect(await w.latest(ORIGIN)).toMatchObject({ origin: ORIGIN, treeSize: 25, source: 'log' });
  });

  it('the same size with another root is equivocation; the stored checkpoint stays', async () => {
    const w = new CheckpointWitness(memoryStorage(), { now: () => 1 });
    await w.observe(cp(30), 'bundle');
    expect(await code(w.observe(cp(30, forked), 'log'))).toBe('LOG_EQUIVOCATION');
    expect((await w.latest(ORIGIN))?.rootHash).toBe(Buffer.from(rootHash(leaves.slice(0, 30))).toString('base64'));
  });

  it('a larger tree that does not extend the stored one is refused, as is a bad proof', async () => {
    const w = new CheckpointWitness(memoryStorage(), { now: () => 1 });
    await w.observe(cp(25), 'bundle');
    // The forked log's proof is honest for its own tree, which does not contain the stored one.
    const forkProofs: ConsistencyProofSource = async (_o, a, b) => consistencyProof(a, forked.slice(0, b));
    expect(await code(w.observe(cp(35, forked), 'log', forkProofs))).toBe('LOG_INCONSISTENT');
    const garbage: ConsistencyProofSource = async () => [rootHash(leaves.slice(0, 3))];
    expect(await code(w.observe(cp(35), 'log', garbage))).toBe('LOG_INCONSISTENT');
    expect(await code(w.observe(cp(12, forked), 'bundle', honest))).toBe('ok'); // the fork starts at 20
    expect(await code(w.observe(cp(22, forked), 'bundle', honest))).toBe('LOG_INCONSISTENT');
    expect((await w.latest(ORIGIN))?.treeSize).toBe(25);
  });

  it('concurrent observations of one log are applied one at a time', async () => {
    const storage = memoryStorage();
    const w = new CheckpointWitness(storage, { now: () => 1 });
    await w.observe(cp(5), 'bundle');
    const slow: ConsistencyProofSource = async (o, a, b) => {
      await new Promise((r) => setTimeout(r, 5));
      return honest(o, a, b);
    };
    const results = await Promise.all([w.observe(cp(20), 'log', slow), w.observe(cp(30), 'log', slow), w.observe(cp(20), 'log', slow)]);
    expect(results).toEqual([{ kind: 'grew', from: 5 }, { kind: 'grew', from: 20 }, { kind: 'older', latest: 30, proven: true }]);
  });

  it('ignores a stored value that is not a checkpoint of that log', async () => {
    const storage = memoryStorage();
    storage.map.set(`tlog:checkpoint:${ORIGIN}`, { origin: 'another', treeSize: 3, rootHash: 'x', since: 1 });
    const w = new CheckpointWitness(storage, { now: () => 1 });
    expect(await w.observe(cp(4), 'bundle')).toEqual({ kind: 'first' });
  });
});
