/**
 * One hub revision, end to end: revision → commit → tree → signature(s) at that commit → verify →
 * files checked against the signed manifest (LFS files by their listed SHA-256, small non-LFS files
 * fetched and hashed, big ones left `unchecked` with a pointer to the on-disk check). Returns a
 * RevisionCheck; trust (pins, policies) is applied afterwards by ../trust decide().
 * DEFAULT_REVISION (a page naming no revision) resolves through the repo info endpoint. Downloads are
 * bounded by a WorkBudget and each distinct object is fetched and hashed once.
 */
import { ModelSealError, asModelSealError, type ErrorCode } from '../errors.js';
import { systemClock, type Clock } from '../env.js';
import { parseBundle, type ParsedBundle } from '../oms/bundle.js';
import { MAX_BUNDLE_BYTES } from '../oms/limits.js';
import type { SignedManifest } from '../oms/manifest.js';
import type { HasherFactory } from '../hash/types.js';
import { digestHex } from '../hash/digest.js';
import { bytesToHex } from '../hash/hex.js';
import type { ListedFile } from '../files/listing.js';
import { checkFiles, verdictForError, verifySignatureOnly, type SignatureCheck } from '../verify-model.js';
import type { FailureInfo, FileResult } from '../verdict.js';
import type { HubClient, TreeFile } from './client.js';
import type { RepoKind } from './page-url.js';
import { DEFAULT_REVISION, type RevisionCheck, type RevisionOutcome } from './revision-check.js';
import { plainLine } from '../display/identity-text.js';

/**
 * Non-LFS files (or any file when the manifest does not hash with SHA-256) larger than this are not
 * fetched to hash in the browser: `unchecked`. The one default, used by the extension's settings too.
 */
export const DEFAULT_MAX_HASH_BYTES = 64 * 1024 * 1024;
export const MODEL_SIG = 'model.sig';
/** Per-file signatures verified per revision at most (each costs a request and a verification). */
export const MAX_PER_FILE_SIGNATURES = 64;

/**
 * What one verification may download (signature files and file contents to hash; the revision and
 * tree API calls are bounded by the client's tree cap). Beyond it files stay `unchecked` and the
 * repo is not green. The defaults keep a 10,000-file repo (300 small config files) far inside.
 */
export interface WorkBudget {
  /** Bytes downloaded per verification. */
  maxBytes: number;
  /** Downloads per verification (each distinct object counts once). */
  maxRequests: number;
}
export const DEFAULT_WORK_BUDGET: Readonly<WorkBudget> = { maxBytes: 128 * 1024 * 1024, maxRequests: 500 };

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
  concurrency?: number;
  clock?: Clock;
}

/** Error text can quote hostile input (identities, paths): one plain line, hidden characters shown. */
function oneLine(s: string): string {
  return plainLine(s.replace(/[\t\n\r ]+/g, ' ').trim(), 500);
}

function failureOf(e: unknown): FailureInfo {
  const err = asModelSealError(e, 'INTERNAL_ERROR');
  return { code: err.code, reason: oneLine(err.message) };
}

/** Failures of our own environment, not of the signature's bytes: never a reason to distrust a signature. */
const ENVIRONMENT_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'TRUSTED_ROOT_INVALID', 'INTERNAL_ERROR', 'IO_ERROR', 'NETWORK_ERROR', 'RATE_LIMITED', 'AUTH_REQUIRED',
  'NOT_FOUND', 'RESPONSE_TOO_LARGE', 'RESPONSE_MALFORMED', 'TIMEOUT', 'WORK_BUDGET_EXCEEDED',
]);

/**
 * Failures of a signature whose bytes we hold split into "the signature is bad" (red) and "cannot be
 * checked here" (amber, marked `signatureUncheckable` so decide() can make it red for a pinned repo).
 */
