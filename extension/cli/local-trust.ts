/**
 * `modelseal verify DIR --trust-store FILE --repo OWNER/NAME`: a copy on disk judged by the
 * extension's trust store exactly as the extension judges a hub revision. The signature is verified
 * without knowing its signer (verifyUnknownSigner, with the store's keys and CAs for the repo), the
 * files are compared with its manifest (checkFiles, as verify does), and the result goes through the
 * extension's decide() with the repo's pins, policies and k. A copy on disk is never the default
 * branch head, so it cannot make a first-use signer trusted: pin it or set a policy first.
 */
import { signatureFailureOutcome, failureFromError } from '../core/failure.js';
import { checkFiles } from '../core/files/check.js';
import type { ListedFile } from '../core/files/listing.js';
import { verifyUnknownSigner } from '../core/hub/verify-revision.js';
import type { RevisionCheck, RevisionOutcome } from '../core/hub/revision-check.js';
import type { RepoKind } from '../core/hubs/adapter.js';
import { decide } from '../core/trust/decide.js';
import type { Verdict } from '../core/verdict.js';
import type { SignatureCheck } from '../core/verify-model.js';
import { MODEL_SIG } from '../core/hub/signature-locator.js';
import { nodeHasher } from './node-hasher.js';
import { lockContentOf } from '../core/lock/content.js';
import { stateFor, type TrustSource } from './trust-source.js';

export interface LocalTrustInput {
  signatureBytes: Uint8Array;
  listing: readonly ListedFile[];
  ignorePaths: readonly string[];
  signaturePath: string | null;
  singleFile: boolean;
  trust: TrustSource;
  ref: { hub: string; kind: RepoKind; repo: string };
  trustedRoot?: unknown;
  path: string;
  concurrency: number;
}

/** The revision name a local copy gets in verdicts (never the default-revision placeholder). */
export const LOCAL_REVISION = 'local copy';

/** What the copy's signature and files show, before trust: the hub pipeline's RevisionOutcome. */
async function localOutcome(input: LocalTrustInput, sigName: string): Promise<RevisionOutcome> {
  const plan = input.trust.plan(input.ref.repo);
  let sc: SignatureCheck;
  try {
    sc = verifyUnknownSigner(input.signatureBytes, plan.publicKeyPems, input.trustedRoot, plan.caPems);
  } catch (e) {
    return signatureFailureOutcome(e, [sigName]);
  }
  try {
    const sizes = new Map(input.listing.map((f) => [f.path, f.size]));
    const files = await checkFiles(sc.manifest, input.listing, {
      ignorePaths: input.ignorePaths,
      signaturePath: input.signaturePath,
      singleFile: input.singleFile,
      hashers: nodeHasher,
      concurrency: input.concurrency,
    });
    return {
      status: 'signed',
      signatureFiles: [sigName],
      evidence: sc.evidence,
      files,
      ignoreUnsignedFiles: false,
      // Its signed content, so a lock in the trust source is compared as decide() compares a hub's.
      signatures: [{ path: sigName, scope: { kind: 'repo' }, evidence: sc.evidence, content: lockContentOf(sc.manifest, (p) => sizes.get(p)) }],
    };
  } catch (e) {
    return { status: 'unverifiable', failure: failureFromError(e), signatureFiles: [sigName] };
  }
}

export async function verifyLocalWithTrust(input: LocalTrustInput): Promise<Verdict> {
  const outcome = await localOutcome(input, input.signaturePath ?? MODEL_SIG);
  const check: RevisionCheck = { ...input.ref, revision: LOCAL_REVISION, checkedAt: Date.now(), outcome, requests: 0 };
  const { trust, policies } = stateFor(input.trust, check);
  const { verdict } = decide(check, trust, policies);
  return { ...verdict, subject: { ...verdict.subject, path: input.path } };
}
