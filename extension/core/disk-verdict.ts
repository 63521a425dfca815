/**
 * The verdict of a disk check ("Check files on this computer"): a verified signature (from the
 * folder's model.sig or a hub revision), per-file results from hashing the local bytes, and, when
 * the user named the repo, their trust for it. No new judgement lives here:
 * - repo named: the hub's decide() on a check made of the local results (pins, policies, k), with
 *   `atDefaultHead: false` so a disk check never pins a signer. A signer no pin or policy judges is
 *   amber SIGNER_NOT_JUDGED (decide's "not the default branch" has no meaning for a folder);
 * - no repo named: the CLI's files judgement (filesOutcome, as verifyModel); matching files are
 *   still amber SIGNER_NOT_JUDGED, since green means "from the signer you trust" and nobody judged it.
 * Pure: reads and writes no trust state.
 */
import type { FailureInfo, FileResult, SignatureEvidence, Verdict } from './verdict.js';
import type { RepoRef } from './repo-ref.js';
import type { ExpectedIdentity, Pin } from './trust/types.js';
import { DEFAULT_REVISION, type RevisionCheck } from './hub/revision-check.js';
import { decide } from './trust/decide.js';
import { describeSigner } from './trust/signer.js';
import { filesOutcome } from './files/summary.js';

/** What the user trusts for the named repo (from the worker's trust store). */
export interface DiskTrust {
  pins: Pin[];
  signedSince?: number;
  signersPerRepo: number;
  /** The policies that apply to the repo (its own, else its owner's). */
  expected: ExpectedIdentity[];
}

export interface DiskVerdictInput {
  evidence: SignatureEvidence;
  files: FileResult[];
  checkedAt: number;
  /** The repo the signature is judged for, with the revision and commit when it came from the hub. */
  repo?: RepoRef & { revision?: string; commit?: string };
  /** Required with `repo`. */
  trust?: DiskTrust;
  /** Where the signature came from: the folder's file or the hub's, as shown. */
  signatureFile: string;
  /** The picked folder's name (hostile text, shown as the subject when no repo is named). */
  folder?: string;
}

function notJudged(evidence: SignatureEvidence, repo: string | undefined): FailureInfo {
  const signer = describeSigner(evidence.signer);
  const reason = repo
    ? `the files match a valid signature by ${signer}, but no pin or policy for ${repo} judges this signer`
    : `the files match a valid signature by ${signer}, but the signer was not judged against a pin: name the repo to judge it`;
  return { code: 'SIGNER_NOT_JUDGED', reason, params: { signer } };
}

export function diskVerdict(input: DiskVerdictInput): Verdict {
  const { evidence, files, checkedAt, repo, trust } = input;
  if (repo && trust) {
    const check: RevisionCheck = {
      hub: repo.hub,
      kind: repo.kind,
      repo: repo.repo,
      revision: repo.revision ?? DEFAULT_REVISION,
      ...(repo.commit ? { commit: repo.commit } : {}),
      checkedAt,
      requests: 0,
      atDefaultHead: false,
      outcome: {
        status: 'signed',
        signatureFiles: [input.signatureFile],
        evidence,
        files,
        ignoreUnsignedFiles: false,
        signatures: [{ path: input.signatureFile, scope: { kind: 'repo' }, evidence }],
      },
    };
    const { verdict } = decide(check, { pins: trust.pins, ...(trust.signedSince !== undefined ? { signedSince: trust.signedSince } : {}) }, { signersPerRepo: trust.signersPerRepo, expected: trust.expected });
    // decide() words unchecked files for the hub ("too large to hash here"); on disk they are read errors.
    if (verdict.state === 'unverifiable' && verdict.failure.code === 'TOO_LARGE_TO_HASH') {
      const outcome = filesOutcome(files);
      return outcome.kind === 'unchecked' ? { ...verdict, failure: outcome.failure } : verdict;
    }
    if (verdict.state !== 'unpinned-revision') return verdict;
    const { defaultBranch: _unused, ...rest } = verdict;
    return { ...rest, failure: notJudged(evidence, repo.repo) };
  }
  const base = { checkedAt, signatureFiles: [input.signatureFile], ...(input.folder ? { subject: { path: input.folder } } : {}) };
  const outcome = filesOutcome(files);
  switch (outcome.kind) {
    case 'changed':
      return { ...base, state: 'files-changed', signature: evidence, files, failure: outcome.failure };
    case 'unchecked':
      return { ...base, state: 'unverifiable', signature: evidence, files, failure: outcome.failure };
    case 'match':
      return { ...base, state: 'unpinned-revision', signature: evidence, files, failure: notJudged(evidence, undefined) };
  }
}
