/**
 * Step 2, locate: which files of the tree are signatures and what each speaks for (the
 * SignatureLocator's rules), bounded by MAX_SIGNATURES.
 */
import type { TreeFile } from '../../hubs/adapter.js';
import type { RevisionOutcome } from '../revision-check.js';
import { MAX_SIGNATURES, locateSignatures, type SignatureLocation } from '../signature-locator.js';

/** The signatures to verify, or the outcome when there are none or too many. */
export function locate(tree: readonly TreeFile[]): SignatureLocation[] | RevisionOutcome {
  const found = locateSignatures(tree.map((f) => f.path));
  if (found.length === 0) return { status: 'unsigned' };
  if (found.length > MAX_SIGNATURES) {
    return {
      status: 'unverifiable',
      failure: { code: 'TOO_MANY_RESOURCES', reason: `more than ${MAX_SIGNATURES} signature files` },
      signatureFiles: found.map((l) => l.path),
    };
  }
  return found;
}
