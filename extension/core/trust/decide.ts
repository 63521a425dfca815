/**
 * The only producer of hub Verdicts: a RevisionCheck plus what the user trusts (pins, expected
 * identities, k) → one Verdict and the pin to add, if any. Pure.
 *
 * Order of judgement: the signer first (expected identity, else pins), then the files. `verified`
 * needs a verified signature, an accepted signer and every listed file checked and matching.
 */
import type { RevisionCheck } from '../hub/revision-check.js';
import type { FailureInfo, FileResult, SignatureEvidence, Signer, Verdict } from '../verdict.js';
import { describeSigner, expectedAsSigner, expectedFor, matchesExpected, sameSigner } from './signer.js';
import type { ExpectedIdentity, Pin } from './types.js';
import { plainLine } from '../display/identity-text.js';

export interface RepoTrustState {
  pins: readonly Pin[];
  signedSince?: number;
}

export interface TrustPolicies {
  signersPerRepo: number;
  expected: readonly ExpectedIdentity[];
}

export interface Decision {
  verdict: Verdict;
  /** A signer to pin now (first use, or a policy-approved signer seen for the first time). */
  newPin?: Pin;
}

const MAX_LISTED = 5;

function listPaths(files: FileResult[]): string {
  const names = files.slice(0, MAX_LISTED).map((f) => plainLine(f.path, 80));
  const more = files.length > MAX_LISTED ? ` (+${files.length - MAX_LISTED} more)` : '';
  return `${names.join(', ')}${more}`;
}

/** Files that break "the hub serves the signed files". */
function changedFiles(files: FileResult[], ignoreUnsigned: boolean): FileResult[] {
  return files.filter((f) => f.status === 'mismatch' || f.status === 'missing' || (f.status === 'unsigned' && !ignoreUnsigned));
}

export function decide(check: RevisionCheck, trust: RepoTrustState, policies: TrustPolicies): Decision {
  const base = {
    subject: { repo: check.repo, revision: check.revision, ...(check.commit ? { commit: check.commit } : {}) },
    checkedAt: check.checkedAt,
  };
  const out = check.outcome;
  const expected = expectedFor(check.repo, policies.expected);
  const pinnedSigners = trust.pins.map((p) => p.signer);

  switch (out.status) {
    case 'unverifiable':
      return { verdict: { ...base, state: 'unverifiable', failure: out.failure } };
    case 'invalid-signature':
      return { verdict: { ...base, state: 'invalid-signature', failure: out.failure } };
    case 'unsigned': {
      if (trust.pins.length > 0 || trust.signedSince !== undefined) {
        const failure: FailureInfo = {
          code: 'SIGNATURE_REMOVED',
          reason: 'this repo was signed before, but this revision has no signature',
        };
        return { verdict: { ...base, state: 'signature-removed', previousSigners: pinnedSigners, failure } };
      }
      if (expected.length > 0) {
        const failure: FailureInfo = { code: 'SIGNATURE_REMOVED', reason: 'your policy expects a signature, but this revision has none' };
        return { verdict: { ...base, state: 'signature-removed', previousSigners: expected.map(expectedAsSigner), failure } };
      }
      return { verdict: { ...base, state: 'unsigned' } };
    }
    case 'signed':
      return decideSigned(base, out.evidence, out.files, out.ignoreUnsignedFiles, check, trust, policies, expected);
  }
}

function decideSigned(
  base: { subject: NonNullable<Verdict['subject']>; checkedAt: number },
  signature: SignatureEvidence,
  files: FileResult[],
  ignoreUnsigned: boolean,
  check: RevisionCheck,
  trust: RepoTrustState,
  policies: TrustPolicies,
  expected: ExpectedIdentity[],
): Decision {
  const signer: Signer = signature.signer;
  const pinnedSigners = trust.pins.map((p) => p.signer);

  // 1. The signer.
  let trustedSince: number | undefined;
  let firstUse = false;
  let pinVia: Pin['via'] = 'first-use';
  if (expected.length > 0) {
    const match = expected.find((e) => matchesExpected(signer, e));
    if (!match) {
      const failure: FailureInfo = {
        code: 'IDENTITY_MISMATCH',
        reason: `signed by ${describeSigner(signer)}, not by the signer your policy expects`,
      };
      return { verdict: { ...base, state: 'identity-changed', signature, files, previousSigners: expected.map(expectedAsSigner), failure } };
    }
    trustedSince = trust.pins.find((p) => sameSigner(p.signer, signer))?.since ?? match.createdAt;
    pinVia = 'policy';
  } else {
    const pin = trust.pins.find((p) => sameSigner(p.signer, signer));
    if (pin) trustedSince = pin.since;
    else if (trust.pins.length < Math.max(1, policies.signersPerRepo)) firstUse = true;
    else {
      const failure: FailureInfo = {
        code: 'IDENTITY_MISMATCH',
        reason: `signed by ${describeSigner(signer)}, not by the signer trusted before`,
      };
      return { verdict: { ...base, state: 'identity-changed', signature, files, previousSigners: pinnedSigners, failure } };
    }
  }

  // 2. The files.
  const changed = changedFiles(files, ignoreUnsigned);
  if (changed.length > 0) {
    const failure: FailureInfo = {
      code: 'FILES_MISMATCH',
      reason: `${changed.length} file${changed.length === 1 ? '' : 's'} differ from the signed manifest: ${listPaths(changed)}`,
    };
    return { verdict: { ...base, state: 'files-changed', signature, files, failure } };
  }
  const unchecked = files.filter((f) => f.status === 'unchecked');
  if (unchecked.length > 0) {
    const failure: FailureInfo = {
      code: 'TOO_LARGE_TO_HASH',
      reason: `${unchecked.length} file${unchecked.length === 1 ? ' was' : 's were'} not checked here (${listPaths(unchecked)}): check the model on disk with \`modelseal verify\``,
    };
    return { verdict: { ...base, state: 'unverifiable', failure, signature, files } };
  }

  // 3. Verified: every check ran and held.
  const newPin: Pin | undefined =
    firstUse || (pinVia === 'policy' && !trust.pins.some((p) => sameSigner(p.signer, signer)))
      ? { signer, since: check.checkedAt, via: pinVia, ...(check.commit ? { commit: check.commit } : {}) }
      : undefined;
  if (firstUse) {
    return { verdict: { ...base, state: 'verified-first-use', signature, files, trustedSince: check.checkedAt }, ...(newPin ? { newPin } : {}) };
  }
  return {
    verdict: { ...base, state: 'verified', signature, files, ...(trustedSince !== undefined ? { trustedSince } : {}) },
    ...(newPin ? { newPin } : {}),
  };
}
