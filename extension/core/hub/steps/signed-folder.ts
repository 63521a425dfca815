/**
 * Step 3½, what a root signature really signed. model_signing names resources relative to the
 * directory it signed, so a root `model.sig` made by signing a subfolder (OpenAI's
 * `openai/privacy-filter` signs `original/`) lists names that match that folder, not the root.
 *
 * No guessing: the scope narrows from the whole repo to one folder only when the resources do not all
 * exist at the root AND either the signed subject names an existing folder, or exactly one folder
 * holds every resource. Otherwise it stays repo-wide (files that do not match are "files changed").
 * Narrowing never makes anything green that was not: files outside the folder become uncovered
 * (partly signed, downloads held), and the folder itself is checked as strictly as a folder signature.
 */
import type { SignedManifest } from '../../oms/manifest.js';
import type { TreeFile } from '../../hubs/adapter.js';
import type { SignatureLocation } from '../signature-locator.js';

/** Longest folder name taken from a signed subject (the tree caps path lengths anyway). */
const MAX_SUBJECT_FOLDER_CHARS = 1024;

/** A signed subject name usable as a folder: relative, no `.`/`..`/empty segment, no backslash or control. */
function subjectFolder(name: string): string | undefined {
  if (name.length === 0 || name.length > MAX_SUBJECT_FOLDER_CHARS) return undefined;
  if (/[\\\u0000-\u001f\u007f]/.test(name)) return undefined;
  const segments = name.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return undefined;
  return name;
}

/** Distinct resource file paths of a directory manifest, or undefined for a single-file one. */
function resourcePaths(manifest: SignedManifest): string[] | undefined {
  const paths = [...new Set(manifest.resources.map((r) => r.path))];
  if (paths.length === 0 || paths.includes('.')) return undefined;
  return paths;
}

/** Folders under which every one of `paths` exists in the tree (found from the first path's occurrences). */
function foldersHoldingAll(paths: readonly string[], present: ReadonlySet<string>): string[] {
  const [first] = paths;
  if (first === undefined) return [];
  const suffix = `/${first}`;
  const out: string[] = [];
  for (const p of present) {
    if (!p.endsWith(suffix)) continue;
    const folder = p.slice(0, -suffix.length);
    if (folder.length > 0 && paths.every((r) => present.has(`${folder}/${r}`))) out.push(folder);
  }
  return out;
}

/**
 * The location a verified signature speaks for: `location` itself, except a repo-wide `model.sig`
 * whose resources belong to one subfolder (rules above), which becomes a folder scope over it.
 */
export function signedLocation(location: SignatureLocation, manifest: SignedManifest, tree: readonly TreeFile[]): SignatureLocation {
  if (location.scope.kind !== 'repo') return location;
  const paths = resourcePaths(manifest);
  if (!paths) return location;
  const present = new Set(tree.map((f) => f.path));
  if (paths.every((p) => present.has(p))) return location;

  const named = subjectFolder(manifest.modelName);
  if (named !== undefined && tree.some((f) => f.path.startsWith(`${named}/`))) {
    return { path: location.path, scope: { kind: 'folder', folder: named } };
  }
  const holding = foldersHoldingAll(paths, present);
  if (holding.length === 1) return { path: location.path, scope: { kind: 'folder', folder: holding[0] as string } };
  return location;
}
