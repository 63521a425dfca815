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
import type { LockContent } from '../../lock/types.js';
import { hubDigestUsable } from './check-files.js';

/** One verified signature and the results of checking the files it speaks for (repo paths). */
export interface CheckedSignature {
  location: SignatureLocation;
  evidence: SignatureEvidence;
  files: FileResult[];
  /** What it signed, as a lock names it. */
  content?: LockContent;
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
  const signatures: VerifiedSignature[] = checked.map((c) => ({
    path: c.location.path,
    scope: c.location.scope,
    evidence: c.evidence,
    ...(c.content ? { content: c.content } : {}),
  }));
  const first = checked[0] as CheckedSignature;
  return {
    status: 'signed',
    signatureFiles,
    evidence: first.evidence,
    files,
    ignoreUnsignedFiles: !checked.some((c) => c.location.scope.kind === 'repo'),
    signatures,
    ...(budgetExceeded ? { budgetExceeded } : {}),
    verifiedBy: verifiedBy(tree, checked, files),
  };
}

/**
 * How many verified files the hub's listed digest vouched for and how many were hashed here: the
 * check-files rule (hubDigestUsable) applied with the manifest of the signature that covers the file.
 */
function verifiedBy(tree: readonly TreeFile[], checked: readonly CheckedSignature[], files: readonly FileResult[]): { hubDigests: number; bytesHashed: number } {
  const byPath = new Map(tree.map((f) => [f.path, f]));
  // For each verified path, the manifest settings of the first signature that verified it.
  const verifiedWith = new Map<string, NonNullable<CheckedSignature['content']>['manifest']>();
  for (const c of checked) {
    if (!c.content) continue;
    for (const r of c.files) if (r.status === 'verified' && !verifiedWith.has(r.path)) verifiedWith.set(r.path, c.content.manifest);
  }
  let hubDigests = 0;
  let bytesHashed = 0;
  for (const r of files) {
    const f = byPath.get(r.path);
    const s = verifiedWith.get(r.path);
    // Never claim a source that was not used: without the covering manifest, count nothing.
    if (r.status !== 'verified' || !f || !s) continue;
    if (hubDigestUsable(f, s)) hubDigests++;
    else bytesHashed++;
  }
  return { hubDigests, bytesHashed };
}
