import { describe, expect, it } from 'vitest';
import { verifyConsistency } from '../../../extension/core/tlog/merkle.js';
import { consistencyProof, leafHash, rootHash } from '../../factory/merkle.js';
import { errorCode } from '../error-code.js';

const leaves = Array.from({ length: 70 }, (_, i) => leafHash(new TextEncoder().encode(`entry ${i}`)));
const root = (n: number) => rootHash(leaves.slice(0, n));

const code = errorCode;

describe('RFC 9162 consistency proofs', () => {
  it('every honest proof between sizes 1..70 verifies', () => {
    for (let n = 1; n <= 70; n++) {
      for (let m = 1; m <= n; m++) {
        const proof = consistencyProof(m, leaves.slice(0, n));
        expect(code(() => verifyConsistency({ size1: m, size2: n, root1: root(m), root2: root(n), proof })), `${m}→${n}`).toBe('ok');
      }
    }
  });

  it('any changed, dropped or added hash, or a wrong size or root, is refused', () => {
    const cases: Array<[number, number]> = [[1, 2], [3, 7], [4, 8], [5, 70], [6, 13], [32, 64], [33, 70], [69, 70]];
    for (const [m, n] of cases) {
      const proof = consistencyProof(m, leaves.slice(0, n));
      const ok = { size1: m, size2: n, root1: root(m), root2: root(n), proof };
      const refused = (input: typeof ok) => expect(code(() => verifyConsistency(input)), `${m}→${n}`).toBe('LOG_INCONSISTENT');
      proof.forEach((_, i) => {
        const flipped = proof.map((h, j) => (j === i ? Uint8Array.from(h, (b, k) => (k === 0 ? b ^ 1 : b)) : h));
        refused({ ...ok, proof: flipped });
        refused({ ...ok, proof: proof.filter((__, j) => j !== i) });
      });
      refused({ ...ok, proof: [...proof, root(1)] });
      refused({ ...ok, proof: [root(1), ...proof] });
      if (m + 1 <= n) refused({ ...ok, size1: m + 1 });
      if (m > 1) refused({ ...ok, size1: m - 1 });
      // (A wrong size2 is not always visible in the proof: the signed checkpoint authenticates it.)
      refused({ ...ok, root1: root(m === 1 ? 2 : 1) });
      refused({ ...ok, root2: root(n === 70 ? 69 : 70) });
      refused({ ...ok, root1: ok.root2, root2: ok.root1 });
    }
  });

  it('edge cases: same size, empty tree, first larger than second, hostile lengths', () => {
    expect(code(() => verifyConsistency({ size1: 9, size2: 9, root1: root(9), root2: root(9), proof: [] }))).toBe('ok');
    expect(code(() => verifyConsistency({ size1: 9, size2: 9, root1: root(9), root2: root(8), proof: [] }))).toBe('LOG_INCONSISTENT');
    expect(code(() => verifyConsistency({ size1: 9, size2: 9, root1: root(9), root2: root(9), proof: [root(1)] }))).toBe('LOG_INCONSISTENT');
    expect(code(() => verifyConsistency({ size1: 0, size2: 9, root1: root(0), root2: root(9), proof: [] }))).toBe('ok');
    expect(code(() => verifyConsistency({ size1: 10, size2: 9, root1: root(10), root2: root(9), proof: [] }))).toBe('LOG_INCONSISTENT');
    expect(code(() => verifyConsistency({ size1: 3, size2: 9, root1: root(3), root2: root(9), proof: [] }))).toBe('LOG_INCONSISTENT');
    const long = Array.from({ length: 200 }, () => root(1));
    expect(code(() => verifyConsistency({ size1: 3, size2: 9, root1: root(3), root2: root(9), proof: long }))).toBe('LOG_INCONSISTENT');
    const proof = consistencyProof(3, leaves.slice(0, 9));
    expect(code(() => verifyConsistency({ size1: 3, size2: 9, root1: root(3), root2: root(9), proof: [proof[0]!.subarray(1), ...proof.slice(1)] }))).toBe('LOG_INCONSISTENT');
    expect(code(() => verifyConsistency({ size1: -1, size2: 9, root1: root(3), root2: root(9), proof }))).toBe('LOG_INCONSISTENT');
    expect(code(() => verifyConsistency({ size1: 1.5, size2: 9, root1: root(3), root2: root(9), proof }))).toBe('LOG_INCONSISTENT');
  });
});
