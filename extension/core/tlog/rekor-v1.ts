/**
 * Online consistency for Rekor v1 logs: the log's current signed tree head (`GET /api/v1/log`) and
 * consistency proofs between tree sizes (`GET /api/v1/log/proof?firstSize=&lastSize=&treeID=`). Only
 * tree sizes are sent, never which entry the user looks at. Answers are hostile: bounded, strictly
 * shaped, and the tree head is accepted only when a trusted log key signed it (the caller verifies).
 */
import { ModelSealError } from '../errors.js';
import type { FetchLike } from '../env.js';
import { readBounded } from '../hubs/huggingface/http.js';
import type { ConsistencyProofSource } from './witness.js';

const MAX_RESPONSE_BYTES = 64 * 1024;
const MAX_PROOF_HASHES = 130;

export interface RekorV1Client {
  /** The log's current signed tree head (a signed-note checkpoint), not yet verified. */
  checkpoint(): Promise<string>;
  proofs: ConsistencyProofSource;
}

/** The Rekor v1 tree ID in an origin line "<host> - <treeID>", which names the shard. */
export function treeIdOf(origin: string): string | undefined {
  return /^\S+ - (\d{1,20})$/.exec(origin)?.[1];
}

function malformed(why: string): never {
  throw new ModelSealError('RESPONSE_MALFORMED', `transparency log answer ${why}`);
}

async function getJson(fetch: FetchLike, url: string): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: 'application/json' }, redirect: 'error', credentials: 'omit' });
  } catch (e) {
    throw new ModelSealError('NETWORK_ERROR', `could not reach the transparency log: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (res.status === 429) throw new ModelSealError('RATE_LIMITED', 'the transparency log is rate limiting requests');
  if (!res.ok) throw new ModelSealError(res.status >= 500 ? 'NETWORK_ERROR' : 'RESPONSE_MALFORMED', `the transparency log answered ${res.status}`);
  const bytes = await readBounded(res, MAX_RESPONSE_BYTES, url);
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    malformed('is not JSON');
  }
}

function hexHash(v: unknown): Uint8Array {
  if (typeof v !== 'string' || !/^[0-9a-f]{64}$/.test(v)) malformed('has a hash that is not 64 lowercase hex digits');
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = parseInt(v.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** `baseUrl`: the log's URL from the trusted root, e.g. https://rekor.sigstore.dev. */
export function rekorV1Client(fetch: FetchLike, baseUrl: string): RekorV1Client {
  const base = new URL(baseUrl);
  if (base.protocol !== 'https:' && base.hostname !== 'localhost' && base.hostname !== '127.0.0.1') {
    throw new ModelSealError('INTERNAL_ERROR', 'transparency logs are reached over https only');
  }
  const at = (path: string) => new URL(path, base).toString();
  return {
    async checkpoint() {
      const body = (await getJson(fetch, at('/api/v1/log'))) as { signedTreeHead?: unknown };
      if (typeof body !== 'object' || body === null || typeof body.signedTreeHead !== 'string') malformed('has no signed tree head');
      return body.signedTreeHead;
    },
    async proofs(origin, size1, size2) {
      const treeId = treeIdOf(origin);
      const q = new URLSearchParams({ firstSize: String(size1), lastSize: String(size2), ...(treeId ? { treeID: treeId } : {}) });
      const body = (await getJson(fetch, at(`/api/v1/log/proof?${q}`))) as { hashes?: unknown };
      if (typeof body !== 'object' || body === null || !Array.isArray(body.hashes)) malformed('has no proof hashes');
      if (body.hashes.length > MAX_PROOF_HASHES) malformed('has too many proof hashes');
      return body.hashes.map(hexHash);
    },
  };
}
