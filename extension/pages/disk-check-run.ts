/**
 * One disk check, start to finish, in the page: the signature goes to the worker (only its bytes,
 * or the hub revision's name); the files are hashed here, in dedicated workers, and judged by the
 * core (checkFiles, then diskVerdict). Nothing of the files leaves the page.
 */
import { checkFiles } from '../core/files/check.js';
import { diskListing } from '../core/files/disk-listing.js';
import { diskVerdict } from '../core/disk-verdict.js';
import { failureFromError } from '../core/failure.js';
import { ModelSealError } from '../core/errors.js';
import { MAX_BUNDLE_BYTES } from '../core/oms/limits.js';
import { MODEL_SIG } from '../core/hub/signature-locator.js';
import type { RepoRef } from '../core/repo-ref.js';
import type { FileResult, Verdict } from '../core/verdict.js';
import type { DiskSignatureReply } from '../shared/messages.js';
import { HashPool, poolSize, type WorkerLike } from '../workers/hash-pool.js';
import type { Picked } from './pick-files.js';
import { request } from '../ui/rpc.js';

/** What the local files are checked against. */
export type DiskCheckSource =
  /** The folder's own model.sig; judged for `repo` when the user named it. */
  | { kind: 'folder'; repo?: RepoRef }
  /** A hub revision's signature (revision ':default' = the default branch head). */
  | { kind: 'revision'; hub: string; repoKind: RepoRef['kind']; repo: string; revision: string };

export interface DiskProgress {
  phase: 'signature' | 'hashing';
  bytesDone: number;
  bytesTotal: number;
  startedAt: number;
}

function spawnHashWorker(): WorkerLike {
  return new Worker(new URL('../workers/file-hash-worker.ts', import.meta.url), { type: 'module' }) as unknown as WorkerLike;
}

export class DiskCheckRun {
  private pool: HashPool | undefined;
  private cancelled = false;

  constructor(private readonly now: () => number = () => Date.now()) {}

  cancel(): void {
    this.cancelled = true;
    this.pool?.cancel();
  }

  async run(picked: Picked, source: DiskCheckSource, onProgress: (p: DiskProgress) => void): Promise<Verdict> {
    const checkedAt = this.now();
    const startedAt = this.now();
    onProgress({ phase: 'signature', bytesDone: 0, bytesTotal: 0, startedAt });
    let reply: DiskSignatureReply;
    try {
      reply = await this.signature(picked, source);
    } catch (e) {
      return { state: 'unverifiable', checkedAt, failure: failureFromError(e) };
    }
    if (reply.kind === 'verdict') return reply.verdict;
    if (this.cancelled) return this.cancelledVerdict(checkedAt);

    const signed = new Set(reply.manifest.resources.map((r) => r.path));
    const bytesTotal = picked.entries.reduce((n, e) => (signed.has(e.path) ? n + e.size : n), 0);
    let bytesDone = 0;
    const hashStart = this.now();
    const pool = new HashPool(spawnHashWorker, poolSize(navigator.hardwareConcurrency), (n) => {
      bytesDone += n;
      onProgress({ phase: 'hashing', bytesDone, bytesTotal, startedAt: hashStart });
    });
    this.pool = pool;
    onProgress({ phase: 'hashing', bytesDone: 0, bytesTotal, startedAt: hashStart });
    try {
      const listing = diskListing(picked.entries, (e) => (algorithm, range) => pool.hash(e.file, algorithm, range));
      // checkFiles queues every file at once; the pool runs `size` of them at a time.
      const files = await checkFiles(reply.manifest, listing, { signaturePath: reply.signatureFile, concurrency: Math.max(2, pool.size * 2) });
      if (this.cancelled) return this.cancelledVerdict(checkedAt, reply, files);
      return diskVerdict({
        evidence: reply.evidence,
        files,
        checkedAt,
        signatureFile: reply.signatureFile,
        ...(reply.repo ? { repo: reply.repo } : {}),
        ...(reply.trust ? { trust: reply.trust } : {}),
        ...(picked.folder !== undefined ? { folder: picked.folder } : {}),
      });
    } catch (e) {
      return { state: 'unverifiable', checkedAt, signature: reply.evidence, failure: failureFromError(e) };
    } finally {
      pool.close();
    }
  }

  private async signature(picked: Picked, source: DiskCheckSource): Promise<DiskSignatureReply> {
    if (source.kind === 'revision') {
      return request({ type: 'disk/revision', hub: source.hub, kind: source.repoKind, repo: source.repo, revision: source.revision });
    }
    const sig = picked.entries.find((e) => e.path === MODEL_SIG);
    if (!sig) throw new ModelSealError('NOT_FOUND', 'no model.sig at the top of the picked folder: name a hub revision to check against instead');
    // Checked before reading: a huge file is refused without loading it.
    if (sig.size > MAX_BUNDLE_BYTES) throw new ModelSealError('BUNDLE_TOO_LARGE', `model.sig is larger than ${MAX_BUNDLE_BYTES} bytes`);
    const text = await sig.file.text();
    return request({ type: 'disk/signature', signature: text, ...(source.repo ? { repo: source.repo } : {}) });
  }

  private cancelledVerdict(checkedAt: number, reply?: Extract<DiskSignatureReply, { kind: 'signed' }>, files?: FileResult[]): Verdict {
    const failure = { code: 'CANCELLED' as const, reason: 'the check was stopped before every file was hashed' };
    return { state: 'unverifiable', checkedAt, failure, ...(reply ? { signature: reply.evidence } : {}), ...(files ? { files } : {}) };
  }
}
