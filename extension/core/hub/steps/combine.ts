/**
 * Step 5, combine: every signature's file results into one result per file of the revision. Where
 * several signatures speak for a file the worst result counts; a file no signature reported on is
 * `unsigned` ("no signature covers this file"), unless it is a signature file or git metadata. Which
 * `unsigned` file is merely uncovered and which was added after signing is decide()'s call (by scope).
 */
import type { FileResult, FileStatus, SignatureEvidence } from '../../verdict.js';
import type { TreeFile } from '../../hubs/adapter.js';
import type { RevisionOutcome, VerifiedSignature } from '../revision-check.js';
import type { SignatureLocation } from '../signature-locator.js';

/** One verified signature and the results of checking the files it speaks for (repo paths). */
export interface CheckedSignature {
  location: SignatureLocation;
  evidence: SignatureEvidence;
  files: FileResult[];
}

/** Lower is worse. */
const SEVERITY: Readonly<Record<FileStatus, number>> = { mismatch: 0, missing: 1, unsigned: 2, unchecked: 3, verified: 4, ignored: 5 };

function isGitMeta(path: string): boolean {
  const top = path.split('/')[0];
  return top === '.git' || top === '.gitattributes' || top === '.github' || top === '.gitignore';
}

export function combine(tree: readonly TreeFile[], checked: readonly CheckedSignature[], budgetExceeded: { limit: string } | undefined): RevisionOutcome {
  const byPath = new Map<string, FileResult>();
  for (const { files } of checked) {
    for (const r of files) {
      const had = byPath.get(r.path);
      if (!had || SEVERITY[r.status] < SEVERITY[had.status]) byPath.set(r.path, r);
    }
  }
  const signatureFiles = checked.map((c) => c.location.path);
  const sigSet = new Set(signatureFiles);
  // First the files some signature reported on (the first signature's order), then the rest of the tree.
  const files: FileResult[] = [...byPath.values()];
  for (const f of tree) {
    if (byPath.has(f.path)) continue;
    if (sigSet.has(f.path) || isGitMeta(f.path)) files.push({ path: f.path, status: 'ignored' });
    else files.push({ path: f.path, status: 'unsigned', reason: 'no signature covers this file' });
  }
  const signatures: VerifiedSignature[] = checked.map((c) => ({ path: c.location.path, scope: c.location.scope, evidence: c.evidence }));
  const first = checked[0] as CheckedSignature;
  return {
    status: 'signed',
    signatureFiles,
    evidence: first.evidence,
    files,
    ignoreUnsignedFiles: !checked.some((c) => c.location.scope.kind === 'repo'),
    signatures,
    ...(budgetExceeded ? { budgetExceeded } : {}),
  };
}
