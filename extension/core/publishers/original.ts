/**
 * Finding the original of a copy: a repo signed by another publisher's documented signer. Candidates
 * come from the model card's base models (the owner's claim) and the publisher's namespace with the
 * same model name; each candidate's `model.sig` at its default branch is fetched and verified (a
 * hub answer alone proves nothing), so decide() can compare manifest root digests. Bounded: at most
 * MAX_CANDIDATES repos, two requests each.
 */
import type { HubClient, RepoKind } from '../hubs/adapter.js';
import type { CopyCandidate } from '../hub/revision-check.js';
import type { SignatureEvidence } from '../verdict.js';
import type { SubtleVerify } from '../sigstore/preverify.js';
import { withPreverifiedSignatures } from '../sigstore/preverify.js';
import { MAX_BUNDLE_BYTES } from '../oms/limits.js';
import { MODEL_SIG } from '../hub/signature-locator.js';
import { verifyUnknownSigner } from '../hub/steps/verify-signature.js';
import { asModelSealError } from '../errors.js';
import { sameSigner } from '../trust/signer.js';
import { entryForRepo, namespaceOf, publishersOf, type PublisherDirectory } from './directory.js';

export const MAX_CANDIDATES = 3;

export interface FindOriginalInput {
  client: HubClient;
  hub?: string;
  kind: RepoKind;
  /** The repo that carries the signature (the possible copy). */
  repo: string;
  signature: SignatureEvidence;
  directory: PublisherDirectory | undefined;
  /** The card's base models (ResolvedRevision.baseModels): a claim, checked here like any candidate. */
  baseModels?: readonly string[];
  trustedRoot?: unknown;
  subtle?: SubtleVerify;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Where the original may be, best first: base models inside a namespace that documents the signer,
 * then that namespace with this repo's model name. Never the repo itself; at most MAX_CANDIDATES.
 */
export function originalCandidates(repo: string, namespaces: readonly string[], baseModels: readonly string[] = []): string[] {
  const name = repo.slice(repo.indexOf('/') + 1);
  const out: string[] = [];
  const add = (id: string) => {
    if (!same(id, repo) && !out.some((o) => same(o, id))) out.push(id);
  };
  for (const b of baseModels) if (namespaces.some((ns) => same(namespaceOf(b), ns))) add(b);
  for (const ns of namespaces) add(`${ns}/${name}`);
  return out.slice(0, MAX_CANDIDATES);
}

/** One candidate's own signature at its default branch head, verified for any signer. */
async function candidateSignature(input: FindOriginalInput, candidate: string): Promise<CopyCandidate> {
  let head;
  try {
    head = await input.client.resolveDefaultHead(input.kind, candidate);
  } catch {
    return { repo: candidate, status: 'unavailable' };
  }
  let bytes: Uint8Array;
  try {
    bytes = await input.client.fetchFile(input.kind, head.repo, head.commit, MODEL_SIG, MAX_BUNDLE_BYTES);
  } catch (e) {
    return { repo: head.repo, status: asModelSealError(e, 'NETWORK_ERROR').code === 'NOT_FOUND' ? 'unsigned' : 'unavailable' };
  }
  try {
    const check = await withPreverifiedSignatures(() => verifyUnknownSigner(bytes, [], input.trustedRoot), input.subtle);
    return { repo: head.repo, status: 'signed', signer: check.evidence.signer, rootDigest: check.evidence.rootDigest };
  } catch {
    return { repo: head.repo, status: 'unavailable' };
  }
}

/**
 * The candidate original for a copy, or undefined when the directory has nothing to say (the repo's
 * own namespace is listed, or no publisher documents the signer). The first candidate signed by the
 * same signer wins; else the first candidate's finding (unsigned or unavailable).
 */
export async function findOriginal(input: FindOriginalInput): Promise<CopyCandidate | undefined> {
  if (!input.directory || entryForRepo(input.directory, input.repo, input.hub)) return undefined;
  const namespaces = publishersOf(input.directory, input.signature.signer, input.hub).map((p) => p.namespace);
  if (namespaces.length === 0) return undefined;
  let first: CopyCandidate | undefined;
  for (const candidate of originalCandidates(input.repo, namespaces, input.baseModels)) {
    const found = await candidateSignature(input, candidate);
    if (found.status === 'signed' && found.signer && sameSigner(found.signer, input.signature.signer)) return found;
    first ??= found;
  }
  return first;
}
