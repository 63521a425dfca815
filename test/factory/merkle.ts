// RFC 6962 Merkle tree hashing and inclusion proofs (section 2.1), for logs of any size.
import { sha256 } from './bytes.js';

const LEAF = new Uint8Array([0x00]);
const NODE = new Uint8Array([0x01]);

export const leafHash = (data: Uint8Array): Uint8Array => sha256(LEAF, data);
export const nodeHash = (l: Uint8Array, r: Uint8Array): Uint8Array => sha256(NODE, l, r);

/** Largest power of two strictly below n (n >= 2). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH over already-hashed leaves. */
export function rootHash(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return sha256(new Uint8Array());
  if (leaves.length === 1) return leaves[0]!;
  const k = split(leaves.length);
  return nodeHash(rootHash(leaves.slice(0, k)), rootHash(leaves.slice(k)));
}

/** PATH(m, D[n]): sibling hashes from the leaf up to the root. */
export function inclusionPath(m: number, leaves: readonly Uint8Array[]): Uint8Array[] {
  if (m < 0 || m >= leaves.length) throw new RangeError(`leaf ${m} not in tree of ${leaves.length}`);
  if (leaves.length === 1) return [];
  const k = split(leaves.length);
  return m < k
    ? [...inclusionPath(m, leaves.slice(0, k)), rootHash(leaves.slice(k))]
    : [...inclusionPath(m - k, leaves.slice(k)), rootHash(leaves.slice(0, k))];
}

/** Recomputes the root from a proof (RFC 9162 §2.1.3.2); used by the factory's own tests. */
export function rootFromProof(index: number, size: number, leaf: Uint8Array, path: readonly Uint8Array[]): Uint8Array {
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) throw new Error('proof too long');
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = nodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn !== 0) throw new Error('proof too short');
  return r;
}

/** PROOF(m, D[n]) (RFC 9162 §2.1.4.1): hashes showing the first m leaves' tree is a prefix of all n. */
export function consistencyProof(m: number, leaves: readonly Uint8Array[]): Uint8Array[] {
  if (m < 1 || m > leaves.length) throw new RangeError(`no consistency proof from ${m} to ${leaves.length}`);
  return subproof(m, leaves, true);
}

function subproof(m: number, leaves: readonly Uint8Array[], whole: boolean): Uint8Array[] {
  const n = leaves.length;
  if (m === n) return whole ? [] : [rootHash(leaves)];
  const k = split(n);
  return m <= k
    ? [...subproof(m, leaves.slice(0, k), whole), rootHash(leaves.slice(k))]
    : [...subproof(m - k, leaves.slice(k), false), rootHash(leaves.slice(0, k))];
}
