/**
 * A hub revision checked the way the extension checks it, before any weights are fetched: the core's
 * verifyRevision (resolve → locate → verify each signature → compare the hub's listing), then the
 * extension's decide() with the CLI's trust source. Whether the commit is the default branch head is
 * settled as the extension's revision checker does (only the default head may be trusted on first
 * use). The verified manifests come back too: the downloader hashes against them, never against
 * anything the hub lists.
 */
import { ModelSealError } from '../core/errors.js';
import type { HasherFactory } from '../core/hash/types.js';
import type { HubClient, RepoKind, ResolvedRevision, TreeFile } from '../core/hubs/adapter.js';
import { findOriginal } from '../core/publishers/original.js';
import { DEFAULT_REVISION, type RevisionCheck } from '../core/hub/revision-check.js';
import { verifyRevision, verifyUnknownSigner } from '../core/hub/verify-revision.js';
import { KAGGLE_SIGNATURE, type SignatureScope } from '../core/hub/signature-locator.js';
import type { FileResult } from '../core/verdict.js';
import type { SignedManifest } from '../core/oms/manifest.js';
import { decide, wouldPinOnFirstUse, type Decision } from '../core/trust/decide.js';
import { sameSigner } from '../core/trust/signer.js';
import { stateFor, type TrustSource } from './trust-source.js';

export interface HubCheck {
  check: RevisionCheck;
  decision: Decision;
  /** Every verified signature's manifest with its scope (empty unless the revision is signed). */
  signed: Array<{ path: string; scope: SignatureScope; manifest: SignedManifest }>;
  /** The signature files' verified bytes, by repo path. */
  signatureBytes: Map<string, Uint8Array>;
  /** Listed size of every file at the commit. */
  sizes: Map<string, number>;
}

/** Keeps what verifyRevision fetched that the download needs again: the tree and the signature bytes. */
class RecordingClient implements HubClient {
  tree: TreeFile[] = [];
  /** The first resolution (the checked revision's): its card's base models name candidate originals. */
  resolution?: ResolvedRevision;
  readonly fetched = new Map<string, Uint8Array>();
  constructor(private readonly inner: HubClient) {}
  get endpoint() {
    return this.inner.endpoint;
  }
  get requestCount() {
    return this.inner.requestCount;
  }
  fileUrl(kind: RepoKind, repo: string, commit: string, path: string) {
    return this.inner.fileUrl(kind, repo, commit, path);
  }
  async resolveRevision(kind: RepoKind, repo: string, revision: string) {
    const r = await this.inner.resolveRevision(kind, repo, revision);
    this.resolution ??= r;
    return r;
  }
  async resolveDefaultHead(kind: RepoKind, repo: string) {
    const r = await this.inner.resolveDefaultHead(kind, repo);
    this.resolution ??= r;
    return r;
  }
  async listTree(kind: RepoKind, repo: string, commit: string) {
    this.tree = await this.inner.listTree(kind, repo, commit);
    return this.tree;
  }
  async fetchFile(kind: RepoKind, repo: string, commit: string, path: string, maxBytes: number) {
    const bytes = await this.inner.fetchFile(kind, repo, commit, path, maxBytes);
    if (path.endsWith('.sig') || path === KAGGLE_SIGNATURE) this.fetched.set(path, bytes);
    return bytes;
  }
}

export interface HubCheckInput {
  client: HubClient;
  kind: RepoKind;
  repo: string;
  /** Undefined: the default branch head. */
  revision?: string;
  trust: TrustSource;
  trustedRoot?: unknown;
  hashers?: HasherFactory;
  /** Files the listing cannot settle are fetched and hashed up to this size (verifyRevision's rule). */
  maxHashBytes?: number;
}