function signatureFailure(e: unknown, signatureFiles: string[]): RevisionOutcome {
  const v = verdictForError(e, { checkedAt: 0 });
  const failure = v.state === 'unverifiable' || v.state === 'invalid-signature' ? { code: v.failure.code, reason: oneLine(v.failure.reason) } : failureOf(e);
  if (v.state !== 'unverifiable') return { status: 'invalid-signature', failure, signatureFiles };
  return ENVIRONMENT_CODES.has(failure.code) ? { status: 'unverifiable', failure, signatureFiles } : { status: 'unverifiable', failure, signatureFiles, signatureUncheckable: true };
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round(n / (1024 * 1024))} MiB` : n >= 1024 ? `${Math.round(n / 1024)} KiB` : `${n} bytes`;
}

/** Counts downloads and their listed sizes against the budget; refuses the one that would cross it. */
class BudgetMeter {
  private bytes = 0;
  private requests = 0;
  exceeded = false;
  constructor(readonly limits: WorkBudget) {}

  get limit(): string {
    return `${this.limits.maxRequests} downloads, ${formatBytes(this.limits.maxBytes)}`;
  }

  take(size: number): void {
    if (this.requests + 1 > this.limits.maxRequests || this.bytes + size > this.limits.maxBytes) {
      this.exceeded = true;
      throw new ModelSealError('WORK_BUDGET_EXCEEDED', `not fetched: the per-check download budget (${this.limit}) is used up`);
    }
    this.requests++;
    this.bytes += size;
  }
}

/** Same content, same key: the LFS SHA-256, else the git blob id (a hash of the bytes), else the path. */
function contentKey(f: TreeFile): string {
  return f.lfs ? `lfs:${f.lfs.sha256}` : f.oid ? `git:${f.oid}` : `path:${f.path}`;
}

/** Fetches each distinct object once per verification and hashes each (object, algorithm, range) once. */
interface ContentFetcher {
  bytes(f: TreeFile): Promise<Uint8Array>;
  digest(f: TreeFile, key: string, compute: () => Promise<string>): Promise<string>;
}

/**
 * Verifies a bundle without knowing its signer in advance: key bundles with the user's keys;
 * Sigstore bundles with every check but the identity policy, reading the signer from the verified
 * certificate (decide() judges it); certificate-mode bundles (no log entry) with the user's CAs.
 */
export function verifyUnknownSigner(
  bytes: Uint8Array,
  publicKeyPems: readonly string[],
  trustedRoot: unknown,
  caPems: readonly string[] = [],
): SignatureCheck {
  let bundle: ParsedBundle;
  try {
    bundle = parseBundle(bytes);
  } catch (e) {
    throw asModelSealError(e, 'BUNDLE_MALFORMED');
  }
  if (bundle.material.kind === 'public-key') {
    if (publicKeyPems.length === 0) {
      throw new ModelSealError('VERIFICATION_MATERIAL_UNSUPPORTED', "signed with a key: add the signer's public key for this repo to check it");
    }
    let last: unknown;
    for (const publicKeyPem of publicKeyPems) {
      try {
        return verifySignatureOnly(bytes, { kind: 'key', publicKeyPem });
      } catch (e) {
        last = e;
      }
    }
    throw asModelSealError(last, 'SIGNATURE_INVALID');
  }
  if (bundle.tlogEntryCount === 0) {
    // No transparency log: a certificate-mode signature, checkable only against the user's own CAs.
    if (caPems.length === 0) {
      throw new ModelSealError('VERIFICATION_MATERIAL_UNSUPPORTED', "signed with a private certificate authority: add that CA's certificate for this repo to check it");
    }
    return verifySignatureOnly(bytes, { kind: 'certificate', caPems });
  }
  return verifySignatureOnly(bytes, { kind: 'sigstore', anyIdentity: true, ...(trustedRoot !== undefined ? { trustedRoot } : {}) });
}

/** SHA-256 at native speed where WebCrypto exists (service workers, Node); else undefined. */
function webCryptoSha256(): ((bytes: Uint8Array) => Promise<Uint8Array>) | undefined {
  const subtle = (globalThis as { crypto?: { subtle?: SubtleCrypto } }).crypto?.subtle;
  if (!subtle) return undefined;
  return async (bytes) => new Uint8Array(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}

function listed(
  f: TreeFile,
  path: string,
  manifest: SignedManifest,
  content: ContentFetcher,
  maxHashBytes: number,
  hashers: HasherFactory | undefined,
): ListedFile {
  const l: ListedFile = { path, size: f.size };
  // The Hub's lfs.oid is the SHA-256 of the content: usable only when the manifest hashes with SHA-256.
  if (f.lfs && manifest.serialization.hashType === 'sha256' && manifest.serialization.method === 'files') {
    l.digests = { sha256: f.lfs.sha256 };
  } else if (f.size <= maxHashBytes) {
    const sha256 = hashers ? undefined : webCryptoSha256();
    l.hash = async (alg, range) => {
      const all = await content.bytes(f);
      if (all.length !== f.size) throw new ModelSealError('IO_ERROR', `the hub served ${all.length} bytes, its listing says ${f.size}`);
      return content.digest(f, `${alg}|${range ? `${range.start}:${range.end}` : '*'}`, async () => {
        const data = range ? all.subarray(range.start, range.end) : all;
        if (alg === 'sha256' && sha256) return bytesToHex(await sha256(data));
        return digestHex(alg, data, hashers);
      });
    };
  } else {
    l.unhashableReason = `too large to hash here (${f.size} bytes): check the model on disk with \`modelseal verify\``;
  }
  return l;
}

