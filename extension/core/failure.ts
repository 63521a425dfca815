/**
 * The one mapping from a thrown error to what a verdict reports: its FailureInfo (stable code, one
 * plain line of reason, named parameters) and, where the error decides it, the verdict state.
 * Used by the CLI's verifyModel, the hub's revision check, the worker and the download guard.
 */
import { asModelSealError, isCouldNotVerify, type ErrorCode } from './errors.js';
import type { FailureInfo, Verdict } from './verdict.js';
import { plainLine } from './display/identity-text.js';
import type { RevisionOutcome } from './hub/revision-check.js';

/** Error text can quote hostile input (identities, paths): one plain line, hidden characters shown. */
export function oneLine(s: string): string {
  return plainLine(s.replace(/[\t\n\r ]+/g, ' ').trim(), 500);
}

/** Names of FailureInfo.params (see verdict.ts). */
const FAILURE_PARAM_NAMES = ['count', 'files', 'signer', 'defaultBranch', 'limit'] as const;

/**
 * The failure for a thrown error. Error details named like failure parameters (e.g. a budget
 * error's `limit`) travel as `params`, so UIs can word the failure in their language.
 */
export function failureFromError(e: unknown): FailureInfo {
  const err = asModelSealError(e, 'INTERNAL_ERROR');
  const failure: FailureInfo = { code: err.code, reason: oneLine(err.message) };
  const params: Record<string, string | number> = {};
  for (const name of FAILURE_PARAM_NAMES) {
    const v = err.details?.[name];
    if (typeof v === 'number' && Number.isFinite(v)) params[name] = v;
    else if (typeof v === 'string' && v !== '') params[name] = plainLine(v, 200);
  }
  if (Object.keys(params).length > 0) failure.params = params;
  return failure;
}

type FailureBase = { checkedAt: number; subject?: Verdict['subject'] };

/** The verdict for an error thrown while checking a signature: amber "could not verify" or red "invalid". */
export function verdictForError(e: unknown, base: FailureBase): Verdict {
  const failure = failureFromError(e);
  const state = isCouldNotVerify(failure.code) ? 'unverifiable' : 'invalid-signature';
  return { ...base, state, failure };
}

/** The verdict for an error that stopped a check before any signature was judged: never red, never green. */
export function unverifiableForError(e: unknown, base: FailureBase): Verdict {
  return { ...base, state: 'unverifiable', failure: failureFromError(e) };
}

/** Failures of our own environment, not of the signature's bytes: never a reason to distrust a signature. */
const ENVIRONMENT_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'TRUSTED_ROOT_INVALID', 'INTERNAL_ERROR', 'IO_ERROR', 'NETWORK_ERROR', 'RATE_LIMITED', 'AUTH_REQUIRED',
  'NOT_FOUND', 'RESPONSE_TOO_LARGE', 'RESPONSE_MALFORMED', 'TIMEOUT', 'WORK_BUDGET_EXCEEDED',
  'TRUST_ROOT_EXPIRED',
]);

/**
 * A hub revision's outcome when the signature whose bytes we hold failed: "the signature is bad"
 * (red), or "cannot be checked here" (amber, marked `signatureUncheckable` so decide() makes it red
 * for a repo with a pin or policy) unless the failure is our environment's.
 */
export function signatureFailureOutcome(e: unknown, signatureFiles: string[]): RevisionOutcome {
  const failure = failureFromError(e);
  if (!isCouldNotVerify(failure.code)) return { status: 'invalid-signature', failure, signatureFiles };
  return ENVIRONMENT_CODES.has(failure.code) ? { status: 'unverifiable', failure, signatureFiles } : { status: 'unverifiable', failure, signatureFiles, signatureUncheckable: true };
}
