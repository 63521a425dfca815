/** Making a lock from a revision whose signature verified. */
import { ModelSealError } from '../errors.js';
import type { RepoKind } from '../hubs/adapter.js';
import type { SignatureEvidence } from '../verdict.js';
import { validateLock } from './parse.js';
import { LOCK_FORMAT, LOCK_VERSION, type LockContent, type LockDocument } from './types.js';

export interface CreateLockInput {
  hub: string;
  kind: RepoKind;
  repo: string;
  commit: string;
  /** The verified signature's evidence: its signer and the root digest it signed. */
  evidence: SignatureEvidence;
  /** The same signature's manifest as lock content (lockContentOf). */
  content: LockContent;
}

/**
 * The lock for one verified revision. Refuses content whose root is not the one the signature covers,
 * and runs the result through the same validation a lock file gets (a lock we write is one we read).
 */
export function createLock(input: CreateLockInput): LockDocument {
  if (input.content.manifest.rootDigest !== input.evidence.rootDigest) {
    throw new ModelSealError('LOCK_INVALID', 'the manifest given is not the one the signature covers (root digests differ)');
  }
  return validateLock({
    format: LOCK_FORMAT,
    version: LOCK_VERSION,
    hub: input.hub,
    kind: input.kind,
    repo: input.repo,
    commit: input.commit,
    signer: { ...input.evidence.signer },
    manifest: { ...input.content.manifest, ignorePaths: [...input.content.manifest.ignorePaths] },
    files: input.content.files.map((f) => ({ ...f, ...(f.range ? { range: { ...f.range } } : {}) })),
  });
}
