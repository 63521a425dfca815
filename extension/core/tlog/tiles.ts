/**
 * Online consistency for tile-based logs (C2SP tlog-tiles, Rekor v2): the log serves its signed
 * checkpoint and "tiles" of Merkle tree hashes (`tile/<L>/<N>[.p/<W>]`: up to 256 hashes at tree
 * level 8·L), and no proof API; the consistency proof between two sizes is computed here from the
 * tiles. Tiles are not trusted: the proof is checked against both signed roots (witness.ts), so a
 * wrong tile can only make the check fail, never pass. Only tiles are fetched, never entries.
 */
import { ModelSealError } from '../errors.js';
import type { FetchLike } from '../env.js';
import { readBounded } from '../hubs/huggingface/http.js';
import type { ConsistencyProofSource } from './witness.js';
import { nodeHash } from './merkle.js';

const TILE_WIDTH = 256;
const HASH = 32;
/** Tiles one proof may fetch: two paths of at most one tile per level, with room to spare. */
const MAX_TILES_PER_PROOF = 64;
const MAX_CHECKPOINT_BYTES = 16 * 1024;

export interface TileLogClient {
  checkpoint(): Promise<string>;
  proofs: ConsistencyProofSource;
}

/** C2SP tile index path: base-1000 groups of three digits, all but the last prefixed with "x". */
export function tileIndexPath(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new ModelSealError('INTERNAL_ERROR', 'tile index out of range');
  const groups: string[] = [];
  let rest = n;
  do {
    groups.unshift(String(rest % 1000).padStart(3, '0'));
    rest = Math.floor(rest / 1000);
  } while (rest > 0);
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
}


function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

async function get(fetch: FetchLike, url: string, maxBytes: number): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(url, { redirect: 'error', credentials: 'omit' });
  } catch (e) {
    throw new ModelSealError('NETWORK_ERROR', `could not reach the transparency log: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (res.status === 429) throw new ModelSealError('RATE_LIMITED', 'the transparency log is rate limiting requests');
  if (!res.ok) throw new ModelSealError(res.status >= 500 ? 'NETWORK_ERROR' : 'RESPONSE_MALFORMED', `the transparency log answered ${res.status}`);
  return readBounded(res, maxBytes, url);
}

/**
 * The hashes of a tree of `size` leaves, read from tiles. A node at height h (covering 2^h leaves)
 * lies in the tile level ⌊h/8⌋ and is folded from 2^(h mod 8) of that tile's hashes.
 */
class TileTree {
  private readonly tiles = new Map<string, Promise<Uint8Array>>();

  constructor(
    private readonly fetchTile: (level: number, index: number, width: number) => Promise<Uint8Array>,
    private readonly size: number,
  ) {}

  get fetched(): number {
    return this.tiles.size;
  }

  private tile(level: number, index: number): Promise<Uint8Array> {
    const nodesAtLevel = Math.floor(this.size / TILE_WIDTH ** level);
    const width = Math.min(TILE_WIDTH, nodesAtLevel - index * TILE_WIDTH);
    if (width <= 0) throw new ModelSealError('INTERNAL_ERROR', 'tile beyond the tree');
    const key = `${level}/${index}/${width}`;
    let t = this.tiles.get(key);
    if (!t) {
      if (this.tiles.size >= MAX_TILES_PER_PROOF) throw new ModelSealError('RESPONSE_TOO_LARGE', 'the proof needs more tiles than allowed');
      t = this.fetchTile(level, index, width).then((bytes) => {
        if (bytes.length !== width * HASH) throw new ModelSealError('RESPONSE_MALFORMED', `tile ${key} has ${bytes.length} bytes, expected ${width * HASH}`);
        return bytes;
      });
      this.tiles.set(key, t);
    }
    return t;
  }

  /** MTH of the complete, aligned subtree of height h with index i. */
  async node(h: number, i: number): Promise<Uint8Array> {
    const level = Math.floor(h / 8);
    const span = 2 ** (h % 8);
    const first = i * span; // index among the hashes at height 8·level
    const tile = await this.tile(level, Math.floor(first / TILE_WIDTH));
    const at = first % TILE_WIDTH;
    let row: Uint8Array[] = [];
    for (let k = 0; k < span; k++) row.push(tile.subarray((at + k) * HASH, (at + k + 1) * HASH));
    while (row.length > 1) {
      const next: Uint8Array[] = [];
      for (let k = 0; k < row.length; k += 2) next.push(nodeHash(row[k]!, row[k + 1]!));
      row = next;
    }
    return row[0]!;
  }

  /** MTH(D[a:b]) for a range the RFC's recursion produces (left parts aligned). */
  async range(a: number, b: number): Promise<Uint8Array> {
    const n = b - a;
    if ((n & (n - 1)) === 0 && n > 0 && a % n === 0) return this.node(Math.log2(n), a / n);
    const k = largestPowerOfTwoBelow(n);
    const [l, r] = await Promise.all([this.range(a, a + k), this.range(a + k, b)]);
    return nodeHash(l, r);
  }

  /** RFC 9162 §2.1.4.1 SUBPROOF over [a, b). */
  async subproof(m: number, a: number, b: number, whole: boolean): Promise<Uint8Array[]> {
    const n = b - a;
    if (m === n) return whole ? [] : [await this.range(a, b)];
    const k = largestPowerOfTwoBelow(n);
    if (m <= k) return [...(await this.subproof(m, a, a + k, whole)), await this.range(a + k, b)];
    return [...(await this.subproof(m - k, a + k, b, false)), await this.range(a, a + k)];
  }
}

/** Consistency proof from `size1` to `size2`, computed from the tiles of the tree of `size2`. */
export async function proofFromTiles(fetchTile: (level: number, index: number, width: number) => Promise<Uint8Array>, size1: number, size2: number): Promise<Uint8Array[]> {
  if (!Number.isSafeInteger(size1) || !Number.isSafeInteger(size2) || size1 < 0 || size1 > size2) {
    throw new ModelSealError('INTERNAL_ERROR', 'consistency proof between impossible sizes');
  }
  if (size1 === 0 || size1 === size2) return [];
  return new TileTree(fetchTile, size2).subproof(size1, 0, size2, true);
}

/** `baseUrl`: the log's URL from the trusted root, e.g. https://log2025-1.rekor.sigstore.dev (Rekor v2 serves under /api/v2/). */
export function tileLogClient(fetch: FetchLike, baseUrl: string, prefix = '/api/v2/'): TileLogClient {
  const base = new URL(baseUrl);
  if (base.protocol !== 'https:' && base.hostname !== 'localhost' && base.hostname !== '127.0.0.1') {
    throw new ModelSealError('INTERNAL_ERROR', 'transparency logs are reached over https only');
  }
  const at = (path: string) => new URL(prefix + path, base).toString();
  const fetchTile = (level: number, index: number, width: number) =>
    get(fetch, at(`tile/${level}/${tileIndexPath(index)}${width < TILE_WIDTH ? `.p/${width}` : ''}`), TILE_WIDTH * HASH);
  return {
    async checkpoint() {
      const bytes = await get(fetch, at('checkpoint'), MAX_CHECKPOINT_BYTES);
      try {
        return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        throw new ModelSealError('RESPONSE_MALFORMED', 'the checkpoint is not UTF-8');
      }
    },
    proofs: (_origin, size1, size2) => proofFromTiles(fetchTile, size1, size2),
  };
}
