/**
 * What the publishers' directory says about a verified signer on a repo. Pure: decide() applies it.
 * The repo's own namespace speaks first; only then is the signer looked up among other publishers.
 */
import type { CopyCandidate } from '../hub/revision-check.js';
import type { PublisherNote, SignatureEvidence } from '../verdict.js';
import { sameSigner } from '../trust/signer.js';
import { entryForRepo, namespaceOf, publishersOf, type PublisherDirectory, type PublisherEntry } from './directory.js';

export type PublisherJudgement =
  /** The repo's namespace is listed and documents this signer. */
  | { kind: 'documented'; entry: PublisherEntry; note: PublisherNote }
  /** The repo's namespace is listed and does not document this signer. */
  | { kind: 'undocumented'; entry: PublisherEntry }
  /** Another publisher's documented signer: an exact copy of its original's signed release, or not. */
  | { kind: 'other'; entry: PublisherEntry; copy: 'exact' | 'changed' | 'unknown'; note: PublisherNote };

function sourceOf(entry: PublisherEntry): PublisherNote['source'] {
  return { kind: entry.source.kind, url: entry.source.urls[0]!, checked: entry.source.checked };
}

/**
 * The copy relation from the candidate original's verified signature: the same signer over the same
 * root digest is the same signed release; the same signer over another root digest is another
 * model's (or release's) files. Anything else proves nothing.
 */
function copyRelation(signature: SignatureEvidence, candidate: CopyCandidate | undefined): 'exact' | 'changed' | 'unknown' {
  if (!candidate || candidate.status !== 'signed' || !candidate.signer || !candidate.rootDigest) return 'unknown';
  if (!sameSigner(candidate.signer, signature.signer)) return 'unknown';
  return candidate.rootDigest === signature.rootDigest ? 'exact' : 'changed';
}

export function judgePublisher(
  repo: string,
  hub: string | undefined,
  signature: SignatureEvidence,
  dir: PublisherDirectory | undefined,
  candidate: CopyCandidate | undefined,
): PublisherJudgement | undefined {
  if (!dir) return undefined;
  const owner = namespaceOf(repo);
  const own = entryForRepo(dir, repo, hub);
  if (own) {
    if (publishersOf({ format: dir.format, publishers: [own] }, signature.signer, hub).length > 0) {
      return { kind: 'documented', entry: own, note: { relation: 'documented', name: own.name, namespace: own.namespace, owner, source: sourceOf(own) } };
    }
    return { kind: 'undocumented', entry: own };
  }
  const others = publishersOf(dir, signature.signer, hub);
  // The candidate original names which publisher the copy is of, when the signer is documented for several.
  const entry = (candidate && others.find((p) => p.namespace.toLowerCase() === namespaceOf(candidate.repo).toLowerCase())) ?? others[0];
  if (!entry) return undefined;
  const copy = copyRelation(signature, candidate);
  const relation: PublisherNote['relation'] = copy === 'exact' ? 'exact-copy' : copy === 'changed' ? 'changed-copy' : 'other-publisher';
  return {
    kind: 'other',
    entry,
    copy,
    note: { relation, name: entry.name, namespace: entry.namespace, owner, ...(candidate && copy !== 'unknown' ? { original: candidate.repo } : {}), source: sourceOf(entry) },
  };
}
