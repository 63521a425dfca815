/**
 * One hub revision, end to end, in named steps (./steps/):
 *
 *   resolve (revision → commit and tree; default-head info) → locate signatures (root `model.sig`,
 *   Kaggle's `.kaggle/signing.json`, folder `model.sig`, per-file `<file>.sig`) → verify each
 *   signature → list and check the files each one speaks for → combine into one outcome.
 *
 * Returns a RevisionCheck; trust (pins, policies, whether the signers agree, which unsigned files are
 * merely uncovered) is applied afterwards by ../trust decide(). Downloads are bounded by a WorkBudget
 * and each distinct object is fetched and hashed once.
 */
import { systemClock, type Clock } from '../env.js';
import type { HasherFactory } from '../hash/types.js';
import type { HubClient, RepoKind } from '../hubs/adapter.js';
import type { RevisionCheck, RevisionOutcome } from './revision-check.js';
import type { SubtleVerify } from '../sigstore/preverify.js';
import { BudgetMeter, DEFAULT_WORK_BUDGET, createContentFetcher, type RevisionContext, type WorkBudget } from './steps/context.js';
import { failureFromError } from '../failure.js';
import { resolveRevision } from './steps/resolve.js';
import { locate } from './steps/locate.js';
import { verifySignatureFile, type SignatureMaterial } from './steps/verify-signature.js';
import { checkScope } from './steps/check-files.js';
import { combine, type CheckedSignature } from './steps/combine.js';
import { lockContentOf } from '../lock/content.js';
import { repoPathOf } from './signature-locator.js';
import { signedLocation } from './steps/signed-folder.js';

export { DEFAULT_WORK_BUDGET, type WorkBudget } from './steps/context.js';
export { verifyUnknownSigner } from './steps/verify-signature.js';
export { MAX_SIGNATURES, MODEL_SIG } from './signature-locator.js';

/**
 * Non-LFS files (or any file when the manifest does not hash with SHA-256) larger than this are not
 * fetched to hash in the browser: `unchecked`. The one default, used by the extension's settings too.
 */
export const DEFAULT_MAX_HASH_BYTES = 64 * 1024 * 1024;

export interface VerifyRevisionInput {
  client: HubClient;
  kind: RepoKind;
  repo: string;
  revision: string;
  /** Public keys the user named for this repo (key-signed bundles need one). */
  publicKeyPems?: readonly string[];
  /** CA certificates (PEM) the user named for this repo (certificate-mode bundles need one). */
  caPems?: readonly string[];
  /** trusted_root.json for Sigstore; default: production. */
  trustedRoot?: unknown;
  /** Non-LFS (or non-SHA-256) files larger than this are not fetched: `unchecked`. */
  maxHashBytes?: number;
  /** Download budget for this verification; default DEFAULT_WORK_BUDGET. */
  budget?: WorkBudget;
  hashers?: HasherFactory;
  /** WebCrypto for native-speed Sigstore signature checks (sigstore/preverify.ts); without it, pure JS. */
  subtle?: SubtleVerify;
  concurrency?: number;
  clock?: Clock;
}

export async function verifyRevision(input: VerifyRevisionInput): Promise<RevisionCheck> {
  const { client, kind, revision } = input;
  const clock = input.clock ?? systemClock;
  const startRequests = client.requestCount;
  const check: RevisionCheck = {
    hub: client.endpoint,
    kind,
    repo: input.repo,
    revision,
    checkedAt: clock.now(),
    outcome: { status: 'unverifiable', failure: { code: 'INTERNAL_ERROR', reason: 'not run' } },
    requests: 0,
  };
  const finish = (outcome: RevisionOutcome): RevisionCheck => {
    check.outcome = outcome;
    check.requests = client.requestCount - startRequests;
    return check;
  };

  // 1. Resolve.
  let ctx: RevisionContext;
  try {
    const r = await resolveRevision(client, kind, input.repo, revision);
    check.repo = r.repo;
    check.commit = r.commit;
    if (r.renamedFrom) check.renamedFrom = r.renamedFrom;
    if (r.atDefaultHead) check.atDefaultHead = true;
    if (r.defaultBranch) check.defaultBranch = r.defaultBranch;
    const maxHashBytes = input.maxHashBytes ?? DEFAULT_MAX_HASH_BYTES;
    const budget = new BudgetMeter(input.budget ?? DEFAULT_WORK_BUDGET);
    ctx = {
      client,
      kind,
      repo: r.repo,
      commit: r.commit,
      tree: r.tree,
      byPath: new Map(r.tree.map((f) => [f.path, f])),
      budget,
      content: createContentFetcher(client, kind, r.repo, r.commit, budget, maxHashBytes),
      maxHashBytes,
      ...(input.hashers ? { hashers: input.hashers } : {}),
      ...(input.subtle ? { subtle: input.subtle } : {}),
      concurrency: input.concurrency ?? 4,
    };
  } catch (e) {
    return finish({ status: 'unverifiable', failure: failureFromError(e) });
  }

  // 2. Locate.
  const located = locate(ctx.tree);
  if (!Array.isArray(located)) return finish(located);
  const signatureFiles = located.map((l) => l.path);
  const material: SignatureMaterial = { publicKeyPems: input.publicKeyPems ?? [], caPems: input.caPems ?? [], trustedRoot: input.trustedRoot };

  const checked: CheckedSignature[] = [];
  for (const location of located) {
    // 3. Verify each signature: the first that fails decides the outcome.
    const sc = await verifySignatureFile(ctx, location, material, signatureFiles);
    if ('status' in sc) return finish(sc);
    // A root model.sig made by signing a subfolder speaks for that folder (steps/signed-folder.ts).
    const at = signedLocation(location, sc.manifest, ctx.tree);
    // 4. List and check the files it speaks for.
    try {
      const files = await checkScope(ctx, at, sc);
      // Sizes as the tree lists them (not signed: a lock keeps them for information only).
      const content = lockContentOf(sc.manifest, (p) => (at.scope.kind === 'file' ? undefined : ctx.byPath.get(repoPathOf(at.scope, p))?.size));
      checked.push({ location: at, evidence: sc.evidence, files, content });
    } catch (e) {
      return finish({ status: 'unverifiable', failure: failureFromError(e), signatureFiles });
    }
  }

  // 5. Combine.
  return finish(combine(ctx.tree, checked, ctx.budget.exceeded ? { limit: ctx.budget.limit } : undefined));
}
