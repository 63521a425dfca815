/**
 * How a step's failure becomes an outcome: the hub or our environment failing is "could not verify"
 * (amber); a signature whose bytes we hold either is bad (red) or cannot be checked here.
 */
import { asModelSealError, type ErrorCode } from '../../errors.js';
import { verdictForError } from '../../verify-model.js';
import type { FailureInfo } from '../../verdict.js';
import { plainLine } from '../../display/identity-text.js';
import type { RevisionOutcome } from '../revision-check.js';

/** Error text can quote hostile input (identities, paths): one plain line, hidden characters shown. */
function oneLine(s: string): string {
  return plainLine(s.replace(/[\t\n\r ]+/g, ' ').trim(), 500);
}

export function failureOf(e: unknown): FailureInfo {
  const err = asModelSealError(e, 'INTERNAL_ERROR');
  return { code: err.code, reason: oneLine(err.message) };
}

/** Failures of our own environment, not of the signature's bytes: never a reason to distrust a signature. */
const ENVIRONMENT_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'TRUSTED_ROOT_INVALID', 'INTERNAL_ERROR', 'IO_ERROR', 'NETWORK_ERROR', 'RATE_LIMITED', 'AUTH_REQUIRED',
  'NOT_FOUND', 'RESPONSE_TOO_LARGE', 'RESPONSE_MALFORMED', 'TIMEOUT', 'WORK_BUDGET_EXCEEDED',
]);

/**
 * Failures of a signature whose bytes we hold split into "the signature is bad" (red) and "cannot be
 * checked here" (amber, marked `signatureUncheckable` so decide() can make it red for a pinned repo).
 */
export function signatureFailure(e: unknown, signatureFiles: string[]): RevisionOutcome {
  const v = verdictForError(e, { checkedAt: 0 });
  const failure = v.state === 'unverifiable' || v.state === 'invalid-signature' ? { code: v.failure.code, reason: oneLine(v.failure.reason) } : failureOf(e);
  if (v.state !== 'unverifiable') return { status: 'invalid-signature', failure, signatureFiles };
  return ENVIRONMENT_CODES.has(failure.code) ? { status: 'unverifiable', failure, signatureFiles } : { status: 'unverifiable', failure, signatureFiles, signatureUncheckable: true };
}
