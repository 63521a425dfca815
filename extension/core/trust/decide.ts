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
import { scopeCovers, scopeLabel } from '../hub/signature-locator.js';
import type { FailureInfo, FileResult, SignatureEvidence, SignatureSummary, Signer, Verdict } from '../verdict.js';
import { describeSigner, expectedAsSigner, expectedFor, matchesExpected, sameSigner } from './signer.js';
import type { ExpectedIdentity, Pin } from './types.js';
import { plainLine } from '../display/identity-text.js';
import { judgeFiles } from '../files/judgement.js';
import { ModelSealError } from '../errors.js';
import { agreedSources, type AgreedFacts } from '../agreed.js';
import { compareWithLock, type LockComparison } from '../lock/check.js';
import type { LockDocument } from '../lock/types.js';
import type { PublisherDirectory } from '../publishers/directory.js';
import { documentedAsSigner } from '../publishers/directory.js';
import { judgePublisher, type PublisherJudgement } from '../publishers/judge.js';

export interface RepoTrustState {
  pins: readonly Pin[];
  signedSince?: number;
  /** The user's lock of this repo: only its exact signed content may be green. */
  lock?: LockDocument;
}

export interface TrustPolicies {
  signersPerRepo: number;
  expected: readonly ExpectedIdentity[];
  /**
   * The publishers' directory in force (shipped, imported), or undefined when switched off. Judges a
   * repo with no policy and no pin for its signer: the user's own policies and pins always win.
   */
  publishers?: PublisherDirectory;
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

/** Which parts of the repo the signatures cover, as a reason's prefix (`signed: original/; `), or ''. */
function signedParts(out: SignedOutcome): string {
  const labels = [...new Set((out.signatures ?? []).map((s) => plainLine(scopeLabel(s.scope), 80)))];
  if (labels.length === 0) return '';
  const more = labels.length > MAX_LISTED ? ` (+${labels.length - MAX_LISTED} more)` : '';
  return `signed: ${labels.slice(0, MAX_LISTED).join(', ')}${more}; `;
}

/**
 * Each signature with its coverage and signer, when there is more to say than one repo-wide
 * signature: several signatures, or one that covers a folder or a file.
 */
function signatureSummaries(out: SignedOutcome): { signatures?: SignatureSummary[] } {
  const sigs = out.signatures;
  if (!sigs || sigs.length === 0 || (sigs.length === 1 && sigs[0]?.scope.kind === 'repo')) return {};
  const counted = out.files.filter((f) => f.status !== 'ignored');
  return {
    signatures: sigs.map((s) => ({
      path: s.path,
      coverage: s.scope,
      signer: s.evidence.signer,
      rootDigest: s.evidence.rootDigest,
      files: counted.filter((f) => scopeCovers(s.scope, f.path)).length,
    })),
  };
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
  if (trust.pins.some((p) => sameSigner(p.signer, out.evidence.signer))) return false;
  // A signer the directory judges (the publisher's own, or another publisher's) is never pinned on first use.
  if (judgePublisher(check.repo, check.hub, out.evidence, policies.publishers, check.copyOf)) return false;
  return hasRoomForPin(trust, policies);
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
      const signed = { ...base, ...signatureSummaries(out) };
      // Signatures by different signers: no one signer vouches for the files (as for per-file ones).
      const other = otherSigner(out.signatures);
      if (other) {
        const failure: FailureInfo = { code: 'IDENTITY_MISMATCH', reason: `signatures are by different signers (${plainLine(other.path, 80)})` };
        return { verdict: { ...signed, state: 'invalid-signature', failure } };
      }
      return decideSigned(signed, out.evidence, out.files, uncoveredTest(out), out, check, trust, policies, expected);
    }
  }
}