export async function checkHubRevision(input: HubCheckInput): Promise<HubCheck> {
  const client = new RecordingClient(input.client);
  const plan = input.trust.plan(input.repo);
  const found = await verifyRevision({
    client,
    kind: input.kind,
    repo: input.repo,
    revision: input.revision ?? DEFAULT_REVISION,
    publicKeyPems: plan.publicKeyPems,
    caPems: plan.caPems,
    ...(input.trustedRoot !== undefined ? { trustedRoot: input.trustedRoot } : {}),
    ...(input.hashers ? { hashers: input.hashers } : {}),
    ...(input.maxHashBytes !== undefined ? { maxHashBytes: input.maxHashBytes } : {}),
  });
  const check: RevisionCheck = { ...found };
  const { trust, policies } = stateFor(input.trust, check);
  // As the extension's revision checker: a named revision is compared with the default head only
  // when a first-use pin would otherwise follow; a failed lookup leaves it unknown (no first use).
  if (input.revision !== undefined && check.commit && check.outcome.status === 'signed' && wouldPinOnFirstUse(check, trust, policies)) {
    const head = await input.client.resolveDefaultHead(input.kind, check.repo).catch(() => undefined);
    check.atDefaultHead = head?.commit === check.commit;
    if (head?.defaultBranch) check.defaultBranch = head.defaultBranch;
  }
  // Another publisher's signer on this repo: its candidate original's own signature, for decide().
  if (policies.publishers && check.outcome.status === 'signed') {
    const baseModels = client.resolution?.baseModels;
    const copyOf = await findOriginal({
      client: input.client,
      hub: check.hub,
      kind: input.kind,
      repo: check.repo,
      signature: check.outcome.evidence,
      directory: policies.publishers,
      ...(baseModels ? { baseModels } : {}),
      ...(input.trustedRoot !== undefined ? { trustedRoot: input.trustedRoot } : {}),
    }).catch(() => undefined);
    if (copyOf) check.copyOf = copyOf;
  }
  const decision = decide(check, trust, policies);

  const signed: HubCheck['signed'] = [];
  const signatureBytes = new Map<string, Uint8Array>();
  const out = check.outcome;
  if (out.status === 'signed') {
    const signatures = out.signatures ?? [{ path: out.signatureFiles[0] as string, scope: { kind: 'repo' as const }, evidence: out.evidence }];
    for (const s of signatures) {
      const bytes = client.fetched.get(s.path);
      if (!bytes) throw new ModelSealError('INTERNAL_ERROR', `signature ${s.path} was verified but its bytes were not kept`);
      // Verified again here to hold its manifest: it must be the very signature verifyRevision judged.
      const sc = verifyUnknownSigner(bytes, plan.publicKeyPems, input.trustedRoot, plan.caPems);
      if (sc.evidence.rootDigest !== s.evidence.rootDigest || !sameSigner(sc.evidence.signer, s.evidence.signer)) {
        throw new ModelSealError('INTERNAL_ERROR', `signature ${s.path} changed between two verifications`);
      }
      signed.push({ path: s.path, scope: s.scope, manifest: sc.manifest });
      signatureBytes.set(s.path, bytes);
    }
  }
  return { check, decision, signed, signatureBytes, sizes: new Map(client.tree.map((f) => [f.path, f.size])) };
}

/** decide() again, on the check with the given per-file results (after the bytes were hashed). */
export function redecide(hub: HubCheck, files: FileResult[], hashedHere: ReadonlySet<string>, trust: TrustSource): Decision {
  const out = hub.check.outcome;
  if (out.status !== 'signed') return hub.decision;
  // The bytes just hashed are a source of their own, beside the hub's listed digests.
  const bytesHashed = files.filter((f) => f.status === 'verified' && hashedHere.has(f.path)).length;
  const verifiedBy = { hubDigests: out.verifiedBy?.hubDigests ?? 0, bytesHashed };
  const check: RevisionCheck = { ...hub.check, outcome: { ...out, files, verifiedBy } };
  const { trust: state, policies } = stateFor(trust, check);
  return decide(check, state, policies);
}
