/**
 * The transparency log, witness-style, for every verified signature the worker sees (revision checks,
 * disk checks, the download guard's checks). Each log entry's checkpoint goes to the witness (the
 * largest verified checkpoint per log origin, in storage): the same size with another root is
 * equivocation, raised as an alert. With online checks on, the log's current checkpoint is fetched
 * (at most once per log per REFETCH_MS, verified against the trusted root's key for that log), held
 * against the stored one with a consistency proof, and the entry's checkpoint is proven to be a prefix
 * of it. Only tree sizes go to the log, never which entry. Every failure is a named reason; nothing
 * is "consistent" unless a proof (or identical checkpoints) showed it.
 */
import { ModelSealError, isModelSealError } from '../core/errors.js';
import type { FetchLike, KeyValueStorage } from '../core/env.js';
import type { LogEntry } from '../core/verdict.js';
import type { RepoRef } from '../core/repo-ref.js';
import type { LogConsistency, LogUncheckedReason } from '../shared/messages.js';
import { CheckpointWitness } from '../core/tlog/witness.js';
import type { Checkpoint } from '../core/tlog/checkpoint.js';
import { onlineLogFor, type OnlineLog } from '../core/tlog/log-hosts.js';
import { verifyFetchedCheckpoint } from '../core/sigstore/index.js';
import { base64ToBytes } from '../core/sigstore/shims/keys.js';

/** A log's checkpoint is fetched at most once per this long (successes and failures alike). */
export const REFETCH_MS = 5 * 60_000;
/** Results remembered per entry checkpoint; beyond this the memory starts over. */
const MAX_REMEMBERED = 500;

export type CheckedFor = RepoRef & { commit?: string };

export interface LogWitnessDeps {
  /** Where the witness keeps each log's largest checkpoint (storage.local). */
  storage: KeyValueStorage;
  now: () => number;
  /** Requests to the log hosts; without it online checks report `network`. */
  fetch?: FetchLike;
  /** Sigstore trusted root (undefined: production): names the logs and their keys. */
  trustedRoot?: unknown;
  /**
   * The root in force now (TUF-updated, built-in, or unusable once expired), asked at each fetch;
   * wins over `trustedRoot`. undefined from it: the built-in root.
   */
  trustRootNow?: () => Promise<unknown>;
  /** The user's setting, read at each check. */
  online: () => boolean;
  /** A log equivocated while checking `about`'s signature: raise the alert. */
  equivocation: (failure: { code: 'LOG_EQUIVOCATION'; reason: string }, about: CheckedFor | undefined) => Promise<void>;
  refetchMs?: number;
}

interface Head {
  at: number;
  checkpoint: Checkpoint;
  client: OnlineLog;
}

const REASONS: Partial<Record<string, LogUncheckedReason>> = {
  LOG_EQUIVOCATION: 'equivocation',
  LOG_INCONSISTENT: 'inconsistent',
  NETWORK_ERROR: 'network',
  RATE_LIMITED: 'network',
};

function toCheckpoint(cp: NonNullable<LogEntry['checkpoint']>): Checkpoint {
  return { origin: cp.origin, treeSize: cp.treeSize, rootHash: base64ToBytes(cp.rootHash), body: '' };
}

export class LogWitness {
  readonly witness: CheckpointWitness;
  private readonly heads = new Map<string, { at: number; head: Promise<Head> }>();
  private readonly results = new Map<string, { at: number; result: Promise<LogConsistency> }>();

  constructor(private readonly deps: LogWitnessDeps) {
    this.witness = new CheckpointWitness(deps.storage, { now: deps.now });
  }

  private get refetchMs(): number {
    return this.deps.refetchMs ?? REFETCH_MS;
  }

  /** One result per entry, in order (at most 16 entries). Never throws. */
  check(entries: readonly LogEntry[], about?: CheckedFor): Promise<LogConsistency[]> {
    return Promise.all(entries.slice(0, 16).map((e) => this.checkEntry(e, about)));
  }