function decideSigned(
  base: { subject: NonNullable<Verdict['subject']>; checkedAt: number; signatureFiles?: string[]; signatures?: SignatureSummary[] },
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
  // What the publishers' directory says about this signer, shown on every verdict below that has a signature.
  let publisher: PublisherJudgement | undefined;
  const withAgreed = (d: Decision): Decision => ({
    ...d,
    verdict: { ...d.verdict, agreed: agreedSources(facts), ...(publisher && publisher.kind !== 'undocumented' ? { publisher: publisher.note } : {}) },
  });

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
    // A CA policy accepts whatever its CA issued, and a public CA (DigiCert…) issues to many: once a
    // certificate subject is pinned here, another subject is a changed identity, not a second signer.
    const certPins = signer.kind === 'certificate' ? trust.pins.filter((p) => p.signer.kind === 'certificate') : [];
    if (certPins.length > 0 && !certPins.some((p) => p.signer.identity === signer.identity) && !hasRoomForPin(trust, policies)) {
      const failure: FailureInfo = {
        code: 'IDENTITY_MISMATCH',
        reason: `signed by ${describeSigner(signer)}, not by the certificate subject trusted before under your CA policy`,
        params: { signer: describeSigner(signer) },
      };
      return withAgreed({ verdict: { ...base, state: 'identity-changed', signature, files, previousSigners: certPins.map((p) => p.signer), failure } });
    }
    trustedSince = trust.pins.find((p) => sameSigner(p.signer, signer))?.since ?? match.createdAt;
    pinVia = 'policy';
    facts.policy = true;
    facts.pin = trust.pins.some((p) => sameSigner(p.signer, signer));
  } else {
    const pin = trust.pins.find((p) => sameSigner(p.signer, signer));
    publisher = judgePublisher(check.repo, check.hub, signature, policies.publishers, check.copyOf);
    if (pin) {
      trustedSince = pin.since;
      facts.pin = true;
    }
    else if (publisher?.kind === 'undocumented') {
      // A listed namespace is judged like an expected identity: only the signers its publisher documents.
      const entry = publisher.entry;
      const failure: FailureInfo = {
        code: 'IDENTITY_MISMATCH',
        reason: `signed by ${describeSigner(signer)}, not by a signer ${plainLine(entry.name, 80)} documents for ${plainLine(entry.namespace, 96)}`,
        params: { signer: describeSigner(signer) },
      };
      return withAgreed({ verdict: { ...base, state: 'identity-changed', signature, files, previousSigners: entry.signers.map(documentedAsSigner), failure } });
    }
    else if (publisher) {
      // The publisher's documented signer (no pin: the directory vouches, and IBM signs with two
      // identities), or another publisher's (a copy): neither becomes this repo's pin without the user.
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
  const copyOfOther = publisher?.kind === 'other' && !facts.pin ? publisher : undefined;
  if (copyOfOther && (changed.length > 0 || copyOfOther.copy === 'changed')) {
    // Another publisher's signature on other files: a modified copy (re-quantized, re-uploaded with
    // changes), worded apart from tampering of a publisher's own repo.
    const of = copyOfOther.note.original ? `${plainLine(copyOfOther.note.original, 96)}'s signed release` : `files signed by ${plainLine(copyOfOther.entry.name, 80)} (${plainLine(copyOfOther.entry.namespace, 96)})`;
    const failure: FailureInfo = {
      code: 'COPY_FILES_DIFFER',
      reason: `carries the signature of another model's files: these files differ from ${of}`,
      params: { signer: describeSigner(signer), ...(changed.length > 0 ? { count: changed.length, files: listPaths(changed) } : {}) },
    };
    // The signature may be the original's exact one; these files are not its files.
    publisher = { ...copyOfOther, note: { ...copyOfOther.note, relation: 'changed-copy' } };
    return withAgreed({ verdict: { ...base, state: 'files-changed', signature, files, failure } });
  }
  if (copyOfOther && copyOfOther.copy === 'unknown') {
    // Not shown to be the publisher's release: say whose signature it is; the user may accept it explicitly.
    const failure: FailureInfo = {
      code: 'SIGNER_NOT_OWNER',
      reason: `signed by ${plainLine(copyOfOther.entry.name, 80)} (${plainLine(copyOfOther.entry.namespace, 96)}), not by the owner of this repo (${plainLine(copyOfOther.note.owner, 96)})`,
      params: { signer: describeSigner(signer) },
    };
    return withAgreed({ verdict: { ...base, state: 'identity-changed', signature, files, previousSigners: [], failure } });
  }
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
      reason: `${signedParts(out)}${uncovered.length} file${uncovered.length === 1 ? ' is' : 's are'} covered by no signature: ${shown}`,
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
