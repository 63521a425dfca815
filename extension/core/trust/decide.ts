/**
 * The only producer of hub Verdicts: a RevisionCheck plus what the user trusts (pins, expected
 * identities, k) → one Verdict and the pin to add, if any. Pure.
 *
 * Order of judgement: the signer first (expected identity, else pins), then the files. `verified`
 * needs a verified signature, an accepted signer and every present file covered, checked and matching.
 * Only the default branch head may pin a signer on first use: any other revision (branch, tag, PR,
 * bare commit) is judged against existing pins and policies, and with none it is `unpinned-revision`.
 *
 * Several signatures (a root `model.sig`, folder signatures, per-file `<file>.sig`) are combined here:
 * they must all be by one signer, and a file no signature's scope covers is uncovered (partly signed),
 * while a file inside a scope that its signature does not list was added after signing (changed).
 */
import { DEFAULT_REVISION, type RevisionCheck, type RevisionOutcome, type VerifiedSignature } from '../hub/revision-check.js';
import { scopeCovers } from '../hub/signature-locator.js';
import type { FailureInfo, FileResult, SignatureEvidence, Signer, Verdict } from '../verdict.js';
import { describeSigner, expectedAsSigner, expectedFor, matchesExpected, sameSigner } from './signer.js';
import type { ExpectedIdentity, Pin } from './types.js';
import { plainLine } from '../display/identity-text.js';
import { judgeFiles } from '../files/judgement.js';
import { ModelSealError } from '../errors.js';
import { agreedSources, type AgreedFacts } from '../agreed.js';
import { compareWithLock, type LockComparison } from '../lock/check.js';
import type { LockDocument } from '../lock/types.js';

