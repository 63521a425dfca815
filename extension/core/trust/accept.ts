/**
 * Accepting a new signer for a repo after an identity change: what it changes (the pin, and any
 * policy that names another signer for this repo), computed the same way for the preview the user
 * sees and for the change itself. A policy always wins over pins in decide(), so pinning alone would
 * leave the repo "identity changed" forever: the policy is changed too, the way the user chose.
 */
import { ModelSealError } from '../errors.js';
import type { Signer } from '../verdict.js';
import { LIMITS, parseExpected } from './schema.js';
import { expectedFor, matchesExpected, sameSigner } from './signer.js';
import { repoKey, type ExpectedIdentity, type RepoRef, type TrustDocument } from './types.js';

/** `replace`: the scope's policy now expects the new signer. `exception`: a policy for this repo alone (owner/* scopes). */
export type PolicyChoice = 'replace' | 'exception';
export const POLICY_CHOICES: readonly PolicyChoice[] = ['replace', 'exception'];

export interface AcceptPlan {
  repo: string;
  signer: Signer;
  /** The word to type: the repo name. */
  confirmation: string;
  pin: {
    /** False when the signer is already pinned. */
    add: boolean;
    /** Pins that make way for it (k signers per repo). */
    drop: Signer[];
  };
  /** Present when policies for this repo expect other signers. */
  policy?: {
    scope: string;
    /** The policies in force for this repo (all naming other signers). */
    current: ExpectedIdentity[];
    /** What the policy would expect instead; absent when this signer cannot be named in a policy. */
    replacement?: ExpectedIdentity;
    /** Empty: the user must edit the policy in the trust settings. */
    choices: PolicyChoice[];
  };
}

/** What accepting `signer` for `ref` would change in `doc`. Throws IDENTITY_MISMATCH for a signer never seen there. */
export function planAccept(doc: TrustDocument, ref: RepoRef, signer: Signer, now: number): AcceptPlan {
  const rec = doc.repos[repoKey(ref)];
  if (!rec || !rec.history.some((h) => h.signer && sameSigner(h.signer, signer))) {
    throw new ModelSealError('IDENTITY_MISMATCH', 'this signer was not seen on this repo');
  }
  const pinned = rec.pins.some((p) => sameSigner(p.signer, signer));
  const k = doc.settings.signersPerRepo;
  const kept = pinned ? rec.pins : [...rec.pins, { signer }].slice(-k);
  const plan: AcceptPlan = {
    repo: rec.repo,
    signer,
    confirmation: rec.repo,
    pin: { add: !pinned, drop: pinned ? [] : rec.pins.filter((p) => !kept.includes(p)).map((p) => p.signer) },
  };
  const expected = expectedFor(rec.repo, doc.expected);
  if (expected.length > 0 && !expected.some((e) => matchesExpected(signer, e))) {
    const scope = expected[0]!.scope;
    const replacement = policyFor(signer, scope, now);
    const choices: PolicyChoice[] = !replacement ? [] : scope.endsWith('/*') ? ['replace', 'exception'] : ['replace'];
    plan.policy = { scope, current: expected, choices, ...(replacement ? { replacement } : {}) };
  }
  return plan;
}

/** Applies a plan (made by planAccept on this same document) to `doc`, with the user's policy choice. */
export function applyAccept(doc: TrustDocument, ref: RepoRef, plan: AcceptPlan, choice: PolicyChoice | undefined, now: number, shownScope?: string): void {
  const rec = doc.repos[repoKey(ref)]!;
  const p = plan.policy;
  if (p) {
    if (!p.replacement || p.choices.length === 0) {
      throw new ModelSealError('POLICY_CONFLICT', `your policy for ${p.scope} expects another signer, and this one cannot be named in a policy: edit the policy in the trust settings`);
    }
    if (!choice || !p.choices.includes(choice)) {
      throw new ModelSealError('POLICY_CONFLICT', `your policy for ${p.scope} expects another signer: choose how to change it`);
    }
    // The choice was made for the policy the user saw; if another one applies now, show it first.
    if (shownScope !== undefined && shownScope.toLowerCase() !== p.scope.toLowerCase()) {
      throw new ModelSealError('POLICY_CONFLICT', `the policy for this repo is now ${p.scope}, not ${shownScope}: review the change again`);
    }
    if (choice === 'replace') {
      const scope = p.scope.toLowerCase();
      doc.expected = [...doc.expected.filter((e) => e.scope.toLowerCase() !== scope), p.replacement];
    } else {
      if (doc.expected.length >= LIMITS.expected) throw new ModelSealError('STORE_INVALID', 'too many policies');
      doc.expected = [...doc.expected, { ...p.replacement, scope: rec.repo }];
    }
  }
  if (plan.pin.add) {
    rec.pins = [...rec.pins, { signer: plan.signer, since: now, via: 'accepted' as const }].slice(-doc.settings.signersPerRepo);
  }
  for (const a of doc.alerts) if (repoKey(a) === repoKey(rec) && a.state === 'identity-changed') a.read = true;
}

/** An exact Sigstore policy naming this signer, or undefined when it cannot be one (keys and CAs need their material). */
function policyFor(signer: Signer, scope: string, now: number): ExpectedIdentity | undefined {
  if (signer.kind !== 'sigstore' || !signer.identity || !signer.issuer) return undefined;
  try {
    return parseExpected({ kind: 'sigstore', scope, identity: signer.identity, issuer: signer.issuer, glob: false, createdAt: now }, 'policy');
  } catch {
    return undefined; // e.g. longer than a policy may be
  }
}