  private async checkEntry(entry: LogEntry, about: CheckedFor | undefined): Promise<LogConsistency> {
    const cp = entry.checkpoint;
    if (!cp) return { state: 'unchecked', log: entry.log, reason: 'no-checkpoint' };
    try {
      // Always, and first: a checkpoint that contradicts what this browser already saw is caught
      // even with online checks off, and is never hidden behind a remembered result.
      await this.witness.observe(toCheckpoint(cp), 'bundle');
    } catch (e) {
      return this.failed(entry.log, e, about);
    }
    if (!this.deps.online()) return { state: 'unchecked', log: entry.log, reason: 'off' };
    const key = `${entry.log}|${cp.origin}|${cp.treeSize}|${cp.rootHash}`;
    const now = this.deps.now();
    const known = this.results.get(key);
    if (known && now - known.at < this.refetchMs) return known.result;
    if (this.results.size >= MAX_REMEMBERED) this.results.clear();
    const result = this.online(entry, cp).catch((e: unknown) => this.failed(entry.log, e, about));
    this.results.set(key, { at: now, result });
    return result;
  }

  private async online(entry: LogEntry, cp: NonNullable<LogEntry['checkpoint']>): Promise<LogConsistency> {
    const head = await this.head(entry.log, cp.origin);
    if (head.checkpoint.origin !== cp.origin) {
      return { state: 'unchecked', log: entry.log, reason: 'other-shard', message: `the log's current tree is ${head.checkpoint.origin}, the entry's is ${cp.origin}` };
    }
    const outcome = await this.witness.observe(toCheckpoint(cp), 'bundle', head.client.proofs);
    const proven = outcome.kind === 'same' || outcome.kind === 'grew' || (outcome.kind === 'older' && outcome.proven);
    if (!proven) throw new ModelSealError('LOG_INCONSISTENT', 'no consistency proof was obtained for this checkpoint');
    const latest = await this.witness.latest(cp.origin);
    return { state: 'consistent', log: entry.log, origin: cp.origin, treeSize: cp.treeSize, logTreeSize: latest?.treeSize ?? cp.treeSize, asOf: head.at };
  }

  /** The log's current checkpoint, verified and witnessed; fetched at most once per refetch window. */
  private head(log: string, origin: string): Promise<Head> {
    const now = this.deps.now();
    const known = this.heads.get(log);
    if (known && now - known.at < this.refetchMs) return known.head;
    const head = this.fetchHead(log, origin, now);
    // A failure is remembered too: a log that is down is not asked again on every page view.
    head.catch(() => undefined);
    this.heads.set(log, { at: now, head });
    return head;
  }

  private async fetchHead(log: string, origin: string, now: number): Promise<Head> {
    if (!this.deps.fetch) throw new ModelSealError('NETWORK_ERROR', 'this context cannot reach transparency logs');
    const client = onlineLogFor(this.deps.fetch, log, origin);
    const note = await client.checkpoint();
    const root = this.deps.trustRootNow ? await this.deps.trustRootNow() : this.deps.trustedRoot;
    const verified = verifyFetchedCheckpoint(note, new Date(now), ...(root !== undefined ? [root] : []));
    if (verified.log !== log) throw new ModelSealError('CHECKPOINT_INVALID', `the checkpoint ${log} served is signed by another log (${verified.log})`);
    await this.witness.observe(verified.checkpoint, 'log', client.proofs);
    return { at: now, checkpoint: verified.checkpoint, client };
  }

  private async failed(log: string, e: unknown, about: CheckedFor | undefined): Promise<LogConsistency> {
    const code = isModelSealError(e) ? e.code : 'INTERNAL_ERROR';
    const message = (e instanceof Error ? e.message : String(e)).slice(0, 500);
    if (code === 'LOG_EQUIVOCATION') await this.deps.equivocation({ code, reason: message }, about).catch(() => undefined);
    return { state: 'unchecked', log, reason: REASONS[code] ?? 'invalid', code, message };
  }
}
