/**
 * Base-model lineage: the models a repo's card names as its bases (`cardData.base_model`), each with
 * its own verdict at its default branch head, computed by the same revision checker (commit-keyed
 * cache, shared in-flight verifications) and judged by the same `decide()` as any repo.
 *
 * Who clicked what: the user opened the fine-tune, not its bases. A base's verdict is therefore
 * judged against what the user already trusts and is never recorded: no first-use pin, no history
 * entry, no alert. A valid signature by a signer no pin or policy names is reported as such
 * (`untrusted`), not as "verified, first use". The repo's own verdict never looks at its bases.
 */
import { DEFAULT_REVISION, type RevisionCheck } from '../core/hub/revision-check.js';
import { decide, type RepoTrustState } from '../core/trust/decide.js';
import type { PublisherDirectory } from '../core/publishers/directory.js';
import { unverifiableForError } from '../core/failure.js';
import { repoKey, type RevisionRef } from '../core/repo-ref.js';
import type { TrustStore } from '../core/trust/store.js';
import type { TrustDocument } from '../core/trust/types.js';
import type { Verdict } from '../core/verdict.js';
import type { BaseModelView, LineageView } from '../shared/messages.js';
import type { CheckResult } from './revision-checker.js';

/** Bases shown per repo (one level; the popup asks for the next level on request). */
export const MAX_BASES_SHOWN = 5;

export interface LineageDeps {
  check(ref: RevisionRef): Promise<CheckResult>;
  trust: Pick<TrustStore, 'snapshot'>;
  now: () => number;
  /** The publishers' directory in force (undefined: switched off), judged as on the base's own page. */
  publishers?: () => Promise<PublisherDirectory | undefined>;
}

/** The trust a repo has now, read-only (the same state `TrustStore.record` hands `decide`). */
function trustStateIn(doc: TrustDocument, check: RevisionCheck): RepoTrustState {
  const rec = doc.repos[repoKey({ hub: check.hub, kind: check.kind, repo: check.repo })];
  if (!rec) return { pins: [] };
  return { pins: rec.pins, ...(rec.signedSince !== undefined ? { signedSince: rec.signedSince } : {}), ...(rec.lock ? { lock: rec.lock.document } : {}) };
}

/** A verdict reduced to what a lineage row shows (no file list: a base can have thousands). */
function viewOf(repo: string, verdict: Verdict, untrusted: boolean, bases: number): BaseModelView {
  const view: BaseModelView = { repo, state: verdict.state, bases };
  if (verdict.subject?.commit) view.commit = verdict.subject.commit;
  if ('signature' in verdict && verdict.signature) view.signer = verdict.signature.signer;
  if ('failure' in verdict && verdict.failure) view.failure = verdict.failure;
  if (untrusted) view.untrusted = true;
  if ('publisher' in verdict && verdict.publisher) view.publisher = verdict.publisher;
  return view;
}

export class Lineage {
  constructor(private readonly deps: LineageDeps) {}

  /** The bases `ref`'s card names (first MAX_BASES_SHOWN), each judged at its default branch head. */
  async of(ref: RevisionRef): Promise<LineageView> {
    const { baseModels = [] } = await this.deps.check(ref);
    const shown = baseModels.filter((b) => b.toLowerCase() !== ref.repo.toLowerCase()).slice(0, MAX_BASES_SHOWN);
    const bases = await Promise.all(shown.map((repo) => this.base({ hub: ref.hub, kind: 'model', repo, revision: DEFAULT_REVISION })));
    return { repo: ref.repo, bases, more: Math.max(0, baseModels.length - shown.length) };
  }

  /** One base's verdict, judged without recording. Never throws: a failure is that base's state. */
  private async base(ref: RevisionRef): Promise<BaseModelView> {
    try {
      const { check: found, baseModels } = await this.deps.check(ref);
      // Resolved through the repo info endpoint just now: the default branch head.
      const check: RevisionCheck = { ...found, revision: DEFAULT_REVISION, atDefaultHead: true };
      delete check.defaultBranch;
      const doc = await this.deps.trust.snapshot();
      // Any pin decide() proposes is dropped: this view records nothing.
      const publishers = await this.deps.publishers?.();
      const { verdict } = decide(check, trustStateIn(doc, check), { signersPerRepo: doc.settings.signersPerRepo, expected: doc.expected, ...(publishers ? { publishers } : {}) });
      // "First use" would pin the signer on a page view; here nothing is pinned, so it is not trusted yet.
      return viewOf(ref.repo, verdict, verdict.state === 'verified-first-use', baseModels?.length ?? 0);
    } catch (e) {
      return viewOf(ref.repo, unverifiableForError(e, { checkedAt: this.deps.now(), subject: { repo: ref.repo } }), false, 0);
    }
  }
}
