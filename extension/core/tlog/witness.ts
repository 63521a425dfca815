/**
 * Witness-style memory of each transparency log: the largest checkpoint ModelSeal has verified per log
 * (by origin), from bundles and from the log itself. Every new checkpoint is held against it: the same
 * size with another root is equivocation (the log shows different people different trees); a larger
 * tree replaces the stored one only with a consistency proof that it extends it; a smaller tree never
 * replaces a larger one. Checkpoints given here must already be verified as signed by the log's key.
 */
import { ModelSealError } from '../errors.js';
import type { Clock, KeyValueStorage } from '../env.js';
import { base64ToBytes } from '../sigstore/shims/keys.js';
import { equalBytes } from '../sigstore/shims/der.js';
import type { Checkpoint } from './checkpoint.js';
import { verifyConsistency } from './merkle.js';

export interface StoredCheckpoint {
  origin: string;
  treeSize: number;
  /** Base64, as in the checkpoint. */
  rootHash: string;
  /** When this checkpoint became the largest verified one (ms since the epoch). */
  since: number;
  source: CheckpointSource;
}

/** `bundle`: from a verified signature's log entry; `log`: fetched from the log. */
export type CheckpointSource = 'bundle' | 'log';

/** The hashes proving tree `size1` is a prefix of tree `size2` of the log with this origin. */
export type ConsistencyProofSource = (origin: string, size1: number, size2: number) => Promise<Uint8Array[]>;

export type WitnessOutcome =
  /** No checkpoint of this log was known: this one is now the reference. */
  | { kind: 'first' }
  /** The stored checkpoint, again. */
  | { kind: 'same' }
  /** Larger, and proven to extend the stored one: it replaced it. */
  | { kind: 'grew'; from: number }
  /** Smaller than the stored one, which stays; `proven`: shown to be a prefix of it. */
  | { kind: 'older'; latest: number; proven: boolean }
  /** Larger, but no proof was available: the stored one stays, nothing is concluded. */
  | { kind: 'unproven'; latest: number };

const KEY_PREFIX = 'tlog:checkpoint:';

function b64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function isStored(v: unknown): v is StoredCheckpoint {
  const o = v as StoredCheckpoint;
  return typeof o === 'object' && o !== null && typeof o.origin === 'string' && Number.isSafeInteger(o.treeSize) && typeof o.rootHash === 'string' && typeof o.since === 'number';
}

export class CheckpointWitness {
  /** One observation at a time per log, so two concurrent checks cannot both replace the reference. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly storage: KeyValueStorage,
    private readonly clock: Clock,
  ) {}

  async latest(origin: string): Promise<StoredCheckpoint | undefined> {
    const v = await this.storage.get(KEY_PREFIX + origin);
    return isStored(v) && v.origin === origin ? v : undefined;
  }

  /** Throws LOG_EQUIVOCATION or LOG_INCONSISTENT; otherwise says how `cp` relates to what was known. */
  observe(cp: Checkpoint, source: CheckpointSource, proofs?: ConsistencyProofSource): Promise<WitnessOutcome> {
    const prev = this.queues.get(cp.origin) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(() => this.observeNow(cp, source, proofs));
    this.queues.set(cp.origin, next);
    void next.finally(() => {
      if (this.queues.get(cp.origin) === next) this.queues.delete(cp.origin);
    }).catch(() => undefined);
    return next;
  }

  private async observeNow(cp: Checkpoint, source: CheckpointSource, proofs?: ConsistencyProofSource): Promise<WitnessOutcome> {
    const known = await this.latest(cp.origin);
    if (!known) {
      await this.store(cp, source);
      return { kind: 'first' };
    }
    const knownRoot = base64ToBytes(known.rootHash);
    if (cp.treeSize === known.treeSize) {
      if (equalBytes(cp.rootHash, knownRoot)) return { kind: 'same' };
      throw new ModelSealError(
        'LOG_EQUIVOCATION',
        `${cp.origin} showed two trees of size ${cp.treeSize}: root ${known.rootHash} (seen ${new Date(known.since).toISOString()}) and root ${b64(cp.rootHash)}`,
        { origin: cp.origin, treeSize: cp.treeSize, knownRoot: known.rootHash, newRoot: b64(cp.rootHash) },
      );
    }
    if (cp.treeSize < known.treeSize) {
      if (!proofs) return { kind: 'older', latest: known.treeSize, proven: false };
      verifyConsistency({ size1: cp.treeSize, size2: known.treeSize, root1: cp.rootHash, root2: knownRoot, proof: await proofs(cp.origin, cp.treeSize, known.treeSize) });
      return { kind: 'older', latest: known.treeSize, proven: true };
    }
    if (!proofs) return { kind: 'unproven', latest: known.treeSize };
    verifyConsistency({ size1: known.treeSize, size2: cp.treeSize, root1: knownRoot, root2: cp.rootHash, proof: await proofs(cp.origin, known.treeSize, cp.treeSize) });
    await this.store(cp, source);
    return { kind: 'grew', from: known.treeSize };
  }

  private async store(cp: Checkpoint, source: CheckpointSource): Promise<void> {
    const v: StoredCheckpoint = { origin: cp.origin, treeSize: cp.treeSize, rootHash: b64(cp.rootHash), since: this.clock.now(), source };
    await this.storage.set(KEY_PREFIX + cp.origin, v);
  }
}
