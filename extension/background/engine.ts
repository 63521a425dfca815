/**
 * The seam between the worker and the verification core: which core functions turn a hub revision
 * into a cacheable outcome, and an outcome plus the trust store into the Verdict every surface shows.
 * Only this file knows the core's entry points.
 */
import type { FetchLike, KeyValueStorage } from '../core/env.js';
import type { Verdict } from '../core/verdict.js';
import { HubClient } from '../core/hub/client.js';
import { asModelSealError } from '../core/errors.js';
import type { RevisionRef } from './revisions.js';

/** JSON-safe result of verifying one commit, before any trust decision. */
export type Outcome = { verdict: Verdict; repo: string; renamedFrom?: string };

export interface EngineDeps {
  fetch: FetchLike;
  storage: KeyValueStorage;
  now: () => number;
  maxHashBytes: () => number;
}

export interface Engine {
  resolveCommit(ref: RevisionRef, signal: AbortSignal): Promise<string>;
  verify(ref: RevisionRef, onProgress: (t: string | undefined) => void, signal: AbortSignal): Promise<{ commit: string; outcome: Outcome }>;
  cacheable(outcome: Outcome): boolean;
  /** Applies pins and policies (may pin on first use) and returns what the user sees. */
  decide(ref: RevisionRef, commit: string, outcome: Outcome): Promise<Verdict>;
}

export function unverifiable(now: number, e: unknown, subject?: Verdict['subject']): Verdict {
  const err = asModelSealError(e, 'INTERNAL_ERROR');
  const v: Verdict = { state: 'unverifiable', checkedAt: now, failure: { code: err.code, reason: err.message.slice(0, 300) } };
  if (subject) v.subject = subject;
  return v;
}

export function createEngine(deps: EngineDeps): Engine {
  const client = (signal: AbortSignal, onProgress?: (t: string | undefined) => void, hub?: string) =>
    new HubClient({
      fetch: deps.fetch,
      endpoint: hub,
      signal,
      onProgress: (p) => onProgress?.(`rate limited, retrying in ${p.retryInSeconds} s`),
    });
  return {
    async resolveCommit(ref, signal) {
      return (await client(signal, undefined, ref.hub).resolveRevision(ref.kind, ref.repo, ref.revision)).commit;
    },
    async verify(ref, onProgress, signal) {
      const hub = client(signal, onProgress, ref.hub);
      const resolved = await hub.resolveRevision(ref.kind, ref.repo, ref.revision);
      const subject = { repo: resolved.repo, revision: ref.revision, commit: resolved.commit };
      const files = await hub.listTree(ref.kind, resolved.repo, resolved.commit);
      onProgress(undefined);
      const signed = files.some((f) => f.path === 'model.sig' || f.path.endsWith('.sig'));
      // Until the core's verifyRevision is wired in, a signed repo is reported as not checked: never
      // "verified" without every check having run.
      const verdict: Verdict = signed
        ? { state: 'unverifiable', checkedAt: deps.now(), subject, failure: { code: 'INTERNAL_ERROR', reason: 'signature checking is not available in this build' } }
        : { state: 'unsigned', checkedAt: deps.now(), subject };
      const outcome: Outcome = { verdict, repo: resolved.repo };
      if (resolved.renamedFrom) outcome.renamedFrom = resolved.renamedFrom;
      return { commit: resolved.commit, outcome };
    },
    cacheable(outcome) {
      // Network and login failures change with time; everything else about a commit does not.
      return outcome.verdict.state !== 'unverifiable' || !['NETWORK_ERROR', 'RATE_LIMITED', 'AUTH_REQUIRED', 'TIMEOUT', 'NOT_FOUND', 'INTERNAL_ERROR', 'IO_ERROR'].includes(outcome.verdict.failure.code);
    },
    async decide(_ref, _commit, outcome) {
      return outcome.verdict;
    },
  };
}
