/**
 * RFC 9162 Merkle tree consistency proofs (§2.1.4): does the tree of `size2` leaves with root `root2`
 * contain, as its first `size1` leaves, the tree with root `root1`? sigstore-js verifies inclusion
 * proofs but not consistency, which is what shows a log did not rewrite its past.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { ModelSealError } from '../errors.js';
import { equalBytes } from '../sigstore/shims/der.js';

export interface ConsistencyInput {
  size1: number;
  size2: number;
  root1: Uint8Array;
  root2: Uint8Array;
  proof: readonly Uint8Array[];
}

const HASH_BYTES = 32;
/** Tree sizes beyond 2^53 cannot be handled exactly as numbers; no log is near that. */
const MAX_SIZE = Number.MAX_SAFE_INTEGER;

/** RFC 9162 interior node hash: SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  const h = sha256.create();
  h.update(new Uint8Array([0x01]));
  h.update(left);
  h.update(right);
  return h.digest();
}

/** Longest honest proof between any two sizes up to `size2` (one hash per level, twice, plus one). */
function maxProofLength(size2: number): number {
  return 2 * Math.ceil(Math.log2(Math.max(2, size2))) + 2;
}

function fail(why: string): never {
  throw new ModelSealError('LOG_INCONSISTENT', `consistency proof does not verify: ${why}`);
}

/** Throws LOG_INCONSISTENT unless `proof` shows tree 1 is a prefix of tree 2 (RFC 9162 §2.1.4.2). */
export function verifyConsistency({ size1, size2, root1, root2, proof }: ConsistencyInput): void {
  for (const n of [size1, size2]) if (!Number.isSafeInteger(n) || n < 0 || n > MAX_SIZE) fail(`tree size ${String(n)} is out of range`);
  if (root1.length !== HASH_BYTES || root2.length !== HASH_BYTES) fail('a root hash is not 32 bytes');
  if (proof.length > maxProofLength(size2)) fail(`${proof.length} hashes is longer than any proof for a tree of ${size2}`);
  if (proof.some((h) => h.length !== HASH_BYTES)) fail('a proof hash is not 32 bytes');
  if (size1 > size2) fail(`the first tree (${size1}) is larger than the second (${size2})`);
  if (size1 === size2) {
    if (proof.length !== 0) fail('same size needs an empty proof');
    if (!equalBytes(root1, root2)) fail('same size, different roots');
    return;
  }
  // The empty tree is a prefix of every tree; the RFC's proofs start at size 1.
  if (size1 === 0) {
    if (proof.length !== 0) fail('a proof from the empty tree must be empty');
    return;
  }
  if (proof.length === 0) fail('empty proof');

  // 1. When size1 is a power of two, the first tree is a complete subtree: its root starts the path.
  const path = (size1 & (size1 - 1)) === 0 ? [root1, ...proof] : [...proof];
  // 2–3. Walk from the last leaf of tree 1, skipping the levels where it is a right child.
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  // 4. Both roots are rebuilt from the same first node.
  let fr = path[0]!;
  let sr = path[0]!;
  // 5. Each further hash joins one root, or both when it lies left of tree 1's edge.
  for (const c of path.slice(1)) {
    if (sn === 0) fail('proof too long');
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  // 6. Both roots match and the walk reached the top of tree 2.
  if (sn !== 0) fail('proof too short');
  if (!equalBytes(fr, root1)) fail('it does not rebuild the first root');
  if (!equalBytes(sr, root2)) fail('it does not rebuild the second root');
}
