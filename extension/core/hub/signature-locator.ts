/**
 * Where a revision's signatures are, from its file paths alone. One place decides which file is a
 * signature and what part of the repo it speaks for, so the hub pipeline, the CLI and later the
 * signing history all agree.
 *
 * - `model.sig` at the root signs the whole repo (model_signing's default).
 * - `.kaggle/signing.json` is Kaggle's name for the same thing (kagglehub signs on upload).
 * - `<dir>/model.sig` signs the folder it is in: its manifest names files relative to `<dir>/`.
 * - `<file>.sig` beside `<file>` signs that one file (per-file mode, "ignore unsigned files").
 *
 * A folder signature inside a folder that already has one, and per-file signatures inside a signed
 * folder, are still listed: each is verified on its own and the decider combines them.
 */

export const MODEL_SIG = 'model.sig';
export const KAGGLE_SIGNATURE = '.kaggle/signing.json';
/** A per-file signature is the signed file's path plus this. */
export const PER_FILE_SIGNATURE_SUFFIX = '.sig';
/** Signature files verified per revision at most (each costs a request and a verification). */
export const MAX_SIGNATURES = 64;

export type SignatureScope =
  /** Signs every file of the revision. */
  | { kind: 'repo' }
  /** Signs the files under `folder/` (no trailing slash); resources are relative to it. */
  | { kind: 'folder'; folder: string }
  /** Signs one file. */
  | { kind: 'file'; file: string };

export interface SignatureLocation {
  /** Path of the signature file in the repo. */
  path: string;
  scope: SignatureScope;
}

/** Where the per-file signature of `file` is (`<file>.sig`); also the CLI's default for a single file. */
export function perFileSignaturePath(file: string): string {
  return `${file}${PER_FILE_SIGNATURE_SUFFIX}`;
}

function depth(path: string): number {
  return path.split('/').length;
}

/**
 * Signature files among `paths`, the repo-wide ones first, then folders from the shallowest, then
 * per-file signatures in path order. Deterministic, so caches and tests see one order.
 */
export function locateSignatures(paths: Iterable<string>): SignatureLocation[] {
  const present = new Set(paths);
  const repo: SignatureLocation[] = [];
  const folders: SignatureLocation[] = [];
  const files: SignatureLocation[] = [];
  for (const path of present) {
    if (path === MODEL_SIG || path === KAGGLE_SIGNATURE) {
      repo.push({ path, scope: { kind: 'repo' } });
    } else if (path.endsWith(`/${MODEL_SIG}`)) {
      folders.push({ path, scope: { kind: 'folder', folder: path.slice(0, -MODEL_SIG.length - 1) } });
    } else if (path.endsWith(PER_FILE_SIGNATURE_SUFFIX) && present.has(path.slice(0, -PER_FILE_SIGNATURE_SUFFIX.length))) {
      files.push({ path, scope: { kind: 'file', file: path.slice(0, -PER_FILE_SIGNATURE_SUFFIX.length) } });
    }
  }
  const byPath = (a: SignatureLocation, b: SignatureLocation) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  // model.sig before Kaggle's file: when both exist the model_signing one is the publisher's own.
  repo.sort((a, b) => (a.path === MODEL_SIG ? -1 : b.path === MODEL_SIG ? 1 : 0));
  folders.sort((a, b) => depth(a.path) - depth(b.path) || byPath(a, b));
  files.sort(byPath);
  return [...repo, ...folders, ...files];
}

/** Whether `path` lies in what `scope` signs. */
export function scopeCovers(scope: SignatureScope, path: string): boolean {
  switch (scope.kind) {
    case 'repo':
      return true;
    case 'folder':
      return path.startsWith(`${scope.folder}/`);
    case 'file':
      return path === scope.file;
  }
}

/** `path` as the signature's manifest names it (relative to a folder signature's folder). */
export function pathInScope(scope: SignatureScope, path: string): string {
  if (scope.kind === 'folder') return path.slice(scope.folder.length + 1);
  if (scope.kind === 'file') return path.slice(path.lastIndexOf('/') + 1);
  return path;
}

/** A manifest path of a repo-wide or folder signature as a repo path (the inverse of pathInScope). */
export function repoPathOf(scope: SignatureScope, manifestPath: string): string {
  return scope.kind === 'folder' ? `${scope.folder}/${manifestPath}` : manifestPath;
}

/** What a scope signs, in a few words for reasons and the CLI: `the whole repo`, `original/`, `a/b.bin`. */
export function scopeLabel(scope: SignatureScope): string {
  switch (scope.kind) {
    case 'repo':
      return 'the whole repo';
    case 'folder':
      return `${scope.folder}/`;
    case 'file':
      return scope.file;
  }
}