export interface RepoTrustState {
  pins: readonly Pin[];
  signedSince?: number;
  /** The user's lock of this repo: only its exact signed content may be green. */
  lock?: LockDocument;
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

/**
 * Uncovered files that run code or steer loading come first: Python, pickles, configs (an `auto_map`
 * in a JSON file loads remote code), tokenizer files, then other JSON, then the rest. By name only.
 */
function riskRank(path: string): number {
  const name = (path.slice(path.lastIndexOf('/') + 1)).toLowerCase();
  if (name.endsWith('.py')) return 0;
  if (/\.(pkl|pickle|bin|pt|pth|ckpt|joblib|dill)$/.test(name)) return 1;
  if (name === 'config.json' || /config\.json$/.test(name) || name.startsWith('tokenizer') || /^(vocab\.|merges\.txt$|special_tokens_map\.json$|added_tokens\.json$|chat_template)/.test(name)) return 2;
  if (name.endsWith('.json')) return 3;
  return 4;
}

export function orderUncovered(paths: readonly string[]): string[] {
  return [...paths].sort((a, b) => riskRank(a) - riskRank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

function listPaths(files: FileResult[]): string {
  const names = files.slice(0, MAX_LISTED).map((f) => plainLine(f.path, 80));
  const more = files.length > MAX_LISTED ? ` (+${files.length - MAX_LISTED} more)` : '';
  return `${names.join(', ')}${more}`;
}

type SignedOutcome = Extract<RevisionOutcome, { status: 'signed' }>;

/**
 * Whether an `unsigned` file is merely uncovered (partly signed) rather than added after signing:
 * outside the scope of every signature when the scopes are known, else per `ignoreUnsignedFiles`.
 */
function uncoveredTest(out: SignedOutcome): (f: FileResult) => boolean {
  const signatures = out.signatures;
  if (signatures && signatures.length > 0) return (f) => f.status === 'unsigned' && !signatures.some((s) => scopeCovers(s.scope, f.path));
  return (f) => f.status === 'unsigned' && out.ignoreUnsignedFiles;
}

/** The first signature whose signer differs from the first one's, if any. */
function otherSigner(signatures: readonly VerifiedSignature[] | undefined): VerifiedSignature | undefined {
  const first = signatures?.[0];
  return first ? signatures.find((s) => !sameSigner(first.evidence.signer, s.evidence.signer)) : undefined;
}

function repoHasTrust(trust: RepoTrustState, expected: readonly ExpectedIdentity[]): boolean {
  return trust.pins.length > 0 || trust.signedSince !== undefined || expected.length > 0;
}

/**
 * Whether decide() would pin this check's signer on first use, i.e. whether it needs to know that the
 * commit is the default branch head. Callers ask the hub for that head only then.
 */
export function wouldPinOnFirstUse(check: RevisionCheck, trust: RepoTrustState, policies: TrustPolicies): boolean {
  const out = check.outcome;
  if (out.status !== 'signed' || expectedFor(check.repo, policies.expected).length > 0 || otherSigner(out.signatures)) return false;
  return !trust.pins.some((p) => sameSigner(p.signer, out.evidence.signer)) && hasRoomForPin(trust, policies);
}

/** With no policy for the repo, an unpinned signer is trusted on first use while the repo has fewer than k pins. */
function hasRoomForPin(trust: RepoTrustState, policies: TrustPolicies): boolean {
  return trust.pins.length < Math.max(1, policies.signersPerRepo);
}

export function decide(check: RevisionCheck, trust: RepoTrustState, policies: TrustPolicies): Decision {
  const base = {
    subject: {
      repo: check.repo,
      // A home page names no revision: show the default branch's name when known, never the placeholder.
      ...(check.revision !== DEFAULT_REVISION ? { revision: check.revision } : check.defaultBranch ? { revision: check.defaultBranch } : {}),
      ...(check.commit ? { commit: check.commit } : {}),
    },
    ...('signatureFiles' in check.outcome && check.outcome.signatureFiles ? { signatureFiles: [...check.outcome.signatureFiles] } : {}),
    checkedAt: check.checkedAt,
  };
  const out = check.outcome;
  const expected = expectedFor(check.repo, policies.expected);
  const pinnedSigners = trust.pins.map((p) => p.signer);

  switch (out.status) {
    case 'unverifiable':
      if (out.signatureUncheckable && repoHasTrust(trust, expected)) {
        // A repo we trust a signer for now carries a signature we cannot check: that is not "could not
        // verify" (amber) but a signature its trusted signer did not make here (red, alert). The
        // original reason is left out: it may invite trusting new key material.
        const failure: FailureInfo = {
          code: 'SIGNATURE_UNCHECKABLE',
          reason: `the signature changed and cannot be checked (${out.failure.code}); the trusted signer did not make a signature that verifies here`,
          params: { signer: pinnedSigners[0] ? describeSigner(pinnedSigners[0]) : expected[0] ? describeSigner(expectedAsSigner(expected[0])) : '' },
        };
        return { verdict: { ...base, state: 'invalid-signature', failure } };
      }
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
    case 'signed': {
      // Signatures by different signers: no one signer vouches for the files (as for per-file ones).
      const other = otherSigner(out.signatures);
      if (other) {
        const failure: FailureInfo = { code: 'IDENTITY_MISMATCH', reason: `signatures are by different signers (${plainLine(other.path, 80)})` };
        return { verdict: { ...base, state: 'invalid-signature', failure } };
      }
      return decideSigned(base, out.evidence, out.files, uncoveredTest(out), out, check, trust, policies, expected);
    }
  }
}

function decideSigned(
  base: { subject: NonNullable<Verdict['subject']>; checkedAt: number; signatureFiles?: string[] },
  signature: SignatureEvidence,
  files: FileResult[],
  isUncovered: (f: FileResult) => boolean,
  out: SignedOutcome,
  check: RevisionCheck,
  trust: RepoTrustState,
  policies: TrustPolicies,
  expected: ExpectedIdentity[],
): Decision {
  const signer: Signer = signature.signer;
  const pinnedSigners = trust.pins.map((p) => p.signer);
  const budgetExceeded = out.budgetExceeded;
  // What held so far, for the verdict's agreed sources; grows as each check passes.
  const facts: AgreedFacts = { signature, ...(out.verifiedBy ? { hubDigests: out.verifiedBy.hubDigests, bytesHashed: out.verifiedBy.bytesHashed } : {}) };
  const withAgreed = (d: Decision): Decision => ({ ...d, verdict: { ...d.verdict, agreed: agreedSources(facts) } });

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
      return withAgreed({ verdict: { ...base, state: 'identity-changed', signature, files, previousSigners: expected.map(expectedAsSigner), failure } });
    }
    trustedSince = trust.pins.find((p) => sameSigner(p.signer, signer))?.since ?? match.createdAt;
    pinVia = 'policy';
    facts.policy = true;
    facts.pin = trust.pins.some((p) => sameSigner(p.signer, signer));
  } else {
    const pin = trust.pins.find((p) => sameSigner(p.signer, signer));
    if (pin) {
      trustedSince = pin.since;
      facts.pin = true;
    }
    else if (hasRoomForPin(trust, policies)) firstUse = true;
    else {
      const failure: FailureInfo = {
        code: 'IDENTITY_MISMATCH',
        reason: `signed by ${describeSigner(signer)}, not by the signer trusted before`,
      };
      return withAgreed({ verdict: { ...base, state: 'identity-changed', signature, files, previousSigners: pinnedSigners, failure } });
    }
  }

  // 2. The files (the same judgement as the CLI's verifyModel).
  const judged = judgeFiles(files, { isUncovered });
  const changed = judged.changed;
  if (changed.length > 0) {
    const failure: FailureInfo = {
      code: 'FILES_MISMATCH',
      reason: `${changed.length} file${changed.length === 1 ? ' differs' : 's differ'} from the signed manifest: ${listPaths(changed)}`,
      params: { count: changed.length, files: listPaths(changed) },
    };
    return withAgreed({ verdict: { ...base, state: 'files-changed', signature, files, failure } });
  }
  // The user's lock: only the exact locked content passes, whoever signed anything else.
  if (trust.lock) {
    const lockCheck = compareSignedWithLock(check, out, trust.lock);
    if (!lockCheck.matches) {
      const lock = { commit: trust.lock.commit, rootDigest: trust.lock.manifest.rootDigest };
      return withAgreed({ verdict: { ...base, state: 'lock-mismatch', signature, files, lock, failure: lockCheck.failure } });
    }
    facts.lock = true;
  }
  // A signer nobody pinned, on a revision other than the default branch head: anyone can open a pull
  // request, so it must not become the trusted signer. Say who signed and where trust comes from.
  if (firstUse && check.atDefaultHead !== true) {
    const where = check.defaultBranch ? `the default branch (${plainLine(check.defaultBranch, 80)})` : 'the default branch';
    const failure: FailureInfo = {
      code: 'NOT_DEFAULT_BRANCH',
      reason: `signed by ${describeSigner(signer)} on a revision that is not the default branch head; this repo's trusted signer is taken from ${where}`,
      params: { signer: describeSigner(signer), ...(check.defaultBranch ? { defaultBranch: check.defaultBranch } : {}) },
    };
    return withAgreed({
      verdict: { ...base, state: 'unpinned-revision', signature, files, ...(check.defaultBranch ? { defaultBranch: check.defaultBranch } : {}), failure },
    });
  }
  const unchecked = judged.unchecked;
  if (unchecked.length > 0) {
    const failure: FailureInfo = budgetExceeded
      ? {
          code: 'WORK_BUDGET_EXCEEDED',
          reason: `${unchecked.length} file${unchecked.length === 1 ? ' was' : 's were'} not checked: the per-check download budget (${budgetExceeded.limit}) is used up (${listPaths(unchecked)}); check the model on disk with \`modelseal verify\``,
          params: { count: unchecked.length, files: listPaths(unchecked), limit: budgetExceeded.limit },
        }
      : {
          code: 'TOO_LARGE_TO_HASH',
          reason: `${unchecked.length} file${unchecked.length === 1 ? ' was' : 's were'} not checked here (${listPaths(unchecked)}): check the model on disk with \`modelseal verify\``,
          params: { count: unchecked.length, files: listPaths(unchecked) },
        };
    return withAgreed({ verdict: { ...base, state: 'unverifiable', failure, signature, files } });
  }
  // Per-file and folder signatures: a file no signature covers is not verified, so the repo is not green.
  const uncovered = orderUncovered(judged.uncovered.map((f) => f.path));
  if (uncovered.length > 0) {
    const shown = listPaths(uncovered.map((path) => ({ path, status: 'unsigned' as const })));
    const failure: FailureInfo = {
      code: 'PARTLY_SIGNED',
      reason: `${uncovered.length} file${uncovered.length === 1 ? ' is' : 's are'} covered by no signature: ${shown}`,
      params: { count: uncovered.length, files: shown },
    };
    return withAgreed({ verdict: { ...base, state: 'partly-signed', signature, files, uncovered, failure } });
  }

  // 3. Verified: every check ran and held.
  if (!judged.verified) throw new ModelSealError('INTERNAL_ERROR', 'files not verified'); // unreachable: every other file outcome returned above
  const newPin: Pin | undefined =
    firstUse || (pinVia === 'policy' && !trust.pins.some((p) => sameSigner(p.signer, signer)))
      ? { signer, since: check.checkedAt, via: pinVia, ...(check.commit ? { commit: check.commit } : {}) }
      : undefined;
  if (firstUse) {
    // The signing history shows another signer before this one: pinning whoever signed last would
    // hide the change. Nothing is pinned; the user chooses (typed confirmation, as for a changed identity).
    const h = check.history;
    if (h?.status === 'read' && (h.changedFrom || !sameSigner(h.signer, signer))) {
      const from = h.changedFrom?.signer ?? h.signer;
      const on = h.changedFrom?.at ? ` on ${h.changedFrom.at.slice(0, 10)}` : '';
      const failure: FailureInfo = {
        code: 'HISTORY_SIGNER_CHANGED',
        reason: `the repo's signing history shows a change of signer, from ${describeSigner(from)} to ${describeSigner(signer)}${on}: choose which signer to trust`,
      };
      return withAgreed({ verdict: { ...base, state: 'unpinned-revision', signature, files, failure, history: h } });
    }
    return withAgreed({
      verdict: { ...base, state: 'verified-first-use', signature, files, trustedSince: check.checkedAt, ...(h ? { history: h } : {}) },
      ...(newPin ? { newPin } : {}),
    });
  }
  return withAgreed({
    verdict: { ...base, state: 'verified', signature, files, ...(trustedSince !== undefined ? { trustedSince } : {}) },
    ...(newPin ? { newPin } : {}),
  });
}

/**
 * A revision's signed content against the user's lock. A lock is made from one repo-wide signature;
 * a revision signed any other way (several signatures, folder or per-file ones), or a check recorded
 * without its signed content, is not the locked content.
 */
function compareSignedWithLock(check: RevisionCheck, out: SignedOutcome, lock: LockDocument): LockComparison {
  const only = out.signatures?.length === 1 ? out.signatures[0] : undefined;
  if (!only || only.scope.kind !== 'repo' || !only.content) {
    return {
      matches: false,
      failure: { code: 'LOCK_MISMATCH', reason: `the signed content differs from your lock of commit ${lock.commit.slice(0, 12)}: this revision is not signed by one repo-wide signature` },
    };
  }
  return compareWithLock({ repo: { hub: check.hub, kind: check.kind, repo: check.repo }, signer: only.evidence.signer, content: only.content }, lock);
}