export async function verifyRevision(input: VerifyRevisionInput): Promise<RevisionCheck> {
  const { client, kind, revision } = input;
  const clock = input.clock ?? systemClock;
  const checkedAt = clock.now();
  const startRequests = client.requestCount;
  const maxHashBytes = input.maxHashBytes ?? DEFAULT_MAX_HASH_BYTES;
  const check: RevisionCheck = {
    hub: client.endpoint,
    kind,
    repo: input.repo,
    revision,
    checkedAt,
    outcome: { status: 'unverifiable', failure: { code: 'INTERNAL_ERROR', reason: 'not run' } },
    requests: 0,
  };
  const finish = (outcome: RevisionOutcome): RevisionCheck => {
    check.outcome = outcome;
    check.requests = client.requestCount - startRequests;
    return check;
  };

  let tree: TreeFile[];
  try {
    // A page naming no revision shows the default branch: ask the repo info endpoint for its head.
    const resolved = revision === DEFAULT_REVISION ? await client.resolveDefaultHead(kind, input.repo) : await client.resolveRevision(kind, input.repo, revision);
    if (revision === DEFAULT_REVISION) {
      check.atDefaultHead = true;
      const named = (resolved as { defaultBranch?: string }).defaultBranch;
      if (named) check.defaultBranch = named;
    }
    check.commit = resolved.commit;
    check.repo = resolved.repo;
    if (resolved.renamedFrom) check.renamedFrom = resolved.renamedFrom;
    tree = await client.listTree(kind, check.repo, resolved.commit);
  } catch (e) {
    return finish({ status: 'unverifiable', failure: failureOf(e) });
  }
  const commit = check.commit as string;
  const repo = check.repo;
  const byPath = new Map(tree.map((f) => [f.path, f]));
  const budget = new BudgetMeter(input.budget ?? DEFAULT_WORK_BUDGET);
  const fetched = new Map<string, Promise<Uint8Array>>();
  const digests = new Map<string, Promise<string>>();
  const content: ContentFetcher = {
    bytes(f) {
      const key = contentKey(f);
      let p = fetched.get(key);
      if (!p) {
        budget.take(f.size);
        p = client.fetchFile(kind, repo, commit, f.path, maxHashBytes);
        fetched.set(key, p);
      }
      return p;
    },
    digest(f, what, compute) {
      const key = `${contentKey(f)}|${what}`;
      let p = digests.get(key);
      if (!p) {
        p = compute();
        digests.set(key, p);
      }
      return p;
    },
  };
  const keys = input.publicKeyPems ?? [];
  const cas = input.caPems ?? [];
  /** Fetch (a network failure is amber and says nothing about the signature), then verify its bytes. */
  const loadSignature = async (f: TreeFile, signatureFiles: string[]): Promise<SignatureCheck | RevisionOutcome> => {
    if (f.size > MAX_BUNDLE_BYTES) {
      return signatureFailure(new ModelSealError('BUNDLE_TOO_LARGE', `${plainLine(f.path, 80)} is larger than ${MAX_BUNDLE_BYTES} bytes`), signatureFiles);
    }
    let bytes: Uint8Array;
    try {
      budget.take(f.size);
      bytes = await client.fetchFile(kind, repo, commit, f.path, MAX_BUNDLE_BYTES);
    } catch (e) {
      return { status: 'unverifiable', failure: failureOf(e), signatureFiles };
    }
    try {
      return verifyUnknownSigner(bytes, keys, input.trustedRoot, cas);
    } catch (e) {
      return signatureFailure(e, signatureFiles);
    }
  };
  const withBudget = (outcome: RevisionOutcome): RevisionOutcome =>
    outcome.status === 'signed' && budget.exceeded ? { ...outcome, budgetExceeded: { limit: budget.limit } } : outcome;

  // 1. model.sig at the root covers the whole repo.
  const rootSig = byPath.get(MODEL_SIG);
  if (rootSig) {
    const sc = await loadSignature(rootSig, [MODEL_SIG]);
    if ('status' in sc) return finish(sc);
    try {
      const listing = tree.map((f) => listed(f, f.path, sc.manifest, content, maxHashBytes, input.hashers));
      const files = await checkFiles(sc.manifest, listing, {
        signaturePath: MODEL_SIG,
        ...(input.hashers ? { hashers: input.hashers } : {}),
        concurrency: input.concurrency ?? 4,
      });
      return finish(withBudget({ status: 'signed', signatureFiles: [MODEL_SIG], evidence: sc.evidence, files, ignoreUnsignedFiles: false }));
    } catch (e) {
      return finish({ status: 'unverifiable', failure: failureOf(e), signatureFiles: [MODEL_SIG] });
    }
  }

  // 2. Per-file signatures: `<file>.sig` next to `<file>`; files no signature covers are reported
  // `unsigned` (decide() makes the repo partly signed, never green).
  const perFile = tree.filter((f) => f.path.endsWith('.sig') && byPath.has(f.path.slice(0, -4)));
  if (perFile.length === 0) return finish({ status: 'unsigned' });
  const sigPaths = perFile.map((f) => f.path);
  if (perFile.length > MAX_PER_FILE_SIGNATURES) {
    return finish({
      status: 'unverifiable',
      failure: { code: 'TOO_MANY_RESOURCES', reason: `more than ${MAX_PER_FILE_SIGNATURES} per-file signatures` },
      signatureFiles: sigPaths,
    });
  }
  const results = new Map<string, FileResult>();
  let first: SignatureCheck | undefined;
  for (const sigFile of perFile) {
    const target = sigFile.path.slice(0, -4);
    const targetFile = byPath.get(target) as TreeFile;
    const sc = await loadSignature(sigFile, sigPaths);
    if ('status' in sc) return finish(sc);
    if (first && !sameEvidenceSigner(first, sc)) {
      return finish({
        status: 'invalid-signature',
        failure: { code: 'IDENTITY_MISMATCH', reason: `per-file signatures are by different signers (${plainLine(sigFile.path, 80)})` },
        signatureFiles: sigPaths,
      });
    }
    first ??= sc;
    const base = target.slice(target.lastIndexOf('/') + 1);
    try {
      const rs = await checkFiles(sc.manifest, [listed(targetFile, base, sc.manifest, content, maxHashBytes, input.hashers)], {
        singleFile: true,
        signaturePath: null,
        ...(input.hashers ? { hashers: input.hashers } : {}),
      });
      const r = rs.find((x) => x.path === base);
      // A signature next to a file that signs something else does not cover that file.
      const coversIt = r && r.status !== 'unsigned' && !rs.some((x) => x.status === 'missing');
      results.set(target, coversIt ? { ...r, path: target } : { path: target, status: 'mismatch', reason: `${plainLine(sigFile.path, 80)} signs a different file` });
    } catch (e) {
      return finish({ status: 'unverifiable', failure: failureOf(e), signatureFiles: sigPaths });
    }
  }
  const sigSet = new Set(sigPaths);
  const files: FileResult[] = tree.map((f) => {
    const r = results.get(f.path);
    if (r) return r;
    if (sigSet.has(f.path) || isGitMeta(f.path)) return { path: f.path, status: 'ignored' };
    return { path: f.path, status: 'unsigned', reason: 'no signature covers this file' };
  });
  return finish(withBudget({ status: 'signed', signatureFiles: sigPaths, evidence: (first as SignatureCheck).evidence, files, ignoreUnsignedFiles: true }));
}

function isGitMeta(path: string): boolean {
  const top = path.split('/')[0];
  return top === '.git' || top === '.gitattributes' || top === '.github' || top === '.gitignore';
}

function sameEvidenceSigner(a: SignatureCheck, b: SignatureCheck): boolean {
  const x = a.evidence.signer;
  const y = b.evidence.signer;
  return x.kind === y.kind && x.identity === y.identity && x.issuer === y.issuer && x.keyFingerprint === y.keyFingerprint && x.caSubject === y.caSubject;
}
