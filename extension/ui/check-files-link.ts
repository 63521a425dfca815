/** Where "Check files on this computer" lives, optionally opened for a repo and commit (the popup's tab). */
import { DEFAULT_REVISION } from '../core/hub/revision-check.js';
import type { RepoKind } from '../core/repo-ref.js';

export const CHECK_FILES_PAGE = 'extension/pages/check-files.html';

export interface CheckFilesTarget {
  hub: string;
  kind: RepoKind;
  repo: string;
  /** A commit or revision; absent: the default branch. */
  revision?: string;
}

/** The page's URL relative to the extension root, with the repo in the query when given. */
export function checkFilesPath(target?: CheckFilesTarget): string {
  if (!target) return CHECK_FILES_PAGE;
  const q = new URLSearchParams({ hub: target.hub, kind: target.kind, repo: target.repo });
  if (target.revision && target.revision !== DEFAULT_REVISION) q.set('revision', target.revision);
  return `${CHECK_FILES_PAGE}?${q.toString()}`;
}

/** The query the page was opened with, checked; anything malformed is dropped (the user types it instead). */
export function readCheckFilesQuery(search: string): CheckFilesTarget | undefined {
  const q = new URLSearchParams(search);
  const hub = q.get('hub') ?? '';
  const kind = q.get('kind');
  const repo = q.get('repo') ?? '';
  const revision = q.get('revision') ?? undefined;
  let origin: string;
  try {
    origin = new URL(hub).origin;
  } catch {
    return undefined;
  }
  if (origin !== hub || !hub.startsWith('https://') || (kind !== 'model' && kind !== 'dataset') || !/^[\w.-]+\/[\w.-]+$/.test(repo)) return undefined;
  if (revision !== undefined && (revision.length > 256 || /[\s?#]/.test(revision))) return undefined;
  return { hub, kind, repo, ...(revision ? { revision } : {}) };
}

/** `owner/name` or `owner/name@revision` as typed; undefined when it is neither. */
export function parseRepoAtRevision(text: string): { repo: string; revision?: string } | undefined {
  const m = /^\s*([\w.-]+\/[\w.-]+)(?:@([^\s?#]{1,256}))?\s*$/.exec(text);
  if (!m || !m[1]) return undefined;
  return { repo: m[1], ...(m[2] ? { revision: m[2] } : {}) };
}
