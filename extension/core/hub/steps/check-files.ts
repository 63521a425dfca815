/**
 * Step 4, list and check files: the tree files a signature speaks for, named as its manifest names
 * them (relative to a folder signature's folder), checked against that manifest: LFS files by their
 * listed SHA-256, small files fetched and hashed, big ones left `unchecked`. Results use repo paths.
 */
import { ModelSealError } from '../../errors.js';
import type { SignedManifest } from '../../oms/manifest.js';
import { digestHex } from '../../hash/digest.js';
import { bytesToHex } from '../../hash/hex.js';
import type { ListedFile } from '../../files/listing.js';
import type { SignatureCheck } from '../../verify-model.js';
import { checkFiles } from '../../files/check.js';
import type { FileResult } from '../../verdict.js';
import { plainLine } from '../../display/identity-text.js';
import type { TreeFile } from '../../hubs/adapter.js';
import { pathInScope, scopeCovers, type SignatureLocation } from '../signature-locator.js';
import type { RevisionContext } from './context.js';

/** SHA-256 at native speed where WebCrypto exists (service workers, Node); else undefined. */
function webCryptoSha256(): ((bytes: Uint8Array) => Promise<Uint8Array>) | undefined {
  const subtle = (globalThis as { crypto?: { subtle?: SubtleCrypto } }).crypto?.subtle;
  if (!subtle) return undefined;
  return async (bytes) => new Uint8Array(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}

/**
 * Whether a file is matched by the digest the hub lists rather than by bytes hashed here: the Hub's
 * lfs.oid is the SHA-256 of the content, usable only when the manifest hashes whole files with SHA-256.
 */
export function hubDigestUsable(f: TreeFile, s: Pick<SignedManifest['serialization'], 'hashType' | 'method'>): boolean {
  return f.lfs !== undefined && s.hashType === 'sha256' && s.method === 'files';
}

/** A tree file as the manifest check sees it, under the name `path`. */
function listed(ctx: RevisionContext, f: TreeFile, path: string, manifest: SignedManifest): ListedFile {
  const l: ListedFile = { path, size: f.size };
  if (f.lfs && hubDigestUsable(f, manifest.serialization)) {
    l.digests = { sha256: f.lfs.sha256 };
  } else if (f.size <= ctx.maxHashBytes) {
    const sha256 = ctx.hashers ? undefined : webCryptoSha256();
    l.hash = async (alg, range) => {
      const all = await ctx.content.bytes(f);
      if (all.length !== f.size) throw new ModelSealError('IO_ERROR', `the hub served ${all.length} bytes, its listing says ${f.size}`);
      return ctx.content.digest(f, `${alg}|${range ? `${range.start}:${range.end}` : '*'}`, async () => {
        const data = range ? all.subarray(range.start, range.end) : all;
        if (alg === 'sha256' && sha256) return bytesToHex(await sha256(data));
        return digestHex(alg, data, ctx.hashers);
      });
    };
  } else {
    l.unhashableReason = `too large to hash here (${f.size} bytes): check the model on disk with \`modelseal verify\``;
  }
  return l;
}

/**
 * The files `location` speaks for, checked against its verified manifest. Throws when the check
 * itself cannot run (the caller makes that "could not verify").
 */
export async function checkScope(ctx: RevisionContext, location: SignatureLocation, sc: SignatureCheck): Promise<FileResult[]> {
  const { scope } = location;
  const hashers = ctx.hashers ? { hashers: ctx.hashers } : {};
  if (scope.kind === 'file') {
    const target = ctx.byPath.get(scope.file);
    if (!target) throw new ModelSealError('INTERNAL_ERROR', 'located file signature without its file');
    const base = pathInScope(scope, scope.file);
    const rs = await checkFiles(sc.manifest, [listed(ctx, target, base, sc.manifest)], { singleFile: true, signaturePath: null, ...hashers });
    const r = rs.find((x) => x.path === base);
    // A signature next to a file that signs something else does not cover that file.
    const coversIt = r && r.status !== 'unsigned' && !rs.some((x) => x.status === 'missing');
    return [coversIt ? { ...r, path: scope.file } : { path: scope.file, status: 'mismatch', reason: `${plainLine(location.path, 80)} signs a different file` }];
  }
  // Repo-wide or folder: model_signing signed a directory; its manifest names files relative to it,
  // and the signature file itself (model.sig in that directory, or Kaggle's file) is not a resource.
  const inScope = ctx.tree.filter((f) => scopeCovers(scope, f.path));
  const listing = inScope.map((f) => listed(ctx, f, pathInScope(scope, f.path), sc.manifest));
  const results = await checkFiles(sc.manifest, listing, {
    // A root model.sig that signs a subfolder lies outside it: nothing in the folder to skip.
    signaturePath: scopeCovers(scope, location.path) ? pathInScope(scope, location.path) : null,
    ...hashers,
    concurrency: ctx.concurrency,
  });
  if (scope.kind === 'repo') return results;
  return results.map((r) => ({ ...r, path: `${scope.folder}/${r.path}` }));
}
