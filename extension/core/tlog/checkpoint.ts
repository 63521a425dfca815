/**
 * Transparency log checkpoints (C2SP tlog-checkpoint in a C2SP signed note): origin line, tree size,
 * base64 root hash, optional extension lines, a blank line, then signature lines. Parsing is bounded
 * and strict; whether the log's key signed it is checked by the caller (sigstore/log-binding.ts).
 */
import { ModelSealError } from '../errors.js';
import { base64ToBytes } from '../sigstore/shims/keys.js';

export interface Checkpoint {
  /** The log's origin line, e.g. "rekor.sigstore.dev - 1193050959916656506". */
  origin: string;
  treeSize: number;
  rootHash: Uint8Array;
  /** The signed note body (up to and including the line break before the blank line). */
  body: string;
}

/** Notes larger than this are not checkpoints (a few lines plus a handful of cosignatures). */
export const MAX_CHECKPOINT_BYTES = 16 * 1024;
const MAX_ORIGIN = 256;
const MAX_EXTENSION_LINES = 16;

function invalid(why: string): never {
  throw new ModelSealError('CHECKPOINT_INVALID', `checkpoint ${why}`);
}

export function parseCheckpoint(note: string): Checkpoint {
  if (typeof note !== 'string' || note.length > MAX_CHECKPOINT_BYTES) invalid('is missing or too large');
  const split = note.indexOf('\n\n');
  if (split < 0) invalid('has no signature block');
  const body = note.slice(0, split + 1);
  const lines = body.slice(0, -1).split('\n');
  const [origin, size, root, ...extensions] = lines;
  if (!origin || origin.length > MAX_ORIGIN || /[\u0000-\u001f\u007f]/.test(origin)) invalid('has no usable origin line');
  if (size === undefined || !/^(0|[1-9][0-9]{0,15})$/.test(size)) invalid('tree size is not a decimal number');
  const treeSize = Number(size);
  if (!Number.isSafeInteger(treeSize)) invalid('tree size is too large');
  let rootHash: Uint8Array;
  try {
    rootHash = base64ToBytes(root ?? '');
  } catch {
    invalid('root hash is not base64');
  }
  if (rootHash.length !== 32) invalid('root hash is not 32 bytes');
  if (extensions.length > MAX_EXTENSION_LINES || extensions.some((l) => l === '')) invalid('has malformed extension lines');
  return { origin, treeSize, rootHash, body };
}
